"""No English left on Indonesian pages: the messages of the libraries (Django 6.1 and
its admin, django-filter, django-simple-history, django-axes) are all translated, the
sort box speaks the language of each request, statuses are capitalised alike, and the
admin writes years as years."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import django
import django_filters
import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from grants.models.grant import Stage
from lkks.models import Region
from members.models import RegistrationStatus
from tests.factories import ProgramFactory, RegistrationFactory

DJANGO = Path(django.__file__).parent
DJANGO_CATALOGUES = [
    DJANGO / "conf" / "locale",
    *(DJANGO / "contrib" / app / "locale" for app in ["admin", "auth", "contenttypes", "sessions"]),
]
LIBRARIES = ["simple_history", "axes", "django_filters"]
QUOTED = r'"(?:[^"\\]|\\.)*"'
PO_ENTRY = re.compile(
    rf"^(?:msgctxt (?P<ctxt>{QUOTED})\n)?msgid (?P<id>{QUOTED}(?:\n{QUOTED})*)", re.M
)


def msgids(po_text):
    """(context, msgid) of every entry of a .po text but its header."""
    found = set()
    for match in PO_ENTRY.finditer(po_text):
        msgid = "".join(json.loads(part) for part in match["id"].split("\n"))
        if msgid:
            found.add((json.loads(match["ctxt"]) if match["ctxt"] else None, msgid))
    return found


def library_msgids(package, tmp_path):
    """The messages a library's code and templates can show, read from its source as
    makemessages reads ours."""
    source = Path(__import__(package).__file__).parent
    copy = tmp_path / package
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "--locale", "xx", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin"},
    )
    return msgids((copy / "locale/xx/LC_MESSAGES/django.po").read_text(encoding="utf-8"))


def untranslated(entries):
    catalogue = trans_real.translation("id")._catalog
    missing = []
    for context, msgid in sorted(entries, key=str):
        key = f"{context}\x04{msgid}" if context else msgid
        if key not in catalogue and (key, 0) not in catalogue:
            missing.append(msgid)
    return missing


@pytest.mark.parametrize("locale_dir", DJANGO_CATALOGUES, ids=lambda path: path.parent.name)
def test_every_message_of_django_and_its_admin_is_indonesian(locale_dir):
    english = (locale_dir / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")

    assert untranslated(msgids(english)) == []


@pytest.mark.parametrize("package", LIBRARIES)
def test_every_message_of_the_libraries_we_show_is_indonesian(package, tmp_path):
    found = library_msgids(package, tmp_path)

    assert len(found) > 10
    assert untranslated(found) == []


# Pages


def test_the_admin_section_of_the_log_in_locks_is_named_in_indonesian(admin_client):
    response = admin_client.get("/admin/")

    section = apps.get_app_config(AccessAttempt._meta.app_label).verbose_name
    assert str(section) == "Penguncian masuk"
    assert "Penguncian masuk" in response.text
    assert not re.search(r">\s*Axes\s*<", response.text)


def test_the_date_hierarchy_of_the_admin_is_indonesian(admin_client, kampar):
    RegistrationFactory(organisation__body=kampar)

    response = admin_client.get(reverse("admin:members_registration_changelist"))

    assert "Saring menurut tanggal terbit" in response.text
    assert "Filter by" not in response.text


def test_the_empty_choice_of_an_admin_select_is_indonesian(admin_client):
    response = admin_client.get(reverse("admin:lkks_membership_add"))

    assert '<option value="" selected>- Pilih salah satu -</option>' in response.text
    assert "Select an option" not in response.text


@pytest.mark.parametrize(
    ("language", "descending", "default"),
    [("id", "Nama (menurun)", "Urutan bawaan"), ("en", "Name (descending)", "Default order")],
)
def test_the_sort_box_speaks_the_language_of_each_request(
    staff_client, language, descending, default
):
    staff_client.cookies["django_language"] = language

    response = staff_client.get(reverse("members:organisation-list"))

    assert f'<option value="-name">{descending}</option>' in response.text
    assert f'<option value="" selected>{default}</option>' in response.text
    assert "---------" not in response.text


def test_a_filter_without_its_own_empty_choice_offers_the_indonesian_one():
    class Filters(django_filters.FilterSet):
        kind = django_filters.ChoiceFilter(choices=[("a", "A")])

    with translation.override("id"):
        choices = list(Filters(queryset=Region.objects.none()).form.fields["kind"].choices)

    assert choices[0] == ("", "- Pilih salah satu -")


def status_labels():
    enums = {RegistrationStatus, Stage}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.name == "status" and field.choices:
                enums.add(tuple(field.choices))
    for choices in enums:
        yield from (choices.choices if isinstance(choices, type) else choices)


def test_statuses_are_capitalised_alike_in_indonesian():
    """Every translated status label; one not translated yet is test_i18n's to find."""
    labels = set()
    for _value, label in status_labels():
        with translation.override("en"):
            english = str(label)
        with translation.override("id"):
            indonesian = str(label)
        if indonesian != english:
            labels.add(indonesian)
    lower = sorted(label for label in labels if label[:1].islower())

    assert "Terdaftar" in labels
    assert "Berjalan" in labels
    assert lower == []


# Years in the admin


def year_fields():
    """(admin, list_display entry) of every column that shows a year field as is."""
    for model, model_admin in admin.site._registry.items():
        for entry in model_admin.list_display:
            if not isinstance(entry, str):
                continue
            field_model, names = model, entry.split("__")
            try:
                for name in names[:-1]:
                    field_model = field_model._meta.get_field(name).related_model
                field = field_model._meta.get_field(names[-1])
            except Exception:  # a method or property of the admin, not a field
                continue
            if isinstance(field, models.IntegerField) and "year" in field.name:
                yield type(model_admin).__name__, entry


def test_no_admin_list_shows_a_year_as_a_number():
    assert list(year_fields()) == []


def test_the_admin_writes_a_fiscal_year_without_a_thousands_separator(admin_client, kampar):
    ProgramFactory(body=kampar, fiscal_year=2024)

    response = admin_client.get(reverse("admin:programs_program_changelist"))

    assert '<td class="field-fiscal_year">2024</td>' in response.text
    assert "2.024" not in response.text
    assert ">2024</a>" in response.text  # the year filter


def test_the_admin_year_filter_and_column_work_on_postgresql_and_sqlite_alike(admin_client, kampar):
    ProgramFactory(body=kampar, fiscal_year=2023)
    ProgramFactory(body=kampar, fiscal_year=2024)

    response = admin_client.get(
        reverse("admin:programs_program_changelist"), {"fiscal_year": "2023", "o": "4"}
    )

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
