"""Every view: the allowed user succeeds, an outsider gets 404, a wrong role 403, a wrong method 405."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone

from reports.models import AnalyticalReference, JobStatus, ReferenceStatus, RenderJob
from tests import factories as f


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "test document"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = _blank_pdf()


@pytest.fixture
def reference(scenario, methodist):
    return f.reference(
        municipality=scenario["municipality"],
        created_by=methodist,
        title="Аналитическая справка по результатам мониторинга",
    )


@pytest.fixture
def version(reference):
    return f.ReferenceVersionFactory(reference=reference, pdf=PDF)


@pytest.fixture
def signed(version, reference, head):
    version.signed_by = head
    version.signed_at = timezone.now()
    version.signed_on = dt.date(2021, 7, 7)
    version.signatory_name = "Н.А. Бозина"
    version.signatory_position = "Начальник управления образования"
    version.signed_number = "00-14/08-2729"
    version.approval_kind = "approve"
    version.save()
    reference.status = ReferenceStatus.SIGNED
    reference.save()
    return version


@pytest.fixture
def outsider_head(db):
    return f.user_with_role("head", municipality=f.MunicipalityFactory())


def _as(client, user):
    client.force_login(user)
    return client


# --- list and create ---------------------------------------------------------------------------


def test_list_shows_scope_only(client, reference, methodist, outsider_methodist, django_assert_max_num_queries):
    _as(client, methodist)
    with django_assert_max_num_queries(10):
        response = client.get("/references/")
    assert response.status_code == 200
    assert reference.title in response.content.decode()
    response = _as(client, outsider_methodist).get("/references/")
    assert response.status_code == 200 and reference.title not in response.content.decode()


def test_list_links_signed_pdf(client, signed, coordinator, django_assert_max_num_queries):
    for n in range(5):
        AnalyticalReference.objects.create(
            template="methodical-help",
            scope_kind="region",
            region=signed.reference.region,
            date_from=dt.date(2020, 9, 1),
            date_to=dt.date(2021, 6, 30),
            title=f"Сводная справка {n}",
        )
    _as(client, coordinator)
    with django_assert_max_num_queries(10):
        page = client.get("/references/").content.decode()
    assert f"/references/versions/{signed.pk}/pdf/?download=1" in page
    assert "Сводная справка 4" in page


def test_list_refuses_roles_without_references(client, director, reference):
    assert _as(client, director).get("/references/").status_code == 403


def test_list_wrong_method(client, methodist):
    assert _as(client, methodist).post("/references/").status_code == 405


def test_coordinator_filters_by_template_and_status(client, reference, coordinator, scenario):
    AnalyticalReference.objects.create(
        template="program-report",
        scope_kind="municipality",
        region=scenario["region"],
        municipality=scenario["municipality"],
        date_from=dt.date(2020, 9, 1),
        date_to=dt.date(2021, 6, 30),
        title="Отчёт Котельниковского района",
        status="signed",
    )
    page = _as(client, coordinator).get("/references/?template=program-report").content.decode()
    assert "Отчёт Котельниковского района" in page and reference.title not in page
    page = client.get("/references/?status=draft").content.decode()
    assert "Отчёт Котельниковского района" not in page and reference.title in page
    page = client.get("/references/?date_from=2021-01-01").content.decode()
    assert reference.title not in page


def test_create_page(client, methodist, scenario):
    response = _as(client, methodist).post(
        "/references/new/",
        {
            "template": "methodical-help",
            "scope": f"municipality:{scenario['municipality'].code}",
            "date_from": "2020-09-01",
            "date_to": "2021-06-30",
            "precision": 2,
        },
    )
    assert response.status_code == 302
    ref = AnalyticalReference.objects.get()
    assert ref.created_by == methodist and ref.draft_pending
    assert ref.transitions.get().action == "create"


def test_create_refuses_other_scope_and_roles(client, methodist, head, scenario):
    other = f.MunicipalityFactory()
    response = _as(client, methodist).post(
        "/references/new/",
        {
            "template": "methodical-help",
            "scope": f"municipality:{other.code}",
            "date_from": "2020-09-01",
            "date_to": "2021-06-30",
            "precision": 2,
        },
    )
    assert response.status_code == 200 and not AnalyticalReference.objects.exists()
    assert _as(client, head).get("/references/new/").status_code == 403
    assert _as(client, methodist).put("/references/new/").status_code == 405


def test_create_rejects_reversed_period(client, methodist, scenario):
    response = _as(client, methodist).post(
        "/references/new/",
        {
            "template": "methodical-help",
            "scope": f"municipality:{scenario['municipality'].code}",
            "date_from": "2021-06-30",
            "date_to": "2020-09-01",
            "precision": 2,
        },
    )
    assert "Окончание периода раньше его начала" in response.content.decode()


# --- detail, edit and actions ------------------------------------------------------------------


def test_detail(client, reference, version, methodist, coordinator, outsider_methodist, django_assert_max_num_queries):
    _as(client, methodist)
    with django_assert_max_num_queries(30):
        response = client.get(f"/references/{reference.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Данные на сегодня" in page and "курсы повышения квалификации" in page
    assert _as(client, coordinator).get(f"/references/{reference.pk}/").status_code == 200
    assert _as(client, outsider_methodist).get(f"/references/{reference.pk}/").status_code == 404
    assert _as(client, methodist).post(f"/references/{reference.pk}/").status_code == 405


def test_edit_saves_narrative_and_recommendations(client, reference, methodist):
    data = {
        "title": "Справка",
        "precision": 1,
        "goal": "Цель",
        "tasks": "Задача",
        "conclusions": "Вывод",
        "remarks": "Замечание",
        "decisions": "Решение",
        "author_position": "Методист",
        "author_name": "И.И. Иванов",
        "author_phone": "",
        "cover_addressee": "",
        "cover_subject": "",
        "cover_text": "",
        "outgoing_number": "",
        "outgoing_date": "",
        "rec-TOTAL_FORMS": 2,
        "rec-INITIAL_FORMS": 0,
        "rec-MIN_NUM_FORMS": 0,
        "rec-MAX_NUM_FORMS": 50,
        "rec-0-addressee": "Директору МОУ «Альфа СОШ»",
        "rec-0-text": "провести семинар",
        "rec-0-deadline": "до 01.09.2021",
        "rec-1-addressee": "",
        "rec-1-text": "",
        "rec-1-deadline": "",
        "version": reference.version,
    }
    response = _as(client, methodist).post(f"/references/{reference.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    reference.refresh_from_db()
    assert reference.precision == 1 and reference.decisions == "Решение" and not reference.draft_pending
    assert list(reference.recommendations.values_list("addressee", "deadline")) == [
        ("Директору МОУ «Альфа СОШ»", "до 01.09.2021")
    ]


def test_edit_refuses(client, reference, coordinator, head, outsider_methodist, methodist):
    assert _as(client, coordinator).get(f"/references/{reference.pk}/edit/").status_code == 403
    assert _as(client, head).get(f"/references/{reference.pk}/edit/").status_code == 403
    assert _as(client, outsider_methodist).get(f"/references/{reference.pk}/edit/").status_code == 404
    assert _as(client, methodist).delete(f"/references/{reference.pk}/edit/").status_code == 405


@pytest.mark.parametrize("action", ["generate", "send", "redraft"])
def test_post_actions_refuse(action, client, reference, head, outsider_methodist, methodist):
    url = f"/references/{reference.pk}/{action}/"
    assert _as(client, head).post(url).status_code == 403
    assert _as(client, outsider_methodist).post(url).status_code == 404
    assert _as(client, methodist).get(url).status_code == 405


def test_generate_queues_job(client, reference, methodist, monkeypatch, django_capture_on_commit_callbacks):
    from reports.services import rendering

    monkeypatch.setattr(rendering, "render_pdf", lambda template_name, context: PDF)
    with django_capture_on_commit_callbacks(execute=True):
        response = _as(client, methodist).post(f"/references/{reference.pk}/generate/", {"version": reference.version})
    assert response.status_code == 302
    version = reference.versions.get()
    assert version.job.status == JobStatus.DONE and bytes(version.pdf) == PDF


def test_send_without_render_shows_message(client, reference, methodist):
    response = _as(client, methodist).post(
        f"/references/{reference.pk}/send/", {"version": reference.version}, follow=True
    )
    assert "Сначала сформируйте справку" in response.content.decode()


def test_sign_page(client, reference, version, head, methodist, outsider_head):
    reference.status = ReferenceStatus.SENT
    reference.save()
    assert _as(client, head).get(f"/references/{reference.pk}/sign/").status_code == 200
    assert _as(client, methodist).get(f"/references/{reference.pk}/sign/").status_code == 403
    assert _as(client, outsider_head).get(f"/references/{reference.pk}/sign/").status_code == 404
    assert _as(client, head).put(f"/references/{reference.pk}/sign/").status_code == 405


def test_sign_post_signs(client, reference, version, head, monkeypatch, django_capture_on_commit_callbacks):
    from reports.services import rendering

    monkeypatch.setattr(rendering, "render_pdf", lambda template_name, context: PDF + b"signed")
    reference.status = ReferenceStatus.SENT
    reference.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = _as(client, head).post(
            f"/references/{reference.pk}/sign/",
            {
                "kind": "approve",
                "position": "Начальник",
                "name": "Н.А. Бозина",
                "signed_on": "2021-07-07",
                "outgoing_number": "12-3",
                "version": reference.version,
            },
        )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.is_signed and version.signed_number == "12-3"


def test_return(client, reference, version, head, methodist):
    reference.status = ReferenceStatus.SENT
    reference.save()
    url = f"/references/{reference.pk}/return/"
    assert _as(client, methodist).post(url, {"comment": "x"}).status_code == 403
    assert _as(client, head).get(url).status_code == 405
    assert _as(client, head).post(url, {"comment": "Исправьте выводы", "version": reference.version}).status_code == 302
    reference.refresh_from_db()
    assert reference.status == ReferenceStatus.RETURNED


def test_job_status_json(client, version, methodist, outsider_methodist):
    job = version.job
    response = _as(client, methodist).get(f"/references/jobs/{job.pk}/")
    assert response.status_code == 200
    assert response.json()["done"] is True and response.json()["pdf_url"].endswith(f"/versions/{version.pk}/pdf/")
    assert _as(client, outsider_methodist).get(f"/references/jobs/{job.pk}/").status_code == 404
    assert _as(client, methodist).post(f"/references/jobs/{job.pk}/").status_code == 405


def test_job_retry_refuses(client, version, methodist, coordinator, outsider_methodist):
    RenderJob.objects.filter(pk=version.job.pk).update(status=JobStatus.FAILED)
    url = f"/references/jobs/{version.job.pk}/retry/"
    assert _as(client, coordinator).post(url).status_code == 403
    assert _as(client, outsider_methodist).post(url).status_code == 404
    assert _as(client, methodist).get(url).status_code == 405


@pytest.mark.parametrize("kind", ["pdf", "xlsx"])
def test_version_files(kind, client, version, methodist, coordinator, outsider_methodist):
    url = f"/references/versions/{version.pk}/{kind}/"
    response = _as(client, methodist).get(url)
    assert response.status_code == 200
    assert response.content == (PDF if kind == "pdf" else b"PK\x03\x04")
    assert _as(client, coordinator).get(url).status_code == 200
    assert _as(client, outsider_methodist).get(url).status_code == 404
    assert _as(client, methodist).post(url).status_code == 405


def test_signed_zip_streams_signed_pdfs(client, signed, coordinator, methodist, outsider_head, scenario):
    response = _as(client, coordinator).get("/references/signed.zip")
    assert response.status_code == 200 and response.streaming
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    [name] = archive.namelist()
    assert name.startswith(f"{scenario['municipality'].code}/roadmap-monitoring-20200901-20210630-v1")
    assert archive.read(name) == PDF
    assert _as(client, methodist).get("/references/signed.zip").status_code == 403
    assert _as(client, coordinator).post("/references/signed.zip").status_code == 405
    # A head of another municipality sees none of them: nothing to download.
    assert _as(client, outsider_head).get("/references/signed.zip").status_code == 302


def test_dashboard_panel(client, reference, methodist, head, django_assert_max_num_queries):
    reference.status = ReferenceStatus.SENT
    reference.save()
    page = _as(client, head).get("/").content.decode()
    assert "Ждут вашей подписи" in page and reference.title[:40] in page
    _as(client, methodist)
    with django_assert_max_num_queries(40):
        assert client.get("/").status_code == 200


def test_edit_page_shows_the_template_sections(client, reference, methodist):
    page = _as(client, methodist).get(f"/references/{reference.pk}/edit/").content.decode()
    for name in ("goal", "tasks", "conclusions", "remarks", "decisions", "rec-TOTAL_FORMS", "__prefix__"):
        assert f'name="{name}' in page or name in page
    reference.template = "program-report"
    reference.save()
    page = client.get(f"/references/{reference.pk}/edit/").content.decode()
    assert 'name="tasks"' not in page and 'name="conclusions"' in page
