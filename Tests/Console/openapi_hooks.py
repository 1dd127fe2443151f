"""schemathesis hooks for test_openapi.py (loaded through SCHEMATHESIS_HOOKS).

`refused_config_edit_writes_nothing`: every `PUT /v1/config` that schemathesis sends and the
gateway does not answer 200 must leave the configuration file and its numbered backups exactly
as they were (issue 13: "nothing is applied when a check fails"). The file is the one named by
TAGWAY_OPENAPI_CONFIG; an answer 200 (a real apply) moves the expected state on.
"""

import hashlib
import os
import pathlib
import threading

import schemathesis



def _state():
    config = pathlib.Path(os.environ["TAGWAY_OPENAPI_CONFIG"])
    backups = sorted(p.name for p in config.parent.glob(config.name + ".~*~"))
    return hashlib.sha256(config.read_bytes()).hexdigest(), backups


_lock = threading.Lock()
# Read when schemathesis loads the hooks, before its first request.
_expected = _state()


@schemathesis.check
def refused_config_edit_writes_nothing(ctx, response, case):
    global _expected
    if case.method.upper() != "PUT" or case.path != "/v1/config":
        return None
    with _lock:
        now = _state()
        if response.status_code == 200:
            _expected = now
            return True
        if now != _expected:
            raise AssertionError(f"PUT /v1/config answered {response.status_code}, yet the file or its backups changed: "
                                 f"{_expected} -> {now}")
    return True
