"""Demo data of monitoring, from the source documents; idempotent (update_or_create on natural keys).

- 000 (Belgorod district, 2020/2021): the methodical visits with the dates of its table, and the
  indicator values of its per-school tables for 01.09.2020–30.06.2021, as a closed campaign.
- 003 Block 1 (Kotelnikovsky district): ВПР, ОГЭ, ЕГЭ and ГВЭ averages of the three schools. A «-»
  in the source is no row; so is a 0, which there means "nobody sat the exam" (0 is outside the
  ГВЭ scale and would read as a collapse of the ЕГЭ score). «3,2 /50» under «Матем. (баз./проф.)»
  is two subjects: базовая 3,2 and профильная 50.
- Bryansk region: a few visits and ВПР/ОГЭ results of Rognedino schools, to show the pages there.
- An open campaign of the current academic year for the Belgorod schools, so that directors see
  one on their start page.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.calendar import academic_year_of
from core.models import User
from core.registry import demo_loaders
from schools.models import Municipality, School

from .models import AssessmentResult, Campaign, Indicator, IndicatorValue, MethodicalVisit

PERIOD = (dt.date(2020, 9, 1), dt.date(2021, 6, 30))
BEL_CAMPAIGN = "Мониторинг оказания методической помощи школам с низкими результатами обучения, 2020/2021 учебный год"

BEL_VISITORS = "Методисты Белгородского ММЦ ОГАОУ ДПО «БелИРО», куратор ОО"
BEL_PURPOSE = "Оказание адресной методической помощи школе с низкими результатами обучения"

# 000: visit dates exactly as in its table (03.12.2021 for Яснозоренская is as printed there).
BEL_VISITS = {
    "BEL-01": ["01.12.2020", "08.06.2021"],
    "BEL-02": ["30.09.2020", "10.03.2021", "22.04.2021", "17.05.2021", "19.05.2021"],
    "BEL-03": ["12.11.2020", "08.06.2021"],
    "BEL-04": ["03.12.2021", "23.03.2021", "20.04.2021"],
    "BEL-05": ["28.09.2020", "04.12.2020", "25.03.2021"],
}

# 000: (trained, teachers), ИОТ participants, contests (participants, winners, regional, municipal),
# experience bank, methodical associations (participants, teachers sharing experience).
BEL_FIGURES = {
    "BEL-01": ((11, 17), 5, (0, 0, 1, 0), 0, (9, 3)),
    "BEL-02": ((25, 37), 9, (2, 1, 1, 0), 0, (8, 4)),
    "BEL-03": ((12, 15), 6, (0, 0, 0, 0), 0, (2, 2)),
    "BEL-04": ((15, 35), 7, (7, 5, 1, 1), 0, (27, 20)),
    "BEL-05": ((3, 8), 1, (0, 0, 0, 0), 0, (7, 1)),
}

RU, MATH = "Русский язык", "Математика"
MATH_BASE, MATH_PROF = "Математика (базовая)", "Математика (профильная)"

# 003 Block 1: (school, procedure, subject, year, average); «-» and 0 cells are absent.
VLG_RESULTS: list[tuple[str, str, str, int, str]] = []
for code, values in {
    "VLG-01": (("3.58", "3.56"), ("3.33", "3.4"), ("3.61", "3.66")),
    "VLG-02": (("3.16", "3.57"), ("3.55", "3.53"), ("4.0", "3.54")),
    "VLG-03": (("3.4", "3.5"), ("3.6", "3.43"), ("3.61", "3.56")),
}.items():
    for year, (ru, math) in zip((2019, 2020, 2021), values, strict=True):
        VLG_RESULTS += [(code, "vpr", RU, year, ru), (code, "vpr", MATH, year, math)]
for code, values in {
    "VLG-01": (("3.84", "4"), None, ("3.2", "3.33")),
    "VLG-02": (("3.4", "4.2"), None, ("3.38", "3.75")),
    "VLG-03": (("3.83", "4"), None, ("3.33", "3.33")),
}.items():
    for year, pair in zip((2019, 2020, 2021), values, strict=True):
        if pair:
            VLG_RESULTS += [(code, "oge", RU, year, pair[0]), (code, "oge", MATH, year, pair[1])]
VLG_RESULTS += [
    # ЕГЭ 2019: Рус. яз, Матем. (баз./проф.)
    ("VLG-01", "ege", RU, 2019, "51"),
    ("VLG-01", "ege", MATH_BASE, 2019, "3.2"),
    ("VLG-01", "ege", MATH_PROF, 2019, "50"),
    ("VLG-02", "ege", RU, 2019, "49"),
    ("VLG-02", "ege", MATH_BASE, 2019, "3"),
    ("VLG-02", "ege", MATH_PROF, 2019, "50"),
    ("VLG-03", "ege", RU, 2019, "38"),
    ("VLG-03", "ege", MATH_BASE, 2019, "3"),
    # ЕГЭ 2020: Рус. яз, Матем. проф.
    ("VLG-01", "ege", RU, 2020, "73"),
    ("VLG-03", "ege", RU, 2020, "46.3"),
    ("VLG-03", "ege", MATH_PROF, 2020, "24.7"),
    # ЕГЭ 2021: Рус. яз., Матем. проф.; ГВЭ 2021: Рус. яз., Матем.
    ("VLG-02", "ege", RU, 2021, "67"),
    ("VLG-02", "ege", MATH_PROF, 2021, "45"),
    ("VLG-02", "gve", RU, 2021, "3"),
    ("VLG-02", "gve", MATH, 2021, "3"),
    ("VLG-03", "gve", RU, 2021, "3.5"),
    ("VLG-03", "gve", MATH, 2021, "3.5"),
]

BRY_VISITORS = "Методист отдела образования администрации Рогнединского района, куратор ОО"
BRY_VISITS = [
    ("BRY-09", "16.02.2021", "Анализ реализации мероприятий «дорожной карты» за IV квартал 2020 года"),
    ("BRY-09", "13.04.2021", "Посещение уроков математики, консультация по подготовке к ВПР"),
    ("BRY-10", "18.03.2021", "Консультация по психолого-педагогическому сопровождению обучающихся"),
    ("BRY-14", "20.05.2021", "Анализ работы с обучающимися с рисками учебной неуспешности"),
]
BRY_RESULTS = [
    ("BRY-09", "vpr", RU, 2019, "3.42"),
    ("BRY-09", "vpr", RU, 2020, "3.31"),
    ("BRY-09", "vpr", RU, 2021, "3.55"),
    ("BRY-09", "vpr", MATH, 2019, "3.38"),
    ("BRY-09", "vpr", MATH, 2020, "3.45"),
    ("BRY-09", "vpr", MATH, 2021, "3.52"),
    ("BRY-09", "oge", RU, 2021, "3.6"),
    ("BRY-09", "oge", MATH, 2021, "3.2"),
    ("BRY-10", "vpr", RU, 2020, "3.5"),
    ("BRY-10", "vpr", RU, 2021, "3.62"),
    ("BRY-10", "vpr", MATH, 2020, "3.3"),
    ("BRY-10", "vpr", MATH, 2021, "3.41"),
]


def _day(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d.%m.%Y").date()


def _save(obj, user: User | None) -> None:
    if user is not None:
        obj._history_user = user
    obj.save()


def _upsert(model, user: User | None, lookup: dict, values: dict):
    """update_or_create that writes (and records history) only when something differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        _save(obj, user)
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        _save(obj, user)
    return obj


