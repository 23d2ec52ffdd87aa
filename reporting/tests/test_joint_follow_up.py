"""What the report carries of the joint follow-up: each party's follow-up of its commitments
beside the activities logged for them, the period's meetings and decisions, the open action
items, the lessons of the learning log, and for each flagged budget line the decision that
approved its deviation or the statement that none did; all frozen and read back from the
PDF."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dialogue import services as dialogue
from reporting import services
from reporting.figures import flagged_lines, report_figures
from reporting.models import CommitmentFollowUp
from reporting.tests.factories import write_report

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")


def test_the_report_carries_both_parties_follow_up_and_the_dialogue(
    agreement, logged, report, staff_user, coordinator, english
):
    association = agreement.parties.get(role="idea_driven")
    municipality = agreement.parties.get(role="public")
    meeting = dialogue.save_meeting(
        agreement=agreement,
        date=date(2019, 6, 10),
        kind="follow_up",
        organisations=[association.organisation, municipality.organisation],
        minutes="Only the decisions reach the report.",
    )
    dialogue.save_decision(
        meeting=meeting,
        text="The parties approve the early spending on activities.",
        budget_line=agreement.budget_lines.get(text="Activities"),
    )
    dialogue.save_action_item(
        agreement=agreement, meeting=meeting, text="Book the autumn study visit", party=municipality
    )
    done = dialogue.save_action_item(agreement=agreement, text="Print flyers", party=association)
    dialogue.set_action_item_done(item=done, done=True)  # done today: after the period
    dialogue.save_learning_entry(
        agreement=agreement,
        party=municipality,
        date=date(2019, 7, 1),
        theme="method",
        text="Monthly follow-up meetings keep both sides informed.",
    )
    dialogue.save_meeting(agreement=agreement, date=date(2019, 9, 5), kind="other")  # later

    figures = report_figures(report)
    flagged = {line["text"]: line for line in flagged_lines(figures)}
    assert set(flagged) == {"Staff", "Activities"}
    assert [d["date"] for d in flagged["Activities"]["approved_by"]] == ["2019-06-10"]
    assert flagged["Staff"]["approved_by"] == []
    # The period's meetings: this one and the logged data's (2019-07-01), not the later one.
    assert [m["date"] for m in figures["dialogue"]["meetings"]] == ["2019-06-10", "2019-07-01"]
    # Open on the report's date (2019-08-31): both, the one done today included.
    assert {i["text"] for i in figures["dialogue"]["open_action_items"]} == {
        "Book the autumn study visit",
        "Print flyers",
        "Do",
    }

    write_report(report, "The café was open.", lessons_learned="We learnt to plan together.")
    municipal = agreement.commitments.get(party=municipality)
    services.write_follow_up(
        report=report,
        commitment=municipal,
        user=coordinator,
        role="coordinator",
        status=CommitmentFollowUp.Status.FULFILLED,
        account="The municipal resource met the young adults weekly.",
    )
    version = services.submit_report(report=report, user=staff_user, language="en")
    text = _text(version.pdf_bytes())
    assert "Follow-up of the commitments" in text
    assert "Fulfilled" in text and "The municipal resource met the young adults weekly." in text
    assert municipal.text.split()[0] in text
    assert "Meetings in the period and their decisions" in text
    assert "The parties approve the early spending on activities." in text
    assert "Only the decisions reach the report." not in text  # the minutes stay in the log
    assert "Book the autumn study visit" in text
    assert "Approved by the decision of 2019-06-10:" in text
    assert "No decision of the parties approves this deviation." in text
    assert "From the learning log" in text
    assert "Monthly follow-up meetings keep both sides informed." in text
    # Frozen: a later decision does not change the submitted version.
    frozen = version.figures
    dialogue.save_decision(
        meeting=meeting, text="Later.", budget_line=agreement.budget_lines.get(text="Staff")
    )
    assert version.figures == frozen


def test_staff_cannot_write_the_municipalitys_follow_up(agreement, report, staff_user):
    from django.core.exceptions import PermissionDenied

    municipal = agreement.commitments.get(party__role="public")
    with pytest.raises(PermissionDenied):
        services.write_follow_up(
            report=report,
            commitment=municipal,
            user=staff_user,
            role="staff",
            status="fulfilled",
            account="x",
        )
    assert not CommitmentFollowUp.objects.exists()


def test_goals_and_indicators_in_the_report_from_the_logs_and_as_entered(
    agreement, logged, report, staff_client, english
):
    from partnership.models import Goal, Indicator
    from reporting.figures import iso_weeks
    from reporting.pdf import render_report_pdf

    goal = Goal.objects.create(agreement=agreement, text="Better conditions for young adults.")
    per_week = Indicator.objects.create(
        goal=goal,
        name="Visits per week",
        unit="visits",
        baseline=100,
        target=100,
        origin="visits_per_week",
    )
    housed = Indicator.objects.create(
        goal=goal, name="Found housing", unit="people", origin="entered", order=2
    )
    Indicator.objects.create(
        goal=goal,
        name="Homework help",
        unit="activities",
        origin="activities",
        activity_type="homework_help",
        order=3,
    )

    # The edit page asks for the entered indicator's count; a negative one is refused.
    url = reverse("reporting:report_edit", args=[report.pk])
    field = f"indicator_{housed.pk}"
    assert f'name="{field}"' in staff_client.get(url).content.decode()
    assert staff_client.post(url, {"summary": "x", field: "-1"}).status_code == 200
    assert not report.indicator_values.exists()
    staff_client.post(url, {"summary": "x", field: "3"})
    assert report.indicator_values.get().value == 3

    rows = {row["name"]: row for row in report_figures(report)["indicators"]}
    weeks = len(iso_weeks(date(2019, 4, 1), date(2019, 8, 31)))
    assert rows["Visits per week"]["outcome"] == round(53 / weeks, 1)
    assert (
        rows["Homework help"]["outcome"]
        == agreement.activities.filter(type="homework_help").count()
        == 1
    )
    # Three people is a count about people under the threshold: published as "< 5".
    assert rows["Found housing"]["outcome"] == "< 5"
    text = _text(render_report_pdf(report, "en"))
    assert "Goals and indicators" in text and "Visits per week" in text and "< 5" in text
    assert per_week.pk == rows["Visits per week"]["pk"]


def test_a_busy_period_prints_a_bounded_dialogue(agreement, report, staff_user, english):
    """However many meetings, decisions, open action items and lessons a period holds, and
    however long their texts, the report prints the latest meetings with their first decisions,
    the items due first and the latest lessons, each text cut between words: a PDF costs what
    it prints (issue 17). The dialogue log keeps them whole."""
    from reporting.figures import PRINTED, PRINTED_TEXT

    association = agreement.parties.get(role="idea_driven")
    long = " ".join(["samverkan"] * 160)  # 1 599 characters
    meetings = []
    for day in range(1, PRINTED["meetings"] + 3):
        meeting = dialogue.save_meeting(
            agreement=agreement,
            date=date(2019, 5, day),
            kind="cooperation",
            organisations=[association.organisation],
        )
        for n in range(PRINTED["decisions"] + 2):
            dialogue.save_decision(meeting=meeting, text=f"Decision {day}.{n} {long}"[:1500])
        meetings.append(meeting)
    for n in range(PRINTED["open_action_items"] + 3):
        dialogue.save_action_item(agreement=agreement, text=f"Item {n:02}", party=association)

    d = report_figures(report)["dialogue"]
    assert d["shortened"]
    # The latest meetings, in date order; the first two days are left out.
    printed_days = [m["date"] for m in d["meetings"] if m["date"].startswith("2019-05")]
    assert printed_days == [f"2019-05-{day:02}" for day in range(3, PRINTED["meetings"] + 3)]
    for m in d["meetings"]:
        if m["date"].startswith("2019-05"):
            assert len(m["decisions"]) == PRINTED["decisions"]
            for text in m["decisions"]:
                assert len(text) <= PRINTED_TEXT and text.endswith("samverkan…")
    assert len(d["open_action_items"]) == PRINTED["open_action_items"]
    # The dialogue log still holds every decision whole.
    assert meetings[0].decisions.count() == PRINTED["decisions"] + 2
    assert len(meetings[0].decisions.first().text) == 1500

    write_report(report, "The café was open.")
    version = services.submit_report(report=report, user=staff_user, language="en")
    text = _text(version.pdf_bytes())
    last, left_out = (
        PRINTED["meetings"] + 2,
        PRINTED["decisions"],
    )  # the last day's, the first not printed
    assert f"Decision {last}.0 samverkan" in text and f"Decision {last}.{left_out}" not in text
    assert "Decision 1.0" not in text
    assert "The dialogue log and the auditor bundle hold them all, in full." in text


def test_the_table_of_activities_names_each_commitment_by_its_first_line(
    agreement, report, english
):
    """The follow-up prints each commitment whole; the table of activities per commitment
    names it by its first line, up to 80 characters, so a long commitment is printed once."""
    from reporting.pdf import render_report_html

    commitment = agreement.commitments.first()
    rest = "Together with the municipality's coordinator, " * 15
    commitment.text = f"Meet the young adults every week.\n{rest}and the churches of Frösön."
    commitment.save()
    figures = report_figures(report)
    row = next(c for c in figures["activities"]["commitments"] if c["text"] == commitment.text)
    assert row["short"] == "Meet the young adults every week."
    html = render_report_html(report, "en", figures=figures).replace("&#x27;", "'")
    assert html.count("Meet the young adults every week.") == 2  # the follow-up, the table
    assert html.count("and the churches of Frösön.") == 1


def test_each_indicator_has_a_small_chart_of_its_numbers(agreement, report, staff_client, english):
    """One chart per indicator with two numbers to compare: its bars named Baseline, Target
    and Outcome, each value printed just after its bar (not over it) and no value axis (whose
    labels were cut to "…"); an indicator with only an outcome (the table holds it) or with
    nothing to draw has no chart."""
    import re

    from partnership.models import Goal, Indicator

    goal = Goal.objects.create(agreement=agreement, text="Better conditions for young adults.")
    Indicator.objects.create(
        goal=goal, name="Study visits", unit="visits", baseline=120, target=150, origin="entered"
    )
    Indicator.objects.create(goal=goal, name="Found housing", unit="people", origin="entered")
    Indicator.objects.create(
        goal=goal, name="Visits", unit="visits", origin="activities", activity_type="meeting"
    )

    page = staff_client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    charts = re.findall(r'<figure class="chart small">(.*?)</figure>', page, re.S)
    assert len(charts) == 1
    chart = charts[0]
    assert "<figcaption>Study visits</figcaption>" in chart
    texts = [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", chart)]
    assert sorted(texts) == sorted(["Baseline", "Target", "120", "150"])
    # Each value starts after the end of its bar, inside the chart.
    bars = re.findall(r'<rect x="([\d.]+)" y="[^"]*" rx="0" ry="0" width="([\d.]+)"', chart)
    values = re.findall(r'<text text-anchor="middle" x="([\d.]+)"[^>]*class="value"', chart)
    assert len(bars) == len(values) == 2
    outcomes = {row["name"]: row["outcome"] for row in report_figures(report)["indicators"]}
    assert isinstance(outcomes["Visits"], int)  # only an outcome: in the table, no chart
    ends = sorted(float(x) + float(width) for x, width in bars)
    assert all(
        end < float(x) < 300 for end, x in zip(ends, sorted(map(float, values)), strict=True)
    )
    assert ".indicator-chart .text-overlay text.value{text-anchor:start}" in chart
