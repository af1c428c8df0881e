"""The hibah cycle as records: proposal, agreement (NPHD or MoU) and budget (RAB), LPJ
submitted and reviewed, the remainder returned; the stage derived from them, and the
money standing still while an LPJ stands."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from grants.models import Agreement, BudgetLine, Grant, LpjSubmission, RemainderReturn, Stage
from grants.services import (
    agreement_delete,
    agreement_save,
    allocation_save,
    budget_line_delete,
    budget_line_save,
    disbursement_save,
    expenditure_delete,
    expenditure_save,
    grant_save,
    lpj_review,
    lpj_submission_delete,
    lpj_submit,
    return_delete,
    return_save,
)
from lkks.letters import Letter
from tests.factories import (
    AgreementFactory,
    AllocationFactory,
    BudgetLineFactory,
    DisbursementFactory,
    ExpenditureFactory,
    GrantFactory,
    LpjSubmissionFactory,
    RemainderReturnFactory,
)
from tests.grants.conftest import JUTA

pytestmark = pytest.mark.django_db

JAN_8 = datetime.date(2025, 1, 8)


def only_error(save, field, **record):
    with pytest.raises(ValidationError) as refused:
        save(**record)
    errors = refused.value.error_dict
    assert list(errors) == [field], refused.value.message_dict
    [error] = errors[field]
    return error.messages[0], error.code


def refused_code(save, **record):
    """The code of a refusal above the form (not on a field)."""
    with pytest.raises(ValidationError) as refused:
        save(**record)
    assert not hasattr(refused.value, "error_dict"), refused.value.message_dict
    return refused.value.error_list[0].code


def stage(grant):
    return Grant.objects.with_stage().get(pk=grant.pk).stage


def nphd(grant, **fields):
    values = {
        "kind": Agreement.Kind.NPHD,
        "number": "900/NPHD/014/2024",
        "signed_on": datetime.date(2024, 2, 1),
        "purpose": "Penguatan kelembagaan LKKS",
        "bank_name": "Bank Riau Kepri Syariah",
        "bank_account_number": "101.02.34567",
        "bank_account_holder": "LKKS Kabupaten Kampar",
        "grantor_signatory_name": "Zamzami Hasan",
        "grantor_signatory_title": "Kepala Dinas Sosial Kabupaten Kampar",
        "grantor_signatory_nip": "19700101 199003 1 005",
        "recipient_signatory_name": "Ricana Djayanti",
        "recipient_signatory_title": "Ketua Umum LKKS Kabupaten Kampar",
    }
    return Agreement(grant=grant, **(values | fields))


@pytest.fixture
def proposal(funder):
    """A hibah proposed by letter of 21 August 2023, no agreement yet."""
    return GrantFactory(
        funder=funder,
        proposed=True,
        amount=100 * JUTA,
        requested_amount=120 * JUTA,
        proposal_number="045/LKKS-KPR/VIII/2023",
        proposal_date=datetime.date(2023, 8, 21),
    )


@pytest.fixture
def spent(grant, allocation, line):
    """Rp 60 juta received, Rp 5 juta spent on 2 May 2024."""
    DisbursementFactory(grant=grant, date=datetime.date(2024, 3, 15), amount=60 * JUTA)
    return ExpenditureFactory(
        grant=grant,
        activity=allocation.activity,
        budget_line=line,
        amount=5 * JUTA,
        date=datetime.date(2024, 5, 2),
    )


def submit(grant, on=JAN_8, **fields):
    return lpj_submit(
        submission=LpjSubmission(grant=grant, submitted_on=on, received_by="Sekretariat", **fields)
    )


# Agreements


def test_an_nphd_states_all_it_must(proposal):
    agreement = agreement_save(agreement=nphd(proposal))

    assert agreement.pk
    assert stage(proposal) == Stage.APPROVED


def test_an_nphd_without_its_contents_is_refused_on_each_missing_field(proposal):
    with pytest.raises(ValidationError) as refused:
        agreement_save(agreement=nphd(proposal, purpose="", bank_account_number=""))

    assert set(refused.value.message_dict) == {"purpose", "bank_account_number"}
    assert not Agreement.objects.exists()


def test_a_regional_hibah_is_agreed_by_nphd_and_csr_by_mou(proposal, csr_grant):
    _message, code = only_error(
        agreement_save, "kind", agreement=nphd(proposal, kind=Agreement.Kind.MOU)
    )
    assert code == "kind"
    csr_grant.agreement.delete()
    _message, code = only_error(agreement_save, "kind", agreement=nphd(csr_grant))
    assert code == "kind"
    agreement_save(
        agreement=Agreement(
            grant=csr_grant,
            kind=Agreement.Kind.MOU,
            number="MoU/01/2024",
            signed_on=datetime.date(2024, 2, 12),
        )
    )


def test_the_grantors_nip_has_18_digits(proposal):
    message, code = only_error(
        agreement_save,
        "grantor_signatory_nip",
        agreement=nphd(proposal, grantor_signatory_nip="123"),
    )
    assert code == "invalid_nip"
    assert message


def test_an_agreement_is_not_signed_before_its_proposal(proposal):
    _message, code = only_error(
        agreement_save, "signed_on", agreement=nphd(proposal, signed_on=datetime.date(2023, 8, 1))
    )
    assert code == "before_proposal"


def test_an_agreement_is_not_signed_after_the_money_it_agrees(grant, spent):
    agreement = grant.agreement
    agreement.signed_on = datetime.date(2024, 4, 1)

    message, code = only_error(agreement_save, "signed_on", agreement=agreement)

    assert code == "after_disbursement"
    assert "15 Maret 2024" in message


def test_an_agreement_money_was_disbursed_under_is_not_deleted(grant, spent):
    with pytest.raises(ValidationError) as refused:
        agreement_delete(agreement=grant.agreement)

    assert "Rp 60.000.000" in refused.value.messages[0]
    assert Agreement.objects.filter(grant=grant).exists()


def test_an_agreement_before_any_money_is_deleted_and_the_grant_is_a_proposal_again(grant):
    agreement_delete(agreement=grant.agreement)

    assert stage(grant) == Stage.PROPOSED


def test_a_grant_has_one_agreement(grant):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(grant=grant)


# Budget lines (RAB)


def test_budget_lines_never_add_up_to_more_than_the_grant(grant, line):
    message, code = only_error(
        budget_line_save,
        "amount",
        budget_line=BudgetLine(grant=grant, item="Tambahan", amount=2 * JUTA),
    )

    assert code == "overflow"
    assert "Rp 2.000.000" in message
    assert BudgetLine.objects.count() == 1


def test_a_line_never_drops_below_what_was_spent_on_it(spent, line):
    line.amount = 4 * JUTA

    message, code = only_error(budget_line_save, "amount", budget_line=line)

    assert code == "below_spent"
    assert "Rp 5.000.000" in message


def test_a_line_that_was_spent_on_is_not_deleted(spent, line):
    with pytest.raises(ValidationError) as refused:
        budget_line_delete(budget_line=line)

    assert "Rp 5.000.000" in refused.value.messages[0]
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_an_item_is_budgeted_once(grant, line):
    with pytest.raises(ValidationError) as refused:
        budget_line_save(budget_line=BudgetLine(grant=grant, item=line.item, amount=0))
    assert refused.value.messages


# Outcomes stored: rejected, cancelled


def test_a_rejected_proposal_is_rejected_and_takes_no_agreement(proposal):
    proposal.outcome = Grant.Outcome.REJECTED
    proposal.outcome_on = datetime.date(2023, 12, 1)
    grant_save(grant=proposal)

    assert stage(proposal) == Stage.REJECTED
    _message, code = only_error(agreement_save, "number", agreement=nphd(proposal))
    assert code == "withdrawn"


def test_an_agreed_grant_is_cancelled_not_rejected(grant):
    grant.outcome = Grant.Outcome.REJECTED
    grant.outcome_on = datetime.date(2024, 3, 1)

    _message, code = only_error(grant_save, "outcome", grant=grant)

    assert code == "agreed"


def test_a_grant_that_received_money_is_not_cancelled(grant, spent):
    grant.outcome = Grant.Outcome.CANCELLED
    grant.outcome_on = datetime.date(2024, 6, 1)

    message, code = only_error(grant_save, "outcome", grant=grant)

    assert code == "disbursed"
    assert "Rp 60.000.000" in message


def test_a_cancelled_grant_takes_no_money(grant, activity):
    grant.outcome = Grant.Outcome.CANCELLED
    grant.outcome_on = datetime.date(2024, 3, 1)
    grant_save(grant=grant)

    assert stage(grant) == Stage.CANCELLED
    code = refused_code(
        allocation_save, allocation=AllocationFactory.build(grant=grant, activity=activity)
    )
    assert code == "withdrawn"


def test_an_outcome_has_its_date_and_only_an_outcome_has_one(proposal):
    proposal.outcome = Grant.Outcome.REJECTED
    with pytest.raises(ValidationError) as refused:
        grant_save(grant=proposal)
    assert list(refused.value.message_dict) == ["outcome_on"]


# The LPJ: submitted, reviewed


def test_an_lpj_is_submitted_with_a_cover_letter_from_the_bodys_register(grant, spent):
    submission = submit(grant)

    letter = Letter.objects.get(body=grant.funder.body)
    assert submission.letter_number == letter.number
    assert letter.kind == Letter.Kind.LPJ
    assert letter.date == JAN_8
    assert letter.reference == f"grants.lpjsubmission:{submission.pk}"
    assert stage(grant) == Stage.LPJ_SUBMITTED


def test_a_typed_cover_letter_number_is_kept(grant, spent):
    submission = submit(grant, letter_number="017/LKKS/LPJ/I/2025")

    assert submission.letter_number == "017/LKKS/LPJ/I/2025"
    assert not Letter.objects.exists()


def test_nothing_disbursed_nothing_to_account_for(grant):
    assert refused_code(submit, grant=grant) == "nothing_disbursed"
    assert not LpjSubmission.objects.exists()


def test_an_lpj_comes_after_the_money_it_accounts_for(grant, spent):
    message, code = only_error(submit, "submitted_on", grant=grant, on=datetime.date(2024, 5, 1))

    assert code == "before_money"
    assert "2 Mei 2024" in message


def test_an_lpj_is_not_dated_in_the_future(grant, spent):
    _message, code = only_error(
        submit, "submitted_on", grant=grant, on=datetime.date.today() + datetime.timedelta(days=1)
    )
    assert code == "future_date"


def test_one_lpj_awaits_review_at_a_time(grant, spent):
    submit(grant)

    assert refused_code(submit, grant=grant, on=JAN_8 + datetime.timedelta(days=1)) == "standing"


def test_a_returned_lpj_says_what_to_revise_and_opens_the_money_again(grant, spent, allocation):
    submission = submit(grant)
    with pytest.raises(ValidationError) as refused:
        lpj_review(submission=submission, outcome="returned", decided_on=JAN_8, note="")
    assert list(refused.value.message_dict) == ["review_note"]

    lpj_review(
        submission=submission, outcome="returned", decided_on=JAN_8, note="Kuitansi belum lengkap."
    )

    assert stage(grant) == Stage.LPJ_RETURNED
    allocation.amount = 41 * JUTA
    allocation_save(allocation=allocation)
    submit(grant, on=datetime.date(2025, 1, 15))
    assert stage(grant) == Stage.LPJ_SUBMITTED


def test_an_lpj_is_reviewed_once(grant, spent):
    submission = submit(grant)
    lpj_review(submission=submission, outcome="accepted", decided_on=JAN_8)

    assert (
        refused_code(
            lpj_review, submission=submission, outcome="returned", decided_on=JAN_8, note="x"
        )
        == "reviewed"
    )


def test_a_review_does_not_come_before_the_submission(grant, spent):
    submission = submit(grant)

    with pytest.raises(ValidationError) as refused:
        lpj_review(submission=submission, outcome="accepted", decided_on=datetime.date(2025, 1, 7))

    assert list(refused.value.message_dict) == ["decided_on"]


def test_only_a_submission_awaiting_review_is_deleted(grant, spent):
    pending = submit(grant)
    lpj_submission_delete(submission=pending)
    accepted = submit(grant)
    lpj_review(submission=accepted, outcome="accepted", decided_on=JAN_8)

    assert refused_code(lpj_submission_delete, submission=accepted) == "reviewed"
    assert LpjSubmission.objects.get() == accepted


def test_the_database_keeps_one_accepted_lpj_per_grant(grant):
    LpjSubmissionFactory(grant=grant, accepted=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        LpjSubmissionFactory(grant=grant, accepted=True)


# The money stands still while an LPJ stands


@pytest.mark.parametrize("review", [None, "accepted"])
def test_money_does_not_change_under_a_standing_lpj(grant, spent, allocation, line, review):
    submission = submit(grant)
    if review:
        lpj_review(submission=submission, outcome=review, decided_on=JAN_8)
    allocation.amount = 41 * JUTA
    tranche = DisbursementFactory.build(grant=grant, date=JAN_8, amount=JUTA, reference="SP2D 9")

    assert refused_code(allocation_save, allocation=allocation) == "accounted"
    assert refused_code(disbursement_save, disbursement=tranche) == "accounted"
    assert refused_code(expenditure_delete, expenditure=spent) == "accounted"
    line.item = "Lain"
    assert refused_code(budget_line_save, budget_line=line) == "accounted"
    spent.amount = JUTA
    assert refused_code(expenditure_save, expenditure=spent) == "accounted"


# Returns of the remainder; closing


def test_the_remainder_is_returned_up_to_the_cash_held_and_the_grant_closes(grant, spent):
    submission = submit(grant)
    lpj_review(submission=submission, outcome="accepted", decided_on=JAN_8)
    assert stage(grant) == Stage.LPJ_ACCEPTED

    message, code = only_error(
        return_save,
        "amount",
        remainder_return=RemainderReturn(
            grant=grant, date=JAN_8, amount=56 * JUTA, reference="STS 0031/2025"
        ),
    )
    assert code == "beyond_cash"
    assert "Rp 1.000.000" in message  # cash held: Rp 60 juta - Rp 5 juta = Rp 55 juta

    return_save(
        remainder_return=RemainderReturn(
            grant=grant, date=JAN_8, amount=55 * JUTA, reference="STS 0031/2025"
        )
    )
    totals = Grant.objects.with_stage().get(pk=grant.pk)
    assert (totals.cash_held, totals.stage) == (0, Stage.CLOSED)


def test_a_grant_accepted_with_cash_left_is_not_closed(grant, spent):
    submission = submit(grant)
    lpj_review(submission=submission, outcome="accepted", decided_on=JAN_8)
    return_save(
        remainder_return=RemainderReturn(grant=grant, date=JAN_8, amount=JUTA, reference="STS 1")
    )

    assert stage(grant) == Stage.LPJ_ACCEPTED


def test_a_return_reduces_the_cash_later_spending_can_use(grant, spent, allocation, line):
    return_save(
        remainder_return=RemainderReturn(
            grant=grant, date=datetime.date(2024, 6, 1), amount=54 * JUTA, reference="STS 1"
        )
    )

    message, code = only_error(
        expenditure_save,
        "amount",
        expenditure=ExpenditureFactory.build(
            allocation=allocation,
            budget_line=line,
            date=datetime.date(2024, 6, 2),
            amount=2 * JUTA,
        ),
    )
    assert code == "beyond_cash"
    assert "Rp 1.000.000" in message


def test_nothing_is_returned_before_money_came(grant, spent):
    _message, code = only_error(
        return_save,
        "date",
        remainder_return=RemainderReturn(
            grant=grant, date=datetime.date(2024, 3, 1), amount=1, reference="STS 1"
        ),
    )
    assert code == "before_cash"


def test_csr_is_returned_by_transfer_not_sts(csr_grant):
    DisbursementFactory(grant=csr_grant, amount=JUTA, reference="TRF 1")
    _message, code = only_error(
        return_save,
        "reference",
        remainder_return=RemainderReturn(
            grant=csr_grant, date=JAN_8, amount=JUTA, reference="STS 0031/2025"
        ),
    )
    assert code == "not_state_money"


def test_taking_a_return_back_reopens_the_grant(grant, spent):
    returned = RemainderReturnFactory(grant=grant, date=JAN_8, amount=55 * JUTA)
    LpjSubmissionFactory(grant=grant, accepted=True)
    assert stage(grant) == Stage.CLOSED

    return_delete(remainder_return=returned)

    assert stage(grant) == Stage.LPJ_ACCEPTED


# The stage, derived from the records


def test_each_stage_follows_from_the_records(proposal, activity):
    assert stage(proposal) == Stage.PROPOSED
    agreement_save(agreement=nphd(proposal))
    assert stage(proposal) == Stage.APPROVED
    budget_line_save(budget_line=BudgetLine(grant=proposal, item="Semua", amount=100 * JUTA))
    disbursement_save(
        disbursement=DisbursementFactory.build(
            grant=proposal, date=datetime.date(2024, 3, 1), amount=JUTA, reference="SP2D 1"
        )
    )
    assert stage(proposal) == Stage.DISBURSED
    submission = submit(proposal)
    assert stage(proposal) == Stage.LPJ_SUBMITTED
    lpj_review(submission=submission, outcome="accepted", decided_on=JAN_8)
    assert stage(proposal) == Stage.LPJ_ACCEPTED
    return_save(
        remainder_return=RemainderReturn(grant=proposal, date=JAN_8, amount=JUTA, reference="STS")
    )
    assert stage(proposal) == Stage.CLOSED
    assert Grant.objects.in_stage(Stage.CLOSED).get() == proposal


def test_with_stage_takes_one_query_for_many_grants(django_assert_num_queries, funder):
    for _ in range(5):
        BudgetLineFactory(grant=GrantFactory(funder=funder))

    with django_assert_num_queries(1):
        stages = [grant.get_stage_display() for grant in Grant.objects.with_stage()]

    assert len(stages) == 5
