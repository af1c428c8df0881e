"""The printed documents: the annual report of a body, as HTML and as PDF; who may see
it; and that rendering a PDF fetches nothing from the network. (The recommendation
letter is in tests/members/test_recommendation.py, the LPJ of a grant in
tests/grants/test_documents.py.)"""

import datetime
import hashlib
import io
import socket
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from grants.models import Funder
from jobs.models import Job
from lkks.documents import region_name
from lkks.models import Membership
from lkks.pdf import DocumentFetcher, render_pdf
from overview import reports
from programs.models import Activity
from tests.factories import (
    AccreditationFactory,
    ActivityFactory,
    ActivityPhotoFactory,
    AllocationFactory,
    DisbursementFactory,
    ExpenditureFactory,
    FunderFactory,
    GrantFactory,
    MembershipFactory,
    MentoringFactory,
    OrganisationFactory,
    ProgramFactory,
    RegistrationFactory,
    UserFactory,
)

JUTA = Decimal(1_000_000)
YEAR = 2024
PAST = datetime.date(2026, 1, 5)  # "today" for a report of a past year


def pdf_text(content):
    """The text of a PDF, with its line breaks and runs of spaces made single spaces."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_image_count(content):
    """The number of different images in a PDF (WeasyPrint shares one resource
    dictionary between pages, so each page lists them all)."""
    pages = PdfReader(io.BytesIO(content)).pages
    return len({hashlib.sha256(image.data).digest() for page in pages for image in page.images})


def png_bytes(size=(24, 24), color="navy"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def member(db):
    def make(bodies, role=Membership.Role.STAFF):
        bodies = bodies if isinstance(bodies, list | tuple) else [bodies]
        user = UserFactory()
        for body in bodies:
            MembershipFactory(user=user, body=body, role=role)
        return user

    return make


@pytest.fixture
def client_of():
    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def official(kampar, member):
    return member(kampar, Membership.Role.OFFICIAL)


@pytest.fixture
def other_staff(sleman, member):
    return member(sleman)


@pytest.fixture
def official_client(official, client_of):
    return client_of(official)


def add_lks(body, count=1):
    """``count`` LKS of each kind of status: registered (and accredited B), in process,
    expired, and never applied."""
    for _ in range(count):
        registered = OrganisationFactory(body=body)
        RegistrationFactory(organisation=registered)
        AccreditationFactory(organisation=registered)
        MentoringFactory(organisation=registered, date=datetime.date(YEAR, 6, 10))
        RegistrationFactory(
            organisation=OrganisationFactory(body=body),
            submitted=True,
            submitted_on=datetime.date(YEAR, 6, 1),
        )
        RegistrationFactory(
            organisation=OrganisationFactory(body=body),
            issued_on=datetime.date(2019, 1, 1),
            submitted_on=datetime.date(2018, 12, 1),
            valid_until=datetime.date(2023, 12, 31),
        )
        OrganisationFactory(body=body)


def add_program(body, *, activities=2, photos=1):
    """A 2024 program with activities (the first done, with an outcome), photos of the
    first, and a hibah that funds and pays them."""
    program = ProgramFactory(body=body, budget_ceiling=100 * JUTA)
    made = [
        ActivityFactory(
            program=program,
            status=Activity.Status.DONE,
            outcome="Pengurus LKS memahami tata kelola.",
            actual_participants=38,
        )
    ]
    made += [ActivityFactory(program=program) for _ in range(activities - 1)]
    for _ in range(photos):
        ActivityPhotoFactory(activity=made[0])
    grant = GrantFactory(funder=FunderFactory(body=body), amount=50 * JUTA)
    for activity in made:
        AllocationFactory(grant=grant, activity=activity, amount=10 * JUTA)
        ExpenditureFactory(grant=grant, activity=activity, amount=2 * JUTA)
    return program


@pytest.fixture
def kampar_2024(kampar):
    """Kampar's 2024 as in the seed story: Rp 1.000.000.000 of hibah APBD and
    Rp 128.000.000 of CSR from two companies (Rp 1.128.000.000); a proposal that does not
    count; one program with a done activity, its outcome and a photo; four LKS."""
    add_lks(kampar)
    program = ProgramFactory(
        body=kampar, code="P01", name="Penguatan Kelembagaan LKKS", budget_ceiling=900 * JUTA
    )
    done = ActivityFactory(
        program=program,
        name="Bimtek pengurus LKS",
        status=Activity.Status.DONE,
        outcome="Pengurus 40 LKS memahami tata kelola.",
        budget=600 * JUTA,
    )
    ActivityPhotoFactory(activity=done, caption="Pembukaan bimtek")
    hibah = GrantFactory(
        funder=FunderFactory(
            body=kampar, name="Pemerintah Kabupaten Kampar", kind=Funder.Kind.HIBAH_APBD
        ),
        name="Hibah APBD 2024",
        amount=1000 * JUTA,
    )
    for company, amount in (("PT Sawit Makmur", 100 * JUTA), ("Bank Kampar", 28 * JUTA)):
        GrantFactory(
            funder=FunderFactory(body=kampar, name=company, kind=Funder.Kind.CSR), amount=amount
        )
    GrantFactory(
        funder=FunderFactory(body=kampar, name="Kemensos", kind=Funder.Kind.APBN),
        amount=500 * JUTA,
        proposed=True,
    )
    AllocationFactory(grant=hibah, activity=done, amount=600 * JUTA)
    DisbursementFactory(grant=hibah, amount=900 * JUTA)
    ExpenditureFactory(grant=hibah, activity=done, amount=450 * JUTA)
    return kampar


@pytest.fixture
def sleman_2024(sleman):
    program = ProgramFactory(body=sleman, name="Sleman Pintar")
    ActivityFactory(program=program, name="Kegiatan rahasia Sleman", outcome="Rahasia Sleman")
    GrantFactory(funder=FunderFactory(body=sleman), amount=85 * JUTA)
    return sleman


@pytest.fixture
def annual_pdf(run_worker, django_capture_on_commit_callbacks):
    """``annual_pdf(client, **form)``: the PDF the worker makes after a click on "Unduh
    PDF" (POST), and the response of its download."""

    def make(client, **data):
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(reverse("report-annual-pdf"), data)
        assert started.status_code == 302
        job = Job.objects.get()
        assert started["Location"] == job.get_absolute_url()
        run_worker()
        job.refresh_from_db()
        assert job.status == Job.Status.SUCCEEDED, job.message
        response = client.get(reverse("jobs:job-download", args=[job.pk]))
        job.delete()
        return HttpResponse(
            b"".join(response.streaming_content),
            status=response.status_code,
            headers=dict(response.headers),
        )

    return make


