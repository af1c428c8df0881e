"""How far ahead SI-LKKS looks for what is due: one policy that the dashboard, the list
of what is due (``/due/``) and the daily reminder digest share (docs/decisions.md)."""

from django.utils.text import get_text_list
from django.utils.translation import gettext

# A registration or accreditation is *expiring* when its valid-until date is at most
# this many days away (that day and its last valid day both count).
EXPIRY_WINDOW_DAYS = 90
# The days before its valid-until date on which the digest reminds of it: when it
# comes into the window, a month before, and on its last valid day.
EXPIRY_REMINDER_DAYS = (EXPIRY_WINDOW_DAYS, 30, 0)
# An LPJ (accountability report) not yet submitted is *due* from this many days before
# its due date, and *overdue* after it.
LPJ_DUE_WINDOW_DAYS = 30
# An overdue LPJ is reminded again every this many days while it stays overdue.
LPJ_OVERDUE_REPEAT_DAYS = 30
# A study visit's follow-up action still open is *due* from this many days before its
# due date, and *overdue* after it; reminded like an LPJ.
FOLLOW_UP_DUE_WINDOW_DAYS = 30
FOLLOW_UP_OVERDUE_REPEAT_DAYS = 30
# An application waiting longer than its body allows (``Body.application_wait_days``)
# is reminded when it first waits too long, then every this many days.
WAITING_REPEAT_DAYS = 30


def described():
    """The days as the list of what is due and the digest state them, in the active
    language."""
    return {
        "expiry_days": EXPIRY_WINDOW_DAYS,
        "expiry_reminder_days": get_text_list(
            [str(days) for days in EXPIRY_REMINDER_DAYS], gettext("and")
        ),
        "lpj_days": LPJ_DUE_WINDOW_DAYS,
        "lpj_repeat_days": LPJ_OVERDUE_REPEAT_DAYS,
        "follow_up_days": FOLLOW_UP_DUE_WINDOW_DAYS,
        "follow_up_repeat_days": FOLLOW_UP_OVERDUE_REPEAT_DAYS,
        "waiting_repeat_days": WAITING_REPEAT_DAYS,
    }
