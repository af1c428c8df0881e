from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def field_error(field, message, code):
    """A ValidationError on one field that keeps its code (a dict of plain messages
    would lose it)."""
    return ValidationError({field: ValidationError(message, code=code)})


NIP_DIGITS = 18


def validate_nip(value):
    """A civil servant's NIP: 18 digits, written with or without the usual spaces
    (19700101 199003 1 005)."""
    digits = value.replace(" ", "")
    if not digits.isdigit() or len(digits) != NIP_DIGITS:
        raise ValidationError(
            _("An NIP has 18 digits, e.g. 19700101 199003 1 005."), code="invalid_nip"
        )
