"""Web import: upload → check (job) → preview → confirm (job) → result; template download."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.models import ImportJob
from schools.models import RegistryEntry, School
from tests import factories as f
from tests.fixtures.workbooks import make_workbook

OO = ["Код ОО", "Наименование", "Муниципалитет", "Тип", "Директор", "Педагогов", "Обучающихся", "Школа-лидер"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(content: bytes, name: str = "ОО.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def _good(municipality) -> bytes:
    return make_workbook(
        {
            "ОО": [
                OO,
                ["N1", "МОУ «Первая СОШ»", municipality.code, "СОШ", "Иванов И.И.", 10, 100, "нет"],
                ["N2", "МОУ «Вторая СОШ»", municipality.name, "ООШ", "Петров П.П.", 8, 60, "нет"],
            ]
        }
    )


def _bad(municipality) -> bytes:
    return make_workbook(
        {
            "ОО": [
                OO,
                ["N1", "МОУ «Первая СОШ»", municipality.code, "СОШ", "Иванов И.И.", 10, 100, "нет"],
                ["N2", "МОУ «Вторая СОШ»", municipality.code, "ООШ", "Петров П.П.", "восемь", 60, "нет"],
            ]
        }
    )


@pytest.fixture
def uploaded(client, coordinator, municipality, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:import-list"), {"file": _upload(_good(municipality))})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:import-detail", args=[job.pk])
    return job


def test_coordinator_sees_upload_page(client, coordinator, django_assert_max_num_queries):
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:import-list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Загрузить и проверить" in body
    assert "не более 10 МБ" in body
    assert "Импорт данных" in body  # the navigation item


@pytest.mark.parametrize("fixture", ["director", "methodist", "curator", "head"])
def test_other_roles_may_not_import(client, request, fixture, municipality):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("portal:import-list")).status_code == 403
    response = client.post(reverse("portal:import-list"), {"file": _upload(_good(municipality))})
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_import_list_refuses_put(client, coordinator):
    client.force_login(coordinator)
    assert client.put(reverse("portal:import-list")).status_code == 405


def test_upload_is_checked_as_a_dry_run_and_previewed(client, uploaded, municipality):
    job = uploaded
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    assert (job.created_count, job.updated_count, job.error_count) == (2, 0, 0)
    assert not School.objects.filter(code__in=["N1", "N2"]).exists()
    assert job.file.name.startswith("imports/")
    response = client.get(reverse("portal:import-detail", args=[job.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Подтвердить импорт" in body
    assert "N2 «МОУ «Вторая СОШ»»" in body
    status = client.get(reverse("portal:import-status", args=[job.pk])).json()
    assert status == {
        "id": job.pk,
        "status": "checked",
        "status_label": "проверен, ожидает подтверждения",
        "running": False,
        "done": False,
        "failed": False,
        "stale": False,
        "progress": {"done": 0, "total": 0},
        "percent": 0,
        "message": "",
        "errors": 0,
        "created": 2,
        "updated": 0,
    }


def test_confirm_imports_for_real_and_records_the_user(
    client, uploaded, coordinator, django_capture_on_commit_callbacks
):
    job = uploaded
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:import-confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.result["sheets"] == [{"sheet": "ОО", "rows": 2, "created": 2, "updated": 0}]
    school = School.objects.get(code="N2")
    assert school.history.get().history_user == coordinator
    assert job.history.filter(status="done").exists()
    body = client.get(reverse("portal:import-detail", args=[job.pk])).content.decode()
    assert "Импорт выполнен: создано 2, изменено 0." in body
    # A second confirmation does nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:import-confirm", args=[job.pk]))
    assert School.objects.filter(code__in=["N1", "N2"]).count() == 2


def test_confirm_requires_post(client, uploaded):
    assert client.get(reverse("portal:import-confirm", args=[uploaded.pk])).status_code == 405


def test_another_coordinators_job_is_404(client, uploaded):
    stranger = f.user_with_role("coordinator", region=f.RegionFactory())
    client.force_login(stranger)
    assert client.get(reverse("portal:import-detail", args=[uploaded.pk])).status_code == 404
    assert client.get(reverse("portal:import-status", args=[uploaded.pk])).status_code == 404
    assert client.post(reverse("portal:import-confirm", args=[uploaded.pk])).status_code == 404
    uploaded.refresh_from_db()
    assert uploaded.status == ImportJob.Status.CHECKED


def test_director_gets_403_on_a_job_page(client, uploaded, director, admin_user):
    client.force_login(director)
    assert client.get(reverse("portal:import-list")).status_code == 403
    # The admin sees every import.
    client.force_login(admin_user)
    assert client.get(reverse("portal:import-detail", args=[uploaded.pk])).status_code == 200


def test_bad_workbook_shows_row_numbered_errors_and_writes_nothing(
    client, coordinator, municipality, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:import-list"), {"file": _upload(_bad(municipality))})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    assert [e["text"] for e in job.preview["errors"]] == ["ОО!F3: ожидается целое число, получено «восемь»"]
    body = client.get(reverse("portal:import-detail", args=[job.pk])).content.decode()
    assert "F3" in body and "Подтвердить импорт" not in body
    assert client.post(reverse("portal:import-confirm", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert not School.objects.filter(code__in=["N1", "N2"]).exists()


def test_coordinator_cannot_import_into_another_region(
    client, coordinator, other_school, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    data = make_workbook(
        {
            "Реестр": [
                [
                    "Код ОО",
                    "Учебный год",
                    "Категория",
                    "Основание",
                    "Дата включения",
                    "Дата исключения",
                    "Обоснование исключения",
                    "Куратор",
                    "Школа-наставник",
                ],
                [other_school.code, "2020/2021", "ШНОР", "", "01.09.2020", "", "", "", ""],
            ]
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:import-list"), {"file": _upload(data)})
    job = ImportJob.objects.get()
    assert job.preview["errors"][0]["text"] == f"Реестр!A2: ОО «{other_school.code}» вне вашей зоны ответственности"
    assert RegistryEntry.objects.count() == 0


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("data.csv", b"a;b", "формате .xlsx"),
        ("data.xlsx", b"not a zip at all", "Файл не является книгой Excel (.xlsx)."),
    ],
)
def test_upload_rejects_wrong_files_with_a_message(client, coordinator, name, content, message):
    client.force_login(coordinator)
    response = client.post(reverse("portal:import-list"), {"file": _upload(content, name)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_upload_size_cap(client, coordinator, settings, municipality):
    settings.WORKBOOK_MAX_BYTES = 2048
    client.force_login(coordinator)
    response = client.post(reverse("portal:import-list"), {"file": _upload(_good(municipality))})
    assert "Файл слишком большой" in response.content.decode()
    assert not ImportJob.objects.exists()


# -- template download -------------------------------------------------------------------------


def test_methodist_downloads_template_of_their_municipality(client, methodist, school, other_school):
    client.force_login(methodist)
    assert client.get(reverse("portal:import-template")).status_code == 200
    response = client.post(reverse("portal:import-template"), {"municipality": ""})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    from io import BytesIO

    wb = load_workbook(BytesIO(response.content))
    codes = [row[0] for row in wb["ОО"].iter_rows(min_row=2, values_only=True)]
    assert codes == [school.code]


def test_template_for_another_municipality_is_refused(client, methodist, other_school):
    client.force_login(methodist)
    response = client.post(reverse("portal:import-template"), {"municipality": other_school.municipality_id})
    assert response.status_code == 200  # the form says the choice is not allowed
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("fixture", ["director", "curator", "head"])
def test_template_is_for_staff_only(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("portal:import-template")).status_code == 403


def test_template_refuses_put(client, methodist):
    client.force_login(methodist)
    assert client.put(reverse("portal:import-template")).status_code == 405


def test_coordinator_region_template_is_built_as_a_job(
    client, coordinator, school, other_school, django_capture_on_commit_callbacks
):
    f.SchoolFactory(municipality=f.MunicipalityFactory(region=school.municipality.region), code="B1")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:import-template"), {"municipality": ""})
    job = ImportJob.objects.get(kind=ImportJob.Kind.TEMPLATE)
    assert response["Location"] == reverse("portal:import-template-job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert client.get(reverse("portal:import-template-job", args=[job.pk])).status_code == 200
    download = client.get(reverse("portal:import-template-download", args=[job.pk]))
    assert download.status_code == 200
    from io import BytesIO

    wb = load_workbook(BytesIO(b"".join(download.streaming_content)))
    codes = sorted(row[0] for row in wb["ОО"].iter_rows(min_row=2, values_only=True))
    assert codes == sorted(["B1", school.code])
    stranger = f.user_with_role("coordinator", region=f.RegionFactory())
    client.force_login(stranger)
    assert client.get(reverse("portal:import-template-download", args=[job.pk])).status_code == 404
