"""Django alone: one view with no middleware, no session, no template and no query,
served as settings and URLs of its own (``DJANGO_SETTINGS_MODULE=bench.bare``). What the
floor view costs on top of it is the price of the project's middleware and login."""

from django.http import HttpResponse
from django.urls import path

from bench.settings import *  # noqa: F403

MIDDLEWARE = []
ROOT_URLCONF = "bench.bare"


def hello(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", hello)]
