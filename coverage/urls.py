from django.urls import path

from . import views

app_name = "coverage"

# Included under /monitoring/coverage/, where the page has always been.
urlpatterns = [
    path("", views.coverage, name="page"),
    path("refresh/", views.coverage_refresh, name="refresh"),
    path("schools/", views.coverage_drill, name="drill"),
    path("export.xlsx", views.coverage_export, name="export"),
]
