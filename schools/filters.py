"""Filters of the schools lists (directory and registry): each FilterSet is the list's filter form
and its `?sort=` ordering; choices are scoped to the user (`core.lists` says how lists work)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.calendar import academic_year_label
from core.lists import ListFilterSet, SearchFilter, SortFilter
from core.scope import municipalities_for

from .models import Category, Municipality, RegistryEntry, School
from .permissions import REGISTRY_VIEW_ROLES
from .selectors import municipalities_of_schools
from .selectors.directory import NOT_IN_REGISTRY

SEARCH_PLACEHOLDER = _("Наименование или код ОО")


def _user_municipalities(request) -> QuerySet[Municipality]:
    return municipalities_of_schools(request.user) if request is not None else Municipality.objects.none()


def _registry_municipalities(request) -> QuerySet[Municipality]:
    if request is None:
        return Municipality.objects.none()
    return municipalities_for(request.user, roles=REGISTRY_VIEW_ROLES).active().order_by("name")


def _year_choices(years: list[int]) -> list[tuple[int, str]]:
    return [(y, academic_year_label(y)) for y in years]


class SchoolFilterSet(ListFilterSet):
    """The directory: search, municipality, registry category of a year, leader schools."""

    q = SearchFilter(search_fields=("name", "code"), widget=forms.TextInput(attrs={"placeholder": SEARCH_PLACEHOLDER}))
    municipality = django_filters.ModelChoiceFilter(
        label=_("Муниципалитет"), queryset=_user_municipalities, empty_label=_("Все муниципалитеты")
    )
    category = django_filters.ChoiceFilter(
        label=_("Категория"),
        choices=[*Category.choices, (NOT_IN_REGISTRY, _("Не в реестре"))],
        empty_label=_("Все категории"),
        method="filter_registry",
    )
    year = django_filters.ChoiceFilter(
        label=_("Учебный год в реестре"), empty_label=_("Все годы"), method="filter_registry"
    )
    leader = django_filters.ChoiceFilter(
        label=_("Школа-лидер"),
        choices=[("yes", _("Только школы-лидеры")), ("no", _("Кроме школ-лидеров"))],
        empty_label=_("Все ОО"),
        method="filter_leader",
    )
    sort = SortFilter(
        columns={
            "code": ("code",),
            "name": ("name",),
            "municipality": ("municipality__name", "name"),
            "teachers": ("teachers_count", "name"),
            "pupils": ("pupils_count", "name"),
        },
        default="name",
    )

    class Meta:
        model = School
        fields: list[str] = []

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = _year_choices(years)

    @property
    def academic_year(self) -> int | None:
        """The registry year chosen (the directory shows that year's entry of each school)."""
        year = self.form.cleaned_data.get("year") if self.is_valid() else None
        return int(year) if year else None

    def filter_registry(self, queryset: QuerySet[School], name: str, value) -> QuerySet[School]:
        """Category and year together: schools with an entry of that category in that year (or
        without any entry, for «Не в реестре»); a year alone keeps the schools in that year's registry."""
        data = self.form.cleaned_data
        category, year = data.get("category"), int(data.get("year") or 0)
        if name == "year" and category:
            return queryset  # applied with the category
        entries = RegistryEntry.objects.all()
        if year:
            entries = entries.filter(academic_year=year)
        if category == NOT_IN_REGISTRY:
            return queryset.exclude(pk__in=entries.values("school_id"))
        if category:
            return queryset.filter(pk__in=entries.filter(category=category).values("school_id"))
        return queryset.filter(pk__in=entries.values("school_id")) if year else queryset

    def filter_leader(self, queryset: QuerySet[School], name: str, value: str) -> QuerySet[School]:
        return queryset.filter(is_leader=value == "yes") if value else queryset


class RegistryFilterSet(ListFilterSet):
    """The registry of one academic year: municipality, category, in or excluded, search."""

    year = django_filters.ChoiceFilter(label=_("Учебный год"), field_name="academic_year", empty_label=None)
    municipality = django_filters.ModelChoiceFilter(
        label=_("Муниципалитет"),
        field_name="school__municipality",
        queryset=_registry_municipalities,
        empty_label=_("Все муниципалитеты"),
    )
    category = django_filters.ChoiceFilter(
        label=_("Категория"), choices=Category.choices, empty_label=_("Все категории")
    )
    status = django_filters.ChoiceFilter(
        label=_("Состояние"),
        choices=[("active", _("В реестре")), ("excluded", _("Исключённые"))],
        empty_label=_("Все записи"),
        method="filter_status",
    )
    q = SearchFilter(
        search_fields=("school__name", "school__code"),
        widget=forms.TextInput(attrs={"placeholder": SEARCH_PLACEHOLDER}),
    )
    sort = SortFilter(
        columns={
            "code": ("school__code",),
            "school": ("school__name",),
            "municipality": ("school__municipality__name", "school__name"),
            "category": ("category", "school__name"),
            "included": ("included_on", "school__name"),
            "excluded": ("excluded_on", "school__name"),
        },
        default="municipality",
    )

    class Meta:
        model = RegistryEntry
        fields: list[str] = []

    def __init__(self, data, *args, years: list[int], default_year: int, **kwargs) -> None:
        data = data.copy()
        if not data.get("year"):
            data["year"] = str(default_year)
        super().__init__(data, *args, **kwargs)
        self.default_year = default_year
        self.filters["year"].extra["choices"] = _year_choices(years)

    @property
    def academic_year(self) -> int:
        return int(self.form.cleaned_data["year"]) if self.is_valid() else self.default_year

    def unfiltered(self) -> QuerySet[RegistryEntry]:
        """An invalid filter shows the whole registry of the default year."""
        return super().unfiltered().filter(academic_year=self.default_year)

    def filter_status(self, queryset: QuerySet[RegistryEntry], name: str, value: str) -> QuerySet[RegistryEntry]:
        if value == "active":
            return queryset.filter(excluded_on__isnull=True)
        if value == "excluded":
            return queryset.filter(excluded_on__isnull=False)
        return queryset