@demo_loaders.register(order=30)
def load() -> None:
    with transaction.atomic():
        schools = {s.code: s for s in School.objects.filter(code__regex=r"^(BEL|VLG|BRY)-")}
        users = {
            u.username: u
            for u in User.objects.filter(username__in=["metod.belgorod", "metod.kotelnikovo", "metod.rognedino"])
        }
        indicators = {i.code: i for i in Indicator.objects.all()}
        _belgorod(schools, users.get("metod.belgorod"), indicators)
        _results(schools, users.get("metod.kotelnikovo"), VLG_RESULTS)
        _bryansk(schools, users.get("metod.rognedino"))
        _open_campaign(schools, users.get("metod.belgorod"), indicators)


def _belgorod(schools: dict[str, School], methodist: User | None, indicators: dict[str, Indicator]) -> None:
    for code, dates in BEL_VISITS.items():
        for text in dates:
            _upsert(
                MethodicalVisit,
                methodist,
                {"school": schools[code], "date": _day(text)},
                {"visitors": BEL_VISITORS, "purpose": BEL_PURPOSE, "recorded_by": methodist},
            )
    if methodist is None:
        return
    municipality = Municipality.objects.get(code="BEL-BR")
    campaign = _upsert(
        Campaign,
        methodist,
        {"name": BEL_CAMPAIGN, "municipality": municipality},
        {
            "region": municipality.region,
            "period_from": PERIOD[0],
            "period_to": PERIOD[1],
            "deadline": dt.date(2021, 7, 6),
            "created_by": methodist,
        },
    )
    codes = [
        "teachers_trained",
        "teachers_iot",
        "contest_participants",
        "contest_winners",
        "contest_winners_regional",
        "contest_winners_municipal",
        "experience_bank",
        "methodical_association_participants",
        "experience_sharing_teachers",
    ]
    campaign.indicators.set([indicators[c] for c in codes])
    campaign.schools.set([schools[c] for c in BEL_FIGURES])
    for code, ((trained, teachers), iot, contests, bank, associations) in BEL_FIGURES.items():
        figures = [
            ("teachers_trained", trained, teachers),
            ("teachers_iot", iot, teachers),
            ("contest_participants", contests[0], None),
            ("contest_winners", contests[1], None),
            ("contest_winners_regional", contests[2], None),
            ("contest_winners_municipal", contests[3], None),
            ("experience_bank", bank, None),
            ("methodical_association_participants", associations[0], None),
            ("experience_sharing_teachers", associations[1], None),
        ]
        for indicator_code, value, denominator in figures:
            _upsert(
                IndicatorValue,
                methodist,
                {
                    "school": schools[code],
                    "indicator": indicators[indicator_code],
                    "period_from": PERIOD[0],
                    "period_to": PERIOD[1],
                },
                {"value": Decimal(value), "denominator": denominator, "campaign": campaign, "entered_by": methodist},
            )


