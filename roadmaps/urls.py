from django.urls import path

from . import views
from .views import exports as views_export

app_name = "roadmaps"

urlpatterns = [
    path("maps/", views.roadmap_list, name="roadmap-list"),
    path("maps/create/", views.roadmap_create, name="roadmap-create"),
    path("maps/<int:pk>/", views.roadmap_detail, name="roadmap-detail"),
    path("maps/<int:pk>/<slug:action>/", views.roadmap_action, name="roadmap-action"),
    path("maps/<int:roadmap_pk>/activities/add/", views.activity_edit, name="activity-add"),
    path("maps/<int:roadmap_pk>/activities/<int:pk>/", views.activity_edit, name="activity-edit"),
    path("maps/<int:roadmap_pk>/activities/<int:pk>/delete/", views.activity_delete, name="activity-delete"),
    path("maps/<int:roadmap_pk>/reports/start/", views.report_start, name="report-start"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/export/", views_export.report_export, name="report-export"),
    path("reports/export/<int:pk>/status/", views_export.report_export_status, name="report-export-status"),
    path("reports/export/<int:pk>/download/", views_export.report_export_download, name="report-export-download"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/<slug:action>/", views.report_action, name="report-action"),
    path("status/", views.status_board, name="status-board"),
    path("status/deadline/", views.deadline_update, name="deadline-update"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
]
