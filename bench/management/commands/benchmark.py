"""``manage.py benchmark``: how fast the product is, on data of a known size.

Builds data with ``seed_demo`` and ``demo_data`` in a dedicated database, then prints one
``name: value`` line per figure: the final report's render time as PDF and as HTML on the
seed data; queries per main page at the seed data, 1× and 10×; at 1× and 10×, each main
page's time for one client as a ratio to ``/healthz`` (the smallest Django view that touches
the database) and each list's as a ratio to Django admin's change list of the same rows,
the two sides requested in turn, because absolute times on a shared machine drift; and latency
under concurrent clients against gunicorn. See the README's Benchmark section.
"""

import functools
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import environ
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.middleware.csrf import CSRF_ALLOWED_CHARS
from django.test import Client
from django.utils.crypto import get_random_string

from bench import load, measure
from bench.scenario import (
    COUNTED_MODELS,
    NARRATIVE_SHAPES,
    Scenario,
    build,
    pdf_at_maxima_seconds,
)

DEFAULT_DATABASE_URL = "postgres://iop:iop@127.0.0.1:5432/iop_bench"
TARGETS = (
    "final report pdf <= 1 s, html <= 0.2 s; report pdf at every maximum <= 2 s; "
    "ratio_<list>_to_admin <= 1; "
    "ratio_<page>_to_healthz <= 10; queries constant in data size; "
    "load p95 <= 300 ms, 0 errors, 0 taps lost"
)


