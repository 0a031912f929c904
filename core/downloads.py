"""Every stored or generated file the portal serves goes out through `download_response`.

The name a browser saves under keeps the uploader's stem but always takes the extension of the
type the portal detected or produced (a PDF uploaded as «Приказ.hta» is served as «Приказ.pdf»);
the response is never sniffed, and the name is encoded for any browser (RFC 6266 / 5987).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

# The extension of each type the portal stores or produces.
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/tiff": ".tif",
    "image/bmp": ".bmp",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/zip": ".zip",
}


def download_name(name: str, content_type: str) -> str:
    """`name`'s stem with the extension of `content_type`: «Приказ.hta» (PDF) → «Приказ.pdf»."""
    extension = EXTENSIONS[content_type]
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    stem, dot, _ = name.rpartition(".")
    stem = stem if dot and stem else name
    # Control characters and quotes never reach a header; an empty stem becomes «файл».
    stem = "".join(ch for ch in stem if ch.isprintable() and ch not in '"').strip(" .") or "файл"
    return f"{stem}{extension}"


def download_response(
    content: bytes | IO[bytes] | Iterable[bytes],
    *,
    filename: str,
    content_type: str,
    inline: bool = False,
    private: bool = True,
) -> HttpResponse:
    """Serve bytes, an open file or a stream of chunks as `filename` with the extension of its type."""
    if isinstance(content, bytes | bytearray | memoryview):
        response: HttpResponse = HttpResponse(bytes(content), content_type=content_type)
    elif hasattr(content, "read"):
        response = FileResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, download_name(filename, content_type))
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        response["Cache-Control"] = "private, no-store"
    return response
