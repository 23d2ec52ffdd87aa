"""Settings for the test suite: the application's settings, with a fast password hasher.

Tests create many users and log them in; the default PBKDF2 hasher is slow on purpose, MD5
is not (healthchecks, Hypha and pretix test the same way). Never use this module in
production."""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
