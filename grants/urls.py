from django.urls import path

from grants.views import grants as views
from grants.views import records

app_name = "grants"


def record_urls(page, segment, name):
    """A record kind's pages: ``<grant>/<segment>/new/``, ``<segment>/<pk>/edit/`` and
    ``<segment>/<pk>/delete/``, named ``<name>-create``, ``-update`` and ``-delete``."""
    create, update, delete = page.views()
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
    *record_urls(records.AgreementPage, "agreements", "agreement"),
    *record_urls(records.BudgetLinePage, "budget-lines", "budget-line"),
    *record_urls(records.AllocationPage, "allocations", "allocation"),
    *record_urls(records.DisbursementPage, "disbursements", "disbursement"),
    *record_urls(records.ExpenditurePage, "expenditures", "expenditure"),
    *record_urls(records.RemainderReturnPage, "returns", "return"),
    *record_urls(records.LpjSubmissionPage, "lpj", "lpj-submission"),
    path("lpj/<int:pk>/review/", records.LpjReviewView.as_view(), name="lpj-review"),
]
