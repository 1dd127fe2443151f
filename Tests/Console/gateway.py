"""A real `tagway run` for the browser tests: simulated readers (`tagway simulate`, each on a pty
behind a link in a temp dir), a config with api.tokens, a free loopback port; all stopped and
removed in stop()."""

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from served import ServedProcess, read, stop_process, wait_for

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.path.abspath(os.environ.get("TAGWAY_BINARY", os.path.join(REPO, ".build", "debug", "tagway")))
TOKEN = "console-test-token-0123456789abcdef"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def epc(serial):
    """A GIAI-96 EPC (hex) with this serial: one asset per serial."""
    return "3414257BF40000000000" + format(serial, "04X")


class Reader:
    """One simulated reader: `antennas` maps antenna → read point (or readPoint for one);
    `script` is the scenario's lines (SECONDS VERB ARGS), timed from the simulator's start.
    With antennas the reader is a ThingMagic M6e Nano (the M100 module has one antenna)."""

    def __init__(self, id, script, read_point=None, antennas=None, extra=""):
        self.id = id
        self.extra = extra
        self.profile = "thingmagic/m6e-nano" if antennas else "magicrf/m100"
        self.script = script
        self.read_point = read_point
        self.antennas = antennas

    def config_line(self, dir):
        where = (f"antennas: {{ {', '.join(f'{a}: {p}' for a, p in self.antennas.items())} }}" if self.antennas
                 else f"readPoint: {self.read_point}")
        extra = f", {self.extra}" if self.extra else ""
        return f'  - {{ id: {self.id}, profile: {self.profile}, port: "{dir}/{self.id}", {where}{extra} }}'


class Gateway(ServedProcess):
    """`id`, `site` and `depart_after`: the site tests run two gateways of one site, whose assets
    must depart within seconds to be handed over."""

    token = TOKEN

    def __init__(self, readers, zones, extra="", tokens=True, id="console-test", site=None, depart_after="30s"):
        self.id = id
        self.site = site
        self.depart_after = depart_after
        self.readers = readers
        self.zones = zones
        self.extra = extra
        self.tokens = tokens
        self.dir = tempfile.mkdtemp(prefix="tagway-console-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.sims = []
        self.process = None
        self.started = None

    # MARK: start and stop

    def _start(self):
        token_file = self.write_token_file()
        devices = os.path.join(REPO, "devices")
        # The simulators first: their links must exist when the gateway opens the ports.
        self.started = time.time()
        for reader in self.readers:
            script = os.path.join(self.dir, f"{reader.id}.scenario")
            with open(script, "w") as f:
                f.write("\n".join(reader.script) + "\n")
            with open(os.path.join(self.dir, f"{reader.id}.sim.log"), "w") as output:
                self.sims.append(subprocess.Popen(
                    [BINARY, "simulate", "--profile", reader.profile, "--scenario", script,
                     "--link", os.path.join(self.dir, reader.id), "--devices", devices],
                    stdout=output, stderr=subprocess.STDOUT, start_new_session=True))
        wait_for(lambda: all(os.path.exists(os.path.join(self.dir, r.id)) for r in self.readers), 10,
                 "the simulated readers' ports", None, lambda: self.log)
        api = f'api: {{ listen: "127.0.0.1:{self.port}"' + (f', tokens: ["file:{token_file}"]' if self.tokens else "") + " }"
        config = "\n".join([
            f'gateway: {{ id: {self.id}, ' + (f"site: {self.site}, " if self.site else "")
            + f'dataDir: "{self.dir}/data", devicesDir: "{devices}", durability: normal }}',
            f"debounce: {{ departAfter: {self.depart_after} }}",
            "readers:",
            *[r.config_line(self.dir) for r in self.readers],
            "zones:",
            *self.zones,
            api,
            "logging: { level: info }",
            self.extra,
        ]) + "\n"
        self.config_file = os.path.join(self.dir, "gateway.yaml")
        with open(self.config_file, "w") as f:
            f.write(config)
        self.stderr_path = os.path.join(self.dir, "gateway.log")
        with open(self.stderr_path, "w") as output:
            self.process = subprocess.Popen([BINARY, "run", "--config", self.config_file],
                                            stdout=subprocess.DEVNULL, stderr=output, start_new_session=True)
        wait_for(lambda: all(f"reader {r.id}: connected" in self.log for r in self.readers)
                 and "pull API listening" in self.log, 30, "the gateway's readers and API (tagway run)", self.process,
                 lambda: self.log)

    @property
    def log(self):
        return read(self.stderr_path) if hasattr(self, "stderr_path") else ""

    def stop(self):
        for process in ([self.process] if self.process else []) + self.sims:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in ([self.process] if self.process else []) + self.sims:
            stop_process(process)
        self.process = None
        self.sims = []
        shutil.rmtree(self.dir, ignore_errors=True)

    def scenario_time(self, seconds):
        """Wall-clock time (time.time()) at which the simulators play the step at `seconds`."""
        return self.started + seconds

    def cpu_seconds(self):
        """utime + stime of `tagway run` so far (from /proc/<pid>/stat)."""
        with open(f"/proc/{self.process.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def iso_to_epoch(iso):
    """Seconds since 1970 of the event contract's UTC time (2026-12-02T06:00:00.123Z)."""
    m = re.match(r"(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)(?:\.(\d+))?Z$", iso)
    if not m:
        raise ValueError(iso)
    import calendar
    y, mo, d, h, mi, s = (int(x) for x in m.groups()[:6])
    frac = float("0." + m.group(7)) if m.group(7) else 0.0
    return calendar.timegm((y, mo, d, h, mi, s)) + frac
