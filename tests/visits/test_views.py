"""The pages of study visits: both sides read and edit the one record, each side its own
follow-ups, a third body finds nothing."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from tests.factories import (
    DelegateFactory,
    FollowUpFactory,
    StudyVisitFactory,
    VisitPhotoFactory,
)
from visits.models import Delegate, FollowUp, StudyVisit, VisitPhoto

pytestmark = pytest.mark.django_db


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG")
    return buffer.getvalue()


def url(name, *args):
    return reverse(f"visits:{name}", args=args)


def visit_data(visit, **changes):
    data = {
        "visiting_body": visit.visiting_body_id,
        "host_body": visit.host_body_id or "",
        "host_name": visit.host_name,
        "date": visit.date.isoformat(),
        "start_time": "14:00",
        "place": visit.place,
        "purpose": visit.purpose,
        "lessons": visit.lessons,
    }
    return {**data, **changes}


def test_the_anonymous_user_is_sent_to_log_in(visit):
    for address in [
        url("visit-list"),
        url("visit-detail", visit.pk),
        url("visit-report", visit.pk),
    ]:
        response = Client().get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_both_sides_list_and_open_the_visit(client_of, visit, staff, other_staff, sleman_official):
    for user in [staff, other_staff, sleman_official]:
        client = client_of(user)
        assert [v.pk for v in client.get(url("visit-list")).context["object_list"]] == [visit.pk]
        assert client.get(url("visit-detail", visit.pk)).status_code == 200


def test_a_third_body_finds_nothing(client_of, visit, third_staff):
    client = client_of(third_staff)
    follow_up = FollowUpFactory(visit=visit)
    delegate = DelegateFactory(visit=visit)

    assert client.get(url("visit-list")).context["paginator"].count == 0
    for address in [
        url("visit-detail", visit.pk),
        url("visit-update", visit.pk),
        url("visit-delete", visit.pk),
        url("visit-report", visit.pk),
        url("delegate-create", visit.pk),
        url("delegate-update", delegate.pk),
        url("followup-create", visit.pk),
        url("followup-update", follow_up.pk),
        url("photo-create", visit.pk),
    ]:
        assert client.get(address).status_code == 404, address
    assert client.post(url("visit-report-number", visit.pk)).status_code == 404


def test_the_list_takes_as_many_queries_for_many_visits(client_of, kampar, sleman, staff):
    StudyVisitFactory(visiting_body=kampar, host_body=sleman)
    client = client_of(staff)
    with CaptureQueriesContext(connection) as one:
        client.get(url("visit-list"))
    for day in range(1, 11):
        visit = StudyVisitFactory(
            visiting_body=kampar,
            host_body=None,
            host_name=f"Tuan rumah {day}",
            date=datetime.date(2024, 5, day),
        )
        FollowUpFactory(visit=visit)

    with CaptureQueriesContext(connection) as many:
        response = client.get(url("visit-list"))

    assert len(many) == len(one)
    assert response.context["paginator"].count == 11


def test_the_detail_takes_as_many_queries_for_many_parts(client_of, visit, staff):
    client = client_of(staff)
    with CaptureQueriesContext(connection) as few:
        client.get(url("visit-detail", visit.pk))
    for _ in range(5):
        DelegateFactory(visit=visit)
        FollowUpFactory(visit=visit)
        VisitPhotoFactory(visit=visit)

    with CaptureQueriesContext(connection) as many:
        client.get(url("visit-detail", visit.pk))

    assert len(many) == len(few)


def test_staff_record_a_visit_their_body_makes(staff_client, staff, kampar, sleman):
    response = staff_client.post(
        url("visit-create"),
        visit_data(StudyVisitFactory.build(visiting_body=kampar, host_body=sleman)),
    )

    visit = StudyVisit.objects.get()
    assert response.status_code == 302
    assert (visit.visiting_body, visit.host_body, visit.start_time) == (
        kampar,
        sleman,
        datetime.time(14, 0),
    )
    assert visit.history.get().history_user == staff


def test_a_visit_without_their_body_is_refused_beside_the_visitor(
    client_of, third_staff, kampar, sleman
):
    response = client_of(third_staff).post(
        url("visit-create"),
        visit_data(StudyVisitFactory.build(visiting_body=kampar, host_body=sleman)),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["visiting_body"] == [
        "Lembaga Anda harus menjadi lembaga yang berkunjung atau tuan rumah."
    ]
    assert not StudyVisit.objects.exists()


def test_bad_input_is_refused_on_its_field(staff_client, kampar):
    response = staff_client.post(
        url("visit-create"),
        visit_data(
            StudyVisitFactory.build(visiting_body=kampar, host_body=None, host_name=""),
            start_time="15:00",
            end_time="14:00",
        ),
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"host_body", "end_time"}
    assert not StudyVisit.objects.exists()


def test_the_host_side_edits_the_visit(client_of, visit, other_staff):
    client = client_of(other_staff)
    version = client.get(url("visit-update", visit.pk)).context["form"]["version"].value()

    response = client.post(
        url("visit-update", visit.pk),
        visit_data(visit, lessons="Pendampingan LKS.", version=version),
    )

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.lessons == "Pendampingan LKS."


def test_officials_read_but_change_nothing(client_of, visit, official):
    client = client_of(official)
    follow_up = FollowUpFactory(visit=visit)

    assert client.get(url("visit-detail", visit.pk)).status_code == 200
    for address in [
        url("visit-create"),
        url("visit-update", visit.pk),
        url("visit-delete", visit.pk),
        url("delegate-create", visit.pk),
        url("followup-create", visit.pk),
        url("followup-update", follow_up.pk),
        url("photo-create", visit.pk),
    ]:
        assert client.get(address).status_code == 403, address


def test_each_side_adds_its_own_follow_ups_and_changes_only_those(
    client_of, visit, staff, other_staff, kampar, sleman
):
    theirs = FollowUpFactory(visit=visit, body=kampar)
    client = client_of(other_staff)

    created = client.post(
        url("followup-create", visit.pk),
        {
            "action": "Mengirim pedoman pendampingan",
            "responsible": "Sekretaris",
            "status": "planned",
        },
    )
    ours = FollowUp.objects.get(action="Mengirim pedoman pendampingan")
    page = client.get(url("visit-detail", visit.pk))

    assert created.status_code == 302
    assert ours.body == sleman
    assert ours.history.get().history_user == other_staff
    assert client.get(url("followup-update", theirs.pk)).status_code == 403
    assert client.post(url("followup-delete", theirs.pk)).status_code == 403
    assert client.get(url("followup-update", ours.pk)).status_code == 200
    rows = {follow_up.pk: follow_up.can_edit for follow_up in page.context["follow_ups"]}
    assert rows == {theirs.pk: False, ours.pk: True}


def test_a_follow_up_marked_done_needs_its_outcome(staff_client, visit):
    follow_up = FollowUpFactory(visit=visit)
    address = url("followup-update", follow_up.pk)
    version = staff_client.get(address).context["form"]["version"].value()

    response = staff_client.post(
        address,
        {
            "action": follow_up.action,
            "responsible": follow_up.responsible,
            "status": "done",
            "version": version,
        },
    )

    assert response.context["form"].errors["outcome"] == ["Sebutkan hasilnya."]
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.PLANNED


def test_staff_add_delegates_of_either_side(client_of, visit, other_staff):
    client = client_of(other_staff)

    response = client.post(
        url("delegate-create", visit.pk),
        {"side": "host", "name": "Aly Manshur", "position": "Ketua LKKS Kabupaten Sleman"},
    )

    assert response.status_code == 302
    assert Delegate.objects.get().side == Delegate.Side.HOST


def test_a_photo_must_be_an_image(staff_client, visit):
    fake = SimpleUploadedFile("foto.jpg", b"not an image", content_type="image/jpeg")
    real = SimpleUploadedFile("foto.jpg", jpeg_bytes(), content_type="image/jpeg")

    refused = staff_client.post(url("photo-create", visit.pk), {"image": fake})
    added = staff_client.post(url("photo-create", visit.pk), {"image": real, "caption": "Foto"})

    assert refused.status_code == 200
    assert "image" in refused.context["form"].errors
    assert added.status_code == 302
    photo = VisitPhoto.objects.get()
    assert photo.thumbnail
    assert staff_client.get(reverse("file", args=["visitphoto-image", photo.pk])).status_code == 200


def test_a_side_deletes_the_visit_only_without_the_other_sides_follow_ups(
    client_of, visit, staff, other_staff
):
    theirs = FollowUpFactory(visit=visit, body=visit.host_body)

    refused = client_of(staff).post(url("visit-delete", visit.pk))
    client_of(other_staff).post(url("followup-delete", theirs.pk))
    deleted = client_of(staff).post(url("visit-delete", visit.pk))

    assert refused.status_code == 200
    assert [str(m) for m in refused.context["messages"]] == [
        (
            "LKKS Kabupaten Sleman memiliki tindak lanjut kunjungan ini; hanya stafnya yang "
            "dapat menghapusnya, setelah itu kunjungan dapat dihapus."
        )
    ]
    assert deleted.status_code == 302
    assert not StudyVisit.objects.exists()
