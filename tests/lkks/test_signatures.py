"""The signature block of every printed document: the officers holding the positions on
the document's date, the place of signing, the Kepala Dinas Sosial's "Mengetahui", and
a named gap where nobody is recorded."""

import datetime
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from lkks.documents import place_name, time_zone_name
from lkks.models import Officer
from lkks.signatures import Signatory, SignatureBlock, signature_block
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

DATE = datetime.date(2024, 10, 16)
CHAIR = Officer.Position.CHAIR
SECRETARY = Officer.Position.SECRETARY
TREASURER = Officer.Position.TREASURER


@pytest.fixture
def board(kampar):
    chair = OfficerFactory(
        decree__body=kampar,
        name="Ricana Djayanti Hambali",
        ex_officio="Pj Ketua TP-PKK Kabupaten Kampar",
    )
    OfficerFactory(decree=chair.decree, position=SECRETARY, name="Drs. Sekretaris, M.Si")
    return chair.decree


@pytest.mark.parametrize(
    ("regency", "zone"),
    [("14.01", "WIB"), ("34.04", "WIB"), ("51.71", "WITA"), ("73.71", "WITA"), ("94.71", "WIT")],
)
def test_an_hour_is_written_in_the_zone_of_the_bodys_province(regency, zone):
    assert time_zone_name(SimpleNamespace(regency_id=regency)) == zone


def test_the_place_is_the_bodys_place_of_signing_else_the_regency(kampar, sleman):
    kampar.signing_place = "Bangkinang"

    assert place_name(kampar) == "Bangkinang"
    assert place_name(sleman) == "Sleman"
    assert signature_block(kampar, on=DATE, positions=[]).place == "Bangkinang"


def test_each_position_is_signed_by_its_holder_on_the_date(kampar, board):
    block = signature_block(kampar, on=DATE, positions=[SECRETARY, CHAIR])

    assert block == SignatureBlock(
        place="Kampar",
        date=DATE,
        signers=(
            Signatory(title="Sekretaris LKKS Kabupaten Kampar", name="Drs. Sekretaris, M.Si"),
            Signatory(
                title="Ketua Umum LKKS Kabupaten Kampar",
                name="Ricana Djayanti Hambali",
                ex_officio="Pj Ketua TP-PKK Kabupaten Kampar",
            ),
        ),
    )
    assert block.missing == []


def test_an_old_document_is_signed_by_the_board_of_its_time(kampar, board):
    OfficerFactory(
        decree__body=kampar,
        decree__term_start=datetime.date(2026, 4, 1),
        decree__term_end=None,
        name="Ketua Berikutnya",
        term_end=None,
    )

    then = signature_block(kampar, on=DATE, positions=[CHAIR])
    later = signature_block(kampar, on=datetime.date(2026, 5, 1), positions=[CHAIR])

    assert then.signers[0].name == "Ricana Djayanti Hambali"
    assert later.signers[0].name == "Ketua Berikutnya"


def test_a_position_nobody_holds_is_named_with_where_to_fill_it(kampar, board):
    block = signature_block(kampar, on=DATE, positions=[TREASURER, CHAIR])

    treasurer = block.signers[0]
    assert treasurer.is_missing
    assert (treasurer.title, treasurer.name, treasurer.missing) == (
        "Bendahara LKKS Kabupaten Kampar",
        "",
        "Bendahara",
    )
    assert treasurer.fill_url == f"{reverse('officer-create')}?body=kampar&position=50"
    assert block.missing == [treasurer]


def test_the_head_of_the_dinas_sosial_acknowledges(kampar, board):
    kampar.social_head_name = "Drs. Zamzami Hasan, M.Si"
    kampar.social_head_nip = "19700101 199003 1 005"

    acknowledged = signature_block(kampar, on=DATE, positions=[CHAIR], acknowledge=True)
    titled = kampar.social_head_title = "Kepala Dinas Sosial dan Pemberdayaan Masyarakat"
    retitled = signature_block(kampar, on=DATE, positions=[CHAIR], acknowledge=True)

    assert acknowledged.acknowledged_by == Signatory(
        title="Kepala Dinas Sosial Kabupaten Kampar",
        name="Drs. Zamzami Hasan, M.Si",
        nip="19700101 199003 1 005",
    )
    assert retitled.acknowledged_by.title == titled
    assert signature_block(kampar, on=DATE, positions=[CHAIR]).acknowledged_by is None


def test_a_missing_head_is_named_with_the_profile_to_fill(kampar, board):
    block = signature_block(kampar, on=DATE, positions=[CHAIR], acknowledge=True)

    assert block.acknowledged_by.missing == "Kepala Dinas Sosial Kabupaten Kampar"
    assert block.acknowledged_by.fill_url == f"{reverse('body-edit')}?body=kampar"


def test_the_block_takes_one_query(kampar, board, django_assert_num_queries):
    with django_assert_num_queries(1):
        signature_block(kampar, on=DATE, positions=[SECRETARY, CHAIR, TREASURER], acknowledge=True)


def render(block, for_pdf=False):
    return " ".join(
        render_to_string("documents/_signatures.html", {"block": block, "for_pdf": for_pdf}).split()
    )


def test_the_partial_prints_place_date_titles_and_names(kampar, board):
    kampar.signing_place = "Bangkinang"
    kampar.social_head_name = "Drs. Zamzami Hasan, M.Si"
    kampar.social_head_nip = "19700101 199003 1 005"

    html = render(signature_block(kampar, on=DATE, positions=[SECRETARY, CHAIR], acknowledge=True))

    assert "Bangkinang, 16 Oktober 2024" in html
    assert html.index("Sekretaris LKKS Kabupaten Kampar") < html.index("Ketua Umum LKKS")
    assert "Ricana Djayanti Hambali" in html
    assert "Mengetahui," in html
    assert "Kepala Dinas Sosial Kabupaten Kampar" in html
    assert "NIP. 19700101 199003 1 005" in html
    assert "signatures-block" in html  # the class that keeps it off a page of its own
    assert "...." not in html


def test_the_partial_names_a_missing_position_never_a_blank_line(kampar, board):
    block = signature_block(kampar, on=DATE, positions=[TREASURER])

    page = render(block)
    pdf = render(block, for_pdf=True)

    assert "Bendahara belum tercatat" in page
    assert block.signers[0].fill_url.replace("&", "&amp;") in page
    assert "Bendahara belum tercatat" in pdf
    assert "href" not in pdf
