"""The people of an LKS: invited by staff, they set their password through Django's
reset link; staff disable and enable them."""

import re

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from lkks.models import User
from members.accounts import LksAccount, lks_account_invite
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invite(staff_client, lks, django_capture_on_commit_callbacks):
    """Post the invitation form of the LKS as its body's staff, emails sent."""

    def post(**data):
        fields = {"first_name": "Rina", "last_name": "Pengurus", "email": "Rina@Example.org"}
        with django_capture_on_commit_callbacks(execute=True):
            return staff_client.post(
                reverse("members:account-create", args=[lks.pk]), fields | data
            )

    return post


def invitation_link(message):
    return re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)


def test_staff_invite_a_person_who_cannot_log_in_before_setting_a_password(invite, lks, staff):
    response = invite()

    account = LksAccount.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/members/{lks.pk}/#accounts")
    assert account.organisation == lks
    assert account.invited_by == staff
    assert account.user.username == account.user.email == "rina@example.org"
    assert not account.user.has_usable_password()
    assert account.user.memberships.count() == 0  # of no body
    assert authenticate(RequestFactory().get("/"), username="rina@example.org", password="") is None
    [message] = mail.outbox
    assert message.to == ["rina@example.org"]
    assert "Akun Anda di portal LKS" in message.subject
    assert "rina@example.org" in message.body
    assert "/accounts/reset/" in message.body


def test_the_invited_person_sets_a_password_and_lands_in_the_portal(client, invite):
    invite()
    link = invitation_link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]

    set_password = client.get(f"/{link}")
    client.post(
        set_password["Location"],
        {"new_password1": "Sandi-Baru-2025!", "new_password2": "Sandi-Baru-2025!"},
    )
    logged_in = client.post(
        reverse("login"), {"username": "rina@example.org", "password": "Sandi-Baru-2025!"}
    )
    home = client.get("/")

    assert set_password.status_code == 302
    assert User.objects.get(username="rina@example.org").has_usable_password()
    assert logged_in.status_code == 302
    assert home.status_code == 302
    assert home["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200


def test_an_address_with_an_account_is_refused_on_its_field(invite, lks):
    UserFactory(username="staf-lain", email="rina@example.org")

    response = invite()

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Alamat ini sudah memiliki akun. Setiap orang memerlukan alamatnya sendiri."
    ]
    assert not LksAccount.objects.exists()
    assert not User.objects.filter(username="rina@example.org").exists()
    assert mail.outbox == []


def test_a_bad_address_and_a_missing_name_are_refused_and_nothing_is_written(invite):
    response = invite(email="bukan-alamat", first_name="")

    errors = response.context["form"].errors
    assert response.status_code == 200
    assert errors["email"] == ["Masukkan alamat email yang valid."]
    assert errors["first_name"] == ["Bidang ini tidak boleh kosong."]
    assert not LksAccount.objects.exists()
    assert mail.outbox == []


def test_the_service_refuses_a_blank_name_on_its_field(lks, staff):
    with pytest.raises(ValidationError) as refused:
        lks_account_invite(organisation=lks, email="a@example.org", first_name=" ", by=staff)

    assert refused.value.message_dict == {"first_name": ["Isi nama orang tersebut."]}
    assert not User.objects.filter(email="a@example.org").exists()


def test_a_disabled_person_is_logged_out_and_cannot_log_in_until_enabled(
    staff_client, client_of, lks, lks_person
):
    person = lks_person(lks)
    portal = client_of(person)
    account = person.lks_account
    assert portal.get(reverse("portal:home")).status_code == 200

    staff_client.post(reverse("members:account-disable", args=[account.pk]))
    after = portal.get(reverse("portal:home"))
    person.refresh_from_db()
    account.refresh_from_db()
    refused = client_of(None).post(
        reverse("login"), {"username": person.username, "password": "demo"}
    )

    assert after.status_code == 302
    assert after["Location"].startswith(reverse("login"))
    assert not account.active
    assert not person.is_active
    assert refused.status_code == 200  # the form again, with its error

    staff_client.post(reverse("members:account-enable", args=[account.pk]))
    person.refresh_from_db()
    assert person.is_active
    assert client_of(person).get(reverse("portal:home")).status_code == 200


def test_the_invitation_is_sent_again_only_before_a_password_is_set(
    staff_client, lks, lks_person, invite, django_capture_on_commit_callbacks
):
    invite()
    invited = LksAccount.objects.get(user__username="rina@example.org")
    joined = lks_person(lks).lks_account
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        again = staff_client.post(
            reverse("members:account-invite-again", args=[invited.pk]), follow=True
        )
        refused = staff_client.post(
            reverse("members:account-invite-again", args=[joined.pk]), follow=True
        )

    assert [message.to for message in mail.outbox] == [["rina@example.org"]]
    assert "Undangan dikirim lagi" in again.text
    assert "sudah membuat kata sandi" in refused.text


def test_only_the_staff_of_the_body_invite_and_disable(
    client_of, lks, official, other_staff, lks_person
):
    account = lks_person(lks).lks_account
    invite_url = reverse("members:account-create", args=[lks.pk])
    disable_url = reverse("members:account-disable", args=[account.pk])
    other_lks_person = lks_person(OrganisationFactory(body=lks.body))

    answers = {
        who: (
            client_of(user).get(invite_url).status_code,
            client_of(user).post(disable_url).status_code,
        )
        for who, user in {
            "anonymous": None,
            "official": official,
            "other body": other_staff,
            "LKS person": other_lks_person,
        }.items()
    }

    assert answers == {
        "anonymous": (302, 302),
        "official": (403, 403),
        "other body": (404, 404),
        "LKS person": (404, 404),
    }
    account.refresh_from_db()
    assert account.active


def test_the_lks_page_lists_its_people_and_their_state(staff_client, lks, lks_person, invite):
    lks_person(lks, user__first_name="Aktif", user__last_name="Orang")
    invite()

    response = staff_client.get(lks.get_absolute_url())

    assert response.status_code == 200
    assert "Aktif Orang" in response.text
    assert "diundang, belum membuat kata sandi" in response.text
