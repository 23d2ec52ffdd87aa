"""A bounded load run against gunicorn on loopback: N client threads, each sending at most M
requests, all stopping at a hard deadline. Only 127.0.0.1 is ever a target."""

import contextlib
import http.client
import math
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

HOST = "127.0.0.1"
# The README's production command line; the benchmark measures what operators are told to run.
DEFAULT_WORKERS = 3
DEFAULT_THREADS = 1


@dataclass
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: dict = field(default_factory=dict)
    expect: int = 200


@dataclass
class Result:
    latencies: list  # seconds, of the answered requests
    errors: int
    wall: float

    def percentile(self, p):
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)  # nearest rank
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    @property
    def p50(self):
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p95(self):
        return self.percentile(95)

    @property
    def throughput(self):
        """Answered requests per second of the run's wall time: the server's capacity for
        this page when the clients never pause (latency is then about clients / this)."""
        return len(self.latencies) / self.wall if self.wall else float("nan")


@dataclass
class Server:
    port: int
    pid: int


def summarise(name, rounds, cpu_uses, base=None):
    """The ``load_<name>_…`` figures of one page from its rounds (``Result``s) and the CPU
    used in each (``CpuUse`` or None): totals of requests and errors, the median round's
    p50, p95 and throughput, the best and worst p95, the p95 as a ratio to ``base`` (the
    healthz p95, seconds) and the CPU per answered request of each part (over the rounds
    where the CPU could be read)."""
    p95s = [r.p95 * 1000 for r in rounds]
    answered = sum(len(r.latencies) for r in rounds)
    errors = sum(r.errors for r in rounds)
    prefix = f"load_{name}_"
    figures = [
        ("requests", answered + errors),
        ("p50_ms", statistics.median(r.p50 * 1000 for r in rounds)),
        ("p95_ms", statistics.median(p95s)),
        ("p95_ms_best", min(p95s)),
        ("p95_ms_worst", max(p95s)),
        ("errors", errors),
        ("per_second", statistics.median(r.throughput for r in rounds)),
    ]
    if base:
        figures.append(("p95_ratio", statistics.median(p95s) / 1000 / base))
    measured = [(r, u) for r, u in zip(rounds, cpu_uses, strict=True) if u is not None]
    answered_measured = sum(len(r.latencies) for r, _u in measured) or 1
    for part in CpuUse.__dataclass_fields__ if measured else ():
        seconds = sum(getattr(u, part) for _r, u in measured)
        figures.append((f"cpu_ms_{part}", seconds * 1000 / answered_measured))
    return [(prefix + figure, value) for figure, value in figures]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def run_load(port, requests_for_client, *, clients, per_client, time_limit) -> Result:
    """``requests_for_client(i)`` gives client i's Request (with its own cookies). Every
    client sends ``per_client`` requests one after another, on one connection where the
    server keeps it alive (gthread workers) and a new one per request where it does not
    (sync workers); the run ends when all are done or at ``time_limit`` seconds, whichever
    comes first."""
    latencies, errors = [], [0]
    lock = threading.Lock()
    start = threading.Barrier(clients)
    deadline = [0.0]

    def client(i):
        req = requests_for_client(i)
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        mine, failed = [], 0
        start.wait()
        if i == 0:
            deadline[0] = time.monotonic() + time_limit
        while not deadline[0]:
            time.sleep(0.001)
        for _ in range(per_client):
            if time.monotonic() > deadline[0]:
                break
            t0 = time.perf_counter()
            try:
                conn.request(req.method, req.path, body=req.body, headers=req.headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == req.expect
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
            elapsed = time.perf_counter() - t0
            if ok:
                mine.append(elapsed)
            else:
                failed += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(time_limit + 60)
    # From the moment all clients were released (the deadline was set then) to the last answer.
    began = deadline[0] - time_limit if deadline[0] else time.monotonic()
    return Result(latencies=latencies, errors=errors[0], wall=time.monotonic() - began)


# Where the CPU goes during a load run ---------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_stat(pid):
    """(parent pid, command name, CPU seconds of the process and of its ended children)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    # After the name: state, ppid, …; utime, stime, cutime, cstime are fields 14–17 of stat(5).
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))
    return int(fields[1]), name, ticks / _TICK


@dataclass
class CpuUse:
    """CPU seconds spent during a run by gunicorn (master and workers), PostgreSQL (every
    ``postgres`` process), the load generator (this process) and the whole machine."""

    server: float
    database: float
    client: float
    machine: float


class CpuMeter:
    """Reads /proc before and after a run (Linux; elsewhere ``used`` stays None). Processes
    that end during the run count through their parent's "children" time (gunicorn's master,
    PostgreSQL's postmaster)."""

    available = Path("/proc/stat").exists()

    def __init__(self, server_pid):
        self.server_pid = server_pid

    def _snapshot(self):
        stats = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and (stat := _proc_stat(entry.name)) is not None:
                stats[int(entry.name)] = stat
        server = database = 0.0
        for pid, (ppid, name, cpu) in stats.items():
            if pid == self.server_pid or ppid == self.server_pid:
                server += cpu
            elif name == "postgres":
                database += cpu
        with open("/proc/stat") as f:
            busy = f.readline().split()[1:]
        # user nice system idle iowait irq softirq steal: all but idle and iowait.
        machine = sum(int(v) for i, v in enumerate(busy[:8]) if i not in (3, 4)) / _TICK
        return CpuUse(server, database, time.process_time(), machine)

    def __enter__(self):
        self._start = self._snapshot() if self.available else None
        self.used = None
        return self

    def __exit__(self, *exc):
        if self._start is not None:
            end = self._snapshot()
            self.used = CpuUse(
                *(getattr(end, f) - getattr(self._start, f) for f in CpuUse.__dataclass_fields__)
            )


@contextlib.contextmanager
def gunicorn(database_url, *, workers=DEFAULT_WORKERS, threads=DEFAULT_THREADS):
    """gunicorn serving the project with production settings (DEBUG off, WhiteNoise, static
    files collected into a temporary folder) on a free loopback port. Yields its ``Server``
    (port and process id); stops
    the server on exit."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="iop-bench-") as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DEBUG": "False",
            # The same key as this process, so sessions made here are valid there.
            "SECRET_KEY": settings.SECRET_KEY or secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "False",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": str(Path(tmp) / "static"),
            "CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
            "IOP_READ_DOT_ENV": "False",
        }
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        subprocess.run(
            [sys.executable, manage, "collectstatic", "--noinput", "-v0"],
            env=env,
            check=True,
        )
        log = open(Path(tmp) / "gunicorn.log", "w")  # noqa: SIM115 - closed below
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                f"--bind={HOST}:{port}",
                f"--workers={workers}",
                f"--threads={threads}",
                "--worker-class=" + ("gthread" if threads > 1 else "sync"),
                "--keep-alive=5",
                "--log-level=warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_up(port, process)
            yield Server(port=port, pid=process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
            log.close()


def _wait_until_up(port, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz in time")