class Command(BaseCommand):
    help = (
        "Measure render times, queries per page, page times against /healthz and Django "
        "admin, and latency under load on generated data, in a dedicated database that is "
        "dropped and created anew (default "
        f"{DEFAULT_DATABASE_URL}; its name must contain 'bench')."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
        parser.add_argument(
            "--sizes",
            default="100,1000",
            help="Agreements added for 1× and 10× data (comma separated; default 100,1000).",
        )
        parser.add_argument(
            "--quick", action="store_true", help="Only the 1× step, and a shorter load run."
        )
        parser.add_argument("--no-load", action="store_true", help="Skip the gunicorn load run.")
        parser.add_argument("--clients", type=int, default=20)
        parser.add_argument(
            "--workers",
            type=int,
            default=load.DEFAULT_WORKERS,
            help=f"gunicorn workers (default {load.DEFAULT_WORKERS}).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=load.DEFAULT_THREADS,
            help=f"Threads per gunicorn worker; 1 means sync workers (default "
            f"{load.DEFAULT_THREADS}).",
        )
        parser.add_argument(
            "--requests", type=int, default=25, help="Requests per client and page."
        )
        parser.add_argument(
            "--rounds",
            type=int,
            default=3,
            help="Load rounds over all pages; the median round is reported (default 3).",
        )
        parser.add_argument(
            "--time-limit", type=float, default=60, help="Hard limit in seconds per page."
        )
        parser.add_argument(
            "--here",
            action="store_true",
            help="Use the configured database as it is (for tests); it must be disposable.",
        )

    def handle(self, *args, **options):
        if not options["here"]:
            return self._rerun_in_fresh_database(options)
        sizes = [int(s) for s in options["sizes"].split(",") if s.strip()]
        if options["quick"]:
            sizes = sizes[:1]
            options["requests"] = min(options["requests"], 10)
        options["sizes"] = sizes
        self._run(**options)

    # The dedicated database ---------------------------------------------------------------
    def _rerun_in_fresh_database(self, options):
        url = options["database_url"]
        config = environ.Env.db_url_config(url)
        if "bench" not in config["NAME"]:
            raise CommandError("The benchmark database's name must contain 'bench'.")
        if not config["ENGINE"].endswith("postgresql"):
            raise CommandError("The benchmark runs on PostgreSQL (a postgres:// URL).")
        import psycopg

        with psycopg.connect(
            dbname="postgres",
            user=config["USER"],
            password=config["PASSWORD"],
            host=config["HOST"],
            port=config["PORT"] or 5432,
            autocommit=True,
        ) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{config["NAME"]}"')
        argv = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "benchmark", "--here"]
        for flag in ("quick", "no_load"):
            if options[flag]:
                argv.append("--" + flag.replace("_", "-"))
        for key in ("sizes", "clients", "requests", "time_limit", "workers", "threads", "rounds"):
            argv += ["--" + key.replace("_", "-"), str(options[key])]
        env = {**os.environ, "DATABASE_URL": url, "IOP_READ_DOT_ENV": "False"}
        env.setdefault("AXES_ENABLED", "False")
        result = subprocess.run(argv, env=env)
        if result.returncode:
            raise CommandError(f"benchmark failed ({result.returncode})")

    # The run -------------------------------------------------------------------------------
    def emit(self, name, value):
        if isinstance(value, float):
            value = f"{value:.4f}" if value < 10 else f"{value:.1f}"
        self.stdout.write(f"{name}: {value}")
        self.stdout.flush()

    def _run(
        self,
        *,
        sizes,
        no_load,
        clients,
        requests,
        time_limit,
        workers,
        threads,
        rounds,
        quick=False,
        **_options,
    ):
        self.emit("database", connection.vendor)
        self.emit("targets", TARGETS)
        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        build()
        self.emit("build_seconds_seed", time.perf_counter() - t0)
        self._data_size("seed")
        scenario = Scenario()
        pages = scenario.pages()
        client = functools.cache(measure.client_for)  # one logged-in client per user

        coordinator = client(scenario.coordinator)
        # The PDFs' figures are absolute times: the machine's speed is measured before and
        # after them, so that a figure from a slow spell can be told from a slow PDF.
        self.emit("machine_seconds_before_pdfs", measure.machine_seconds())
        # Laid out anew for each request, as after any change to the report: the PDF view
        # reuses a PDF made from the same HTML (reporting.pdf), which the second figure is.
        pdf_url = scenario.final_report_pdf_url()
        pdf = measure.seconds(coordinator, pdf_url, repeat=3, before=caches["pdfs"].clear)
        self.emit("final_report_pdf_seconds", pdf)
        self.emit("final_report_pdf_again_seconds", measure.seconds(coordinator, pdf_url))
        html = measure.seconds(coordinator, scenario.final_report_url())
        self.emit("final_report_html_seconds", html)
        for shape in NARRATIVE_SHAPES:
            wall, cpu, pdf_pages = pdf_at_maxima_seconds(
                scenario.final_report, shape, repeat=1 if quick else 3
            )
            self.emit(f"report_pdf_at_maxima_{shape}_seconds", wall)
            self.emit(f"report_pdf_at_maxima_{shape}_cpu_seconds", cpu)
            if pdf_pages:
                self.emit(f"report_pdf_at_maxima_{shape}_pages", pdf_pages)
        self.emit("machine_seconds_after_pdfs", measure.machine_seconds())

        counts = {}
        for label, size in [("seed", 0)] + [(f"{10**i}x", size) for i, size in enumerate(sizes)]:
            if size:
                t0 = time.perf_counter()
                build(agreements=size)
                self.emit(f"build_seconds_{label}", time.perf_counter() - t0)
                _settle()
                self._data_size(label)
            for page in pages:
                n = measure.count_queries(client(page.user), page.url, data=page.data)
                counts.setdefault(page.name, []).append(n)
                self.emit(f"queries_{page.name}_{label}", n)
            if size:
                self._ratios(scenario, pages, client, label)
        for name, values in counts.items():
            self.emit(f"queries_{name}_constant", "yes" if len(set(values)) == 1 else "NO")

        if not no_load:
            self._load(
                scenario,
                clients=clients,
                per_client=requests,
                time_limit=time_limit,
                workers=workers,
                threads=threads,
                rounds=rounds,
            )

    def _ratios(self, scenario, pages, client, label):
        """Each page's median time for one client as a ratio to /healthz, and each list's as a
        ratio to Django admin's change list of the same rows (seen by a superuser), each
        page requested in turn with what it is compared with."""
        healthz = (Client(), scenario.healthz_url(), None)
        healthz_times = []
        for page in pages:
            requests = [(client(page.user), page.url, page.data), healthz]
            if page.admin_url:
                requests.append((client(scenario.admin), page.admin_url, None))
            ours, healthz_time, *admin = measure.seconds_in_turn(*requests, repeat=9)
            healthz_times.append(healthz_time)
            self.emit(f"ratio_{page.name}_to_healthz_{label}", ours / healthz_time)
            if admin:
                self.emit(f"ratio_{page.name}_to_admin_{label}", ours / admin[0])
        self.emit(f"healthz_seconds_{label}", statistics.median(healthz_times))

    def _data_size(self, label):
        for model_label in COUNTED_MODELS:
            model = apps.get_model(model_label)
            self.emit(f"rows_{model._meta.model_name}_{label}", model.objects.count())

    # Load ----------------------------------------------------------------------------------
    def _load(self, scenario, *, clients, per_client, time_limit, workers, threads, rounds):
        url = _database_url()
        staff_cookies = [measure.client_for(scenario.staff).cookies for _ in range(clients)]
        pages = {page.name: page.url for page in scenario.pages()}
        cells = scenario.tally_cells()
        tap = scenario.tally_tap_url()
        runs = [
            ("healthz", lambda i: load.Request("GET", scenario.healthz_url())),
            ("dashboard", lambda i: _get(pages["home"], staff_cookies[i])),
            ("logging", lambda i: _get(pages["sessions"], staff_cookies[i])),
            ("tally", lambda i: _post(tap, staff_cookies[i], cells[i % len(cells)])),
        ]
        self.emit("load_clients", clients)
        self.emit("load_requests_per_client", per_client)
        self.emit("load_rounds", rounds)
        results = {name: [] for name, _make in runs}
        cpu = {name: [] for name, _make in runs}
        answered_taps = counted = 0
        with load.gunicorn(url, workers=workers, threads=threads) as server:
            port = server.port
            kind = f"{threads} threads each" if threads > 1 else "sync"
            self.emit("load_server", f"gunicorn 127.0.0.1:{port} ({workers} workers, {kind})")
            # Rounds of every page in turn: a slow spell of a shared machine then hits all
            # pages alike, and the median of the rounds is reported.
            for round_number in range(rounds):
                for name, make in runs:
                    if round_number == 0:
                        # Warm every worker's connection and caches first, unmeasured.
                        load.run_load(
                            port, make, clients=clients, per_client=2, time_limit=time_limit
                        )
                    before = scenario.visits_counted() if name == "tally" else 0
                    with load.CpuMeter(server.pid) as meter:
                        result = load.run_load(
                            port,
                            make,
                            clients=clients,
                            per_client=per_client,
                            time_limit=time_limit,
                        )
                    results[name].append(result)
                    cpu[name].append(meter.used)
                    if name == "tally":
                        counted += scenario.visits_counted() - before
                        answered_taps += len(result.latencies)
        base = statistics.median(r.p95 for r in results["healthz"])
        for name in results:
            for figure, value in load.summarise(
                name, results[name], cpu[name], base=None if name == "healthz" else base
            ):
                self.emit(figure, value)
        # Every answered +1 must be in the database: concurrent taps lose nothing.
        self.emit("load_tally_taps_counted", counted)
        self.emit("load_tally_taps_lost", answered_taps - counted)


def _settle():
    """After a bulk load, what an operator does after an import: VACUUM ANALYZE, so the
    planner knows the new row counts and autovacuum has no reason to start in the middle of
    the load run and take CPU from the server being measured."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _database_url():
    d = connection.settings_dict
    port = f":{d['PORT']}" if d.get("PORT") else ""
    return f"postgres://{d['USER']}:{d['PASSWORD']}@{d['HOST']}{port}/{d['NAME']}"


def _cookie_header(cookies, csrf=None):
    parts = [f"{settings.SESSION_COOKIE_NAME}={cookies[settings.SESSION_COOKIE_NAME].value}"]
    if csrf:
        parts.append(f"{settings.CSRF_COOKIE_NAME}={csrf}")
    return "; ".join(parts)


def _get(path, cookies):
    return load.Request("GET", path, headers={"Cookie": _cookie_header(cookies)})


def _post(path, cookies, data):
    csrf = get_random_string(32, CSRF_ALLOWED_CHARS)
    return load.Request(
        "POST",
        path,
        body=urlencode(data).encode(),
        headers={
            "Cookie": _cookie_header(cookies, csrf),
            "X-CSRFToken": csrf,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
