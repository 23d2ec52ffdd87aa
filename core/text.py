"""Plain text as the app stores it: one line (a name, a title, a reference) or prose (a note,
a description, a report section).

Every free-text field of the project's models is a ``LineField`` or a ``ProseField``, so the
rules hold wherever a row is written from (a page, Django admin, the CSV import, a shell
calling ``full_clean()``):

- no NUL (PostgreSQL cannot store it) and no other control character: a line allows tabs,
  prose allows tabs and line breaks;
- no direction override (U+202D, U+202E): it makes letters display in another order than
  they are written (U+202E followed by "txt.exe" shows as "exe.txt"), in a page, a
  spreadsheet or a PDF. The marks, embeddings and isolates that text in Arabic, Persian or
  Hebrew may carry are kept: they set a run's direction, and its letters still display as
  written;
- prose has a maximum length that is enforced (Django's ``TextField.max_length`` only sizes
  the form's textarea) and, where it is printed, a maximum number of lines;
- prose is stored with "\\n" line endings: browsers send "\\r\\n", old Macs "\\r".

``one_line()`` is the other side: a text that goes into an HTTP header, a file name or a
calendar line, made into one harmless line whatever the database holds.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import (
    BaseValidator,
    MaxLengthValidator,
    ProhibitNullCharactersValidator,
)
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

# A note or a description of one row (a session, an activity, a payment, a budget line).
NOTE_MAX_LENGTH = 2_000

# Line separators that become "\n" in prose: CR LF, CR, NEL, LINE and PARAGRAPH SEPARATOR.
LINE_BREAK = re.compile("\r\n|[\r\x85\u2028\u2029]")
# Unicode categories never stored: controls (C0, DEL, C1), lone surrogates, and the line and
# paragraph separators (invisible line breaks that differ between programs).
FORBIDDEN_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}
# Direction overrides, never stored: they reorder the letters after them.
DIRECTION_OVERRIDES = "\u202d\u202e"
# Direction embeddings, overrides and isolates: none goes into a file name or a header.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def normalise_newlines(text: str) -> str:
    return LINE_BREAK.sub("\n", text)


def forbidden_character(text: str, allowed: str):
    """(1-based position, character) of the first character ``text`` must not hold, or None."""
    for position, char in enumerate(text, start=1):
        if char in allowed:
            continue
        if char in DIRECTION_OVERRIDES or unicodedata.category(char) in FORBIDDEN_CATEGORIES:
            return position, char
    return None


@deconstructible
class ControlCharacterValidator:
    """Refuses control characters other than those in ``allowed``."""

    def __init__(self, allowed: str, message):
        self.allowed = allowed
        self.message = message

    def __call__(self, value):
        found = forbidden_character(str(value), self.allowed)
        if found:
            position, char = found
            raise ValidationError(
                self.message,
                code="control_character",
                params={"character": f"U+{ord(char):04X}", "position": position},
            )

    def __eq__(self, other):
        return (
            isinstance(other, ControlCharacterValidator)
            and self.allowed == other.allowed
            and self.message == other.message
        )


validate_line = ControlCharacterValidator(
    "\t",
    _(
        "Write this on one line, without control characters (found %(character)s at "
        "position %(position)d)."
    ),
)
validate_prose = ControlCharacterValidator(
    "\t\n",
    _(
        "Remove the control character %(character)s at position %(position)d: the text may "
        "hold line breaks and tabs, but no other control characters."
    ),
)


@deconstructible
class MaxLinesValidator(BaseValidator):
    message = ngettext_lazy(
        "Ensure this text has at most %(limit_value)d line (it has %(show_value)d).",
        "Ensure this text has at most %(limit_value)d lines (it has %(show_value)d).",
        "limit_value",
    )
    code = "max_lines"

    def compare(self, a, b):
        return a > b

    def clean(self, x):
        return normalise_newlines(x).count("\n") + 1 if x else 0


def _without_django_nul_check(validators):
    """Django's form fields refuse NUL with their own message; ours says the same (and more),
    so a NUL gets one message, not two."""
    return [v for v in validators if not isinstance(v, ProhibitNullCharactersValidator)]


class LineFormField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [*_without_django_nul_check(self.validators), validate_line]


class ProseFormField(forms.CharField):
    def __init__(self, *, max_lines=None, **kwargs):
        super().__init__(**kwargs)
        self.validators = [*_without_django_nul_check(self.validators), validate_prose]
        if max_lines:
            self.validators.append(MaxLinesValidator(max_lines))

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_newlines(value) if isinstance(value, str) else value


class LineField(models.CharField):
    """One line of text: a name, a title, a reference."""

    default_validators = [validate_line]

    def formfield(self, **kwargs):
        if self.choices is None:
            kwargs.setdefault("form_class", LineFormField)
        return super().formfield(**kwargs)


class ProseField(models.TextField):
    """Text of several lines, with a maximum length that the model enforces (and, with
    ``max_lines``, a maximum number of lines)."""

    def __init__(self, *args, max_length, max_lines=None, **kwargs):
        self.max_lines = max_lines
        super().__init__(*args, max_length=max_length, **kwargs)

    @cached_property
    def validators(self):
        extra = [validate_prose, MaxLengthValidator(self.max_length)]
        if self.max_lines:
            extra.append(MaxLinesValidator(self.max_lines))
        return [*super().validators, *extra]

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_newlines(value) if isinstance(value, str) else value

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.max_lines is not None:
            kwargs["max_lines"] = self.max_lines
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": ProseFormField, "max_lines": self.max_lines, **kwargs}
        )


def one_line(text, *, max_length=None) -> str:
    """``text`` as one harmless line for a header, a file name or a calendar entry: every
    control character, line break and direction override becomes a space, runs of spaces
    become one."""
    text = BIDI_CONTROLS.sub("", str(text))
    text = "".join(
        " " if unicodedata.category(c) in FORBIDDEN_CATEGORIES or c == "\t" else c for c in text
    )
    text = " ".join(text.split())
    return text[:max_length].rstrip() if max_length else text


def shorten(text: str, limit: int = 80) -> str:
    """``text`` up to ``limit`` characters, cut between words with "…" when longer."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
