"""Every URL of lkks, members, programs, grants, visits and the LKS portal against every
kind of user.

The table ``URLS`` must name every URL pattern of these apps: a new URL without an
entry fails ``test_every_url_is_in_the_matrix``. Each entry says what the URL is (a
list, a record's page, a form for a new record, …) and which record of body A it is
about; the expected status for each user follows from that kind.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lkks.letters import issue_letter
from lkks.models import Membership
from members.models import Application
from members.services import recommendation_issue
from tests.factories import (
    KAMPAR,
    SLEMAN,
    AccreditationFactory,
    ActivityFactory,
    ActivityPhotoFactory,
    AllocationFactory,
    ApplicationFactory,
    BodyFactory,
    BudgetLineFactory,
    DecreeFactory,
    DelegateFactory,
    DisbursementFactory,
    ExpenditureFactory,
    FollowUpFactory,
    FunderFactory,
    GrantFactory,
    LegalDocumentFactory,
    LksAccountFactory,
    LpjSubmissionFactory,
    MembershipFactory,
    MentoringFactory,
    OfficerFactory,
    OrganisationFactory,
    ProfileChangeFactory,
    ProgramFactory,
    RegistrationFactory,
    RemainderReturnFactory,
    StudyVisitFactory,
    UploadedDocumentFactory,
    UserFactory,
    VisitPhotoFactory,
    region,
)

APPS = {"members", "programs", "grants", "visits", "portal"}
OWN_APPS = {"lkks", "members", "programs", "grants", "visits", "portal", "overview"}
LKKS_URLS_OUTSIDE_THE_MATRIX = {"set_language"}  # Django's own view, allowed to all

ROLES = [
    "anonymous",
    "staff",
    "other_staff",
    "official",
    "provincial",
    "admin",
    "third_staff",
    "lks",
    "other_lks",
]
# The people of two LKS of body A (issue #13): they belong to no body.
LKS_ROLES = {"lks", "other_lks"}
# Staff of a third body, on neither side of body A's visit to body B: everywhere else
# they are answered as the other body's staff are (``expected_for``).
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

# What each kind of URL answers, per role: (GET, POST). 302 for the anonymous user is
# the redirect to the login page.
READ = {
    "anonymous": 302,
    "staff": 200,
    "other_staff": 404,
    "official": 200,
    "provincial": 200,
    "admin": 200,
}
LIST = dict.fromkeys(ROLES[1:], 200) | {"anonymous": 302}
CREATE = {
    "anonymous": 302,
    "staff": 200,
    "other_staff": 200,
    "official": 403,
    "provincial": 403,
    "admin": 200,
}
CHANGE = {
    "anonymous": 302,
    "staff": 200,
    "other_staff": 404,
    "official": 403,
    "provincial": 403,
    "admin": 200,
}
NOT_ALLOWED = dict.fromkeys(ROLES[1:], 405) | {"anonymous": 302}
EXPECTED = {
    # kind: (GET expectations, POST expectations); a set allows several answers
    "list": (LIST, NOT_ALLOWED),
    "detail": (READ, NOT_ALLOWED | {"other_staff": {404, 405}}),
    "file": (READ, NOT_ALLOWED | {"other_staff": {404, 405}}),
    "create": (CREATE, CREATE),  # an empty POST re-shows the form with errors
    "child": (CHANGE, CHANGE),
    "edit": (CHANGE, CHANGE),
    "delete": (CHANGE, CHANGE | {"staff": {200, 302}, "admin": {200, 302}}),
    "home": (LIST, NOT_ALLOWED),
    # Only a user who reads two bodies or more (and the admin) compares bodies.
    "compare": (
        {"anonymous": 302, "staff": 403, "other_staff": 403, "official": 403}
        | {"provincial": 200, "admin": 200},
        NOT_ALLOWED,
    ),
    # Without ?body=, the summary answers for the user's only body; a user of several
    # bodies must choose one (400).
    "api": (LIST | {"provincial": 400, "admin": 400}, NOT_ALLOWED),
    "body-switch": (
        NOT_ALLOWED,
        dict.fromkeys(ROLES, 302) | {"other_staff": 404, "third_staff": 404},
    ),
    # A file only the staff of the current body download (the import template).
    "staff-download": (CREATE, NOT_ALLOWED | {"official": 403, "provincial": 403}),
    # A printed document of one record (HTML; its PDF is checked in tests/lkks).
    "report": (READ, NOT_ALLOWED | {"other_staff": {404, 405}}),
    # Numbering the annual report of body A (POST only).
    "annual-number": (
        NOT_ALLOWED,
        {"anonymous": 302, "staff": 302, "other_staff": 404, "official": 403}
        | {"provincial": 403, "admin": 302},
    ),
}
# Body A's visit to body B is one record of both: body B's staff read and change it as
# body A's do; a third body's staff find nothing (404).
BOTH_SIDES = {"other_staff": 200, "third_staff": 404}
EXPECTED |= {
    "visit-detail": (READ | BOTH_SIDES, NOT_ALLOWED | {"third_staff": {404, 405}}),
    "visit-child": (CHANGE | BOTH_SIDES, CHANGE | BOTH_SIDES),
    "visit-edit": (CHANGE | BOTH_SIDES, CHANGE | BOTH_SIDES),
    "visit-delete": (
        CHANGE | BOTH_SIDES,
        CHANGE | BOTH_SIDES | {"staff": {200, 302}, "other_staff": {200, 302}, "admin": {200, 302}},
    ),
    # A follow-up of body A: body B reads it on the visit's page but does not change it.
    "own-follow-up": (
        CHANGE | {"other_staff": 403, "third_staff": 404},
        CHANGE | {"other_staff": 403, "third_staff": 404},
    ),
    "own-follow-up-delete": (
        CHANGE | {"other_staff": 403, "third_staff": 404},
        CHANGE | {"staff": {200, 302}, "other_staff": 403, "admin": {200, 302}, "third_staff": 404},
    ),
    # Numbering a side's report (POST only): each side's staff number their own.
    "visit-number": (
        NOT_ALLOWED,
        CHANGE | {"staff": 302, "other_staff": 302, "admin": 302, "third_staff": 404},
    ),
}
# The staff's verification desk (members/review_views.py).
STAFF_ACTION = {
    "anonymous": 302,
    "staff": 302,
    "other_staff": 404,
    "official": 403,
    "provincial": 403,
    "admin": 302,
}
EXPECTED |= {
    # Staff's work: the current body's queue (officials 403).
    "staff-page": (CREATE, NOT_ALLOWED),
    # An application: its readers see it, its staff decide it (an empty POST re-shows
    # the form).
    "application": (READ, CHANGE),
    # Disabling, enabling, inviting again (POST only).
    "staff-action": (NOT_ALLOWED, STAFF_ACTION),
}
# The LKS portal: only the people of an LKS (403 for everybody else, the admin too);
# a record of another LKS is a 404.
PORTAL = {"anonymous": 302, "other_staff": 403, "lks": 200, "other_lks": 200}
OWN_RECORD = PORTAL | {"other_lks": 404}
EXPECTED |= {
    "portal-page": (PORTAL, NOT_ALLOWED),
    "portal-form": (PORTAL, PORTAL),  # an empty POST re-shows the form with errors
    # A form whose every field may be empty: an empty POST saves and comes back.
    "portal-save": (PORTAL, PORTAL | {"lks": 302, "other_lks": 302}),
    # A draft of LKS 1: saving its (empty) checklist goes back to it.
    "portal-record": (OWN_RECORD, OWN_RECORD | {"lks": 302}),
    "portal-file": (OWN_RECORD, NOT_ALLOWED),
}
# The annual report's PDF of body A (POST only): every reader of the body starts its
# job and is sent to the job's page.
EXPECTED["annual-pdf"] = (
    NOT_ALLOWED,
    dict.fromkeys(["anonymous", "staff", "official", "provincial", "admin"], 302)
    | {"other_staff": 404},
)
POST_DATA = {
    "annual-number": {"body": "kampar", "year": "2024"},
    "annual-pdf": {"body": "kampar", "year": "2024"},
}

# URL name → (kind, the record of body A it is about, or None)
URLS = {
    "home": ("home", None),
    "due-list": ("list", None),
    "due-export": ("list", None),
    "report-list": ("list", None),
    "compare": ("compare", None),
    "compare-export": ("compare", None),
    "api-summary": ("api", None),
    "body-switch": ("body-switch", None),
    "file": ("file", "registration"),
    "members:organisation-list": ("list", None),
    "members:organisation-create": ("create", None),
    "members:organisation-export": ("list", None),
    "members:organisation-import": ("create", None),  # upload and confirm: staff only
    "members:organisation-import-template": ("staff-download", None),
    "members:organisation-detail": ("detail", "organisation"),
    "members:organisation-update": ("edit", "organisation"),
    "members:organisation-delete": ("delete", "organisation"),
    "members:registration-create": ("child", "organisation"),
    "members:registration-update": ("edit", "registration"),
    "members:registration-delete": ("delete", "registration"),
    "members:accreditation-create": ("child", "organisation"),
    "members:accreditation-update": ("edit", "accreditation"),
    "members:accreditation-delete": ("delete", "accreditation"),
    "members:document-create": ("child", "organisation"),
    "members:document-update": ("edit", "document"),
    "members:document-delete": ("delete", "document"),
    "members:mentoring-create": ("child", "organisation"),
    "members:mentoring-update": ("edit", "mentoring"),
    "members:mentoring-delete": ("delete", "mentoring"),
    "programs:program-list": ("list", None),
    "programs:program-export": ("list", None),
    "programs:program-create": ("create", None),
    "programs:program-detail": ("detail", "program"),
    "programs:program-update": ("edit", "program"),
    "programs:program-delete": ("delete", "program"),
    "programs:activity-list": ("list", None),
    "programs:activity-export": ("list", None),
    "programs:activity-create": ("child", "program"),
    "programs:activity-detail": ("detail", "activity"),
    "programs:activity-update": ("edit", "activity"),
    "programs:activity-delete": ("delete", "activity"),
    "programs:photo-create": ("child", "activity"),
    "programs:photo-delete": ("delete", "photo"),
    "grants:funder-list": ("list", None),
    "grants:funder-export": ("list", None),
    "grants:funder-create": ("create", None),
    "grants:funder-update": ("edit", "funder"),
    "grants:funder-delete": ("delete", "funder"),
    "grants:grant-list": ("list", None),
    "grants:grant-export": ("list", None),
    "grants:grant-create": ("create", None),
    "grants:grant-detail": ("detail", "grant"),
    "grants:grant-update": ("edit", "grant"),
    "grants:grant-delete": ("delete", "grant"),
    "grants:allocation-create": ("child", "grant"),
    "grants:allocation-update": ("edit", "allocation"),
    "grants:allocation-delete": ("delete", "allocation"),
    "grants:disbursement-create": ("child", "grant"),
    "grants:disbursement-update": ("edit", "disbursement"),
    "grants:disbursement-delete": ("delete", "disbursement"),
    "grants:expenditure-list": ("list", None),
    "grants:expenditure-export": ("list", None),
    "grants:expenditure-create": ("child", "grant"),
    "grants:expenditure-update": ("edit", "expenditure"),
    "grants:expenditure-delete": ("delete", "expenditure"),
    "grants:agreement-create": ("child", "proposal"),
    "grants:agreement-update": ("edit", "agreement"),
    "grants:agreement-delete": ("delete", "agreement"),
    "grants:budget-line-create": ("child", "grant"),
    "grants:budget-line-update": ("edit", "budget_line"),
    "grants:budget-line-delete": ("delete", "budget_line"),
    "grants:return-create": ("child", "grant"),
    "grants:return-update": ("edit", "remainder_return"),
    "grants:return-delete": ("delete", "remainder_return"),
    "grants:lpj-submission-create": ("child", "grant"),
    "grants:lpj-submission-update": ("edit", "lpj_submission"),
    "grants:lpj-submission-delete": ("delete", "lpj_submission"),
    "grants:lpj-review": ("edit", "lpj_submission"),
    "report-annual": ("list", None),  # the current body's, for every reader
    "report-lpj": ("report", "grant"),
    "recommendation-create": ("child", "organisation"),
    "recommendation-detail": ("report", "recommendation"),
    "report-annual-number": ("annual-number", None),
    "report-annual-pdf": ("annual-pdf", None),
    # The body's own pages: the current body's profile, officers and letters.
    "body-profile": ("list", None),
    "body-edit": ("create", None),
    "officer-list": ("list", None),
    "officer-create": ("create", None),
    "officer-update": ("edit", "officer"),
    "officer-delete": ("delete", "officer"),
    "decree-create": ("create", None),
    "decree-update": ("edit", "decree"),
    "letter-list": ("list", None),
    "letter-export": ("list", None),
    "letter-create": ("create", None),
    "letter-update": ("edit", "letter"),
    "visits:visit-list": ("list", None),
    "visits:visit-create": ("create", None),
    "visits:visit-detail": ("visit-detail", "visit"),
    "visits:visit-update": ("visit-edit", "visit"),
    "visits:visit-delete": ("visit-delete", "visit"),
    "visits:visit-report": ("visit-detail", "visit"),
    "visits:visit-report-number": ("visit-number", "visit"),
    "visits:delegate-create": ("visit-child", "visit"),
    "visits:delegate-update": ("visit-edit", "delegate"),
    "visits:delegate-delete": ("visit-delete", "delegate"),
    "visits:followup-create": ("visit-child", "visit"),
    "visits:followup-update": ("own-follow-up", "follow_up"),
    "visits:followup-delete": ("own-follow-up-delete", "follow_up"),
    "visits:photo-create": ("visit-child", "visit"),
    "visits:photo-delete": ("visit-delete", "visit_photo"),
    # The verification desk (issue #13).
    "members:review-queue": ("staff-page", None),
    "members:change-decide": ("edit", "change"),
    "members:document-check": ("edit", "awaiting_document"),
    "members:application-list": ("list", None),
    "members:application-detail": ("application", "application"),
    "members:account-create": ("child", "organisation"),
    "members:account-disable": ("staff-action", "account"),
    "members:account-enable": ("staff-action", "account"),
    "members:account-invite-again": ("staff-action", "account"),
    # The portal of LKS 1 of body A.
    "portal:home": ("portal-page", None),
    "portal:profile": ("portal-form", None),
    "portal:document-list": ("portal-page", None),
    "portal:document-create": ("portal-form", None),
    "portal:application-list": ("portal-page", None),
    "portal:application-create": ("portal-form", None),
    "portal:application-detail": ("portal-record", "draft"),
    "portal:readiness": ("portal-save", None),
    "portal:file": ("portal-file", "registration"),
}


def expected_for(kind, method, role):
    expected = EXPECTED[kind][0 if method == "GET" else 1]
    if role in LKS_ROLES and not kind.startswith("portal"):
        # Outside their portal the people of an LKS are refused everywhere (or told
        # the method is not allowed); the home page sends them to their portal.
        if kind == "home" and method == "GET":
            return 302
        return {403, 404, 405} if expected["staff"] == 405 else {403, 404}
    return expected.get(role, expected["other_staff"])


def _own_app(resolver):
    """Whether URLs included without a namespace come from one of the project's apps
    (not from Django's, such as the auth pages)."""
    module = resolver.urlconf_module
    return resolver.namespace is None and module.__name__.split(".")[0] in OWN_APPS


def url_names():
    """Every named URL of the project's own apps: the root-level ones (lkks, and those
    apps include without a namespace) and those of the app namespaces."""
    names = set()
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLPattern) and entry.name:
            names.add(entry.name)
        elif isinstance(entry, URLResolver) and entry.namespace in APPS:
            names.update(
                f"{entry.namespace}:{pattern.name}"
                for pattern in entry.url_patterns
                if pattern.name
            )
        elif isinstance(entry, URLResolver) and _own_app(entry):
            names.update(pattern.name for pattern in entry.url_patterns if pattern.name)
    return names - LKKS_URLS_OUTSIDE_THE_MATRIX


