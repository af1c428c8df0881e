from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LkksConfig(AppConfig):
    name = "lkks"
    verbose_name = _("LKKS bodies and users")

    def ready(self):
        from lkks import files, security
        from lkks.models import Body, Decree

        security.connect()
        files.register(Body, "logo")
        files.register(Decree, "scan")
