"""Plain text as the app stores it (core/text.py): one line or prose, never a control
character but tab and line break, prose with an enforced maximum length."""

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.test.utils import isolate_apps
from django.utils import translation

from core.text import (
    LineField,
    MaxLinesValidator,
    ProseField,
    normalise_newlines,
    one_line,
    validate_line,
    validate_prose,
)

CONTROL = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028", "\ud800"]
# The two direction overrides: "\u202etxt.exe" displays as "exe.txt".
CONTROL += ["\u202d", "\u202e"]


@pytest.mark.parametrize("char", CONTROL)
def test_prose_refuses_control_characters(char):
    with pytest.raises(ValidationError) as error:
        validate_prose(f"ab{char}c")
    assert error.value.code == "control_character"
    assert error.value.params == {"character": f"U+{ord(char):04X}", "position": 3}


def test_prose_keeps_line_breaks_and_tabs():
    validate_prose("Line one\n\tindented\nline three")


@pytest.mark.parametrize("char", [*CONTROL, "\n", "\r"])
def test_a_line_refuses_control_characters_and_line_breaks(char):
    with pytest.raises(ValidationError):
        validate_line(f"LivA{char}X-INJECTED:1")


def test_a_line_keeps_tabs_and_any_printable_text():
    validate_line('Hej främling! "LivA" – 2019\t(ö, é, 😀)')


def test_right_to_left_text_keeps_its_marks_embeddings_and_isolates():
    # Arabic and Hebrew with a right-to-left mark, an isolate and an embedding around a
    # name written left to right: each run keeps its letters in their written order.
    for text in (
        "مرحبا\u200f Café Tingshuset",
        "שלום \u2067Hej främling!\u2069 – 2019",
        "\u202bمقهى Tingshuset\u202c",
    ):
        validate_line(text)
        validate_prose(text + "\nrad två")


def test_the_message_is_in_the_users_language():
    for language, words in (("sv", "på en rad"), ("en", "on one line")):
        with translation.override(language):
            with pytest.raises(ValidationError) as error:
                validate_line("a\rb")
            assert words in error.value.messages[0]
            assert "U+000D" in error.value.messages[0] and "2" in error.value.messages[0]


def test_line_endings_become_newlines():
    assert normalise_newlines("a\r\nb\rc\u2028d\ne") == "a\nb\nc\nd\ne"


def test_max_lines_counts_lines_after_normalising():
    MaxLinesValidator(3)("one\r\ntwo\r\nthree")
    with pytest.raises(ValidationError) as error:
        MaxLinesValidator(3)("1\n2\n3\n4")
    assert error.value.code == "max_lines"


@pytest.fixture(scope="module")
def Note():  # noqa: N802 - a model class
    with isolate_apps("core"):

        class Note(models.Model):  # noqa: DJ008
            title = LineField(max_length=20)
            text = ProseField(max_length=20, max_lines=3, blank=True)

            class Meta:
                app_label = "core"

        yield Note


def test_a_prose_field_enforces_its_maximum_length_at_the_model_level(Note):  # noqa: N803
    # Django's TextField.max_length only sizes the form's textarea; ProseField enforces it.
    note = Note(title="ok", text="x" * 21)
    with pytest.raises(ValidationError) as error:
        note.full_clean()
    assert set(error.value.message_dict) == {"text"}


def test_a_prose_field_stores_newlines_as_the_browser_sent_them_normalised(Note):  # noqa: N803
    note = Note(title="ok", text="a\r\nb")
    note.full_clean()
    assert note.text == "a\nb"


def test_a_prose_field_refuses_nul_and_too_many_lines_at_the_model_level(Note):  # noqa: N803
    for text in ("a\x00b", "1\n2\n3\n4"):
        with pytest.raises(ValidationError):
            Note(title="ok", text=text).full_clean()
    with pytest.raises(ValidationError):
        Note(title="a\rb").full_clean()


def test_the_form_fields_carry_the_same_rules(Note):  # noqa: N803
    class NoteForm(forms.ModelForm):
        class Meta:
            model = Note
            fields = ["title", "text"]

    form = NoteForm({"title": "a\x00b", "text": "1\r\n2\r\n3"})
    assert not form.is_valid()
    assert list(form.errors) == ["title"]
    assert len(form.errors["title"]) == 1  # one message for a NUL, not Django's and ours
    assert form.cleaned_data["text"] == "1\n2\n3"
    # "x\r\n" * 10 is 30 characters as sent, 20 as stored: within the maximum.
    assert NoteForm({"title": "t", "text": "x\r\n" * 6 + "x"}).errors["text"]  # 7 lines
    assert NoteForm({"title": "t", "text": "123456789\r\n123456789"}).is_valid()


def test_one_line_makes_a_harmless_header_value():
    assert one_line('LivA\r\nX-INJECTED: 1\x00\t"x"') == 'LivA X-INJECTED: 1 "x"'
    assert one_line("evil\u202etxt.exe") == "eviltxt.exe"
    assert one_line("  a  b  ", max_length=3) == "a b"


# Text fields that are not free text: choices, checksums, tokens, frozen JSON.
NOT_FREE_TEXT = {
    "finance.ExpenseImport.file_sha256",
    "documents.Document.sha256",
    "reporting.ReportVersion.language",
    "reporting.ReportVersion.narrative_json",
    "reporting.ReportVersion.figures_json",
    "reporting.ReportVersion.sha256",
    "reporting.CalendarToken.token",
}


def test_every_free_text_field_of_the_project_is_a_line_or_prose_field(settings):
    wrong = []
    for app in settings.PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            if model._meta.label.split(".")[1].startswith("Historical"):
                continue
            for field in model._meta.get_fields():
                label = f"{model._meta.label}.{field.name}"
                if not isinstance(field, models.CharField | models.TextField):
                    continue
                if field.choices or label in NOT_FREE_TEXT or isinstance(field, models.EmailField):
                    continue
                if not isinstance(field, LineField | ProseField):
                    wrong.append(label)
    assert wrong == []
