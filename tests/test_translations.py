"""Both catalogues are complete: no untranslated and no fuzzy entry, and the placeholders of
every translation match the source string."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po")) + sorted(
    p for p in ROOT.glob("*/locale/*/LC_MESSAGES/django.po") if ".venv" not in p.parts
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def test_catalogues_exist_for_both_languages():
    languages = {p.parts[-3] for p in CATALOGUES}
    assert languages == {"sv", "en"}
    for app in ("partnership", "visits", "reporting"):
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
