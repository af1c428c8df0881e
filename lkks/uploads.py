"""Uploaded files: checked by what they contain, stored under random names.

A photo must decode as a JPEG, PNG or WebP image within the pixel limit (a
decompression bomb is refused, with the pixel-limit message, before it is decoded); a
scan is a PDF (by its signature) or such an image. Both are limited in size. Images are
turned upright by their EXIF orientation and get a thumbnail.

A stored file is named by what it contains, never by what the client called it: the
storage (``ContentTypedStorage``) gives a PDF ``.pdf`` and an image its format's
extension, so ``evil.html`` holding a PDF is kept as ``<random>.pdf``. Files of deleted
records are removed once the deletion is committed (``delete_files_on_commit``).
"""

import io
import logging
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import models, router, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
PDF_SIGNATURE = b"%PDF-"
THUMBNAIL_SIZE = (480, 480)
# The extension a stored file gets for the type found in it.
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
}
ALLOWED_EXTENSIONS = {*EXTENSIONS.values(), ".jpeg"}

# Pillow refuses an image of more than 2 x 89 million pixels as soon as it opens it,
# with an error that Django's form field turns into "not a valid image", and only
# warns below that. Our own limit (UPLOAD_MAX_PIXELS) is checked from the header of
# every upload before anything decodes it (``image_format``, ``upright_with_thumbnail``),
# so that a decompression bomb is told what is wrong with it: the number of pixels.
Image.MAX_IMAGE_PIXELS = None


@deconstructible
class RandomName:
    """upload_to that keeps nothing of the uploaded name: a random name in the folder,
    with the extension of an accepted type (the storage then puts the one of the type
    found in the content)."""

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        extension = PurePosixPath(filename).suffix.lower()
        if extension not in ALLOWED_EXTENSIONS:
            extension = ""
        return f"{self.folder}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and self.folder == other.folder


class ContentTypedMixin:
    """A storage where a PDF or image is stored under the extension of what it
    contains, whatever name it came with.

    The download view sends the type found in the content too (``sniff_content_type``);
    the extension matters to whoever opens the media directory, the bucket or a backup
    of them, where a PDF named ``.html`` would open in a browser as a page.
    """

    def save(self, name, content, max_length=None):
        if name is None:
            name = content.name
        extension = EXTENSIONS.get(sniff_content_type(content))
        if extension is not None:
            name = str(PurePosixPath(name).with_suffix(extension))
        return super().save(name, content, max_length=max_length)


class ContentTypedStorage(ContentTypedMixin, FileSystemStorage):
    """The media directory on this machine's disk (the default; one app server).
    Several app servers share an S3-compatible bucket instead
    (``lkks.object_storage.ContentTypedS3Storage``)."""


def _check_size(upload):
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; at most %(limit)s is allowed."),
            code="file_too_large",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
            },
        )


def _head(upload, count):
    upload.seek(0)
    head = upload.read(count)
    upload.seek(0)
    return head


def _check_pixels(image):
    """Refuse an image of more pixels than allowed, from its header, before decoding."""
    if image.width * image.height > settings.UPLOAD_MAX_PIXELS:
        raise ValidationError(
            _(
                "The image is too large (%(width)s x %(height)s pixels); at most "
                "%(limit)s million pixels are allowed."
            ),
            code="image_pixels",
            params={
                "width": image.width,
                "height": image.height,
                "limit": settings.UPLOAD_MAX_PIXELS // 1_000_000 or 1,
            },
        )


def image_format(upload):
    """The format of an uploaded image, after checking that it really is one."""
    try:
        with Image.open(upload) as image:
            if image.format not in IMAGE_FORMATS:
                raise ValidationError(
                    _("Only JPEG, PNG or WebP images are accepted."), code="image_type"
                )
            _check_pixels(image)
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(_("The file is not a valid image."), code="not_an_image") from None
    finally:
        upload.seek(0)
    return image_format


def validate_image(upload):
    """A photo or logo: a real JPEG, PNG or WebP image within the size and pixel limits."""
    if not upload or getattr(upload, "_committed", False):
        return  # a file already stored was checked when it was uploaded
    _check_size(upload)
    image_format(upload)


def validate_scan(upload):
    """A scan or receipt: a PDF or an image, within the size limit."""
    if not upload or getattr(upload, "_committed", False):
        return
    _check_size(upload)
    if _head(upload, len(PDF_SIGNATURE)) == PDF_SIGNATURE:
        if b"%%EOF" not in upload.read()[-2048:]:
            upload.seek(0)
            raise ValidationError(_("The PDF file is damaged or incomplete."), code="bad_pdf")
        upload.seek(0)
        return
    try:
        image_format(upload)
    except ValidationError as error:
        if error.code == "image_pixels":
            raise  # an image, but too large: say so rather than "not a PDF or image"
        raise ValidationError(
            _("Only PDF files or images (JPEG, PNG, WebP) are accepted."), code="scan_type"
        ) from None


def upright_with_thumbnail(upload):
    """The image turned upright by its EXIF orientation, and a thumbnail of it, both as
    files ready to store (JPEG for photos, PNG kept as PNG)."""
    upload.seek(0)
    with Image.open(upload) as original:
        _check_pixels(original)  # validated already; never decode a bomb all the same
        image = ImageOps.exif_transpose(original)
        kind = "PNG" if original.format == "PNG" else "JPEG"
        if kind == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        full = io.BytesIO()
        image.save(full, kind, quality=88)
        thumb = image.copy()
        thumb.thumbnail(THUMBNAIL_SIZE)
        small = io.BytesIO()
        thumb.save(small, kind, quality=80)
    upload.seek(0)
    extension = IMAGE_FORMATS[kind]
    return (
        ContentFile(full.getvalue(), name=f"image{extension}"),
        ContentFile(small.getvalue(), name=f"thumbnail{extension}"),
    )


def sniff_content_type(stored_file):
    """The content type of a stored file, from its content rather than its name."""
    try:
        head = _head(stored_file, 16)
    except (AttributeError, OSError, ValueError):
        return "application/octet-stream"  # a stream that cannot be read twice
    if not isinstance(head, bytes):
        return "text/plain"  # a text written by the app itself, never an upload
    if head.startswith(PDF_SIGNATURE):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return "application/octet-stream"


# Files of deleted records


def stored_files(record) -> list:
    """The stored files of a record: (storage, name) of each file field that has one."""
    return [
        (file.storage, file.name)
        for field in record._meta.concrete_fields
        if isinstance(field, models.FileField)
        for file in [getattr(record, field.attname)]
        if file and file.name
    ]


def delete_files_on_commit(record, *, using=None) -> None:
    """Remove the record's stored files once the transaction that deletes it commits.

    Not before: a deletion that is rolled back (a rule refused it, the database did)
    keeps its record, which must keep its files. A file that cannot be removed is
    logged and left; the record is gone either way.
    """
    using = using or router.db_for_write(type(record), instance=record)
    for storage, name in stored_files(record):
        transaction.on_commit(lambda s=storage, n=name: _delete_file(s, n), using=using)


def _delete_file(storage, name):
    try:
        storage.delete(name)
    except OSError:
        logger.warning("Could not delete the stored file %s", name, exc_info=True)


@receiver(post_delete, dispatch_uid="lkks.uploads.files_of_deleted_records")
def _on_record_deleted(sender, instance, using, **kwargs):
    """Every deletion of a record with files: from the pages, the admin, a cascade
    (an activity's photos go with it) or a queryset. Deletion takes all those routes,
    and only this signal hears them all, so the files follow here rather than in each
    service (see docs/decisions.md, "Files")."""
    delete_files_on_commit(instance, using=using)
