from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("", views.ProgramListView.as_view(), name="program-list"),
    path("new/", views.ProgramCreateView.as_view(), name="program-create"),
    path("export/", views.ProgramExportView.as_view(), name="program-export"),
    path("<int:pk>/", views.ProgramDetailView.as_view(), name="program-detail"),
    path("<int:pk>/edit/", views.ProgramUpdateView.as_view(), name="program-update"),
    path("<int:pk>/delete/", views.ProgramDeleteView.as_view(), name="program-delete"),
    path("<int:pk>/activities/new/", views.ActivityCreateView.as_view(), name="activity-create"),
    path("activities/", views.ActivityListView.as_view(), name="activity-list"),
    path("activities/export/", views.ActivityExportView.as_view(), name="activity-export"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity-detail"),
    path("activities/<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="activity-update"),
    path("activities/<int:pk>/delete/", views.ActivityDeleteView.as_view(), name="activity-delete"),
    path("activities/<int:pk>/photos/new/", views.PhotoCreateView.as_view(), name="photo-create"),
    path("photos/<int:pk>/delete/", views.PhotoDeleteView.as_view(), name="photo-delete"),
]
