from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import views_import
from reports import views as reports_views

from . import views

portal_patterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(success_url="/password/done/"),
        name="password-change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path("health/", views.health, name="health"),
    path("users/", views.user_list, name="user-list"),
    *views_import.urlpatterns,
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("schools/", include("schools.urls")),
    path("roadmaps/", include("roadmaps.urls")),
    path("monitoring/coverage/", include("coverage.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("references/", include("reports.urls")),
    path("verify/", reports_views.verify_start, name="verify-start"),
    path("verify/<str:code>/", reports_views.verify, name="verify"),
    path("admin/", admin.site.urls),
]

handler404 = "portal.views.error_404"
handler403 = "portal.views.error_403"
handler500 = "portal.views.error_500"
