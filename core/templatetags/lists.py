"""Template tags of the list pages: sortable column headers, page ranges and the breadcrumb trail."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page
from django.urls import NoReverseMatch, reverse

from core.lists import SORT_PARAM

register = template.Library()


@register.inclusion_tag("includes/sort_th.html", takes_context=True)
def sort_th(context: template.Context, key: str, label: str, css: str = "", listing: Any = None) -> dict:
    """A sortable column header: `{% sort_th "name" "Наименование" %}`; the link toggles the
    direction and keeps the other query parameters (the page goes back to the first)."""
    listing = listing if listing is not None else context.get("listing")
    current = listing.sort if listing is not None else context.request.GET.get(SORT_PARAM, "")
    state = "asc" if current == key else "desc" if current == f"-{key}" else ""
    return {
        "request": context.request,
        "label": label,
        "css": css,
        "state": state,
        "next": f"-{key}" if state == "asc" else key,
    }


@register.filter
def elided_range(page: Page) -> list:
    """Page numbers around the current one, with ellipses (`Paginator.get_elided_page_range`)."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


def _href(target: Any) -> str:
    target = str(target or "")
    if not target or target.startswith(("/", "?", "#", "http")):
        return target
    try:
        return reverse(target)
    except NoReverseMatch:
        return target


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(*items: Any) -> dict:
    """The breadcrumb trail after «Главная»: pairs of label and link (a URL or a URL name), then the
    current page's label: `{% breadcrumbs "Школы" "schools:school-list" school.name %}`. A pair
    with an empty link is shown as plain text."""
    pairs, current = items[:-1] if len(items) % 2 else items, items[-1] if len(items) % 2 else None
    crumbs = [{"label": pairs[i], "url": _href(pairs[i + 1])} for i in range(0, len(pairs), 2)]
    return {"crumbs": crumbs, "current": current}
