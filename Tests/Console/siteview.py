"""A real site for the browser tests: `nats-server -js` on a free loopback port (its store in a
temp dir) and `tagway site` with api.tokens, whose gateways are real `tagway run` processes
(gateway.py) with a JetStream sink into the site's stream. All stopped and removed in stop()."""

import os
import shutil
import subprocess
import tempfile

from gateway import BINARY, TOKEN, Gateway, Reader, free_port
from served import ServedProcess, read, stop_process, wait_for

NATS_SERVER = shutil.which("nats-server") or "/usr/sbin/nats-server"
STREAM = "TAGWAY"


class NATSServer:
    """One JetStream server: a site's stream, bucket and site events all live in it (replicas 1)."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="tagway-console-nats-")
        self.port = free_port()
        self.url = f"nats://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        self.log_path = os.path.join(self.dir, "nats.log")
        with open(self.log_path, "w") as output:
            self.process = subprocess.Popen([NATS_SERVER, "-js", "-a", "127.0.0.1", "-p", str(self.port),
                                             "-sd", os.path.join(self.dir, "store")],
                                            stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for(lambda: "Server is ready" in read(self.log_path), 15, "nats-server", self.process,
                     lambda: read(self.log_path))
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        stop_process(self.process)
        self.process = None
        shutil.rmtree(self.dir, ignore_errors=True)

    def sink(self):
        """A gateway's `sinks:` block publishing into the site's stream (made by the first gateway)."""
        return "\n".join([
            "sinks:",
            "  - id: site",
            "    jetstream:",
            f"      servers: [{self.url}]",
            f'      stream: {{ name: {STREAM}, subjects: ["tagway.>"], replicas: 1, duplicateWindow: 2m }}',
            "      ackTimeout: 2s",
            "    retry: { initial: 200ms, max: 1s }",
        ])


class Site(ServedProcess):
    """`tagway site` for `site` on `nats`: a handover window far above the scenario's gap between a
    departure and the next arrival, and a short reorder window so events show within a second or two."""

    token = TOKEN
    wait_timeout = 30

    def __init__(self, nats, site, handover="60s", reorder="1s", standby=False):
        """`standby`: another process holds the lease; this one waits for it and serves the API."""
        self.standby = standby
        self.nats = nats
        self.site = site
        self.dir = tempfile.mkdtemp(prefix="tagway-console-site-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.handover = handover
        self.reorder = reorder
        self.process = None

    def _start(self):
        token_file = self.write_token_file()
        config = "\n".join([
            f"site: {self.site}",
            f"nats: {{ servers: [{self.nats.url}] }}",
            f"stream: {STREAM}",
            "bucket: { replicas: 1, leaseTTL: 10s }",
            f"view: {{ handoverWindow: {self.handover}, reorderWindow: {self.reorder}, gapTimeout: 10s, maxClockSkew: 5s }}",
            "events:",
            f"  stream: {{ name: TAGWAY_SITE_{self.site}, replicas: 1, duplicateWindow: 2m }}",
            f'api: {{ listen: "127.0.0.1:{self.port}", tokens: ["file:{token_file}"] }}',
        ]) + "\n"
        self.config_file = os.path.join(self.dir, "site.yaml")
        with open(self.config_file, "w") as f:
            f.write(config)
        self.log_path = os.path.join(self.dir, "site.log")
        with open(self.log_path, "w") as output:
            self.process = subprocess.Popen([BINARY, "site", "--config", self.config_file, "--ack-wait", "5"],
                                            stdout=subprocess.DEVNULL, stderr=output, start_new_session=True)
        role = "another process holds the lease; standing by" if self.standby else ": active (lease"
        wait_for(lambda: "pull API listening" in self.log and role in self.log, 30,
                 "the site's API and its role", self.process, lambda: self.log)

    @property
    def log(self):
        return read(self.log_path)

    def stop(self):
        stop_process(self.process)
        self.process = None
        shutil.rmtree(self.dir, ignore_errors=True)


def start_fleet(test_class, site_id, dock_lines, store_lines):
    """The site the console tests read: a NATSServer, two real gateways (gw-dock with reader
    dock-r at read point `dock`, gw-store with store-r at `shelves`, each its own zone, departures
    after 2 s) whose JetStream sinks feed it, and a `tagway site` over them; each stopped by the
    class's cleanups. Sets test_class.nats, .gateways and .site."""
    test_class.nats = NATSServer().start()
    test_class.addClassCleanup(test_class.nats.stop)
    dock = Reader("dock-r", dock_lines, read_point="dock")
    store = Reader("store-r", store_lines, read_point="shelves")
    test_class.gateways = []
    for id, reader, zone in [("gw-dock", dock, "dock"), ("gw-store", store, "shelves")]:
        gateway = Gateway([reader], [f"  - {{ id: {zone}, readPoints: [{zone}] }}"], extra=test_class.nats.sink(), id=id,
                          site=site_id, depart_after="2s")
        test_class.addClassCleanup(gateway.stop)
        test_class.gateways.append(gateway.start())
    test_class.site = Site(test_class.nats, site_id)
    test_class.addClassCleanup(test_class.site.stop)
    test_class.site.start()
