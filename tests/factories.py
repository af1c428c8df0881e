"""Factories for every model. They write rows directly (no services), so tests can
build any state, including the ones the services would refuse.

Regions come from the data migration: Kampar (14.01) with kecamatan 14.01.01..21 and
Sleman (34.04) with kecamatan 34.04.01..17; villages are children of kecamatan.
"""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from grants.models import (
    Agreement,
    Allocation,
    BudgetLine,
    Disbursement,
    Expenditure,
    Funder,
    Grant,
    LpjSubmission,
    RemainderReturn,
)
from lkks.models import Body, Decree, Membership, Officer, Region, User
from members.models import (
    Accreditation,
    Application,
    LegalDocument,
    LksAccount,
    Mentoring,
    Organisation,
    ProfileChange,
    ProposedChange,
    Registration,
    TargetGroup,
)
from programs.models import Activity, ActivityPhoto, Program
from visits.models import Delegate, FollowUp, StudyVisit, VisitPhoto

KAMPAR = "14.01"
SLEMAN = "34.04"


def region(code):
    return Region.objects.get(code=code)


def first_district(regency):
    return Region.objects.filter(parent=regency).order_by("code").first()


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"group {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Siti"
    last_name = factory.Sequence(lambda n: f"Pengguna {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("demo")


class RegionFactory(DjangoModelFactory):
    """A new village under a Kampar kecamatan (the real regions are already loaded)."""

    class Meta:
        model = Region

    parent = factory.LazyFunction(lambda: region("14.01.01"))
    code = factory.Sequence(lambda n: f"14.01.01.{9000 + n}")
    name = factory.Sequence(lambda n: f"Desa Contoh {n}")
    level = Region.Level.VILLAGE


class BodyFactory(DjangoModelFactory):
    """A body in Kampar unless ``regency`` says otherwise (e.g. ``region(SLEMAN)``)."""

    class Meta:
        model = Body

    name = factory.Sequence(lambda n: f"LKKS Contoh {n}")
    slug = factory.Sequence(lambda n: f"lkks-{n}")
    regency = factory.LazyFunction(lambda: region(KAMPAR))
    chairperson = "Ricana Djayanti"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    body = factory.SubFactory(BodyFactory)
    role = Membership.Role.STAFF


class TargetGroupFactory(DjangoModelFactory):
    class Meta:
        model = TargetGroup

    code = factory.Sequence(lambda n: f"kelompok-{n}")
    name = factory.Sequence(lambda n: f"Kelompok sasaran {n}")


class OrganisationFactory(DjangoModelFactory):
    """An LKS in the first kecamatan of its body's regency."""

    class Meta:
        model = Organisation

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"Panti Asuhan Contoh {n}")
    kind = Organisation.Kind.LKSA
    district = factory.LazyAttribute(lambda lks: first_district(lks.body.regency))
    address = "Jl. Contoh No. 1"
    chairperson = "Budi Santoso"


class RegistrationFactory(DjangoModelFactory):
    """A registered record, valid for five years from 1 January 2024."""

    class Meta:
        model = Registration

    organisation = factory.SubFactory(OrganisationFactory)
    body = factory.SelfAttribute("organisation.body")
    status = Registration.Status.REGISTERED
    number = factory.Sequence(lambda n: f"460/{n:04d}/TD/2024")
    issuer = "Dinas Sosial"
    submitted_on = datetime.date(2023, 12, 1)
    issued_on = datetime.date(2024, 1, 1)
    valid_until = datetime.date(2028, 12, 31)

    class Params:
        submitted = factory.Trait(
            status=Registration.Status.SUBMITTED, number="", issued_on=None, valid_until=None
        )


class AccreditationFactory(DjangoModelFactory):
    class Meta:
        model = Accreditation

    organisation = factory.SubFactory(OrganisationFactory)
    status = Accreditation.Status.ACCREDITED
    grade = Accreditation.Grade.B
    certificate_number = factory.Sequence(lambda n: f"BALKS/{n:04d}/2024")
    submitted_on = datetime.date(2024, 1, 10)
    accredited_on = datetime.date(2024, 3, 1)
    valid_until = datetime.date(2027, 3, 1)


class LegalDocumentFactory(DjangoModelFactory):
    class Meta:
        model = LegalDocument

    organisation = factory.SubFactory(OrganisationFactory)
    kind = LegalDocument.Kind.OPERATING_PERMIT
    number = factory.Sequence(lambda n: f"IO/{n:04d}")
    issuer = "DPMPTSP"
    issued_on = datetime.date(2023, 5, 1)
    valid_until = datetime.date(2028, 5, 1)


