from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("indicators/", views.indicator_list, name="indicator-list"),
    path("campaigns/", views.campaign_list, name="campaign-list"),
    path("campaigns/new/", views.campaign_create_view, name="campaign-create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/schools/<int:school_pk>/", views.campaign_entry, name="campaign-entry"),
    path("visits/", views.visit_list, name="visit-list"),
    path("visits/new/", views.visit_edit, name="visit-create"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit-edit"),
    path("visits/<int:pk>/delete/", views.visit_delete_view, name="visit-delete"),
    path("results/", views.result_list, name="result-list"),
    path("results/new/", views.result_edit, name="result-create"),
    path("results/<int:pk>/edit/", views.result_edit, name="result-edit"),
    path("results/<int:pk>/delete/", views.result_delete_view, name="result-delete"),
    path("dynamics/school/<int:school_pk>/", views.dynamics_school, name="dynamics-school"),
    path("dynamics/municipality/<int:municipality_pk>/", views.dynamics_municipality, name="dynamics-municipality"),
]
