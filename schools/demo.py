"""Demo organisations, registry and users, taken from the source documents (docs/sources.md).

`load()` is idempotent and silent: a second run finds every object in place and saves nothing,
so neither the tables nor their history grow. Other apps' demo modules find these objects by
school code and username.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from core.models import Membership, Role, User
from core.registry import demo_loaders, demo_logins

from .models import (
    Category,
    CuratorAssignment,
    LowResultCause,
    Municipality,
    PartnerAssignment,
    Region,
    RegistryEntry,
    RiskFactor,
    RiskLevel,
    RiskProfileEntry,
    School,
)

DEMO_PASSWORD = "demo"

# code, name, then the region's own education authority as its letterhead and signature print it:
# authority, head, head position, requisites, methodical service (genitive, after «методистами»).
REGIONS = [
    (
        "BEL",
        "Белгородская область",
        "Департамент образования Белгородской области",
        "А.В. Милёхин",
        "Заместитель Губернатора Белгородской области — начальник департамента образования",
        "Соборная пл., д. 4, г. Белгород, 308005",
        "ОГАОУ ДПО «БелИРО»",
    ),
    (
        "BRY",
        "Брянская область",
        "Департамент образования и науки Брянской области",
        "Е.В. Егорова",
        "Директор департамента образования и науки Брянской области",
        "пр-т Ленина, д. 33, г. Брянск, 241050",
        "ГАУ ДПО «Брянский институт повышения квалификации работников образования»",
    ),
    ("KRD", "Краснодарский край", "", "", "", "", ""),
    ("VLG", "Волгоградская область", "", "", "", "", ""),
    ("SMO", "Смоленская область", "", "", "", "", ""),
]

# The municipal methodical service, in the genitive the references print after «методистами».
METHODICAL_SERVICES = {
    "BEL-BR": "Белгородского ММЦ ОГАОУ ДПО «БелИРО»",
    "VLG-KOT": "районного методического кабинета",
    "KRD-KRYL": "МКУ «Центр методического и хозяйственного обеспечения МОО»",
    "BRY-ROGN": "районного методического кабинета",
}

# code, region, name, authority, head, head position, requisites
MUNICIPALITIES = [
    (
        "BEL-BR",
        "BEL",
        "Белгородский район",
        "Управление образования администрации Белгородского района",
        "Н.А. Бозина",
        "Начальник Управления образования администрации Белгородского района",
        "Олимпийская ул., д. 8 б, п. Северный, Белгородский район, Белгородская область, 308519; "
        "тел. (4722) 39-90-30, факс (4722) 39-90-34; e-mail: ruobr@be.belregion.ru",
    ),
    ("KRD-KRYL", "KRD", "Крыловский район", "", "", "", ""),
    (
        "VLG-KOT",
        "VLG",
        "Котельниковский муниципальный район",
        "Отдел образования администрации Котельниковского муниципального района",
        "Н.А. Голова",
        "Начальник отдела образования администрации Котельниковского муниципального района",
        "",
    ),
    (
        "SMO-DOR",
        "SMO",
        "Дорогобужский район",
        "Комитет по образованию МО «Дорогобужский район»",
        "С.В. Белова",
        "Председатель Комитета по образованию МО «Дорогобужский район»",
        "",
    ),
    ("BRY-ZHIR", "BRY", "Жирятинский район", "", "", "", ""),
    ("BRY-ZHUK", "BRY", "Жуковский муниципальный округ", "", "", "", ""),
    ("BRY-NOVOZ", "BRY", "Новозыбковский район", "", "", "", ""),
    ("BRY-POG", "BRY", "Погарский район", "", "", "", ""),
    ("BRY-GORD", "BRY", "Гордеевский район", "", "", "", ""),
    ("BRY-BRYAN", "BRY", "Брянский район", "", "", "", ""),
    ("BRY-POCH", "BRY", "Почепский район", "", "", "", ""),
    ("BRY-ROGN", "BRY", "Рогнединский район", "", "", "", ""),
    ("BRY-ZLYN", "BRY", "Злынковский район", "", "", "", ""),
    ("BRY-KRASN", "BRY", "Красногорский район", "", "", "", ""),
    ("BRY-SURAZH", "BRY", "Суражский район", "", "", "", ""),
]


@dataclass(frozen=True)
class DemoSchool:
    code: str
    municipality: str
    name: str
    kind: str
    director: str = ""
    teachers: int = 0
    is_leader: bool = False


SCHOOLS = [
    # 000: Belgorod district; teachers from the PD table (trained / all teachers), directors from its
    # recommendations.
    DemoSchool("BEL-01", "BEL-BR", "МОУ «Журавлевская СОШ»", "СОШ", "Самойлова О.В.", 17),
    DemoSchool("BEL-02", "BEL-BR", "МОУ «Никольская средняя школа»", "СОШ", "Швечко Л.И.", 37),
    DemoSchool("BEL-03", "BEL-BR", "МОУ «Солохинская СОШ»", "СОШ", "Козлова Л.А.", 15),
    DemoSchool("BEL-04", "BEL-BR", "МОУ «Яснозоренская СОШ»", "СОШ", "Копысова В.А.", 35),
    DemoSchool("BEL-05", "BEL-BR", "МОУ «Малиновская ООШ» (здание с. Петровка)", "ООШ", "Бударов А.В.", 8),
    DemoSchool("BEL-L1", "BEL-BR", "МОУ «Майская гимназия»", "гимназия", is_leader=True),
    # 001: Bryansk region, in the order of the reference's list. Two names carry no district: the
    # Дроновская school is in Красногорский район (с. Дроновка), МОУ-СОШ с. Павловка in Суражский район.
    DemoSchool("BRY-01", "BRY-ZHIR", "МБОУ Колоднянская СОШ Жирятинского района", "СОШ"),
    DemoSchool("BRY-02", "BRY-ZHUK", "МБОУ Леденевская ООШ Жуковского муниципального округа", "ООШ"),
    DemoSchool("BRY-03", "BRY-NOVOZ", "МБОУ «Верещакская СОШ» Новозыбковского района", "СОШ"),
    DemoSchool("BRY-04", "BRY-POG", "МБОУ Витемлянская СОШ Погарского района", "СОШ"),
    DemoSchool("BRY-05", "BRY-KRASN", "МБОУ Дроновская СОШ имени Героя Советского Союза И.К.Хахерина", "СОШ"),
    DemoSchool("BRY-06", "BRY-GORD", "МБОУ Мирнинская СОШ Гордеевского района", "СОШ"),
    DemoSchool("BRY-07", "BRY-BRYAN", "МБОУ «Молотинская СОШ» Брянского района", "СОШ"),
    DemoSchool("BRY-08", "BRY-POCH", "МБОУ «Краснорогская СОШ имени А.К.Толстого» Почепского района", "СОШ"),
    DemoSchool("BRY-09", "BRY-ROGN", "МБОУ «Гобикская СОШ Рогнединского района Брянской области»", "СОШ"),
    DemoSchool("BRY-10", "BRY-ROGN", "МБОУ «Пацынская СОШ Рогнединского района Брянской области»", "СОШ"),
    DemoSchool("BRY-11", "BRY-ZLYN", "МБОУ Карпиловская ООШ Злынковского района", "ООШ"),
    DemoSchool("BRY-12", "BRY-SURAZH", "МОУ-СОШ с.Павловка", "СОШ"),
    DemoSchool("BRY-13", "BRY-NOVOZ", "МБОУ «Халеевичская СОШ» Новозыбковского района", "СОШ"),
    DemoSchool(
        "BRY-14", "BRY-ROGN", "МБОУ «Тюнинская СОШ имени Н.И.Рыленкова Рогнединского района Брянской области»", "СОШ"
    ),
    DemoSchool("BRY-15", "BRY-ROGN", "МБОУ «Снопотская СОШ Рогнединского района Брянской области»", "СОШ"),
    DemoSchool("BRY-16", "BRY-GORD", "МБОУ Струговобудская ООШ Гордеевского района", "ООШ"),
    # 002: Krylovsky district.
    DemoSchool("KRD-02", "KRD-KRYL", "МБОУ СОШ №2", "СОШ"),
    DemoSchool("KRD-04", "KRD-KRYL", "МБОУ СОШ №4", "СОШ"),
    DemoSchool("KRD-06", "KRD-KRYL", "МБОУ СОШ №6", "СОШ"),
    DemoSchool("KRD-08", "KRD-KRYL", "МБОУ СОШ №8", "СОШ"),
    DemoSchool("KRD-09", "KRD-KRYL", "МБОУ СОШ №9", "СОШ"),
    DemoSchool("KRD-10", "KRD-KRYL", "МБОУ СОШ №10", "СОШ"),
    DemoSchool("KRD-30", "KRD-KRYL", "МБОУ СОШ №30", "СОШ"),
    # 003: Kotelnikovsky district and the school whose teachers mentor theirs.
    DemoSchool("VLG-01", "VLG-KOT", "МКОУ Красноярская СШ", "СШ"),
    DemoSchool("VLG-02", "VLG-KOT", "МКОУ Нагольненская СШ", "СШ"),
    DemoSchool("VLG-03", "VLG-KOT", "МКОУ Семиченская СШ", "СШ"),
    DemoSchool("VLG-L1", "VLG-KOT", "МКОУ СШ № 3 г. Котельниково", "СШ", is_leader=True),
    # 004: Dorogobuzh district (the teaching staff of СОШ № 1, 23 people, took the course together)
    # and the school with high results that shared its experience.
    DemoSchool("SMO-01", "SMO-DOR", "МБОУ Дорогобужская СОШ № 1", "СОШ", teachers=23),
    DemoSchool("SMO-02", "SMO-DOR", "МБОУ Верхнеднепровская СОШ № 1", "СОШ"),
    DemoSchool("SMO-L1", "SMO-DOR", "МБОУ Усвятская СОШ", "СОШ", is_leader=True),
]

BEL_SCHOOLS = ["BEL-01", "BEL-02", "BEL-03", "BEL-04", "BEL-05"]
BRY_SCHOOLS = [f"BRY-{i:02d}" for i in range(1, 17)]
KRD_SCHOOLS = ["KRD-02", "KRD-04", "KRD-06", "KRD-08", "KRD-09", "KRD-10", "KRD-30"]
VLG_SCHOOLS = ["VLG-01", "VLG-02", "VLG-03"]
SMO_SCHOOLS = ["SMO-01", "SMO-02"]

VLG_01_EXCLUSION = "\n".join(
    [
        "Активная работа по повышению квалификации педагогических работников.",
        "Организовано наставничество для молодых учителей.",
        "Организация адресного методического сопровождения педагогов педагогами МКОУ СШ № 3 г. Котельниково.",
        "Активное участие педагогов в мероприятиях распространения, обмена эффективным педагогическим опытом. "
        "Рост методической активности педагогов и их профессиональных компетенций.",
        "Общеобразовательная организация в 2020/2021 и 2021/2022 реализует образовательные программы начального "
        "и основного общего образования.",
        "Стабильные результаты ВПР, ОГЭ.",
        "Повышение результатов по ЕГЭ (2019, 2020).",
        "Отмечен рост участников и соответственно призеров всероссийской олимпиады школьников (школьного, "
        "муниципального этапа), появился интерес школьников к региональной интеллектуальной олимпиаде и к другим "
        "конкурсам.",
        "Развиваются формы индивидуализации образования: консультации для родителей; индивидуальные занятия для "
        "обучающихся, имеющих проблемы в освоении основной образовательной программы и высокую мотивацию к "
        "обучению; формирование части учебного плана, формируемой участниками образовательных отношений, на "
        "основе запросов обучающихся.",
        "100% вовлечение родителей в активную школьную жизнь.",
        "Налажено взаимодействие со школой – наставником.",
        "Вывод: планомерная всесторонняя работа с ШНРО дает положительный эффект в повышении образовательных "
        "результатов обучающихся.",
    ]
)


@dataclass(frozen=True)
class DemoRegistry:
    school: str
    year: int
    category: str
    basis: str
    included_on: dt.date
    excluded_on: dt.date | None = None
    exclusion_reason: str = ""


def _registry() -> list[DemoRegistry]:
    shnor = Category.SHNOR
    entries: list[DemoRegistry] = []
    basis_bel = "Перечень школ с низкими результатами обучения Белгородского района (ШНРО/ШФНСУ)"
    basis_bry = "Перечень ОО с низкими образовательными результатами обучающихся Брянской области"
    basis_krd = "Низкие образовательные результаты по итогам 2019-2020 учебного года"
    basis_vlg = "Школа, показывающая стабильно низкие образовательные результаты"
    for year in (2020, 2021):
        start = dt.date(year, 9, 1)
        entries += [DemoRegistry(code, year, shnor, basis_bel, start) for code in BEL_SCHOOLS]
        entries += [DemoRegistry(code, year, shnor, basis_bry, start) for code in BRY_SCHOOLS]
    entries += [DemoRegistry(code, 2020, shnor, basis_krd, dt.date(2020, 9, 1)) for code in KRD_SCHOOLS]
    entries.append(
        DemoRegistry(
            "VLG-01",
            2020,
            shnor,
            basis_vlg,
            dt.date(2020, 9, 1),
            excluded_on=dt.date(2021, 5, 20),
            exclusion_reason=VLG_01_EXCLUSION,
        )
    )
    for year in (2020, 2021):
        entries += [DemoRegistry(code, year, shnor, basis_vlg, dt.date(year, 9, 1)) for code in ("VLG-02", "VLG-03")]
    order = "Приказ Комитета по образованию МО «Дорогобужский район» от 23.09.2019 № 208/01-04"
    smo_basis = {
        "SMO-01": f"{order}: необъективные показатели по федеральным оценочным процедурам",
        "SMO-02": f"{order}: низкие результаты ГИА (ЕГЭ)",
    }
    for year, start in ((2019, dt.date(2019, 9, 23)), (2020, dt.date(2020, 9, 1))):
        entries += [DemoRegistry(code, year, shnor, smo_basis[code], start) for code in SMO_SCHOOLS]
    return entries


# 004: the municipal registry of causes of low results (2019/2020).
LOW_RESULT_CAUSES = [
    (code, 2019, cause)
    for code in SMO_SCHOOLS
    for cause in (
        "Низкая мотивация обучающихся к обучению",
        "Недостаточная компетентность учителей по оцениванию образовательных результатов",
    )
]

# The same two causes expressed on the risk-factor catalogue (version 2021).
RISK_PROFILE = [
    (code, 2021, factor, RiskLevel.HIGH) for code in SMO_SCHOOLS for factor in ("low_motivation", "teacher_competence")
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    last_name: str
    first_name: str = ""
    middle_name: str = ""
    position: str = ""
    region: str | None = None
    municipality: str | None = None
    school: str | None = None
    curated: tuple[str, ...] = ()


USERS = [
    DemoUser("admin", Role.ADMIN, "Администратор портала", position="Администратор портала"),
    DemoUser(
        "coord.bryansk",
        Role.COORDINATOR,
        "Викульева",
        "О.",
        "Г.",
        "Заведующий центром мониторинга и инновационной деятельности",
        region="BRY",
    ),
    DemoUser(
        "coord.belgorod", Role.COORDINATOR, "Лебедева", "Марина", "Сергеевна", "Региональный координатор", region="BEL"
    ),
    DemoUser(
        "head.bryansk",
        Role.HEAD,
        "Егорова",
        "Елена",
        "Викторовна",
        "Руководитель регионального органа управления образованием",
        region="BRY",
    ),
    DemoUser(
        "head.belgorod",
        Role.HEAD,
        "Бозина",
        "Н.",
        "А.",
        "Начальник Управления образования администрации Белгородского района",
        municipality="BEL-BR",
    ),
    DemoUser(
        "head.kotelnikovo",
        Role.HEAD,
        "Голова",
        "Н.",
        "А.",
        "Начальник отдела образования администрации Котельниковского муниципального района",
        municipality="VLG-KOT",
    ),
    DemoUser(
        "metod.belgorod",
        Role.METHODIST,
        "Ананьева",
        "Юлия",
        "Валерьевна",
        "Методист Управления образования администрации Белгородского района",
        municipality="BEL-BR",
    ),
    DemoUser(
        "metod.kotelnikovo",
        Role.METHODIST,
        "Кондрашова",
        "Н.",
        "В.",
        "Заведующий районным методическим кабинетом",
        municipality="VLG-KOT",
    ),
    DemoUser(
        "metod.krylovsky",
        Role.METHODIST,
        "Ключка",
        "В.",
        "В.",
        "Ведущий специалист МКУ «Центр методического и хозяйственного обеспечения МОО»",
        municipality="KRD-KRYL",
    ),
    DemoUser(
        "metod.rognedino",
        Role.METHODIST,
        "Сидоренко",
        "Анна",
        "Павловна",
        "Методист районного методического кабинета",
        municipality="BRY-ROGN",
    ),
    DemoUser(
        "curator.belgorod",
        Role.CURATOR,
        "Захарова",
        "Ольга",
        "Николаевна",
        "Методист Белгородского ММЦ ОГАОУ ДПО «БелИРО»",
        curated=tuple(BEL_SCHOOLS),
    ),
    DemoUser(
        "curator.kotelnikovo",
        Role.CURATOR,
        "Фролова",
        "Татьяна",
        "Ивановна",
        "Куратор ШНОР",
        curated=tuple(VLG_SCHOOLS),
    ),
    DemoUser("dir.zhuravlevka", Role.DIRECTOR, "Самойлова", "О.", "В.", "Директор", school="BEL-01"),
    DemoUser("dir.nikolskaya", Role.DIRECTOR, "Швечко", "Л.", "И.", "Директор", school="BEL-02"),
    DemoUser("dir.krasnoyarsk", Role.DIRECTOR, "Медведева", "Светлана", "Петровна", "Директор", school="VLG-01"),
    DemoUser("dir.gobik", Role.DIRECTOR, "Кузнецов", "Алексей", "Михайлович", "Директор", school="BRY-09"),
]

# Partner leader schools (сетевое взаимодействие): 000 reports all 5 Belgorod schools involved
# (5, 100%); 003 names СШ № 3 г. Котельниково as the mentor; 004 names Усвятская СОШ.
PARTNERS = (
    [(code, "BEL-L1", dt.date(2020, 9, 1)) for code in BEL_SCHOOLS]
    + [(code, "VLG-L1", dt.date(2020, 9, 1)) for code in VLG_SCHOOLS]
    + [(code, "SMO-L1", dt.date(2019, 9, 23)) for code in SMO_SCHOOLS]
)
CURATORS_FROM = dt.date(2020, 9, 1)


def upsert(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> tuple[Any, bool]:
    """Get or create by `lookup`, then save only the fields that differ (no history row when nothing
    changed). Returns (object, created)."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj, True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj.save(update_fields=changed)
    return obj, False


