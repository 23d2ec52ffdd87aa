"""The seed agreement is loaded exactly as written, and loading it twice changes nothing."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from partnership.models import Agreement
from partnership.seed.ostersund_2019 import SOURCE

pytestmark = pytest.mark.django_db


def _words(text):
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True  # demo accounts are a development feature
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    return Agreement.objects.get(short_name="LivA")


def test_bundled_agreement_text_is_the_signed_one():
    shared = (
        Path(__file__).resolve().parents[3] / "shared/agreement/iop-ostersund-hej-framling-2019.txt"
    )
    if not shared.exists():
        pytest.skip("shared/ is not beside this checkout")
    assert SOURCE.read_text(encoding="utf-8") == shared.read_text(encoding="utf-8")


def test_parties_with_numbers_and_addresses(seeded):
    parties = {p.role: p.organisation for p in seeded.parties.select_related("organisation")}
    assert parties["public"].name == "Östersunds kommun"
    assert parties["public"].org_number == "212000-2528"
    assert parties["public"].postal_address == "831 82 Östersund"
    assert parties["idea_driven"].name == "Hej främling!"
    assert parties["idea_driven"].org_number == "802496-6080"
    assert parties["idea_driven"].street_address == "Inspektörsvägen 22"
    assert parties["idea_driven"].postal_address == "831 48 Östersund"


def test_period_and_every_section_word_for_word(seeded):
    assert (seeded.start_date, seeded.end_date) == (date(2019, 4, 1), date(2020, 12, 31))
    source = _words(SOURCE.read_text(encoding="utf-8"))
    for field in Agreement.SECTION_FIELDS:
        text = getattr(seeded, field)
        assert text, f"section {field} is empty"
        assert _words(text) in source, f"section {field} is not word for word"
    assert seeded.background.startswith("Kommunstyrelsen beslutade 10 oktober 2017")
    assert seeded.background.endswith("mellan Östersunds kommun och Hej främling.")
    assert "målgruppen för insatserna" in seeded.target_group
    assert seeded.period_text.startswith("1 april 2019 till och med den 31 december 2020.")
    assert seeded.extension.startswith("Avtalet kan förlängas eller omförhandlas")
    assert "Om tvister uppstår" in seeded.renegotiation_and_disputes
    assert seeded.repayment_terms.startswith("Partner har rätt att kräva sitt bidrag")
    assert "återbetalas" in seeded.repayment_terms
    assert seeded.learning.startswith("Detta är för båda parter")


def test_commitments_of_both_parties(seeded):
    source = _words(SOURCE.read_text(encoding="utf-8"))
    idea = seeded.commitments.filter(party__role="idea_driven")
    public = seeded.commitments.filter(party__role="public")
    assert idea.filter(kind="commitment").count() == 8
    assert idea.filter(kind="special_effort").count() == 1
    assert idea.filter(kind="next_level").count() == 1
    assert public.count() == 4
    assert idea.filter(kind="commitment").first().text == (
        "Förtroendebyggande och relationsskapande aktiviteter med målgruppen"
    )
    assert idea.get(kind="special_effort").text.startswith("Särskilda insatser görs")
    assert idea.get(kind="next_level").text.endswith("att ta nästa steg i utvecklingen.")
    assert public.last().text.startswith(
        "Östersunds kommun sprider/bjuder in till vidareutbildning"
    )
    for c in seeded.commitments.all():
        assert _words(c.text) in source


def test_budget_lines_positions_and_total(seeded):
    lines = list(seeded.budget_lines.values_list("category", "amount"))
    assert lines == [
        ("personnel", Decimal("1764000")),
        ("overhead", Decimal("130000")),
        ("premises", Decimal("100000")),
        ("activities", Decimal("650000")),
    ]
    assert seeded.budget_total == Decimal("2644000")
    assert seeded.budget_lines_total() == seeded.budget_total
    personnel = seeded.budget_lines.get(category="personnel")
    assert [(p.title, p.monthly_cost, p.months) for p in personnel.positions.all()] == [
        ("Projektsamordnare", 42000, 21),
        ("Vägledare", 42000, 21),
    ]
    assert personnel.positions_total() == Decimal("1764000")
    in_kind = seeded.funding.filter(kind="in_kind")
    assert in_kind.count() == 3 and all(f.amount is None for f in in_kind)
    assert seeded.funding.get(kind="cash").amount == Decimal("2644000")


def test_deadlines(seeded):
    assert list(seeded.deadlines.values_list("kind", "due_date")) == [
        ("interim", date(2019, 8, 31)),
        ("interim", date(2019, 12, 31)),
        ("interim", date(2020, 4, 30)),
        ("final", date(2020, 11, 30)),
        # The agreement sets no date for the close-out of the money: the app's default,
        # two months after the end.
        ("close_out", date(2021, 2, 28)),
    ]


def test_contacts_and_signatories(seeded):
    assert list(seeded.contacts.values_list("name", "email")) == [
        ("Jon Söder", "jon.soder@ostersund.se"),
        ("Johan Nordin", "johan.nordin@ostersund.se"),
        ("Emma Arnesson", "emma@hejframling.se"),
        ("Andrea Törnblom Forslund", "andrea@hejframling.se"),
    ]
    assert list(seeded.signatories.values_list("name", "title", "organisation__name")) == [
        ("Anders Wennerberg", "Kommundirektör", "Östersunds kommun"),
        ("Maria Svensson Wiklander", "Styrelseordförande", "Hej främling!"),
    ]


def test_demo_accounts_for_the_three_roles(seeded, client):
    User = get_user_model()
    staff = User.objects.get(username="personal")
    coordinator = User.objects.get(username="samordnare")
    admin = User.objects.get(username="admin")
    assert staff.groups.filter(name="staff").exists()
    assert staff.membership.organisation.name == "Hej främling!"
    assert coordinator.groups.filter(name="coordinator").exists()
    assert coordinator.membership.organisation.name == "Östersunds kommun"
    assert admin.is_superuser and admin.is_staff
    assert client.login(username="personal", password="demo-personal-2019")


def _all_row_counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in {"partnership", "auth", "visits", "reporting"}
    }


def test_running_twice_changes_nothing(seeded, capsys):
    before = _all_row_counts()
    snapshot = Agreement.objects.values().get(pk=seeded.pk)
    call_command("seed_demo")
    assert _all_row_counts() == before
    assert Agreement.objects.values().get(pk=seeded.pk) == snapshot
    out = capsys.readouterr().out
    assert "personal / demo-personal-2019" in out


def test_refuses_demo_accounts_with_debug_off(settings, db):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not get_user_model().objects.exists()
    assert not Agreement.objects.exists()
    call_command("seed_demo", "--without-accounts", stdout=open("/dev/null", "w"))
    assert Agreement.objects.filter(short_name="LivA").exists()
    assert not get_user_model().objects.exists()
