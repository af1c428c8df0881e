"""The LPJ of a grant as submitted to the funder and reviewed by it.

An LPJ accounts for money that moved: it is submitted after the last disbursement and
expenditure it covers, with a cover letter numbered from the body's register. While it
awaits review, and for good once accepted, the grant's money stands still
(``ledger.refuse_changes_to_money``); returned for revision, it can be corrected and
submitted again.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.models import Agreement, Disbursement, Expenditure, Grant, LpjSubmission
from grants.services.ledger import day, lock_grant, standing_lpj, total
from lkks.letters import Letter, issue_letter
from lkks.models import User
from lkks.money import rupiah
from lkks.validation import field_error

Outcome = LpjSubmission.Outcome


def lpj_check(*, submission: LpjSubmission, grant: Grant) -> None:
    """An LPJ is submitted for an agreed grant that received money, once at a time,
    not before the money it accounts for moved, and with its budget (RAB) complete."""
    if grant.outcome:
        raise ValidationError(
            _("This grant ended: %(outcome)s; there is no LPJ to submit.")
            % {"outcome": grant.get_outcome_display().lower()},
            code="withdrawn",
        )
    if not Agreement.objects.filter(grant=grant).exists():
        raise ValidationError(
            _("No agreement of this grant is recorded: there is no LPJ to submit."),
            code="no_agreement",
        )
    disbursed = total(Disbursement.objects.filter(grant=grant))
    if not disbursed:
        raise ValidationError(
            _("Nothing of this grant was disbursed yet: there is nothing to account for."),
            code="nothing_disbursed",
        )
    standing = standing_lpj(grant)
    if standing is not None and standing.pk != submission.pk:
        raise ValidationError(
            _("An LPJ of this grant submitted on %(date)s awaits review.")
            % {"date": day(standing.submitted_on)}
            if standing.is_pending
            else _("The LPJ of this grant was already accepted on %(date)s.")
            % {"date": day(standing.decided_on)},
            code="standing",
        )
    if submission.submitted_on > timezone.localdate():
        raise field_error("submitted_on", _("The date cannot be in the future."), "future_date")
    last = max(
        date
        for date in (
            Disbursement.objects.filter(grant=grant).aggregate(last=Max("date"))["last"],
            Expenditure.objects.filter(grant=grant).aggregate(last=Max("date"))["last"],
        )
        if date is not None
    )
    if submission.submitted_on < last:
        raise field_error(
            "submitted_on",
            _("The LPJ cannot be submitted before the last money it accounts for moved (%(date)s).")
            % {"date": day(last)},
            "before_money",
        )
    budgeted = total(grant.budget_lines.all())
    if budgeted and budgeted != grant.amount:
        raise ValidationError(
            _(
                "The budget lines (RAB) add up to %(budgeted)s, not to the grant's %(amount)s: "
                "complete them before the LPJ is submitted."
            )
            % {"budgeted": rupiah(budgeted), "amount": rupiah(grant.amount)},
            code="budget_incomplete",
        )


def _cover_letter(submission: LpjSubmission, grant: Grant, by: User | None) -> None:
    """Number the cover letter from the body's register, once per submission."""
    letter = issue_letter(
        body=grant.funder.body,
        kind=Letter.Kind.LPJ,
        on=submission.submitted_on,
        subject=_("Submission of the LPJ of %(grant)s, fiscal year %(year)s")
        % {"grant": grant.name, "year": grant.fiscal_year},
        recipient=grant.funder.name,
        reference=f"{LpjSubmission._meta.label_lower}:{submission.pk}",
        by=by,
    )
    submission.letter_number = letter.number
    submission.save(update_fields=["letter_number", "updated_at"])


@transaction.atomic
def lpj_submit(*, submission: LpjSubmission, by: User | None = None) -> LpjSubmission:
    """Record a submission awaiting review; a cover letter without a number takes the
    next one of the body's register."""
    grant = lock_grant(submission.grant_id)
    submission.outcome = Outcome.PENDING
    submission.decided_on = None
    # The rule first: it says when the standing LPJ was submitted, where the database
    # constraint behind it could only say that there is one.
    submission.full_clean(validate_constraints=False)
    lpj_check(submission=submission, grant=grant)
    submission.validate_constraints()
    submission.save()
    if not submission.letter_number:
        _cover_letter(submission, grant, by)
    return submission


@transaction.atomic
def lpj_submission_save(*, submission: LpjSubmission) -> LpjSubmission:
    """Correct a submission awaiting review (its date, letter, receiver)."""
    grant = lock_grant(submission.grant_id)
    stored = LpjSubmission.objects.get(pk=submission.pk)
    if not stored.is_pending:
        raise ValidationError(
            _("A reviewed LPJ submission stays as it was reviewed."), code="reviewed"
        )
    submission.full_clean()
    lpj_check(submission=submission, grant=grant)
    submission.save()
    return submission


@transaction.atomic
def lpj_review(
    *, submission: LpjSubmission, outcome: str, decided_on: datetime.date, note: str = ""
) -> LpjSubmission:
    """The funder's review: returned for revision (with what to revise) or accepted."""
    lock_grant(submission.grant_id)
    stored = LpjSubmission.objects.get(pk=submission.pk)
    if not stored.is_pending:
        raise ValidationError(
            _("This LPJ was already reviewed on %(date)s.") % {"date": day(stored.decided_on)},
            code="reviewed",
        )
    if outcome not in (Outcome.RETURNED, Outcome.ACCEPTED):
        raise field_error("outcome", _("Return it for revision or accept it."), "invalid")
    submission.outcome = outcome
    submission.decided_on = decided_on
    submission.review_note = note
    submission.full_clean()
    if decided_on > timezone.localdate():
        raise field_error("decided_on", _("The date cannot be in the future."), "future_date")
    submission.save()
    return submission


def lpj_submission_delete_check(*, submission: LpjSubmission) -> None:
    """Only a submission recorded by mistake goes: one the funder reviewed stays."""
    if not LpjSubmission.objects.get(pk=submission.pk).is_pending:
        raise ValidationError(
            _("A reviewed LPJ submission stays on record; it cannot be deleted."),
            code="reviewed",
        )


@transaction.atomic
def lpj_submission_delete(*, submission: LpjSubmission) -> None:
    lock_grant(submission.grant_id)
    lpj_submission_delete_check(submission=submission)
    submission.delete()
