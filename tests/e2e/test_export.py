import csv
import io

from members.models import Organisation
from tests.e2e.checks import follow, visit
from tests.e2e.conftest import log_in


def test_staff_export_a_filtered_list(site, page):
    log_in(page, site, "staf-sleman")
    visit(page, f"{site}/members/")
    page.locator("#id_q").fill("Turi")
    follow(page, page.locator("main form[method='get'] button[type='submit']").first)

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(io.StringIO(handle.read()), delimiter=";"))
    names = {row[0] for row in rows[1:]}
    expected = set(
        Organisation.objects.filter(body__slug="sleman", name__icontains="Turi").values_list(
            "name", flat=True
        )
    )
    assert names == expected
    assert len(names) < Organisation.objects.filter(body__slug="sleman").count()
