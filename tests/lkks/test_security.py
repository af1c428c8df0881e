"""Log-in throttling and the security log: who logged in, failed, was locked out or
changed a role or a password, when and from where."""

import datetime
import io

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from lkks.models import Membership, SecurityEvent, User
from lkks.security import client_ip
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
HOME = "198.51.100.7"
ATTACKER = "203.0.113.66"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
Kind = SecurityEvent.Kind


def log_in(client, username, password="demo", address=HOME):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_USER_AGENT=BROWSER,
    )


def fail(client, username, times, address=ATTACKER):
    for _ in range(times):
        response = log_in(client, username, password="wrong-password", address=address)
        assert response.status_code in {200, 429}


def events(kind):
    return list(SecurityEvent.objects.filter(kind=kind).order_by("pk"))


@pytest.fixture
def siti(db):
    return UserFactory(username="siti")


# Log-ins, failures and log-outs


def test_a_log_in_is_recorded_with_the_address_and_browser(client, siti):
    response = log_in(client, "siti")

    assert response.status_code == 302
    [event] = events(Kind.LOGIN)
    assert event.user == siti
    assert event.username == "siti"
    assert event.ip_address == HOME
    assert event.user_agent == BROWSER
    assert event.details == {"path": LOGIN}
    assert event.occurred_at is not None


def test_a_failed_log_in_keeps_the_user_name_as_typed_and_the_account_it_names(client, siti):
    log_in(client, "siti", password="wrong")
    log_in(client, "nobody-here", password="wrong")

    known, unknown = events(Kind.LOGIN_FAILED)
    assert (known.username, known.user, known.ip_address) == ("siti", siti, HOME)
    assert (unknown.username, unknown.user) == ("nobody-here", None)
    assert not events(Kind.LOGIN)


def test_a_log_out_is_recorded(client, siti):
    log_in(client, "siti")

    response = client.post(reverse("logout"), REMOTE_ADDR=HOME)

    assert response.status_code == 302
    [event] = events(Kind.LOGOUT)
    assert (event.user, event.ip_address) == (siti, HOME)


def test_a_log_in_through_the_admin_is_recorded_with_its_path(client):
    UserFactory(username="boss", is_staff=True, is_superuser=True)

    response = client.post(
        reverse("admin:login"), {"username": "boss", "password": "demo"}, REMOTE_ADDR=HOME
    )

    assert response.status_code == 302
    [event] = events(Kind.LOGIN)
    assert event.details["path"] == reverse("admin:login")


# Throttling


def test_the_limits_are_ten_per_user_name_and_address_and_fifty_per_address():
    assert settings.AXES_FAILURE_LIMIT == 10
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 50
    assert datetime.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_nine_failures_still_let_the_right_password_in(client, siti):
    fail(client, "siti", 9)

    assert log_in(client, "siti", address=ATTACKER).status_code == 302


def test_ten_failures_lock_the_user_name_at_that_address(client, siti):
    fail(client, "siti", 10)

    response = log_in(client, "siti", address=ATTACKER)

    assert response.status_code == 429
    assert "lkks/locked_out.html" in [template.name for template in response.templates]
    assert response.context["minutes"] == 15
    assert "_auth_user_id" not in client.session


def test_the_tenth_failure_already_gets_the_lockout_page(client, siti):
    fail(client, "siti", 9)

    response = log_in(client, "siti", password="wrong", address=ATTACKER)

    assert response.status_code == 429


def test_a_lock_does_not_reach_the_user_at_another_address(client, siti):
    """One attacker failing on purpose cannot lock the real user out."""
    fail(client, "siti", 25)

    assert log_in(client, "siti", address=HOME).status_code == 302


def test_a_lock_does_not_reach_other_user_names_at_the_same_address(client, siti):
    """An office behind one address keeps working when one person is locked."""
    UserFactory(username="budi")
    fail(client, "siti", 10, address=HOME)

    assert log_in(client, "budi", address=HOME).status_code == 302


