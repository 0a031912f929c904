"""Evidence files: the type is decided from the content, never from the file name.

Allowed: PDF, images (JPEG, PNG, GIF, WebP, TIFF, BMP), Word and Excel (.docx/.xlsx checked down to
their zip structure, and legacy .doc/.xls), OpenDocument text and spreadsheets. Everything else —
executables, archives, scripts renamed to .pdf — is refused with a Russian message.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.exporters import XLSX_CONTENT_TYPE

ALLOWED = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "tif": "image/tiff",
    "bmp": "image/bmp",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": XLSX_CONTENT_TYPE,
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
# The part that makes an OOXML zip a Word document or a workbook.
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024

ACCEPT_ATTR = ".pdf,.jpg,.jpeg,.png,.gif,.webp,.tif,.tiff,.bmp,.doc,.docx,.xls,.xlsx,.odt,.ods"
ALLOWED_LABEL = "PDF, изображения (JPEG, PNG, GIF, WebP, TIFF, BMP), Word (DOC, DOCX, ODT), Excel (XLS, XLSX, ODS)"


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    extension: str  # with the dot: ".pdf"
    content_type: str
    original_name: str
    size: int


def _ooxml_kind(upload: UploadedFile) -> str | None:
    """'docx' or 'xlsx' when the zip really is one, else None."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if len(infos) > ZIP_MAX_ENTRIES or sum(i.file_size for i in infos) > ZIP_MAX_UNCOMPRESSED:
                return None
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for kind, part in OOXML_MAIN_PART.items():
        if part in names:
            return kind
    return None


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Validate one uploaded file; raise ValidationError (Russian) when it may not be stored."""
    name = (upload.name or "файл").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("Файл «%(name)s» пустой.") % {"name": name})
    if upload.size > limit:
        raise ValidationError(
            _("Файл «%(name)s» слишком большой: %(size)s, допускается не более %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    extension = kind.extension if kind else None
    if extension in ("zip", "docx", "xlsx", "pptx"):
        extension = _ooxml_kind(upload)
    if extension not in ALLOWED:
        raise ValidationError(
            _("Файл «%(name)s» не принят: по содержимому это не документ допустимого типа (%(allowed)s).")
            % {"name": name, "allowed": ALLOWED_LABEL}
        )
    return CheckedFile(
        upload=upload, extension=f".{extension}", content_type=ALLOWED[extension], original_name=name, size=upload.size
    )
