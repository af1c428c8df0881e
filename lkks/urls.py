from django.contrib import admin
from django.urls import include, path

from lkks import views

urlpatterns = [
    path("", views.home, name="home"),
    path("body/switch/", views.body_switch, name="body-switch"),
    path("files/<slug:kind>/<int:pk>/", views.download, name="file"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("members/", include("members.urls")),
    path("programs/", include("programs.urls")),
    path("grants/", include("grants.urls")),
    path("admin/", admin.site.urls),
]
