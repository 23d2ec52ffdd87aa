"""The auditor bundle (issue 20, item 4), unpacked and read as an auditor would: every file in
the manifest and in SHA256SUMS with the right sum (``sha256sum -c`` agrees), the tables with
headers in the user's language, an expense with its voucher, a payment, in-kind hours, a
decision, the disclosure control applied, formulas neutralised, a damaged frozen PDF refused,
and the zip streamed in bounded pieces."""

import csv
import hashlib
import io
import json
import logging
import os
import re
import shutil
import subprocess
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from finance.models import Expense, ExpenseImport, InKindContribution, Payment, SieVoucher
from partnership.models import Agreement, Amendment
from partnership.seed.loader import load_seed_agreement
from reporting import bundle, services
from reporting.frozen import FrozenPdfDamaged
from reporting.services import reports_of
from reporting.tests.factories import write_report
from visits.models import VisitorCount

from .factories import SessionFactory

pytestmark = pytest.mark.django_db


def unpack(response) -> dict[str, bytes]:
    assert response.status_code == 200
    assert response.streaming  # a StreamingHttpResponse, written piece by piece
    assert response["Content-Type"] == "application/zip"
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        return {name: zf.read(name) for name in zf.namelist()}


def table(files, name) -> list[list[str]]:
    text = files[name].decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 with it
    return list(csv.reader(io.StringIO(text[1:])))


def as_dicts(rows) -> list[dict]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


@pytest.fixture
def books(agreement, logged, staff_user):
    """The logged data plus what the auditor looks for: an expense from the books (SIE) with
    its voucher, an expense typed in with a hostile description, in-kind hours, a payment
    reference, a decision on a budget line, an amendment, and a month with 2 visits."""
    staff_line, activities_line = agreement.budget_lines.order_by("order")
    batch = ExpenseImport.objects.create(
        agreement=agreement, file_sha256="0" * 64, filename="bok.se", row_count=1
    )
    voucher = SieVoucher.objects.create(
        agreement=agreement,
        import_batch=batch,
        fiscal_year_start=date(2019, 1, 1),
        series="A",
        number="117",
        date=date(2019, 6, 28),
        text="Hyra juni",
    )
    Expense.objects.create(
        agreement=agreement,
        budget_line=activities_line,
        date=date(2019, 6, 28),
        amount=Decimal("12500"),
        description="Hyra juni",
        sie_voucher=voucher,
        import_batch=batch,
    )
    Expense.objects.create(
        agreement=agreement,
        budget_line=staff_line,
        date=date(2019, 6, 30),
        amount=Decimal("10"),
        description="=1+1",
        voucher_reference="K-42",
    )
    Payment.objects.filter(agreement=agreement).update(reference="Utbetalning 1")
    InKindContribution.objects.create(
        agreement=agreement,
        party=agreement.parties.get(role="public"),
        kind=InKindContribution.Kind.CIVIL_SERVANT,
        date=date(2019, 6, 12),
        hours=Decimal("6.5"),
        description="Samverkansmöte",
    )
    meeting = agreement.meetings.get()
    meeting.decisions.create(text="Lokalhyran godkänns.", budget_line=activities_line)
    Amendment.objects.create(
        agreement=agreement,
        number=1,
        date=date(2019, 9, 1),
        title="Längre öppettider",
        text="Caféet har öppet på fredagar också.",
    )
    # May 2019: two visits, a count that must not leave the app.
    venue = agreement.venues.get()
    band = agreement.age_bands.order_by("order").first()
    session = SessionFactory(venue=venue, agreement=agreement, date=date(2019, 5, 6))
    VisitorCount.objects.create(session=session, age_band=band, gender="woman", count=2)
    return {"voucher": voucher}


@pytest.fixture
def submitted(books, report, staff_user, fake_pdf):
    write_report(report, "Vi öppnade caféet.")
    return services.submit_report(report=report, user=staff_user)


def get_bundle(client, agreement):
    return client.get(reverse("reporting:audit_bundle", args=[agreement.pk]))