def test_every_url_is_in_the_matrix():
    assert url_names() == set(URLS)


@pytest.fixture
def world(db):
    """Body A (Kampar) with one record of every kind; body B (Sleman) with its own LKS;
    a user for every role."""
    body_a = BodyFactory(name="LKKS Kabupaten Kampar", slug="kampar", regency=region(KAMPAR))
    body_b = BodyFactory(name="LKKS Kabupaten Sleman", slug="sleman", regency=region(SLEMAN))
    OrganisationFactory(body=body_b)
    organisation = OrganisationFactory(body=body_a)
    registration = RegistrationFactory(organisation=organisation)
    registration.document.save("scan.pdf", ContentFile(PDF))
    program = ProgramFactory(body=body_a)
    activity = ActivityFactory(program=program)
    grant = GrantFactory(funder=FunderFactory(body=body_a))
    visit = StudyVisitFactory(visiting_body=body_a, host_body=body_b)
    records = {
        "organisation": organisation,
        "registration": registration,
        "accreditation": AccreditationFactory(organisation=organisation),
        "document": LegalDocumentFactory(organisation=organisation),
        "mentoring": MentoringFactory(organisation=organisation),
        "program": program,
        "activity": activity,
        "photo": ActivityPhotoFactory(activity=activity),
        "funder": FunderFactory(body=body_a),  # a funder without grants can be deleted
        "grant": grant,
        "allocation": AllocationFactory(grant=grant, activity=activity),
        "disbursement": DisbursementFactory(grant=grant),
        "expenditure": ExpenditureFactory(grant=grant, activity=activity),
        "proposal": GrantFactory(funder=grant.funder, proposed=True),
        "agreement": grant.agreement,
        "budget_line": BudgetLineFactory(grant=grant),
        "remainder_return": RemainderReturnFactory(grant=grant),
        "lpj_submission": LpjSubmissionFactory(grant=grant),
        "recommendation": recommendation_issue(
            organisation=organisation, date=datetime.date(2024, 5, 1)
        ),
        "officer": OfficerFactory(decree__body=body_a),
        "decree": DecreeFactory(body=body_a),
        "letter": issue_letter(
            body=body_a, kind="UND", on=datetime.date(2024, 5, 2), subject="Undangan", by=None
        ),
        "visit": visit,
        "delegate": DelegateFactory(visit=visit),
        "follow_up": FollowUpFactory(visit=visit, body=body_a),
        "visit_photo": VisitPhotoFactory(visit=visit),
        "change": ProfileChangeFactory(organisation=organisation),
        "awaiting_document": UploadedDocumentFactory(organisation=organisation),
        "application": ApplicationFactory(
            organisation=organisation,
            status=Application.Status.SUBMITTED,
            submitted_on=datetime.date(2024, 9, 2),
        ),
        "draft": ApplicationFactory(
            organisation=organisation, kind=Application.Kind.RECOMMENDATION, purpose="Hibah"
        ),
    }
    body_c = BodyFactory(name="LKKS Ketiga", slug="ketiga", regency=region(KAMPAR))
    # So that the other bodies' staff open the officer form too.
    DecreeFactory(body=body_b)
    DecreeFactory(body=body_c)
    users = {
        "anonymous": None,
        "staff": MembershipFactory(body=body_a, role=Membership.Role.STAFF).user,
        "other_staff": MembershipFactory(body=body_b, role=Membership.Role.STAFF).user,
        "official": MembershipFactory(body=body_a, role=Membership.Role.OFFICIAL).user,
        "provincial": MembershipFactory(body=body_a, role=Membership.Role.OFFICIAL).user,
        "admin": UserFactory(is_superuser=True, is_staff=True),
        "third_staff": MembershipFactory(body=body_c, role=Membership.Role.STAFF).user,
        "lks": LksAccountFactory(organisation=organisation).user,
        "other_lks": LksAccountFactory(organisation=OrganisationFactory(body=body_a)).user,
    }
    records["account"] = users["lks"].lks_account
    MembershipFactory(user=users["provincial"], body=body_b, role=Membership.Role.OFFICIAL)
    return {"body": body_a, "records": records, "users": users}


def url_for(name, world):
    _kind, record = URLS[name]
    if name in ("file", "portal:file"):
        return reverse(name, args=["registration-document", world["records"][record].pk])
    if record is None:
        return reverse(name)
    return reverse(name, kwargs={"pk": world["records"][record].pk})


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", sorted(URLS))
def test_permission_matrix(client, world, name, method):
    kind, _record = URLS[name]
    url = url_for(name, world)
    data = {"body": world["body"].slug} if kind == "body-switch" else POST_DATA.get(kind, {})
    answers = {}
    for role in ROLES:
        client.logout()
        if world["users"][role] is not None:
            client.force_login(world["users"][role])
        with transaction.atomic():
            response = client.get(url) if method == "GET" else client.post(url, data)
            transaction.set_rollback(True)  # a POST that deleted something is undone
        answers[role] = response.status_code
        if role == "anonymous" and response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/")
    wanted = {role: expected_for(kind, method, role) for role in ROLES}
    mismatches = {
        role: (answers[role], wanted[role])
        for role in ROLES
        if answers[role] not in (wanted[role] if isinstance(wanted[role], set) else {wanted[role]})
    }
    assert not mismatches, f"{method} {url}: role → (got, expected) {mismatches}"
