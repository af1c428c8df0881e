"""The records a row gives its LKS: a registration (tanda daftar) and an accreditation.

- ``Terdaftar`` (or ``Kedaluwarsa``) records a registration, which needs its number,
  issue date and valid-until date. There is no default validity: a guessed expiry
  date would silently decide the LKS's status and its reminders.
  ``Proses`` records an application dated by ``Tanggal Terbit`` (else today), or
  corrects the pending one. ``Belum Terdaftar`` writes nothing: an import never
  removes or revokes a registration (the preview says so when the register has one).
- A grade with ``Tanggal Akreditasi`` records an accreditation valid for the default
  years of its grade (A 5, B 3, C 2).
- A record already there exactly is left alone; one with the same number (or, for an
  accreditation, the same date) and other values is corrected, not added again.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

from members.imports.cells import NOT_REGISTERED, REGISTERED
from members.imports.checking import model_errors
from members.imports.matching import number_key
from members.models import Accreditation, Registration, RegistrationStatus

# Where a record's error is shown: model field → column key.
REGISTRATION_COLUMNS = {
    NON_FIELD_ERRORS: "status",
    "number": "number",
    "issued_on": "issued_on",
    "submitted_on": "issued_on",
    "valid_until": "valid_until",
    "status": "status",
}
ACCREDITATION_COLUMNS = {
    NON_FIELD_ERRORS: "grade",
    "grade": "grade",
    "accredited_on": "accredited_on",
    "valid_until": "accredited_on",
    "status": "grade",
}
RECORD_EXCLUDE = ["organisation", "body", "document"]


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
            self.plan_registered(row, organisation, existing, number, issued_on, valid_until)
        else:
            self.plan_application(row, organisation, existing, number, issued_on, valid_until)

    def plan_registered(self, row, organisation, existing, number, issued_on, valid_until):
        missing = False
        for key, value, message in (
            ("number", number, _("A registered LKS needs its registration number.")),
            (
                "issued_on",
                issued_on,
                _("A registered LKS needs the date its registration was issued."),
            ),
            (
                "valid_until",
                valid_until,
                _("A registered LKS needs the date its registration is valid until."),
            ),
        ):
            if not value:
                self.error(row.row, key, message)
                missing = True
        if missing:
            return
        wanted = {
            "status": Registration.Status.REGISTERED,
            "number": number,
            "issued_on": issued_on,
            "valid_until": valid_until,
        }
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
            changed = [key for key, value in wanted.items() if getattr(record, key) != value]
            if not changed:
                return
            for key in changed:
                setattr(record, key, wanted[key])
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
        valid_until = Accreditation.default_valid_until(grade, accredited_on)
        if record is None:
            record = Accreditation(
                organisation=organisation,
                status=Accreditation.Status.ACCREDITED,
                grade=grade,
                accredited_on=accredited_on,
                valid_until=valid_until,
            )
            row.accreditation, row.accreditation_fields = record, None
            row.changes.append(_("New accreditation %(grade)s") % {"grade": grade})
        elif record.grade != grade:
            record.grade, record.valid_until = grade, valid_until
            row.accreditation, row.accreditation_fields = record, ["grade", "valid_until"]
            row.changes.append(_("Accreditation grade corrected to %(grade)s") % {"grade": grade})
        else:
            return
        self.check(row, record, RECORD_EXCLUDE, ACCREDITATION_COLUMNS)
