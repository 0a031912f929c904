"""Navigation bar: each app contributes the items its roles may use (`<app>/navigation.py`)."""

from __future__ import annotations

from importlib import import_module

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from schools.selectors import _memberships, roles_of

NAV_APPS = ("schools", "roadmaps", "monitoring", "reports", "portal")


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = roles_of(user)
    items = []
    for app in NAV_APPS:
        try:
            module = import_module(f"{app}.navigation")
        except ModuleNotFoundError:
            continue
        for label, url_name, allowed in module.ITEMS:
            if allowed is None or roles & set(allowed):
                try:
                    url = reverse(url_name)
                except NoReverseMatch:
                    continue
                items.append({"label": label, "url": url, "active": False})
    # Only the most specific item is active: /schools/registry/ lights «Реестр», not «Школы» too.
    matching = [item for item in items if item["url"] != "/" and request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items, "user_roles": roles, "user_memberships": _memberships(user)}
