"""The cache that CACHE_URL names, and the default one: shared by every app process in
production (the database), this process's memory in development."""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from lkks.settings import CACHE_TABLE, cache_from_url

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/0"
DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"
REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
MEMORY_CACHE = "django.core.cache.backends.locmem.LocMemCache"


def redis_is_running():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


# Nothing requires Redis: without one, only the tests against a real Redis stand aside.
needs_redis = pytest.mark.skipif(not redis_is_running(), reason="no Redis on 127.0.0.1:6379")


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        (REDIS, REDIS_CACHE, REDIS),
        ("rediss://:secret@cache.example.go.id:6380/1", REDIS_CACHE, None),
        ("db", DATABASE_CACHE, CACHE_TABLE),
        ("database", DATABASE_CACHE, CACHE_TABLE),
        ("db://", DATABASE_CACHE, CACHE_TABLE),
        ("locmem", MEMORY_CACHE, None),
        (" LocMem ", MEMORY_CACHE, None),
    ],
)
def test_cache_url_names_the_cache(url, backend, location):
    cache_settings = cache_from_url(url)

    assert cache_settings["BACKEND"] == backend
    if location is not None:
        assert cache_settings["LOCATION"] == location


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("memcached://127.0.0.1:11211", "memcached"),
        ("redis", "redis"),  # a Redis needs its address
        ("file:///var/tmp/cache", "file"),
        ("http://:hunter2@cache.example.go.id", "http"),
    ],
)
def test_a_cache_url_of_another_kind_is_refused_naming_its_scheme_only(url, scheme):
    with pytest.raises(ImproperlyConfigured) as refused:
        cache_from_url(url)

    assert f"scheme {scheme!r}" in str(refused.value)
    assert "redis://127.0.0.1:6379/0" in str(refused.value)
    assert "hunter2" not in str(refused.value)


def cache_backend_at_start_up(**env):
    """Start lkks.settings in a fresh interpreter with only ``env`` set (besides PATH)."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DJANGO_") and name not in {"DATABASE_URL", "CACHE_URL"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import lkks.settings as s; print(s.CACHES['default']['BACKEND'])",
        ],
        cwd=PROJECT_ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


PRODUCTION = {
    "DJANGO_SECRET_KEY": "k" * 50,
    "DATABASE_URL": "postgres://si_lkks@127.0.0.1:5432/si_lkks",
}


def test_production_shares_the_database_cache_unless_told_otherwise():
    result = cache_backend_at_start_up(**PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == DATABASE_CACHE


def test_development_keeps_its_cache_in_memory():
    result = cache_backend_at_start_up(DJANGO_DEBUG="true")

    assert result.stdout.strip() == MEMORY_CACHE


def test_production_takes_redis_from_cache_url():
    result = cache_backend_at_start_up(**PRODUCTION, CACHE_URL=REDIS)

    assert result.stdout.strip() == REDIS_CACHE


def test_a_bad_cache_url_stops_the_start_up_with_a_clear_message():
    result = cache_backend_at_start_up(**PRODUCTION, CACHE_URL="memcache://127.0.0.1:11211")

    assert result.returncode != 0
    assert "ImproperlyConfigured: CACHE_URL has the scheme 'memcache'" in result.stderr


# The caches themselves


def test_the_database_cache_table_is_made_by_the_migrations(db, settings):
    """The tests' own cache is in memory, so the table here comes from the lkks
    migration, as on a server where nobody ran createcachetable."""
    settings.CACHES = {"default": cache_from_url("db")}

    assert CACHE_TABLE in connection.introspection.table_names()
    cache.set("lkks:test", {"figure": 42}, 60)
    assert cache.get("lkks:test") == {"figure": 42}


@needs_redis
def test_the_redis_cache_keeps_values(settings):
    settings.CACHES = {
        "default": cache_from_url(REDIS) | {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }

    cache.set("lkks:test", {"figure": 42}, 60)
    try:
        assert cache.get("lkks:test") == {"figure": 42}
    finally:
        cache.delete("lkks:test")
