from django.core.exceptions import ValidationError


def field_error(field, message, code):
    """A ValidationError on one field that keeps its code (a dict of plain messages
    would lose it)."""
    return ValidationError({field: ValidationError(message, code=code)})
