"""Issue 12: what the page says is what was signed. The blocks a reference prints, where each text
comes from (docs/references.md), the refusals to send an incomplete one, and the freezing of all of
it with the version."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.calendar import datetime_text
from reports import services
from reports.document import document_build
from reports.models import ReferenceStatus, ReferenceVersion

from .conftest import pdf_text, squash
from .test_workflow import _generate, _sign

pytestmark = pytest.mark.django_db

MSK = dt.timezone(dt.timedelta(hours=3))
DECISIONS = "руководителям ОО внести корректировки в «дорожную карту» с 01.09.2021"


def _text(version: ReferenceVersion) -> str:
    return pdf_text(bytes(version.pdf))


def _update(reference, user, recommendations=(), **data):
    return services.reference_update(reference=reference, user=user, data=data, recommendations=list(recommendations))


def _card(organisation, **fields):
    """Edit a municipality's or region's card as the admin does (a saved row, with its history)."""
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.save()
    return organisation


def _rerender(version: ReferenceVersion) -> ReferenceVersion:
    ReferenceVersion.objects.filter(pk=version.pk).update(rendered_hash="")
    services.version_render(version_pk=version.pk)
    return ReferenceVersion.objects.get(pk=version.pk)


# --- 1. The verification box -----------------------------------------------------------------------


def test_the_verification_box_prints_the_versions_data_date_and_the_public_address(
    make_reference, methodist, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.example.ru"
    version = _generate(make_reference("methodical-help"), methodist, django_capture_on_commit_callbacks)
    assert version.data_as_of is not None
    text = _text(version)
    assert squash(f"данные на {datetime_text(version.data_as_of)}") in text
    assert squash(f"https://portal.example.ru/verify/{version.code}/") in text
    assert "127.0.0.1" not in text and "демонстрационный" not in text

    # The date printed is the version's own, whenever the PDF is made.
    ReferenceVersion.objects.filter(pk=version.pk).update(data_as_of=dt.datetime(2021, 7, 6, 17, 0, tzinfo=MSK))
    text = _text(_rerender(version))
    assert squash("данные на 06.07.2021 17:00") in text
    assert squash(datetime_text(version.data_as_of)) not in text


def test_a_local_address_is_printed_as_a_demo_address(
    make_reference, methodist, settings, client, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://127.0.0.1:8000"
    version = _generate(make_reference("methodical-help"), methodist, django_capture_on_commit_callbacks)
    assert squash(f"http://127.0.0.1:8000/verify/{version.code}/ (демонстрационный адрес") in _text(version)
    page = client.get(f"/verify/{version.code}/").content.decode()
    assert f'Данные на</dt><dd class="col-sm-8">{datetime_text(version.data_as_of)}' in page


# --- 2. Only the blocks the document has content for ----------------------------------------------


def test_empty_blocks_are_left_out_and_filled_ones_printed(
    make_reference, methodist, scenario, django_capture_on_commit_callbacks
):
    _card(scenario["municipality"], head_name="", head_position="")
    reference = _update(make_reference("roadmap-monitoring"), methodist, goal="", tasks="", remarks="", decisions="")
    text = _text(_generate(reference, methodist, django_capture_on_commit_callbacks))
    for absent in ("УТВЕРЖДАЮ", "Цель:", "Задачи:", "Замечания по мониторингу", "Управленческие решения", "«____»"):
        assert squash(absent) not in text, absent
    assert squash("Руководитель органа управления образованием") not in text

    _card(scenario["municipality"], head_name="Н.А. Бозина", head_position="Начальник управления образования")
    reference = _update(
        reference,
        methodist,
        goal="оказание методической помощи",
        tasks="контролировать реализацию",
        remarks="выстроить ВСОКО",
        decisions=DECISIONS,
        outgoing_date=dt.date(2021, 7, 1),
    )
    text = _text(_generate(reference, methodist, django_capture_on_commit_callbacks))
    assert squash("УТВЕРЖДАЮ Начальник управления образования Н.А. Бозина") in text
    assert squash("01 июля 2021 года") in text
    for present in ("Цель: оказание методической помощи", "Задачи:", "Замечания по мониторингу", DECISIONS):
        assert squash(present) in text, present


def test_the_director_column_only_when_a_school_names_its_director(
    make_reference, scenario, methodist, django_capture_on_commit_callbacks
):
    version = _generate(make_reference("roadmap-monitoring"), methodist, django_capture_on_commit_callbacks)

    def schools_table(snapshot):
        doc = document_build(snapshot=snapshot, narrative=version.narrative, template=version.template, precision=2)
        return next(t for t in doc["all_tables"] if t.key == "schools")

    table = schools_table(version.snapshot)
    assert table.flat_header[-1] == "Директор" and table.rows[0][-1] == "Самойлова О.В."
    snapshot = {**version.snapshot, "coverage": {**version.snapshot["coverage"]}}
    snapshot["coverage"]["schools"] = [{**s, "director_name": ""} for s in snapshot["coverage"]["schools"]]
    table = schools_table(snapshot)
    assert "Директор" not in table.flat_header and all(len(row) == 4 for row in table.rows)


@pytest.mark.parametrize(
    ("card", "message"),
    [
        ({"authority": ""}, "Не заполнен блок «Орган управления образованием»: в карточке муниципалитета"),
        ({"head_name": ""}, "Не заполнен блок «Утверждаю» (подпись руководителя): в карточке муниципалитета"),
        ({"head_position": ""}, "Не заполнен блок «Утверждаю»"),
        ({}, "Не заполнен раздел «Управленческие решения»"),
    ],
)
def test_sending_is_refused_while_a_required_block_is_empty(
    make_reference, methodist, scenario, django_capture_on_commit_callbacks, card, message
):
    _card(scenario["municipality"], **card)
    decisions = "" if not card else DECISIONS
    reference = _update(make_reference("roadmap-monitoring"), methodist, decisions=decisions)
    _generate(reference, methodist, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as refused:
        services.reference_send(reference=reference, user=methodist)
    assert any(m.startswith(message) for m in refused.value.messages), refused.value.messages
    reference.refresh_from_db()
    assert reference.status == ReferenceStatus.DRAFT


def test_decisions_or_recommendations_fill_the_management_decisions(
    make_reference, methodist, django_capture_on_commit_callbacks
):
    recommendation = {"addressee": "Руководителям ОО", "text": "внести корректировки", "deadline": "до 01.09.2021"}
    reference = _update(make_reference("roadmap-monitoring"), methodist, recommendations=[recommendation])
    _generate(reference, methodist, django_capture_on_commit_callbacks)
    services.reference_send(reference=reference, user=methodist)
    reference.refresh_from_db()
    assert reference.status == ReferenceStatus.SENT


def test_the_send_button_shows_the_missing_block(client, make_reference, methodist, django_capture_on_commit_callbacks):
    reference = _update(make_reference("roadmap-monitoring"), methodist)
    _generate(reference, methodist, django_capture_on_commit_callbacks)
    client.force_login(methodist)
    reference.refresh_from_db()
    response = client.post(reverse("reports:send", args=[reference.pk]), {"version": reference.version}, follow=True)
    assert "Не заполнен раздел «Управленческие решения»" in response.content.decode()


# --- 3. A region's own authority -------------------------------------------------------------------


@pytest.fixture
def region_card(scenario):
    _card(
        scenario["region"],
        authority="Департамент образования Белгородской области",
        head_name="А.В. Милёхин",
        head_position="Начальник департамента образования",
        requisites="Соборная пл., д. 4, г. Белгород, 308005",
        methodical_service="ОГАОУ ДПО «БелИРО»",
    )
    return scenario["region"]


def test_a_region_reference_prints_the_region_authority(region_card, coordinator, django_capture_on_commit_callbacks):
    reference = services.reference_create(
        user=coordinator,
        template="methodical-help",
        scope_kind="region",
        scope_code=region_card.code,
        date_from=dt.date(2020, 9, 1),
        date_to=dt.date(2021, 6, 30),
    )
    reference = _update(reference, coordinator, cover_letter=True, cover_addressee="Руководителям ОО (по списку)")
    text = _text(_generate(reference, coordinator, django_capture_on_commit_callbacks))
    letterhead = squash("Департамент образования Белгородской области Соборная пл., д. 4, г. Белгород, 308005")
    assert letterhead.lower() in text.lower()  # the letterhead is set in capitals
    assert squash("Департамент образования Белгородской области направляет") in text
    assert squash("Начальник департамента образования А.В. Милёхин") in text
    assert squash("Приложение к письму Департамента образования Белгородской области") in text
    assert squash("совместно с методистами ОГАОУ ДПО «БелИРО» и кураторами школ") in text
    assert squash(f"{region_card.name} направляет") not in text


def test_a_region_without_an_authority_cannot_be_sent(scenario, coordinator, django_capture_on_commit_callbacks):
    _card(scenario["region"], authority="")
    reference = services.reference_create(
        user=coordinator,
        template="methodical-help",
        scope_kind="region",
        scope_code=scenario["region"].code,
        date_from=dt.date(2020, 9, 1),
        date_to=dt.date(2021, 6, 30),
    )
    reference = _update(reference, coordinator)
    text = _text(_generate(reference, coordinator, django_capture_on_commit_callbacks))
    assert squash(scenario["region"].name) not in text.split(squash("Анализ результатов"))[0]  # no letterhead
    with pytest.raises(ValidationError, match=f"в карточке региона «{scenario['region'].name}»"):
        services.reference_send(reference=reference, user=coordinator)


# --- 4. Editable paragraphs with the organisation's own name -----------------------------------------


def test_paragraphs_default_to_the_seed_with_the_methodical_service_of_the_card(
    make_reference, methodist, scenario, django_capture_on_commit_callbacks
):
    _card(scenario["municipality"], methodical_service="Белгородского ММЦ ОГАОУ ДПО «БелИРО»")
    text = _text(_generate(make_reference("methodical-help"), methodist, django_capture_on_commit_callbacks))
    assert squash("совместно с методистами Белгородского ММЦ ОГАОУ ДПО «БелИРО» и кураторами школ осуществлено") in text
    assert squash("проводился по следующим показателям за период с 01.09.2020 по 30.06.2021 (ОО в перечне") in text
    assert (
        squash("Количество ШНОР/ШФНСУ, вовлеченных в сетевое взаимодействие со школами-лидерами, – 1 (33,33%).") in text
    )

    _card(scenario["municipality"], methodical_service="")
    text = _text(_generate(make_reference("methodical-help"), methodist, django_capture_on_commit_callbacks))
    assert squash("совместно с методистами и кураторами школ") in text


def test_each_paragraph_is_the_officials_text(make_reference, methodist, scenario, django_capture_on_commit_callbacks):
    _card(scenario["municipality"], methodical_service="РМК")
    reference = make_reference("methodical-help")
    paragraphs = {
        "visits": "Методисты {методическая служба} посетили ОО {учебный год}:",
        "trained": "",
        "network": "Сетевое взаимодействие: {сетевое взаимодействие}; ОО в перечне — {ОО в перечне}.",
    }
    reference = _update(reference, methodist, paragraphs=paragraphs)
    text = _text(_generate(reference, methodist, django_capture_on_commit_callbacks))
    assert squash("Методисты РМК посетили ОО в 2020-2021 учебном году:") in text
    assert squash("Сетевое взаимодействие: 1 (33,33%); ОО в перечне — 3.") in text
    assert squash("проведен анализ прохождения курсов") not in text  # emptied: left out
    assert squash("совместно с методистами") not in text
    assert squash("участие в конкурсах профессионального мастерства") in text  # untouched: the default


def test_an_unknown_placeholder_is_refused_naming_the_paragraph(make_reference, methodist):
    reference = make_reference("methodical-help")
    with pytest.raises(ValidationError) as refused:
        _update(reference, methodist, paragraphs={"visits": "Методисты {директор} посетили ОО"})
    assert refused.value.message_dict["paragraph_visits"][0].startswith(
        "Абзац «Перед таблицей посещений»: неизвестная подстановка {директор}. Доступны: {период},"
    )
    with pytest.raises(ValidationError, match="Абзац «Сетевое взаимодействие» длиннее 2000 символов"):
        _update(reference, methodist, paragraphs={"network": "а" * 2001})
    reference.refresh_from_db()
    assert reference.paragraphs["visits"].startswith("совместно с методистами")


def test_the_edit_form_has_a_field_per_paragraph(client, make_reference, methodist):
    reference = make_reference("methodical-help")
    client.force_login(methodist)
    url = reverse("reports:edit", args=[reference.pk])
    page = client.get(url).content.decode()
    assert "Абзацы справки" in page and 'name="paragraph_visits"' in page and "{методическая служба}" in page
    data = {"version": reference.version, "title": reference.title, "precision": 2, "goal": "цель"}
    data.update({"rec-TOTAL_FORMS": 0, "rec-INITIAL_FORMS": 0, "rec-MIN_NUM_FORMS": 0, "rec-MAX_NUM_FORMS": 1000})
    response = client.post(url, {**data, "paragraph_visits": "Методисты {кто} посетили ОО"})
    assert response.status_code == 200
    assert "неизвестная подстановка {кто}" in response.content.decode()
    response = client.post(url, {**data, "paragraph_visits": "Методисты {методическая служба} посетили ОО"})
    assert response.status_code == 302
    reference.refresh_from_db()
    assert reference.paragraphs["visits"] == "Методисты {методическая служба} посетили ОО"


# --- Frozen: a later edit of the card changes neither the signed PDF nor /verify/ ----------------------


def test_a_later_edit_of_the_card_changes_nothing_signed(
    client, make_reference, methodist, head, scenario, django_capture_on_commit_callbacks
):
    _card(scenario["municipality"], methodical_service="Старого ММЦ")
    authority = scenario["municipality"].authority
    reference = _update(make_reference("methodical-help"), methodist)
    _generate(reference, methodist, django_capture_on_commit_callbacks)
    services.reference_send(reference=reference, user=methodist)
    signed = ReferenceVersion.objects.get(pk=_sign(reference, head, django_capture_on_commit_callbacks).pk)
    signed_pdf = bytes(signed.pdf)
    assert squash("методистами Старого ММЦ") in pdf_text(signed_pdf)

    _card(
        scenario["municipality"],
        authority="Комитет по образованию",
        head_name="И.И. Новиков",
        head_position="Председатель",
        methodical_service="Нового ММЦ",
    )
    services.reference_update(
        reference=reference, user=methodist, data={"paragraphs": {"visits": "Другой текст"}}, recommendations=[]
    )
    signed.refresh_from_db()
    assert bytes(signed.pdf) == signed_pdf
    # Built again from what the version froze, the document still says what was signed.
    doc = document_build(snapshot=signed.snapshot, narrative=signed.narrative, template=signed.template, precision=2)
    assert doc["scope"]["authority"] == authority and doc["scope"]["methodical_service"] == "Старого ММЦ"
    assert doc["paragraphs"]["visits"].startswith("совместно с методистами Старого ММЦ")
    page = client.get(f"/verify/{signed.code}/").content.decode()
    assert authority in page and "Комитет по образованию" not in page
    assert datetime_text(signed.data_as_of) in page

    new = _generate(reference, methodist, django_capture_on_commit_callbacks)
    assert new.number == 2
    text = _text(new)
    assert squash("Комитет по образованию") in text and squash("Другой текст") in text
    assert squash("Старого ММЦ") not in text
