"""What the browser tests' real processes share (gateway.py's `tagway run`, siteview.py's
nats-server and `tagway site`): stopping a process for good, waiting for it to be ready while
noticing that it exited, reading its log, and the API with the token."""

import json
import os
import signal
import subprocess
import time
import urllib.parse
import urllib.request


class ServedError(Exception):
    pass


def stop_process(process):
    """SIGTERM, then SIGKILL after 10 s: nothing a test starts outlives it."""
    if process is None:
        return
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for(ready, timeout, what, process, log):
    """Until `ready()`, failing with the log's tail when `process` exits or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        if process is not None and process.poll() is not None:
            raise ServedError(f"{what}: the process exited ({process.returncode}):\n{log()[-3000:]}")
        time.sleep(0.05)
    raise ServedError(f"timed out waiting for {what}:\n{log()[-3000:]}")


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


class APIClient:
    """`/v1` with a bearer token, for a class with `base` (the URL) and `log` (its process's log)."""

    token = None
    wait_timeout = 20

    def get(self, path, token=None):
        token = token if token is not None else self.token
        request = urllib.request.Request(self.base + path, headers={"Authorization": f"Bearer {token}"} if token else {})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def events(self, after=0, **filters):
        events = self.get("/v1/events?" + urllib.parse.urlencode({"after": after, "limit": 1000}))
        return [e for e in events if all(e.get(k) == v for k, v in filters.items())]

    def wait_event(self, timeout=None, **filters):
        """The first event matching `filters` (type=..., to=...), waiting for it."""
        timeout = timeout or self.wait_timeout
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.events(**filters)
            if found:
                return found[0]
            time.sleep(0.05)
        raise ServedError(f"no event {filters} within {timeout} s; log:\n{self.log[-2000:]}")


class ServedProcess(APIClient):
    """A process the tests start in `self.dir` (`_start`) and stop for good (`stop`), even when
    its start fails halfway."""

    def start(self):
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def write_token_file(self):
        """The API token in a file only the owner reads (an api.tokens `file:` entry); its path."""
        path = os.path.join(self.dir, "api-token")
        with open(path, "w") as f:
            f.write(self.token + "\n")
        os.chmod(path, 0o600)
        return path
