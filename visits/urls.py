from django.urls import path

from visits import documents, views

app_name = "visits"

urlpatterns = [
    path("", views.VisitListView.as_view(), name="visit-list"),
    path("new/", views.VisitCreateView.as_view(), name="visit-create"),
    path("<int:pk>/", views.VisitDetailView.as_view(), name="visit-detail"),
    path("<int:pk>/edit/", views.VisitUpdateView.as_view(), name="visit-update"),
    path("<int:pk>/delete/", views.VisitDeleteView.as_view(), name="visit-delete"),
    path("<int:pk>/report/", documents.report, name="visit-report"),
    path("<int:pk>/report/number/", documents.report_number, name="visit-report-number"),
    path("<int:pk>/delegates/new/", views.DelegateCreateView.as_view(), name="delegate-create"),
    path("delegates/<int:pk>/edit/", views.DelegateUpdateView.as_view(), name="delegate-update"),
    path("delegates/<int:pk>/delete/", views.DelegateDeleteView.as_view(), name="delegate-delete"),
    path("<int:pk>/follow-ups/new/", views.FollowUpCreateView.as_view(), name="followup-create"),
    path("follow-ups/<int:pk>/edit/", views.FollowUpUpdateView.as_view(), name="followup-update"),
    path("follow-ups/<int:pk>/delete/", views.FollowUpDeleteView.as_view(), name="followup-delete"),
    path("<int:pk>/photos/new/", views.PhotoCreateView.as_view(), name="photo-create"),
    path("photos/<int:pk>/delete/", views.PhotoDeleteView.as_view(), name="photo-delete"),
]
