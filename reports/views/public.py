"""The public verification page (no login): who signed which reference, and file checks."""

from __future__ import annotations

import hashlib
import re

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.network import client_ip

from .. import selectors
from ..forms import (
    VERIFY_MAX_BYTES,
    VerifyUploadForm,
)

VERIFY_RATE = (30, 600)  # uploads per IP per window (seconds)
CODE_RE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$")


@require_http_methods(["GET", "POST"])
@never_cache
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """No login: who signed which reference and when; an uploaded PDF is checked against the stored hash."""
    code = code.strip().upper()
    version = selectors.version_by_code(code) if CODE_RE.match(code) else None
    if version is None:
        return render(request, "reports/verify.html", {"code": code, "version": None}, status=404)
    result = None
    form = VerifyUploadForm()
    status = 200
    limited = ""
    if request.method == "POST":
        key = f"verify-rate:{hashlib.sha256(client_ip(request).encode()).hexdigest()[:16]}"
        count = cache.get_or_set(key, 0, VERIFY_RATE[1])
        too_big = int(request.META.get("CONTENT_LENGTH") or 0) > VERIFY_MAX_BYTES + 64 * 1024
        if count >= VERIFY_RATE[0]:
            limited = "Слишком много проверок с вашего адреса. Повторите через 10 минут."
            status = 429
        elif too_big:
            # Refused before the body is read: the signed PDFs are far smaller than the cap.
            limited = f"Файл больше {VERIFY_MAX_BYTES // (1024 * 1024)} МБ: это не PDF справки."
            status = 413
        else:
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, VERIFY_RATE[1])
            form = VerifyUploadForm(request.POST, request.FILES)
            if form.is_valid():
                digest = hashlib.sha256()
                for chunk in form.cleaned_data["file"].chunks():
                    digest.update(chunk)
                uploaded = digest.hexdigest()
                result = {
                    "match": bool(version.is_signed and version.pdf_sha256 and uploaded == version.pdf_sha256),
                    "sha256": uploaded,
                }
    return render(
        request,
        "reports/verify.html",
        {
            "code": code,
            "version": version,
            "reference": version.reference,
            "form": form,
            "result": result,
            "limited": limited,
        },
        status=status,
    )
