"""The public verification pages (no login): `/verify/` takes a code typed by hand (and optionally the
PDF), `/verify/<code>/` shows who signed which reference and checks an uploaded file."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.network import client_ip

from .. import selectors
from ..forms import (
    VERIFY_CODE_RE,
    VERIFY_MAX_BYTES,
    VerifyCodeForm,
    VerifyUploadForm,
)
from ..models import ReferenceVersion

VERIFY_RATE = (30, 600)  # checks (a typed code or an uploaded file) per IP per window (seconds)


def _refused(request: HttpRequest) -> tuple[str, int] | None:
    """Count one check from the client's address; the message and status when it is refused: too many
    checks in the window, or a body larger than any signed PDF (refused before it is read)."""
    key = f"verify-rate:{hashlib.sha256(client_ip(request).encode()).hexdigest()[:16]}"
    count = cache.get_or_set(key, 0, VERIFY_RATE[1])
    if count >= VERIFY_RATE[0]:
        return "Слишком много проверок с вашего адреса. Повторите через 10 минут.", 429
    if int(request.META.get("CONTENT_LENGTH") or 0) > VERIFY_MAX_BYTES + 64 * 1024:
        return f"Файл больше {VERIFY_MAX_BYTES // (1024 * 1024)} МБ: это не PDF справки.", 413
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, VERIFY_RATE[1])
    return None


def _file_check(version: ReferenceVersion, upload) -> dict:
    """Whether the uploaded file is the signed PDF byte for byte (its SHA-256 against the stored one)."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    uploaded = digest.hexdigest()
    return {
        "match": bool(version.is_signed and version.pdf_sha256 and uploaded == version.pdf_sha256),
        "sha256": uploaded,
    }


def _verify_page(request: HttpRequest, version: ReferenceVersion, *, form, result=None, limited="", status=200):
    return render(
        request,
        "reports/verify.html",
        {
            "code": version.code,
            "version": version,
            "reference": version.reference,
            "form": form,
            "result": result,
            "limited": limited,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@never_cache
def verify_start(request: HttpRequest) -> HttpResponse:
    """No login: the code printed on a reference, typed by hand, opens its page `/verify/<code>/`; with
    the PDF attached, the file is checked against the signed version at once. A code that finds nothing
    is a message on the form; checks are rate-limited per address like the file checks."""
    form = VerifyCodeForm()
    limited, status = "", 200
    if request.method == "POST":
        refused = _refused(request)
        if refused is not None:
            limited, status = refused
        else:
            form = VerifyCodeForm(request.POST, request.FILES)
            if form.is_valid():
                code = form.cleaned_data["code"]
                version, upload = selectors.version_by_code(code), form.cleaned_data.get("file")
                if version is None:
                    form.add_error("code", VerifyCodeForm.NOT_FOUND % {"code": code})
                elif upload is None:
                    return redirect("verify", code=version.code)
                else:
                    return _verify_page(request, version, form=VerifyUploadForm(), result=_file_check(version, upload))
            status = 400
    return render(request, "reports/verify_start.html", {"form": form, "limited": limited}, status=status)


@require_http_methods(["GET", "POST"])
@never_cache
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """No login: who signed which reference and when; an uploaded PDF is checked against the stored hash."""
    code = code.strip().upper()
    version = selectors.version_by_code(code) if VERIFY_CODE_RE.match(code) else None
    if version is None:
        return render(request, "reports/verify.html", {"code": code, "version": None}, status=404)
    form, result, limited, status = VerifyUploadForm(), None, "", 200
    if request.method == "POST":
        refused = _refused(request)
        if refused is not None:
            limited, status = refused
        else:
            form = VerifyUploadForm(request.POST, request.FILES)
            if form.is_valid():
                result = _file_check(version, form.cleaned_data["file"])
    return _verify_page(request, version, form=form, result=result, limited=limited, status=status)
