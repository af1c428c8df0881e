"""Filling and sending forms in the browser suite: each submission is a page, checked
like every other (checks.follow)."""

import io

from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.checks import follow

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def fill(page, values):
    """Fill form fields by their ids (id_<name>); a select takes the option's label."""
    for name, value in values.items():
        field = page.locator(f"#id_{name}")
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)


def send(page, button="Simpan"):
    """Submit with the button named so, and check the page it leads to."""
    return follow(page, page.get_by_role("button", name=button, exact=True))


def saved(page, button="Simpan"):
    """Submit a form that must be accepted: no error summary, no field error."""
    send(page, button)
    errors = page.locator("#error-summary, .invalid-feedback, .errorlist")
    assert not errors.count(), errors.first.inner_text()


def refused(page, field, message, button="Simpan"):
    """Submit a form that must be refused with ``message`` on ``field``."""
    send(page, button)
    expect(page.locator(f"#id_{field}_error, #error_1_id_{field}").first).to_contain_text(message)


def png(name="foto.png", size=(64, 48)):
    """A real image to upload."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format="PNG")
    return {"name": name, "mimeType": "image/png", "buffer": buffer.getvalue()}


def pdf_text(page, link):
    """Download the PDF behind a link and return its text, on one line."""
    with page.expect_download() as download:
        link.click()
    reader = PdfReader(download.value.path())
    return " ".join(" ".join(sheet.extract_text() for sheet in reader.pages).split())


def pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}
