"""The column mapping: a step of the import page when a file's columns do not say what
they hold, remembered per body and file shape (with the meanings of unknown words), and
taken by name by ``import_members --mapping``."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from members import imports
from members.imports.matching import SAVED
from members.models import ImportMapping, Organisation
from tests.members.registers import SINGGAH, register_workbook
from tests.members.test_import import (
    csv_bytes,
    english,  # noqa: F401 (autouse: messages are compared in English)
    in_english,
    upload,
)

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("members:organisation-import")
HEADER = ["No", "Nama LKS", "Kecamatan", "Nama Pengelola", "Tahun"]
ROWS = [["1", "Panti A", "Bangkinang Kota", "Budi", "2024"]]


def own_file(rows=ROWS, header=HEADER):
    return csv_bytes(rows, header=header)


def remember(body, content, name="Data Dinsos", **fields_by_title):
    layout, _rows = imports.read_layout(body=body, content=content)
    fields = {c.position: fields_by_title.get(c.title, c.field or "") for c in layout.columns}
    return imports.remember_mapping(body=body, layout=layout, name=name, fields=fields)


# The mapping, remembered


def test_columns_no_name_tells_are_listed_and_ignored(kampar):
    plan = imports.import_preview(body=kampar, content=own_file())
    assert [column.title for column in plan.layout.unmapped] == ["Nama Pengelola", "Tahun"]
    assert plan.layout.needs_mapping
    assert plan.notices == [
        "Column “Nama Pengelola” is not one of the template's (or repeats one) and was ignored.",
        "Column “Tahun” is not one of the template's (or repeats one) and was ignored.",
    ]


def test_a_saved_mapping_reads_the_next_file_of_the_same_shape(kampar):
    remember(kampar, own_file(), **{"Nama Pengelola": "chairperson", "Tahun": ""})
    next_month = own_file([["1", "Panti B", "Kampar", "Siti", "2025"]])
    plan = imports.import_commit(body=kampar, content=next_month)
    assert plan.written
    assert plan.notices == []
    assert not plan.layout.needs_mapping
    assert [column.how for column in plan.layout.columns][-2:] == [SAVED, SAVED]
    assert Organisation.objects.get().chairperson == "Siti"


def test_a_mapping_is_of_its_body_and_shape_only(kampar, sleman):
    remember(kampar, own_file(), **{"Nama Pengelola": "chairperson"})
    other_shape = own_file([["Panti A", "Bangkinang Kota", "Budi"]], header=HEADER[1:4])
    assert imports.import_preview(body=kampar, content=other_shape).layout.mapping is None
    sleman_file = own_file([["1", "Panti T", "Turi", "Budi", "2024"]])
    assert imports.import_preview(body=sleman, content=sleman_file).layout.mapping is None


def test_remembering_again_updates_the_mapping_and_adds_words(kampar):
    first = remember(kampar, own_file(), **{"Nama Pengelola": "chairperson"})
    layout, _rows = imports.read_layout(body=kampar, content=own_file())
    again = imports.remember_mapping(body=kampar, layout=layout, words={"rumah singgah": ""})
    assert again.pk == first.pk
    assert again.name == "Data Dinsos"
    assert again.words == {"rumah singgah": ""}
    assert ImportMapping.objects.count() == 1


def test_two_mappings_of_a_body_cannot_share_a_name(kampar, sleman):
    remember(kampar, own_file())
    other_shape = own_file([["Panti A", "Kampar"]], header=["Nama LKS", "Kecamatan"])
    with pytest.raises(ValidationError):
        remember(kampar, other_shape)
    remember(sleman, own_file())  # another body may
    layout, _rows = imports.read_layout(body=kampar, content=other_shape)
    assert imports.free_name(body=kampar, name="Data Dinsos", shape=layout.shape) == (
        "Data Dinsos (2)"
    )


def test_words_the_staff_gave_are_understood_next_time(kampar):
    content = register_workbook([SINGGAH])
    layout, _rows = imports.read_layout(body=kampar, content=content)
    imports.remember_mapping(
        body=kampar, layout=layout, name="Dinsos", words={"rumah singgah": "group:anak-jalanan"}
    )
    plan = imports.import_commit(body=kampar, content=content)
    assert plan.unknown_words == {}
    lks = Organisation.objects.get()
    assert list(lks.target_groups.values_list("code", flat=True)) == ["anak-jalanan"]
    assert lks.kind == Organisation.Kind.LKSA


# The command


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_members", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_takes_a_saved_mapping_by_name(kampar, tmp_path):
    remember(kampar, own_file(), **{"Nama Pengelola": "chairperson", "Tahun": ""})
    path = tmp_path / "juni.csv"
    # Another shape (a column more), read by the named mapping where titles agree.
    path.write_bytes(own_file([[*ROWS[0], "x"]], header=[*HEADER, "Catatan"]))
    out, _err = run(path, "--body", "kampar", "--mapping", "Data Dinsos")
    assert "Notice: Column “Catatan”" in out
    assert out.splitlines()[-1] == "Imported into kampar: 1 new, 0 updated, 0 unchanged."
    assert Organisation.objects.get().chairperson == "Budi"


def test_the_command_refuses_a_mapping_the_body_does_not_have(kampar, tmp_path):
    remember(kampar, own_file())
    path = tmp_path / "juni.csv"
    path.write_bytes(own_file())
    with pytest.raises(CommandError, match=r"no mapping called 'Bulanan' \(it has: Data Dinsos\)"):
        run(path, "--body", "kampar", "--mapping", "Bulanan")


def test_the_command_lists_unknown_words(kampar, tmp_path):
    path = tmp_path / "dinsos.xlsx"
    path.write_bytes(register_workbook([SINGGAH]))
    out, _err = run(path, "--body", "kampar", "--dry-run")
    assert "Notice: the word 'Rumah Singgah' (rows 5) is not known." in out


# The pages


def choose(response, **fields_by_title):
    """The mapping form's data as shown, with some columns chosen otherwise."""
    form = response.context["form"]
    data = {"upload": response.context["upload"], "step": "columns", "name": "Data Dinsos"}
    for column, field, _samples in form.columns():
        data[field.html_name] = fields_by_title.get(column.title, field.value() or "")
    return data


