"""Filters of the roadmap and report lists: each FilterSet is the list's filter form and its
`?sort=` ordering; choices are scoped to the user (`core.lists` says how lists work)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.calendar import academic_year_label, parse_period, period_choices
from core.lists import ListFilterSet, SearchFilter, SortFilter
from schools.models import Municipality
from schools.selectors import municipalities_of_schools

from .models import QuarterlyReport, ReportStatus, Roadmap, RoadmapStatus

SEARCH_PLACEHOLDER = _("Наименование или код ОО")


def _municipalities(request) -> QuerySet[Municipality]:
    """Municipalities where the user sees at least one school (archived ones are not offered)."""
    return municipalities_of_schools(request.user) if request is not None else Municipality.objects.none()


def _school_search(prefix: str) -> SearchFilter:
    return SearchFilter(
        search_fields=(f"{prefix}name", f"{prefix}code"),
        label=_("ОО"),
        widget=forms.TextInput(attrs={"placeholder": SEARCH_PLACEHOLDER}),
    )


class RoadmapFilterSet(ListFilterSet):
    q = _school_search("school__")
    municipality = django_filters.ModelChoiceFilter(
        label=_("Муниципалитет"),
        field_name="school__municipality",
        queryset=_municipalities,
        empty_label=_("Все муниципалитеты"),
    )
    year = django_filters.ChoiceFilter(label=_("Учебный год"), field_name="academic_year", empty_label=_("Все годы"))
    status = django_filters.ChoiceFilter(label=_("Статус"), choices=RoadmapStatus.choices, empty_label=_("Все статусы"))
    sort = SortFilter(
        columns={
            "school": ("school__name",),
            "municipality": ("school__municipality__name", "school__name"),
            "year": ("academic_year", "school__municipality__name", "school__name"),
            "activities": ("activity_count", "school__name"),
            "status": ("status", "school__name"),
        },
        default="-year",
    )

    class Meta:
        model = Roadmap
        fields: list[str] = []

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = [(y, academic_year_label(y)) for y in years]


class ReportFilterSet(ListFilterSet):
    """`?status=submitted` is the methodist's review queue; `?period=2021-Q2` one quarter."""

    q = _school_search("roadmap__school__")
    municipality = django_filters.ModelChoiceFilter(
        label=_("Муниципалитет"),
        field_name="roadmap__school__municipality",
        queryset=_municipalities,
        empty_label=_("Все муниципалитеты"),
    )
    status = django_filters.ChoiceFilter(label=_("Статус"), choices=ReportStatus.choices, empty_label=_("Все статусы"))
    period = django_filters.ChoiceFilter(label=_("Квартал"), empty_label=_("Все кварталы"), method="filter_period")
    sort = SortFilter(
        columns={
            "school": ("roadmap__school__name",),
            "municipality": ("roadmap__school__municipality__name", "roadmap__school__name"),
            "period": (("year", "quarter"), "roadmap__school__municipality__name", "roadmap__school__name"),
            "lines": ("line_count", "roadmap__school__name"),
            "status": ("status", "roadmap__school__name"),
            "submitted": ("submitted_at", "roadmap__school__name"),
        },
        default="-period",
    )

    class Meta:
        model = QuarterlyReport
        fields: list[str] = []

    def __init__(self, *args, periods: list[tuple[int, int]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["period"].extra["choices"] = period_choices(periods)

    def filter_period(self, queryset: QuerySet[QuarterlyReport], name: str, value: str) -> QuerySet[QuarterlyReport]:
        year, quarter = parse_period(value)  # one of the choices: already validated
        return queryset.filter(year=year, quarter=quarter)
