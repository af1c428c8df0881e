"""The views of the ground: the body switch and the download of stored files."""

from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_POST, require_safe

from lkks import access, files
from lkks.uploads import sniff_content_type


@require_POST
def body_switch(request):
    """Choose the body to work in, among the user's own."""
    body = access.readable_bodies(request.user).filter(slug=request.POST.get("body")).first()
    if body is None:
        raise Http404
    request.session[access.SESSION_BODY_KEY] = body.slug
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return HttpResponseRedirect(target)


@require_safe
def download(request, kind, pk):
    """A stored file, to a user who may read its record (404 otherwise)."""
    try:
        model, field_name = files.DOWNLOADABLE[kind]
    except KeyError:
        raise Http404 from None
    record = access.get_readable(model.objects, request.user, pk=pk)
    return file_response(getattr(record, field_name))


def file_response(stored):
    """The response that sends a stored file (of a record the caller found through its
    scoping method): inline, by the type found in its content; 404 when there is none."""
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=sniff_content_type(handle))
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@requires_csrf_token
def permission_denied(request, exception):
    """The 403 page with the navigation, saying the real reason when the refusal gives
    one for the user (``access.Refused``); other messages stay out of the page."""
    reason = str(exception) if isinstance(exception, access.Refused) else ""
    return render(request, "403.html", {"reason": reason}, status=403)
