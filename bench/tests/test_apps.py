"""The benchmark is a development tool: production does not install it, and no product
module imports it."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings

IMPORTS_BENCH = re.compile(r"^\s*(from|import)\s+bench\b", re.MULTILINE)


def test_production_does_not_install_the_benchmark():
    env = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": "not-a-secret-only-a-test-of-the-installed-apps-0123456789",
        "ALLOWED_HOSTS": "iop.example.se",
        "IOP_READ_DOT_ENV": "False",
        "DATABASE_URL": "sqlite://:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "help", "--commands"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    commands = result.stdout.split()
    assert "seed_demo" in commands
    assert "benchmark" not in commands and "benchmark_report" not in commands


def test_no_product_module_imports_the_benchmark():
    base = Path(settings.BASE_DIR)
    folders = [base / "config"] + [
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(base) and config.name != "bench"
    ]
    offenders = [
        str(path.relative_to(base))
        for folder in folders
        for path in folder.rglob("*.py")
        if IMPORTS_BENCH.search(path.read_text())
    ]
    assert offenders == []
