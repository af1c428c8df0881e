from django.urls import path

from grants.views import grants as views
from grants.views import records

app_name = "grants"


def record_urls(views, segment, name):
    """A record kind's pages (``records.record_views``): ``<grant>/<segment>/new/``,
    ``<segment>/<pk>/edit/`` and ``<segment>/<pk>/delete/``, named ``<name>-create``,
    ``-update`` and ``-delete``."""
    create, update, delete = views
    return [
        path(f"<int:pk>/{segment}/new/", create.as_view(), name=f"{name}-create"),
        path(f"{segment}/<int:pk>/edit/", update.as_view(), name=f"{name}-update"),
        path(f"{segment}/<int:pk>/delete/", delete.as_view(), name=f"{name}-delete"),
    ]


urlpatterns = [
    path("", views.GrantListView.as_view(), name="grant-list"),
    path("new/", views.GrantCreateView.as_view(), name="grant-create"),
    path("export/", views.GrantExportView.as_view(), name="grant-export"),
    path("<int:pk>/", views.GrantDetailView.as_view(), name="grant-detail"),
    path("<int:pk>/edit/", views.GrantUpdateView.as_view(), name="grant-update"),
    path("<int:pk>/delete/", views.GrantDeleteView.as_view(), name="grant-delete"),
    path("funders/", views.FunderListView.as_view(), name="funder-list"),
    path("funders/new/", views.FunderCreateView.as_view(), name="funder-create"),
    path("funders/export/", views.FunderExportView.as_view(), name="funder-export"),
    path("funders/<int:pk>/edit/", views.FunderUpdateView.as_view(), name="funder-update"),
    path("funders/<int:pk>/delete/", views.FunderDeleteView.as_view(), name="funder-delete"),
    path("expenditures/", views.ExpenditureListView.as_view(), name="expenditure-list"),
    path(
        "expenditures/export/",
        views.ExpenditureExportView.as_view(),
        name="expenditure-export",
    ),
    *record_urls(records.AGREEMENT, "agreements", "agreement"),
    *record_urls(records.BUDGET_LINE, "budget-lines", "budget-line"),
    *record_urls(records.ALLOCATION, "allocations", "allocation"),
    *record_urls(records.DISBURSEMENT, "disbursements", "disbursement"),
    *record_urls(records.EXPENDITURE, "expenditures", "expenditure"),
    *record_urls(records.REMAINDER_RETURN, "returns", "return"),
    *record_urls(records.LPJ_SUBMISSION, "lpj", "lpj-submission"),
    path("lpj/<int:pk>/review/", records.LpjReviewView.as_view(), name="lpj-review"),
]
