"""Class-based views that every record page is made of.

They differ from Django's generic views in one thing: what a user may read or change
is always asked of the model's scoping methods (lkks.access), never filtered by hand.
"""

import inspect

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.http import HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DeleteView, DetailView, UpdateView
from django_filters.views import FilterView

from lkks import access
from lkks.history import history_rows

VERSION_FIELD = "version"


def breadcrumbs(*trail):
    """The breadcrumbs of a page, from the top down (after Home), as the base template
    shows them: (label, url) pairs.

    Each step is a (label, url) pair, a record (its name, linked to its page), or a
    label alone. The last step is the page itself and is never linked.
    """
    steps = []
    for step in trail:
        if isinstance(step, tuple):
            steps.append(step)
        elif hasattr(step, "get_absolute_url"):
            steps.append((str(step), step.get_absolute_url()))
        else:
            steps.append((step, None))
    if steps:
        steps[-1] = (steps[-1][0], None)
    return steps


def add_errors(form, error):
    """Put a service's ValidationError on the form: on the field it names when the form
    has that field, otherwise above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)


class ScopedMixin:
    """The queryset of records the user may read, with what the page needs joined."""

    model = None
    select_related = ()
    prefetch_related = ()

    def scoped_queryset(self):
        queryset = self.model.objects.for_user(self.request.user)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return queryset

    def get_queryset(self):
        return self.scoped_queryset()

    def get_breadcrumbs(self):
        """The steps of the page's breadcrumbs (see ``breadcrumbs``)."""
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = breadcrumbs(*self.get_breadcrumbs())
        return context


