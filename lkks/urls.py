from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from lkks import report_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("compare/", views.compare, name="compare"),
    path("compare/export/", views.compare_export, name="compare-export"),
    path("api/summary/", views.api_summary, name="api-summary"),
    path("due/", views.due_list, name="due-list"),
    path("due/export/", views.due_export, name="due-export"),
    path("body/switch/", views.body_switch, name="body-switch"),
    path("files/<slug:kind>/<int:pk>/", views.download, name="file"),
    path("accounts/", include("django.contrib.auth.urls")),
    # The language switch also works on the login page.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("members/", include("members.urls")),
    path("programs/", include("programs.urls")),
    path("grants/", include("grants.urls")),
    path("reports/annual/", report_views.annual_report, name="report-annual"),
    path("reports/grants/<int:pk>/lpj/", report_views.grant_lpj, name="report-lpj"),
    path(
        "reports/organisations/<int:pk>/recommendation/new/",
        report_views.recommendation_create,
        name="recommendation-create",
    ),
    path(
        "reports/recommendations/<int:pk>/",
        report_views.recommendation_detail,
        name="recommendation-detail",
    ),
    path("admin/", admin.site.urls),
]
