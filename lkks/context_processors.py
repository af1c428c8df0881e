from lkks.access import current_body, readable_bodies


def bodies(request):
    """The body switch in the navigation: the user's bodies and the current one."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "user_bodies": list(readable_bodies(request.user).order_by("name")),
        "current_body": current_body(request),
    }
