"""Loading the seed agreement into the database, idempotently: what exists is left alone."""

from django.db import transaction

from partnership.models import (
    Agreement,
    BudgetLine,
    Commitment,
    ContactPerson,
    Funding,
    Goal,
    Indicator,
    Organisation,
    Party,
    ReportingDeadline,
    Signatory,
    StaffPosition,
)

from .ostersund_2019 import agreement_data


def _get_or_create_organisation(data):
    org = Organisation.objects.filter(org_number=data["org_number"]).first()
    if org is None:
        org = Organisation(**data)
        org.full_clean()
        org.save()
    return org


@transaction.atomic
def load_seed_agreement() -> tuple[Agreement, bool]:
    """Create the 2019 Östersund–Hej främling agreement unless it exists.

    Returns (agreement, created)."""
    data = agreement_data()
    orgs = {role: _get_or_create_organisation(d) for role, d in data["organisations"].items()}
    a = data["agreement"]
    existing = Agreement.objects.filter(
        short_name=a["short_name"], start_date=a["start_date"], parties__organisation=orgs["public"]
    ).first()
    if existing:
        _load_goals(existing, data["goals"])  # added to the seed later: for older databases
        return existing, False

    agreement = Agreement(**a)
    agreement.full_clean()
    agreement.save()

    parties = {}
    for order, role in enumerate(("public", "idea_driven")):
        parties[role] = Party.objects.create(
            agreement=agreement,
            organisation=orgs[role],
            role=role,
            order=order,
            commitments_preamble=data["party_preambles"][role],
        )
    # The agreement lists the association's commitments first.
    for role in ("idea_driven", "public"):
        for order, (kind, text) in enumerate(data["commitments"][role], start=1):
            Commitment.objects.create(
                agreement=agreement, party=parties[role], kind=kind, text=text, order=order
            )
    for order, line in enumerate(data["budget_lines"], start=1):
        positions = line.pop("positions")
        budget_line = BudgetLine.objects.create(agreement=agreement, order=order, **line)
        for position in positions:
            StaffPosition.objects.create(budget_line=budget_line, **position)
        if positions:
            assert budget_line.positions_total() == budget_line.amount, "positions must add up"
    for funding in data["funding"]:
        party = parties.get(funding.pop("party"))
        Funding.objects.create(agreement=agreement, party=party, **funding)
    for deadline in data["deadlines"]:
        d = ReportingDeadline(agreement=agreement, **deadline)
        d.full_clean()
        d.save()
    for order, contact in enumerate(data["contacts"]):
        org = orgs[contact.pop("organisation")]
        ContactPerson.objects.create(agreement=agreement, organisation=org, order=order, **contact)
    for order, signatory in enumerate(data["signatories"]):
        org = orgs[signatory.pop("organisation")]
        Signatory.objects.create(agreement=agreement, organisation=org, order=order, **signatory)
    _load_goals(agreement, data["goals"])
    return agreement, True


def _load_goals(agreement, goals):
    """The agreement's goals with the indicators that follow them, unless it has goals."""
    if agreement.goals.exists():
        return
    for order, goal in enumerate(goals, start=1):
        made = Goal.objects.create(agreement=agreement, text=goal["text"], order=order)
        for i, indicator in enumerate(goal["indicators"], start=1):
            row = Indicator(goal=made, order=i, **indicator)
            row.full_clean()
            row.save()
