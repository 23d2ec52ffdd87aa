"""``sqlcache.CompiledQuery``: the SQL is built once, and every compiled query of the project
gives what its plain queryset gives, on SQLite and on PostgreSQL."""

import datetime
import threading
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import connections
from django.db.models.sql.compiler import SQLCompiler
from django.urls import reverse
from django.utils import timezone

from config.session_store import SessionStore
from partnership import access
from partnership.models import Agreement, Organisation, Party
from partnership.sqlcache import CompiledQuery
from visits.models import Session as VisitSession
from visits.models import Venue
from visits.tests.factories import OpeningHoursFactory, SessionFactory, VenueFactory

from .factories import UserFactory


def _fields(objects):
    return [dict(sorted((k, v) for k, v in vars(o).items() if k != "_state")) for o in objects]


def test_the_sql_is_built_once_and_then_only_run(agreement):
    query = CompiledQuery(lambda pk: Agreement.objects.filter(pk=pk), int)
    query(agreement.pk)
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True) as as_sql:
        assert query(agreement.pk) == [agreement]
        assert query(agreement.pk + 1000) == []
    as_sql.assert_not_called()


def test_the_users_of_each_request_are_what_the_plain_query_gives(
    staff_user, coordinator, admin_user, association
):
    loner = UserFactory(organisation=None)
    for user in (staff_user, coordinator, admin_user, loner):
        compiled = access._user_with_access_query(user.pk)
        plain = list(access._user_with_access(user.pk))
        assert len(compiled) == 1 and _fields(compiled) == _fields(plain)
    assert access.load_user(staff_user.pk)._iop_organisation == association
    assert access.load_user(str(staff_user.pk)) is not None  # as the session keeps it
    assert access.load_user(10**9) is None


def test_the_parties_of_an_organisation_in_an_agreement(agreement, other_agreement):
    organisations = Organisation.objects.all()
    assert organisations.count() >= 4
    for chosen in (agreement, other_agreement):
        for organisation in organisations:
            compiled = access._parties_of_organisation_query(chosen.pk, organisation.pk)
            plain = Party.objects.filter(agreement=chosen, organisation=organisation)
            assert sorted(p.pk for p in compiled) == sorted(p.pk for p in plain)
            for party in compiled:  # the agreement comes with the party, no second query
                assert Party.agreement.is_cached(party) and party.agreement == chosen


def test_dates_and_datetimes_are_passed_as_the_database_wants_them(agreement):
    day = agreement.start_date
    venue = VenueFactory(agreement=agreement)
    for offset in (0, 1, 5):
        SessionFactory(agreement=agreement, venue=venue, date=day + datetime.timedelta(days=offset))
    by_date = CompiledQuery(
        lambda start, pk: VisitSession.objects.filter(date__gte=start, agreement_id=pk),
        datetime.date,
        int,
    )
    with pytest.raises(TypeError):  # the ORM would take the date of a datetime, this does not
        by_date(datetime.datetime(2019, 5, 6, 12, 0, tzinfo=datetime.UTC), agreement.pk)
    for offset in (0, 1, 2, 6):
        start = day + datetime.timedelta(days=offset)
        assert sorted(s.pk for s in by_date(start, agreement.pk)) == sorted(
            VisitSession.objects.filter(date__gte=start, agreement=agreement).values_list(
                "pk", flat=True
            )
        )


def test_a_session_is_read_as_django_reads_it(db):
    store = SessionStore()
    store["figure"] = 12
    store.create()
    assert SessionStore(store.session_key).load() == {"figure": 12}
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {} and expired.session_key is None
    assert SessionStore("x" * 32).load() == {}


def test_a_key_beyond_any_integer_column_finds_nothing(staff_client, agreement):
    # Django's <int:pk> takes any number of digits; SQLite cannot even bind such a number.
    for pk in (2**31, 2**63, 10**30):
        url = reverse("visits:session_list", args=[pk])
        assert staff_client.get(url).status_code == 404
    assert access.load_user(10**30) is None


def test_a_small_integer_column_takes_a_parameter(agreement):
    venue = VenueFactory(agreement=agreement)
    OpeningHoursFactory(venue=venue, weekday=3)
    by_weekday = CompiledQuery(
        lambda weekday: Venue.objects.filter(opening_hours__weekday=weekday), int
    )
    assert by_weekday(3) == [venue] and by_weekday(4) == []


def test_a_query_whose_sql_depends_on_a_value_is_refused(db):
    sliced = CompiledQuery(lambda n: Agreement.objects.all()[:n], int)
    with pytest.raises(ValueError, match="depends on the values"):
        sliced(3)
    contains = CompiledQuery(lambda text: Agreement.objects.filter(title__contains=text), str)
    with pytest.raises(ValueError, match="made from a value"):
        contains("IOP")
    with pytest.raises(TypeError):
        CompiledQuery(lambda amount: Agreement.objects.all(), float)
    with pytest.raises(TypeError):
        CompiledQuery(lambda pk: Agreement.objects.filter(pk=pk), int)()


@pytest.mark.django_db(transaction=True)
def test_another_thread_uses_its_own_connection(agreement):
    query = CompiledQuery(lambda pk: Agreement.objects.filter(pk=pk), int)
    assert query(agreement.pk) == [agreement]  # compiled in this thread
    found = []

    def read():
        try:
            found.extend(query(agreement.pk))
        finally:
            connections.close_all()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    assert found == [agreement]