def test_fifty_failures_across_user_names_lock_the_address(client, siti):
    """One password tried on many accounts (spraying) stops at the address limit."""
    for number in range(50):
        log_in(client, f"guess-{number}", password="Password1", address=ATTACKER)

    assert log_in(client, "siti", address=ATTACKER).status_code == 429
    assert log_in(client, "siti", address=HOME).status_code == 302


def test_logging_in_to_an_own_account_does_not_clear_the_address_count(client, siti):
    UserFactory(username="mallory")
    for number in range(49):
        log_in(client, f"guess-{number}", password="Password1", address=ATTACKER)
    assert log_in(client, "mallory", address=ATTACKER).status_code == 302
    client.logout()

    log_in(client, "guess-x", password="Password1", address=ATTACKER)

    assert log_in(client, "siti", address=ATTACKER).status_code == 429


def test_a_successful_log_in_resets_the_count_of_its_user_name_and_address(client, siti):
    fail(client, "siti", 9)
    assert log_in(client, "siti", address=ATTACKER).status_code == 302
    client.logout()

    fail(client, "siti", 9)

    assert log_in(client, "siti", address=ATTACKER).status_code == 302


def test_a_lock_ends_after_the_cool_off_time(client, siti):
    fail(client, "siti", 10)
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )

    assert log_in(client, "siti", address=ATTACKER).status_code == 302


def test_the_admin_lifts_a_lock_by_deleting_the_counter(client, admin_client, siti):
    fail(client, "siti", 10)
    attempt = AccessAttempt.objects.get(username="siti")

    response = admin_client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert log_in(client, "siti", address=ATTACKER).status_code == 302


def test_a_lock_out_is_recorded_once_while_it_lasts(client, siti):
    fail(client, "siti", 14)

    [event] = events(Kind.LOCKOUT)
    assert (event.username, event.user, event.ip_address) == ("siti", siti, ATTACKER)
    assert event.details["locked"] == "user name at address"
    assert len(events(Kind.LOGIN_FAILED)) == 14


def test_an_address_lock_out_says_so(client):
    for number in range(50):
        log_in(client, f"guess-{number}", password="x", address=ATTACKER)

    [event] = events(Kind.LOCKOUT)
    assert event.details["locked"] == "address"
    assert event.user is None


def test_the_lockout_page_is_indonesian_by_default(client, siti):
    fail(client, "siti", 10)

    response = log_in(client, "siti", address=ATTACKER)

    assert 'lang="id"' in response.text
    assert response["Content-Language"] == "id"


# Where a request comes from


