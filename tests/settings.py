"""Settings for the test suite: the project's own, with the development defaults (no
secret key needed, no HTTPS redirect). pytest-django still runs tests with DEBUG off."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")

from lkks.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
