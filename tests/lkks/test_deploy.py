"""Production settings, security headers, the Content-Security-Policy, error pages
without internals, and the deployment files of deploy/."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path

from tests.factories import UserFactory

PROJECT_ROOT = Path(__file__).resolve().parents[2]
APPS_WITH_TEMPLATES = ["lkks", "members", "programs", "grants"]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def production_environment(**extra):
    """The environment of a production server: no DJANGO_* variable of this shell,
    a long random secret, the host name, a PostgreSQL database (never connected to by
    these checks)."""
    clean = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    return (
        clean
        | {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DATABASE_URL": "postgres://si_lkks@127.0.0.1:5432/si_lkks",
            "DJANGO_ALLOWED_HOSTS": "lkks.example.go.id",
            "DJANGO_CSRF_TRUSTED_ORIGINS": "https://lkks.example.go.id",
            # Production sends its reminders by SMTP; Django refuses the console backend.
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        }
        | extra
    )


def run(*command, env):
    return subprocess.run(
        list(command),
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_settings(**extra):
    names = [
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
    ]
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    result = run(
        sys.executable,
        "-c",
        code,
        env=production_environment(DJANGO_SETTINGS_MODULE="lkks.settings", **extra),
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# manage.py check --deploy


@pytest.mark.parametrize(
    "extra",
    [{}, {"DJANGO_BEHIND_PROXY": "true"}],
    ids=["direct", "behind-a-proxy"],
)
def test_the_deployment_checks_pass_with_production_settings(extra):
    result = run(
        sys.executable,
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_environment(**extra),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_are_strict_by_default():
    values = production_settings()

    assert values == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
    }


def test_behind_a_proxy_https_comes_from_its_header_and_the_redirect_can_be_left_to_it():
    values = production_settings(DJANGO_BEHIND_PROXY="true", DJANGO_SECURE_SSL_REDIRECT="false")

    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is True


def test_hsts_and_its_preload_can_be_turned_off():
    values = production_settings(DJANGO_HSTS_SECONDS="0")

    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_HSTS_PRELOAD"] is False


@override_settings(
    SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
)
def test_behind_a_proxy_plain_http_is_redirected_and_forwarded_https_is_served(client, db):
    plain = client.get("/accounts/login/")
    forwarded = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")

    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    assert forwarded.status_code == 200


# Headers


@pytest.fixture
def staff_client(client, kampar):
    from tests.factories import MembershipFactory

    user = UserFactory()
    MembershipFactory(user=user, body=kampar, role="staff")
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", ["/accounts/login/", "/nowhere/"])
def test_pages_for_anyone_carry_the_security_headers(client, db, url):
    response = client.get(url)

    assert response["Content-Security-Policy"] == CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("url", ["/", "/members/", "/grants/", "/admin/"])
def test_pages_after_log_in_carry_the_security_headers(client, staff_client, admin_user, url):
    if url == "/admin/":
        client.force_login(admin_user)
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy-Report-Only" not in response


def test_the_policy_is_enforced_not_only_reported():
    assert settings.SECURE_CSP
    assert not settings.SECURE_CSP_REPORT_ONLY
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE


def template_files():
    roots = [Path(directory) for directory in settings.TEMPLATES[0]["DIRS"]]
    roots += [PROJECT_ROOT / app / "templates" for app in APPS_WITH_TEMPLATES]
    for root in roots:
        for file in sorted(root.rglob("*")):
            if file.suffix in {".html", ".svg", ".xml"}:
                yield file


# What the policy would block: inline code and inline styles.
INLINE = {
    "inline script": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)", re.I),
    "style block": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler": re.compile(
        r"\son(click|change|submit|load|input|key\w+|focus|blur|mouse\w+|error)\s*=", re.I
    ),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_no_template_needs_the_policy_loosened():
    found = [
        f"{file.relative_to(PROJECT_ROOT)}:{number}: {kind}"
        for file in template_files()
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1)
        for kind, pattern in INLINE.items()
        if pattern.search(line)
    ]

    assert found == []


def test_the_template_check_finds_what_it_looks_for():
    lines = [
        "<script>alert(1)</script>",
        '<div style="color: red">',
        "<style>p {}</style>",
        '<button onclick="go()">',
        '<a href="javascript:go()">',
    ]
    assert all(any(p.search(line) for p in INLINE.values()) for line in lines)
    assert not any(
        p.search(line)
        for p in INLINE.values()
        for line in [
            '<script src="/static/x.js"></script>',
            '<script id="data" type="application/json">{}</script>',
            '<p class="one">',
        ]
    )


# Error pages


@login_not_required
def refuse(request):
    raise PermissionDenied("internal detail: role check in refuse()")


@login_not_required
def missing(request):
    raise Http404("internal detail: no Grant matches the given query")


@login_not_required
def suspicious(request):
    raise SuspiciousOperation("internal detail: tampered signature")


@login_not_required
def crash(request):
    raise ZeroDivisionError("internal detail: secret_total / 0")


@login_not_required
def form(request):
    return HttpResponse("ok")


urlpatterns = [
    path("refuse/", refuse),
    path("missing/", missing),
    path("suspicious/", suspicious),
    path("crash/", crash),
    path("form/", form),
    # The project's own URLs after these: the error pages link to them (navigation).
    path("", include("lkks.urls")),
]

ERROR_PAGES = override_settings(ROOT_URLCONF=__name__, DEBUG=False)


def assert_no_internals(response):
    text = response.content.decode()
    assert "internal detail" not in text
    assert "Traceback" not in text
    assert "File &quot;" not in text
    assert 'File "' not in text
    assert "settings" not in text.lower()


def test_an_unknown_page_is_the_indonesian_404(client, db):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert response.templates[0].name == "404.html"
    assert "Halaman tidak ditemukan" in response.text
    assert 'lang="id"' in response.text


@ERROR_PAGES
@pytest.mark.parametrize(
    ("url", "status", "template", "indonesian"),
    [
        ("/missing/", 404, "404.html", "Halaman tidak ditemukan"),
        ("/refuse/", 403, "403.html", "Tidak diizinkan"),
        ("/suspicious/", 400, "400.html", "Permintaan tidak valid"),
    ],
)
def test_error_pages_are_indonesian_without_internals(client, url, status, template, indonesian):
    response = client.get(url)

    assert response.status_code == status
    assert template in [t.name for t in response.templates]
    assert indonesian in response.text
    assert "Kembali ke SI-LKKS" in response.text
    assert_no_internals(response)


@ERROR_PAGES
def test_a_crash_is_the_indonesian_500_page_without_a_traceback(client):
    client.raise_request_exception = False

    response = client.get("/crash/")

    assert response.status_code == 500
    assert "Terjadi kesalahan" in response.text
    assert "ZeroDivisionError" not in response.text
    assert_no_internals(response)
    assert response["Content-Security-Policy"] == CSP


@ERROR_PAGES
def test_a_host_not_allowed_is_a_400_page(client):
    response = client.get("/form/", HTTP_HOST="evil.example.com")

    assert response.status_code == 400
    assert "Permintaan tidak valid" in response.text
    assert "evil.example.com" not in response.text


def test_a_form_without_its_csrf_token_gets_the_form_expired_page(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert "403_csrf.html" in [t.name for t in response.templates]
    assert "CSRF" not in response.text
    assert "Referer" not in response.text


def test_the_500_page_needs_no_context_and_no_static_manifest():
    """handler500 renders 500.html without a request context; it must not load tags
    that need one, nor static files that a broken deployment may not have."""
    text = (PROJECT_ROOT / "templates" / "500.html").read_text(encoding="utf-8")

    assert "{%" not in text
    assert "{{" not in text


# Deployment files


def test_the_gunicorn_configuration_loads_the_app():
    result = run(
        sys.executable,
        "-m",
        "gunicorn",
        "--check-config",
        "-c",
        "deploy/gunicorn.conf.py",
        env=production_environment(),
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_gunicorn_configuration_binds_to_loopback_with_a_timeout():
    result = run(
        sys.executable,
        "-m",
        "gunicorn",
        "--print-config",
        "-c",
        "deploy/gunicorn.conf.py",
        env=production_environment(),
    )
    config = dict(
        re.findall(r"^(\w+)\s+= (.*)$", result.stdout, re.M),
    )

    assert result.returncode == 0, result.stderr
    assert config["bind"] == "['127.0.0.1:8000']"
    assert config["wsgi_app"] == "lkks.wsgi:application"
    assert int(config["timeout"]) >= 60
    assert int(config["workers"]) >= 2


@pytest.mark.parametrize("script", ["deploy/backup.sh", "deploy/restore.sh"])
def test_the_backup_scripts_are_valid_shell_and_executable(script):
    result = run("sh", "-n", script, env=os.environ.copy())

    assert result.returncode == 0, result.stderr
    assert os.access(PROJECT_ROOT / script, os.X_OK)


def test_the_nginx_example_never_publishes_the_media_directory():
    text = (PROJECT_ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")

    assert "location /media/ { return 404; }" in text
    assert "/srv/si-lkks/media" not in text
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text


def test_the_systemd_unit_runs_gunicorn_with_the_committed_configuration():
    text = (PROJECT_ROOT / "deploy" / "si-lkks.service").read_text(encoding="utf-8")

    assert "gunicorn -c deploy/gunicorn.conf.py" in text
    assert "EnvironmentFile=/etc/si-lkks/env" in text
    assert "ReadWritePaths=/srv/si-lkks/media" in text


@pytest.mark.parametrize(
    ("unit", "command"),
    [
        ("si-lkks-reminders", "manage.py send_reminders"),
        ("si-lkks-prune", "manage.py prune_security_events"),
    ],
)
def test_each_daily_job_has_a_timer_and_a_one_shot_service(unit, command):
    service = (PROJECT_ROOT / "deploy" / f"{unit}.service").read_text(encoding="utf-8")
    timer = (PROJECT_ROOT / "deploy" / f"{unit}.timer").read_text(encoding="utf-8")

    assert "Type=oneshot" in service
    assert f"ExecStart=/srv/si-lkks/app/.venv/bin/python {command}" in service
    assert "EnvironmentFile=/etc/si-lkks/env" in service
    assert "User=si-lkks" in service
    assert re.search(r"^OnCalendar=\*-\*-\* \d\d:\d\d:00$", timer, re.M)
    assert "Persistent=true" in timer
    assert "WantedBy=timers.target" in timer


def test_the_commands_the_timers_run_exist():
    from django.core.management import get_commands

    assert get_commands()["send_reminders"] == "overview"
    assert get_commands()["prune_security_events"] == "lkks"


# Locked installs

LOCKS = ["requirements.lock", "requirements-dev.lock"]
REQUIREMENT = re.compile(r"^([A-Za-z0-9._-]+)==([^ \\]+)(?: \\)?$")


def locked(name):
    """{package: (version, number of hashes)} of a lock file."""
    packages, current = {}, None
    for line in (PROJECT_ROOT / name).read_text(encoding="utf-8").splitlines():
        if match := REQUIREMENT.match(line):
            current = match[1].lower().replace("_", "-").replace(".", "-")
            packages[current] = [match[2], 0]
        elif line.strip().startswith("--hash=sha256:"):
            packages[current][1] += 1
    return {package: tuple(found) for package, found in packages.items()}


def declared(extra=None):
    import tomllib

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"
    ]
    requirements = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return {
        re.split(r"[<>=!\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
        for requirement in requirements
    }


@pytest.mark.parametrize("name", LOCKS)
def test_every_locked_package_is_pinned_with_its_hashes(name):
    packages = locked(name)

    assert packages
    assert all(hashes >= 1 for _version, hashes in packages.values())


def test_the_locks_hold_every_dependency_at_one_version():
    runtime, dev = locked("requirements.lock"), locked("requirements-dev.lock")

    assert declared() <= set(runtime)
    assert declared() | declared("dev") <= set(dev)
    assert {package: dev[package] for package in runtime} == runtime


def test_make_installs_from_the_locks_with_hashes_and_can_refresh_them():
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")

    assert "--require-hashes -r $(LOCK)" in makefile
    assert "--require-hashes -r $(DEV_LOCK)" in makefile
    assert "--no-deps -e ." in makefile
    assert "--build-constraint constraints.txt" in makefile
    assert re.search(r"^lock: ", makefile, re.M)
    assert "--generate-hashes" in makefile


def test_the_deployment_guide_installs_from_the_lock():
    guide = (PROJECT_ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")

    assert "--require-hashes --build-constraint constraints.txt -r requirements.lock" in guide
    assert "--no-deps --build-constraint constraints.txt -e ." in guide
    assert "si-lkks-reminders.timer" in guide


def test_the_installed_packages_are_the_locked_ones():
    """The environment the tests run in is the one the lock describes."""
    from importlib.metadata import distributions

    installed = {
        dist.metadata["Name"].lower().replace("_", "-").replace(".", "-"): dist.version
        for dist in distributions()
    }
    runtime = locked("requirements.lock")

    assert {package: installed.get(package) for package in runtime} == {
        package: version for package, (version, _hashes) in runtime.items()
    }
