"""A readable diff of two texts, word by word, as pieces a template renders (``<del>`` and
``<ins>`` are the template's; no HTML is built here).

>>> text_diff("Café open on Mondays", "Café open on Mondays and Fridays")
[('equal', 'Café open on Mondays'), ('insert', ' and Fridays')]
"""

import difflib
import re

# A word, the spaces after a word, or one sign: joined again they give back the text.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def text_diff(before: str, after: str) -> list[tuple[str, str]]:
    """(op, text) pieces that turn ``before`` into ``after``: op is "equal", "delete" or
    "insert" (a replacement is a deletion followed by an insertion). Neighbouring pieces of
    the same op are merged."""
    old, new = _tokens(before), _tokens(after)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    pieces: list[tuple[str, str]] = []

    def add(op, tokens):
        text = "".join(tokens)
        if not text:
            return
        if pieces and pieces[-1][0] == op:
            pieces[-1] = (op, pieces[-1][1] + text)
        else:
            pieces.append((op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", old[i1:i2])
        else:
            add("delete", old[i1:i2])
            add("insert", new[j1:j2])
    return pieces


def side_by_side(before: str, after: str) -> tuple[list, list]:
    """The pieces of the text before (what stays and what goes) and after (what stays and
    what comes), for a two-column view."""
    pieces = text_diff(before, after)
    return (
        [p for p in pieces if p[0] != "insert"],
        [p for p in pieces if p[0] != "delete"],
    )
