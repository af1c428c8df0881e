"""Documents rendered to PDF with WeasyPrint, from the same templates as their HTML.

Nothing is fetched from the network while rendering. The page is rendered against the
base ``file:///``, so that ``/static/…`` and ``/files/…`` in the HTML become local
URLs; ``DocumentFetcher`` answers those from disk (static files, and exactly the stored
files the view handed over, each already found through its scoping method) and refuses
every other URL: http(s), ftp, any other file, any other scheme. ``data:`` URLs are
decoded in memory.
"""

import logging
import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

BASE_URL = "file:///"


class RefusedURLError(ValueError):
    """A document asked for something that is neither a static file nor one of its own
    stored files."""


class LocalResponse(URLFetcherResponse):
    """A response read from disk. WeasyPrint may re-read an image lazily from
    ``path``, which for a file: URL it would take from the URL itself; here it is the
    real file (or nothing), never what the URL happens to name."""

    def __init__(self, url, handle, *, name, disk_path=None):
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        super().__init__(url, handle, {"Content-Type": content_type})
        self._disk_path = disk_path

    @property
    def path(self):
        return self._disk_path


class DocumentFetcher(URLFetcher):
    """Serves a document's static files and its own stored files from disk.

    ``files`` maps the URL path a template uses for a stored file (e.g. the
    ``/files/activityphoto-thumbnail/7/`` the browser gets it from) to that file (a
    FieldFile); only those are served, so a template cannot reach any other upload.
    """

    def __init__(self, files=None):
        # Only data: URLs ever reach WeasyPrint's own opener (see fetch).
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)
        self.files = dict(files or {})
        self.refused = []

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = unquote(urlsplit(url).path)
            response = self._stored_file(url, path) or self._static_file(url, path)
            if response is not None:
                return response
        self.refused.append(url)
        logger.info("Refused to fetch %s while rendering a PDF", url)
        raise RefusedURLError(f"not fetched while rendering a document: {url}")

    def _stored_file(self, url, path):
        stored = self.files.get(path)
        if not stored:
            return None
        try:
            handle = stored.open("rb")
        except FileNotFoundError:
            return None
        return LocalResponse(url, handle, name=stored.name)

    def _static_file(self, url, path):
        prefix = urlsplit(settings.STATIC_URL).path
        if not path.startswith(prefix):
            return None
        name = posixpath.normpath(path.removeprefix(prefix))
        if name.startswith(("..", "/")) or "\\" in name:
            return None
        found = self._static_path(name)
        if found is None:
            return None
        handle = open(found, "rb")  # noqa: SIM115 (WeasyPrint closes the response)
        return LocalResponse(url, handle, name=name, disk_path=found)

    @staticmethod
    def _static_path(name):
        """The file on disk: collected (with its hashed name, in production) or, in
        development, found in the source directories."""
        try:
            if staticfiles_storage.exists(name):
                return staticfiles_storage.path(name)
        except NotImplementedError:  # a storage without local paths
            pass
        return finders.find(name)


def render_pdf(template_name, context=None, *, request=None, files=None) -> bytes:
    """The template rendered to PDF bytes; ``files`` as for ``DocumentFetcher``."""
    html = render_to_string(template_name, {**(context or {}), "for_pdf": True}, request=request)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=DocumentFetcher(files)).write_pdf()
