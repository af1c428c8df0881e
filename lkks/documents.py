"""What every printed document shares: the letterhead (kop surat), the names of places
as a letter writes them, and the response that is either the HTML page or its PDF
(``?format=pdf``).

The documents themselves belong to the app whose record they print: the
recommendation letter to ``members``, the LPJ to ``grants``, the annual report to
``overview``.
"""

import base64
import mimetypes
import re
from dataclasses import dataclass

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from lkks.pdf import render_pdf

FORMATS = [("html", "HTML"), ("pdf", "PDF")]
REGENCY_PREFIXES = ("KAB. ", "KABUPATEN ", "KOTA ADM. ", "KOTA ")
ROMAN_NUMERAL = re.compile(r"^C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def region_name(name):
    """A region's name as a letter writes it: "XIII KOTO KAMPAR" → "XIII Koto Kampar"
    (the register keeps the Kemendagri capitals; Roman numerals stay as they are)."""
    return " ".join(
        word if ROMAN_NUMERAL.match(word.upper()) and len(word) > 1 else word.capitalize()
        for word in name.split()
    )


def place_name(body):
    """Where the body's documents are signed: the place the body set (Bangkinang, the
    seat of Kampar), else the regency without its prefix, as in "Sleman, 16 Oktober
    2024" (from "KAB. SLEMAN")."""
    if body.signing_place:
        return body.signing_place
    name = body.regency.name
    for prefix in REGENCY_PREFIXES:
        if name.upper().startswith(prefix):
            name = name[len(prefix) :]
            break
    return region_name(name)


# Provinces (by their Kemendagri code) outside Western Indonesian Time.
CENTRAL_TIME_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
EASTERN_TIME_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}


def time_zone_name(body):
    """The zone a letter writes after an hour ("Pukul 14.00 WIB"), by the body's
    province: WIB, WITA (Bali, Nusa Tenggara, South/East/North Kalimantan, Sulawesi) or
    WIT (Maluku, Papua)."""
    province = body.regency_id.split(".")[0]
    if province in EASTERN_TIME_PROVINCES:
        return "WIT"
    if province in CENTRAL_TIME_PROVINCES:
        return "WITA"
    return "WIB"


def regency_name(body):
    """The body's regency in full, as a letter names it: "Kabupaten Sleman"."""
    name = body.regency.name
    for prefix, full in (("KAB. ", "Kabupaten"), ("KOTA ADM. ", "Kota Administrasi")):
        if name.upper().startswith(prefix):
            return f"{full} {region_name(name[len(prefix) :])}"
    return region_name(name)


def logo_data_uri(stored):
    """A stored logo as a data: URI, so that the HTML page and the PDF show it without
    another request (and the PDF without fetching anything); None without a file."""
    if not stored:
        return None
    try:
        with stored.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return None
    content_type = mimetypes.guess_type(stored.name)[0] or "image/png"
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


@dataclass(frozen=True)
class Letterhead:
    """The kop surat: the body's name and contacts above a rule, its logo beside them."""

    title: str
    subtitle: str
    address: str
    phone: str
    email: str
    website: str
    logo: str | None  # a data: URI

    @classmethod
    def of(cls, body):
        return cls(
            title=body.letterhead_title or body.name.upper(),
            subtitle=body.letterhead_subtitle,
            address=body.address,
            phone=body.phone,
            email=body.email,
            website=body.website,
            logo=logo_data_uri(body.logo),
        )


class DocumentForm(forms.Form):
    """What every document URL may be asked for: HTML (the default) or PDF."""

    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, required=False)

    def wants_pdf(self):
        return self.cleaned_data.get("format") == "pdf"


# The language of every document SI-LKKS prints: a body's letters, its LPJ and its
# reports to the government are written in Indonesian by law (UU 24/2009 arts. 27, 33,
# 34; docs/decisions.md), whatever language the person printing them reads.
DOCUMENT_LANGUAGE = "id"


def document_page(request, template_name, context, *, status=200):
    """The HTML page of a document: its sheet in Indonesian, the page around it (title,
    toolbar, back link, date picker) in the user's language."""
    context = {
        **context,
        "document_language": DOCUMENT_LANGUAGE,
        "interface_language": translation.get_language(),
    }
    return render(request, template_name, context, status=status)


def document_pdf(template_name, context, *, request=None, files=None) -> bytes:
    """The PDF of a document (``render_pdf``): the sheet alone, so all of it is
    Indonesian, its title too, whatever the language of whoever asked."""
    context = {
        **context,
        "document_language": DOCUMENT_LANGUAGE,
        "interface_language": DOCUMENT_LANGUAGE,
    }
    with translation.override(DOCUMENT_LANGUAGE):
        return render_pdf(template_name, context, request=request, files=files)


def document_response(request, template_name, context, *, form, filename, files=None):
    """The page (``document_page``), or its PDF (``document_pdf``) as a download named
    ``filename``.pdf."""
    if not form.wants_pdf():
        return document_page(request, template_name, context)
    pdf = document_pdf(template_name, context, request=request, files=files)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{slugify(filename.replace('/', '-'))}.pdf"
    )
    return response


def pdf_url(request, **params):
    """This page's URL asking for its PDF (with ``params`` fixed, such as the year a
    default chose, so that the PDF is the page even if the default changes)."""
    query = request.GET.copy()
    for name, value in {**params, "format": "pdf"}.items():
        query[name] = value
    return f"{request.path}?{query.urlencode()}"
