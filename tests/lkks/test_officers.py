"""Officers: who holds a position on a date, derived from the terms; a new decree
replaces the old board without losing it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lkks.models import Officer
from lkks.officers import decree_record, holders, officer_save
from tests.factories import DecreeFactory, OfficerFactory

pytestmark = pytest.mark.django_db

CHAIR = Officer.Position.CHAIR
TREASURER = Officer.Position.TREASURER


def new_decree(body, **fields):
    fields = {
        "number": "KPTS.500/2024",
        "issued_on": datetime.date(2024, 3, 1),
        "issued_by": "Bupati Kampar",
        "term_start": datetime.date(2024, 3, 1),
        "term_end": None,
        **fields,
    }
    return DecreeFactory.build(body=body, **fields)


def test_the_holder_on_a_date_is_the_one_whose_term_includes_it(kampar):
    old = OfficerFactory(decree__body=kampar, name="Lama", term_end=datetime.date(2023, 12, 31))
    new = OfficerFactory(
        decree__body=kampar, name="Baru", term_start=datetime.date(2024, 1, 1), term_end=None
    )

    assert holders(kampar, on=datetime.date(2023, 6, 1), positions=[CHAIR]) == {CHAIR: old}
    assert holders(kampar, on=datetime.date(2024, 6, 1), positions=[CHAIR]) == {CHAIR: new}
    assert holders(kampar, on=datetime.date(2020, 6, 1), positions=[CHAIR]) == {}


def test_where_terms_overlap_the_one_that_started_last_holds_it(kampar):
    OfficerFactory(decree__body=kampar, name="Lama")
    later = OfficerFactory(
        decree__body=kampar, name="Pengganti", term_start=datetime.date(2023, 1, 1)
    )

    assert holders(kampar, on=datetime.date(2024, 1, 1), positions=[CHAIR]) == {CHAIR: later}


def test_holders_are_of_the_body_only(kampar, sleman):
    OfficerFactory(decree__body=sleman)

    assert holders(kampar, on=datetime.date(2024, 1, 1), positions=[CHAIR]) == {}


def test_holders_take_one_query(kampar, django_assert_num_queries):
    for position in Officer.Position.values[:5]:
        OfficerFactory(decree__body=kampar, position=position)

    with django_assert_num_queries(1):
        found = holders(kampar, on=datetime.date(2024, 1, 1), positions=[CHAIR, TREASURER])
        titles = [officer.title() for officer in found.values()]

    assert titles == ["Ketua Umum LKKS Kabupaten Kampar", "Bendahara LKKS Kabupaten Kampar"]


def test_a_new_decree_replaces_the_board_and_keeps_the_old_one(kampar, staff):
    old_chair = OfficerFactory(decree__body=kampar, name="Ketua Lama", term_end=None)
    old_treasurer = OfficerFactory(
        decree=old_chair.decree, position=TREASURER, name="Bendahara Lama", term_end=None
    )

    decree = decree_record(decree=new_decree(kampar), replaces_board=True, by=staff)
    new_chair = officer_save(
        officer=Officer(
            decree=decree, position=CHAIR, name="Ketua Baru", term_start=decree.term_start
        ),
        by=staff,
    )

    old_chair.refresh_from_db()
    old_treasurer.refresh_from_db()
    assert old_chair.term_end == old_treasurer.term_end == datetime.date(2024, 2, 29)
    assert old_chair.history.first().history_user == staff
    before = holders(kampar, on=datetime.date(2024, 2, 29), positions=[CHAIR, TREASURER])
    after = holders(kampar, on=datetime.date(2024, 3, 1), positions=[CHAIR, TREASURER])
    assert before == {CHAIR: old_chair, TREASURER: old_treasurer}
    assert after == {CHAIR: new_chair}  # the new board has no treasurer yet


def test_a_decree_that_changes_single_officers_ends_no_term(kampar):
    chair = OfficerFactory(decree__body=kampar, term_end=None)

    decree_record(decree=new_decree(kampar), replaces_board=False)

    chair.refresh_from_db()
    assert chair.term_end is None


def test_a_decree_number_is_unique_per_body(kampar, sleman):
    DecreeFactory(body=kampar, number="KPTS.1/2021")
    decree_record(decree=new_decree(sleman, number="KPTS.1/2021"), replaces_board=False)

    with pytest.raises(ValidationError) as twice:
        decree_record(decree=new_decree(kampar, number="KPTS.1/2021"), replaces_board=True)

    assert twice.value.messages == ["The body already has a decree with this number."] or (
        twice.value.messages == ["Lembaga sudah memiliki SK dengan nomor ini."]
    )


def test_terms_end_after_they_start(kampar):
    with pytest.raises(ValidationError) as decree_refused:
        decree_record(
            decree=new_decree(kampar, term_end=datetime.date(2024, 1, 1)), replaces_board=False
        )
    decree = DecreeFactory(body=kampar)
    with pytest.raises(ValidationError) as officer_refused:
        officer_save(
            officer=Officer(
                decree=decree,
                position=CHAIR,
                name="A",
                term_start=datetime.date(2022, 1, 1),
                term_end=datetime.date(2021, 12, 31),
            )
        )

    assert "term_end" in decree_refused.value.error_dict
    assert "term_end" in officer_refused.value.error_dict
    assert not Officer.objects.exists()


def test_an_officer_serves_within_the_decrees_term(kampar):
    decree = DecreeFactory(body=kampar)  # 1 April 2021 to 31 March 2026

    with pytest.raises(ValidationError) as early:
        officer_save(
            officer=Officer(
                decree=decree, position=CHAIR, name="A", term_start=datetime.date(2021, 1, 1)
            )
        )
    with pytest.raises(ValidationError) as late:
        officer_save(
            officer=Officer(
                decree=decree,
                position=CHAIR,
                name="A",
                term_start=datetime.date(2021, 4, 1),
                term_end=datetime.date(2027, 1, 1),
            )
        )

    assert early.value.error_dict["term_start"][0].code == "before_decree_term"
    assert late.value.error_dict["term_end"][0].code == "after_decree_term"


def test_a_division_head_names_the_division(kampar):
    decree = DecreeFactory(body=kampar)

    with pytest.raises(ValidationError) as refused:
        officer_save(
            officer=Officer(
                decree=decree,
                position=Officer.Position.DIVISION_HEAD,
                name="A",
                term_start=decree.term_start,
            )
        )
    head = officer_save(
        officer=Officer(
            decree=decree,
            position=Officer.Position.DIVISION_HEAD,
            portfolio="Pembinaan LKS",
            name="A",
            term_start=decree.term_start,
        )
    )

    assert "portfolio" in refused.value.error_dict
    assert head.title() == "Ketua Bidang Pembinaan LKS LKKS Kabupaten Kampar"


def test_officers_are_scoped_through_their_decree(kampar, sleman, staff, official):
    ours = OfficerFactory(decree__body=kampar)
    OfficerFactory(decree__body=sleman)

    assert list(Officer.objects.for_user(official)) == [ours]
    assert list(Officer.objects.editable_by(official)) == []
    assert list(Officer.objects.editable_by(staff)) == [ours]
