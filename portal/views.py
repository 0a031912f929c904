"""Login, the home dashboard that sends each role to its work, health, error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.filters import UserFilterSet
from core.forms import LoginForm
from core.lists import list_page
from core.models import Role, User
from core.registry import home_panels
from core.scope import has_role, memberships, roles_of


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Each app contributes dashboard panels for the roles it serves (`<app>/dashboard.py`, registered
    in `core.registry.home_panels`)."""
    panels = []
    for app_panels in home_panels:
        panels.extend(app_panels(request.user))
    panels.sort(key=lambda p: p.get("order", 100))
    return render(
        request,
        "portal/home.html",
        {"panels": panels, "memberships": memberships(request.user)},  # cached by the panels' role checks
    )


@login_required
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    """Users and their roles, for admins (everyone) and coordinators (their region)."""
    if not has_role(request.user, Role.ADMIN, Role.COORDINATOR):
        raise PermissionDenied
    from core.selectors import users_for

    filterset = UserFilterSet(request.GET, queryset=users_for(request.user), request=request)
    listing = list_page(request, filterset)
    return render(request, "portal/user_list.html", {"listing": listing, "form": filterset.form, "page": listing.page})


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Database and broker state, for load balancers and monitoring (no login)."""
    state: dict[str, str] = {}
    ok = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        state["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        state["database"] = f"error: {exc.__class__.__name__}"
        ok = False
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
            state["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            state["broker"] = f"error: {exc.__class__.__name__}"
            ok = False
    else:
        state["broker"] = "in-process"
    try:
        cache.get("health-probe")
        state["cache"] = "ok"
    except Exception as exc:  # noqa: BLE001
        state["cache"] = f"error: {exc.__class__.__name__}"
    state["status"] = "ok" if ok else "degraded"
    return JsonResponse(state, status=200 if ok else 503)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    """The 500 page without the request's context: no user, session or navigation, so it renders
    when the error is the database itself (a restart, a lost connection) instead of failing again."""
    from django.template import loader

    try:
        return HttpResponse(loader.get_template("errors/500.html").render({}), status=500)
    except Exception:  # noqa: BLE001 - the last resort must answer
        return HttpResponse("Внутренняя ошибка. Попробуйте повторить позже.", status=500, content_type="text/plain")


__all__ = ["LoginView", "home", "health", "user_list", "roles_of", "User"]
