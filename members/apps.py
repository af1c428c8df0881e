from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("LKS register")

    def ready(self):
        from lkks import files
        from members.models import Accreditation, LegalDocument, Organisation, Registration

        files.register(Organisation, "logo")
        files.register(Registration, "document")
        files.register(Accreditation, "document")
        files.register(LegalDocument, "document")
