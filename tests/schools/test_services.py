"""The write services: validation with field-named Russian messages, atomic writes, history user."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from schools import services
from schools.models import (
    Category,
    CuratorAssignment,
    LowResultCause,
    RegistryEntry,
    RiskFactor,
    RiskLevel,
    RiskProfileEntry,
)
from schools.selectors.directory import risk_factors_for_year
from schools.selectors.history import school_history
from tests import factories as f


def entry_data(**overrides):
    data = {
        "academic_year": 2020,
        "category": Category.SHNOR,
        "basis": "Низкие результаты ВПР",
        "included_on": dt.date(2020, 9, 1),
        "excluded_on": None,
        "exclusion_reason": "",
    }
    data.update(overrides)
    return data


def test_registry_entry_save_creates_with_history_user(school, methodist):
    entry = services.registry_entry_save(user=methodist, school=school, data=entry_data())
    assert entry.pk and entry.academic_year == 2020
    record = entry.history.get()
    assert record.history_user == methodist
    assert record.history_type == "+"


def test_registry_entry_save_rejects_second_entry_of_year(school, methodist):
    services.registry_entry_save(user=methodist, school=school, data=entry_data())
    with pytest.raises(ValidationError) as exc:
        services.registry_entry_save(user=methodist, school=school, data=entry_data(category=Category.SHFNSU))
    assert exc.value.message_dict["academic_year"] == [
        "У этой ОО уже есть запись реестра за 2020/2021 учебный год; измените существующую запись."
    ]
    assert RegistryEntry.objects.filter(school=school).count() == 1


def test_registry_entry_update_keeps_its_own_year(school, methodist):
    entry = services.registry_entry_save(user=methodist, school=school, data=entry_data())
    services.registry_entry_save(
        user=methodist, school=school, entry=entry, data=entry_data(category=Category.SHFNSU, basis="Соцусловия")
    )
    entry.refresh_from_db()
    assert entry.category == Category.SHFNSU
    assert entry.basis == "Соцусловия"


def test_registry_entry_exclusion_needs_reason_and_order(school, methodist):
    with pytest.raises(ValidationError) as exc:
        services.registry_entry_save(
            user=methodist, school=school, data=entry_data(excluded_on=dt.date(2020, 8, 1), exclusion_reason="  ")
        )
    errors = exc.value.message_dict
    assert errors["excluded_on"] == ["Дата исключения (01.08.2020) не может быть раньше даты включения (01.09.2020)."]
    assert errors["exclusion_reason"] == ["Укажите обоснование исключения: без него дату исключения сохранить нельзя."]
    assert not RegistryEntry.objects.exists()


def test_registry_entry_reason_without_date_is_rejected(school, methodist):
    with pytest.raises(ValidationError) as exc:
        services.registry_entry_save(user=methodist, school=school, data=entry_data(exclusion_reason="Рост"))
    assert "excluded_on" in exc.value.message_dict


def test_school_exclude_closes_open_entry(school, methodist):
    f.RegistryEntryFactory(school=school, academic_year=2019, included_on=dt.date(2019, 9, 1))
    f.RegistryEntryFactory(school=school, academic_year=2020)
    entry = services.school_exclude(
        user=methodist, school=school, excluded_on=dt.date(2021, 6, 1), reason="Стабильные результаты ВПР"
    )
    assert entry.academic_year == 2020
    entry.refresh_from_db()
    assert entry.excluded_on == dt.date(2021, 6, 1)
    assert entry.exclusion_reason == "Стабильные результаты ВПР"
    assert entry.history.first().history_user == methodist


def test_school_exclude_without_open_entry_fails(school, methodist):
    with pytest.raises(ValidationError, match="не состоит в реестре"):
        services.school_exclude(user=methodist, school=school, excluded_on=dt.date(2021, 6, 1), reason="Рост")


def test_school_exclude_requires_reason(school, methodist):
    f.RegistryEntryFactory(school=school)
    with pytest.raises(ValidationError) as exc:
        services.school_exclude(user=methodist, school=school, excluded_on=dt.date(2021, 6, 1), reason="")
    assert "exclusion_reason" in exc.value.message_dict
    assert RegistryEntry.objects.get().excluded_on is None


def test_curator_assign_user_and_by_name(school, methodist):
    curator = f.user_with_role("curator")
    a = services.curator_assign(user=methodist, school=school, curator=curator, assigned_on=dt.date(2021, 1, 1))
    assert a.user == curator and a.full_name == curator.full_name
    b = services.curator_assign(
        user=methodist, school=school, full_name="  Артемьева   Ольга Юрьевна ", assigned_on=dt.date(2021, 1, 1)
    )
    assert b.user is None and b.full_name == "Артемьева Ольга Юрьевна"
    with pytest.raises(ValidationError) as exc:
        services.curator_assign(user=methodist, school=school, curator=curator, assigned_on=dt.date(2021, 2, 1))
    assert "уже назначен" in exc.value.message_dict["curator"][0]
    assert CuratorAssignment.objects.filter(school=school).count() == 2


def test_curator_assign_rejects_user_without_curator_role(school, methodist, director):
    with pytest.raises(ValidationError) as exc:
        services.curator_assign(user=methodist, school=school, curator=director, assigned_on=dt.date(2021, 1, 1))
    assert "нет роли куратора" in exc.value.message_dict["curator"][0]
    with pytest.raises(ValidationError) as exc:
        services.curator_assign(user=methodist, school=school, assigned_on=dt.date(2021, 1, 1))
    assert "curator" in exc.value.message_dict


def test_curator_unassign_checks_dates(school, methodist):
    a = f.CuratorAssignmentFactory(school=school, assigned_on=dt.date(2021, 1, 10))
    with pytest.raises(ValidationError) as exc:
        services.curator_unassign(user=methodist, assignment=a, unassigned_on=dt.date(2021, 1, 9))
    assert exc.value.message_dict["unassigned_on"] == [
        "Дата снятия (09.01.2021) не может быть раньше даты назначения (10.01.2021)."
    ]
    services.curator_unassign(user=methodist, assignment=a, unassigned_on=dt.date(2021, 6, 30))
    a.refresh_from_db()
    assert a.unassigned_on == dt.date(2021, 6, 30)


def test_partner_assign_requires_leader_of_same_region(school, methodist, other_school):
    leader = f.SchoolFactory(municipality=f.MunicipalityFactory(region=school.municipality.region), is_leader=True)
    not_leader = f.SchoolFactory(municipality=school.municipality)
    other_school.is_leader = True
    other_school.save()
    with pytest.raises(ValidationError) as exc:
        services.partner_assign(user=methodist, school=school, leader=not_leader, date_from=dt.date(2021, 1, 1))
    assert "не отмечена как школа-лидер" in exc.value.message_dict["leader"][0]
    with pytest.raises(ValidationError) as exc:
        services.partner_assign(user=methodist, school=school, leader=school, date_from=dt.date(2021, 1, 1))
    assert exc.value.message_dict["leader"] == ["Школа не может быть наставником самой себе."]
    with pytest.raises(ValidationError) as exc:
        services.partner_assign(user=methodist, school=school, leader=other_school, date_from=dt.date(2021, 1, 1))
    assert "того же региона" in exc.value.message_dict["leader"][0]
    assignment = services.partner_assign(user=methodist, school=school, leader=leader, date_from=dt.date(2021, 1, 1))
    assert assignment.leader == leader
    with pytest.raises(ValidationError):
        services.partner_assign(user=methodist, school=school, leader=leader, date_from=dt.date(2021, 2, 1))
    services.partner_end(user=methodist, assignment=assignment, date_to=dt.date(2021, 6, 30))
    assignment.refresh_from_db()
    assert assignment.date_to == dt.date(2021, 6, 30)


def test_risk_factors_use_latest_version_not_after_year(db):
    for order, code in enumerate(["a", "b"], start=1):
        RiskFactor.objects.create(version=2023, code=code, name=f"фактор {code}", order=order)
    assert {f.version for f in risk_factors_for_year(2022)} == {2021}
    assert len(risk_factors_for_year(2022)) == 11
    assert [f.code for f in risk_factors_for_year(2024)] == ["a", "b"]
    assert {f.version for f in risk_factors_for_year(2019)} == {2021}  # before the first version: the oldest


def test_risk_profile_save_creates_updates_and_clears(school, methodist):
    factors = risk_factors_for_year(2021)
    first, second, third = factors[0], factors[1], factors[2]
    changed = services.risk_profile_save(
        user=methodist, school=school, year=2021, levels={first.pk: RiskLevel.HIGH, second.pk: RiskLevel.LOW}
    )
    assert changed == 2
    changed = services.risk_profile_save(
        user=methodist,
        school=school,
        year=2021,
        levels={first.pk: RiskLevel.MEDIUM, second.pk: "", third.pk: RiskLevel.LOW},
    )
    assert changed == 3
    levels = dict(RiskProfileEntry.objects.filter(school=school, year=2021).values_list("factor_id", "level"))
    assert levels == {first.pk: RiskLevel.MEDIUM, third.pk: RiskLevel.LOW}
    assert RiskProfileEntry.history.filter(history_type="-", factor_id=second.pk).get().history_user == methodist


def test_risk_profile_save_rejects_bad_level_atomically(school, methodist):
    factors = risk_factors_for_year(2021)
    with pytest.raises(ValidationError):
        services.risk_profile_save(
            user=methodist, school=school, year=2021, levels={factors[0].pk: RiskLevel.HIGH, factors[1].pk: "critical"}
        )
    assert not RiskProfileEntry.objects.exists()


def test_causes_create_update_delete(school, methodist):
    with pytest.raises(ValidationError) as exc:
        services.cause_create(user=methodist, school=school, year=2021, description="   ")
    assert exc.value.message_dict["description"] == ["Опишите причину низких результатов."]
    cause = services.cause_create(user=methodist, school=school, year=2021, description="Низкая мотивация")
    services.cause_update(user=methodist, cause=cause, year=2020, description="Низкая учебная мотивация")
    cause.refresh_from_db()
    assert (cause.year, cause.description) == (2020, "Низкая учебная мотивация")
    services.cause_delete(user=methodist, cause=cause)
    assert not LowResultCause.objects.exists()
    assert [r.history_type for r in LowResultCause.history.order_by("history_date")] == ["+", "~", "-"]


def test_school_history_lists_changes_in_russian(school, methodist):
    entry = services.registry_entry_save(user=methodist, school=school, data=entry_data())
    services.registry_entry_save(
        user=methodist,
        school=school,
        entry=entry,
        data=entry_data(excluded_on=dt.date(2021, 6, 1), exclusion_reason="Рост результатов"),
    )
    events = school_history(school)
    update = next(e for e in events if e.action == "Изменение")
    assert update.user == methodist.full_name
    assert update.subject == "Реестр, 2020/2021 уч. год"
    changes = {c.field: (c.old, c.new) for c in update.changes}
    assert changes == {
        "Дата исключения": ("—", "01.06.2021"),
        "Обоснование исключения": ("—", "Рост результатов"),
    }
    created = next(e for e in events if e.action == "Создание" and e.subject.startswith("Реестр"))
    assert {c.field: c.new for c in created.changes}["Категория"] == "ШНОР"


def test_registry_dates_must_not_pass_the_end_of_the_academic_year(school, methodist):
    with pytest.raises(ValidationError) as exc:
        services.registry_entry_save(
            user=methodist,
            school=school,
            data=entry_data(included_on=dt.date(2021, 9, 1), excluded_on=dt.date(2021, 10, 1), exclusion_reason="Рост"),
        )
    assert exc.value.message_dict == {
        "included_on": ["Дата включения (01.09.2021) позже окончания 2020/2021 учебного года (31.08.2021)."],
        "excluded_on": ["Дата исключения (01.10.2021) позже окончания 2020/2021 учебного года (31.08.2021)."],
    }
    # Inclusion before 1 September is allowed: lists are approved in summer.
    entry = services.registry_entry_save(
        user=methodist, school=school, data=entry_data(included_on=dt.date(2020, 6, 15))
    )
    assert entry.included_on == dt.date(2020, 6, 15)


def test_school_exclude_rejects_date_after_the_academic_year(school, methodist):
    f.RegistryEntryFactory(school=school, academic_year=2020)
    with pytest.raises(ValidationError) as exc:
        services.school_exclude(user=methodist, school=school, excluded_on=dt.date(2021, 9, 1), reason="Рост")
    assert "позже окончания 2020/2021 учебного года" in exc.value.message_dict["excluded_on"][0]