class SummingPaginator(Paginator):
    """Django's paginator that counts the list and sums its ``sum_fields`` (``sums``, as
    a list's footer shows them) in one query instead of two."""

    def __init__(self, *args, sum_fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sum_fields = sum_fields

    @cached_property
    def _counted(self):
        found = self.object_list.order_by().aggregate(
            # The sums get aliases of their own: one named like an annotation replaces it.
            rows=Count("pk"),
            **{f"sum_{field}": Sum(field) for field in self.sum_fields},
        )
        return found["rows"], {field: found[f"sum_{field}"] or 0 for field in self.sum_fields}

    @cached_property
    def count(self):
        return self._counted[0]

    @property
    def sums(self):
        return self._counted[1]


class RecordListView(ScopedMixin, FilterView):
    """A list of the current body's records, filtered, sorted and paginated."""

    paginate_by = 25
    paginator_class = SummingPaginator
    template_name_suffix = "_list"
    # Fields summed over the whole filtered list, not only its page: context["totals"].
    sum_fields = ()

    def get_paginator(self, queryset, per_page, **kwargs):
        return super().get_paginator(queryset, per_page, sum_fields=self.sum_fields, **kwargs)

    def get_queryset(self):
        body = access.reading_body(self.request)
        return self.scoped_queryset().for_body(body)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        body = access.current_body(self.request)
        context["can_create"] = access.can_edit_body(self.request.user, body)
        # The list's filters, kept by its pagination and its export links.
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        if self.sum_fields:
            context["totals"] = context["paginator"].sums
        return context


class RecordDetailView(ScopedMixin, DetailView):
    """One record the user may read (404 otherwise), with its change history."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = access.is_editable(self.object, self.request.user)
        context["history"] = history_rows(self.object)
        return context


class SavingFormMixin:
    """Saves through a service and shows its refusals on the form.

    A page declares its form and the service of its app that saves the record:
    ``form_class`` and ``save_service`` (e.g. ``services.registration_save``). Services
    take keyword arguments, the record they save first (``registration=``,
    ``document=``): the service gets the form's record by that first keyword, and the
    cleaned ``save_fields`` of the form by their own names (e.g. the ``target_groups``
    of an LKS). A service that wants anything else is called from an overridden
    ``save``.
    """

    template_name = "lkks/record_form.html"
    save_service = None
    save_fields = ()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def save(self, form):
        # Taken from the class, so that a plain function is not bound as a method.
        service = type(self).save_service
        record = next(iter(inspect.signature(service).parameters))
        fields = {name: form.cleaned_data[name] for name in self.save_fields}
        return service(**{record: form.instance}, **fields)

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.object = self.save(form)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.get_success_url())


class RecordCreateView(SavingFormMixin, ScopedMixin, CreateView):
    """A new record of the current body: only its staff (or the admin) may add one."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.body = access.body_for_new_record(request)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["body"] = self.body
        return kwargs


class ChildCreateView(SavingFormMixin, ScopedMixin, CreateView):
    """A new record under a parent the user may change (e.g. a registration of an LKS).

    ``parent_model`` is looked up by the URL's ``pk`` through its scoping methods and
    set on the new record as ``parent_field``.
    """

    parent_model = None
    parent_field = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.parent = access.get_editable(
                self.parent_model.objects, request.user, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.model(**{self.parent_field: self.parent})
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["parent"] = self.parent
        return context

    def get_success_url(self):
        return self.parent.get_absolute_url()


class RecordUpdateView(SavingFormMixin, ScopedMixin, UpdateView):
    """Edit a record the user may change. The form carries the version it was opened at;
    if the record changed since, the save is refused and the newer values shown."""

    def get_object(self, queryset=None):
        return access.get_editable(self.get_queryset(), self.request.user, pk=self.kwargs["pk"])

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields[VERSION_FIELD] = forms.CharField(
            widget=forms.HiddenInput, initial=self.object.updated_at.isoformat()
        )
        return form

    def form_valid(self, form):
        with transaction.atomic():
            current = self.model.objects.select_for_update().get(pk=self.object.pk)
            if form.cleaned_data[VERSION_FIELD] != current.updated_at.isoformat():
                return self.conflict(form, current)
            return super().form_valid(form)

    def conflict(self, form, current):
        newer = []
        for name, field in form.fields.items():
            if name == VERSION_FIELD or not hasattr(current, name):
                continue
            value = getattr(current, name)
            if hasattr(value, "all"):  # a many-to-many manager
                continue
            display = getattr(current, f"get_{name}_display", lambda v=value: v)()
            if form.initial.get(name) != form.cleaned_data.get(name):
                newer.append(f"{field.label}: {display if display not in (None, '') else '–'}")
        form.add_error(
            None,
            _(
                "Someone else saved this record after you opened it, so nothing was saved. "
                "The values saved now are: %(values)s. Check them, then save again to "
                "replace them with yours."
            )
            % {"values": "; ".join(newer) or _("(no visible difference)")},
        )
        form.data = form.data.copy()
        form.data[VERSION_FIELD] = current.updated_at.isoformat()
        return self.form_invalid(form)


class RecordDeleteView(ScopedMixin, DeleteView):
    """Delete after confirmation; what money or history depends on is refused, saying why."""

    template_name = "lkks/record_confirm_delete.html"
    success_message = None

    def get_object(self, queryset=None):
        return access.get_editable(self.get_queryset(), self.request.user, pk=self.kwargs["pk"])

    def blockers(self):
        collector = Collector(using="default")
        try:
            collector.collect([self.object])
        except (ProtectedError, RestrictedError) as error:
            return list(getattr(error, "protected_objects", None) or error.restricted_objects)
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        blockers = self.blockers()
        context["blockers"] = blockers[:10]
        context["blocker_count"] = len(blockers)
        return context

    def delete_record(self):
        """Delete through a service where a rule guards the deletion."""
        self.object.delete()

    def form_valid(self, form):
        if self.blockers():
            return self.render_to_response(self.get_context_data())
        try:
            with transaction.atomic():
                self.delete_record()
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return self.render_to_response(self.get_context_data())
        messages.success(self.request, _("Deleted."))
        return HttpResponseRedirect(self.get_success_url())


def record_views(bases, model, form_class, save_service, **create_attributes):
    """The create, update and delete views of one kind of record, in one declaration::

        RegistrationCreate, RegistrationUpdate, RegistrationDelete = record_views(
            LKS_VIEWS, Registration, RegistrationForm, registration_save
        )

    ``bases`` are an app's three views for the records of one parent (create, update,
    delete: the parent in the breadcrumbs, back to its page); the record brings its
    model, its form and the service that saves it (see ``SavingFormMixin``), and
    ``create_attributes`` what only its create page needs, such as its breadcrumb.
    The delete view takes the model alone: its form is Django's confirmation.
    """
    create, update, delete = bases
    saving = {"model": model, "form_class": form_class, "save_service": save_service}

    def view(base, action, attributes):
        name = f"{model.__name__}{action}"
        # Named as if declared in the app's views module, not in this one.
        attributes = {"__module__": base.__module__, "__qualname__": name, **attributes}
        return type(name, (base,), attributes)

    return (
        view(create, "Create", saving | create_attributes),
        view(update, "Update", saving),
        view(delete, "Delete", {"model": model}),
    )
