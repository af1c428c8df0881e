"""The navigation of the people of an LKS on every page (templates/base.html)."""

from django.utils.functional import SimpleLazyObject

from lkks import access
from members.accounts import is_lks_user


def navigation(request):
    """``portal_navigation``: whether the bar shows the portal's menu rather than the
    staff's, on the portal's pages and on shared ones alike (the 403 and 404 pages, the
    password change). True for a user who acts for an LKS and belongs to no body.

    Evaluated when the bar is drawn, from the bodies the request already read, so a
    user of a body costs no query; only a user of no body is looked up (once)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "portal_navigation": SimpleLazyObject(
            lambda: not access.user_bodies(request) and is_lks_user(user)
        )
    }