def test_every_file_is_in_the_manifest_and_sha256sums_with_its_sum(
    coordinator_client, coordinator, agreement, submitted, tmp_path
):
    files = unpack(get_bundle(coordinator_client, agreement))
    sums = files["SHA256SUMS"].decode()
    listed = {}
    for line in sums.splitlines():
        digest, name = re.fullmatch(r"([0-9a-f]{64})  (.+)", line).groups()
        listed[name] = digest
    assert set(listed) == set(files) - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest, name

    manifest = json.loads(files["innehåll.json"])
    assert manifest["agreement"]["title"] == agreement.title
    assert manifest["generated_by"] == coordinator.get_full_name() or coordinator.username
    assert manifest["generated_at"].startswith(date.today().isoformat()[:4])
    in_manifest = {f["path"]: f for f in manifest["files"]}
    assert set(in_manifest) == set(files) - {"SHA256SUMS", "innehåll.json"}
    for name, entry in in_manifest.items():
        assert entry["size"] == len(files[name]) and entry["sha256"] == listed[name], name
    readable = files["innehåll.txt"].decode()
    assert agreement.title in readable and "sha256sum -c SHA256SUMS" in readable
    for name, entry in in_manifest.items():
        if name == "innehåll.txt":
            continue  # the readable manifest lists every file before it
        assert f"{entry['size']:>12}  {entry['sha256']}  {name}" in readable

    # The frozen PDF exactly as stored, in the reports' folder.
    [pdf] = [n for n in files if n.endswith(".pdf")]
    assert pdf.startswith("rapporter/") and "Delredovisning" in pdf
    assert files[pdf] == submitted.pdf_bytes()
    assert listed[pdf] == submitted.sha256

    # What an auditor runs on the unpacked zip.
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum is not installed")
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    result = subprocess.run(
        ["sha256sum", "--check", "--strict", "SHA256SUMS"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": OK") == len(listed)


def test_the_tables_an_auditor_reads_in_swedish(coordinator_client, agreement, submitted, books):
    files = unpack(get_bundle(coordinator_client, agreement))
    assert {n for n in files if n.startswith("tabeller/")} == {
        f"tabeller/{name}.csv"
        for name in (
            "budget",
            "besök_per_månad",
            "utbetalningar",
            "återbetalningar",
            "utgifter",
            "bidrag_i_tid",
            "möten",
            "beslut",
            "åtgärder",
            "lärandelogg",
        )
    }
    expenses = as_dicts(table(files, "tabeller/utgifter.csv"))
    assert list(expenses[0]) == [
        "Datum",
        "Budgetpost",
        "Beskrivning",
        "Verifikation",
        "Verifikationsserie",
        "Verifikationsnummer",
        "Belopp (kr)",
    ]
    rent = next(e for e in expenses if e["Beskrivning"] == "Hyra juni")
    assert rent["Verifikationsserie"] == "A" and rent["Verifikationsnummer"] == "117"
    assert rent["Datum"] == "2019-06-28" and rent["Belopp (kr)"] == "12500"
    assert rent["Budgetpost"] == agreement.budget_lines.order_by("order")[1].text
    typed = next(e for e in expenses if e["Verifikation"] == "K-42")
    assert typed["Beskrivning"] == "'=1+1"  # shown as text, never run as a formula
    assert len(expenses) == Expense.objects.filter(agreement=agreement).count()

    payments = as_dicts(table(files, "tabeller/utbetalningar.csv"))
    assert payments == [
        {
            "Datum": "2019-04-15",
            "Referens": "Utbetalning 1",
            "Anteckning": "",
            "Belopp (kr)": "300000",
        }
    ]

    in_kind = as_dicts(table(files, "tabeller/bidrag_i_tid.csv"))
    civil = next(r for r in in_kind if r["Datum"] == "2019-06-12")
    assert civil["Typ"] == "Tjänstepersonstimmar" and civil["Timmar"] == "6.5"
    assert civil["Part"] == agreement.parties.get(role="public").organisation.name
    sessions = next(r for r in in_kind if "tillfällena" in r["Typ"])
    assert sessions["Timmar"] == "3.0"  # the session's volunteer hours of the logged data

    budget = as_dicts(table(files, "tabeller/budget.csv"))
    assert list(budget[0]) == [
        "Budgetpost",
        "Kategori",
        "Budget (kr)",
        "Utfall (kr)",
        "Prognos (kr)",
        "Avvikelse (kr)",
    ]
    activities_line = agreement.budget_lines.order_by("order")[1]
    row = next(r for r in budget if r["Budgetpost"] == activities_line.text)
    assert row["Budget (kr)"] == str(int(activities_line.amount))
    assert row["Utfall (kr)"] == "19500"  # 7 000 materials + 12 500 rent
    assert budget[-1]["Budgetpost"] == "Totalt"

    decisions = as_dicts(table(files, "tabeller/beslut.csv"))
    assert {"Mötesdatum": "2019-07-01", "Beslut": "Lokalhyran godkänns."}.items() <= next(
        d for d in decisions if d["Budgetpost"]
    ).items()
    meetings = as_dicts(table(files, "tabeller/möten.csv"))
    assert meetings[0]["Datum"] == "2019-07-01"
    actions = as_dicts(table(files, "tabeller/åtgärder.csv"))
    assert actions[0]["Åtgärd"] == "Do"
    lessons = as_dicts(table(files, "tabeller/lärandelogg.csv"))
    assert lessons[0]["Lärdom"] == "Learnt."

    agreement_text = files["överenskommelse.txt"].decode()
    assert "Caféet har öppet på fredagar också." in agreement_text
    assert "Längre öppettider".upper() in agreement_text
    assert "Lokalhyran godkänns." in files["dialog.txt"].decode()


def test_visits_leave_the_bundle_through_the_disclosure_control(
    coordinator_client, agreement, submitted
):
    files = unpack(get_bundle(coordinator_client, agreement))
    visits = table(files, "tabeller/besök_per_månad.csv")
    assert visits[0] == ["Månad", "Kvinna", "Man", "Annat eller okänt", "Totalt"]
    rows = {row[0]: row[1:] for row in visits[1:]}
    assert rows["2019-05"][0] == "< 5"  # the two visits of May
    assert "2" not in rows["2019-05"]
    # Nor can it be worked out: April's women and the women's total are not both shown.
    april_women, all_women = rows["2019-04"][0], rows["Totalt"][0]
    assert not (april_women.isdigit() and all_women.isdigit()), visits
    # The exact counts stay in the database.
    assert VisitorCount.objects.filter(count=2).exists()


def test_a_bundle_downloaded_in_english_has_english_names_and_headers(
    coordinator_client, coordinator, agreement, submitted, english
):
    response = get_bundle(coordinator_client, agreement)
    files = unpack(response)
    assert "agreement.txt" in files and "manifest.json" in files and "SHA256SUMS" in files
    assert [n for n in files if n.startswith("reports/")]
    header = table(files, "tables/expenses.csv")[0]
    assert header == [
        "Date",
        "Budget line",
        "Description",
        "Voucher",
        "Voucher series",
        "Voucher number",
        "Amount (kr)",
    ]
    assert table(files, "tables/visits_per_month.csv")[0][0] == "Month"
    assert "Content-Disposition" in response and "auditor_bundle" in response["Content-Disposition"]


def test_the_agreement_text_is_the_signed_one_word_for_word():
    seeded, _created = load_seed_agreement()
    Amendment.objects.create(
        agreement=seeded, number=1, date=date(2020, 1, 15), title="Ändrad budget", text="Ny text."
    )
    words = " ".join(bundle.agreement_text(seeded).split())
    for field in Agreement.SECTION_FIELDS:
        assert " ".join(getattr(seeded, field).split()) in words, field
    for party in seeded.parties.all():
        assert " ".join(party.commitments_preamble.split()) in words
    for commitment in seeded.commitments.all():
        assert " ".join(commitment.text.split()) in words
    for line in seeded.budget_lines.all():
        assert f"{line.text}: {int(line.amount)} kr" in words
    assert "Ny text." in words and seeded.case_number in words


def stored(version) -> Path:
    return Path(settings.MEDIA_ROOT) / version.pdf.name


def test_a_tampered_frozen_pdf_gives_no_bundle_but_a_page_and_a_log_line(
    coordinator_client, agreement, submitted, caplog
):
    path = stored(submitted)
    path.write_bytes(path.read_bytes() + b"%% added later")
    with caplog.at_level(logging.ERROR, logger="core.stored"):
        response = get_bundle(coordinator_client, agreement)
    assert response.status_code == 409
    assert not response.streaming and response["Content-Type"].startswith("text/html")
    assert "inte längre den fil som lämnades in" in response.content.decode()
    assert any(str(submitted.pk) in r.getMessage() for r in caplog.records)


def test_a_pdf_altered_while_the_bundle_is_sent_stops_the_stream(agreement, submitted, caplog):
    bundle.check_frozen_pdfs(agreement)  # intact when the download starts
    stored(submitted).write_bytes(b"%PDF-1.4 another file")
    pieces = []
    with pytest.raises(FrozenPdfDamaged), caplog.at_level(logging.ERROR):
        for piece in bundle.stream_bundle(agreement):
            pieces.append(piece)
    with pytest.raises(zipfile.BadZipFile):  # what was sent is no zip an auditor could use
        zipfile.ZipFile(io.BytesIO(b"".join(pieces)))


def test_documents_go_into_their_folder_checked_against_their_sum(agreement, coordinator):
    signed = b"%PDF-1.7 signed agreement"
    opened = []

    def opener(data):
        def open_it():
            opened.append(data)
            return io.BytesIO(data)

        return open_it

    documents = [
        ("överenskommelse/undertecknad avtal.pdf", io.BytesIO(signed), _sha(signed)),
        ("../kvitton/kvitto 1.png", opener(b"\x89PNG receipt"), _sha(b"\x89PNG receipt")),
        ("kvitton/kvitto 1.png", opener(b"\x89PNG other"), _sha(b"\x89PNG other")),
    ]
    assert len(bundle.document_entries(documents)) == 3
    assert not opened  # a file given as a function is opened only when it is written
    data = bundle.audit_bundle(agreement, coordinator, documents=documents)
    assert len(opened) == 2
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert "dokument/överenskommelse/undertecknad_avtal.pdf" in names
        assert "dokument/kvitton/kvitto_1.png" in names  # no way out of the folder
        assert zf.read("dokument/kvitton/kvitto_1_2.png") == b"\x89PNG other"  # both kept
        assert len(names) == len(set(names))
        assert zf.read("dokument/överenskommelse/undertecknad_avtal.pdf") == signed
        sums = zf.read("SHA256SUMS").decode()
        assert f"{_sha(signed)}  dokument/överenskommelse/undertecknad_avtal.pdf" in sums

    damaged = [("kvitto.pdf", io.BytesIO(b"changed"), _sha(b"original"))]
    with pytest.raises(bundle.DocumentDamaged):
        b"".join(bundle.stream_bundle(agreement, documents=damaged))


def _sha(data):
    return hashlib.sha256(data).hexdigest()


def test_the_zip_is_streamed_in_bounded_pieces(agreement, staff_user, monkeypatch):
    """Three frozen PDFs of 4 MB and a 16 MB document: the bundle is large, but no piece the
    response sends is bigger than two read chunks (the zip's headers and the compressor's
    output of one chunk), and the files are read piece by piece, not whole."""
    from reporting.models import canonical_json

    def big_pdf(report, language="sv", *, figures=None, narrative=None, version=None):
        seed = canonical_json([figures, narrative]).encode()
        return b"%PDF-1.4\n" + os.urandom(4 * 1024 * 1024) + seed

    monkeypatch.setattr("reporting.pdf.render_report_pdf", big_pdf)
    reports = [r for r in reports_of(agreement) if r.deadline.kind == "interim"][:3]
    for report in reports:
        write_report(report, "Vi öppnade caféet.")
        services.submit_report(report=report, user=staff_user)
    document = os.urandom(16 * 1024 * 1024)

    reads = []

    class Tracked(io.BytesIO):
        def read(self, size=-1):
            reads.append(size)
            return super().read(size)

    pieces = list(
        bundle.stream_bundle(agreement, documents=[("stor.pdf", Tracked(document), _sha(document))])
    )
    total = sum(map(len, pieces))
    assert total > (len(reports) * 4 + 16) * 1024 * 1024
    assert len(pieces) > 300
    assert max(map(len, pieces)) <= 2 * bundle.CHUNK_SIZE
    assert reads and all(0 < size <= bundle.CHUNK_SIZE for size in reads)  # never read whole
    with zipfile.ZipFile(io.BytesIO(b"".join(pieces))) as zf:
        assert zf.read("dokument/stor.pdf") == document
        assert len([n for n in zf.namelist() if n.endswith(".pdf")]) == len(reports) + 1


def test_only_the_parties_people_get_a_bundle(
    client, staff_client, outsider_client, outsider_coordinator_client, agreement, submitted
):
    url = reverse("reporting:audit_bundle", args=[agreement.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    for other in (outsider_client, outsider_coordinator_client):
        response = other.get(url)
        assert response.status_code == 404 and not response.streaming
    assert staff_client.post(url).status_code == 405
    assert unpack(staff_client.get(url))  # the idea-driven party's staff too


def test_the_bundle_takes_as_many_queries_whatever_the_amount_of_data(agreement, other_agreement):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import make_logged_data

    make_logged_data(agreement, scale=1)
    make_logged_data(other_agreement, scale=6)
    counts = []
    for a in (agreement, other_agreement):
        with CaptureQueriesContext(connection) as queries:
            b"".join(bundle.stream_bundle(a))
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_agreements_documents_are_in_the_bundle_and_a_damaged_one_stops_it(
    coordinator_client, agreement, submitted, books, coordinator, staff_user, caplog, english
):
    """Every document attached to the agreement and its rows (here the signed agreement and
    a receipt) is in the downloaded bundle under documents/ (dokument/ in Swedish), listed in SHA256SUMS with its
    sum; a document altered in the storage gives no bundle but a message, and a log line."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.services import attach_document
    from documents.tests import files as samples

    def upload(data, name):
        return SimpleUploadedFile(name, data, content_type="application/octet-stream")

    signed = attach_document(
        target=agreement, upload=upload(samples.PDF, "Undertecknad.pdf"), user=coordinator
    )
    expense = agreement.expenses.order_by("pk").first()
    receipt = attach_document(
        target=expense, upload=upload(samples.PNG, "kvitto 7.png"), user=staff_user
    )

    files = unpack(get_bundle(coordinator_client, agreement))
    in_folder = {name: data for name, data in files.items() if name.startswith("documents/")}
    assert sorted(in_folder.values()) == sorted([samples.PDF, samples.PNG])
    sums = files["SHA256SUMS"].decode()
    for document in (signed, receipt):
        name = next(n for n, data in in_folder.items() if _sha(data) == document.sha256)
        assert f"{document.sha256}  {name}" in sums

    with receipt.file.open("wb") as f:
        f.write(b"\x89PNG another receipt")
    with caplog.at_level(logging.ERROR, logger="core.stored"):
        response = get_bundle(coordinator_client, agreement)
    assert response.status_code == 302
    assert response["Content-Type"] != "application/zip"
    page = coordinator_client.get(response["Location"])
    assert "no auditor bundle is made" in page.content.decode()
    assert any("does not match its SHA-256" in r.getMessage() for r in caplog.records)
