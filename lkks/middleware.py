"""The project's own middleware: the interface language, requests with NUL characters,
sessions that end when idle, and no caching of pages after log-in."""

import time

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import BadRequest
from django.http import UnreadablePostError
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Bahasa Indonesia unless the user chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many
    office machines in Indonesia run an English browser; the product speaks Indonesian
    by default, so only the language cookie set by the switch counts.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()


NUL = "\x00"


class RefuseNulMiddleware:
    """A NUL character anywhere in the path, a parameter, a form field or a cookie is a
    400 (Django's "Bad request" page), before any view sees it.

    No form or address of SI-LKKS has a use for it, and PostgreSQL refuses it in any
    text value: a filter such as ``?body=%00`` or a slug looked up as typed would end in
    a server error instead of a "not found". One check here covers every view, the
    admin and the log-in page alike. Uploaded files are not looked at: their bytes may
    hold anything, and they are checked by content (``lkks.uploads``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.carries_nul(request):
            raise BadRequest("NUL character in the request")
        return self.get_response(request)

    @staticmethod
    def carries_nul(request):
        if NUL in request.path:
            return True
        for values in (request.GET, request.COOKIES):
            if any(NUL in key or NUL in value for key, value in values.items()):
                return True
        if request.method != "POST":
            return False
        try:
            fields = request.POST.lists()
        except UnreadablePostError:
            return False  # the client went away; the view's own read fails the same way
        return any(NUL in key or any(NUL in value for value in values) for key, values in fields)


class IdleSessionMiddleware(SessionMiddleware):
    """Django's sessions, which end ``SESSION_COOKIE_AGE`` seconds after the last
    request, written at most once every ``SESSION_REFRESH_SECONDS``.

    Saving the session on every request (``SESSION_SAVE_EVERY_REQUEST``) would keep the
    idle timeout exact, at the price of a write and a commit on every page, the largest
    cost of a page that reads little. Here a session used by a request is saved again,
    with a new expiry and cookie, only when its last save is older than the refresh
    interval (or when the request changed it), so a session ends between
    ``SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS`` and ``SESSION_COOKIE_AGE`` seconds
    after its last request. A request that never looked at the session (a static file,
    a page of no one logged in) leaves it as it is.
    """

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.is_empty():
            touched = session.get(TOUCHED_KEY, 0)
            if session.modified or time.time() - touched >= settings.SESSION_REFRESH_SECONDS:
                touch(session)
        return super().process_response(request, response)


TOUCHED_KEY = "_lkks_touched"


def touch(session):
    """Mark the session as saved now (which makes it modified, so it is saved)."""
    session[TOUCHED_KEY] = int(time.time())


def on_logged_in(sender, request, user, **kwargs):
    """A log-in saves the session: the first page after it need not save it again
    (``Client.force_login`` of the tests saves it outside any middleware too)."""
    session = getattr(request, "session", None)
    if session is not None:
        touch(session)


class PrivatePagesMiddleware:
    """Pages seen after log-in are never kept by the browser or a proxy.

    They show the records of a body to one user; a shared office computer's back button
    or disk cache must not show them to the next person after log-out. A response that
    set its own Cache-Control keeps it (a downloaded file may be kept privately for an
    hour; Django's ``never_cache`` pages say more than this).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
