"""Journey (c): an admin edits a commitment in Django admin and reads the change in its
history."""

import pytest
from django.urls import reverse

from partnership.models import Commitment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_edits_a_commitment_and_sees_it_in_the_history(desktop, agreement, admin_user):
    commitment = agreement.commitments.get(party__role="idea_driven")
    page = desktop.page

    desktop.log_in("admin", path=reverse("admin:login"))
    desktop.step("admin index")

    desktop.goto(reverse("admin:partnership_commitment_changelist"))
    desktop.step("commitment list")
    page.get_by_role("link", name=commitment.short_text).click()
    page.wait_for_url(f"**{reverse('admin:partnership_commitment_change', args=[commitment.pk])}")
    desktop.step("commitment form")

    new_text = "Run the meeting place five days a week"
    page.fill("textarea[name=text]", new_text)
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    desktop.step("saved")
    commitment.refresh_from_db()
    assert commitment.text == new_text

    # The list confirms the change and shows the new text.
    assert page.locator(".messagelist .success").count() == 1
    with page.expect_navigation():
        page.locator("#result_list").get_by_role("link", name=commitment.short_text).click()
    with page.expect_navigation():
        page.locator("a.historylink").click()
    assert page.url.endswith(reverse("admin:partnership_commitment_history", args=[commitment.pk]))
    desktop.step("history")
    history = page.locator("#change-history")
    # The newest entry is the admin's change, made by the admin.
    latest = commitment.history.first()
    assert latest.history_type == "~" and latest.history_user.username == "admin"
    assert history.locator("tbody tr").count() == commitment.history.count() == 2
    first_row = history.locator("tbody tr").first
    assert "admin" in first_row.inner_text()
    # The entry shows the old and the new text.
    before, arrow, after = first_row.locator("td").last.inner_text().partition("→")
    assert arrow and before.strip().endswith("Run the meeting place"), before
    assert after.strip() == new_text
    # Opening the entry shows the text as it was saved.
    with page.expect_navigation():
        first_row.locator("a").first.click()
    desktop.step("history entry")
    assert page.locator("textarea[name=text]").input_value() == new_text
    assert Commitment.objects.filter(pk=commitment.pk, text=new_text).exists()
