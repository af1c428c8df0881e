from django.urls import path

from bench.views import floor
from lkks.urls import urlpatterns as lkks_urlpatterns

urlpatterns = [path("bench/floor/", floor, name="bench-floor"), *lkks_urlpatterns]
