"""A smoke test of ``manage.py benchmark`` at the smallest size, without the load run (the
full benchmark is run by hand, not in CI; see the README)."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpResponse

from bench import measure
from bench.load import Result

LINE = re.compile(r"^[a-z0-9_]+: \S")


@pytest.mark.django_db(transaction=True)
def test_benchmark_prints_one_name_value_line_per_figure(settings):
    settings.DEBUG = True  # seed_demo's demo accounts are refused with DEBUG off
    out = io.StringIO()
    call_command("benchmark", "--here", "--quick", "--sizes=1", "--no-load", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines and all(LINE.match(line) for line in lines), lines
    figures = dict(line.split(": ", 1) for line in lines)
    assert len(figures) == len(lines)  # no figure printed twice
    assert float(figures["final_report_pdf_seconds"]) > 0
    assert float(figures["final_report_pdf_again_seconds"]) > 0
    assert float(figures["machine_seconds_before_pdfs"]) > 0
    assert float(figures["machine_seconds_after_pdfs"]) > 0
    assert float(figures["final_report_html_seconds"]) > 0
    for shape in ("paragraphs", "lines"):
        assert float(figures[f"report_pdf_at_maxima_{shape}_seconds"]) > 0
        assert int(figures[f"report_pdf_at_maxima_{shape}_pages"]) > 1
    assert float(figures["healthz_seconds_1x"]) > 0
    pages = ("home", "agreement", "sessions", "activities", "tally", "tally_tap", "budget")
    for page in (*pages, "expenses", "report"):
        assert int(figures[f"queries_{page}_seed"]) > 0
        assert figures[f"queries_{page}_constant"] in ("yes", "NO")
        assert float(figures[f"ratio_{page}_to_healthz_1x"]) > 0
    for page in ("sessions", "activities", "expenses"):
        assert float(figures[f"ratio_{page}_to_admin_1x"]) > 0
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


def test_rounds_are_summarised_by_their_median_and_range():
    from bench.load import CpuUse, summarise

    rounds = [
        Result(latencies=[0.1] * 19 + [0.3], errors=0, wall=2.0),  # p95 100 ms, 10/s
        Result(latencies=[0.2] * 20, errors=1, wall=4.0),  # p95 200 ms, 5/s
        Result(latencies=[0.1] * 18 + [0.4] * 2, errors=0, wall=1.0),  # p95 400 ms, 20/s
    ]
    cpu = [CpuUse(server=0.6, database=0.06, client=0.03, machine=0.9), None, None]
    figures = dict(summarise("tally", rounds, cpu, base=0.02))
    assert figures["load_tally_requests"] == 61 and figures["load_tally_errors"] == 1
    assert figures["load_tally_p95_ms"] == pytest.approx(200)
    assert figures["load_tally_p95_ms_best"] == pytest.approx(100)
    assert figures["load_tally_p95_ms_worst"] == pytest.approx(400)
    assert figures["load_tally_per_second"] == pytest.approx(10)
    assert figures["load_tally_p95_ratio"] == pytest.approx(10)
    # CPU per answered request of the rounds with a reading (the first: 20 answers).
    assert figures["load_tally_cpu_ms_server"] == pytest.approx(30)
    assert figures["load_tally_cpu_ms_machine"] == pytest.approx(45)
    assert "load_healthz_p95_ratio" not in dict(summarise("healthz", rounds, [None] * 3))


def test_requests_measured_in_turn_take_turns():
    asked = []

    class Recorder:
        def get(self, url):
            asked.append(url)
            return HttpResponse()

    medians = measure.seconds_in_turn((Recorder(), "/a", None), (Recorder(), "/b", None), repeat=2)
    assert len(medians) == 2 and all(m >= 0 for m in medians)
    assert asked == ["/a", "/b"] * 3  # a warm-up each, then two rounds in turn


def test_the_narrative_at_its_maximum_is_what_the_report_accepts():
    from bench.scenario import NARRATIVE_SHAPES, narrative_at_maximum
    from reporting.models import Report

    field = Report._meta.get_field("summary")
    for shape in NARRATIVE_SHAPES:
        text = narrative_at_maximum(shape)["summary"]
        field.clean(text, None)  # accepted
        assert len(text) > field.max_length - 100
        if shape == "lines":
            assert text.count("\n") + 1 == field.max_lines


@pytest.mark.django_db
def test_the_report_at_maxima_is_rolled_back(agreement):
    from bench.scenario import report_at_maxima
    from reporting.services import reports_of

    report = reports_of(agreement)[0]
    title = agreement.title
    with report_at_maxima(report) as filled:
        assert len(filled.agreement.title) == 300
        filled.agreement.full_clean()
    agreement.refresh_from_db()
    assert agreement.title == title
