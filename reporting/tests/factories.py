"""Factories for report tests: logged sessions, counts and activities (no visitor data but
counts), and reports."""

from datetime import time

import factory

from reporting import services
from visits.models import Activity, AgeBand, OpeningHours, Session, Venue, VisitorCount


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Venue {n}")
    kind = Venue.Kind.MEETING_PLACE


class AgeBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgeBand

    label = factory.Sequence(lambda n: f"Band {n}")
    order = factory.Sequence(int)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    agreement = factory.LazyAttribute(lambda o: o.venue.agreement)
    start_time = time(14, 0)
    end_time = time(18, 0)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    type = Activity.Type.HOMEWORK_HELP

    @factory.post_generation
    def commitments(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.commitments.set(extracted)


def open_on(venue, *weekdays):
    for day in weekdays:
        OpeningHours.objects.create(venue=venue, weekday=day, opens=time(14), closes=time(18))


def log_visits(session, counts: dict):
    """``counts``: {(age_band, gender): n}."""
    VisitorCount.objects.bulk_create(
        VisitorCount(session=session, age_band=band, gender=gender, count=n)
        for (band, gender), n in counts.items()
    )


def write_report(report, summary="We opened the café.", **data):
    """Staff write the report: its summary (and any other ``data``) and a reason for every
    budget line, so that whichever lines its figures flag are explained."""
    reasons = {
        pk: f"Why {text} departs from its budget."
        for pk, text in report.agreement.budget_lines.values_list("pk", "text")
    }
    if not report.is_close_out:
        data = {
            "effects": "More young adults came back week after week.",
            "lessons_learned": "Planning together works.",
            "deviations": "The spending runs ahead of the budget in the spring.",
        } | data
    report = services.update_narrative(
        report=report, data={"summary": summary, **data}, reasons=reasons
    )
    if not report.is_close_out:
        follow_up_every_commitment(report)
    return report


def follow_up_every_commitment(report, status="under_way"):
    """Each party writes the follow-up of its own commitments."""
    from reporting.models import CommitmentFollowUp

    for commitment in report.agreement.commitments.select_related("party"):
        CommitmentFollowUp.objects.update_or_create(
            report=report,
            commitment=commitment,
            defaults={"status": status, "account": f"How “{commitment.short_text}” went."},
        )