def request_from(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@override_settings(BEHIND_PROXY=False)
def test_without_a_proxy_the_address_is_the_peer_and_forwarded_headers_are_ignored():
    assert client_ip(request_from("198.51.100.7", "10.9.9.9")) == "198.51.100.7"


@override_settings(BEHIND_PROXY=True)
@pytest.mark.parametrize(
    ("forwarded", "address"),
    [
        ("198.51.100.7", "198.51.100.7"),
        # What a client sends is first; what our proxy appended is last.
        ("6.6.6.6, 198.51.100.7", "198.51.100.7"),
        ("2001:db8::1", "2001:db8::1"),
        ("", "127.0.0.1"),
        ("not-an-address", None),
    ],
)
def test_behind_the_proxy_the_address_is_the_last_forwarded_hop(forwarded, address):
    assert client_ip(request_from("127.0.0.1", forwarded)) == address


@override_settings(BEHIND_PROXY=True)
def test_behind_the_proxy_a_forged_forwarded_header_cannot_dodge_the_lock(client, siti):
    for number in range(10):
        client.post(
            LOGIN,
            {"username": "siti", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, {ATTACKER}",
        )

    response = client.post(
        LOGIN,
        {"username": "siti", "password": "demo"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=f"10.0.0.99, {ATTACKER}",
    )

    assert response.status_code == 429
    assert {event.ip_address for event in events(Kind.LOGIN_FAILED)} == {ATTACKER}


def test_a_log_in_without_a_request_address_is_recorded_without_one(siti, rf):
    request = rf.get("/")
    del request.META["REMOTE_ADDR"]

    user_logged_in.send(sender=type(siti), request=request, user=siti)

    [event] = events(Kind.LOGIN)
    assert event.ip_address is None


# Role changes (through the admin, which knows who made them and from where)


@pytest.fixture
def boss(db):
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


@pytest.fixture
def boss_client(client, boss):
    client.force_login(boss)
    SecurityEvent.objects.all().delete()  # the log-in itself
    return client


def membership_form(membership, **changes):
    data = {"user": membership.user_id, "body": membership.body_id, "role": membership.role}
    return data | changes


def test_a_role_changed_in_the_membership_admin_is_recorded(boss_client, boss):
    membership = MembershipFactory(role=Membership.Role.OFFICIAL)

    response = boss_client.post(
        reverse("admin:lkks_membership_change", args=[membership.pk]),
        membership_form(membership, role=Membership.Role.STAFF),
        REMOTE_ADDR=HOME,
    )

    assert response.status_code == 302
    [event] = events(Kind.ROLE_CHANGE)
    assert event.user == membership.user
    assert event.actor == boss
    assert event.ip_address == HOME
    assert event.details["body"] == membership.body.slug
    assert (event.details["from"], event.details["to"]) == ("official", "staff")


def test_a_membership_moved_to_another_body_ends_one_role_and_begins_another(
    boss_client, kampar, sleman
):
    membership = MembershipFactory(body=kampar, role=Membership.Role.STAFF)

    boss_client.post(
        reverse("admin:lkks_membership_change", args=[membership.pk]),
        membership_form(membership, body=sleman.pk),
    )

    assert [
        (event.details["body"], event.details["from"], event.details["to"])
        for event in events(Kind.ROLE_CHANGE)
    ] == [("kampar", "staff", None), ("sleman", None, "staff")]


def test_saving_a_membership_unchanged_records_nothing(boss_client):
    membership = MembershipFactory()

    boss_client.post(
        reverse("admin:lkks_membership_change", args=[membership.pk]), membership_form(membership)
    )

    assert not events(Kind.ROLE_CHANGE)


def test_a_membership_added_and_deleted_in_the_admin_is_recorded(boss_client, kampar):
    user = UserFactory()

    boss_client.post(
        reverse("admin:lkks_membership_add"),
        {"user": user.pk, "body": kampar.pk, "role": "staff"},
    )
    membership = Membership.objects.get(user=user)
    boss_client.post(reverse("admin:lkks_membership_delete", args=[membership.pk]), {"post": "yes"})

    added, removed = events(Kind.ROLE_CHANGE)
    assert (added.details["from"], added.details["to"]) == (None, "staff")
    assert (removed.details["from"], removed.details["to"]) == ("staff", None)
    assert added.user == removed.user == user


def test_memberships_deleted_in_bulk_are_recorded(boss_client):
    memberships = MembershipFactory.create_batch(3)

    boss_client.post(
        reverse("admin:lkks_membership_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [m.pk for m in memberships],
            "post": "yes",
        },
    )

    assert not Membership.objects.exists()
    assert {event.user for event in events(Kind.ROLE_CHANGE)} == {m.user for m in memberships}


def user_form(user, memberships, **changes):
    """The admin's user change form with its membership inline."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2024-10-16",
        "date_joined_1": "09:00:00",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, (membership, role, delete) in enumerate(memberships):
        data |= {
            f"memberships-{index}-id": membership.pk,
            f"memberships-{index}-user": user.pk,
            f"memberships-{index}-body": membership.body_id,
            f"memberships-{index}-role": role,
        }
        if delete:
            data[f"memberships-{index}-DELETE"] = "on"
    return data | changes


def test_roles_changed_in_the_user_admin_inline_are_recorded(boss_client, boss, kampar, sleman):
    user = UserFactory()
    at_kampar = MembershipFactory(user=user, body=kampar, role="official")
    at_sleman = MembershipFactory(user=user, body=sleman, role="staff")

    response = boss_client.post(
        reverse("admin:lkks_user_change", args=[user.pk]),
        user_form(user, [(at_kampar, "staff", False), (at_sleman, "staff", True)]),
        REMOTE_ADDR=HOME,
    )

    assert response.status_code == 302, response.context["errors"]
    changes = {
        event.details["body"]: (event.details["from"], event.details["to"])
        for event in events(Kind.ROLE_CHANGE)
    }
    assert changes == {"kampar": ("official", "staff"), "sleman": ("staff", None)}
    assert {(event.actor, event.ip_address) for event in events(Kind.ROLE_CHANGE)} == {(boss, HOME)}


def test_making_a_user_superuser_is_a_role_change(boss_client):
    user = UserFactory()

    response = boss_client.post(
        reverse("admin:lkks_user_change", args=[user.pk]),
        user_form(user, [], is_superuser="on", is_staff="on"),
    )

    assert response.status_code == 302, response.context["errors"]
    changes = {
        event.details["account"]: (event.details["from"], event.details["to"])
        for event in events(Kind.ROLE_CHANGE)
    }
    assert changes == {"is_superuser": (False, True), "is_staff": (False, True)}


def test_deleting_a_user_records_the_end_of_their_roles(boss_client, kampar):
    user = UserFactory(username="leaving")
    MembershipFactory(user=user, body=kampar, role="staff")

    boss_client.post(reverse("admin:lkks_user_delete", args=[user.pk]), {"post": "yes"})

    [event] = events(Kind.ROLE_CHANGE)
    assert event.username == "leaving"
    assert event.user is None  # the account is gone; its name stays in the log
    assert (event.details["from"], event.details["to"]) == ("staff", None)


# Password changes


NEW_PASSWORD = "kopi-tubruk-Sleman-2024"


def test_changing_ones_own_password_is_recorded(client, siti):
    log_in(client, "siti")

    response = client.post(
        reverse("password_change"),
        {"old_password": "demo", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        REMOTE_ADDR=HOME,
    )

    assert response.status_code == 302
    [event] = events(Kind.PASSWORD_CHANGE)
    assert (event.user, event.actor, event.ip_address) == (siti, siti, HOME)


def test_a_password_set_by_an_admin_is_recorded_with_the_admin(boss_client, boss, siti):
    response = boss_client.post(
        reverse("admin:auth_user_password_change", args=[siti.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        REMOTE_ADDR=HOME,
    )

    assert response.status_code == 302
    [event] = events(Kind.PASSWORD_CHANGE)
    assert (event.user, event.actor, event.ip_address) == (siti, boss, HOME)


def test_a_password_changed_outside_a_request_is_recorded_without_an_address(siti):
    siti.set_password(NEW_PASSWORD)
    siti.save()

    [event] = events(Kind.PASSWORD_CHANGE)
    assert (event.user, event.actor, event.ip_address) == (siti, None, None)


def test_a_new_account_and_other_saves_are_not_password_changes(siti):
    User.objects.create_user("fresh", password=NEW_PASSWORD)
    siti.first_name = "Siti Aminah"
    siti.save()

    assert not events(Kind.PASSWORD_CHANGE)


@override_settings(
    PASSWORD_HASHERS=[
        "django.contrib.auth.hashers.ScryptPasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
)
def test_a_stronger_hash_stored_at_log_in_is_not_a_password_change(client, siti):
    assert siti.password.startswith("md5$")

    assert log_in(client, "siti").status_code == 302

    siti.refresh_from_db()
    assert siti.password.startswith("scrypt$")
    assert not events(Kind.PASSWORD_CHANGE)


# The log in the admin


def test_the_security_log_is_read_only_in_the_admin(admin_client, siti):
    event = SecurityEvent.objects.create(
        kind=Kind.LOGIN, user=siti, username="siti", ip_address=HOME
    )

    change = admin_client.get(reverse("admin:lkks_securityevent_change", args=[event.pk]))
    add = admin_client.get(reverse("admin:lkks_securityevent_add"))
    delete = admin_client.get(reverse("admin:lkks_securityevent_delete", args=[event.pk]))
    edit = admin_client.post(
        reverse("admin:lkks_securityevent_change", args=[event.pk]), {"username": "x"}
    )

    assert change.status_code == 200
    assert 'name="_save"' not in change.text
    assert (add.status_code, delete.status_code, edit.status_code) == (403, 403, 403)
    event.refresh_from_db()
    assert event.username == "siti"


def test_the_security_log_is_searchable_by_address(admin_client, siti):
    SecurityEvent.objects.create(kind=Kind.LOGIN, username="siti", ip_address=HOME)
    SecurityEvent.objects.create(kind=Kind.LOGIN, username="budi", ip_address=ATTACKER)

    response = admin_client.get(reverse("admin:lkks_securityevent_changelist"), {"q": HOME})

    assert [event.username for event in response.context["cl"].result_list] == ["siti"]


def test_security_log_changelist_queries_do_not_grow_with_rows(
    assert_changelist_queries_constant, admin_user
):
    SecurityEvent.objects.all().delete()

    def make(count):
        for _ in range(count):
            user = UserFactory()
            SecurityEvent.objects.create(
                kind=Kind.ROLE_CHANGE, user=user, actor=user, ip_address=HOME
            )

    assert_changelist_queries_constant(SecurityEvent, make)


# Logging in from tests


def test_tests_log_in_with_force_login_or_with_a_request(client, siti):
    """django-axes needs the request of every authentication: the test client's
    ``login()`` has none unless given one."""
    with pytest.raises(ValueError, match="request"):
        client.login(username="siti", password="demo")

    assert client.login(request=HttpRequest(), username="siti", password="demo")


# Retention


def event_aged(days, kind=Kind.LOGIN):
    event = SecurityEvent.objects.create(kind=kind, username=f"aged-{days}")
    SecurityEvent.objects.filter(pk=event.pk).update(
        occurred_at=timezone.now() - datetime.timedelta(days=days)
    )
    return event


def test_the_retention_is_a_year_unless_the_environment_says_otherwise():
    assert settings.SECURITY_EVENT_RETENTION_DAYS == 365


def test_pruning_deletes_the_events_older_than_the_retention_only(settings):
    settings.SECURITY_EVENT_RETENTION_DAYS = 30
    kept = [event_aged(0), event_aged(29), event_aged(29, Kind.ROLE_CHANGE)]
    event_aged(31)
    event_aged(400, Kind.LOCKOUT)
    out = io.StringIO()

    call_command("prune_security_events", stdout=out)

    assert set(SecurityEvent.objects.values_list("pk", flat=True)) == {e.pk for e in kept}
    assert "Deleted 2 security event(s) older than 30 days." in out.getvalue()


def test_a_dry_run_counts_and_deletes_nothing():
    event_aged(500)
    out = io.StringIO()

    call_command("prune_security_events", "--dry-run", "--days", "100", stdout=out)

    assert SecurityEvent.objects.count() == 1
    assert "Would delete 1 security event(s) older than 100 days." in out.getvalue()


def test_the_days_can_be_given_but_never_zero():
    event_aged(10)

    with pytest.raises(CommandError, match="at least one day"):
        call_command("prune_security_events", "--days", "0")
    call_command("prune_security_events", "--days", "5", stdout=io.StringIO())

    assert not SecurityEvent.objects.exists()


def test_the_admin_still_cannot_delete_an_event(admin_client):
    event = event_aged(1000)

    response = admin_client.post(
        reverse("admin:lkks_securityevent_delete", args=[event.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk).exists()
