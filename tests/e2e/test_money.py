import datetime
import re
from decimal import Decimal

from playwright.sync_api import expect

from grants.models import Grant
from tests.e2e.checks import follow, visit
from tests.e2e.conftest import log_in

BUDGET_LINE = "Tambah rincian RAB"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def fill(page, values):
    """Fill form fields by their ids (id_<name>); a select takes the option's value."""
    for name, value in values.items():
        field = page.locator(f"#id_{name}")
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def save(page):
    follow(page, page.get_by_role("button", name="Simpan"))
    summary = page.locator("#error-summary")
    assert not summary.count(), summary.inner_text()


def first_choice(page, name):
    return page.locator(f"#id_{name} option:not([value=''])").first.get_attribute("value")


def test_staff_run_a_grant_from_agreement_to_spending_and_an_overspend_is_refused(site, page):
    year = datetime.date.today().year
    log_in(page, site, "staf-sleman")
    visit(page, f"{site}/grants/")
    # On a 1366 px desktop the last columns of the list are on screen, not scrolled off.
    last = page.locator("main table thead th").last
    assert last.bounding_box()["x"] + last.bounding_box()["width"] <= 1366
    follow(page, page.get_by_role("link", name="Tambah hibah"))
    fill(page, {"funder": first_choice(page, "funder"), "fiscal_year": str(year)})
    fill(page, {"name": "Hibah Uji Peramban", "amount": "50000000", "held_at": "Dinas Sosial"})
    # The amount with its thousand separators beside the field (static/js/forms.js).
    expect(page.locator("#id_amount-money")).to_have_text("Rp 50.000.000")
    save(page)
    expect(page.locator("main h1")).to_contain_text("Hibah Uji Peramban")
    grant = Grant.objects.get(name="Hibah Uji Peramban")

    follow(page, page.get_by_role("link", name="Catat perjanjian"))
    fill(
        page,
        {
            "number": "900/NPHD/UJI",
            "signed_on": f"{year}-01-15",
            "purpose": "Peningkatan kapasitas LKS",
            "bank_name": "Bank BPD DIY",
            "bank_account_number": "0011223344",
            "bank_account_holder": "LKKS Kabupaten Sleman",
            "grantor_signatory_name": "Bupati Sleman",
            "grantor_signatory_title": "Bupati",
            "recipient_signatory_name": "Ketua LKKS",
            "recipient_signatory_title": "Ketua",
        },
    )
    save(page)
    expect(page.locator("main")).to_contain_text("900/NPHD/UJI")

    # The budget (RAB) adds up to the grant before any money is disbursed.
    follow(page, page.get_by_role("link", name=BUDGET_LINE))
    fill(page, {"item": "Bimbingan teknis pengurus LKS", "amount": "50000000"})
    save(page)

    follow(page, page.get_by_role("link", name="Tambah alokasi"))
    fill(page, {"activity": first_choice(page, "activity"), "amount": "20000000"})
    save(page)

    follow(page, page.get_by_role("link", name="Tambah pencairan"))
    fill(page, {"date": f"{year}-02-01", "amount": "10000000", "reference": "SP2D/UJI/1"})
    save(page)

    follow(page, page.get_by_role("link", name="Tambah realisasi"))
    spend = {
        "allocation": first_choice(page, "allocation"),
        "budget_line": first_choice(page, "budget_line"),
        "date": f"{year}-02-10",
    }
    fill(page, spend | {"amount": "4000000", "description": "Konsumsi rapat"})
    page.locator("#id_receipt").set_input_files(
        {"name": "kuitansi.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    save(page)
    assert grant.expenditures.get().amount == Decimal(4_000_000)

    # More than the cash disbursed (Rp 10 juta, Rp 4 juta spent): refused on the amount.
    follow(page, page.get_by_role("link", name="Tambah realisasi"))
    fill(page, spend | {"amount": "7000000", "description": "Sewa gedung"})
    follow(page, page.get_by_role("button", name="Simpan"))
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_amount_error")).to_contain_text(re.compile("melebihi", re.I))
    assert grant.expenditures.count() == 1