def test_a_file_with_unknown_columns_asks_for_the_mapping_first(staff_client, media):
    response = upload(in_english(staff_client), own_file())
    assert response.templates[0].name == "members/import_mapping.html"
    assert [c.title for c in response.context["layout"].unmapped] == ["Nama Pengelola", "Tahun"]
    form = response.context["form"]
    chosen = {column.title: field.value() for column, field, _samples in form.columns()}
    assert chosen == {"No": "", "Nama LKS": "name", "Kecamatan": "district"} | {
        "Nama Pengelola": "",
        "Tahun": "",
    }
    samples = {column.title: values for column, _field, values in form.columns()}
    assert samples["Nama Pengelola"] == ["Budi"]
    assert form["name"].value() == "lks"  # the file's name
    assert Organisation.objects.count() == 0


def test_the_chosen_mapping_is_remembered_and_the_file_imported(staff_client, kampar, media):
    response = upload(in_english(staff_client), own_file())
    response = staff_client.post(IMPORT_URL, choose(response, **{"Nama Pengelola": "chairperson"}))
    assert response.templates[0].name == "members/import_preview.html"
    token = response.context["token"]
    assert token
    mapping = ImportMapping.objects.get()
    assert (mapping.body, mapping.name) == (kampar, "Data Dinsos")
    assert {"title": "Nama Pengelola", "field": "chairperson"} in mapping.columns
    staff_client.post(IMPORT_URL, {"token": token})
    assert Organisation.objects.get().chairperson == "Budi"
    # Next month's file of the same shape goes straight to the preview.
    response = upload(staff_client, own_file([["1", "Panti B", "Kampar", "Siti", "2025"]]))
    assert response.templates[0].name == "members/import_preview.html"
    assert "Data Dinsos" in response.text


def test_a_field_chosen_twice_or_a_required_one_skipped_is_refused(staff_client, media):
    response = upload(in_english(staff_client), own_file())
    data = choose(response, **{"Nama Pengelola": "name", "Kecamatan": ""})
    response = staff_client.post(IMPORT_URL, data)
    form = response.context["form"]
    assert form.errors["column-3"] == ["“Name” is already chosen for column “Nama LKS”."]
    assert form.non_field_errors() == [
        "Choose the column that holds the district (kecamatan): it is needed."
    ]
    assert ImportMapping.objects.count() == 0


def test_the_mapping_can_be_changed_from_the_preview(staff_client, media):
    response = upload(in_english(staff_client), own_file())
    staff_client.post(IMPORT_URL, choose(response, **{"Nama Pengelola": "chairperson"}))
    response = staff_client.get(IMPORT_URL, {"step": "columns"})
    assert response.templates[0].name == "members/import_mapping.html"
    assert response.context["form"]["column-3"].value() == "chairperson"
    assert response.context["form"]["name"].value() == "Data Dinsos"


def test_changing_the_mapping_without_an_upload_sends_back_to_the_upload(staff_client):
    response = staff_client.get(IMPORT_URL, {"step": "columns"}, follow=True)
    assert response.templates[0].name == "members/import.html"


def test_a_step_for_an_upload_no_longer_kept_changes_nothing(staff_client, media):
    response = upload(in_english(staff_client), own_file())
    data = choose(response, **{"Nama Pengelola": "chairperson"}) | {"upload": "stale"}
    response = staff_client.post(IMPORT_URL, data, follow=True)
    assert "no longer waiting" in response.text
    assert ImportMapping.objects.count() == 0


def test_unknown_words_are_mapped_on_the_preview(staff_client, kampar, media):
    response = upload(in_english(staff_client), register_workbook([SINGGAH]), name="dinsos.xlsx")
    words = response.context["words_form"]
    assert [word.word for word, _field in words.words()] == ["Rumah Singgah"]
    data = {"upload": response.context["upload"], "step": "words", "word-0": "group:anak-jalanan"}
    response = staff_client.post(IMPORT_URL, data)
    assert response.context["words_form"] is None
    assert ImportMapping.objects.get().words == {"rumah singgah": "group:anak-jalanan"}
    assert ImportMapping.objects.get().name == "dinsos"
    staff_client.post(IMPORT_URL, {"token": response.context["token"]})
    assert list(Organisation.objects.get().target_groups.values_list("code", flat=True)) == [
        "anak-jalanan"
    ]


def test_officials_may_not_map_columns(client_of, official, staff_client, media):
    response = upload(staff_client, own_file())
    data = choose(response, **{"Nama Pengelola": "chairperson"})
    assert client_of(official).post(IMPORT_URL, data).status_code == 403
    assert client_of(official).get(IMPORT_URL, {"step": "columns"}).status_code == 403
    assert ImportMapping.objects.count() == 0
