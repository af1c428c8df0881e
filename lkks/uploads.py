"""Uploaded files: checked by what they contain, stored under random names.

A photo must decode as a JPEG, PNG or WebP image within the pixel limit (a
decompression bomb is refused before it is decoded); a scan is a PDF (by its
signature) or such an image. Both are limited in size. Images are turned upright by
their EXIF orientation and get a thumbnail.
"""

import io
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
PDF_SIGNATURE = b"%PDF-"
THUMBNAIL_SIZE = (480, 480)


@deconstructible
class RandomName:
    """upload_to that keeps nothing of the uploaded name but a lower-case extension."""

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        extension = PurePath(filename).suffix.lower()[:6]
        return f"{self.folder}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and self.folder == other.folder


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


def image_format(upload):
    """The format of an uploaded image, after checking that it really is one."""
    try:
        with Image.open(upload) as image:
            if image.format not in IMAGE_FORMATS:
                raise ValidationError(
                    _("Only JPEG, PNG or WebP images are accepted."), code="image_type"
                )
            if image.width * image.height > settings.UPLOAD_MAX_PIXELS:
                raise ValidationError(
                    _("The image is too large (%(width)s x %(height)s pixels)."),
                    code="image_pixels",
                    params={"width": image.width, "height": image.height},
                )
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
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
    except ValidationError:
        raise ValidationError(
            _("Only PDF files or images (JPEG, PNG, WebP) are accepted."), code="scan_type"
        ) from None


def upright_with_thumbnail(upload):
    """The image turned upright by its EXIF orientation, and a thumbnail of it, both as
    files ready to store (JPEG for photos, PNG kept as PNG)."""
    upload.seek(0)
    with Image.open(upload) as original:
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
    head = _head(stored_file, 16)
    if head.startswith(PDF_SIGNATURE):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return "application/octet-stream"
