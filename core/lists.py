"""Every list page of the portal is filtered, sorted and paginated the same way.

A list view builds its app's FilterSet (`<app>/filters.py`, django-filter) over a queryset already
scoped to the user and hands it to `list_page()`. The FilterSet is the filter form: Russian labels,
Russian errors, choices scoped to the user through the `request` it receives. An invalid value shows
the unfiltered list with a message saying what was wrong, never a 500. `SortFilter` is the `?sort=`
parameter (a leading "-" reverses) and always ends the ordering with the primary key, so pages are
stable. Templates show `includes/pagination.html` and sortable headers with `{% sort_th %}` (both
keep the other query parameters through `{% querystring %}`). Nothing is ever cut at N rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, date_error_messages

PAGE_SIZE = 25
SORT_PARAM = "sort"
PAGE_PARAM = "page"


def text_search_q(query: str, *fields: str) -> Q:
    """Case-insensitive search that also works for Cyrillic on SQLite (whose LIKE folds ASCII only):
    besides `icontains` it tries the lower-case, capitalised and upper-case spellings."""
    query = " ".join(query.split())
    q = Q()
    if not query:
        return q
    variants = {query, query.lower(), query.upper(), query.capitalize(), query[:1].upper() + query[1:]}
    for name in fields:
        q |= Q(**{f"{name}__icontains": query})
        for variant in variants:
            q |= Q(**{f"{name}__contains": variant})
    return q


class SearchFilter(django_filters.CharFilter):
    """A free-text search over several fields (`text_search_q`)."""

    def __init__(self, *, search_fields: tuple[str, ...], **kwargs: Any) -> None:
        self.search_fields = search_fields
        kwargs.setdefault("label", _("Поиск"))
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if not value or not value.strip():
            return qs
        return qs.filter(text_search_q(value, *self.search_fields)).distinct()


class SortFilter(django_filters.OrderingFilter):
    """`?sort=key` or `?sort=-key`: each column key orders by its fields, then by the primary key.

    `columns` maps a key to the fields it orders by; descending reverses the first entry only (a
    tuple there reverses together, like year and quarter), the others break ties in their natural
    order. `default` is the key (maybe with "-") used when none is given.
    """

    descending_fmt = _("%s (по убыванию)")

    def __init__(self, *, columns: dict[str, tuple], default: str, **kwargs: Any) -> None:
        self.columns = columns
        self.default = default
        kwargs.setdefault("label", _("Сортировка"))
        kwargs.setdefault("field_labels", {key: key for key in columns})
        super().__init__(fields={key: key for key in columns}, **kwargs)

    def ordering(self, keys: list[str] | None) -> list[str]:
        fields: list[str] = []
        for key in keys or [self.default]:
            descending = key.startswith("-")
            first, *rest = self.columns[key.lstrip("-")]
            for name in (first,) if isinstance(first, str) else first:
                fields.append(_reverse(name) if descending else name)
            fields += rest
        return [*fields, "pk"]

    def filter(self, qs: QuerySet, value: list[str] | None) -> QuerySet:
        return qs.order_by(*self.ordering([v for v in value or [] if v]))


def _reverse(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


class ListFilterSet(django_filters.FilterSet):
    """Base of the portal's FilterSets: Bootstrap widgets, dates typed as ДД.ММ.ГГГГ, and
    `unfiltered()`, what an invalid filter shows."""

    @property
    def form(self) -> forms.Form:
        form = super().form
        if not getattr(form, "styled", False):
            for field in form.fields.values():
                _style(field)
            form.styled = True
        return form

    def unfiltered(self) -> QuerySet:
        """The queryset with no filter applied, only its (valid or default) sorting."""
        qs = self.queryset.all()
        cleaned = getattr(self.form, "cleaned_data", {})
        for name, filter_ in self.filters.items():
            if isinstance(filter_, SortFilter):
                qs = filter_.filter(qs, cleaned.get(name))
        return qs

    def error_text(self) -> str:
        """The form's errors as one Russian sentence: «Муниципалитет — Выберите …»."""
        parts = []
        for name, errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else ""
            # A message that already names its field («Период с») is not prefixed with the label again.
            parts.extend(str(error) if not label or f"«{label}»" in error else f"{label} — {error}" for error in errors)
        return "; ".join(parts)

    @property
    def current_sort(self) -> str:
        """The sort key in effect (the default when none or an invalid one was given)."""
        for name, filter_ in self.filters.items():
            if isinstance(filter_, SortFilter):
                value = getattr(self.form, "cleaned_data", {}).get(name) if self.is_bound else None
                return value[0] if value else filter_.default
        return ""

    @property
    def is_filtered(self) -> bool:
        """Whether any filter other than sorting has a value (for «Сбросить» and empty-list texts)."""
        if not self.is_bound:
            return False
        return any(self.data.get(name) for name, filter_ in self.filters.items() if not isinstance(filter_, SortFilter))


def _style(field: forms.Field) -> None:
    if isinstance(field, forms.DateField):
        field.widget = DateInput()
        field.error_messages.update(date_error_messages(field.label))
    widget = field.widget
    if isinstance(widget, forms.Select):
        widget.attrs.setdefault("class", "form-select form-select-sm")
        widget.attrs.setdefault("data-autosubmit", "")
    elif not widget.is_hidden:
        widget.attrs.setdefault("class", "form-control form-control-sm")


@dataclass
class ListPage:
    """One page of a filtered, sorted list, with its FilterSet (the filter form)."""

    filter: ListFilterSet
    page: Page

    @property
    def rows(self) -> list:
        return self.page.object_list

    @property
    def form(self):
        return self.filter.form

    @property
    def sort(self) -> str:
        return self.filter.current_sort

    @property
    def filtered(self) -> bool:
        return self.filter.is_filtered


def filtered_queryset(request: HttpRequest, filterset: ListFilterSet) -> QuerySet:
    """The FilterSet's queryset; when a value is invalid, the unfiltered list and a message."""
    if not filterset.is_bound:
        return filterset.unfiltered()
    if filterset.is_valid():
        return filterset.qs
    messages.error(request, _("Фильтр не применён: %(errors)s") % {"errors": filterset.error_text()})
    return filterset.unfiltered()


def paginate(request: HttpRequest, rows: Any, *, per_page: int = PAGE_SIZE) -> Page:
    """One page of rows; a page number out of range gives the last page, a non-number the first
    (Django's `Paginator.get_page`), the same on every list."""
    return Paginator(rows, per_page).get_page(request.GET.get(PAGE_PARAM))


def list_page(request: HttpRequest, filterset: ListFilterSet, *, per_page: int = PAGE_SIZE) -> ListPage:
    """Filter, sort and paginate: what every list view renders."""
    return ListPage(filter=filterset, page=paginate(request, filtered_queryset(request, filterset), per_page=per_page))
