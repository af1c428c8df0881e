"""The letter register: one sequence per body and year, numbered by the body's pattern,
unique under concurrency and never given twice."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from lkks import letters
from lkks.letters import issue_letter
from lkks.models import Letter, LetterCounter
from lkks.numbering import letter_number, validate_letter_number_pattern
from tests.factories import BodyFactory, region

DATE = datetime.date(2024, 10, 16)
KAMPAR_PATTERN = "{seq:03d}/LKKS-KPR/{kind}/{month_roman}/{year}"


def issue(body, on=DATE, kind=Letter.Kind.RECOMMENDATION, **fields):
    fields.setdefault("subject", "Rekomendasi pendaftaran")
    fields.setdefault("by", None)
    return issue_letter(body=body, kind=kind, on=on, **fields)


# Numbers


def test_the_pattern_fills_the_sequence_kind_and_roman_month():
    assert letter_number(KAMPAR_PATTERN, seq=7, kind="REK", on=DATE) == "007/LKKS-KPR/REK/X/2024"
    assert (
        letter_number("{year}.{month}/{seq}", seq=12, kind="LAP", on=datetime.date(2025, 1, 2))
        == "2025.1/12"
    )


@pytest.mark.parametrize(
    ("pattern", "code"),
    [
        ("{seq:03d}/LKKS/{kind}", "pattern_required_fields"),
        ("LKKS/{kind}/{year}", "pattern_required_fields"),
        ("{seq}/{body}/{year}", "pattern_fields"),
        ("{seq/{year}", "pattern_fields"),
        ("{seq:03x!}/{year}", "pattern_format"),
        ("{seq:s}/{year}", "pattern_format"),
    ],
)
def test_a_pattern_that_could_not_number_every_letter_is_refused(pattern, code):
    with pytest.raises(ValidationError) as refused:
        validate_letter_number_pattern(pattern)

    assert refused.value.code == code


@pytest.mark.django_db
def test_letters_are_numbered_per_body_and_year_from_one(kampar, sleman):
    kampar.letter_number_pattern = KAMPAR_PATTERN
    kampar.save()

    first = issue(kampar)
    second = issue(kampar, kind=Letter.Kind.INVITATION)
    sleman_first = issue(sleman)
    next_year = issue(kampar, on=datetime.date(2025, 1, 2))
    late_for_2024 = issue(kampar, on=datetime.date(2024, 12, 31))

    assert [first.number, second.number] == ["001/LKKS-KPR/REK/X/2024", "002/LKKS-KPR/UND/X/2024"]
    assert sleman_first.number == "001/LKKS/REK/X/2024"
    assert next_year.number == "001/LKKS-KPR/REK/I/2025"
    assert late_for_2024.number == "003/LKKS-KPR/REK/XII/2024"
    assert LetterCounter.objects.get(body=kampar, year=2024).last_sequence == 3


@pytest.mark.django_db
def test_a_changed_pattern_numbers_the_next_letters_and_keeps_the_sequence(kampar):
    issue(kampar)
    kampar.letter_number_pattern = KAMPAR_PATTERN
    kampar.save()

    assert issue(kampar).number == "002/LKKS-KPR/REK/X/2024"
    assert list(Letter.objects.values_list("number", flat=True).order_by("sequence")) == [
        "001/LKKS/REK/X/2024",
        "002/LKKS-KPR/REK/X/2024",
    ]


@pytest.mark.django_db
def test_a_number_is_never_given_again_even_after_its_letter_is_gone(kampar):
    first = issue(kampar)
    Letter.objects.filter(pk=first.pk).delete()  # only the database could; no page does

    assert issue(kampar).sequence == 2


@pytest.mark.django_db
def test_a_refused_letter_takes_no_number(kampar):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as future:
        issue(kampar, on=tomorrow)
    with pytest.raises(ValidationError) as undated:
        issue(kampar, on=None)
    with pytest.raises(ValidationError) as no_subject:
        issue(kampar, subject="")
    with pytest.raises(ValidationError) as bad_kind:
        issue(kampar, kind="XYZ")

    assert future.value.error_dict["date"][0].code == "future_date"
    assert undated.value.error_dict["date"][0].code == "required"
    assert "subject" in no_subject.value.error_dict
    assert "kind" in bad_kind.value.error_dict
    assert not Letter.objects.exists()
    assert issue(kampar).sequence == 1


@pytest.mark.django_db
def test_a_document_keeps_its_one_number(kampar, sleman):
    issue(kampar, reference="annual-report:2024")
    issue(sleman, reference="annual-report:2024")  # another body's document

    with pytest.raises(ValidationError) as again:
        issue(kampar, reference="annual-report:2024")

    assert again.value.error_dict["reference"][0].code == "unique_reference"
    assert Letter.objects.filter(body=kampar).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_sequence_twice(kampar):
    letter = issue(kampar)

    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.create(
            body=kampar, year=2024, sequence=1, number="x", kind="REK", date=DATE, subject="x"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.create(
            body=kampar, year=2024, sequence=9, number=letter.number, kind="REK", date=DATE
        )


@pytest.mark.django_db
def test_the_issuer_is_kept_and_in_the_history(kampar, staff):
    letter = issue(kampar, by=staff)

    assert letter.issued_by == staff
    assert letter.history.get().history_user == staff


@pytest.mark.django_db
def test_letters_are_scoped_to_the_users_bodies(kampar, sleman, staff, official, other_staff):
    ours = issue(kampar)
    issue(sleman)

    assert list(Letter.objects.for_user(staff)) == [ours]
    assert list(Letter.objects.for_user(official)) == [ours]
    assert list(Letter.objects.editable_by(official)) == []


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eight_staff_issuing_at_the_same_moment_get_eight_numbers(monkeypatch):
    """All enter their transaction and reach the counter together, also for the year's
    first letter, whose counter row does not exist yet."""
    threads_count = 8
    barrier = threading.Barrier(threads_count, timeout=20)
    locked_counter = letters._locked_counter

    def lock_when_all_are_in_their_transaction(body_id, year):
        barrier.wait()
        return locked_counter(body_id, year)

    monkeypatch.setattr(letters, "_locked_counter", lock_when_all_are_in_their_transaction)
    body = BodyFactory(slug="kampar", regency=region("14.01"))
    body.letter_number_pattern = KAMPAR_PATTERN
    body.save()
    outcomes = []

    def issue_one():
        try:
            outcomes.append(issue(body).number)
        except Exception as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue_one) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes, key=str) == [
        f"{n:03d}/LKKS-KPR/REK/X/2024" for n in range(1, threads_count + 1)
    ]
    assert LetterCounter.objects.get(body=body, year=2024).last_sequence == threads_count
