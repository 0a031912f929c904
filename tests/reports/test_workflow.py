"""Generation jobs, the render cache, sign-off, freezing and the audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reports import services
from reports.models import JobStatus, ReferenceStatus, ReferenceVersion
from reports.services import rendering
from reports.tasks import reference_render
from tests import factories as f

from .conftest import pdf_text, squash


@pytest.fixture
def count_renders(monkeypatch):
    calls = []
    original = rendering.render_pdf

    def counting(template_name, context):
        calls.append(template_name)
        return original(template_name, context)

    monkeypatch.setattr(rendering, "render_pdf", counting)
    return calls


def _generate(reference, user, capture):
    with capture(execute=True):
        version = services.reference_generate(reference=reference, user=user)
    return ReferenceVersion.objects.select_related("job").get(pk=version.pk)


def _reviewed(reference, user):
    """The text reviewed and complete: a roadmap-monitoring reference is sent with its management decisions."""
    data = {"decisions": "руководителям ОО внести корректировки в «дорожную карту»"}
    if reference.template != "roadmap-monitoring":
        data = {}
    return services.reference_update(reference=reference, user=user, data=data, recommendations=[])


def _sign(reference, head, capture, **kw):
    with capture(execute=True):
        return services.reference_sign(
            reference=reference,
            user=head,
            position=kw.get("position", "Начальник управления образования"),
            name=kw.get("name", "Н.А. Бозина"),
            signed_on=kw.get("signed_on", dt.date(2021, 7, 7)),
            outgoing_number=kw.get("number", "00-14/08-2729"),
            kind=kw.get("kind", "approve"),
        )


def test_same_inputs_are_not_rendered_twice(
    make_reference, methodist, count_renders, django_capture_on_commit_callbacks
):
    reference = make_reference("roadmap-monitoring")
    first = _generate(reference, methodist, django_capture_on_commit_callbacks)
    second = _generate(reference, methodist, django_capture_on_commit_callbacks)
    assert first.pk == second.pk
    assert len(count_renders) == 1
    # A redelivered task finds the job done and does nothing.
    assert reference_render.apply(args=[first.pk]).get() == "skipped"
    assert len(count_renders) == 1
    assert first.job.status == JobStatus.DONE
    assert first.pdf_sha256 == hashlib.sha256(bytes(first.pdf)).hexdigest()


def test_reverting_the_text_reuses_the_earlier_version(
    make_reference, methodist, count_renders, django_capture_on_commit_callbacks
):
    reference = _reviewed(make_reference("roadmap-monitoring"), methodist)
    first = _generate(reference, methodist, django_capture_on_commit_callbacks)
    services.reference_update(reference=reference, user=methodist, data={"goal": "Другая цель"}, recommendations=[])
    second = _generate(reference, methodist, django_capture_on_commit_callbacks)
    services.reference_update(
        reference=reference, user=methodist, data={"goal": first.narrative["goal"]}, recommendations=[]
    )
    again = _generate(reference, methodist, django_capture_on_commit_callbacks)
    assert (first.number, second.number, again.pk) == (1, 2, first.pk)
    assert len(count_renders) == 2
    reference.refresh_from_db()
    assert reference.current_version_id == first.pk
    services.reference_send(reference=reference, user=methodist)  # the reused version is the one sent


def test_new_text_makes_a_new_version(make_reference, methodist, count_renders, django_capture_on_commit_callbacks):
    reference = make_reference("roadmap-monitoring")
    first = _generate(reference, methodist, django_capture_on_commit_callbacks)
    services.reference_update(
        reference=reference, user=methodist, data={"decisions": "Провести семинар"}, recommendations=[]
    )
    second = _generate(reference, methodist, django_capture_on_commit_callbacks)
    assert second.number == first.number + 1
    assert second.input_hash != first.input_hash
    assert len(count_renders) == 2


def test_failed_render_shows_message_and_retries(
    make_reference, methodist, monkeypatch, django_capture_on_commit_callbacks, client
):
    def broken(template_name, context):
        raise RuntimeError("boom")

    monkeypatch.setattr(rendering, "render_pdf", broken)
    reference = make_reference("methodical-help")
    version = _generate(reference, methodist, django_capture_on_commit_callbacks)
    assert version.job.status == JobStatus.FAILED
    assert "Не удалось сформировать PDF" in version.job.message
    client.force_login(methodist)
    page = client.get(f"/references/{reference.pk}/").content.decode()
    assert "Не удалось сформировать PDF" in page and "Повторить" in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/references/jobs/{version.job.pk}/retry/")
    assert response.status_code == 302
    version.refresh_from_db()
    version.job.refresh_from_db()
    assert version.job.status == JobStatus.DONE and version.is_rendered


def test_portal_drafts_conclusions_and_remarks_from_data(make_reference):
    reference = make_reference("roadmap-monitoring")
    assert reference.draft_pending
    assert "выполнены (по утверждённым отчётам) в 2 (66,67%) ОО из 3" in reference.conclusions
    assert "наибольший охват — «курсы повышения квалификации»: 2 (66,67%)" in reference.conclusions
    assert "нет выполненных мероприятий «дорожной карты» в утверждённых отчётах за период: МОУ «Бета ООШ»" in (
        reference.remarks
    )
    assert (
        "МОУ «Альфа СОШ»: снижение среднего результата ВПР по предмету «Русский язык» с 3,58 (2020) до 3,33 (2021)"
        in (reference.remarks)
    )
    assert "не утверждено" not in reference.remarks  # a warning for the author, not a remark to sign


def test_stale_running_job_can_be_claimed_again(make_reference, methodist, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from reports.models import RenderJob

    version = _generate(make_reference("roadmap-monitoring"), methodist, django_capture_on_commit_callbacks)
    RenderJob.objects.filter(pk=version.job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    assert not services.job_claim(version_pk=version.pk)  # another worker is on it
    RenderJob.objects.filter(pk=version.job.pk).update(started_at=timezone.now() - timedelta(hours=1))
    assert services.job_claim(version_pk=version.pk)  # that worker died past the hard limit
    assert not services.job_claim(version_pk=version.pk)


def test_drafted_text_must_be_reviewed_before_sending(make_reference, methodist, django_capture_on_commit_callbacks):
    reference = make_reference("roadmap-monitoring")
    assert reference.draft_pending and "курсы повышения квалификации" in reference.conclusions
    _generate(reference, methodist, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="предложены порталом"):
        services.reference_send(reference=reference, user=methodist)
    reference = _reviewed(reference, methodist)
    _generate(reference, methodist, django_capture_on_commit_callbacks)
    services.reference_send(reference=reference, user=methodist)
    reference.refresh_from_db()
    assert reference.status == ReferenceStatus.SENT


def test_text_changed_after_rendering_cannot_be_sent(make_reference, methodist, django_capture_on_commit_callbacks):
    reference = _reviewed(make_reference("roadmap-monitoring"), methodist)
    _generate(reference, methodist, django_capture_on_commit_callbacks)
    services.reference_update(reference=reference, user=methodist, data={"goal": "Другая цель"}, recommendations=[])
    with pytest.raises(ValidationError, match="сформируйте новую версию"):
        services.reference_send(reference=reference, user=methodist)


def test_signed_version_is_frozen_after_data_changes(
    scenario, make_reference, methodist, head, count_renders, django_capture_on_commit_callbacks
):
    reference = _reviewed(make_reference("methodical-help"), methodist)
    _generate(reference, methodist, django_capture_on_commit_callbacks)
    services.reference_send(reference=reference, user=methodist)
    version = _sign(reference, head, django_capture_on_commit_callbacks)
    version = ReferenceVersion.objects.get(pk=version.pk)
    signed_pdf, signed_sha, signed_snapshot = bytes(version.pdf), version.pdf_sha256, version.snapshot
    assert signed_sha == hashlib.sha256(signed_pdf).hexdigest()
    text = pdf_text(signed_pdf)
    assert squash("УТВЕРЖДАЮ Начальник управления образования Н.А. Бозина 07.07.2021 № 00-14/08-2729") in text
    assert "ПРОЕКТ" not in text
    renders = len(count_renders)

    # The data changes: Бета gets a visit, Альфа's PD figure is corrected.
    f.MethodicalVisitFactory(school=scenario["beta"], date=dt.date(2021, 4, 1))
    scenario["alfa"].indicator_values.filter(indicator__code="teachers_trained").update(value=12)
    # Rerunning the task, or requeueing the job, does not touch the signed version.
    assert reference_render.apply(args=[version.pk]).get() == "skipped"
    services._queue_job(version.job)
    with django_capture_on_commit_callbacks(execute=True):
        pass
    reference_render.apply(args=[version.pk]).get()
    version.refresh_from_db()
    assert bytes(version.pdf) == signed_pdf
    assert version.pdf_sha256 == signed_sha
    assert version.snapshot == signed_snapshot
    assert len(count_renders) == renders

    # New data make a new version; the signed one stays as it was.
    new = _generate(reference, methodist, django_capture_on_commit_callbacks)
    assert new.number == 2 and not new.is_signed
    assert squash("12/17 70,59") in pdf_text(bytes(new.pdf))
    version.refresh_from_db()
    assert bytes(version.pdf) == signed_pdf
    reference.refresh_from_db()
    assert reference.status == ReferenceStatus.DRAFT


def test_return_requires_comment_and_is_audited(make_reference, methodist, head, django_capture_on_commit_callbacks):
    reference = _reviewed(make_reference("roadmap-monitoring"), methodist)
    _generate(reference, methodist, django_capture_on_commit_callbacks)
    services.reference_send(reference=reference, user=methodist)
    with pytest.raises(ValidationError):
        services.reference_return(reference=reference, user=head, comment="  ")
    services.reference_return(reference=reference, user=head, comment="Уточните выводы по ОО")
    reference.refresh_from_db()
    assert reference.status == ReferenceStatus.RETURNED
    trail = list(reference.transitions.values_list("action", "from_status", "to_status", "actor", "comment"))
    assert trail[-2:] == [
        ("send", "draft", "sent", methodist.pk, ""),
        ("return", "sent", "returned", head.pk, "Уточните выводы по ОО"),
    ]


def test_only_a_covering_head_signs(make_reference, methodist, head, coordinator, django_capture_on_commit_callbacks):
    reference = _reviewed(make_reference("roadmap-monitoring"), methodist)
    _generate(reference, methodist, django_capture_on_commit_callbacks)
    services.reference_send(reference=reference, user=methodist)
    other_head = f.user_with_role("head", municipality=f.MunicipalityFactory())
    for user in (methodist, coordinator, other_head):
        with pytest.raises(PermissionDenied):
            _sign(reference, user, django_capture_on_commit_callbacks)
    regional_head = f.user_with_role("head", region=reference.region)
    version = _sign(reference, regional_head, django_capture_on_commit_callbacks, kind="agree")
    assert version.signed_by == regional_head
    text = pdf_text(bytes(ReferenceVersion.objects.get(pk=version.pk).pdf))
    assert squash("СОГЛАСОВАНО: Начальник управления образования Н.А. Бозина") in text


def test_sign_validates_fields(make_reference, methodist, head, django_capture_on_commit_callbacks):
    reference = _reviewed(make_reference("roadmap-monitoring"), methodist)
    _generate(reference, methodist, django_capture_on_commit_callbacks)
    services.reference_send(reference=reference, user=methodist)
    with pytest.raises(ValidationError) as exc:
        _sign(reference, head, django_capture_on_commit_callbacks, number=" ", signed_on=dt.date(2100, 1, 1))
    assert set(exc.value.message_dict) == {"outgoing_number", "signed_on"}
    reference.refresh_from_db()
    assert reference.status == ReferenceStatus.SENT


def test_methodist_cannot_create_for_another_municipality(scenario, methodist):
    other = f.MunicipalityFactory()
    with pytest.raises(PermissionDenied):
        services.reference_create(
            user=methodist,
            template="methodical-help",
            scope_kind="municipality",
            scope_code=other.code,
            date_from=dt.date(2020, 9, 1),
            date_to=dt.date(2021, 6, 30),
        )
    with pytest.raises(PermissionDenied):
        services.reference_create(
            user=methodist,
            template="methodical-help",
            scope_kind="region",
            scope_code=scenario["region"].code,
            date_from=dt.date(2020, 9, 1),
            date_to=dt.date(2021, 6, 30),
        )


def test_cover_letter_counts_attachment_pages(make_reference, methodist, django_capture_on_commit_callbacks):
    reference = make_reference("methodical-help")
    services.reference_update(
        reference=reference,
        user=methodist,
        data={
            "cover_letter": True,
            "cover_addressee": "Руководителям ОО (по списку)",
            "cover_subject": "О направлении анализа",
            "outgoing_number": "50-14/04-27А",
            "outgoing_date": dt.date(2021, 7, 1),
        },
        recommendations=[],
    )
    version = _generate(reference, methodist, django_capture_on_commit_callbacks)
    text = pdf_text(bytes(version.pdf))
    attachment_pages = version.pdf_pages - 1
    assert squash(f"Приложение: на {attachment_pages} л. в 1 экз.") in text
    assert squash("01.07.2021 № 50-14/04-27А") in text
    assert squash(f"Страница 1 из {attachment_pages}") in text


def test_unsigned_render_never_verifies_as_signed(
    make_reference, methodist, head, monkeypatch, django_capture_on_commit_callbacks, client
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    reference = _reviewed(make_reference("roadmap-monitoring"), methodist)
    draft = _generate(reference, methodist, django_capture_on_commit_callbacks)
    draft_pdf = bytes(draft.pdf)
    services.reference_send(reference=reference, user=methodist)

    def broken(template_name, context):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(rendering, "render_pdf", broken)
    version = _sign(reference, head, django_capture_on_commit_callbacks)
    version.refresh_from_db()
    assert version.is_signed and not version.pdf_sha256 and version.job.status == JobStatus.FAILED
    upload = SimpleUploadedFile("draft.pdf", draft_pdf, content_type="application/pdf")
    page = client.post(f"/verify/{version.code}/", {"file": upload}).content.decode()
    assert "Документ подлинный" not in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.job_retry(job=version.job, user=head)
    version.refresh_from_db()
    assert version.pdf_sha256 == hashlib.sha256(bytes(version.pdf)).hexdigest()
    upload = SimpleUploadedFile("signed.pdf", bytes(version.pdf), content_type="application/pdf")
    assert "Документ подлинный" in client.post(f"/verify/{version.code}/", {"file": upload}).content.decode()


def test_lost_job_can_be_retried(make_reference, methodist, django_capture_on_commit_callbacks, client):
    from datetime import timedelta

    from django.utils import timezone

    from reports.models import RenderJob

    reference = make_reference("roadmap-monitoring")
    with django_capture_on_commit_callbacks(execute=False):  # the broker loses the message
        version = services.reference_generate(reference=reference, user=methodist)
    job = RenderJob.objects.get(version=version)
    assert job.status == JobStatus.QUEUED
    with pytest.raises(ValidationError):
        services.job_retry(job=job, user=methodist)  # just queued: wait for the worker
    RenderJob.objects.filter(pk=job.pk).update(queued_at=timezone.now() - timedelta(minutes=11))
    client.force_login(methodist)
    assert "Формирование не началось или прервалось" in client.get(f"/references/{reference.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.job_retry(job=RenderJob.objects.get(pk=job.pk), user=methodist)
    assert RenderJob.objects.get(pk=job.pk).status == JobStatus.DONE
