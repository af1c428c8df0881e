from django.urls import path

from overview import views

# No namespace: these names ("home", "compare", …) are the project's own.
urlpatterns = [
    path("", views.home, name="home"),
    path("compare/", views.compare, name="compare"),
    path("compare/export/", views.compare_export, name="compare-export"),
    path("api/summary/", views.api_summary, name="api-summary"),
    path("due/", views.due_list, name="due-list"),
    path("due/export/", views.due_export, name="due-export"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/annual/", views.annual_report, name="report-annual"),
    path("reports/annual/pdf/", views.annual_report_pdf, name="report-annual-pdf"),
    path("reports/annual/number/", views.annual_report_number, name="report-annual-number"),
]
