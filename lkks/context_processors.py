from functools import partial

from lkks.access import current_body, user_bodies


def bodies(request):
    """The body switch in the navigation: the user's bodies and the current one.

    Read when a template first asks (the template calls them), not for every response:
    a page without the navigation, a JSON answer or a redirect reads nothing.
    """
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "user_bodies": partial(user_bodies, request),
        "current_body": partial(current_body, request),
    }
