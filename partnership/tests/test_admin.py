import pytest
from django.urls import reverse

from partnership.models import Agreement, BudgetLine, Commitment

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    ("admin:partnership_agreement_changelist", None),
    ("admin:partnership_agreement_change", "agreement"),
    ("admin:partnership_agreement_history", "agreement"),
    ("admin:partnership_commitment_changelist", None),
    ("admin:partnership_budgetline_changelist", None),
    ("admin:partnership_organisation_changelist", None),
]


def _url(name, arg, agreement):
    return reverse(name, args=[agreement.pk]) if arg else reverse(name)


@pytest.mark.parametrize("name, arg", ADMIN_PAGES)
def test_admin_pages_render_for_an_admin(admin_client, agreement, name, arg):
    response = admin_client.get(_url(name, arg, agreement))
    assert response.status_code == 200


@pytest.mark.parametrize("name, arg", ADMIN_PAGES)
def test_admin_pages_refused_to_staff_and_coordinators(
    staff_client, coordinator_client, client, agreement, name, arg
):
    url = _url(name, arg, agreement)
    for c in (staff_client, coordinator_client, client):
        response = c.get(url)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_agreement_change_page_shows_the_budget_check(admin_client, agreement):
    response = admin_client.get(reverse("admin:partnership_agreement_change", args=[agreement.pk]))
    assert (
        "matchar totalen" in response.content.decode()
        or "matches the total" in response.content.decode()
    )


def _inline_post_data(agreement):
    """The agreement's change form as the browser would post it, unchanged."""
    data = {}
    fields = [
        "title",
        "short_name",
        "case_number",
        "status",
        "start_date",
        "end_date",
        "final_report_months_before_end",
        "close_out_months_after_end",
        "budget_total",
        "deviation_threshold_percent",
        *Agreement.SECTION_FIELDS,
        "signing_place",
    ]
    for f in fields:
        value = getattr(agreement, f)
        data[f] = (
            value.isoformat() if hasattr(value, "isoformat") else ("" if value is None else value)
        )
    data["renews"] = ""
    data["signing_date"] = ""

    def formset(prefix, rows, fields):
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-agreement"] = agreement.pk
            for f in fields:
                v = (
                    getattr(row, f + "_id", None)
                    if f in ("organisation", "party")
                    else getattr(row, f)
                )
                data[f"{prefix}-{i}-{f}"] = v.isoformat() if hasattr(v, "isoformat") else v

    formset(
        "parties",
        list(agreement.parties.all()),
        ["organisation", "role", "order", "commitments_preamble"],
    )
    formset("commitments", list(agreement.commitments.all()), ["party", "kind", "order", "text"])
    formset(
        "budget_lines",
        list(agreement.budget_lines.all()),
        ["order", "category", "text", "amount", "description"],
    )
    formset("funding", [], [])
    formset(
        "deadlines",
        list(agreement.deadlines.all()),
        ["kind", "period_start", "period_end", "due_date"],
    )
    for i, d in enumerate(agreement.deadlines.all()):
        if d.relative_to_end:
            data[f"deadlines-{i}-relative_to_end"] = "on"
    formset("amendments", [], [])
    formset("contacts", [], [])
    formset("signatories", [], [])
    return data


def test_admin_refuses_budget_lines_that_do_not_add_up(admin_client, agreement):
    url = reverse("admin:partnership_agreement_change", args=[agreement.pk])
    data = _inline_post_data(agreement)
    ok = admin_client.post(url, data)
    assert ok.status_code == 302, ok.context["errors"] if ok.context else ok
    data["budget_lines-0-amount"] = "799999"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert BudgetLine.objects.get(pk=data["budget_lines-0-id"]).amount == 800000
    errors = " ".join(
        str(e) for e in response.context["inline_admin_formsets"][2].formset.non_form_errors()
    )
    assert "999" in errors


def test_admin_refuses_an_agreement_with_one_party(admin_client, agreement):
    url = reverse("admin:partnership_agreement_change", args=[agreement.pk])
    data = _inline_post_data(agreement)
    data["parties-1-DELETE"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert agreement.parties.count() == 2


def test_commitment_edit_shows_in_history(admin_client, agreement):
    commitment = Commitment.objects.filter(agreement=agreement).first()
    url = reverse("admin:partnership_commitment_change", args=[commitment.pk])
    response = admin_client.post(
        url,
        {
            "agreement": agreement.pk,
            "party": commitment.party_id,
            "kind": "commitment",
            "text": "Run the meeting place five days a week",
            "order": 1,
        },
    )
    assert response.status_code == 302
    history = admin_client.get(
        reverse("admin:partnership_commitment_history", args=[commitment.pk])
    )
    assert history.status_code == 200
    assert "admin" in history.content.decode()
    assert commitment.history.first().text == "Run the meeting place five days a week"
    assert commitment.history.first().history_user.username == "admin"


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", ":", "1.5", "\x9b"])
def test_an_autocomplete_field_refuses_a_value_that_is_no_key_without_a_server_error(
    admin_client, value
):
    """Found by the fuzz test: Django admin's autocomplete widget looked the posted value up to
    show it again, and a value that is no number failed that query (500)."""
    from partnership.models import Membership

    response = admin_client.post(
        "/admin/partnership/membership/add/", {"user": "", "organisation": value}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["organisation"]
    assert not Membership.objects.exists()


def test_the_commitment_form_names_each_party_once_with_its_agreement(
    admin_client, agreement, other_agreement
):
    import re

    from partnership.models import Party

    # The same organisation is a party to both agreements.
    municipality = agreement.parties.get(role="public").organisation
    Party.objects.filter(agreement=other_agreement, role="public").update(organisation=municipality)
    add = admin_client.get(reverse("admin:partnership_commitment_add")).content.decode()
    select = re.search(r'<select name="party".*?</select>', add, re.DOTALL).group(0)
    labels = [o for o in re.findall(r"<option[^>]*>([^<]*)</option>", select) if o.strip("-")]
    assert len(labels) == len(set(labels)) == Party.objects.count() == 4
    assert f"{agreement.short_name}: {municipality.name} (Offentlig part)" in labels

    # A saved commitment offers only its own agreement's parties …
    commitment = agreement.commitments.first()
    change_url = reverse("admin:partnership_commitment_change", args=[commitment.pk])
    change = admin_client.get(change_url).content.decode()
    select = re.search(r'<select name="party".*?</select>', change, re.DOTALL).group(0)
    offered = set(map(int, re.findall(r'<option value="(\d+)"', select)))
    assert offered == set(agreement.parties.values_list("pk", flat=True))
    # … and refuses another agreement's.
    other_party = other_agreement.parties.get(role="public")
    response = admin_client.post(
        change_url,
        {
            "agreement": agreement.pk,
            "party": other_party.pk,
            "kind": "commitment",
            "text": "x",
            "order": 0,
        },
    )
    assert response.status_code == 200
    commitment.refresh_from_db()
    assert commitment.party.agreement_id == agreement.pk
