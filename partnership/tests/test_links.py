from django.urls import reverse

from partnership.links import row_links


class Row:
    def __init__(self, pk):
        self.pk = pk


def test_row_links_equal_reverse_for_every_row():
    rows = row_links(
        [Row(pk) for pk in (1, 9, 10, 42, 918273645, 2**40)],
        tally="visits:tally",
        edit="visits:session_edit",
    )
    for row in rows:
        assert row.links == {
            "tally": reverse("visits:tally", args=[row.pk]),
            "edit": reverse("visits:session_edit", args=[row.pk]),
        }


def test_row_links_of_no_rows():
    assert row_links([], edit="visits:session_edit") == []


def test_links_follow_the_script_prefix_the_site_is_served_under():
    from django.urls import get_script_prefix, set_script_prefix

    from partnership.links import url_for_pk

    plain = url_for_pk("visits:tally")(7)
    before = get_script_prefix()
    set_script_prefix("/iop/")
    try:
        assert url_for_pk("visits:tally")(7) == reverse("visits:tally", args=[7])
        assert url_for_pk("visits:tally")(7) == "/iop" + plain
    finally:
        set_script_prefix(before)
    assert url_for_pk("visits:tally")(7) == plain


def test_escaped_links_equal_the_escaped_reverse():
    from django.utils.html import escape

    from partnership.links import escaped_url_for_pk

    for pk in (1, 42, 2**40):
        assert escaped_url_for_pk("visits:tally")(pk) == escape(reverse("visits:tally", args=[pk]))
