"""The project's URLs. The ground imports no app: each app's URLs are included by name."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from lkks import views

urlpatterns = [
    path("", include("overview.urls")),
    path("body/switch/", views.body_switch, name="body-switch"),
    # The body's profile, officers and letter register: /body/…, /letters/…
    path("", include("lkks.body_views")),
    path("files/<slug:kind>/<int:pk>/", views.download, name="file"),
    path("accounts/", include("django.contrib.auth.urls")),
    # The language switch also works on the login page.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("members/", include("members.urls")),
    path("programs/", include("programs.urls")),
    path("grants/", include("grants.urls")),
    path("visits/", include("visits.urls")),
    # The LKS's own pages, for its accounts only.
    path("portal/", include("portal.urls")),
    # Long work run by the worker: its progress and its file.
    path("jobs/", include("jobs.urls")),
    # Each app's printed documents, under /reports/ as they have always been.
    path("reports/", include("members.documents")),
    path("reports/", include("grants.documents")),
    path("admin/", admin.site.urls),
]
handler403 = "lkks.views.permission_denied"
