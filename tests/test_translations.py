"""Both catalogues are complete: no untranslated and no fuzzy entry, and the placeholders of
every translation match the source string."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po")) + sorted(
    p for p in ROOT.glob("*/locale/*/LC_MESSAGES/django.po") if ".venv" not in p.parts
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def test_catalogues_exist_for_both_languages():
    languages = {p.parts[-3] for p in CATALOGUES}
    assert languages == {"sv", "en"}
    for app in APPS:
        if not any((ROOT / app / "locale").glob("*/LC_MESSAGES/django.po")):
            continue  # an app with no strings of its own yet
        for lang in ("sv", "en"):
            assert (ROOT / app / "locale" / lang / "LC_MESSAGES" / "django.po").exists()


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy[:10]}"
    for entry in po.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(
                set(PLACEHOLDER.findall(entry.msgid))
            ) or (entry.msgid_plural), f"placeholders differ in {path}: {entry.msgid!r} → {text!r}"


# Every source string reaches a Swedish reader translated ----------------------------------
# A string the catalogues lack (a new template never run through bin/i18n) is shown in
# English to Swedish users. This finds the literal strings of templates and Python code and
# asks Django, with Swedish active, for each one: it must be translated in one of our
# catalogues (where the Swedish may equal the English, as in "Budget") or by Django's own.

APPS = tuple(settings.PROJECT_APPS)
TEMPLATE_DIRS = [ROOT / "templates"] + [ROOT / app / "templates" for app in APPS]
TRANSLATE_TAG = re.compile(r"""{%\s*trans(?:late)?\s+(["'])(.+?)\1(?:\s+[^%]*)?%}""")
TRANSLATE_FILTER_ARG = re.compile(r"""\b_\((["'])(.+?)\1\)""")
BLOCK_TAG = re.compile(
    r"{%\s*blocktrans(?:late)?\b([^%]*)%}(.*?){%\s*endblocktrans(?:late)?\s*%}", re.DOTALL
)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")
PY_CALL = re.compile(r"""\b(?:_|gettext|gettext_lazy)\(\s*(["'])((?:(?!\1)[^\\\n])+)\1\s*[,)]""")


def _block_msgid(args, body):
    if "count" in args.split() or "context" in args.split() or "{% plural" in body:
        return None
    if "trimmed" in args.split():
        body = " ".join(line.strip() for line in body.strip().splitlines() if line.strip())
    body = body.replace("%", "%%")
    return VARIABLE.sub(lambda m: f"%({m.group(1)})s", body)


def source_strings():
    """(msgid, where) of the literal translatable strings in our templates and code."""
    found = []
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            text = path.read_text()
            where = str(path.relative_to(ROOT))
            found += [(m.group(2), where) for m in TRANSLATE_TAG.finditer(text)]
            found += [(m.group(2), where) for m in TRANSLATE_FILTER_ARG.finditer(text)]
            for m in BLOCK_TAG.finditer(text):
                msgid = _block_msgid(m.group(1), m.group(2))
                if msgid:
                    found.append((msgid, where))
    for app in APPS + ("config",):
        for path in (ROOT / app).rglob("*.py"):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts:
                continue
            text = path.read_text()
            where = str(path.relative_to(ROOT))
            found += [(m.group(2), where) for m in PY_CALL.finditer(text)]
    return found


def test_the_source_scan_finds_strings():
    msgids = {msgid for msgid, _ in source_strings()}
    assert {"My agreements", "Log in", "Skip to main content"} <= msgids


# An area whose strings are known to be pending translation, with the reason (strict xfail:
# once they are translated the mark must go).
PENDING: dict[str, str] = {}


@pytest.mark.parametrize(
    "area",
    [
        pytest.param(a, marks=pytest.mark.xfail(strict=True, reason=PENDING[a]))
        if a in PENDING
        else a
        for a in (*APPS, "templates", "config")
    ],
)
def test_every_source_string_is_translated_to_swedish(area):
    from django.utils import translation

    ours = set()
    for path in CATALOGUES:
        if path.parts[-3] == "sv":
            ours |= {e.msgid for e in polib.pofile(str(path)).translated_entries()}
    missing = set()
    with translation.override("sv"):
        for msgid, where in source_strings():
            if where.split("/", 1)[0] != area:
                continue
            if msgid not in ours and translation.gettext(msgid) == msgid:
                missing.add(f"{where}: {msgid!r}")
    assert not missing, "\n".join(sorted(missing))


# Every translation of ours is the one a reader sees ---------------------------------------
# Django merges the catalogues of all apps: a string that Django's own apps translate too
# ("Sessions" → "Sessioner", "Today" → "Idag") is shown in their words unless the project
# catalogue (LOCALE_PATHS, read first) says otherwise; and the same string translated two
# ways in two of our catalogues shows one of them everywhere. Either is a term off the
# glossary (docs/glossary.md) on some page.


def test_every_translation_of_ours_is_the_one_shown():
    from django.utils import translation

    off = []
    with translation.override("sv"):
        for path in CATALOGUES:
            if path.parts[-3] != "sv":
                continue
            for e in polib.pofile(str(path)).translated_entries():
                if e.msgid_plural:
                    shown = (
                        translation.npgettext(e.msgctxt, e.msgid, e.msgid_plural, 1)
                        if e.msgctxt
                        else translation.ngettext(e.msgid, e.msgid_plural, 1)
                    )
                    ours = e.msgstr_plural[0]
                else:
                    shown = (
                        translation.pgettext(e.msgctxt, e.msgid)
                        if e.msgctxt
                        else translation.gettext(e.msgid)
                    )
                    ours = e.msgstr
                if shown != ours:
                    where = path.relative_to(ROOT)
                    off.append(f"{where}: {e.msgid!r} is translated {ours!r} but shows {shown!r}")
    assert not off, "\n".join(off)
