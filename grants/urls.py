from django.urls import path

from grants import views

app_name = "grants"

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
    path(
        "<int:pk>/allocations/new/",
        views.AllocationCreateView.as_view(),
        name="allocation-create",
    ),
    path(
        "allocations/<int:pk>/edit/",
        views.AllocationUpdateView.as_view(),
        name="allocation-update",
    ),
    path(
        "allocations/<int:pk>/delete/",
        views.AllocationDeleteView.as_view(),
        name="allocation-delete",
    ),
    path(
        "<int:pk>/disbursements/new/",
        views.DisbursementCreateView.as_view(),
        name="disbursement-create",
    ),
    path(
        "disbursements/<int:pk>/edit/",
        views.DisbursementUpdateView.as_view(),
        name="disbursement-update",
    ),
    path(
        "disbursements/<int:pk>/delete/",
        views.DisbursementDeleteView.as_view(),
        name="disbursement-delete",
    ),
    path("expenditures/", views.ExpenditureListView.as_view(), name="expenditure-list"),
    path(
        "expenditures/export/",
        views.ExpenditureExportView.as_view(),
        name="expenditure-export",
    ),
    path(
        "<int:pk>/expenditures/new/",
        views.ExpenditureCreateView.as_view(),
        name="expenditure-create",
    ),
    path(
        "expenditures/<int:pk>/edit/",
        views.ExpenditureUpdateView.as_view(),
        name="expenditure-update",
    ),
    path(
        "expenditures/<int:pk>/delete/",
        views.ExpenditureDeleteView.as_view(),
        name="expenditure-delete",
    ),
]
