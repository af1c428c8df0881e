"""Who signs a document of the body, and where and when: the block under every printed
document (``templates/documents/_signatures.html``).

The signers are the officers holding the asked positions on the document's date, so a
letter of 2023 is signed by the board of 2023; the Kepala Dinas Sosial acknowledges
("Mengetahui") where the document needs it. Nobody holding a position gives no blank
line but a ``missing`` signatory that names the position and where staff record it.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse

from lkks.documents import place_name, regency_name
from lkks.officers import holders, position_title


@dataclass(frozen=True)
class Signatory:
    title: str  # as printed above the signature: "Ketua Umum LKKS Kabupaten Kampar"
    name: str = ""  # with academic titles; empty when missing
    nip: str = ""
    ex_officio: str = ""
    missing: str = ""  # the position nobody holds, to be filled: "Bendahara"
    fill_url: str = ""  # where staff fill it

    @property
    def is_missing(self):
        return bool(self.missing)


@dataclass(frozen=True)
class SignatureBlock:
    place: str
    date: datetime.date
    signers: tuple[Signatory, ...]
    acknowledged_by: Signatory | None = None

    @property
    def missing(self):
        """The signatories nobody is recorded for."""
        everyone = [*self.signers, *([self.acknowledged_by] if self.acknowledged_by else [])]
        return [signatory for signatory in everyone if signatory.is_missing]


def social_office_name(body) -> str:
    return body.social_office_name or f"Dinas Sosial {regency_name(body)}"


def social_head_title(body) -> str:
    return body.social_head_title or f"Kepala {social_office_name(body)}"


def social_secretary_title(body) -> str:
    return body.social_secretary_title or f"Sekretaris {social_office_name(body)}"


def _fill_officer_url(body, position):
    return f"{reverse('officer-create')}?body={body.slug}&position={int(position)}"


def acknowledgement(body) -> Signatory:
    """The Kepala Dinas Sosial's "Mengetahui" of the body's regency."""
    title = social_head_title(body)
    if not body.social_head_name:
        return Signatory(
            title=title,
            missing=title,
            fill_url=f"{reverse('body-edit')}?body={body.slug}",
        )
    return Signatory(title=title, name=body.social_head_name, nip=body.social_head_nip)


def signature_block(body, *, on: datetime.date, positions, acknowledge=False) -> SignatureBlock:
    """The signatures of a document of ``body`` dated ``on``: one signatory per position
    (in the order given, the last one signing on the right under the place and date)."""
    held = holders(body, on=on, positions=positions)
    signers = []
    for position in positions:
        officer = held.get(position)
        if officer is None:
            label = position_title(position)
            signers.append(
                Signatory(
                    title=f"{label} {body.name}",
                    missing=label,
                    fill_url=_fill_officer_url(body, position),
                )
            )
        else:
            signers.append(
                Signatory(
                    title=f"{officer.position_label} {body.name}",
                    name=officer.name,
                    ex_officio=officer.ex_officio,
                )
            )
    return SignatureBlock(
        place=place_name(body),
        date=on,
        signers=tuple(signers),
        acknowledged_by=acknowledgement(body) if acknowledge else None,
    )
