"""The end of a grant in a browser, as the staff of its body: its records' edit pages,
the return of the remainder (once more than is held), the LPJ handed in (once dated
tomorrow) and the funder's review of it (once dated tomorrow)."""

import datetime
import re
from decimal import Decimal

from django.db.models import Sum
from playwright.sync_api import expect

from grants.models import Grant, LpjSubmission
from tests.e2e.checks import follow, visit
from tests.e2e.conftest import log_in
from tests.e2e.forms import fill, refused, saved


def test_staff_return_the_remainder_and_hand_in_the_lpj(site, page):
    grant = Grant.objects.get(name="CSR bakti sosial", funder__body__slug="kampar")
    budgeted = Grant.objects.filter(funder__body__slug="kampar", budget_lines__isnull=False)[0]
    held = (
        grant.disbursements.aggregate(total=Sum("amount"))["total"]
        - grant.expenditures.aggregate(total=Sum("amount"))["total"]
    )
    assert held > 0
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    log_in(page, site, "staf-kampar")
    visit(page, f"{site}/grants/{grant.pk}/")

    # Each kind of record opens for editing and saves as it was.
    for kind, record in [
        ("allocations", grant.allocations.first()),
        ("disbursements", grant.disbursements.first()),
        ("expenditures", grant.expenditures.first()),
    ]:
        follow(page, page.locator(f"main a[href='/grants/{kind}/{record.pk}/edit/']"))
        saved(page)
    follow(page, page.locator(f"main a[href='/grants/agreements/{grant.agreement.pk}/edit/']"))
    follow(page, page.get_by_role("link", name="Batal"))
    spent = grant.expenditures.first()
    follow(page, page.locator(f"main a[href='/grants/expenditures/{spent.pk}/delete/']"))
    follow(page, page.get_by_role("link", name="Batal"))

    # A return of more than the cash held is refused on the amount.
    follow(page, page.get_by_role("link", name="Catat pengembalian"))
    fill(page, {"date": "2024-12-20", "amount": "999000000", "reference": "TRF-BAKSOS-2024"})
    refused(page, "amount", "melebihi saldo kas")
    assert not grant.returns.exists()
    fill(page, {"amount": str(int(held))})
    saved(page)
    assert grant.returns.get().amount == Decimal(held)
    returned = grant.returns.get()
    follow(page, page.locator(f"main a[href='/grants/returns/{returned.pk}/edit/']"))
    saved(page)

    follow(page, page.get_by_role("link", name="Catat penyampaian LPJ"))
    fill(page, {"submitted_on": f"{tomorrow:%Y-%m-%d}", "received_by": "Bagian CSR PT Contoh"})
    refused(page, "submitted_on", "melewati hari ini")
    assert not grant.lpj_submissions.exists()
    fill(page, {"submitted_on": "2025-01-10", "letter_number": "045/LKKS-KPR/LPJ/I/2025"})
    saved(page)
    submission = grant.lpj_submissions.get()
    for path in [
        f"lpj/{submission.pk}/edit/",
        f"lpj/{submission.pk}/delete/",
        f"returns/{returned.pk}/delete/",
        f"allocations/{grant.allocations.first().pk}/delete/",
        f"disbursements/{grant.disbursements.first().pk}/delete/",
        f"agreements/{grant.agreement.pk}/delete/",
        f"{grant.pk}/edit/",
        f"{grant.pk}/delete/",
        f"budget-lines/{budgeted.budget_lines.first().pk}/edit/",
        f"budget-lines/{budgeted.budget_lines.first().pk}/delete/",
    ]:
        visit(page, f"{site}/grants/{path}")
        follow(page, page.locator("main").get_by_role("link", name=re.compile("^(Batal|Kembali)$")))

    visit(page, f"{site}/grants/{grant.pk}/")
    follow(page, page.locator(f"main a[href='/grants/lpj/{submission.pk}/review/']"))
    page.locator("#id_outcome_0").check()
    fill(page, {"decided_on": f"{tomorrow:%Y-%m-%d}"})
    refused(page, "decided_on", "melewati hari ini")
    fill(page, {"decided_on": "2025-01-24"})
    saved(page)
    submission.refresh_from_db()
    assert submission.outcome == LpjSubmission.Outcome.ACCEPTED
    expect(page.locator("#lpj-heading")).to_be_visible()
