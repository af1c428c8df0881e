"""The records a row gives its LKS: a registration (tanda daftar), an accreditation and
legal documents.

- ``Terdaftar`` (or ``Kedaluwarsa``) records a registration, which needs its number,
  issue date and valid-until date. There is no default validity: a guessed expiry
  date would silently decide the LKS's status and its reminders.
  ``Proses`` records an application dated by ``Tanggal Terbit`` (else today), or
  corrects the pending one. ``Belum Terdaftar`` writes nothing: an import never
  removes or revokes a registration (the preview says so when the register has one).
  "Ada" with a number or dates is ``Terdaftar``; "Ada" or "Tidak Ada" alone records
  nothing.
- A grade with ``Tanggal Akreditasi`` records an accreditation valid until the date
  the file gives, else for the default years of its grade (A 5, B 3, C 2).
- A legal document with its number is recorded with its dates and issuer; an
  "ada/tidak ada" status without a number records nothing.
- A record already there exactly is left alone; one with the same number (or, for an
  accreditation, the same date) and other values is corrected, not added again.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

from members.imports.cells import NOT_REGISTERED, PRESENT, REGISTERED
from members.imports.checking import model_errors
from members.imports.fields import (
    DOCUMENT_NAMES,
    ISSUED_ON,
    ISSUER,
    NUMBER,
    PARTS,
    STATUS,
    VALID_UNTIL,
)
from members.imports.matching import number_key
from members.models import Accreditation, LegalDocument, Registration, RegistrationStatus

# Where a record's error is shown: model field → column key.
REGISTRATION_COLUMNS = {
    NON_FIELD_ERRORS: "status",
    "number": "number",
    "issued_on": "issued_on",
    "submitted_on": "issued_on",
    "valid_until": "valid_until",
    "status": "status",
    "issuer": "issuer",
}
ACCREDITATION_COLUMNS = {
    NON_FIELD_ERRORS: "grade",
    "grade": "grade",
    "accredited_on": "accredited_on",
    "valid_until": "accredited_on",
    "status": "grade",
    "certificate_number": "accreditation_number",
}
DOCUMENT_COLUMNS = {
    kind: {NON_FIELD_ERRORS: PARTS[kind][NUMBER], "kind": PARTS[kind][NUMBER]}
    | {part: PARTS[kind][part] for part in (NUMBER, ISSUED_ON, VALID_UNTIL, ISSUER)}
    for kind in DOCUMENT_NAMES
}
RECORD_EXCLUDE = ["organisation", "body", "document"]


def _correct(record, wanted) -> list[str]:
    """Give the record the values it wants and does not have (an empty value leaves
    what is recorded); the names of the fields changed."""
    changed = [
        key
        for key, value in wanted.items()
        if value not in (None, "") and getattr(record, key) != value
    ]
    for key in changed:
        setattr(record, key, wanted[key])
    return changed


class RecordPlanning:
    """The part of ``planning.Planner`` that plans a row's records; it uses the
    planner's ``body``, ``today``, ``register``, ``error`` and ``check``."""

    def check(self, row, instance, exclude, columns):
        for name, messages in model_errors(instance, exclude=exclude).items():
            key = columns.get(name, "")
            for message in messages:
                self.error(row.row, key, message)

    def plan_registration(self, row, organisation, values, created):
        status = values.get("status")
        number = values.get("number") or ""
        issued_on, valid_until = values.get("issued_on"), values.get("valid_until")
        if status == PRESENT:
            status = None
        if status is None and (number or issued_on or valid_until):
            status = REGISTERED
        if status in (None, NOT_REGISTERED):
            if number or issued_on or valid_until:
                self.error(
                    row.row,
                    "status",
                    _(
                        "A registration number or date is given, but the status says the "
                        "LKS is not registered."
                    ),
                )
            elif (
                status == NOT_REGISTERED
                and not created
                and organisation.registration_status != RegistrationStatus.UNREGISTERED
            ):
                row.notices.append(
                    _("The register has a registration of this LKS; the import leaves it as it is.")
                )
            return
        existing = [] if created else self.register.registrations.get(organisation.pk, [])
        if status == REGISTERED:
            wanted = {"number": number, "issued_on": issued_on, "valid_until": valid_until}
            if values.get("issuer"):
                wanted["issuer"] = values["issuer"]
            self.plan_registered(row, organisation, existing, wanted)
        else:
            self.plan_application(row, organisation, existing, number, issued_on, valid_until)

    def plan_registered(self, row, organisation, existing, wanted):
        missing = False
        for key, message in (
            ("number", _("A registered LKS needs its registration number.")),
            ("issued_on", _("A registered LKS needs the date its registration was issued.")),
            ("valid_until", _("A registered LKS needs the date its registration is valid until.")),
        ):
            if not wanted[key]:
                self.error(row.row, key, message)
                missing = True
        if missing:
            return
        number, valid_until = wanted["number"], wanted["valid_until"]
        wanted = {"status": Registration.Status.REGISTERED, **wanted}
        record = next((r for r in existing if number_key(r.number) == number_key(number)), None)
        if record is None:
            record = Registration(
                organisation=organisation,
                body=self.body,
                is_renewal=any(r.status == Registration.Status.REGISTERED for r in existing),
                **wanted,
            )
            row.registration, row.registration_fields = record, None
            row.changes.append(_("New registration %(number)s") % {"number": number})
        else:
            changed = _correct(record, wanted)
            if not changed:
                return
            row.registration, row.registration_fields = record, changed
            row.changes.append(_("Registration %(number)s corrected") % {"number": number})
        if valid_until < self.today:
            row.notices.append(_("The registration has expired."))
        self.check_registration(row, record)

    def plan_application(self, row, organisation, existing, number, submitted_on, valid_until):
        if valid_until:
            self.error(
                row.row,
                "valid_until",
                _("A registration in process has no valid-until date yet."),
            )
            return
        # A number of one of the LKS's own records only says which LKS the row is
        # about (an application for renewal is filed under the old number).
        own_numbers = {number_key(record.number): record for record in existing if record.number}
        latest = self.register.latest_registration(organisation) if existing else None
        if latest is not None and latest.status == Registration.Status.SUBMITTED:
            wanted = {}
            if submitted_on and latest.record_date != submitted_on:
                wanted["submitted_on"] = submitted_on
            if (
                number
                and latest.number != number
                and own_numbers.get(number_key(number), latest) is latest
            ):
                wanted["number"] = number
            if not wanted:
                return
            for key, value in wanted.items():
                setattr(latest, key, value)
            row.registration, row.registration_fields = latest, list(wanted)
            row.changes.append(_("Pending registration application corrected"))
        else:
            row.registration = Registration(
                organisation=organisation,
                body=self.body,
                status=Registration.Status.SUBMITTED,
                number="" if number_key(number) in own_numbers else number,
                submitted_on=submitted_on or self.today,
                is_renewal=any(r.status == Registration.Status.REGISTERED for r in existing),
            )
            row.registration_fields = None
            row.changes.append(_("New registration application"))
        self.check_registration(row, row.registration)

    def check_registration(self, row, record):
        key = number_key(record.number)
        holder = self.register.by_number.get(key) if key else None
        if holder is not None and holder.pk != record.pk:
            self.error(row.row, "number", _("This registration number is already used."))
        self.check(row, record, RECORD_EXCLUDE, REGISTRATION_COLUMNS)

    def plan_accreditation(self, row, organisation, values, created):
        grade, accredited_on = values.get("grade"), values.get("accredited_on")
        if grade is None:
            if accredited_on:
                self.error(row.row, "grade", _("Give the grade (A, B or C) of this accreditation."))
            elif "grade" in values and not created and organisation.accreditation_grade is not None:
                row.notices.append(
                    _(
                        "The register has an accreditation of this LKS; the import leaves "
                        "it as it is."
                    )
                )
            return
        if not accredited_on:
            self.error(row.row, "accredited_on", _("Give the date of the accreditation."))
            return
        existing = [] if created else self.register.accreditations.get(organisation.pk, [])
        record = next(
            (
                r
                for r in existing
                if r.status == Accreditation.Status.ACCREDITED and r.accredited_on == accredited_on
            ),
            None,
        )
        number = values.get("accreditation_number") or ""
        valid_until = values.get("accreditation_valid_until")
        if record is None:
            record = Accreditation(
                organisation=organisation,
                status=Accreditation.Status.ACCREDITED,
                grade=grade,
                certificate_number=number,
                accredited_on=accredited_on,
                valid_until=valid_until or Accreditation.default_valid_until(grade, accredited_on),
            )
            row.accreditation, row.accreditation_fields = record, None
            row.changes.append(_("New accreditation %(grade)s") % {"grade": grade})
        else:
            wanted = {"grade": grade, "certificate_number": number, "valid_until": valid_until}
            if not valid_until and record.grade != grade:
                wanted["valid_until"] = Accreditation.default_valid_until(grade, accredited_on)
            changed = _correct(record, wanted)
            if not changed:
                return
            row.accreditation, row.accreditation_fields = record, changed
            row.changes.append(
                _("Accreditation grade corrected to %(grade)s") % {"grade": grade}
                if "grade" in changed
                else _("Accreditation %(grade)s corrected") % {"grade": grade}
            )
        self.check(row, record, RECORD_EXCLUDE, ACCREDITATION_COLUMNS)

    def plan_documents(self, row, organisation, values, created):
        existing = [] if created else self.register.documents.get(organisation.pk, [])
        for kind in DOCUMENT_NAMES:
            parts = {part: values.get(key) for part, key in PARTS[kind].items()}
            number = parts.pop(NUMBER) or ""
            present = parts.pop(STATUS)
            wanted = {part: value for part, value in parts.items() if value}
            if not number:
                # "Ada" or "tidak ada" alone says nothing that can be recorded.
                if wanted:
                    self.error(
                        row.row,
                        PARTS[kind][NUMBER],
                        _("Give the number of this document: without it, it cannot be recorded."),
                    )
                continue
            if present is False:
                self.error(
                    row.row,
                    PARTS[kind][STATUS],
                    _("The status says there is no such document, but its number is given."),
                )
                continue
            self.plan_document(row, organisation, existing, kind, number, wanted)

    def plan_document(self, row, organisation, existing, kind, number, wanted):
        record = next(
            (d for d in existing if d.kind == kind and number_key(d.number) == number_key(number)),
            None,
        )
        name = {"document": LegalDocument.Kind(kind).label, "number": number}
        if record is None:
            record = LegalDocument(organisation=organisation, kind=kind, number=number, **wanted)
            row.documents.append((record, None))
            row.changes.append(_("New legal document: %(document)s %(number)s") % name)
        else:
            changed = _correct(record, wanted)
            if not changed:
                return
            row.documents.append((record, changed))
            row.changes.append(_("Legal document corrected: %(document)s %(number)s") % name)
        self.check(row, record, RECORD_EXCLUDE, DOCUMENT_COLUMNS[kind])
