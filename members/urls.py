from django.urls import path

from members import review_views, views

app_name = "members"

urlpatterns = [
    path("", views.OrganisationList.as_view(), name="organisation-list"),
    path("new/", views.OrganisationCreate.as_view(), name="organisation-create"),
    path("export/", views.OrganisationExport.as_view(), name="organisation-export"),
    path("import/", views.organisation_import, name="organisation-import"),
    path("import/template/", views.import_template, name="organisation-import-template"),
    path("<int:pk>/", views.OrganisationDetail.as_view(), name="organisation-detail"),
    path("<int:pk>/edit/", views.OrganisationUpdate.as_view(), name="organisation-update"),
    path("<int:pk>/delete/", views.OrganisationDelete.as_view(), name="organisation-delete"),
    path(
        "<int:pk>/registrations/new/",
        views.RegistrationCreate.as_view(),
        name="registration-create",
    ),
    path(
        "registrations/<int:pk>/edit/",
        views.RegistrationUpdate.as_view(),
        name="registration-update",
    ),
    path(
        "registrations/<int:pk>/delete/",
        views.RegistrationDelete.as_view(),
        name="registration-delete",
    ),
    path(
        "<int:pk>/accreditations/new/",
        views.AccreditationCreate.as_view(),
        name="accreditation-create",
    ),
    path(
        "accreditations/<int:pk>/edit/",
        views.AccreditationUpdate.as_view(),
        name="accreditation-update",
    ),
    path(
        "accreditations/<int:pk>/delete/",
        views.AccreditationDelete.as_view(),
        name="accreditation-delete",
    ),
    path("<int:pk>/documents/new/", views.LegalDocumentCreate.as_view(), name="document-create"),
    path("documents/<int:pk>/edit/", views.LegalDocumentUpdate.as_view(), name="document-update"),
    path("documents/<int:pk>/delete/", views.LegalDocumentDelete.as_view(), name="document-delete"),
    path("<int:pk>/mentoring/new/", views.MentoringCreate.as_view(), name="mentoring-create"),
    path("mentoring/<int:pk>/edit/", views.MentoringUpdate.as_view(), name="mentoring-update"),
    path("mentoring/<int:pk>/delete/", views.MentoringDelete.as_view(), name="mentoring-delete"),
    # The verification desk: what the LKS sent through their portal.
    path("reviews/", review_views.review_queue, name="review-queue"),
    path("reviews/changes/<int:pk>/", review_views.change_decide, name="change-decide"),
    path("reviews/documents/<int:pk>/", review_views.document_check, name="document-check"),
    path("applications/", review_views.application_list, name="application-list"),
    path("applications/<int:pk>/", review_views.application_detail, name="application-detail"),
    path("<int:pk>/accounts/new/", review_views.account_create, name="account-create"),
    path("accounts/<int:pk>/disable/", review_views.account_disable, name="account-disable"),
    path("accounts/<int:pk>/enable/", review_views.account_enable, name="account-enable"),
    path(
        "accounts/<int:pk>/invite/",
        review_views.account_invite_again,
        name="account-invite-again",
    ),
]
