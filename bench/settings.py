"""Settings for `make bench`: the project's own, plus the bench app (data generator and
runner) and a floor view, the cheapest login-required page the stack can serve."""

from lkks.settings import *  # noqa: F403
from lkks.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
