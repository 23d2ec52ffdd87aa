"""Selects list their choices with one plain query (no server-side cursor)."""

from django.forms.models import ModelChoiceField

from partnership.finance_forms import ExpenseFilterForm, ExpenseForm
from partnership.form_helpers import ListedChoiceIterator
from visits.forms import ActivityFilterForm, ActivityForm, SessionFilterForm, SessionForm
from visits.tests.factories import VenueFactory


def test_the_venue_filter_lists_its_venues_in_one_query(agreement, django_assert_num_queries):
    VenueFactory(agreement=agreement, name="Café Tingshuset")
    VenueFactory(agreement=agreement, name="Biblioteket")
    chosen = VenueFactory(agreement=agreement, name="Gamla teatern")
    form = SessionFilterForm({"venue": chosen.pk}, agreement=agreement)
    assert form.is_valid()  # validating reads the chosen venue: one query of its own
    with django_assert_num_queries(1):
        html = str(form["venue"])
    assert html.count("<option") == 4  # "All venues" and the three venues
    assert "Café Tingshuset" in html and "Biblioteket" in html
    assert f'<option value="{chosen.pk}" selected>Gamla teatern</option>' in html
    # The list is the field's queryset: this agreement's venues in their order, no others.
    VenueFactory(name="Elsewhere")
    listed = [label for value, label in form.fields["venue"].choices if value]
    assert listed == [str(v) for v in form.fields["venue"].queryset]
    assert "Elsewhere" not in html


def test_every_model_choice_field_of_the_forms_uses_the_plain_list(agreement):
    forms = [
        SessionForm(agreement=agreement),
        ActivityForm(agreement=agreement),
        SessionFilterForm(agreement=agreement),
        ActivityFilterForm(agreement=agreement),
        ExpenseForm(agreement=agreement),
        ExpenseFilterForm(agreement=agreement),
    ]
    fields = [
        (type(form).__name__, name, field)
        for form in forms
        for name, field in form.fields.items()
        if isinstance(field, ModelChoiceField)
    ]
    assert len(fields) >= 7
    for form_name, name, field in fields:
        assert isinstance(field.widget.choices, ListedChoiceIterator), (form_name, name)


def test_the_python_widget_renderer_writes_what_djangos_templates_write(agreement):
    """The filter forms' widgets, rendered without the template engine, are byte for byte
    what Django's own templates give: unbound, filled in, chosen, with errors, and with
    text that must be escaped."""
    from django.forms.renderers import DjangoTemplates

    from partnership.form_helpers import PythonWidgetRenderer

    chosen = VenueFactory(agreement=agreement, name='Café "<Tingshuset>" & co')
    VenueFactory(agreement=agreement, name="Biblioteket")
    commitment = agreement.commitments.first()
    cases = [
        (SessionFilterForm, None),
        (SessionFilterForm, {"date_from": "2019-05-06", "venue": chosen.pk}),
        (SessionFilterForm, {"date_from": "06/05/2019", "date_to": '"><b>', "venue": "x"}),
        (ActivityFilterForm, None),
        (ActivityFilterForm, {"type": "sport", "commitment": commitment.pk}),
        (ActivityFilterForm, {"type": "<nope>", "commitment": 10**9}),
    ]
    compared = 0
    for form_class, data in cases:
        fast = form_class(data, agreement=agreement)
        assert isinstance(fast.renderer, PythonWidgetRenderer)
        django = form_class(data, agreement=agreement, renderer=DjangoTemplates())
        fast.is_valid(), django.is_valid()
        for name in fast.fields:
            assert str(fast[name]) == str(django[name]), (form_class.__name__, data, name)
            compared += 1
    assert compared == 21
