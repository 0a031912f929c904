"""Lookups through the user's scope and helpers shared by the schools views."""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from core.models import User
from core.scope import in_school_or_404, school_or_404

from ..models import School
from ..permissions import require_school_editor


def _editable_school(user: User, pk: int) -> School:
    school = school_or_404(user, pk)
    require_school_editor(user, school)
    return school


def _scoped(model, user: User, pk: int):
    """An object hanging off a school the user sees (404 otherwise) and may edit (403 otherwise)."""
    obj = in_school_or_404(model.objects.select_related("school__municipality__region"), user, pk)
    require_school_editor(user, obj.school)
    return obj


def _card_url(school: School, anchor: str = "") -> str:
    url = reverse("schools:school-detail", args=[school.pk])
    return f"{url}#{anchor}" if anchor else url


def _form_page(
    request: HttpRequest, school: School, form: Form, *, title: str, anchor: str, **extra: Any
) -> HttpResponse:
    template = extra.pop("template", "schools/form_page.html")
    context = {"school": school, "form": form, "title": title, "cancel_url": _card_url(school, anchor), **extra}
    return render(request, template, context, status=400 if form.is_bound and form.errors else 200)
