"""What the words of free-text services mean ("Anak, Lansia", "Napza", "Rumah Singgah"):
kinds of LKS and target groups (PPKS).

A cell is split into its terms (at commas, semicolons, slashes, "dan", …). A term is
known by the words below, by the name of a target group, or by what the staff said it
means (saved with the body's mapping, as ``kind:<kind>``, ``group:<code>``, or ``""``
for a word that says nothing); the terms known by none are listed in the preview, for
the staff to say.
"""

import re

from django.utils.translation import gettext_lazy as _

from members.imports.cells import text_value
from members.imports.matching import name_key
from members.models import Organisation, TargetGroup

Kind = Organisation.Kind
TERM_SEPARATORS = re.compile(r"[,;/&+\n]|\bdan\b|\bserta\b", re.IGNORECASE)

SERVICE_WORDS = {
    "anak": [f"kind:{Kind.LKSA}"],
    "lksa": [f"kind:{Kind.LKSA}"],
    "panti asuhan": [f"kind:{Kind.LKSA}"],
    "anak asuh": [f"kind:{Kind.LKSA}"],
    "anak yatim": [f"kind:{Kind.LKSA}"],
    "yatim piatu": [f"kind:{Kind.LKSA}"],
    "lansia": [f"kind:{Kind.ELDERLY}", "group:lanjut-usia-terlantar"],
    "lanjut usia": [f"kind:{Kind.ELDERLY}", "group:lanjut-usia-terlantar"],
    "jompo": [f"kind:{Kind.ELDERLY}", "group:lanjut-usia-terlantar"],
    "disabilitas": [f"kind:{Kind.DISABILITY}", "group:penyandang-disabilitas"],
    "difabel": [f"kind:{Kind.DISABILITY}", "group:penyandang-disabilitas"],
    "penyandang disabilitas": [f"kind:{Kind.DISABILITY}", "group:penyandang-disabilitas"],
    "napza": [f"kind:{Kind.NAPZA}", "group:korban-napza"],
    "narkoba": [f"kind:{Kind.NAPZA}", "group:korban-napza"],
}
# The kind of LKS that serves a target group, where the group says one.
KIND_OF_GROUP = {
    "anak-disabilitas": Kind.DISABILITY,
    "penyandang-disabilitas": Kind.DISABILITY,
    "lanjut-usia-terlantar": Kind.ELDERLY,
    "korban-napza": Kind.NAPZA,
}


def _kind_of_group(code: str) -> str | None:
    return KIND_OF_GROUP.get(code, Kind.LKSA if code.startswith("anak-") else None)


def terms_value(value) -> list[str]:
    """The terms of a free-text services cell, as typed."""
    terms = TERM_SEPARATORS.split(text_value(value))
    return [term.strip() for term in terms if name_key(term)]


class Vocabulary:
    """The meanings of terms: the words above, the target groups' names and codes, and
    the words the staff gave (which come first)."""

    def __init__(self, saved_words: dict[str, str] | None = None):
        self.groups = {group.code: group for group in TargetGroup.objects.all()}
        self.meanings = dict(SERVICE_WORDS)
        for code, group in self.groups.items():
            self.meanings.setdefault(name_key(group.name), [f"group:{code}"])
            self.meanings.setdefault(name_key(code), [f"group:{code}"])
        for word, meaning in (saved_words or {}).items():
            self.meanings[word] = [meaning] if meaning else []

    def read(self, terms: list[str]):
        """The kinds and target groups the terms say, and the terms not known."""
        kinds, groups, unknown = set(), set(), []
        for term in terms:
            meanings = self.meanings.get(name_key(term))
            if meanings is None:
                unknown.append(term)
            for meaning in meanings or []:
                what, _separator, value = meaning.partition(":")
                if what == "kind" and value in Kind.values:
                    kinds.add(value)
                elif what == "group" and value in self.groups:
                    groups.add(self.groups[value])
                    kinds.add(_kind_of_group(value))
        return kinds - {None}, groups, unknown


def meaning_choices(groups) -> list:
    """What a term can be said to mean, as the choices of a form field."""
    return [
        ("", _("nothing (ignore the word)")),
        (_("kind of LKS"), [(f"kind:{value}", label) for value, label in Kind.choices]),
        (_("target group"), [(f"group:{group.code}", group.name) for group in groups]),
    ]
