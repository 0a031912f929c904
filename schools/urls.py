from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("", views.school_list, name="school-list"),
    path("registry/", views.registry_list, name="registry-list"),
    path("<int:pk>/", views.school_detail, name="school-detail"),
    path("<int:pk>/registry/add/", views.registry_create, name="registry-create"),
    path("<int:pk>/exclude/", views.school_exclude, name="school-exclude"),
    path("<int:pk>/curators/add/", views.curator_assign, name="curator-assign"),
    path("<int:pk>/partners/add/", views.partner_assign, name="partner-assign"),
    path("<int:pk>/risk/<int:year>/", views.risk_profile_edit, name="risk-profile-edit"),
    path("<int:pk>/causes/add/", views.cause_create, name="cause-create"),
    path("registry/<int:pk>/edit/", views.registry_edit, name="registry-edit"),
    path("curators/<int:pk>/end/", views.curator_unassign, name="curator-unassign"),
    path("partners/<int:pk>/end/", views.partner_end, name="partner-end"),
    path("causes/<int:pk>/edit/", views.cause_edit, name="cause-edit"),
    path("causes/<int:pk>/delete/", views.cause_delete, name="cause-delete"),
]
