"""Filters of the monitoring lists (indicators, campaigns, visits, results): each FilterSet is the
list's filter form and its `?sort=` ordering; choices are scoped to the user (`core.lists`)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.lists import ListFilterSet, SearchFilter, SortFilter
from core.scope import schools_for
from schools.models import Municipality, School
from schools.selectors import municipalities_of_schools

from .models import AssessmentResult, Campaign, Indicator, IndicatorKind, MethodicalVisit, Procedure


def _schools(request) -> QuerySet[School]:
    if request is None:
        return School.objects.none()
    return schools_for(request.user).active().order_by("name").only("pk", "name")  # archived: not offered


def _municipalities(request) -> QuerySet[Municipality]:
    """Municipalities where the user sees at least one school (archived ones are not offered)."""
    return municipalities_of_schools(request.user) if request is not None else Municipality.objects.none()


def _school_filter() -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(label=_("ОО"), queryset=_schools, empty_label=_("Все ОО"))


def _municipality_filter() -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        label=_("Муниципалитет"),
        field_name="school__municipality",
        queryset=_municipalities,
        empty_label=_("Все муниципалитеты"),
    )


class IndicatorFilterSet(ListFilterSet):
    q = SearchFilter(
        search_fields=("name", "code"), widget=forms.TextInput(attrs={"placeholder": _("Название или код")})
    )
    kind = django_filters.ChoiceFilter(label=_("Вид"), choices=IndicatorKind.choices, empty_label=_("Все виды"))
    entered_by = django_filters.ChoiceFilter(
        label=_("Кто вносит"), choices=Indicator._meta.get_field("entered_by").choices, empty_label=_("Все")
    )
    active = django_filters.ChoiceFilter(
        label=_("Состояние"),
        field_name="is_active",
        choices=[("1", _("Действующие")), ("0", _("Не используются"))],
        empty_label=_("Все"),
        method="filter_active",
    )
    sort = SortFilter(
        columns={
            "catalogue": ("order", "code"),
            "name": ("name",),
            "kind": ("kind", "order", "code"),
            "entered_by": ("entered_by", "order", "code"),
        },
        default="catalogue",
    )

    class Meta:
        model = Indicator
        fields: list[str] = []

    def filter_active(self, queryset: QuerySet[Indicator], name: str, value: str) -> QuerySet[Indicator]:
        return queryset.filter(is_active=value == "1")


class CampaignFilterSet(ListFilterSet):
    q = SearchFilter(search_fields=("name",), label=_("Название"))
    state = django_filters.ChoiceFilter(
        label=_("Состояние"),
        choices=[("open", _("Идёт внесение")), ("closed", _("Срок истёк"))],
        empty_label=_("Все"),
        method="filter_state",
    )
    sort = SortFilter(
        columns={
            "name": ("name",),
            "period": (("period_from", "period_to"), "name"),
            "deadline": ("deadline", "name"),
        },
        default="-deadline",
    )

    class Meta:
        model = Campaign
        fields: list[str] = []

    def filter_state(self, queryset: QuerySet[Campaign], name: str, value: str) -> QuerySet[Campaign]:
        today = timezone.localdate()
        return queryset.filter(deadline__gte=today) if value == "open" else queryset.filter(deadline__lt=today)


class VisitFilterSet(ListFilterSet):
    school = _school_filter()
    municipality = _municipality_filter()
    date_from = django_filters.DateFilter(label=_("Дата с"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("Дата по"), field_name="date", lookup_expr="lte")
    sort = SortFilter(
        columns={"date": ("date", "school__name"), "school": ("school__name", "-date")},
        default="-date",
    )

    class Meta:
        model = MethodicalVisit
        fields: list[str] = []


class ResultFilterSet(ListFilterSet):
    school = _school_filter()
    municipality = _municipality_filter()
    procedure = django_filters.ChoiceFilter(label=_("Процедура"), choices=Procedure.choices, empty_label=_("Все"))
    year = django_filters.NumberFilter(label=_("Год"), min_value=2000, max_value=2100)
    sort = SortFilter(
        columns={
            "school": ("school__name", "school_id", "procedure_rank", "subject", "year"),
            "procedure": ("procedure_rank", "subject", "school__name", "year"),
            "subject": ("subject", "school__name", "year"),
            "year": ("year", "school__name", "procedure_rank", "subject"),
            "average": ("average", "school__name"),
        },
        default="school",
    )

    class Meta:
        model = AssessmentResult
        fields: list[str] = []
