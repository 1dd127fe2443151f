"""The running gateway against its OpenAPI document (issue 13).

A real `tagway run` (the browser tests' harness, gateway.py) with a simulated reader on a pty
(a door crossing with its alert, assets on a shelf) and a token. schemathesis (PyPI, pinned in
requirements.txt) sends every operation of Sources/TagwayConsole/Assets/openapi.yaml a bounded
number of generated requests, valid and invalid (OPENAPI_EXAMPLES per operation and phase,
default 30; seed OPENAPI_SEED, default 13; one worker), and runs all its checks on each
answer: no 5xx; status code, content type and documented headers as the document says; the body
matches its schema (`additionalProperties: false` where the shape is fixed); a request the
document calls invalid is refused with a 4xx and a valid one is accepted; without the token, 401.

Nothing is left out silently:
- `GET /v1/events/stream` never ends: schemathesis reads at most STREAM_EVENTS events or
  STREAM_SECONDS per request, and checks each event (`data:` is an Event, as JSON).
- `PUT /v1/config` rewrites the gateway's file. It is fuzzed like the others, and the hook
  `refused_config_edit_writes_nothing` (openapi_hooks.py) fails the run when a request not
  answered 200 changed the file or its backups; `test_a_real_edit_is_applied_as_documented`
  makes one real edit and checks its answer against the document.
- Where the document cannot say that a valid-looking request is refused (a body whose content
  is checked by the gateway: an expected list, a configuration; two filters that exclude each
  other), `positive_data_acceptance` also accepts those operations' documented refusals; this
  is written in the config below (POSITIVE_REFUSALS), each with why.
"""

import hashlib
import os
import subprocess
import sys
import unittest
import urllib.error
import urllib.request

from gateway import REPO, TOKEN, Gateway, Reader, free_port

SPEC = os.path.join(REPO, "Sources", "TagwayConsole", "Assets", "openapi.yaml")
EXAMPLES = int(os.environ.get("OPENAPI_EXAMPLES", "30"))
SEED = int(os.environ.get("OPENAPI_SEED", "13"))
REPORTS = os.path.join(REPO, ".build", "openapi-report")
STREAM_EVENTS = 5
STREAM_SECONDS = 1

ZONES = [
    "  - { id: dock-1, name: Dock door 1, door: { inside: [door-in], outside: [door-out] } }",
    "  - { id: storage, name: IT storage, readPoints: [shelf] }",
]
RULES = "rules:\n  - { id: laptops, match: { scheme: giai }, alertOn: [passed-out] }\n"
# What status shows only when configured, so the document is checked against it too: a reader's
# filter counts and a reference tag that is never read (a warning), its capture, and a Snipe-IT
# sink's details (its store is a closed port: the sink retries and shows its pacing).
EXTRA = RULES + f"""capture: {{ dir: capture }}
sinks:
  - id: snipe
    snipeit: {{ url: "http://127.0.0.1:{free_port()}", token: openapi-test-token-0123456789, locations: {{ dock-1: 3 }} }}
"""
LAPTOP = "3414257BF40000000000303A"
# A laptop (GIAI, so the rule applies) read inside the door, then outside it: arrived, passed out,
# alert. Two SGTINs on the shelf. Timed from the simulators' start, after the gateway connects.
READERS = [
    Reader("door-in", [f"4.0 enter {LAPTOP} rssi=-50", f"7.0 leave {LAPTOP}"], read_point="door-in"),
    Reader("door-out", [f"7.0 enter {LAPTOP} rssi=-44"], read_point="door-out"),
    Reader("shelf", ["4.0 enter 3074257BF7194E4000001A85 rssi=-55", "4.2 enter 3034257BF7194E4000001A86 rssi=-61"],
           read_point="shelf", extra="filters: { rssiFloor: -90 }, referenceTags: [{ tag: 3034257BF7194E4000009999, expectEvery: 1s }]"),
]

