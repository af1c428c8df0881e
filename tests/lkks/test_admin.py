"""The one shared admin: every registered model's pages render for the superuser."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.urls import reverse

from jobs.models import Job
from lkks.letters import issue_letter
from lkks.models import Body, LetterCounter, Membership, Region, SecurityEvent, User
from members.models import ImportMapping, TargetGroup
from members.services import recommendation_issue
from overview.models import ReminderSent
from tests import factories
from tests.jobs.tasks import count_to

pytestmark = pytest.mark.django_db


def a_grant_with_everything():
    """A grant (with its agreement and budget) allocated to an activity with a photo,
    disbursed, spent from, accounted for and its remainder returned."""
    allocation = factories.AllocationFactory()
    line = factories.BudgetLineFactory(grant=allocation.grant)
    factories.DisbursementFactory(grant=allocation.grant)
    factories.ExpenditureFactory(
        grant=allocation.grant, activity=allocation.activity, budget_line=line
    )
    factories.ActivityPhotoFactory(activity=allocation.activity)
    factories.LpjSubmissionFactory(grant=allocation.grant)
    factories.RemainderReturnFactory(grant=allocation.grant)
    return allocation


def an_lks_with_everything():
    """An LKS with one record of each kind of its history."""
    registration = factories.RegistrationFactory()
    lks = registration.organisation
    factories.AccreditationFactory(organisation=lks)
    factories.LegalDocumentFactory(organisation=lks)
    factories.MentoringFactory(organisation=lks)
    factories.MembershipFactory(body=lks.body)
    return lks


# One way to have an object of each registered model; the lists of regions and target
# groups come from migrations.
OBJECTS = {
    "auth.Group": lambda: factories.GroupFactory(),
    "lkks.User": lambda: User.objects.get(username="admin"),
    "lkks.Body": lambda: Body.objects.first(),
    "lkks.Membership": lambda: Membership.objects.first(),
    "lkks.Region": lambda: Region.objects.get(code="34.04.15"),
    "members.TargetGroup": lambda: TargetGroup.objects.first(),
    "lkks.SecurityEvent": lambda: SecurityEvent.objects.create(kind="login", username="admin"),
    "axes.AccessAttempt": lambda: AccessAttempt.objects.create(
        username="admin", ip_address="192.0.2.1", failures_since_start=1
    ),
}
# Logs that nobody adds to or edits in the admin (lkks/security.py writes them).
READ_ONLY = {"lkks.SecurityEvent", "axes.AccessAttempt"}
# Numbered letters are issued only through their service; the reminder log is written
# by send_reminders.
READ_ONLY |= {"members.Recommendation", "overview.ReminderSent"}
OBJECTS["members.Recommendation"] = lambda: recommendation_issue(
    organisation=factories.OrganisationFactory(), date=datetime.date(2024, 5, 1)
)
# The letter register gives numbers only through its service; its counters are read only.
READ_ONLY |= {"lkks.Letter", "lkks.LetterCounter"}
OBJECTS["lkks.Letter"] = lambda: issue_letter(
    body=factories.BodyFactory(),
    kind="UND",
    on=datetime.date(2024, 5, 1),
    subject="Undangan rapat",
    by=None,
)


def a_letter_counter():
    letter = OBJECTS["lkks.Letter"]()
    return LetterCounter.objects.get(body=letter.body, year=letter.year)


OBJECTS["lkks.LetterCounter"] = a_letter_counter
OBJECTS["lkks.Decree"] = lambda: factories.DecreeFactory()
OBJECTS["lkks.Officer"] = lambda: factories.OfficerFactory()
# Jobs are started by the pages and run by the worker: read only.
READ_ONLY |= {"jobs.Job"}
OBJECTS["jobs.Job"] = lambda: Job.objects.create(
    user=User.objects.get(username="admin"),
    title="Ekspor LKS",
    task_path="tests.jobs.tasks.count_to",
    status=Job.Status.FAILED,
    task_result_id=str(count_to.enqueue("x").id),
)
# A follow-up belongs to the side of the staff who adds it, and a photo is turned and
# thumbnailed on the staff pages: both are only added there.
READ_ONLY |= {"visits.FollowUp", "visits.VisitPhoto"}
OBJECTS["visits.StudyVisit"] = lambda: factories.StudyVisitFactory()
OBJECTS["visits.Delegate"] = lambda: factories.DelegateFactory()
OBJECTS["visits.FollowUp"] = lambda: factories.FollowUpFactory()
OBJECTS["visits.VisitPhoto"] = lambda: factories.VisitPhotoFactory()
# The LKS portal: accounts are invited from the LKS's page (the invitation emails the
# link that sets a password); applications, proposals, their documents and readiness
# answers are made in the portal and decided on the verification desk.
READ_ONLY |= {
    "members.LksAccount",
    "members.Application",
    "members.ApplicationDocument",
    "members.ProfileChange",
    "members.ProposedChange",
    "members.ReadinessAnswer",
}
OBJECTS["members.LksAccount"] = lambda: factories.LksAccountFactory()
OBJECTS["members.Application"] = lambda: factories.ApplicationFactory()
OBJECTS["members.ProfileChange"] = lambda: factories.ProfileChangeFactory()
OBJECTS["members.ProposedChange"] = lambda: factories.ProposedChangeFactory()


def an_attached_document():
    from members.applications import ApplicationDocument, ChecklistItem

    application = factories.ApplicationFactory()
    item = ChecklistItem.objects.filter(kind=application.kind).first()
    document = factories.UploadedDocumentFactory(
        organisation=application.organisation, kind=item.document_kind
    )
    return ApplicationDocument.objects.create(application=application, item=item, document=document)


def a_readiness_answer():
    from members.reviews import ReadinessAnswer, ReadinessItem

    document = factories.UploadedDocumentFactory()
    return ReadinessAnswer.objects.create(
        organisation=document.organisation,
        item=ReadinessItem.objects.first(),
        document=document,
        answered_by=factories.UserFactory(),
    )


OBJECTS["members.ApplicationDocument"] = an_attached_document
OBJECTS["members.ReadinessAnswer"] = a_readiness_answer
OBJECTS["members.ImportMapping"] = lambda: ImportMapping.objects.create(
    body=factories.BodyFactory(),
    name="Register Dinas Sosial",
    shape="0" * 64,
    columns=[{"title": "Nama Lembaga", "field": "name"}],
)
OBJECTS["overview.ReminderSent"] = lambda: ReminderSent.objects.create(
    body=factories.BodyFactory(),
    kind=ReminderSent.Kind.REGISTRATION,
    item="members.registration:1",
    due_on=datetime.date(2024, 12, 31),
    threshold="90",
    sent_on=datetime.date(2024, 10, 2),
)


@pytest.fixture
def everything(admin_user):
    an_lks_with_everything()
    a_grant_with_everything()


def registered_models():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def one_object(model):
    if model._meta.label in OBJECTS:
        return OBJECTS[model._meta.label]()
    return model.objects.order_by("pk").first()


@pytest.mark.parametrize("model", registered_models(), ids=lambda model: model._meta.label)
def test_admin_changelist_add_and_change_pages_render_for_the_superuser(
    model, everything, admin_client
):
    instance = one_object(model)
    assert instance is not None, f"no {model._meta.label} to show"

    changelist = admin_client.get(admin_url(model, "changelist"))
    add = admin_client.get(admin_url(model, "add"))
    change = admin_client.get(admin_url(model, "change", quote(instance.pk)))

    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count >= 1
    assert add.status_code == (403 if model._meta.label in READ_ONLY else 200)
    assert change.status_code == 200
    assert change.context["original"] == instance


@pytest.mark.parametrize("model", registered_models(), ids=lambda model: model._meta.label)
def test_admin_changelist_search_and_filters_render(model, everything, admin_client):
    model_admin = admin.site._registry[model]
    url = admin_url(model, "changelist")

    searched = admin_client.get(url, {"q": "contoh"}) if model_admin.search_fields else None
    response = admin_client.get(url)

    assert response.status_code == 200
    if searched is not None:
        assert searched.status_code == 200
    for spec in response.context["cl"].filter_specs:
        # "All" comes first; the last choice is a real one (or "empty"): enough to
        # prove the filter's query runs.
        query = list(spec.choices(response.context["cl"]))[-1]["query_string"]
        assert admin_client.get(url + query).status_code == 200, query


def test_body_changelist_queries_do_not_grow_with_rows(assert_changelist_queries_constant):
    assert_changelist_queries_constant(Body, factories.BodyFactory.create_batch)


def test_membership_changelist_queries_do_not_grow_with_rows(
    assert_changelist_queries_constant,
):
    assert_changelist_queries_constant(Membership, factories.MembershipFactory.create_batch)


def test_user_changelist_queries_do_not_grow_with_rows(admin_user, changelist_queries):
    """The superuser is one of the rows."""
    factories.MembershipFactory.create_batch(4)
    with_5 = changelist_queries(User, rows=5)
    factories.MembershipFactory.create_batch(45)

    assert changelist_queries(User, rows=50) == with_5


def test_admin_index_is_titled_si_lkks_and_speaks_indonesian(admin_client):
    response = admin_client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    assert "SI-LKKS" in response.text


def test_every_project_model_is_registered_in_the_admin():
    ours = {
        model
        for label in ["lkks", "members", "programs", "grants", "visits"]
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")  # shown through their record
    }

    assert ours <= set(admin.site._registry)


def test_admin_autocomplete_of_regions_finds_turi(admin_client):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "members",
            "model_name": "organisation",
            "field_name": "district",
            "term": "Turi",
        },
    )

    assert response.status_code == 200
    assert "34.04.15" in {row["id"] for row in response.json()["results"]}
