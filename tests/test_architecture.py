"""The apps depend on each other one way: core ← partnership ← finance, visits, dialogue ←
documents ← reporting ← notices; none imports the benchmark (``bench``, a development tool).

Read from the source (every import statement of every production module), so that a new
import against the direction fails here rather than in a review."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
# What each app may import of the project's apps (besides itself).
ALLOWED = {
    "core": set(),
    "partnership": {"core"},
    "finance": {"core", "partnership"},
    "visits": {"core", "partnership"},
    "dialogue": {"core", "partnership"},
    "documents": {"core", "partnership", "finance", "dialogue"},
    "reporting": {"core", "partnership", "finance", "visits", "dialogue", "documents"},
    "notices": {"core", "partnership", "dialogue", "reporting"},
}


def imported_apps(path: Path, package: str) -> set[str]:
    """The project apps that the module at ``path`` (in app ``package``) imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [package] if node.level else [node.module or ""]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & (set(ALLOWED) | {"bench"})
    return found - {package}


def production_modules(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" not in parts and "migrations" not in parts:
            yield path


def test_every_project_app_has_a_rule():
    assert set(settings.PROJECT_APPS) == set(ALLOWED)


@pytest.mark.parametrize("app", [*sorted(ALLOWED), "config"])
def test_imports_run_one_way(app):
    allowed = ALLOWED.get(app, set(ALLOWED))  # config (settings, urls) may import every app
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path, app) - allowed)
        for path in production_modules(app)
    }
    assert {path: apps for path, apps in wrong.items() if apps} == {}


def test_the_check_sees_an_import_against_the_direction(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        "from visits.models import Session\nimport finance.services\nfrom . import x\n"
    )
    assert imported_apps(module, "partnership") == {"visits", "finance"}
