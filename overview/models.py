from django.db import models
from django.utils.translation import gettext_lazy as _

from lkks.models import Body


class ReminderSent(models.Model):
    """One item of a reminder digest that was sent, so that it is never sent twice.

    An item is a record (``item``: e.g. ``members.registration:12``) due on a date; it
    is reminded once per threshold (``90``, ``30``, ``0`` days before it expires; an LPJ
    or a study visit's follow-up when it falls due and every 30 days while it is overdue).
    """

    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("registration expires")
        ACCREDITATION = "accreditation", _("accreditation expires")
        LPJ_DUE = "lpj_due", _("LPJ due")
        LPJ_OVERDUE = "lpj_overdue", _("LPJ overdue")
        FOLLOW_UP_DUE = "visit_due", _("visit follow-up due")
        FOLLOW_UP_OVERDUE = "visit_overdue", _("visit follow-up overdue")
        DOCUMENT = "document", _("legal document expires")
        WAITING = "waiting", _("application waiting too long")

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="reminders_sent", verbose_name=_("body")
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind)
    item = models.CharField(_("item"), max_length=100)
    due_on = models.DateField(_("due on"))
    threshold = models.CharField(_("threshold"), max_length=20)
    sent_on = models.DateField(_("sent on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        # By the body's id, not its name: that would join the bodies on every query.
        ordering = ["-sent_on", "body_id", "kind"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "kind", "item", "due_on", "threshold"],
                name="reminder_sent_once_per_threshold",
            ),
        ]

    def __str__(self):
        return f"{self.body} · {self.get_kind_display()} · {self.item} · {self.sent_on:%Y-%m-%d}"
