"""Uploads in an S3-compatible bucket, shared by several app servers (docs/deploy.md).

Used when ``DJANGO_S3_BUCKET`` is set (lkks/settings.py); otherwise uploads stay in the
media directory (``lkks.uploads.ContentTypedStorage``). Kept apart from lkks/uploads.py
so that boto3 is imported only by a site that uses it.

The bucket stays private: objects are written without an ACL, so the bucket's own
(private) applies, and the storage never hands out a link to an object. The one way to
a file is the permission-checked ``/files/`` view, which reads it through this storage.
"""

from urllib.parse import urljoin

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage

from lkks.uploads import ContentTypedMixin


class ContentTypedS3Storage(ContentTypedMixin, S3Storage):
    """An S3-compatible bucket where a PDF or image is stored under the extension of
    what it contains. The ``OPTIONS`` of ``STORAGES`` name the bucket, the endpoint and
    the keys; these class attributes are what must hold whatever they say."""

    default_acl = None  # no public-read ACL; the bucket's own applies
    querystring_auth = True  # any URL boto3 builds is signed, never a bare object URL
    file_overwrite = False  # a name taken is never written over
    # A file being sent is spooled in memory up to this size, then on disk.
    max_memory_size = 2 * 1024 * 1024

    def url(self, name, parameters=None, expire=None, http_method=None):
        """The file's place under MEDIA_URL, which is never served (nginx answers
        ``/media/`` with 404), as with the media directory. Not a signed link: forms
        show a stored file's link (Django's ClearableFileInput), and a signed link
        would open the file to whoever it is passed on to."""
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))

    def delete(self, name):
        """Remove an object; a failure of the bucket is an ``OSError``, as a failure of
        the disk is, so that ``lkks.uploads`` logs it the same way."""
        try:
            super().delete(name)
        except (BotoCoreError, ClientError) as error:
            raise OSError(f"the bucket refused to delete {name}: {error}") from error
