"""No write is lost when people act at once (PostgreSQL, real threads and connections).

SQLite serialises all writers, so these run only on PostgreSQL, the production database."""

import threading
from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from partnership.models import LockedPeriod
from partnership.tests.factories import AgreementFactory, UserFactory
from reporting.models import Report, ReportVersion
from reporting.services import approve_report, reports_of, submit_report
from reporting.tests.factories import write_report
from tests.conftest import fast_pdf
from visits.models import AgeBand, Session, Venue, VisitorCount
from visits.services import increment_count

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_in_threads(n, work):
    """Run ``work(i)`` in ``n`` threads that start together; return results and errors."""
    barrier = threading.Barrier(n)
    results, errors = [None] * n, []

    def target(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return results, errors


@pytest.fixture
def cell():
    agreement = AgreementFactory()
    venue = Venue.objects.create(agreement=agreement, name="Café", kind="meeting_place")
    band = AgeBand.objects.create(agreement=agreement, label="18–20", order=1)
    session = Session.objects.create(
        agreement=agreement,
        venue=venue,
        date=date(2019, 5, 6),
        start_time=time(14),
        end_time=time(20),
    )
    return session, band


def test_twenty_clients_tapping_one_cell_fifty_times_end_at_one_thousand(cell):
    session, band = cell
    users = [UserFactory() for _ in range(20)]

    def tap(i):
        for _ in range(50):
            increment_count(session=session, age_band=band, gender="woman", delta=1, user=users[i])

    _, errors = run_in_threads(20, tap)
    assert not errors, errors[:3]
    assert VisitorCount.objects.get(session=session, age_band=band, gender="woman").count == 1000
    assert VisitorCount.objects.filter(session=session).count() == 1


def test_two_coordinators_approving_at_once_leave_one_approval():
    agreement = AgreementFactory()
    staff = UserFactory()
    coordinators = [UserFactory(), UserFactory()]
    report = next(r for r in reports_of(agreement) if r.deadline.kind == "interim")
    write_report(report, "A quiet spring.")
    with fast_pdf():
        submit_report(report=report, user=staff)

    results, errors = run_in_threads(
        2, lambda i: approve_report(report=Report.objects.get(pk=report.pk), user=coordinators[i])
    )
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), errors
    assert sum(r is not None for r in results) == 1
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert ReportVersion.objects.filter(report=report, decision="approved").count() == 1
    assert LockedPeriod.objects.filter(agreement=agreement).count() == 1
