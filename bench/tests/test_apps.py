"""The benchmark is a development tool: production does not install it. (That no product
module imports it is tests/test_architecture.py's.)"""

import os
import subprocess
import sys

from django.conf import settings


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
