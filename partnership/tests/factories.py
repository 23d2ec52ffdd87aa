"""Factories for the partnership app. Organisation numbers are generated valid: digits 3-4
at least 20 and a correct Luhn check digit."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from stdnum import luhn

from partnership.models import (
    Agreement,
    BudgetLine,
    Commitment,
    Membership,
    Organisation,
    Party,
    ReportingDeadline,
)


def org_number(n: int) -> str:
    body = f"80{n % 10_000_000:07d}"[:9]
    body = body[:2] + "2" + body[3:]  # digits 3-4 ≥ 20
    digits = body + luhn.calc_check_digit(body)
    return f"{digits[:6]}-{digits[6:]}"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    org_number = factory.Sequence(org_number)
    sector = Organisation.Sector.IDEA_DRIVEN
    city = "Östersund"


class AgreementFactory(factory.django.DjangoModelFactory):
    """An agreement 2019-04-01 – 2020-12-31 with a public and an idea-driven party, one
    commitment each, two budget lines adding up to the total and an interim and final
    deadline."""

    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Agreement {n}")
    short_name = factory.Sequence(lambda n: f"A{n}")
    status = Agreement.Status.ACTIVE
    start_date = date(2019, 4, 1)
    end_date = date(2020, 12, 31)
    budget_total = Decimal("1000000")
    case_number = factory.Sequence(lambda n: f"KS 2019/{n:04d}")

    @factory.post_generation
    def structure(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        public = Party.objects.create(
            agreement=obj,
            organisation=OrganisationFactory(sector=Organisation.Sector.PUBLIC),
            role=Party.Role.PUBLIC,
            order=0,
        )
        idea = Party.objects.create(
            agreement=obj, organisation=OrganisationFactory(), role=Party.Role.IDEA_DRIVEN, order=1
        )
        Commitment.objects.create(agreement=obj, party=idea, text="Run the meeting place", order=1)
        Commitment.objects.create(agreement=obj, party=public, text="Provide premises", order=1)
        BudgetLine.objects.create(
            agreement=obj, category="personnel", text="Staff", amount=Decimal("800000"), order=1
        )
        BudgetLine.objects.create(
            agreement=obj,
            category="activities",
            text="Activities",
            amount=Decimal("200000"),
            order=2,
        )
        ReportingDeadline.objects.create(
            agreement=obj,
            kind="interim",
            period_start=obj.start_date,
            period_end=date(2019, 8, 31),
            due_date=date(2019, 8, 31),
        )
        ReportingDeadline.objects.create(
            agreement=obj,
            kind="final",
            period_start=obj.start_date,
            period_end=obj.end_date,
            due_date=obj.end_date,
            relative_to_end=True,
        )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def organisation(obj, create, extracted, **kwargs):
        if create and extracted is not None:
            Membership.objects.create(user=obj, organisation=extracted)
