"""Checking unsaved records with the models' own rules: field validation, ``clean()``
and their check constraints.

Django's ``CheckConstraint.validate()`` asks the database, once per record and
constraint: 10,000 rows would be tens of thousands of queries. ``PASSES`` says the same
as each constraint of the register's models in plain Python, by the constraint's name;
a constraint it does not know is still checked, by the database (and a test keeps
``PASSES`` complete and in agreement with the database).
"""

from collections import defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models


def _after(later, earlier) -> bool:
    """``later > earlier`` as a CHECK reads it: true when either is unknown (NULL)."""
    return later is None or earlier is None or later > earlier


def _not_before(later, earlier) -> bool:
    return later is None or earlier is None or later >= earlier


PASSES = {
    "registration_valid_after_issued": lambda r: _after(r.valid_until, r.issued_on),
    "registration_issued_after_submitted": lambda r: _not_before(r.issued_on, r.submitted_on),
    "registration_registered_complete": lambda r: (
        r.status != "registered"
        or (r.issued_on is not None and r.valid_until is not None and r.number != "")
    ),
    "registration_has_a_date": lambda r: r.issued_on is not None or r.submitted_on is not None,
    "accreditation_accredited_complete": lambda a: (
        a.status != "accredited"
        or (a.accredited_on is not None and a.valid_until is not None and a.grade != "")
    ),
    "accreditation_grade_only_when_accredited": lambda a: a.grade == "" or a.status == "accredited",
    "accreditation_valid_after_accredited": lambda a: _after(a.valid_until, a.accredited_on),
    "accreditation_has_a_date": lambda a: a.accredited_on is not None or a.submitted_on is not None,
    "legaldocument_valid_after_issued": lambda d: _after(d.valid_until, d.issued_on),
}


def _passes(constraint, instance) -> bool:
    passes = PASSES.get(constraint.name)
    if passes is not None:
        return passes(instance)
    try:
        constraint.validate(type(instance), instance)
    except ValidationError:
        return False
    return True


def model_errors(instance, *, exclude) -> dict[str, list[str]]:
    """The messages of the model's own rules for an unsaved record: field validation,
    ``clean()`` and its check constraints. Uniqueness is the caller's (it knows the
    whole file)."""
    errors = defaultdict(list)
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors[name].extend(messages)
    for constraint in instance._meta.constraints:
        if isinstance(constraint, models.CheckConstraint) and not _passes(constraint, instance):
            name = getattr(constraint, "field", NON_FIELD_ERRORS)
            message = str(constraint.get_violation_error_message())
            if message not in errors[name]:
                errors[name].append(message)
    return errors
