"""Lookups through the user's scope and helpers shared by the schools views."""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from core.models import User

from ..models import School
from ..permissions import require_school_editor
from ..selectors import schools_for


def _school(user: User, pk: int) -> School:
    return get_object_or_404(schools_for(user).select_related("municipality__region"), pk=pk)


def _editable_school(user: User, pk: int) -> School:
    school = _school(user, pk)
    require_school_editor(user, school)
    return school


def _scoped(model, user: User, pk: int):
    """An object hanging off a school the user sees (404 otherwise), with the school loaded."""
    queryset = model.objects.filter(school__in=schools_for(user).values("pk")).select_related(
        "school__municipality__region"
    )
    obj = get_object_or_404(queryset, pk=pk)
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
