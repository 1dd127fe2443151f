"""Reference answers from PyPI's epcpy (EPC Tag Data Standard) and biip (GS1 element strings).

The Swift differential tests (DifferentialOracle.swift) start this script once per batch. It reads
one JSON object per line on stdin and writes one JSON object per line on stdout, in order:

  {"kind": "epc", "hex": "30..."}            -> epcpy decodes the binary EPC
  {"kind": "taguri", "uri": "urn:epc:tag:..."} -> epcpy parses the tag URI and encodes it
  {"kind": "gs1epc", "es": "(8004)...", "cpl": 7} -> epcpy maps an element string to a pure URI
  {"kind": "gs1", "text": "]C1...", "hri": false} -> biip parses barcode data or HRI text

Every answer carries "ok" and either the fields or "error" (exception class and message), so an
oracle crash is reported as data, never as a broken batch.
"""
import json
import sys
import traceback

from epcpy.epc_schemes.base_scheme import GS1Element, TagEncodable
from epcpy.utils import parsers

import biip
from biip.gs1_messages import GS1Message


def filter_enum(cls):
    module = sys.modules[cls.__module__]
    for name in dir(module):
        if name.endswith("FilterValue"):
            return getattr(module, name)
    return None


def coding_for_header(cls, hex_text):
    header = f"{int(hex_text[:2], 16):08b}"
    return cls.header_to_schemes()[header]


def epc_answer(hex_text):
    scheme = parsers.hex_to_tag_encodable(hex_text)
    cls = type(scheme)
    coding = coding_for_header(cls, hex_text)
    out = {"ok": True, "scheme": coding.value, "uri": scheme.epc_uri}
    body = scheme.epc_uri.split(":", 4)[4]
    if cls.__name__ != "GID":
        out["partition"] = 12 - len(body.split(".")[0])
    if isinstance(scheme, GS1Element):
        out["elementString"] = scheme.gs1_element_string()
    # epcpy drops the filter when it decodes (from_binary goes through the pure identity), so the
    # oracle's filter is the one value for which epcpy's own encoder reproduces the input exactly.
    enum = filter_enum(cls)
    if enum is None:
        out["tagUri"] = scheme.tag_uri(binary_coding_scheme=coding)
        out["hex"] = scheme.hex(binary_coding_scheme=coding).zfill(len(hex_text)).upper()
        return out
    matches = []
    for value in range(8):
        try:
            encoded = scheme.hex(binary_coding_scheme=coding, filter_value=enum(str(value)))
        except Exception:  # noqa: BLE001 - an encoder failure just means no match
            continue
        if encoded.zfill(len(hex_text)).upper() == hex_text.upper():
            matches.append(value)
    if len(matches) == 1:
        out["filter"] = matches[0]
        out["tagUri"] = scheme.tag_uri(binary_coding_scheme=coding, filter_value=enum(str(matches[0])))
        out["hex"] = hex_text.upper()
    else:
        out["filterCandidates"] = matches
    return out


def taguri_answer(uri):
    scheme = parsers.tag_uri_to_tag_encodable(uri)
    cls = type(scheme)
    scheme_name = uri.split(":")[3]
    coding = cls.BinaryCodingScheme(scheme_name)
    enum = filter_enum(cls)
    if enum is None:
        encoded = scheme.hex(binary_coding_scheme=coding)
    else:
        filter_value = uri.split(":", 4)[4].split(".")[0]
        encoded = scheme.hex(binary_coding_scheme=coding, filter_value=enum(filter_value))
        # Encoding must also respect the scheme's own limits, which epcpy checks in tag_uri().
        scheme.tag_uri(binary_coding_scheme=coding, filter_value=enum(filter_value))
    bits = {"96": 96, "198": 208, "195": 208, "170": 176, "202": 208, "174": 176}[scheme_name.split("-")[1]]
    return {"ok": True, "uri": scheme.epc_uri, "hex": encoded.zfill(bits // 4).upper()}


def gs1epc_answer(element_string, company_prefix_length):
    scheme = parsers.gs1_element_string_to_gs1_element(element_string, company_prefix_length)
    return {"ok": True, "uri": scheme.epc_uri}


def gs1_answer(text, hri):
    if hri:
        message = GS1Message.parse_hri(text)
        symbology = None
    else:
        result = biip.parse(text)
        symbology = result.symbology_identifier.value if result.symbology_identifier else None
        if result.gs1_message is None:
            if result.gtin is not None:
                # EAN/UPC and ITF-14 symbols carry a bare GTIN, which stands for AI (01).
                gtin = result.gtin.as_gtin_14()
                return {"ok": True, "elements": [{"ai": "01", "value": gtin}], "elementString": f"(01){gtin}",
                        "symbology": symbology}
            error = result.gs1_message_error or result.gtin_error or "no GS1 message"
            return {"ok": False, "error": error, "symbology": symbology}
        message = result.gs1_message
    elements = [{"ai": es.ai.ai, "value": es.value} for es in message.element_strings]
    # biip parses a GTIN, SSCC or GLN with a wrong check digit and reports it on the element.
    for es in message.element_strings:
        problem = es.gtin_error or es.sscc_error or es.gln_error
        if problem:
            return {"ok": False, "error": problem, "elements": elements, "symbology": symbology}
    return {"ok": True, "elements": elements, "elementString": message.as_hri(), "symbology": symbology}


def answer(request):
    kind = request["kind"]
    try:
        if kind == "epc":
            return epc_answer(request["hex"])
        if kind == "taguri":
            return taguri_answer(request["uri"])
        if kind == "gs1epc":
            return gs1epc_answer(request["es"], request["cpl"])
        if kind == "gs1":
            return gs1_answer(request["text"], request.get("hri", False))
        return {"ok": False, "error": f"unknown kind {kind}", "errorType": "Usage"}
    except Exception as exc:  # noqa: BLE001 - every oracle failure is an answer
        frames = traceback.extract_tb(exc.__traceback__)
        where = f"{frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
        return {"ok": False, "errorType": type(exc).__name__, "error": str(exc), "where": where}


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        sys.stdout.write(json.dumps(answer(json.loads(line))) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