# Operations whose valid-looking requests the gateway may refuse for what the document cannot
# express, and the statuses that are then right (positive_data_acceptance), by operationId.
POSITIVE_REFUSALS = {
    # An expected list is checked row by row (columns, zones, duplicates): 400 with every problem.
    # `zone` must be a configured zone: 400 naming it.
    "runAudit": ["400"],
    # A configuration is checked as check-config does: 422 with every error.
    "checkConfig": ["422"],
    # The same, and If-Match must be the file's ETag now: 412.
    "applyConfig": ["412", "422"],
    # `key` and `prefix` exclude each other; `after` must be a cursor a page gave.
    "listAssets": ["400"],
    # `asset`, `tag` and `readPoint` exclude each other; `strongest` needs `readPoint`.
    "getTuning": ["400"],
}
# Refusals negative_data_rejection does not count as one by default: a PUT with a stale or bad
# If-Match is refused with 412 before its body is read.
NEGATIVE_REFUSALS = {"applyConfig": ["412"]}


def schemathesis_base(base):
    """The lines every run's configuration starts with (schemathesis.toml's format): the seed, the
    served API at `base` with the token, one worker, generation and checks, and the SSE stream's
    bounds. The site's run (test_openapi_site.py) adds its own operations after them."""
    return [
        f"seed = {SEED}",
        f'base-url = "{base}"',
        "workers = 1",
        "request-timeout = 10",
        "continue-on-failure = true",
        f'headers = {{ Authorization = "Bearer {TOKEN}" }}',
        "[generation]",
        f"max-examples = {EXAMPLES}",
        'mode = "all"',
        "deterministic = true",
        "[phases.stateful]",
        "enabled = false",
        "[checks]",
        "enabled = true",
        "",
        "[[operations]]",
        'include-operation-id = "streamEvents"',
        f"max-stream-events = {STREAM_EVENTS}",
        f"request-timeout = {STREAM_SECONDS}",
    ]


def run_schemathesis(test, config_text, arguments, timeout, reports=REPORTS, environment=None):
    """Runs schemathesis on SPEC with `config_text` (written to `reports`/schemathesis.toml), its
    JUnit report and its whole output (schemathesis.txt) in `reports`; prints its summary and fails
    `test` unless it passed. Returns the finished run."""
    config = os.path.join(reports, "schemathesis.toml")
    with open(config, "w") as f:
        f.write(config_text)
    run = subprocess.run([sys.executable, "-m", "schemathesis.cli", "--config-file", config, "run", SPEC, *arguments,
                          "--report", "junit", "--report-dir", reports],
                         env=dict(os.environ, NO_COLOR="1", COLUMNS="120", **(environment or {})),
                         capture_output=True, text=True, timeout=timeout,
                         cwd=reports)  # its cache (.schemathesis/) stays under .build
    with open(os.path.join(reports, "schemathesis.txt"), "w") as f:
        f.write(run.stdout + run.stderr)
    summary = run.stdout[run.stdout.rfind("SUMMARY"):] if "SUMMARY" in run.stdout else run.stdout[-3000:]
    print("\n" + summary, flush=True)
    test.assertEqual(run.returncode, 0, f"schemathesis found failures (all of its output: {reports}/schemathesis.txt):\n"
                                        f"{run.stdout[-12000:]}\n{run.stderr[-3000:]}")
    return run


def schemathesis_config(gateway):
    """The run's configuration, as TOML (schemathesis.toml's format)."""
    lines = schemathesis_base(gateway.base)
    for operation in sorted(set(POSITIVE_REFUSALS) | set(NEGATIVE_REFUSALS)):
        lines += ["", "[[operations]]", f'include-operation-id = "{operation}"']
        if operation in POSITIVE_REFUSALS:
            allowed = ["2xx", "401", "404"] + POSITIVE_REFUSALS[operation]
            lines += ["[operations.checks.positive_data_acceptance]",
                      "expected-statuses = [" + ", ".join(f'"{s}"' for s in allowed) + "]"]
        if operation in NEGATIVE_REFUSALS:
            refused = ["400", "401", "403", "404", "405", "406", "409", "415", "422", "428", "429", "5xx"]
            lines += ["[operations.checks.negative_data_rejection]",
                      "expected-statuses = [" + ", ".join(f'"{s}"' for s in refused + NEGATIVE_REFUSALS[operation]) + "]"]
    return "\n".join(lines) + "\n"


