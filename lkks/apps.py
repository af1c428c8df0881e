from axes.apps import AppConfig as DjangoAxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LkksConfig(AppConfig):
    # The module holds another AppConfig (django-axes under our name): say which is
    # the app's own, or Django would use a bare one and never call ready().
    default = True
    name = "lkks"
    verbose_name = _("LKKS bodies and users")

    def ready(self):
        from lkks import access, files, security
        from lkks.models import Body, Decree

        security.connect()
        access.connect()
        files.register(Body, "logo")
        files.register(Decree, "scan")


class AxesConfig(DjangoAxesConfig):
    """django-axes under a name of ours: its own has none, and the admin would show
    "AXES" as the section of its lock counters."""

    verbose_name = _("Log-in locks")