def annual_url(**query):
    url = reverse("report-annual")
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


# The annual report


@pytest.mark.django_db
def test_the_annual_report_pdf_is_a_pdf_with_the_body_name_and_the_totals(
    kampar_2024, sleman_2024, official_client, annual_pdf
):
    response = annual_pdf(official_client, body="kampar", year=YEAR)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="laporan-tahunan-kampar-2024.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "LAPORAN TAHUNAN LKKS KABUPATEN KAMPAR" in text
    assert "Rp 1.128.000.000" in text
    assert "Satu miliar seratus dua puluh delapan juta rupiah" in text
    assert "Rp 450.000.000" in text  # spent
    assert "Empat ratus lima puluh juta rupiah" in text
    assert "Bimtek pengurus LKS" in text
    assert "Pengurus 40 LKS memahami tata kelola." in text
    assert "Sleman" not in text


@pytest.mark.django_db
def test_the_annual_report_pdf_embeds_the_photos_and_the_logo_from_disk(
    kampar_2024, official_client, annual_pdf
):
    without_logo = annual_pdf(official_client, body="kampar", year=YEAR)
    kampar_2024.logo.save("logo.png", ContentFile(png_bytes()))
    with_logo = annual_pdf(official_client, body="kampar", year=YEAR)

    assert pdf_image_count(without_logo.content) == 1  # the activity photo
    assert pdf_image_count(with_logo.content) == 2


@pytest.mark.django_db
def test_the_annual_report_page_shows_the_figures_of_the_body_and_year(
    kampar_2024, sleman_2024, official_client
):
    response = official_client.get(annual_url(body="kampar", year=YEAR))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    report = response.context["report"]
    assert report.body == kampar_2024
    assert report.lks.total == 4
    assert report.lks.by_status == {
        "registered": 1,
        "in_process": 1,
        "expired": 1,
        "unregistered": 1,
    }
    assert report.lks.by_grade == {"A": 0, "B": 1, "C": 0}
    assert report.mentoring_total == 1
    assert [program.name for program in report.programs] == ["Penguatan Kelembagaan LKKS"]
    content = response.content.decode()
    assert "LKKS KABUPATEN KAMPAR" in content
    assert "Satu miliar seratus dua puluh delapan juta rupiah" in content
    assert "Kegiatan rahasia Sleman" not in content
    assert reverse("file", args=["activityphoto-image", report.photos[0].stored.instance.pk]) in (
        content
    )
    # The PDF button starts the job for the body and year shown.
    assert f'action="{reverse("report-annual-pdf")}"' in content
    assert '<input type="hidden" name="body" value="kampar">' in content
    assert '<input type="hidden" name="year" value="2024">' in content


