"""Issue 11: what is signed stays what it was (the references side)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports import services
from reports.models import AnalyticalReference, ReferenceVersion
from tests import factories as f
from tests.roadmaps.test_integrity import served_name

from .test_views import reference, signed, version  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("route", "query", "content_type", "disposition", "extension"),
    [
        ("reports:version-pdf", "", "application/pdf", "inline", ".pdf"),
        ("reports:version-pdf", "?download=1", "application/pdf", "attachment", ".pdf"),
        (
            "reports:version-xlsx",
            "",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "attachment",
            ".xlsx",
        ),
    ],
)
def test_reference_files_are_never_sniffed(
    client,
    signed,  # noqa: F811
    methodist,
    route,
    query,
    content_type,
    disposition,
    extension,
):
    client.force_login(methodist)
    response = client.get(reverse(route, args=[signed.pk]) + query)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith(f"{disposition};")
    assert served_name(response["Content-Disposition"]).endswith(extension)


def test_verify_rate_limit_keys_on_the_client_behind_the_proxy(client, signed, monkeypatch, settings):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.views import public

    from .test_views import PDF

    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(public, "VERIFY_RATE", (2, 600))

    def post(address):
        return client.post(
            f"/verify/{signed.code}/",
            {"file": SimpleUploadedFile("a.pdf", PDF)},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=address,
        )

    for _ in range(2):
        post("198.51.100.7")
    assert post("198.51.100.7").status_code == 429
    assert post("203.0.113.9").status_code == 200


# The verification page, the signed PDF and the file names come from the frozen ver ---------------


@pytest.fixture
def signed_v1(make_reference, methodist, head, django_capture_on_commit_callbacks):
    from .test_workflow import _generate, _reviewed, _sign

    ref = _reviewed(make_reference("methodical-help", title="Анализ за 2020/2021 учебный год"), methodist)
    _generate(ref, methodist, django_capture_on_commit_callbacks)
    services.reference_send(reference=ref, user=methodist)
    ver = _sign(ref, head, django_capture_on_commit_callbacks)
    ver.refresh_from_db()
    ref.refresh_from_db()
    return ref, ver


def test_verify_shows_the_reference_as_signed_after_it_is_edited(client, signed_v1, methodist, coordinator, scenario):
    ref, ver = signed_v1
    services.reference_update(
        reference=ref, user=methodist, data={"title": "Совсем другой документ"}, recommendations=[]
    )
    # What an admin could still change on the reference row: its period and its scope.
    other = f.MunicipalityFactory(region=scenario["region"], name="Другой район", authority="Управление другого района")
    AnalyticalReference.objects.filter(pk=ref.pk).update(
        date_from=dt.date(2019, 1, 1), date_to=dt.date(2019, 12, 31), municipality=other, template="program-report"
    )
    page = client.get(f"/verify/{ver.code}/").content.decode()
    assert "Анализ за 2020/2021 учебный год" in page
    assert "Совсем другой документ" not in page
    assert "01.09.2020 – 30.06.2021" in page
    assert "2019" not in page
    assert "Управление другого района" not in page and "Другой район" not in page
    authority = scenario["municipality"].authority or scenario["municipality"].name
    assert authority in page
    client.force_login(coordinator)
    response = client.get(reverse("reports:version-pdf", args=[ver.pk]) + "?download=1")
    assert response.status_code == 200
    name = served_name(response["Content-Disposition"])
    assert name == f"spravka-methodical-help-{scenario['municipality'].code}-v1.pdf"


def test_rendering_uses_the_template_the_version_was_made_from(
    make_reference, methodist, monkeypatch, django_capture_on_commit_callbacks
):
    from reports.services import jobs, rendering

    from .test_workflow import _generate

    ref = make_reference("methodical-help")
    ver = _generate(ref, methodist, django_capture_on_commit_callbacks)
    AnalyticalReference.objects.filter(pk=ref.pk).update(template="roadmap-monitoring")
    ReferenceVersion.objects.filter(pk=ver.pk).update(rendered_hash="", pdf_sha256="")
    seen = []
    original = rendering.outputs_build

    def spy(**kwargs):
        seen.append(kwargs["template"])
        return original(**kwargs)

    monkeypatch.setattr(rendering, "outputs_build", spy)
    assert jobs.version_render(version_pk=ver.pk)
    assert seen == ["methodical-help"]


def test_admin_cannot_edit_or_delete_a_signed_reference(client, signed_v1, admin_user):
    ref, ver = signed_v1
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    url = reverse("admin:reports_analyticalreference_change", args=[ref.pk])
    page = client.get(url).content.decode()
    for field in ("title", "template", "date_from", "date_to", "scope_kind", "region", "municipality"):
        assert f'name="{field}"' not in page, field
    assert client.get(reverse("admin:reports_analyticalreference_delete", args=[ref.pk])).status_code == 403
    assert (
        client.post(reverse("admin:reports_analyticalreference_delete", args=[ref.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert ReferenceVersion.objects.filter(pk=ver.pk, signed_at__isnull=False).exists()


def test_admin_may_still_edit_an_unsigned_reference(client, make_reference, admin_user):
    ref = make_reference("methodical-help")
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    page = client.get(reverse("admin:reports_analyticalreference_change", args=[ref.pk])).content.decode()
    assert 'name="title"' in page and 'name="date_to"' in page
    assert client.get(reverse("admin:reports_analyticalreference_delete", args=[ref.pk])).status_code == 200


# The signature is the signing account's ---------------------------------------------------------------


@pytest.fixture
def sent(make_reference, methodist, django_capture_on_commit_callbacks):
    from .test_workflow import _generate, _reviewed

    ref = _reviewed(make_reference("methodical-help"), methodist)
    _generate(ref, methodist, django_capture_on_commit_callbacks)
    services.reference_send(reference=ref, user=methodist)
    return ref


@pytest.mark.parametrize(
    ("signed_on", "message"),
    [
        (dt.date(1900, 1, 1), "Дата подписания не может быть раньше окончания периода справки (30.06.2021)."),
        (dt.date(2021, 6, 29), "Дата подписания не может быть раньше окончания периода справки (30.06.2021)."),
        (dt.date(2999, 1, 1), "Дата подписания не может быть в будущем."),
    ],
)
def test_signing_date_lies_between_the_period_end_and_today(sent, head, signed_on, message):
    with pytest.raises(ValidationError) as exc:
        services.reference_sign(
            reference=sent,
            user=head,
            position="Начальник управления",
            name="Н.А. Бозина",
            signed_on=signed_on,
            outgoing_number="01-02/3",
        )
    assert exc.value.message_dict == {"signed_on": [message]}
    sent.refresh_from_db()
    assert sent.status == "sent"


def test_the_last_day_of_the_period_may_be_signed(sent, head, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        ver = services.reference_sign(
            reference=sent, user=head, position="", name="", signed_on=dt.date(2021, 6, 30), outgoing_number="1"
        )
    assert ver.signed_on == dt.date(2021, 6, 30)


def test_position_and_name_default_from_the_signing_account(sent, head, django_capture_on_commit_callbacks):
    head.position = "Начальник отдела образования"
    head.save()
    with django_capture_on_commit_callbacks(execute=False):
        ver = services.reference_sign(
            reference=sent, user=head, position=" ", name="", signed_on=dt.date(2021, 7, 7), outgoing_number="01-02/3"
        )
    ver.refresh_from_db()
    assert ver.signed_by == head
    assert (ver.signatory_position, ver.signatory_name) == ("Начальник отдела образования", head.short_name)


def test_sign_form_shows_the_date_error_on_the_date_field(client, sent, head):
    client.force_login(head)
    response = client.post(
        reverse("reports:sign", args=[sent.pk]),
        {
            "kind": "approve",
            "position": "Министр просвещения РФ",
            "name": "С.С. Кравцов",
            "signed_on": "01.01.2020",
            "outgoing_number": "1",
            "version": sent.version,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["signed_on"] == [
        "Дата подписания не может быть раньше окончания периода справки (30.06.2021)."
    ]
    sent.refresh_from_db()
    assert sent.status == "sent"


def test_verify_page_names_the_account_that_signed(client, sent, head, django_capture_on_commit_callbacks):
    head.last_name, head.first_name, head.middle_name = "Бозина", "Наталья", "Александровна"
    head.save()
    with django_capture_on_commit_callbacks(execute=True):
        ver = services.reference_sign(
            reference=sent,
            user=head,
            position="Министр просвещения РФ",
            name="С.С. Кравцов",
            signed_on=dt.date(2021, 7, 7),
            outgoing_number="01-02/3",
        )
    page = client.get(f"/verify/{ver.code}/").content.decode()
    assert "Подписано учётной записью" in page
    assert "Бозина Наталья Александровна" in page


# The second guard of a signed PDF: the conditional write ---------------------------------------------


def test_a_render_racing_the_signed_render_never_overwrites_it(
    make_reference, methodist, head, monkeypatch, django_capture_on_commit_callbacks
):
    """Two renders of a signed version start before either has written (a redelivered task next to the
    running one): the first to finish writes the signed PDF; the late one must not replace its bytes."""
    from reports.services import jobs, rendering

    from .test_workflow import _generate, _reviewed

    ref = _reviewed(make_reference("methodical-help"), methodist)
    _generate(ref, methodist, django_capture_on_commit_callbacks)
    services.reference_send(reference=ref, user=methodist)
    with django_capture_on_commit_callbacks(execute=False):  # the signed render is not run yet
        ver = services.reference_sign(
            reference=ref, user=head, position="", name="", signed_on=dt.date(2021, 7, 7), outgoing_number="1"
        )
    original = rendering.outputs_build
    calls = []

    def racing(**kwargs):
        calls.append(kwargs["code"])
        out = original(**kwargs)
        if len(calls) == 1:
            # The other worker renders and writes the signed PDF while this one is still busy.
            assert jobs.version_render(version_pk=ver.pk) is True
            return {**out, "pdf": out["pdf"] + b"\n% a different render\n"}
        return out

    monkeypatch.setattr(rendering, "outputs_build", racing)
    assert jobs.version_render(version_pk=ver.pk) is False
    ver.refresh_from_db()
    stored = bytes(ver.pdf)
    assert not stored.endswith(b"% a different render\n")
    assert ver.pdf_sha256 == hashlib.sha256(stored).hexdigest()
    assert len(calls) == 2


def test_admin_bulk_delete_keeps_a_signed_reference(client, signed_v1, admin_user):
    ref, ver = signed_v1
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:reports_analyticalreference_changelist"),
        {"action": "delete_selected", "_selected_action": [ref.pk], "post": "yes"},
    )
    assert response.status_code in (200, 403)
    assert AnalyticalReference.objects.filter(pk=ref.pk).exists()
    assert ReferenceVersion.objects.filter(pk=ver.pk).exists()
