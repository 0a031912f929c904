"""Helpers shared by the views of the references."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from core.scope import has_role

from .. import selectors
from ..models import ReferenceVersion


def _require_viewer(request: HttpRequest) -> None:
    if not has_role(request.user, *selectors.VIEW_ROLES):
        raise PermissionDenied("Аналитические справки доступны методистам, руководителям и координаторам.")


def _reference(request: HttpRequest, pk: int):
    return get_object_or_404(selectors.references_for(request.user), pk=pk)


def _filename(version: ReferenceVersion, ext: str) -> str:
    return f"spravka-{version.template}-{version.scope_code}-v{version.number}.{ext}"