@demo_loaders.register(order=10)
@transaction.atomic
def load() -> None:
    """Create or bring up to date the demo organisations, registry, assignments and users."""
    regions = {
        code: upsert(
            Region,
            {"code": code},
            {
                "name": name,
                "authority": authority,
                "head_name": head,
                "head_position": position,
                "requisites": requisites,
                "methodical_service": service,
            },
        )[0]
        for code, name, authority, head, position, requisites, service in REGIONS
    }
    municipalities: dict[str, Municipality] = {}
    for code, region, name, authority, head, position, requisites in MUNICIPALITIES:
        municipalities[code], _ = upsert(
            Municipality,
            {"code": code},
            {
                "region": regions[region],
                "name": name,
                "authority": authority,
                "head_name": head,
                "head_position": position,
                "requisites": requisites,
                "methodical_service": METHODICAL_SERVICES.get(code, ""),
            },
        )
    schools: dict[str, School] = {}
    for s in SCHOOLS:
        values: dict[str, Any] = {
            "municipality": municipalities[s.municipality],
            "name": s.name,
            "kind": s.kind,
            "is_leader": s.is_leader,
        }
        # Only what the documents state; a school's own later edits of other fields are kept.
        if s.director:
            values["director_name"] = s.director
        if s.teachers:
            values["teachers_count"] = s.teachers
        schools[s.code], _ = upsert(School, {"code": s.code}, values)

    for r in _registry():
        upsert(
            RegistryEntry,
            {"school": schools[r.school], "academic_year": r.year},
            {
                "category": r.category,
                "basis": r.basis,
                "included_on": r.included_on,
                "excluded_on": r.excluded_on,
                "exclusion_reason": r.exclusion_reason,
            },
        )
    for school, leader, since in PARTNERS:
        upsert(PartnerAssignment, {"school": schools[school], "leader": schools[leader], "date_from": since}, {})
    for code, year, description in LOW_RESULT_CAUSES:
        upsert(LowResultCause, {"school": schools[code], "year": year, "description": description}, {})
    factors = {f.code: f for f in RiskFactor.objects.filter(version=2021)}
    for code, year, factor, level in RISK_PROFILE:
        if factor in factors:
            upsert(
                RiskProfileEntry, {"school": schools[code], "year": year, "factor": factors[factor]}, {"level": level}
            )

    for u in USERS:
        user = _user(u)
        upsert(
            Membership,
            {
                "user": user,
                "role": u.role,
                "region": regions.get(u.region) if u.region else None,
                "municipality": municipalities.get(u.municipality) if u.municipality else None,
                "school": schools.get(u.school) if u.school else None,
            },
            {},
        )
        for code in u.curated:
            upsert(
                CuratorAssignment,
                {"school": schools[code], "full_name": user.full_name, "assigned_on": CURATORS_FROM},
                {"user": user},
            )


