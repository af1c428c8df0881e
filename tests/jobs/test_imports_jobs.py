"""A register too long to check in a request is checked and imported by a job: the
upload shows how it will be read, the confirmation starts the job with the file kept,
and the real worker writes everything or, on any error, nothing."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from jobs.models import Job
from lkks.models import Membership
from members import imports
from members.models import Organisation, Registration
from tests.background import finished, request_job
from tests.members.registers import register_workbook

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("members:organisation-import")
HEADER = imports.HEADERS


def row(**values):
    """A row of the template's columns, given by key (``name``, ``district``, …)."""
    return [values.get(column.key, "") for column in imports.COLUMNS]


def lks_rows(count, **values):
    return [
        row(name=f"Panti Besar {n}", district="Bangkinang Kota", **values) for n in range(count)
    ]


def csv_bytes(rows):
    lines = [",".join(HEADER), *(",".join(values) for values in rows)]
    return "\n".join(lines).encode()


def xlsx_bytes(rows, *, title_rows=0):
    workbook = Workbook()
    sheet = workbook.active
    for _ in range(title_rows):
        sheet.append(["DATA LKS KABUPATEN KAMPAR"])
    sheet.append(HEADER)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content, name="lks.csv"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(IMPORT_URL, {"file": file})


@pytest.fixture
def long_files(settings):
    """Files of more than three rows are long."""
    settings.IMPORT_ROWS_IN_REQUEST = 3


def template_of(response):
    return response.templates[0].name


# Counting rows without reading them


def test_rows_are_counted_under_the_header_of_a_csv(kampar):
    content = csv_bytes(lks_rows(7))
    layout, _rows = imports.read_layout(body=kampar, content=content)

    assert imports.count_rows(content, layout) == 7


def test_rows_are_counted_in_the_xml_of_the_first_sheet(kampar):
    content = xlsx_bytes(lks_rows(12), title_rows=2)
    layout, _rows = imports.read_layout(body=kampar, content=content)

    assert layout.header.rows == [3]
    assert imports.count_rows(content, layout) == 12


def test_rows_are_counted_under_a_header_of_two_rows(kampar):
    content = register_workbook()
    layout, _rows = imports.read_layout(body=kampar, content=content)

    assert imports.count_rows(content, layout) == 3


# Through the pages, run by the worker


@pytest.mark.parametrize(
    ("content", "name"),
    [(csv_bytes(lks_rows(5)), "lks.csv"), (xlsx_bytes(lks_rows(5)), "lks.xlsx")],
)
def test_a_long_file_is_checked_and_imported_by_a_job(
    run_worker, staff_client, staff, kampar, long_files, content, name
):
    response = upload(staff_client, content, name)

    assert response.status_code == 200
    assert template_of(response) == "members/import_background.html"
    assert "memiliki 5 baris di bawah judul kolomnya" in response.text
    assert "plan" not in response.context  # not previewed
    assert Organisation.objects.count() == 0
    token = response.context["token"]

    response, job = request_job(staff_client, "post", IMPORT_URL, {"token": token})

    assert job.kind == "import"
    assert job.body == kampar
    assert job.title == f"Impor {name}"
    assert job.return_url == reverse("members:organisation-list")
    assert job.source.read() == content
    assert job.params["body_id"] == kampar.pk
    assert Organisation.objects.count() == 0  # not in the request
    job = finished(job, run_worker)
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.message == "Berkas sudah diimpor: 5 LKS baru, 0 diperbarui, 0 tidak berubah."
    assert (job.done, job.total) == (10, 10)  # each row read, then planned
    assert Organisation.objects.for_body(kampar).count() == 5
    assert Organisation.history.filter(history_user=staff).count() == 5
    # The upload is the job's now: the import page no longer waits for it.
    follow = staff_client.post(IMPORT_URL, {"token": token})
    assert follow.status_code == 302
    assert Job.objects.count() == 1


def test_a_long_file_with_errors_fails_the_job_in_indonesian_and_writes_nothing(
    run_worker, staff_client, kampar, long_files
):
    rows = [
        *lks_rows(3),
        row(name="Panti Atlantis", district="Atlantis"),
        row(name="", district="Bangkinang Kota", chairperson="Tanpa Nama"),
        row(name="Panti Terdaftar", district="Bangkinang Kota", status="Terdaftar"),
    ]
    token = upload(staff_client, csv_bytes(rows)).context["token"]

    _response, job = request_job(staff_client, "post", IMPORT_URL, {"token": token})

    job = finished(job, run_worker)
    assert job.status == Job.Status.FAILED
    assert job.message.startswith(
        "Berkas mengandung 5 kesalahan; tidak ada yang diimpor. Perbaiki berkas lalu unggah "
        "kembali. Kesalahannya: baris 5, Kecamatan: “Atlantis” bukan kecamatan di "
    )
    assert "baris 6, Nama LKS: Nama LKS belum diisi." in job.message
    assert job.message.endswith(
        "baris 7, Berlaku Sampai: LKS yang terdaftar memerlukan tanggal berlaku sampai "
        "tanda daftarnya."
    )
    assert Organisation.objects.count() == 0
    assert Registration.objects.count() == 0
    assert job.source  # kept, for a retry once the register changed


def test_a_broken_long_file_says_why(run_worker, staff_client, kampar, long_files):
    """Readable at upload (its header and count), broken further down."""
    content = csv_bytes(lks_rows(4)) + b'\n"Panti, "tanda kutip" rusak'
    token = upload(staff_client, content).context["token"]

    _response, job = request_job(staff_client, "post", IMPORT_URL, {"token": token})

    job = finished(job, run_worker)
    assert job.status == Job.Status.FAILED
    assert Organisation.objects.count() == 0
    assert job.message


def test_staff_who_lost_their_role_import_nothing(
    run_worker, staff_client, staff, kampar, long_files
):
    token = upload(staff_client, csv_bytes(lks_rows(5))).context["token"]
    _response, job = request_job(staff_client, "post", IMPORT_URL, {"token": token})
    Membership.objects.filter(user=staff, body=kampar).update(role=Membership.Role.OFFICIAL)

    job = finished(job, run_worker)

    assert job.status == Job.Status.FAILED
    assert job.message == "Akun Anda tidak lagi dapat mengubah daftar LKS lembaga ini."
    assert Organisation.objects.count() == 0


def test_a_long_file_that_needs_its_columns_said_is_mapped_first(
    run_worker, staff_client, kampar, long_files
):
    header = ["Nama LKS", "Kecamatan", "Catatan Lain"]
    lines = [",".join(header)] + [f"Panti {n},Bangkinang Kota,x" for n in range(6)]
    response = upload(staff_client, "\n".join(lines).encode())
    assert template_of(response) == "members/import_mapping.html"
    data = {"upload": response.context["upload"], "step": "columns", "name": "Daftar kami"}
    for _column, field, _samples in response.context["form"].columns():
        data[field.html_name] = field.value() or ""  # "Catatan Lain" skipped

    response = staff_client.post(IMPORT_URL, data)

    assert template_of(response) == "members/import_background.html"
    assert "Daftar kami" in response.text
    _response, job = request_job(
        staff_client, "post", IMPORT_URL, {"token": response.context["token"]}
    )
    assert finished(job, run_worker).status == Job.Status.SUCCEEDED, job.message
    assert Organisation.objects.for_body(kampar).count() == 6


def test_a_short_file_is_still_previewed(staff_client, long_files):
    response = upload(staff_client, csv_bytes(lks_rows(3)))

    assert template_of(response) == "members/import_preview.html"
    assert not Job.objects.exists()