@pytest.mark.django_db
def test_the_pdf_is_printed_on_the_date_chosen_and_the_job_leads_back_to_the_page(
    kampar_2024, official_client, annual_pdf, django_capture_on_commit_callbacks
):
    page = official_client.get(annual_url(body="kampar", year=YEAR, date="2025-03-17"))
    assert '<input type="hidden" name="date" value="2025-03-17">' in page.content.decode()

    response = annual_pdf(official_client, body="kampar", year=YEAR, date="2025-03-17")

    assert "17 Maret 2025" in pdf_text(response.content)
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(
            reverse("report-annual-pdf"), {"body": "kampar", "year": YEAR, "date": "2025-03-17"}
        )
    job = Job.objects.get()
    assert job.title == "Laporan tahunan 2024 LKKS Kabupaten Kampar (PDF)"
    assert job.return_url == annual_url(body="kampar", year=YEAR, date="2025-03-17")
    assert job.body == kampar_2024


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("XIII KOTO KAMPAR", "XIII Koto Kampar"),
        ("KAMPAR KIRI HILIR", "Kampar Kiri Hilir"),
        ("CIVIL", "Civil"),
        ("MLATI", "Mlati"),
        ("IV KOTO", "IV Koto"),
    ],
)
def test_region_names_are_written_as_in_letters_keeping_roman_numerals(stored, written):
    assert region_name(stored) == written


@pytest.mark.django_db
def test_the_report_is_gathered_in_eight_queries(kampar_2024, django_assert_num_queries):
    """Six for its figures, one for its number in the letter register, one for its
    signatories."""
    with django_assert_num_queries(8):
        reports.annual_report(body=kampar_2024, year=YEAR, today=PAST)


@pytest.mark.django_db
def test_money_is_counted_by_funder_kind_without_proposals(kampar_2024):
    report = reports.annual_report(body=kampar_2024, year=YEAR, today=PAST)

    by_kind = {row.label: row for row in report.money}
    assert set(by_kind) == {Funder.Kind.HIBAH_APBD.label, Funder.Kind.CSR.label}
    csr = by_kind[Funder.Kind.CSR.label]
    assert (csr.grant_count, csr.amount, csr.spent) == (2, 128 * JUTA, 0)
    hibah = by_kind[Funder.Kind.HIBAH_APBD.label]
    assert (hibah.amount, hibah.disbursed, hibah.spent) == (1000 * JUTA, 900 * JUTA, 450 * JUTA)
    assert hibah.absorption_pct == 45.0
    assert report.money_total.amount == 1128 * JUTA
    assert report.money_total.absorption_pct == round(450 / 1128 * 100, 1)


@pytest.mark.django_db
def test_lks_are_counted_on_31_december_of_a_past_year_and_today_in_the_current_one(kampar):
    lks = OrganisationFactory(body=kampar)
    RegistrationFactory(
        organisation=lks,
        submitted_on=datetime.date(2022, 2, 1),
        issued_on=datetime.date(2022, 3, 1),
        valid_until=datetime.date(2025, 2, 28),
    )

    past = reports.annual_report(body=kampar, year=YEAR, today=PAST)
    current = reports.annual_report(body=kampar, year=2025, today=datetime.date(2025, 10, 16))

    assert past.as_of == datetime.date(2024, 12, 31)
    assert past.lks.by_status["registered"] == 1
    assert current.as_of == datetime.date(2025, 10, 16)
    assert current.lks.by_status["expired"] == 1


@pytest.mark.django_db
def test_without_a_body_the_report_is_of_the_current_body_and_its_latest_year(
    kampar_2024, official_client
):
    response = official_client.get(annual_url())

    assert response.status_code == 200
    assert response.context["report"].body == kampar_2024
    assert response.context["year"] == YEAR
    # The PDF button names them, so that the PDF is the page even if the default moves.
    assert f'<input type="hidden" name="year" value="{YEAR}">' in response.content.decode()


@pytest.mark.django_db
def test_a_body_the_user_does_not_read_is_not_found(
    kampar_2024, sleman_2024, other_staff, client_of
):
    client = client_of(other_staff)

    assert client.get(annual_url(body="kampar", year=YEAR)).status_code == 404
    assert client.get(annual_url(body="kampar", year=YEAR, format="pdf")).status_code == 404
    pdf = client.post(reverse("report-annual-pdf"), {"body": "kampar", "year": YEAR})
    assert pdf.status_code == 404
    assert not Job.objects.exists()
    assert client.get(annual_url(body="nowhere")).status_code == 404
    assert client.get(annual_url(body="sleman", year=YEAR)).status_code == 200


