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