def _results(schools: dict[str, School], user: User | None, rows: list[tuple[str, str, str, int, str]]) -> None:
    for code, procedure, subject, year, average in rows:
        _upsert(
            AssessmentResult,
            user,
            {"school": schools[code], "year": year, "procedure": procedure, "subject": subject},
            {"average": Decimal(average)},
        )


def _bryansk(schools: dict[str, School], methodist: User | None) -> None:
    for code, text, purpose in BRY_VISITS:
        if code in schools:
            _upsert(
                MethodicalVisit,
                methodist,
                {"school": schools[code], "date": _day(text)},
                {"visitors": BRY_VISITORS, "purpose": purpose, "recorded_by": methodist},
            )
    _results(schools, methodist, [r for r in BRY_RESULTS if r[0] in schools])


def _open_campaign(schools: dict[str, School], methodist: User | None, indicators: dict[str, Indicator]) -> None:
    """A round of the current academic year whose deadline has not passed."""
    if methodist is None:
        return
    year = academic_year_of(timezone.localdate())
    municipality = Municipality.objects.get(code="BEL-BR")
    campaign = _upsert(
        Campaign,
        methodist,
        {"name": f"Мониторинг методической помощи ШНОР, {year}/{year + 1} учебный год", "municipality": municipality},
        {
            "region": municipality.region,
            "period_from": dt.date(year, 9, 1),
            "period_to": dt.date(year + 1, 6, 30),
            "deadline": dt.date(year + 1, 7, 6),
            "created_by": methodist,
        },
    )
    campaign.indicators.set([indicators[c] for c in ("teachers_trained", "teachers_iot", "contest_participants")])
    campaign.schools.set([schools[c] for c in BEL_FIGURES])
