"""Sheets `Муниципалитеты`, `ОО`, `Реестр`: what they create and update, scope, history, command."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from core.workbook import run_import
from schools.models import CuratorAssignment, Municipality, PartnerAssignment, Region, RegistryEntry, School
from tests import factories as f
from tests.fixtures.workbooks import OO_HEADER, REGISTRY_HEADER, make_workbook

MUN = ["Код", "Наименование", "Код региона", "Регион", "Орган управления образованием", "Руководитель"]
OO = OO_HEADER
REESTR = REGISTRY_HEADER


def _reestr_row(code, **values):
    row = dict.fromkeys(REESTR, "")
    row.update({"Код ОО": code, "Учебный год": "2020/2021", "Категория": "ШНОР", "Дата включения": "01.09.2020"})
    row.update(values)
    return [row[c] for c in REESTR]


@pytest.mark.django_db
def test_municipalities_sheet_creates_region_when_new():
    data = make_workbook(
        {
            "Муниципалитеты": [
                MUN,
                [
                    "VLG-KOT",
                    "Котельниковский муниципальный район",
                    "VLG",
                    "Волгоградская область",
                    "Отдел образования",
                    "Н.А. Голова",
                ],
                ["VLG-OKT", "Октябрьский район", "VLG", "Волгоградская область", "", ""],
            ]
        }
    )
    result = run_import(data, by_command=True)
    assert result.ok, result.error_lines()
    assert result.counts == {"Муниципалитеты": (3, 0)}  # the region and two municipalities
    region = Region.objects.get(code="VLG")
    assert region.name == "Волгоградская область"
    assert set(region.municipalities.values_list("code", flat=True)) == {"VLG-KOT", "VLG-OKT"}
    assert Municipality.objects.get(code="VLG-KOT").head_name == "Н.А. Голова"


@pytest.mark.django_db
def test_coordinator_cannot_create_a_region_or_touch_another(coordinator, region):
    other = f.MunicipalityFactory()
    data = make_workbook(
        {
            "Муниципалитеты": [
                MUN,
                ["NEW-1", "Новый район", region.code, "", "", ""],
                ["NEW-2", "Чужой район", "ZZZ", "Новая область", "", ""],
                [other.code, "Переименовать", other.region.code, "", "", ""],
            ]
        }
    )
    result = run_import(data, user=coordinator)
    assert result.error_lines() == [
        "Муниципалитеты!C3: регион «ZZZ» не найден",
        f"Муниципалитеты!C4: регион «{other.region.name}» вне вашей зоны ответственности",
    ]
    assert not Municipality.objects.filter(code__startswith="NEW").exists()


@pytest.mark.django_db
def test_schools_sheet_creates_and_updates_matching_municipality_by_name(municipality):
    municipality.name = "Крыловский район «Южный»"
    municipality.save()
    existing = f.SchoolFactory(municipality=municipality, code="KRD-02", teachers_count=10, is_leader=False)
    data = make_workbook(
        {
            "ОО": [
                OO,
                ["KRD-02", "", "", "", "", 12, "", "да"],
                ["KRD-04", "МБОУ СОШ №4", 'крыловский  район "Южный"', "СОШ", "Иванова А.А.", 20, 180, "нет"],
            ]
        }
    )
    result = run_import(data, by_command=True)
    assert result.ok, result.error_lines()
    assert result.counts == {"ОО": (1, 1)}
    existing.refresh_from_db()
    assert (existing.teachers_count, existing.is_leader, existing.pupils_count) == (12, True, 200)
    new = School.objects.get(code="KRD-04")
    assert new.municipality == municipality
    assert (new.teachers_count, new.pupils_count, new.director_name) == (20, 180, "Иванова А.А.")


@pytest.mark.django_db
def test_schools_sheet_reports_duplicate_codes_and_unknown_municipality(municipality):
    data = make_workbook(
        {
            "ОО": [
                OO,
                ["N1", "Школа 1", municipality.code, "", "", "", "", ""],
                ["n1", "Школа 1 снова", municipality.code, "", "", "", "", ""],
                ["N2", "Школа 2", "Нет такого района", "", "", "", "", ""],
            ]
        }
    )
    result = run_import(data, by_command=True)
    assert result.error_lines() == [
        "ОО!A3: повторяет строку 2",
        "ОО!C4: Муниципалитет «Нет такого района» не совпадает ни с одной записью справочника.",
    ]
    assert not School.objects.filter(code__in=["N1", "N2"]).exists()


@pytest.mark.django_db
def test_registry_row_of_a_refused_school_points_at_its_row_on_the_schools_sheet(municipality):
    data = make_workbook(
        {
            "ОО": [OO, ["N1", "Школа 1", municipality.code, "", "", "восемь", "", ""]],
            "Реестр": [REESTR, _reestr_row("N1"), _reestr_row("N9")],
        }
    )
    result = run_import(data, by_command=True)
    assert result.error_lines() == [
        "ОО!F2: ожидается целое число, получено «восемь»",
        "Реестр!A2: ОО «N1» не записана: исправьте её строку 2 на листе «ОО»",
        "Реестр!A3: ОО с кодом или наименованием «N9» не найдена",
    ]
    assert not School.objects.filter(code="N1").exists()


@pytest.mark.django_db
def test_registry_sheet_creates_entry_curator_and_mentor(school, curator):
    leader = f.SchoolFactory(municipality=school.municipality, code="L1", name="МОУ «Майская гимназия»", is_leader=True)
    CuratorAssignment.objects.filter(user=curator).delete()
    data = make_workbook(
        {
            "Реестр": [
                REESTR,
                _reestr_row(
                    school.code,
                    **{
                        "Основание": "Низкие результаты ВПР",
                        "Куратор": curator.full_name.upper(),
                        "Школа-наставник": 'МОУ "Майская гимназия"',
                    },
                ),
            ]
        }
    )
    result = run_import(data, by_command=True)
    assert result.ok, result.error_lines()
    assert result.counts == {"Реестр": (3, 0)}
    entry = RegistryEntry.objects.get(school=school)
    assert (entry.academic_year, entry.category, entry.included_on) == (2020, "shnor", dt.date(2020, 9, 1))
    assignment = CuratorAssignment.objects.get(school=school)
    assert assignment.user == curator
    assert assignment.assigned_on == dt.date(2020, 9, 1)
    partner = PartnerAssignment.objects.get(school=school)
    assert (partner.leader, partner.date_from, partner.date_to) == (leader, dt.date(2020, 9, 1), dt.date(2021, 8, 31))

    again = run_import(data, by_command=True)
    assert again.ok and again.counts == {"Реестр": (0, 0)}
    assert CuratorAssignment.objects.filter(school=school).count() == 1
    assert PartnerAssignment.objects.filter(school=school).count() == 1


@pytest.mark.django_db
def test_curator_name_without_account_is_kept_as_text(school):
    data = make_workbook({"Реестр": [REESTR, _reestr_row(school.code, **{"Куратор": "Петрова Анна Ивановна"})]})
    assert run_import(data, by_command=True).ok
    assignment = CuratorAssignment.objects.get(school=school)
    assert (assignment.full_name, assignment.user) == ("Петрова Анна Ивановна", None)


@pytest.mark.django_db
def test_registry_exclusion_needs_reason_and_order(school):
    data = make_workbook(
        {
            "Реестр": [
                REESTR,
                _reestr_row(school.code, **{"Дата исключения": "20.05.2021"}),
                _reestr_row(
                    school.code,
                    **{
                        "Учебный год": "2021/2022",
                        "Дата включения": "01.09.2021",
                        "Дата исключения": "01.06.2021",
                        "Обоснование исключения": "Рост результатов",
                    },
                ),
                _reestr_row(school.code, **{"Учебный год": "2022/2023", "Дата включения": "01.09.2020"}),
                _reestr_row(school.code, **{"Категория": "ШКОЛА"}),
            ]
        }
    )
    result = run_import(data, by_command=True)
    assert result.error_lines() == [
        "Реестр!G2: при исключении ОО из реестра укажите обоснование",
        "Реестр!F3: дата исключения 01.06.2021 раньше даты включения 01.09.2021",
        "Реестр!E4: дата 01.09.2020 вне учебного года 2022/2023 (01.09.2022–31.08.2023)",
        "Реестр!B5: повторяет строку 2",
    ]
    assert RegistryEntry.objects.count() == 0


@pytest.mark.django_db
def test_registry_exclusion_with_reason_updates_entry(school):
    f.RegistryEntryFactory(school=school, academic_year=2020)
    data = make_workbook(
        {
            "Реестр": [
                REESTR,
                _reestr_row(
                    school.code,
                    **{"Дата исключения": "20.05.2021", "Обоснование исключения": "Стабильные результаты ВПР, ОГЭ."},
                ),
            ]
        }
    )
    result = run_import(data, by_command=True)
    assert result.ok, result.error_lines()
    assert result.counts == {"Реестр": (0, 1)}
    entry = RegistryEntry.objects.get(school=school)
    assert (entry.excluded_on, entry.exclusion_reason) == (dt.date(2020 + 1, 5, 20), "Стабильные результаты ВПР, ОГЭ.")


@pytest.mark.django_db
def test_coordinator_import_is_scoped_to_region_and_records_history(coordinator, school, other_school):
    data = make_workbook({"Реестр": [REESTR, _reestr_row(school.code), _reestr_row(other_school.code)]})
    result = run_import(data, user=coordinator)
    assert result.error_lines() == [f"Реестр!A3: ОО «{other_school.code}» вне вашей зоны ответственности"]
    assert RegistryEntry.objects.count() == 0

    ok = make_workbook({"Реестр": [REESTR, _reestr_row(school.code)]})
    assert run_import(ok, user=coordinator).ok
    entry = RegistryEntry.objects.get()
    assert entry.history.get().history_user == coordinator


@pytest.mark.django_db
def test_admin_web_import_may_touch_any_region(admin_user, school, other_school):
    data = make_workbook({"Реестр": [REESTR, _reestr_row(school.code), _reestr_row(other_school.code)]})
    assert run_import(data, user=admin_user).ok
    assert RegistryEntry.objects.count() == 2


@pytest.mark.django_db
def test_import_workbook_command_prints_row_numbered_errors_and_exits_1(tmp_path, municipality, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(
        make_workbook(
            {
                "ОО": [
                    OO,
                    ["N1", "Школа 1", municipality.code, "СОШ", "", 10, 100, "нет"],
                    ["N2", "Школа 2", municipality.code, "СОШ", "", 10, "двести", "нет"],
                ]
            }
        )
    )
    with pytest.raises(CommandError) as exc:
        call_command("import_workbook", str(path))
    assert exc.value.returncode == 1
    assert "ОО!G3: ожидается целое число, получено «двести»" in capsys.readouterr().out
    assert not School.objects.filter(code__in=["N1", "N2"]).exists()


@pytest.mark.django_db
def test_import_workbook_command_dry_run_and_real_run(tmp_path, municipality, capsys):
    path = tmp_path / "good.xlsx"
    path.write_bytes(make_workbook({"ОО": [OO, ["N1", "Школа 1", municipality.code, "СОШ", "", 10, 100, "нет"]]}))
    call_command("import_workbook", str(path), "--dry-run")
    assert "ОО: строк 1, создано 1, изменено 0" in capsys.readouterr().out
    assert not School.objects.filter(code="N1").exists()
    call_command("import_workbook", str(path))
    assert "Импорт завершён" in capsys.readouterr().out
    assert School.objects.filter(code="N1").exists()
