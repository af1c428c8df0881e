from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs and activities")

    def ready(self):
        from lkks import files
        from programs.models import ActivityPhoto

        files.register(ActivityPhoto, "image", "thumbnail")