class MentoringFactory(DjangoModelFactory):
    class Meta:
        model = Mentoring

    organisation = factory.SubFactory(OrganisationFactory)
    date = datetime.date(2024, 6, 10)
    kind = Mentoring.Kind.ADMINISTRATIVE
    activities = "Pendampingan tata kelola administrasi."
    follow_up_on = datetime.date(2024, 7, 10)
    officer = "Aly Manshur"


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program

    body = factory.SubFactory(BodyFactory)
    fiscal_year = 2024
    code = factory.Sequence(lambda n: f"P{n:03d}")
    name = factory.Sequence(lambda n: f"Program contoh {n}")
    category = Program.Category.INSTITUTIONAL
    budget_ceiling = Decimal(100_000_000)


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Kegiatan contoh {n}")
    kind = Activity.Kind.CAPACITY_BUILDING
    planned_start = datetime.date(2024, 5, 1)
    planned_end = datetime.date(2024, 5, 3)
    budget = Decimal(10_000_000)
    status = Activity.Status.PLANNED
    target_participants = 40


class ActivityPhotoFactory(DjangoModelFactory):
    class Meta:
        model = ActivityPhoto

    activity = factory.SubFactory(ActivityFactory)
    image = factory.django.ImageField(filename="foto.jpg", format="JPEG", width=8, height=8)
    caption = factory.Sequence(lambda n: f"Foto kegiatan {n}")
    taken_on = datetime.date(2024, 5, 2)


class FunderFactory(DjangoModelFactory):
    class Meta:
        model = Funder

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"Pemerintah Kabupaten Contoh {n}")
    kind = Funder.Kind.HIBAH_APBD


class GrantFactory(DjangoModelFactory):
    """An agreed grant (with its agreement, signed 1 February 2024) unless
    ``proposed=True``; ``agreement__number=…`` sets the agreement's fields."""

    class Meta:
        model = Grant
        skip_postgeneration_save = True

    class Params:
        proposed = factory.Trait(agreement=None)

    funder = factory.SubFactory(FunderFactory)
    fiscal_year = 2024
    name = factory.Sequence(lambda n: f"Hibah contoh {n}")
    amount = Decimal(100_000_000)
    held_at = "Dinas Sosial"
    agreement = factory.RelatedFactory("tests.factories.AgreementFactory", "grant")


class AllocationFactory(DjangoModelFactory):
    """An allocation to an activity of the grant's own body."""

    class Meta:
        model = Allocation

    grant = factory.SubFactory(GrantFactory)
    activity = factory.SubFactory(
        ActivityFactory, program__body=factory.SelfAttribute("...grant.funder.body")
    )
    amount = Decimal(10_000_000)


class DisbursementFactory(DjangoModelFactory):
    class Meta:
        model = Disbursement

    grant = factory.SubFactory(GrantFactory)
    date = datetime.date(2024, 3, 15)
    amount = Decimal(10_000_000)
    reference = factory.Sequence(lambda n: f"SP2D {n:04d}")


class ExpenditureFactory(DjangoModelFactory):
    """Spending on an activity of the grant's own body, from the allocation of that
    grant to that activity (an allocation of Rp 0 is made when the test made none; the
    factory writes the rows directly, whatever the rules)."""

    class Meta:
        model = Expenditure

    grant = factory.SubFactory(GrantFactory)
    activity = factory.SubFactory(
        ActivityFactory, program__body=factory.SelfAttribute("...grant.funder.body")
    )
    allocation = factory.LazyAttribute(
        lambda spending: Allocation.objects.get_or_create(
            grant=spending.grant, activity=spending.activity, defaults={"amount": Decimal(0)}
        )[0]
    )
    date = datetime.date(2024, 5, 2)
    amount = Decimal(1_000_000)
    description = factory.Sequence(lambda n: f"Konsumsi rapat {n}")
    receipt_number = factory.Sequence(lambda n: f"KW-{n:04d}")


class DecreeFactory(DjangoModelFactory):
    """The SK of a board serving from 2021 to 2026."""

    class Meta:
        model = Decree

    body = factory.SubFactory(BodyFactory)
    number = factory.Sequence(lambda n: f"KPTS.{n:03d}/IV/2021")
    issued_on = datetime.date(2021, 4, 1)
    issued_by = "Bupati Kampar"
    subject = "Susunan Pengurus LKKS Masa Bakti 2021-2026"
    term_start = datetime.date(2021, 4, 1)
    term_end = datetime.date(2026, 3, 31)


class OfficerFactory(DjangoModelFactory):
    """An officer for the term of the decree."""

    class Meta:
        model = Officer

    decree = factory.SubFactory(DecreeFactory)
    position = Officer.Position.CHAIR
    name = factory.Sequence(lambda n: f"Dra. Pengurus Contoh {n}, M.Si")
    term_start = factory.SelfAttribute("decree.term_start")
    term_end = factory.SelfAttribute("decree.term_end")


class AgreementFactory(DjangoModelFactory):
    """The NPHD of a regional hibah (an MoU for other money), signed 1 February 2024."""

    class Meta:
        model = Agreement

    grant = factory.SubFactory(GrantFactory, agreement=None)
    kind = factory.LazyAttribute(
        lambda agreement: (
            Agreement.Kind.NPHD
            if agreement.grant.funder.kind == Funder.Kind.HIBAH_APBD
            else Agreement.Kind.MOU
        )
    )
    number = factory.Sequence(lambda n: f"NPHD/{n:04d}/2024")
    signed_on = datetime.date(2024, 2, 1)
    purpose = "Penguatan kelembagaan LKKS dan pelayanan kesejahteraan sosial"
    bank_name = "Bank Riau Kepri Syariah"
    bank_account_number = factory.Sequence(lambda n: f"101.0{n:05d}")
    bank_account_holder = "LKKS Kabupaten"
    grantor_signatory_name = "Drs. Ahmad Yuzar, M.T."
    grantor_signatory_title = "Bupati"
    recipient_signatory_name = "Ricana Djayanti"
    recipient_signatory_title = "Ketua Umum"


