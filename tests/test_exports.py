"""Exports of every list page: the rows the list shows under its filters, scoped like
the page, streamed as XLSX or CSV, safe to open in a spreadsheet; and the LKS export
imports back without changing anything."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from lkks import exports
from lkks.models import Membership
from members import imports
from members.models import Accreditation, Organisation, Registration
from tests.factories import (
    AccreditationFactory,
    ActivityFactory,
    ExpenditureFactory,
    FunderFactory,
    GrantFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgramFactory,
    RegistrationFactory,
    region,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
YEAR = datetime.timedelta(days=365)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def client_for(user):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def staff(kampar):
    return MembershipFactory(body=kampar, role=Membership.Role.STAFF).user


@pytest.fixture
def staff_client(staff):
    return client_for(staff)


@pytest.fixture
def official_client(kampar):
    return client_for(MembershipFactory(body=kampar, role=Membership.Role.OFFICIAL).user)


@pytest.fixture
def sleman_client(sleman):
    return client_for(MembershipFactory(body=sleman, role=Membership.Role.STAFF).user)


def download(client, name, file_format="xlsx", **params):
    response = client.get(reverse(name), {"format": file_format, **params})
    assert response.status_code == 200, response.status_code
    # Reading the content to its end closes the response, as a server would.
    content = b"".join(response.streaming_content)
    return response, content


def table(content, file_format):
    """The rows of a downloaded file, header first (XLSX cells as typed)."""
    if file_format == "xlsx":
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return [list(values) for values in workbook.worksheets[0].values]
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with its BOM
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


# Cells


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+62 812", "'+62 812"),
        ("-", "'-"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Panti = Rumah", "Panti = Rumah"),
        ("", ""),
    ],
)
def test_text_that_would_start_a_formula_is_neutralised_and_read_back(text, safe):
    assert exports.neutralise(text) == safe
    assert exports.unneutralise(safe) == text


def test_csv_values_are_written_for_indonesian_excel():
    assert exports.csv_value(Decimal(1_128_000_000)) == "1128000000"
    assert exports.csv_value(Decimal("-5000")) == "-5000"  # a number is never neutralised
    assert exports.csv_value(12.5) == "12,50"
    assert exports.csv_value(datetime.date(2024, 10, 16)) == "16/10/2024"
    assert exports.csv_value(None) == ""
    assert exports.csv_value(True) == "yes"
    assert exports.csv_value("=HYPERLINK()") == "'=HYPERLINK()"


def test_xlsx_numbers_and_dates_are_typed_cells_and_text_is_neutralised():
    response = exports.export_response(
        file_format="xlsx",
        headers=["Nama", "Jumlah", "Tanggal", "Minus"],
        rows=[["=1+1", Decimal(1_128_000_000), datetime.date(2024, 10, 16), Decimal(-5)]],
        filename="test",
    )
    assert isinstance(response, FileResponse)
    rows = table(b"".join(response.streaming_content), "xlsx")
    assert rows[1] == ["'=1+1", 1_128_000_000, datetime.datetime(2024, 10, 16), -5]


# The LKS register: export, then import back


@pytest.fixture
def register(kampar, sleman):
    """Kampar LKS in every state the register knows, and one of Sleman."""
    district = region("14.01.01")
    future, past = TODAY + 2 * YEAR, TODAY - 30 * DAY

    def lks(name, **fields):
        return OrganisationFactory(body=kampar, name=name, district=district, **fields)

    registered = lks(
        "Panti Asuhan Harapan", village=region("14.01.01.2009"), phone="+62 812 3", email="a@b.id"
    )
    RegistrationFactory(organisation=registered, number="460/1/TD", valid_until=future)
    AccreditationFactory(
        organisation=registered, grade="B", accredited_on=TODAY - YEAR, valid_until=future
    )
    in_process = lks("Panti Proses", kind=Organisation.Kind.ELDERLY)
    RegistrationFactory(organisation=in_process, submitted=True, submitted_on=TODAY - 10 * DAY)
    expired = lks("Panti Kedaluwarsa", kind=Organisation.Kind.DISABILITY)
    RegistrationFactory(
        organisation=expired,
        number="460/2/TD",
        issued_on=TODAY - 5 * YEAR,
        submitted_on=None,
        valid_until=past,
    )
    AccreditationFactory(
        organisation=expired, grade="C", accredited_on=TODAY - 3 * YEAR, valid_until=past
    )
    renewing = lks("Panti Perpanjangan")
    RegistrationFactory(organisation=renewing, number="460/3/TD", valid_until=TODAY + 20 * DAY)
    RegistrationFactory(organisation=renewing, submitted=True, submitted_on=TODAY - DAY)
    revoked = lks("Panti Dicabut")
    RegistrationFactory(organisation=revoked, number="460/4/TD", valid_until=future)
    RegistrationFactory(
        organisation=revoked,
        status=Registration.Status.REVOKED,
        number="",
        submitted_on=None,
        issued_on=TODAY - 5 * DAY,
        valid_until=None,
    )
    lks("Panti Belum", kind=Organisation.Kind.NAPZA, client_count=7, phone="-")
    lks("=1+1", kind=Organisation.Kind.OTHER, address="@alamat")
    OrganisationFactory(body=sleman, name="Panti Sleman")
    return kampar


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_an_export_imports_back_without_changes(staff_client, register, file_format):
    _response, content = download(staff_client, "members:organisation-export", file_format)
    counts = (
        Organisation.objects.count(),
        Registration.objects.count(),
        Accreditation.objects.count(),
    )
    history = (
        Organisation.history.count(),
        Registration.history.count(),
        Accreditation.history.count(),
    )
    changed_at = [
        sorted(model.objects.values_list("pk", "updated_at"))
        for model in (Organisation, Registration, Accreditation)
    ]
    plan = imports.import_preview(body=register, content=content)
    assert not plan.errors
    assert plan.notices == []
    assert [row.action for row in plan.rows] == ["unchanged"] * 7
    assert all(not row.notices for row in plan.rows)
    assert imports.import_commit(body=register, content=content).written
    assert counts == (
        Organisation.objects.count(),
        Registration.objects.count(),
        Accreditation.objects.count(),
    )
    assert history == (
        Organisation.history.count(),
        Registration.history.count(),
        Accreditation.history.count(),
    )
    assert changed_at == [
        sorted(model.objects.values_list("pk", "updated_at"))
        for model in (Organisation, Registration, Accreditation)
    ]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_lks_export_has_the_import_columns_and_the_current_records(
    staff_client, register, file_format
):
    _response, content = download(staff_client, "members:organisation-export", file_format)
    rows = table(content, file_format)
    assert rows[0] == imports.HEADERS
    by_name = {values[0]: dict(zip(imports.HEADERS, values, strict=True)) for values in rows[1:]}
    assert list(by_name) == [
        "'=1+1",
        "Panti Asuhan Harapan",
        "Panti Belum",
        "Panti Dicabut",
        "Panti Kedaluwarsa",
        "Panti Perpanjangan",
        "Panti Proses",
    ]
    harapan = by_name["Panti Asuhan Harapan"]
    assert (harapan["Jenis"], harapan["Kecamatan"], harapan["Desa/Kelurahan"]) == (
        "LKSA",
        "Bangkinang Kota",
        "Kumantan",
    )
    assert (harapan["Telepon"], harapan["No. Tanda Daftar"], harapan["Status Tanda Daftar"]) == (
        "'+62 812 3",
        "460/1/TD",
        "Terdaftar",
    )
    assert harapan["Akreditasi"] == "B"
    assert by_name["Panti Proses"]["Status Tanda Daftar"] == "Proses"
    assert by_name["Panti Kedaluwarsa"]["Status Tanda Daftar"] == "Kedaluwarsa"
    assert by_name["Panti Kedaluwarsa"]["Akreditasi"] == "Belum"
    assert by_name["Panti Perpanjangan"]["No. Tanda Daftar"] == "460/3/TD"
    assert by_name["Panti Dicabut"]["Status Tanda Daftar"] == "Belum Terdaftar"
    assert by_name["'=1+1"]["Alamat"] == "'@alamat"
    if file_format == "xlsx":
        assert harapan["Tanggal Terbit"] == datetime.datetime(2024, 1, 1)
        assert by_name["Panti Belum"]["Jumlah Klien"] == 7
    else:
        assert harapan["Tanggal Terbit"] == "01/01/2024"
        assert by_name["Panti Belum"]["Jumlah Klien"] == "7"


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_an_application_not_yet_issued_has_no_issue_date_in_the_export(
    staff_client, register, file_format
):
    """Its submission date is not an issue date; nor is the day an import recorded it."""
    imported = OrganisationFactory(body=register, name="Panti Impor", district=region("14.01.01"))
    RegistrationFactory(organisation=imported, submitted=True, submitted_on=TODAY)

    _response, content = download(staff_client, "members:organisation-export", file_format)

    rows = table(content, file_format)
    by_name = {values[0]: dict(zip(imports.HEADERS, values, strict=True)) for values in rows[1:]}
    empty = None if file_format == "xlsx" else ""
    for name in ["Panti Proses", "Panti Impor"]:
        assert by_name[name]["Status Tanda Daftar"] == "Proses"
        assert by_name[name]["Tanggal Terbit"] == empty


def test_every_csv_field_is_quoted_so_a_comma_reader_finds_no_formula(staff_client, kampar):
    OrganisationFactory(body=kampar, name="Yayasan X,=2*21,", address="Jl. A, =1+1")

    _response, content = download(staff_client, "members:organisation-export", "csv")

    text = content.decode("utf-8").lstrip("\ufeff")
    header, row = text.splitlines()[:2]
    assert header.startswith('"Nama LKS";"Jenis";')
    assert row.startswith('"Yayasan X,=2*21,";')
    # Opened where the list separator is a comma (an English Excel), the quotes keep
    # the name whole: no cell begins a formula.
    cells = [cell for line in csv.reader(io.StringIO(text)) for cell in line]
    assert not [cell for cell in cells if cell.startswith(exports.FORMULA_STARTS)]
    assert table(content, "csv")[1][0] == "Yayasan X,=2*21,"


def test_the_lks_export_has_exactly_the_rows_the_filtered_list_shows(staff_client, register):
    params = {"registration_status": "registered", "q": "panti", "ordering": "-name"}
    listed = staff_client.get(reverse("members:organisation-list"), params)
    names = [lks.name for lks in listed.context["organisations"]]
    _response, content = download(staff_client, "members:organisation-export", "csv", **params)
    assert [values[0] for values in table(content, "csv")[1:]] == names
    assert names == ["Panti Perpanjangan", "Panti Asuhan Harapan"]


def test_an_invalid_filter_exports_what_the_list_shows(staff_client, register):
    params = {"district": "not-a-district"}
    listed = staff_client.get(reverse("members:organisation-list"), params)
    _response, content = download(staff_client, "members:organisation-export", "csv", **params)
    assert len(table(content, "csv")) - 1 == listed.context["paginator"].count


def test_another_bodys_lks_never_appear(sleman_client, register):
    _response, content = download(sleman_client, "members:organisation-export", "csv")
    assert [values[0] for values in table(content, "csv")[1:]] == ["Panti Sleman"]


def test_officials_may_export(official_client, register):
    _response, content = download(official_client, "members:organisation-export")
    assert len(table(content, "xlsx")) == 8


def test_the_anonymous_user_is_sent_to_log_in(client, register):
    response = client.get(reverse("members:organisation-export"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_format_is_a_bad_request(staff_client):
    response = staff_client.get(reverse("members:organisation-export"), {"format": "pdf"})
    assert response.status_code == 400


def test_the_download_is_named_after_the_list_body_and_day(staff_client, kampar):
    response, _content = download(staff_client, "members:organisation-export", "csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="lks-kampar-{TODAY:%Y-%m-%d}.csv"'
    )
    response, _content = download(staff_client, "grants:grant-export", "xlsx")
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert f"grants-kampar-{TODAY:%Y-%m-%d}.xlsx" in response["Content-Disposition"]


def test_a_long_list_is_streamed(staff_client, kampar):
    district = region("14.01.01")
    Organisation.objects.bulk_create(
        Organisation(body=kampar, name=f"Panti {n:04d}", district=district) for n in range(2000)
    )
    response, content = download(staff_client, "members:organisation-export", "csv")
    assert isinstance(response, StreamingHttpResponse)
    rows = table(content, "csv")
    assert len(rows) == 2001
    assert rows[-1][0] == "Panti 1999"
    response, content = download(staff_client, "members:organisation-export", "xlsx")
    assert isinstance(response, FileResponse)
    assert len(table(content, "xlsx")) == 2001


# Every other list


@pytest.fixture
def money(kampar, sleman):
    program = ProgramFactory(body=kampar, code="P01", name="Penguatan", budget_ceiling=Decimal(100))
    old = ProgramFactory(body=kampar, code="P00", fiscal_year=2023)
    activity = ActivityFactory(program=program, name="Bimtek", budget=Decimal(50))
    ActivityFactory(program=old, name="Rapat lama")
    funder = FunderFactory(body=kampar, name="Pemkab Kampar")
    grant = GrantFactory(funder=funder, name="Hibah 2024", amount=Decimal(1_000_000_000))
    GrantFactory(funder=funder, name="Hibah 2023", fiscal_year=2023)
    ExpenditureFactory(grant=grant, activity=activity, amount=Decimal(40), description="=cmd")
    theirs = FunderFactory(body=sleman, name="Dinsos Sleman")
    GrantFactory(funder=theirs, name="Hibah Sleman")
    ExpenditureFactory(
        grant=GrantFactory(funder=theirs), activity__program__body=sleman, description="Sleman"
    )
    return {"program": program, "activity": activity, "grant": grant}


def test_programs_export_is_the_years_programs_with_their_progress(staff_client, money):
    _response, content = download(staff_client, "programs:program-export", year=2024)
    rows = table(content, "xlsx")
    assert rows[0] == [
        "Fiscal year",
        "Code",
        "Name",
        "Category",
        "Budget ceiling (pagu)",
        "Activities",
        "Activities done",
        "Planned",
        "Spent",
        "Absorption (%)",
    ]
    assert rows[1:] == [
        [2024, "P01", "Penguatan", "institutional support", 100, 1, 0, 50, 40, 40],
    ]


def test_activities_export_follows_the_lists_filters(staff_client, money):
    _response, content = download(staff_client, "programs:activity-export", "csv", year=2023)
    rows = table(content, "csv")
    assert [values[3] for values in rows[1:]] == ["Rapat lama"]
    _response, content = download(staff_client, "programs:activity-export", "csv")
    rows = table(content, "csv")
    header = rows[0]
    bimtek = dict(zip(header, next(r for r in rows if r[3] == "Bimtek"), strict=True))
    assert (bimtek["Program code"], bimtek["Budget"], bimtek["Spent"]) == ("P01", "50", "40")
    assert bimtek["Planned start"] == "01/05/2024"


def test_grants_export_has_the_totals_of_each_grant(staff_client, money):
    _response, content = download(staff_client, "grants:grant-export", year=2024)
    rows = table(content, "xlsx")
    row = dict(zip(rows[0], rows[1], strict=True))
    assert len(rows) == 2
    assert (row["Name"], row["Funder"], row["Amount"], row["Spent"], row["Remaining"]) == (
        "Hibah 2024",
        "Pemkab Kampar",
        1_000_000_000,
        40,
        999_999_960,
    )
    assert row["LPJ overdue"] == "no"


def test_expenditures_export_is_scoped_and_neutralised(staff_client, money):
    _response, content = download(staff_client, "grants:expenditure-export", "csv")
    rows = table(content, "csv")
    assert rows[0] == [
        "Date",
        "Grant",
        "Funder",
        "Activity",
        "Description",
        "Receipt number",
        "Amount",
        "Budget line",
    ]
    assert [values[4] for values in rows[1:]] == ["'=cmd"]


def test_funders_export(staff_client, money):
    _response, content = download(staff_client, "grants:funder-export", "csv", kind="hibah_apbd")
    rows = table(content, "csv")
    assert [values[:2] for values in rows[1:]] == [["Pemkab Kampar", "regional grant (hibah APBD)"]]


EXPORTS = [
    "members:organisation-export",
    "programs:program-export",
    "programs:activity-export",
    "grants:grant-export",
    "grants:expenditure-export",
    "grants:funder-export",
]


def test_headers_are_in_the_users_language_but_the_register_keeps_the_import_columns(staff, money):
    client = client_for(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    _response, content = download(client, "programs:program-export", "csv")
    assert table(content, "csv")[0][:2] == ["Tahun anggaran", "Kode"]
    _response, content = download(client, "members:organisation-export", "csv")
    assert table(content, "csv")[0] == imports.HEADERS


def grow(kampar, sleman, count):
    """``count`` more records of every listed kind, each on its own related records."""
    for _n in range(count):
        lks = OrganisationFactory(body=kampar)
        RegistrationFactory(organisation=lks)
        AccreditationFactory(organisation=lks)
        grant = GrantFactory(funder=FunderFactory(body=kampar))
        ExpenditureFactory(grant=grant, activity__program__body=kampar)
        ProgramFactory(body=kampar)
        OrganisationFactory(body=sleman)


@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_an_export_takes_as_many_queries_for_50_rows_as_for_5(
    staff_client, kampar, sleman, name, file_format
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            download(staff_client, name, file_format)
        return len(captured)

    grow(kampar, sleman, 5)
    queries()  # the first request of a session also caches what every request reads
    with_5 = queries()
    grow(kampar, sleman, 45)
    assert queries() == with_5