@pytest.mark.django_db
def test_an_official_of_two_bodies_prints_either(kampar_2024, sleman_2024, member, client_of):
    client = client_of(member([kampar_2024, sleman_2024], Membership.Role.OFFICIAL))

    for slug in ("kampar", "sleman"):
        response = client.get(annual_url(body=slug, year=YEAR))
        assert response.status_code == 200
        assert response.context["report"].body.slug == slug


@pytest.mark.django_db
def test_the_anonymous_user_is_sent_to_log_in(kampar_2024):
    for response in (
        Client().get(annual_url(body="kampar", year=YEAR, format="pdf")),
        Client().post(reverse("report-annual-pdf"), {"body": "kampar", "year": YEAR}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Job.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["abc", "1999", "2101"])
def test_a_year_that_is_not_one_is_refused_with_a_message(kampar_2024, official_client, year):
    response = official_client.get(annual_url(body="kampar", year=year, format="pdf"))

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "year" in response.context["form"].errors
    pdf = official_client.post(reverse("report-annual-pdf"), {"body": "kampar", "year": year})
    assert pdf.status_code == 400
    assert "year" in pdf.context["form"].errors
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_a_user_who_lost_the_body_before_the_job_ran_gets_no_report(
    kampar_2024, official, official_client, run_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(reverse("report-annual-pdf"), {"body": "kampar", "year": YEAR})
    official.memberships.all().delete()

    run_worker()

    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.message == "Akun Anda tidak lagi dapat membaca lembaga ini: laporan tidak dibuat."
    assert not job.result


@pytest.mark.django_db
def test_the_annual_report_takes_the_same_queries_for_more_data(kampar, official_client):
    add_lks(kampar)
    add_program(kampar)
    url = annual_url(body="kampar", year=YEAR)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert official_client.get(url).status_code == 200
        return len(captured)

    small = queries()
    add_lks(kampar, count=5)
    for _ in range(3):
        add_program(kampar, activities=4, photos=3)
    assert queries() == small


# Rendering fetches nothing from the network


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection or resolve a name fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access while rendering: {args}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture
def template_dir(settings, tmp_path):
    """A directory of templates for this test, searched before the project's."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return tmp_path


@pytest.fixture
def spy_fetcher(monkeypatch):
    """The fetchers render_pdf makes, to look at what they refused."""
    made = []

    class Spy(DocumentFetcher):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr("lkks.pdf.DocumentFetcher", Spy)
    return made


def test_a_template_asking_for_the_internet_renders_without_it(
    no_network, template_dir, spy_fetcher
):
    (template_dir / "outside.html").write_text(
        "{% load static %}<html><head>"
        '<link rel="stylesheet" href="{% static \'css/document.css\' %}">'
        '<link rel="stylesheet" href="https://example.com/evil.css">'
        "</head><body><p>Laporan</p>"
        '<img src="http://example.com/x.png"><img src="ftp://example.com/y.png">'
        '<img src="file:///etc/passwd"><img src="/static/../../../etc/passwd">'
        '<img src="/files/activityphoto-image/1/">'
        "</body></html>"
    )

    pdf = render_pdf("outside.html")

    assert pdf.startswith(b"%PDF-")
    assert "Laporan" in pdf_text(pdf)
    [fetcher] = spy_fetcher
    assert set(fetcher.refused) == {
        "https://example.com/evil.css",
        "http://example.com/x.png",
        "ftp://example.com/y.png",
        "file:///etc/passwd",
        "file:///files/activityphoto-image/1/",  # a stored file the view did not hand over
    }


@pytest.mark.django_db
def test_only_the_stored_files_handed_over_are_served(template_dir, spy_fetcher):
    photo = ActivityPhotoFactory()
    url = reverse("file", args=["activityphoto-image", photo.pk])
    (template_dir / "photo.html").write_text(f'<img src="{url}"><img src="{url}x/">')

    pdf = render_pdf("photo.html", files={url: photo.image})

    assert pdf_image_count(pdf) == 1
    assert spy_fetcher[0].refused == [f"file://{url}x/"]


def test_data_urls_are_decoded_in_memory(no_network, template_dir, spy_fetcher):
    (template_dir / "data.html").write_text(
        '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR'
        '42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==">'
    )

    pdf = render_pdf("data.html")

    assert pdf_image_count(pdf) == 1
    assert spy_fetcher[0].refused == []
