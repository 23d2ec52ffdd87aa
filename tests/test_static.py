"""Production static files: WhiteNoise's manifest storage (``collectstatic`` with DEBUG off)
fails on a file that refers to one not shipped, such as a source map. Every reference in our
own static files must exist."""

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "static"
SOURCE_MAP = re.compile(rb"[#@] sourceMappingURL=(\S+?)(?:\s*\*/)?\s*$", re.MULTILINE)


def test_source_maps_referred_to_are_shipped():
    missing = []
    for path in STATIC.rglob("*"):
        if path.suffix not in {".js", ".css"}:
            continue
        for target in SOURCE_MAP.findall(path.read_bytes()):
            if not (path.parent / target.decode()).exists():
                missing.append(f"{path.relative_to(STATIC)} → {target.decode()}")
    assert not missing, missing
