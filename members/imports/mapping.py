"""The mapping the staff gave for files of one shape (the same column titles in the
same order), remembered per body: the field of each column, and what the words of
free-text services mean. Next month's file of the same shape is read the same way."""

import hashlib

from lkks.models import Body
from members.imports.matching import SourceColumn, name_key
from members.models import ImportMapping


def shape_of(titles) -> str:
    """What makes files "of the same shape": their column titles, in order."""
    keys = [name_key(SourceColumn(0, group, name).title) for group, name in titles]
    return hashlib.sha256("\n".join(key for key in keys if key).encode()).hexdigest()


def saved_fields(mapping: ImportMapping | None) -> dict[str, str] | None:
    """A saved mapping as ``map_columns`` reads it: column title key → field ("" skip)."""
    if mapping is None:
        return None
    return {name_key(column["title"]): column["field"] for column in mapping.columns}


def free_name(*, body: Body, name: str, shape: str) -> str:
    """The name, or the name with a number, that no other mapping of the body has."""
    taken = set(ImportMapping.objects.for_body(body).exclude(shape=shape).values_list("name"))
    candidates = (name if n == 1 else f"{name} ({n})" for n in range(1, len(taken) + 2))
    return next(candidate for candidate in candidates if (candidate,) not in taken)


def remember_mapping(
    *,
    body: Body,
    layout,
    name: str = "",
    fields: dict[int, str] | None = None,
    words: dict[str, str] | None = None,
) -> ImportMapping:
    """Save how the body reads files of the layout's shape: the field of each column
    (by position; "" to skip it), else as the layout reads them now, and the meanings
    of words, added to those saved. Raises ValidationError when another mapping of the
    body has the name."""
    mapping = ImportMapping.objects.for_body(body).of_shape(layout.shape).first()
    if mapping is None:
        mapping = ImportMapping(body=body, shape=layout.shape)
    if fields is None and mapping.pk is None:
        fields = {column.position: column.field or "" for column in layout.columns}
    if fields is not None:
        mapping.columns = [
            {"title": column.title, "field": fields.get(column.position) or ""}
            for column in layout.columns
        ]
    mapping.name = name or mapping.name
    mapping.words = {**mapping.words, **(words or {})}
    mapping.full_clean()
    mapping.save()
    return mapping