def config_state(gateway):
    backups = sorted(name for name in os.listdir(gateway.dir) if name.startswith("gateway.yaml.~"))
    with open(gateway.config_file, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest(), backups


class OpenAPITests(unittest.TestCase):
    gateway = None

    @classmethod
    def setUpClass(cls):
        cls.gateway = Gateway(READERS, ZONES, extra=EXTRA).start()
        # Every kind of answer the document describes needs something in the log: arrivals, a
        # crossing and its alert, assets present now.
        cls.gateway.wait_event(type="passed")
        cls.gateway.wait_event(type="alert")

    @classmethod
    def tearDownClass(cls):
        if cls.gateway:
            cls.gateway.stop()

    def request(self, method, path, body=None, headers=None):
        request = urllib.request.Request(self.gateway.base + path, data=body, method=method,
                                         headers={"Authorization": f"Bearer {TOKEN}", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def test_the_document_is_valid_openapi_3_1(self):
        from openapi_spec_validator import validate
        from openapi_spec_validator.readers import read_from_filename

        document, _ = read_from_filename(SPEC)
        self.assertTrue(document["openapi"].startswith("3.1"))
        validate(document)

    def test_the_gateway_serves_this_document_without_a_token(self):
        with urllib.request.urlopen(self.gateway.base + "/console/openapi.yaml", timeout=10) as response:
            self.assertEqual(response.status, 200)
            self.assertEqual(response.headers["Content-Type"], "application/yaml; charset=utf-8")
            served = response.read()
        with open(SPEC, "rb") as f:
            self.assertEqual(served, f.read())

    def test_status_with_filters_reference_tags_and_a_snipeit_sink_is_as_documented(self):
        """/v1/status once the fields only some configurations show are there, against the Status
        schema itself (schemathesis may call the operation before they are)."""
        import json

        import jsonschema
        import yaml

        with open(SPEC) as f:
            document = yaml.safe_load(f)
        schema = dict(document["components"]["schemas"]["Status"], components=document["components"])
        validator = jsonschema.Draft202012Validator(schema)
        status, _, body = self.request("GET", "/v1/status")
        self.assertEqual(status, 200)
        answer = json.loads(body)
        shelf = next(r for r in answer["readers"] if r["reader"] == "shelf")
        self.assertIn("filtered", shelf)
        self.assertEqual(shelf["referenceTags"][0]["tag"], "3034257BF7194E4000009999")
        snipe = next(s for s in answer["sinks"] if s["id"] == "snipe")
        self.assertEqual(snipe["details"]["pacing"]["requestsPerMinute"], 120)
        problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(answer)]
        self.assertEqual(problems, [])

    def test_every_operation_answers_as_documented(self):
        os.makedirs(REPORTS, exist_ok=True)
        before = config_state(self.gateway)
        run_schemathesis(self, schemathesis_config(self.gateway), [], timeout=900,
                         environment={"SCHEMATHESIS_HOOKS": "openapi_hooks", "TAGWAY_OPENAPI_CONFIG": self.gateway.config_file,
                                      "PYTHONPATH": os.path.dirname(os.path.abspath(__file__))})
        self.assertEqual(config_state(self.gateway), before, "the fuzzed configuration edits changed the file")
        self.assertIsNone(self.gateway.process.poll(), "the gateway stopped during the run")

    def test_a_real_edit_is_applied_as_documented(self):
        import schemathesis
        import requests

        schema = schemathesis.openapi.from_path(SPEC)
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {TOKEN}"
        current = session.get(self.gateway.base + "/v1/config", timeout=10)
        schema["/v1/config"]["GET"].validate_response(current)
        view = current.json()
        edited = view["yaml"].replace("name: IT storage", "name: IT storage room")
        self.assertNotEqual(edited, view["yaml"], "the test's configuration names the zone 'IT storage'")
        applied = session.put(self.gateway.base + "/v1/config", data=edited.encode(),
                              headers={"Content-Type": "application/yaml", "If-Match": view["etag"]}, timeout=30)
        self.assertEqual(applied.status_code, 200, applied.text)
        schema["/v1/config"]["PUT"].validate_response(applied)
        body = applied.json()
        self.assertEqual(body["etag"], '"' + hashlib.sha256(edited.encode()).hexdigest() + '"')
        with open(view["file"]) as f:
            self.assertEqual(f.read(), edited)
        self.assertTrue(any("storage" in change for change in body["changes"]), body["changes"])
        again = session.put(self.gateway.base + "/v1/config", data=edited.encode(),
                            headers={"Content-Type": "application/yaml", "If-Match": view["etag"]}, timeout=30)
        self.assertEqual(again.status_code, 412, again.text)
        schema["/v1/config"]["PUT"].validate_response(again)


if __name__ == "__main__":
    unittest.main()
