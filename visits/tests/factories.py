"""Factories for the visits app. Nothing here describes a visitor: only counts."""

from datetime import date, time
from decimal import Decimal

import factory

from partnership.tests.factories import AgreementFactory
from visits.models import Activity, AgeBand, OpeningHours, PartnerOrganisation, Session, Venue


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    agreement = factory.SubFactory(AgreementFactory)
    name = factory.Sequence(lambda n: f"Venue {n}")
    kind = Venue.Kind.MEETING_PLACE


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    venue = factory.SubFactory(VenueFactory)
    weekday = 0
    opens = time(15, 0)
    closes = time(20, 0)


class AgeBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgeBand

    agreement = factory.SubFactory(AgreementFactory)
    label = factory.Sequence(lambda n: f"Band {n}")
    order = factory.Sequence(int)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    agreement = factory.SubFactory(AgreementFactory)
    venue = factory.LazyAttribute(lambda o: VenueFactory(agreement=o.agreement))
    date = date(2019, 5, 6)
    start_time = time(15, 0)
    end_time = time(20, 0)
    staff_on_duty = 2
    volunteers_on_duty = 1
    volunteer_hours = Decimal("5.0")


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Partner {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    agreement = factory.SubFactory(AgreementFactory)
    date = date(2019, 5, 7)
    type = Activity.Type.HOMEWORK_HELP
    participants = 5
    volunteer_hours = Decimal("2.0")

    @factory.post_generation
    def commitments(obj, create, extracted, **kwargs):
        if create:
            obj.commitments.set(extracted or obj.agreement.commitments.all()[:1])
