"""Filters of the users list and the import jobs list: each FilterSet is the list's filter form and
its `?sort=` ordering (`core.lists` says how lists work)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .lists import ListFilterSet, SearchFilter, SortFilter
from .models import ImportJob, Role, User


class UserFilterSet(ListFilterSet):
    q = SearchFilter(search_fields=("last_name", "first_name", "middle_name", "username"), label=_("ФИО или логин"))
    role = django_filters.ChoiceFilter(
        label=_("Роль"), choices=Role.choices, empty_label=_("Все роли"), method="filter_role"
    )
    active = django_filters.ChoiceFilter(
        label=_("Состояние"),
        choices=[("1", _("Активные")), ("0", _("Отключённые"))],
        empty_label=_("Все"),
        method="filter_active",
    )
    sort = SortFilter(
        columns={
            "name": ("last_name", "first_name", "username"),
            "username": ("username",),
            "last_login": ("last_login", "last_name", "first_name"),
        },
        default="name",
    )

    class Meta:
        model = User
        fields: list[str] = []

    def filter_role(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return queryset.filter(memberships__role=value).distinct()

    def filter_active(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return queryset.filter(is_active=value == "1")


class ImportJobFilterSet(ListFilterSet):
    q = SearchFilter(search_fields=("original_name",), label=_("Файл"))
    status = django_filters.ChoiceFilter(label=_("Состояние"), choices=ImportJob.Status.choices, empty_label=_("Все"))
    sort = SortFilter(
        columns={"number": ("id",), "file": ("original_name",), "created": ("created_at",)},
        default="-created",
    )

    class Meta:
        model = ImportJob
        fields: list[str] = []
