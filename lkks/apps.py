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
        from django.contrib.auth.signals import user_logged_in

        from lkks import access, files, middleware, security
        from lkks.models import Body, Decree

        security.connect()
        access.connect()
        user_logged_in.connect(middleware.on_logged_in, dispatch_uid="lkks.middleware.logged_in")
        files.register(Body, "logo")
        files.register(Decree, "scan")


class AxesConfig(DjangoAxesConfig):
    """django-axes under a name of ours: its own has none, and the admin would show
    "AXES" as the section of its lock counters."""

    verbose_name = _("Log-in locks")
