"""The demo's LKS portal: two people of two LKS, with what the staff then find on their
verification desk.

- ``lks-alghifari`` acts for Al Ghifari Turi (Sleman), one of the four LKS the story
  names as in the registration process. Its registration application through the
  portal waits for two of its documents (work program, activity report): five are
  attached, two of them still awaiting verification.
- ``lks-kampar`` acts for an accredited Kampar LKS, and has proposed a change to its
  telephone and board that staff have not decided yet.

Added once: a person who exists already is left as they are. The checks of the
documents the staff verified are recorded as they would have been, without emails.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from lkks.models import User
from members.accounts import LksAccount
from members.applications import (
    Application,
    ChecklistItem,
    application_attach,
    application_start,
)
from members.models import Accreditation, LegalDocument, Organisation
from members.reviews import (
    ReadinessItem,
    document_upload,
    profile_change_propose,
    readiness_answer,
)

PASSWORD = "demo"
# A one-page PDF: the demo's scans.
SCAN = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

Kind = LegalDocument.Kind
# Al Ghifari's documents: kind, number, issued by, issued on, valid until, checked.
ALGHIFARI_DOCUMENTS = [
    (
        Kind.DEED,
        "12/2019",
        "Notaris Siti Rahmawati, S.H., M.Kn.",
        datetime.date(2019, 3, 4),
        None,
        True,
    ),
    (
        Kind.KEMENKUMHAM_DECREE,
        "AHU-0004512.AH.01.04.2019",
        "Kementerian Hukum dan HAM",
        datetime.date(2019, 4, 2),
        None,
        True,
    ),
    (
        Kind.TAX_NUMBER,
        "93.412.556.7-542.000",
        "KPP Pratama Sleman",
        datetime.date(2019, 5, 6),
        None,
        True,
    ),
    (
        Kind.DOMICILE,
        "470/112/Turi/2024",
        "Kalurahan Girikerto",
        datetime.date(2024, 8, 12),
        datetime.date(2026, 8, 12),
        False,
    ),
    (Kind.BOARD, "", "Yayasan Al Ghifari", datetime.date(2024, 7, 1), None, False),
]


def _user(username, first_name, last_name):
    user = User(
        username=username,
        email=f"{username}@example.org",
        first_name=first_name,
        last_name=last_name,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def load_portal_demo(bodies, *, say):
    """Add the demo's LKS people to the bodies of the demo that have their LKS."""
    if "sleman" in bodies and not User.objects.filter(username="lks-alghifari").exists():
        _alghifari(bodies["sleman"])
        say("Created the LKS user lks-alghifari (Al Ghifari Turi, Sleman).")
    if "kampar" in bodies and not User.objects.filter(username="lks-kampar").exists():
        name = _kampar(bodies["kampar"])
        say(f"Created the LKS user lks-kampar ({name}, Kampar).")


def _alghifari(body):
    organisation = Organisation.objects.filter(body=body, name="Al Ghifari Turi").first()
    if organisation is None:
        return
    staff = User.objects.filter(username="staf-sleman").first()
    user = _user("lks-alghifari", "Ahmad", "Al Ghifari")
    LksAccount.objects.create(user=user, organisation=organisation, invited_by=staff)
    documents = {}
    for kind, number, issuer, issued_on, valid_until, checked in ALGHIFARI_DOCUMENTS:
        document = LegalDocument(
            organisation=organisation,
            kind=kind,
            number=number,
            issuer=issuer,
            issued_on=issued_on,
            valid_until=valid_until,
        )
        document.document.save(f"{kind}.pdf", ContentFile(SCAN), save=False)
        document_upload(document=document, by=user)
        if checked:
            document.verification = LegalDocument.Verification.VERIFIED
            document.verified_by = staff
            document.verified_at = timezone.now()
            document._history_user = staff
            document.save()
        documents[kind] = document
    application = application_start(
        organisation=organisation, kind=Application.Kind.REGISTRATION, by=user
    )
    for item in ChecklistItem.objects.filter(kind=application.kind, active=True):
        if item.document_kind in documents:
            application_attach(
                application=application, item=item, document=documents[item.document_kind], by=user
            )
    for item in ReadinessItem.objects.filter(active=True, name__startswith="Akta"):
        readiness_answer(
            organisation=organisation, item=item, document=documents[Kind.DEED], by=user
        )


def _kampar(body):
    organisation = (
        Organisation.objects.filter(
            body=body,
            accreditations__status=Accreditation.Status.ACCREDITED,
        )
        .order_by("name")
        .first()
    )
    if organisation is None:
        return ""
    user = _user("lks-kampar", "Rina", "Pengurus LKS")
    LksAccount.objects.create(
        user=user,
        organisation=organisation,
        invited_by=User.objects.filter(username="staf-kampar").first(),
    )
    profile_change_propose(
        organisation=organisation,
        by=user,
        values={
            "phone": "0812-7654-3210",
            "secretary": "Nur Aisyah",
            "treasurer": "Hendra Saputra",
        },
        note="Pengurus baru sesuai rapat anggota Januari 2025.",
    )
    return organisation.name
