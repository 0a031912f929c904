"""Navigation bar: each app contributes the items its roles may use (`<app>/navigation.py`, registered
in `core.registry.navigation`)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from core.registry import navigation as nav_sections
from core.scope import memberships, roles_of

# Up to this many items the bar stays flat; beyond it, apps that declare a GROUP fold their items into
# a dropdown, so a coordinator's thirteen items fit on one line at 1366 px.
MAX_FLAT_ITEMS = 7


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = roles_of(user)
    items = []
    groups: list[tuple[str | None, list[dict]]] = []
    for section in nav_sections:
        app_items = []
        for label, url_name, allowed in section.items:
            if allowed is None or roles & set(allowed):
                try:
                    url = reverse(url_name)
                except NoReverseMatch:
                    continue
                app_items.append({"label": label, "url": url, "active": False})
        items += app_items
        group = section.group
        if group and groups and groups[-1][0] == group:  # two apps under one heading: one dropdown
            groups[-1][1].extend(app_items)
        else:
            groups.append((group, app_items))
    # Only the most specific item is active: /schools/registry/ lights «Реестр», not «Школы» too.
    matching = [item for item in items if item["url"] != "/" and request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    menu: list[dict] = []
    for group, app_items in groups:
        if group and len(app_items) > 1 and len(items) > MAX_FLAT_ITEMS:
            active = any(item["active"] for item in app_items)
            menu.append({"label": group, "children": app_items, "active": active})
        else:
            menu += app_items
    return {"nav_items": items, "nav_menu": menu, "user_roles": roles, "user_memberships": memberships(user)}
