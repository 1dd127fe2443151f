"""A running site against the OpenAPI document (issue 17, as test_openapi.py checks a gateway).

A real `nats-server -js`, two real `tagway run` gateways of one site with a JetStream sink each
(simulated readers on ptys), and a real `tagway site` with the same token (siteview.py, as the
site's browser tests start them). One asset stays at each gateway, one moves from the dock to the
store (a site `moved`), one leaves the dock and goes nowhere (its row shows `departedAt` until the
handover window passes). schemathesis (PyPI, pinned in requirements.txt) then sends every
operation the site serves a bounded number of generated requests, valid and invalid
(OPENAPI_EXAMPLES per operation and phase, default 30; seed OPENAPI_SEED, default 13; one worker),
and runs all its checks on each answer, as test_openapi.py does: no 5xx; status code, content type
and documented headers as the document says; the body matches its schema; a request the document
calls invalid is refused with a 4xx and a valid one is accepted; without the token, 401.

Nothing is left out silently:
- The operations a site does not serve are listed in GATEWAY_ONLY, each with why; the test fails
  when the document has an operation in neither list, when schemathesis did not test every
  operation of SITE_OPERATIONS, and `test_the_gateway_only_operations_are_not_served` checks that
  the site really answers those 404 (so leaving them out hides nothing it serves).
- `GET /v1/events/stream` never ends: schemathesis reads at most STREAM_EVENTS events or
  STREAM_SECONDS per request, and checks each event.
- `listAssets` may refuse a valid-looking request for what the document cannot express (`key`
  and `prefix` together, an `after` no page gave): POSITIVE_REFUSALS, as in test_openapi.py.
- A site's status once the fields only some moments show are there (a lease holder, positions
  of both gateways), and a standby's, are checked against the SiteStatus schema itself.
- What a site answers when its NATS server is gone (SiteOpenAPIWithoutJetStreamTests): the status's
  `jetstream` branch and the reads' 503, each checked against the document.
"""

import json
import os
import shutil
import unittest
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree

import yaml

from gateway import REPO, TOKEN, epc
from siteview import NATSServer, Site, start_fleet
from test_openapi import SPEC, run_schemathesis, schemathesis_base

REPORTS = os.path.join(REPO, ".build", "openapi-site-report")
SITE = "openapi-site"
MOVER, LEAVER, AT_DOCK, AT_STORE = epc(0x5801), epc(0x5802), epc(0x5803), epc(0x5804)
# Scenario seconds from each gateway's simulators' start: the mover and the leaver leave the dock
# at 3 s (departed about 2 s later, departAfter); the mover arrives in the store at 8 s, far
# inside the 60 s handover window, so it is one site `moved`; the leaver stays a departure.
LEAVE = 3.0
ARRIVE = 8.0

# Every operation of the document a site serves (SiteAPI: PullAPI over the site's stream and bucket).
SITE_OPERATIONS = {
    "listEvents", "streamEvents", "listAssets", "getAsset", "listZones", "getStatus", "healthz", "readyz", "metrics",
}
# The document's operations a site does not serve, and why (it answers them 404).
GATEWAY_ONLY = {
    "getTuning": "the movement engine's live evidence of a gateway's readers; a site has no readers",
    "getConfig": "a gateway's configuration file, read and edited from the console; site.yaml is not edited over the API",
    "applyConfig": "writes and reloads a gateway's configuration file (see getConfig)",
    "checkConfig": "checks a gateway configuration as `tagway check-config` does; a site has no gateway configuration",
    "runAudit": "records an audit into a gateway's event log; a site's events are derived from its gateways' and it keeps no log",
}
# As in test_openapi.py: `key` and `prefix` exclude each other; `after` must be a cursor a page gave.
POSITIVE_REFUSALS = {"listAssets": ["400"]}


def document():
    with open(SPEC) as f:
        return yaml.safe_load(f)


def operations(spec):
    """operationId -> "METHOD /path", as schemathesis names its test cases."""
    return {op["operationId"]: f"{method.upper()} {path}" for path, item in spec["paths"].items() for method, op in item.items()}


def schemathesis_config(site):
    """The run's configuration, as TOML (schemathesis.toml's format)."""
    lines = schemathesis_base(site.base)
    for operation, refusals in sorted(POSITIVE_REFUSALS.items()):
        allowed = ["2xx", "401", "404"] + refusals
        lines += ["", "[[operations]]", f'include-operation-id = "{operation}"',
                  "[operations.checks.positive_data_acceptance]",
                  "expected-statuses = [" + ", ".join(f'"{s}"' for s in allowed) + "]"]
    return "\n".join(lines) + "\n"


