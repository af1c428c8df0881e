from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Study visits")

    def ready(self):
        from lkks import files
        from visits.models import VisitPhoto

        files.register(VisitPhoto, "image", "thumbnail")
