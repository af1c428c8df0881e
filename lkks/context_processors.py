from lkks.access import current_body, user_bodies


def bodies(request):
    """The body switch in the navigation: the user's bodies and the current one."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "user_bodies": user_bodies(request),
        "current_body": current_body(request),
    }