class SiteOpenAPITests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        start_fleet(cls, SITE,
                    [f"1.0 enter {AT_DOCK} rssi=-50", f"1.2 enter {MOVER} rssi=-50", f"1.4 enter {LEAVER} rssi=-55",
                     f"{LEAVE} leave {MOVER}", f"{LEAVE} leave {LEAVER}"],
                    [f"1.0 enter {AT_STORE} rssi=-50", f"{ARRIVE} enter {MOVER} rssi=-52"])
        # Every kind of answer the document describes needs something: site events (arrivals and
        # the move), rows at both gateways, and one row with a pending departure.
        cls.site.wait_event(type="moved")
        cls.site.wait_event(type="arrived", to="gw-store/shelves")
        arrivals = cls.site.events(type="arrived", to="gw-dock/dock")
        leaver = [e["asset"]["key"] for e in arrivals if e["asset"]["raw"].upper() == LEAVER]
        if not leaver:
            raise AssertionError(f"no site arrival of the leaver ({LEAVER}) at the dock: {arrivals}")
        cls.leaver = leaver[0]

    def request(self, method, path, base=None):
        request = urllib.request.Request((base or self.site.base) + path, method=method, headers={"Authorization": f"Bearer {TOKEN}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def validator(self, name):
        import jsonschema

        spec = document()
        return jsonschema.Draft202012Validator(dict(spec["components"]["schemas"][name], components=spec["components"]))

    def problems(self, validator, answer):
        return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(answer)]

    def test_every_operation_is_either_served_by_a_site_or_listed_as_gateway_only(self):
        ids = set(operations(document()))
        self.assertEqual(SITE_OPERATIONS & set(GATEWAY_ONLY), set())
        self.assertEqual(ids - SITE_OPERATIONS - set(GATEWAY_ONLY), set(), "operations of the document this test does not place")
        self.assertEqual((SITE_OPERATIONS | set(GATEWAY_ONLY)) - ids, set(), "operations this test names that the document lacks")

    def test_the_gateway_only_operations_are_not_served(self):
        spec = document()
        error = self.validator("Error")
        for operation, name in sorted(operations(spec).items()):
            if operation not in GATEWAY_ONLY:
                continue
            method, path = name.split(" ", 1)
            status, _, body = self.request(method, path)
            self.assertEqual(status, 404, f"{name} on a site: {body[:200]!r}")
            self.assertEqual(self.problems(error, json.loads(body)), [], name)

    def test_the_site_serves_this_document(self):
        with urllib.request.urlopen(self.site.base + "/console/openapi.yaml", timeout=10) as response:
            self.assertEqual(response.status, 200)
            served = response.read()
        with open(SPEC, "rb") as f:
            self.assertEqual(served, f.read())

    def test_the_active_sites_status_is_a_site_status(self):
        """Against the SiteStatus schema itself: the lease held by this process, both gateways'
        positions and the consumer (schemathesis may call the operation before they are there).
        Also because schemathesis validates answers with a schema where each `required` name
        is a property: a field the document lists as required but forgets to describe would
        pass it; jsonschema here refuses it (`additionalProperties: false`)."""
        status, _, body = self.request("GET", "/v1/status")
        self.assertEqual(status, 200)
        answer = json.loads(body)
        self.assertEqual((answer["kind"], answer["site"], answer["role"]), ("site", SITE, "active"))
        self.assertEqual(answer["leaseHolder"], answer["owner"])
        self.assertEqual(sorted(answer["positions"]), ["gw-dock", "gw-store"])
        self.assertGreater(answer["lastSeq"], 0)
        self.assertEqual(self.problems(self.validator("SiteStatus"), answer), [])
        # The gateway's schema does not take it: the two shapes exclude each other (no discriminator).
        self.assertNotEqual(self.problems(self.validator("Status"), answer), [])

    def test_a_standbys_status_is_a_site_status(self):
        standby = Site(self.nats, SITE, standby=True)
        self.addCleanup(standby.stop)
        standby.start()
        status, _, body = self.request("GET", "/v1/status", base=standby.base)
        self.assertEqual(status, 200)
        answer = json.loads(body)
        self.assertEqual(answer["role"], "standby")
        self.assertNotEqual(answer["owner"], answer["leaseHolder"])
        self.assertEqual(self.problems(self.validator("SiteStatus"), answer), [])

    def test_the_rows_are_site_assets_one_with_a_pending_departure(self):
        status, _, body = self.request("GET", "/v1/assets")
        self.assertEqual(status, 200)
        rows = {row["key"]: row for row in json.loads(body)["assets"]}
        self.assertIn("departedAt", rows[self.leaver], "the leaver's row, within the handover window")
        site_asset = self.validator("SiteAsset")
        for row in rows.values():
            self.assertEqual(self.problems(site_asset, row), [], row)

    def test_every_operation_a_site_serves_answers_as_documented(self):
        shutil.rmtree(REPORTS, ignore_errors=True)
        os.makedirs(REPORTS)
        excluded = [arg for operation in sorted(GATEWAY_ONLY) for arg in ("--exclude-operation-id", operation)]
        run_schemathesis(self, schemathesis_config(self.site), excluded, timeout=600, reports=REPORTS)
        reports = [name for name in os.listdir(REPORTS) if name.startswith("junit") and name.endswith(".xml")]
        self.assertEqual(len(reports), 1, reports)
        tested = {case.get("name") for case in ElementTree.parse(os.path.join(REPORTS, reports[0])).iter("testcase")}
        names = operations(document())
        self.assertEqual(tested, {names[operation] for operation in SITE_OPERATIONS}, "the operations schemathesis tested")
        self.assertIsNone(self.site.process.poll(), "the site stopped during the run")


class SiteOpenAPIWithoutJetStreamTests(unittest.TestCase):
    """A site whose NATS server stopped: what it still answers is as the document says (the
    status with `jetstream` instead of what it reads there, 503 with Retry-After for the reads,
    `/readyz` 503 naming its `jetstream` check, `/healthz` and metrics as ever). One site, no
    gateway: nothing here needs events."""

    # What reads the bucket or the site events stream, and the request (each is documented 503).
    READS = {"listEvents": "/v1/events", "listAssets": "/v1/assets", "getAsset": "/v1/assets/urn:epc:id:giai:0614141.1",
             "listZones": "/v1/zones"}

    @classmethod
    def setUpClass(cls):
        cls.nats = NATSServer().start()
        cls.addClassCleanup(cls.nats.stop)
        cls.site = Site(cls.nats, SITE + "-down")
        cls.addClassCleanup(cls.site.stop)
        cls.site.start()
        cls.site.get("/v1/status")  # the API's own connection is open when the server goes
        cls.nats.stop()

    def answer(self, path):
        import requests

        return requests.get(self.site.base + path, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)

    def test_what_a_site_answers_without_its_jetstream_is_documented(self):
        import jsonschema
        import schemathesis

        schema = schemathesis.openapi.from_path(SPEC)
        spec = document()
        names = operations(spec)
        site_status = jsonschema.Draft202012Validator(dict(spec["components"]["schemas"]["SiteStatus"], components=spec["components"]))
        status = self.answer("/v1/status")
        self.assertEqual(status.status_code, 200)
        self.assertIn("error", status.json().get("jetstream", {}), status.text)
        for field in ["leaseHolder", "consumer", "positions", "lastSeq"]:
            self.assertNotIn(field, status.json())
        schema["/v1/status"]["GET"].validate_response(status)
        self.assertEqual([e.message for e in site_status.iter_errors(status.json())], [])
        for operation, path in sorted(self.READS.items()):
            method, documented = names[operation].split(" ", 1)
            answer = self.answer(path)
            self.assertEqual(answer.status_code, 503, f"{path}: {answer.text}")
            self.assertIn("503", spec["paths"][documented][method.lower()]["responses"], f"{operation} documents no 503")
            schema[documented][method].validate_response(answer)
            self.assertGreaterEqual(int(answer.headers["Retry-After"]), 1)
        for operation in ["healthz", "metrics"]:
            method, path = names[operation].split(" ", 1)
            answer = self.answer(path)
            self.assertEqual(answer.status_code, 200, f"{path}: {answer.text[:300]}")
            schema[path][method].validate_response(answer)
        # Alive, but not ready: every read it would serve comes from JetStream. The answer is
        # the documented 503, naming the check that fails.
        method, path = names["readyz"].split(" ", 1)
        ready = self.answer(path)
        self.assertEqual(ready.status_code, 503, ready.text[:300])
        schema[path][method].validate_response(ready)
        self.assertGreaterEqual(int(ready.headers["Retry-After"]), 1)
        checks = {check["name"]: check for check in ready.json()["checks"]}
        self.assertFalse(checks["jetstream"]["ok"], ready.text)
        self.assertTrue(checks["lease"]["ok"], ready.text)


if __name__ == "__main__":
    unittest.main()
