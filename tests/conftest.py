"""A populated world for the project-wide security tests.

``world`` gives two agreements of two pairs of organisations, each with one object of every
kind (venue, session with counts, activity, payment, expense, …). Every text of agreement A
carries the marker ``ALPHA_MARKER`` so a test can assert that none of it leaks to a user of the
other organisation. New kinds of objects are added in ``populate()`` as the features land.
"""

from datetime import date, time
from decimal import Decimal

import pytest

from partnership.models import Expense, InKindContribution, Payment
from tests.urlwalk import ObjectMap
from visits.models import Activity, AgeBand, OpeningHours, Session, Venue, VisitorCount

ALPHA_MARKER = "Zq7AlphaSecret"


def populate(agreement, *, marker: str, user=None) -> dict:
    """One object of every kind under ``agreement``, texts marked with ``marker``."""
    agreement.title = f"{marker} agreement title"
    agreement.background = f"{marker} background"
    agreement.save()
    venue = Venue.objects.create(
        agreement=agreement, name=f"{marker} café", kind=Venue.Kind.MEETING_PLACE
    )
    OpeningHours.objects.create(venue=venue, weekday=0, opens=time(14), closes=time(20))
    age_band = AgeBand.objects.create(agreement=agreement, label=f"{marker} 18–20", order=1)
    session = Session.objects.create(
        agreement=agreement,
        venue=venue,
        date=date(2019, 5, 6),
        start_time=time(14),
        end_time=time(20),
        staff_on_duty=2,
        note=f"{marker} session note",
        created_by=user,
    )
    count = VisitorCount.objects.create(session=session, age_band=age_band, gender="woman", count=7)
    activity = Activity.objects.create(
        agreement=agreement,
        date=date(2019, 5, 7),
        type=Activity.Type.HOMEWORK_HELP,
        venue=venue,
        participants=4,
        description=f"{marker} activity description",
        created_by=user,
    )
    activity.commitments.set(agreement.commitments.all()[:1])
    payment = Payment.objects.create(
        agreement=agreement,
        date=date(2019, 5, 2),
        amount=Decimal("250000"),
        reference=f"{marker} payment ref",
        note=f"{marker} payment note",
    )
    budget_line = agreement.budget_lines.first()
    expense = Expense.objects.create(
        agreement=agreement,
        budget_line=budget_line,
        date=date(2019, 5, 8),
        amount=Decimal("1200"),
        description=f"{marker} expense description",
        voucher_reference=f"{marker}-V1",
    )
    contribution = InKindContribution.objects.create(
        agreement=agreement,
        kind=InKindContribution.Kind.VOLUNTEER,
        date=date(2019, 5, 9),
        hours=Decimal("3"),
        description=f"{marker} in-kind description",
    )
    report, version = _submitted_report(agreement, marker=marker, user=user)
    return {
        "agreement": agreement,
        "report": report,
        "version": version,
        "venue": venue,
        "contribution": contribution,
        "age_band": age_band,
        "session": session,
        "count": count,
        "visitor_count": count,
        "activity": activity,
        "payment": payment,
        "expense": expense,
        "budget_line": budget_line,
        "line": budget_line,
        "commitment": agreement.commitments.first(),
        "deadline": agreement.deadlines.first(),
        "party": agreement.parties.first(),
    }


def _submitted_report(agreement, *, marker, user):
    """The interim report, submitted as version 1 (with a stand-in PDF: WeasyPrint is slow)."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from reporting.figures import report_figures
    from reporting.models import Report, ReportVersion, canonical_json
    from reporting.services import ensure_reports, update_narrative

    report = next(r for r in ensure_reports(agreement) if r.deadline.kind == "interim")
    report = update_narrative(report=report, data={"summary": f"{marker} report summary"})
    pdf = b"%PDF-1.4\n% " + marker.encode() + b"\n"
    version = ReportVersion(
        report=report,
        number=1,
        narrative_json=canonical_json(report.narrative()),
        figures_json=canonical_json(report_figures(report)),
        sha256=hashlib.sha256(pdf).hexdigest(),
        submitted_by=user,
        submitted_at=timezone.now(),
    )
    version.pdf.save("report.pdf", ContentFile(pdf), save=False)
    version.save()
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED)
    report.refresh_from_db()
    return report, version


@pytest.fixture
def world(
    agreement, other_agreement, staff_user, coordinator, outsider_staff, outsider_coordinator
):
    """Agreement A (``agreement``, marked) and B (``other_agreement``), both populated."""
    a = populate(agreement, marker=ALPHA_MARKER, user=staff_user)
    b = populate(other_agreement, marker="Beta", user=outsider_staff)
    return {"a": a, "b": b, "objects_a": ObjectMap(a), "objects_b": ObjectMap(b)}
