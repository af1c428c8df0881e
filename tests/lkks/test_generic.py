"""The pieces every record page is made of (lkks/generic.py) and the one rule of who
may change a body's records (lkks/access.py)."""

import pytest
from django import forms
from django.test import RequestFactory
from django.utils import translation

from lkks import access
from lkks.generic import RecordUpdateView, SavingFormMixin, breadcrumbs
from lkks.models import Body, Membership
from members import views
from members.forms import LegalDocumentForm
from members.models import LegalDocument
from members.services import legal_document_save
from tests.factories import LegalDocumentFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


# Breadcrumbs


def test_breadcrumbs_link_every_step_but_the_page_itself(kampar):
    organisation = OrganisationFactory(body=kampar, name="LKS Harapan")

    assert breadcrumbs(("LKS", "/members/"), organisation, "Edit") == [
        ("LKS", "/members/"),
        ("LKS Harapan", organisation.get_absolute_url()),
        ("Edit", None),
    ]


def test_the_last_breadcrumb_is_never_linked_even_a_record_or_a_pair(kampar):
    organisation = OrganisationFactory(body=kampar, name="LKS Harapan")

    assert breadcrumbs(("LKS", "/members/")) == [("LKS", None)]
    assert breadcrumbs(("LKS", "/members/"), organisation) == [
        ("LKS", "/members/"),
        ("LKS Harapan", None),
    ]
    assert breadcrumbs() == []


def test_a_page_without_breadcrumbs_of_its_own_has_none(kampar, staff):
    document = LegalDocumentFactory(organisation=OrganisationFactory(body=kampar))
    request = RequestFactory().get("/")
    request.user = staff
    view = RecordUpdateView(model=LegalDocument, request=request, kwargs={"pk": document.pk})
    view.object = document

    assert view.get_context_data(form=forms.Form())["breadcrumbs"] == []


# Saving views declared by their form and service


def test_record_views_declare_the_create_update_and_delete_pages_of_a_record():
    create, update, delete = (
        views.LegalDocumentCreate,
        views.LegalDocumentUpdate,
        views.LegalDocumentDelete,
    )

    assert [view.__name__ for view in (create, update, delete)] == [
        "LegalDocumentCreate",
        "LegalDocumentUpdate",
        "LegalDocumentDelete",
    ]
    assert {view.__module__ for view in (create, update, delete)} == {"members.views"}
    assert [view.__mro__[1] for view in (create, update, delete)] == list(views.LKS_VIEWS)
    assert {view.model for view in (create, update, delete)} == {LegalDocument}
    assert create.form_class is update.form_class is LegalDocumentForm
    assert create.save_service is update.save_service is legal_document_save
    with translation.override("en"):
        assert str(create.crumb) == "New legal document"
        assert str(update.crumb) == "Edit"
    # The delete page keeps Django's confirmation form and saves nothing.
    assert delete.form_class is forms.Form
    assert not hasattr(delete, "save_service")


def test_a_saving_view_hands_the_record_to_the_services_first_keyword(kampar):
    calls = []

    def document_keep(*, document, target_groups, by=None):
        calls.append({"document": document, "target_groups": target_groups, "by": by})
        return document

    class Keep(SavingFormMixin):
        model = LegalDocument
        save_service = document_keep
        save_fields = ("target_groups",)

    class Form:
        instance = LegalDocument(number="1")
        cleaned_data = {"target_groups": ["lansia"], "number": "1"}

    assert Keep().save(Form()) is Form.instance
    assert calls == [{"document": Form.instance, "target_groups": ["lansia"], "by": None}]


# Who may change a body's records: its staff, or the superuser


def test_staff_may_add_records_to_their_body_and_nobody_else_may(kampar, sleman, member):
    staff = member(kampar)
    official = member(kampar, Membership.Role.OFFICIAL)
    inactive = member(kampar)
    inactive.is_active = False
    inactive.save()
    superuser = UserFactory(is_superuser=True)

    assert access.can_edit_body(staff, kampar)
    assert access.can_edit_body(superuser, sleman)
    assert not access.can_edit_body(staff, sleman)
    assert not access.can_edit_body(official, kampar)
    assert not access.can_edit_body(inactive, kampar)
    assert not access.can_edit_body(staff, None)


def test_bodies_follow_the_same_rule_as_their_records(kampar, sleman, member):
    staff = member(kampar)
    official = member([kampar, sleman], Membership.Role.OFFICIAL)

    assert list(Body.objects.for_user(official).order_by("slug")) == [kampar, sleman]
    assert list(Body.objects.editable_by(official)) == []
    assert list(Body.objects.editable_by(staff)) == [kampar]


@pytest.mark.django_db
def test_a_list_keeps_its_filters_in_its_pages_and_export_links(client, staff, kampar):
    OrganisationFactory.create_batch(30, body=kampar, name="Panti Turi")
    client.force_login(staff)

    page = client.get("/members/", {"q": "Turi", "page": 1}).content.decode()

    assert 'href="?q=Turi&amp;page=2"' in page
    assert "/members/export/?format=csv&amp;q=Turi" in page
