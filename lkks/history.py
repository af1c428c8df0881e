"""Change history (django-simple-history) as people read it: who changed which field
from what to what, and when."""

from django.core.exceptions import FieldDoesNotExist


def _display(model, field_name, value):
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return value
    if field.choices and value not in (None, ""):
        return dict(field.flatchoices).get(value, value)
    if value in (None, ""):
        return "–"
    return value


def history_rows(record, limit=20):
    """The latest changes of one record, newest first, in two queries."""
    model = type(record)
    entries = list(record.history.select_related("history_user")[: limit + 1])
    rows = []
    for entry, previous in zip(entries, [*entries[1:], None], strict=False):
        if len(rows) == limit:
            break
        changes = []
        if previous is not None:
            for change in entry.diff_against(previous).changes:
                try:
                    label = model._meta.get_field(change.field).verbose_name
                except FieldDoesNotExist:
                    label = change.field
                changes.append(
                    (
                        label,
                        _display(model, change.field, change.old),
                        _display(model, change.field, change.new),
                    )
                )
        rows.append(
            {
                "when": entry.history_date,
                "who": entry.history_user,
                "type": entry.get_history_type_display(),
                # Who else had a hand in it, e.g. the LKS that proposed a change staff
                # accepted (the user is the one who saved it).
                "reason": entry.history_change_reason or "",
                "changes": changes,
            }
        )
    return rows
