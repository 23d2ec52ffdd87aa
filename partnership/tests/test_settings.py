"""Production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _start(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    env.update({"IOP_READ_DOT_ENV": "false", **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "env, missing",
    [
        ({"DEBUG": "false", "ALLOWED_HOSTS": "iop.example.se"}, "SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 60}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_secrets(env, missing):
    result = _start(env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_starts_with_secrets():
    result = _start({"DEBUG": "false", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "iop.example.se"})
    assert result.returncode == 0, result.stderr


def test_no_environment_means_sqlite_and_debug():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
            "from django.conf import settings;print(settings.DEBUG, settings.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "IOP_READ_DOT_ENV": "false"},
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"], result.stderr


def test_database_url_switches_to_postgresql():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os;os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
            "from django.conf import settings;d=settings.DATABASES['default'];print(d['ENGINE'], d['NAME'])",
        ],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "IOP_READ_DOT_ENV": "false",
            "DATABASE_URL": "postgres://iop:pw@db.example:5432/iop",
        },
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "iop"], result.stderr


def _postgres_options(extra_env):
    code = (
        "import os;os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "from django.conf import settings;"
        "print(sorted(settings.DATABASES['default'].get('OPTIONS', {}).items()))"
    )
    env = {
        "PATH": os.environ["PATH"],
        "IOP_READ_DOT_ENV": "false",
        "DATABASE_URL": "postgres://iop:pw@db.example:5432/iop",
        **extra_env,
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_postgresql_prepares_statements_unless_turned_off_for_a_pooler():
    assert _postgres_options({}) == "[('prepare_threshold', 5), ('server_side_binding', True)]"
    assert _postgres_options({"DATABASE_PREPARED_STATEMENTS": "False"}) == "[]"


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_repeated_query_is_prepared_in_postgresql():
    """The fifth run of the same query on a connection is prepared: PostgreSQL then parses
    and plans it once instead of for every page."""
    from django.db import connection

    from partnership.models import Agreement

    for _ in range(6):
        list(Agreement.objects.filter(pk=1))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "partnership_agreement"' in sql for sql in prepared), prepared
