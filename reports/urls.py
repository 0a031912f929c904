"""Analytical references (mounted at /references/); the public /verify/<code>/ lives in portal/urls.py."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.reference_list, name="list"),
    path("new/", views.reference_create, name="create"),
    path("signed.zip", views.signed_zip, name="signed-zip"),
    path("<int:pk>/", views.reference_detail, name="detail"),
    path("<int:pk>/edit/", views.reference_edit, name="edit"),
    path("<int:pk>/redraft/", views.reference_redraft, name="redraft"),
    path("<int:pk>/generate/", views.reference_generate, name="generate"),
    path("<int:pk>/send/", views.reference_send, name="send"),
    path("<int:pk>/sign/", views.reference_sign, name="sign"),
    path("<int:pk>/return/", views.reference_return, name="return"),
    path("jobs/<int:pk>/", views.job_status, name="job-status"),
    path("jobs/<int:pk>/retry/", views.job_retry, name="job-retry"),
    path("versions/<int:pk>/pdf/", views.version_pdf, name="version-pdf"),
    path("versions/<int:pk>/xlsx/", views.version_xlsx, name="version-xlsx"),
]
