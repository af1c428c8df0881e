"""Messages of the libraries SI-LKKS shows (Django 6.1, its admin, django-filter,
django-simple-history, django-axes) that their own catalogues leave untranslated in
Indonesian, listed so that ``make messages`` keeps them in our catalogue, where
LOCALE_PATHS puts the translations before the libraries' own.

Nothing calls this module; ``tests/lkks/test_translations.py`` reads every message the
libraries can show and fails on one that no catalogue translates, which is how a new
one, after an upgrade, gets here.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# Django and its admin (6.1)
gettext_noop("- Select an option -")
gettext_noop("“%(value)s” is not a valid binary value.")
gettext_noop("No %s matches the given query.")
gettext_noop('The app "%s" could not be found.')
gettext_noop("Filter by %(field_name)s")
gettext_noop("Logout")
ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count")
# Translated by Django, but as "nama pengguna nama pengguna" once the field's name is in.
gettext_noop(
    "Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."
)

# django-simple-history
gettext_noop("Deleted %(type_name)s")

# django-axes
gettext_noop("Locked Out")
gettext_noop("Clean up expired attempts")
gettext_noop("Cleaned up {count} expired access attempts.")
gettext_noop("Not set")
gettext_noop("Attempt Remaining")
gettext_noop("Access Attempt")
gettext_noop("Expires At")
gettext_noop("The time when access attempt expires and is no longer valid.")
gettext_noop("access attempt expiration")
gettext_noop("access attempt expirations")
gettext_noop("Session key hash (sha256)")

# django-filter (which has no Indonesian catalogue of its own)
gettext_noop("%s (descending)")
gettext_noop("Ordering")
gettext_noop("Submit")
gettext_noop("Field filters")
gettext_noop("exclude")
gettext_noop("Select a lookup.")
gettext_noop("Range query expects two values.")
gettext_noop("Yesterday")
gettext_noop("Multiple values may be separated by commas.")
gettext_noop("month")
gettext_noop("day")
gettext_noop("week day")
gettext_noop("hour")
gettext_noop("minute")
gettext_noop("second")
gettext_noop("contains")
gettext_noop("is in")
gettext_noop("is greater than")
gettext_noop("is greater than or equal to")
gettext_noop("is less than")
gettext_noop("is less than or equal to")
gettext_noop("starts with")
gettext_noop("ends with")
gettext_noop("is in range")
gettext_noop("is null")
gettext_noop("matches regex")
gettext_noop("search")
gettext_noop("is contained by")
gettext_noop("overlaps")
gettext_noop("has key")
gettext_noop("has keys")
gettext_noop("has any keys")
