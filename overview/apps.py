from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    name = "overview"
    verbose_name = _("Overview and reports")

    def ready(self):
        from lkks import exports
        from overview.exports import start_list_export

        # Long lists of every app are exported by a job of this app's (overview/exports.py).
        exports.register_background(start_list_export)