def _user(u: DemoUser) -> User:
    """The demo user, created with password `demo`; an existing account keeps its password."""
    values = {
        "last_name": u.last_name,
        "first_name": u.first_name,
        "middle_name": u.middle_name,
        "position": u.position,
        "email": f"{u.username}@example.org",
        "is_active": True,
        "is_staff": u.role == Role.ADMIN,
        "is_superuser": u.role == Role.ADMIN,
    }
    user = User.objects.filter(username=u.username).first()
    if user is None:
        user = User(username=u.username, **values)
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    if changed:
        for name in changed:
            setattr(user, name, values[name])
        user.save(update_fields=changed)
    return user


@demo_logins.register(order=10)
def user_lines() -> list[tuple[str, str, str, str]]:
    """(role, login, password, scope) of every demo user, for the `load_demo` printout."""
    region_names = {r[0]: r[1] for r in REGIONS}
    municipality_names = {m[0]: m[2] for m in MUNICIPALITIES}
    school_names = {s.code: s.name for s in SCHOOLS}
    lines = []
    for u in USERS:
        if u.role == Role.ADMIN:
            scope = "все организации"
        elif u.school:
            scope = school_names[u.school]
        elif u.municipality:
            scope = municipality_names[u.municipality]
        elif u.region:
            scope = region_names[u.region]
        else:
            first = next(s for s in SCHOOLS if s.code == u.curated[0])
            scope = f"закреплённые ОО ({len(u.curated)}): {municipality_names[first.municipality]}"
        lines.append((str(u.role), u.username, DEMO_PASSWORD, scope))
    return lines
