"""A smoke test of ``manage.py benchmark`` at the smallest size, without the load run (the
full benchmark is run by hand, not in CI; see the README)."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from partnership.benchmark.load import Result

LINE = re.compile(r"^[a-z0-9_]+: \S")


@pytest.mark.django_db(transaction=True)
def test_benchmark_prints_one_name_value_line_per_figure(settings):
    settings.DEBUG = True  # seed_demo's demo accounts are refused with DEBUG off
    out = io.StringIO()
    call_command("benchmark", "--here", "--quick", "--sizes=1", "--no-load", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines and all(LINE.match(line) for line in lines), lines
    figures = dict(line.split(": ", 1) for line in lines)
    assert float(figures["healthz_seconds"]) > 0
    assert int(figures["queries_home_seed"]) > 0
    assert figures["queries_home_constant"] == "yes"


def test_benchmark_refuses_a_database_not_named_for_it():
    with pytest.raises(CommandError, match="bench"):
        call_command("benchmark", "--database-url=postgres://iop:iop@127.0.0.1:5432/iop")


def test_percentiles_are_nearest_rank():
    result = Result(latencies=[i / 1000 for i in range(1, 101)], errors=0, wall=1)
    assert result.p95 == pytest.approx(0.095)
    assert result.p50 == pytest.approx(0.0505)
    assert Result(latencies=[0.2], errors=0, wall=1).p95 == 0.2


def test_throughput_is_answered_requests_per_second():
    result = Result(latencies=[0.1] * 30, errors=2, wall=3.0)
    assert result.throughput == pytest.approx(10.0)
