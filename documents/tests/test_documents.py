"""Documents attached to an agreement and its rows: who may attach and remove, what is
refused (type by content, size, locks, a submitted report), how a file is served (only
through the access check, as an attachment, checked against its SHA-256) and the history."""

import hashlib
import logging
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogue.models import Meeting
from documents import services
from documents.models import Document
from finance.tests.factories import ExpenseFactory
from partnership.models import Amendment, LockedPeriod

from . import files

pytestmark = pytest.mark.django_db


def upload(data=files.PDF, name="kvitto.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def value(obj):
    return f"{obj._meta.label_lower}:{obj.pk}"


def list_url(agreement):
    return reverse("documents:document_list", args=[agreement.pk])


@pytest.fixture
def expense(agreement):
    return ExpenseFactory(agreement=agreement, date=date(2019, 5, 1), description="Hyra maj")


@pytest.fixture
def meeting(agreement):
    return Meeting.objects.create(agreement=agreement, date=date(2019, 6, 1), kind="cooperation")


@pytest.fixture
def amendment(agreement):
    return Amendment.objects.create(
        agreement=agreement, number=1, date=date(2019, 9, 1), title="Ny budget", text="Text"
    )


@pytest.fixture
def report(agreement):
    return agreement.reports.select_related("deadline").order_by("deadline__due_date").first()


def post(client, agreement, target, data=files.PDF, name="kvitto.pdf"):
    return client.post(list_url(agreement), {"target": value(target), "file": upload(data, name)})


def lock_2019(agreement):
    LockedPeriod.objects.create(
        agreement=agreement, start_date=date(2019, 4, 1), end_date=date(2019, 12, 31), reason="ok"
    )


def test_staff_attach_a_receipt_and_everyone_of_the_agreement_downloads_it(
    agreement, expense, staff_client, coordinator_client, staff_user
):
    response = post(staff_client, agreement, expense, name="Kvitto maj.pdf")
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.target == expense and document.agreement == agreement
    assert document.uploaded_by == staff_user
    assert document.media_type == "application/pdf" and document.size == len(files.PDF)
    assert document.sha256 == hashlib.sha256(files.PDF).hexdigest()
    assert "Kvitto" not in document.file.name  # a name nobody can guess
    assert document.file.name.startswith(f"documents/agreement-{agreement.pk}/")

    page = coordinator_client.get(list_url(agreement))
    assert "Kvitto maj.pdf" in page.content.decode() and "Hyra maj" in page.content.decode()
    response = coordinator_client.get(reverse("documents:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Kvitto_maj.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_download_name_takes_the_extension_of_the_content(agreement, expense, staff_client):
    post(staff_client, agreement, expense, data=files.PNG, name="kvitto.pdf")
    document = Document.objects.get()
    assert document.download_name == "kvitto.png"
    response = staff_client.get(reverse("documents:document_download", args=[document.pk]))
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "data, name",
    [(files.EXE, "kvitto.pdf"), (files.HTML, "protokoll.html"), (files.SVG, "logo.svg")],
)
def test_a_file_of_another_kind_is_refused_with_a_message(
    agreement, expense, staff_client, english, data, name
):
    response = post(staff_client, agreement, expense, data=data, name=name)
    assert response.status_code == 200
    assert "is not a PDF, a picture (PNG, JPEG) or an Office document" in response.content.decode()
    assert not Document.objects.exists()


def test_the_message_is_in_swedish_by_default(agreement, expense, staff_client):
    response = post(staff_client, agreement, expense, data=files.EXE)
    assert "Filen är inte en PDF" in response.content.decode()


def test_a_file_above_the_limit_is_refused(agreement, expense, staff_client, settings, english):
    settings.DOCUMENT_MAX_BYTES = 100
    response = post(staff_client, agreement, expense, data=files.PDF + bytes(100))
    assert "the largest file accepted is 100\xa0bytes" in response.content.decode()
    assert not Document.objects.exists()
    assert post(staff_client, agreement, expense, data=files.PDF).status_code == 302


def test_an_empty_file_is_refused(agreement, expense, staff_client):
    post(staff_client, agreement, expense, data=b"")
    assert not Document.objects.exists()


def test_every_kind_of_target_takes_a_document(
    agreement, expense, meeting, amendment, report, staff_client, coordinator_client
):
    assert post(coordinator_client, agreement, agreement, name="avtal.pdf").status_code == 302
    assert (
        post(coordinator_client, agreement, amendment, data=files.DOCX, name="b.docx").status_code
        == 302
    )
    assert post(staff_client, agreement, meeting, data=files.ODT, name="p.odt").status_code == 302
    assert post(staff_client, agreement, report, data=files.XLSX, name="r.xlsx").status_code == 302
    assert post(staff_client, agreement, expense, data=files.JPEG, name="k.jpg").status_code == 302
    documents = list(Document.objects.for_agreement(agreement))
    assert {d.target for d in documents} == {agreement, amendment, meeting, report, expense}
    paths = [d.bundle_path for d in documents]
    assert len(set(paths)) == 5
    assert f"documents/expense-{expense.pk}/" in " ".join(paths)


def test_who_may_attach_to_what(agreement, amendment, report, staff_client, coordinator_client):
    # The signed agreement and its annexes: the coordinator; a report: its staff.
    for client, target in [
        (staff_client, agreement),
        (staff_client, amendment),
        (coordinator_client, report),
    ]:
        response = post(client, agreement, target)
        assert response.status_code == 200  # not a choice the form offers
        assert "target" in response.context["form"].errors
    assert not Document.objects.exists()


def test_an_outsider_and_an_anonymous_user_get_nothing(
    agreement, expense, staff_client, outsider_client, outsider_coordinator_client, client
):
    post(staff_client, agreement, expense)
    document = Document.objects.get()
    download = reverse("documents:document_download", args=[document.pk])
    remove = reverse("documents:document_delete", args=[document.pk])
    for other in (outsider_client, outsider_coordinator_client):
        assert other.get(list_url(agreement)).status_code == 404
        assert other.get(download).status_code == 404
        assert other.post(remove).status_code == 404
        assert post(other, agreement, expense).status_code == 404
    for url in (list_url(agreement), download, remove):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]
    assert Document.objects.count() == 1


def test_the_coordinator_cannot_remove_a_report_document(
    agreement, report, staff_client, coordinator_client
):
    post(staff_client, agreement, report)
    document = Document.objects.get()
    url = reverse("documents:document_delete", args=[document.pk])
    assert coordinator_client.post(url).status_code == 403
    assert Document.objects.exists()


def test_removal_asks_first_then_removes_row_and_file_and_keeps_the_history(
    agreement,
    expense,
    staff_client,
    coordinator,
    coordinator_client,
    django_capture_on_commit_callbacks,
):
    post(staff_client, agreement, expense)
    document = Document.objects.get()
    storage, name = document.file.storage, document.file.name
    url = reverse("documents:document_delete", args=[document.pk])
    assert coordinator_client.get(url).status_code == 200
    assert Document.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert coordinator_client.post(url).status_code == 302
    assert not Document.objects.exists()
    assert not storage.exists(name)
    history = Document.history.filter(id=document.pk).order_by("history_date")
    assert [h.history_type for h in history] == ["+", "-"]
    assert history.last().history_user == coordinator
    page = coordinator_client.get(reverse("partnership:agreement_history", args=[agreement.pk]))
    assert "kvitto.pdf" in page.content.decode()


def test_an_approved_period_locks_the_documents_of_its_rows(
    agreement, expense, meeting, amendment, staff_client, coordinator_client, english
):
    post(staff_client, agreement, expense)
    document = Document.objects.get()
    lock_2019(agreement)
    response = post(staff_client, agreement, meeting)
    assert "locked" in response.content.decode()
    response = coordinator_client.post(reverse("documents:document_delete", args=[document.pk]))
    assert "locked" in response.content.decode()
    assert list(Document.objects.all()) == [document]
    # Below the pages too.
    with pytest.raises(ValidationError, match="locked"):
        services.remove_document(document=document)
    with pytest.raises(ValidationError, match="locked"), transaction.atomic():
        document.delete()
    # The agreement's own documents are not dated in a period.
    assert post(coordinator_client, agreement, amendment).status_code == 302


def test_a_submitted_report_keeps_its_documents(agreement, report, staff_client, english):
    post(staff_client, agreement, report)
    document = Document.objects.get()
    type(report).objects.filter(pk=report.pk).update(status="submitted")
    response = post(staff_client, agreement, report)
    assert "submitted, so its documents do not change" in response.content.decode()
    response = staff_client.post(reverse("documents:document_delete", args=[document.pk]))
    assert "submitted, so its documents do not change" in response.content.decode()
    assert Document.objects.count() == 1


def test_deleting_an_expense_deletes_its_documents(
    agreement, expense, staff_client, django_capture_on_commit_callbacks
):
    post(staff_client, agreement, expense)
    name = Document.objects.get().file.name
    storage = Document.objects.get().file.storage
    with django_capture_on_commit_callbacks(execute=True):
        expense.delete()
    assert not Document.objects.exists()
    assert not storage.exists(name)


def test_a_tampered_file_is_not_served(agreement, expense, staff_client, caplog, english):
    post(staff_client, agreement, expense)
    document = Document.objects.get()
    with document.file.storage.open(document.file.name, "wb") as f:
        f.write(files.PDF + b"% altered")
    with caplog.at_level(logging.ERROR, logger="core.stored"):
        response = staff_client.get(reverse("documents:document_download", args=[document.pk]))
    assert response.status_code == 409
    assert "no longer the file that was attached" in response.content.decode()
    assert any(f"Document {document.pk}" in r.getMessage() for r in caplog.records)


def test_a_lost_file_is_not_served(agreement, expense, staff_client):
    post(staff_client, agreement, expense)
    document = Document.objects.get()
    document.file.storage.delete(document.file.name)
    response = staff_client.get(reverse("documents:document_download", args=[document.pk]))
    assert response.status_code == 409


def test_the_list_reads_a_constant_number_of_queries(agreement, expense, meeting, staff_client):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert staff_client.get(list_url(agreement)).status_code == 200
        return len(ctx.captured_queries)

    post(staff_client, agreement, expense)
    post(staff_client, agreement, meeting)
    one = count()
    for i in range(5):
        post(staff_client, agreement, ExpenseFactory(agreement=agreement, description=f"E{i}"))
        post(staff_client, agreement, meeting, data=files.PNG, name=f"m{i}.png")
    assert count() == one


@pytest.mark.parametrize(
    "target", ["finance.expense:999999", "auth.user:1", "partnership.agreement:x", ""]
)
def test_an_unknown_target_is_a_form_error_not_a_crash(agreement, expense, staff_client, target):
    response = staff_client.post(list_url(agreement), {"target": target, "file": upload()})
    assert response.status_code == 200
    assert "target" in response.context["form"].errors
    assert not Document.objects.exists()


def test_a_post_without_a_file_is_a_form_error(agreement, expense, staff_client):
    response = staff_client.post(list_url(agreement), {"target": value(expense)})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors


def test_an_expense_of_another_agreement_is_not_a_choice(agreement, other_agreement, staff_client):
    foreign = ExpenseFactory(agreement=other_agreement)
    response = post(staff_client, agreement, foreign)
    assert "target" in response.context["form"].errors
    assert not Document.objects.exists()


def _chosen(response):
    """The row chosen in the page's "Attach to" list as the browser shows it (not the empty
    choice that asks for one)."""
    select = response.content.decode().split('name="target"', 1)[1].split("</select>", 1)[0]
    options = [part.split(">", 1)[0] for part in select.split("<option ")[1:]]
    return [
        option.split('"')[1]
        for option in options
        if " selected" in option and 'value=""' not in option
    ]


def test_the_expense_meeting_and_report_pages_link_to_the_form_with_their_row_chosen(
    agreement, expense, meeting, report, staff_client, coordinator_client
):
    for page, obj in [
        (reverse("finance:expense_list", args=[agreement.pk]), expense),
        (reverse("dialogue:meeting_list", args=[agreement.pk]), meeting),
        (reverse("reporting:report_detail", args=[report.pk]), report),
    ]:
        link = f"{list_url(agreement)}?target={value(obj)}#attach"
        assert link in staff_client.get(page).content.decode(), page
        response = staff_client.get(link.split("#")[0])
        assert _chosen(response) == [value(obj)]
    # The municipality's coordinator attaches minutes, not the association's report documents.
    meetings = coordinator_client.get(reverse("dialogue:meeting_list", args=[agreement.pk]))
    assert f"?target={value(meeting)}" in meetings.content.decode()
    report_page = coordinator_client.get(reverse("reporting:report_detail", args=[report.pk]))
    assert f"?target={value(report)}" not in report_page.content.decode()
    assert _chosen(coordinator_client.get(f"{list_url(agreement)}?target={value(report)}")) == []


def test_a_row_the_user_may_not_attach_to_is_not_chosen(agreement, other_agreement, staff_client):
    foreign = ExpenseFactory(agreement=other_agreement)
    for target in (value(foreign), "finance.expense:x", "<script>", ""):
        response = staff_client.get(list_url(agreement), {"target": target})
        assert response.status_code == 200 and _chosen(response) == []
