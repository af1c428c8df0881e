from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants and spending")

    def ready(self):
        from grants.models import Agreement, Expenditure
        from lkks import files

        files.register(Expenditure, "receipt")
        files.register(Agreement, "scan")