class BudgetLineFactory(DjangoModelFactory):
    class Meta:
        model = BudgetLine

    grant = factory.SubFactory(GrantFactory)
    item = factory.Sequence(lambda n: f"Belanja kegiatan {n}")
    amount = Decimal(10_000_000)


class RemainderReturnFactory(DjangoModelFactory):
    class Meta:
        model = RemainderReturn

    grant = factory.SubFactory(GrantFactory)
    date = datetime.date(2025, 1, 20)
    amount = Decimal(1_000_000)
    reference = factory.Sequence(lambda n: f"STS/{n:04d}/2025")


class LpjSubmissionFactory(DjangoModelFactory):
    """A submission awaiting review; ``accepted=True`` for one accepted."""

    class Meta:
        model = LpjSubmission

    class Params:
        accepted = factory.Trait(
            outcome=LpjSubmission.Outcome.ACCEPTED, decided_on=datetime.date(2025, 1, 20)
        )

    grant = factory.SubFactory(GrantFactory)
    submitted_on = datetime.date(2025, 1, 8)
    letter_number = factory.Sequence(lambda n: f"{n:03d}/LKKS/LPJ/I/2025")
    received_by = "Kepala Dinas Sosial"


class StudyVisitFactory(DjangoModelFactory):
    """Kampar visiting Sleman on the afternoon of 16 October 2024."""

    class Meta:
        model = StudyVisit

    visiting_body = factory.SubFactory(BodyFactory)
    host_body = factory.SubFactory(
        BodyFactory, regency=factory.LazyFunction(lambda: region(SLEMAN))
    )
    date = datetime.date(2024, 10, 16)
    start_time = datetime.time(13, 30)
    end_time = datetime.time(16, 0)
    place = "Dinas Sosial Kabupaten Sleman"
    purpose = "Berbagi pengalaman tugas pokok, fungsi dan program kerja LKKS."
    lessons = "Pendampingan LKS oleh LKKS."


class DelegateFactory(DjangoModelFactory):
    class Meta:
        model = Delegate

    visit = factory.SubFactory(StudyVisitFactory)
    side = Delegate.Side.VISITING
    name = factory.Sequence(lambda n: f"Peserta Contoh {n}")
    position = "Anggota"
    institution = "LKKS"


class FollowUpFactory(DjangoModelFactory):
    """A follow-up of the visiting side, due at the end of 2024."""

    class Meta:
        model = FollowUp

    visit = factory.SubFactory(StudyVisitFactory)
    body = factory.SelfAttribute("visit.visiting_body")
    action = factory.Sequence(lambda n: f"Tindak lanjut contoh {n}")
    responsible = "Sekretaris LKKS"
    due_on = datetime.date(2024, 12, 31)
    status = FollowUp.Status.PLANNED


class VisitPhotoFactory(DjangoModelFactory):
    class Meta:
        model = VisitPhoto

    visit = factory.SubFactory(StudyVisitFactory)
    image = factory.django.ImageField(filename="foto.jpg", format="JPEG", width=8, height=8)
    thumbnail = factory.django.ImageField(filename="kecil.jpg", format="JPEG", width=4, height=4)
    caption = factory.Sequence(lambda n: f"Foto kunjungan {n}")


# The LKS portal (issue #13)


class LksAccountFactory(DjangoModelFactory):
    """A person of an LKS with a password ("demo"), as after accepting the invitation."""

    class Meta:
        model = LksAccount

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    active = True


class UploadedDocumentFactory(LegalDocumentFactory):
    """A document the LKS uploaded, awaiting verification, with its scan."""

    uploaded_by_lks = True
    verification = LegalDocument.Verification.AWAITING
    document = factory.django.FileField(
        filename="akta.pdf", data=b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    )


class ApplicationFactory(DjangoModelFactory):
    """A draft application for a registration."""

    class Meta:
        model = Application

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Application.Kind.REGISTRATION
    created_by = factory.SubFactory(UserFactory)


class ProfileChangeFactory(DjangoModelFactory):
    """A proposal waiting for review: a new telephone number."""

    class Meta:
        model = ProfileChange
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    proposed_by = factory.SubFactory(UserFactory)
    field = factory.RelatedFactory(
        "tests.factories.ProposedChangeFactory", factory_related_name="change"
    )


class ProposedChangeFactory(DjangoModelFactory):
    class Meta:
        model = ProposedChange

    change = factory.SubFactory(ProfileChangeFactory, field=None)
    field = "phone"
    was = ""
    value = "0812-0000-1111"
