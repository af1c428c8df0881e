"""The pages of study visits: the list, one visit with its delegations, follow-ups and
photos, and their forms. A visit is read and changed by either side; a follow-up is
changed only by the side that owns it."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lkks import access
from lkks.generic import (
    ChildCreateView,
    RecordCreateView,
    RecordDeleteView,
    RecordDetailView,
    RecordListView,
    RecordUpdateView,
)
from visits.filters import VisitFilter
from visits.forms import DelegateForm, FollowUpForm, StudyVisitForm, VisitPhotoForm
from visits.models import Delegate, FollowUp, StudyVisit, VisitPhoto
from visits.services import (
    delegate_save,
    follow_up_body,
    follow_up_save,
    photo_add,
    report_reference,
    visit_delete,
    visit_save,
)

VISITS = _("Study visits")


def visit_crumbs(visit=None):
    crumbs = [(VISITS, reverse("visits:visit-list"))]
    if visit is not None:
        crumbs.append((str(visit), visit.get_absolute_url()))
    return crumbs


class VisitListView(RecordListView):
    """The visits of the body the user works in, made or received."""

    model = StudyVisit
    filterset_class = VisitFilter
    select_related = ("visiting_body", "host_body")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(
                open_follow_ups=Count("follow_ups", filter=Q(follow_ups__status__in=FollowUp.OPEN))
            )
            # An aggregate drops the model's ordering: the newest first, as everywhere.
            .order_by("-date", "-pk")
        )

    def get_breadcrumbs(self):
        return [(VISITS, None)]


class VisitDetailView(RecordDetailView):
    model = StudyVisit
    select_related = ("visiting_body__regency", "host_body__regency")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visit = self.object
        user = self.request.user
        staff_of = {body.pk for body in visit.sides if access.can_edit_body(user, body)}
        delegates = list(visit.delegates.all())
        follow_ups = list(visit.follow_ups.select_related("body"))
        today = timezone.localdate()
        for follow_up in follow_ups:
            follow_up.can_edit = follow_up.body_id in staff_of
            follow_up.overdue = follow_up.is_overdue(today)
        readable = {body.pk for body in access.user_bodies(self.request)}
        context.update(
            {
                "visiting_delegates": [d for d in delegates if d.side == Delegate.Side.VISITING],
                "host_delegates": [d for d in delegates if d.side == Delegate.Side.HOST],
                "follow_ups": follow_ups,
                "photos": list(visit.photos.all()),
                "report_sides": [
                    body for body in visit.sides if body.pk in readable or user.is_superuser
                ],
                "can_add_follow_up": bool(staff_of),
                "report_reference": report_reference(visit),
            }
        )
        return context

    def get_breadcrumbs(self):
        return [(VISITS, reverse("visits:visit-list")), (str(self.object), None)]


class VisitCreateView(RecordCreateView):
    model = StudyVisit
    form_class = StudyVisitForm

    def save(self, form):
        return visit_save(visit=form.instance, by=self.request.user)

    def get_breadcrumbs(self):
        return [*visit_crumbs(), (_("New study visit"), None)]


class VisitUpdateView(RecordUpdateView):
    model = StudyVisit
    form_class = StudyVisitForm
    select_related = ("visiting_body", "host_body")

    def save(self, form):
        return visit_save(visit=form.instance, by=self.request.user)

    def get_breadcrumbs(self):
        return [*visit_crumbs(self.object), (_("Edit"), None)]


class VisitDeleteView(RecordDeleteView):
    model = StudyVisit
    select_related = ("visiting_body", "host_body")

    def delete_record(self):
        visit_delete(visit=self.object, by=self.request.user)

    def get_success_url(self):
        return reverse("visits:visit-list")

    def get_breadcrumbs(self):
        return [*visit_crumbs(self.object), (_("Delete"), None)]


# The parts of a visit


class VisitPartMixin:
    """A page of one part of a visit (a delegate, a follow-up, a photo)."""

    parent_model = StudyVisit
    parent_field = "visit"

    def visit(self):
        return self.parent if hasattr(self, "parent") else self.object.visit

    def get_success_url(self):
        return self.visit().get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.get_success_url()
        return context

    def get_breadcrumbs(self):
        return [*visit_crumbs(self.visit()), (self.page_title, None)]


class DelegateCreateView(VisitPartMixin, ChildCreateView):
    model = Delegate
    form_class = DelegateForm
    page_title = _("New delegate")

    def get_initial(self):
        side = self.request.GET.get("side")
        return {"side": side} if side in Delegate.Side.values else {}

    def save(self, form):
        return delegate_save(delegate=form.instance, by=self.request.user)


class DelegateUpdateView(VisitPartMixin, RecordUpdateView):
    model = Delegate
    form_class = DelegateForm
    select_related = ("visit",)
    page_title = _("Edit")

    def save(self, form):
        return delegate_save(delegate=form.instance, by=self.request.user)


class DelegateDeleteView(VisitPartMixin, RecordDeleteView):
    model = Delegate
    select_related = ("visit",)
    page_title = _("Delete")


class FollowUpCreateView(VisitPartMixin, ChildCreateView):
    """A follow-up of the user's own side of the visit."""

    model = FollowUp
    form_class = FollowUpForm
    page_title = _("New follow-up action")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        body = follow_up_body(self.parent, self.request.user, access.current_body(self.request))
        if body is None:  # staff of neither side: get_editable let the admin through
            raise PermissionDenied
        kwargs["instance"].body = body
        return kwargs

    def save(self, form):
        return follow_up_save(follow_up=form.instance, by=self.request.user)


class FollowUpUpdateView(VisitPartMixin, RecordUpdateView):
    """Only the side that owns a follow-up changes it; the other side reads it (403)."""

    model = FollowUp
    form_class = FollowUpForm
    select_related = ("visit", "body")
    page_title = _("Edit")

    def save(self, form):
        return follow_up_save(follow_up=form.instance, by=self.request.user)


class FollowUpDeleteView(VisitPartMixin, RecordDeleteView):
    model = FollowUp
    select_related = ("visit", "body")
    page_title = _("Delete")


class PhotoCreateView(VisitPartMixin, ChildCreateView):
    model = VisitPhoto
    form_class = VisitPhotoForm
    page_title = _("New photo")

    def save(self, form):
        return photo_add(
            photo=form.instance, upload=form.cleaned_data["image"], by=self.request.user
        )


class PhotoDeleteView(VisitPartMixin, RecordDeleteView):
    model = VisitPhoto
    select_related = ("visit",)
    page_title = _("Delete photo")
