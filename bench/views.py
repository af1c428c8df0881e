from django.shortcuts import render

from lkks.models import Body


def floor(request):
    """One query and a small template, behind the same middleware and login as every
    page: what no real page can beat."""
    return render(request, "bench/floor.html", {"bodies": Body.objects.for_user(request.user)[:3]})
