"""Filters of the reference list (and of the signed-PDF archive, which takes the same query):
the FilterSet is the filter form and the `?sort=` ordering, choices scoped to the user (`core.lists`)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.lists import ListFilterSet, SearchFilter, SortFilter
from core.scope import municipalities_for
from schools.models import Municipality

from .models import AnalyticalReference, ReferenceStatus, ReferenceTemplate


def _municipalities(request) -> QuerySet[Municipality]:
    if request is None:
        return Municipality.objects.none()
    return municipalities_for(request.user).active().order_by("name")  # archived: not offered


class ReferenceFilterSet(ListFilterSet):
    """A period filter keeps the references lying inside it."""

    q = SearchFilter(search_fields=("title",), label=_("Название"))
    template = django_filters.ChoiceFilter(
        label=_("Шаблон"), choices=ReferenceTemplate.choices, empty_label=_("Все шаблоны")
    )
    status = django_filters.ChoiceFilter(
        label=_("Статус"), choices=ReferenceStatus.choices, empty_label=_("Все статусы")
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Муниципалитет"), queryset=_municipalities, empty_label=_("Все муниципалитеты")
    )
    date_from = django_filters.DateFilter(label=_("Период с"), field_name="date_from", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("Период по"), field_name="date_to", lookup_expr="lte")
    sort = SortFilter(
        columns={
            "title": ("title",),
            "template": ("template", "-date_to"),
            "territory": (("region__name", "municipality__name"), "-date_to"),
            "period": (("date_to", "date_from"), "region__name", "municipality__name"),
            "status": ("status", "-date_to"),
            "updated": ("updated_at",),
        },
        default="-period",
    )

    class Meta:
        model = AnalyticalReference
        fields: list[str] = []

    def __init__(self, *args, with_municipality: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not with_municipality:  # one municipality: nothing to choose
            del self.filters["municipality"]
