"""Demo roadmaps and quarterly reports for the demo schools of `schools.demo`.

- Bryansk's 16 schools (seed 001): 2020/2021 roadmaps whose catalogue activities reproduce the
  reference's coverage for January–June 2021 (e.g. «курсы повышения квалификации» done in all 16,
  «проведение мастер-классов, открытых уроков» in 13), reports for 2021-Q1 and 2021-Q2 approved
  (brought in from paper by the regional coordinator).
- Kotelnikovsky schools (seed 003, Block 2): their real activities, forms, dates and results.
- Belgorod and Krylovsky schools: catalogue activities.
- 2021-Q1/Q2 reports in every state: draft (late), submitted, returned with comments, approved,
  certified, not started; and for the current quarter, work for the dir.* demo users.

`load()` is idempotent (get-or-create everywhere; a report that exists is left as it is, so a user's
later work is never overwritten) and deterministic (no randomness; only the current quarter depends
on today's date). It sends no e-mails: the workflow is recorded directly, with fixed timestamps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.calendar import current_quarter, quarter_academic_year, quarter_bounds
from core.models import User
from core.registry import demo_loaders
from core.transitions import transition_record
from schools.models import Region, School

from .models import (
    Activity,
    ActivityReport,
    ActivityType,
    Evidence,
    QuarterDeadline,
    QuarterlyReport,
    ReportStatus,
    ReportTransition,
    ReviewComment,
    Roadmap,
    RoadmapStatus,
    RoadmapTransition,
)
from .services.report_lines import FROZEN, activities_in_quarter, report_lines_freeze

MSK = ZoneInfo("Europe/Moscow")
BRY_SCHOOLS = [f"BRY-{i:02d}" for i in range(1, 17)]
BEL_SCHOOLS = ["BEL-01", "BEL-02", "BEL-03", "BEL-04", "BEL-05"]
KRD_SCHOOLS = ["KRD-02", "KRD-04", "KRD-06", "KRD-08", "KRD-09", "KRD-10", "KRD-30"]
VLG_SCHOOLS = ["VLG-01", "VLG-02", "VLG-03"]

# Seed 001: how many of Bryansk's 16 schools implemented each activity type in January–June 2021.
BRY_COVERAGE = {
    "teachers-01": 2,
    "teachers-02": 2,
    "teachers-03": 2,
    "teachers-04": 2,
    "teachers-05": 13,
    "teachers-06": 2,
    "teachers-07": 2,
    "teachers-08": 14,
    "teachers-09": 16,
    "teachers-10": 1,
    "teachers-11": 2,
    "motivation-01": 3,
    "motivation-02": 2,
    "motivation-03": 4,
    "motivation-04": 2,
    "motivation-05": 1,
    "motivation-06": 1,
    "parents-01": 11,
    "parents-02": 9,
    "parents-03": 1,
    "parents-04": 1,
    "failure-01": 3,
    "failure-02": 1,
    "failure-03": 9,
    "failure-04": 8,
    "failure-05": 2,
    "failure-06": 3,
}
# Schools the reference names for a type (its conclusions 4 and 5).
BRY_NAMED = {
    "motivation-02": ["BRY-05", "BRY-11"],
    "teachers-11": ["BRY-10"],
    "motivation-03": ["BRY-10"],
}

# What a school writes in «Результат» for a done activity of each type ({n}: participants).
RESULTS = {
    "teachers-01": "Проведена диагностика профессиональных дефицитов, приняли участие {n} педагогов; составлены ИОМ.",
    "teachers-02": "{n} педагогов приняли участие в районных семинарах (РМО учителей математики и русского языка).",
    "teachers-03": "Учитель стал победителем муниципального этапа конкурса «Учитель года».",
    "teachers-04": "{n} педагогов участвовали в дистанционных конкурсах профессионального мастерства.",
    "teachers-05": "Проведено {n} открытых уроков и мастер-классов для педагогов школы и района.",
    "teachers-06": "Опыт работы учителя начальных классов обобщён и представлен на РМО.",
    "teachers-07": "{n} педагогов представили творческие отчёты по темам самообразования на педсовете.",
    "teachers-08": "Проведены обучающий семинар и методическая неделя, участвовали {n} педагогов.",
    "teachers-09": "Курсы повышения квалификации прошли {n} педагогов, получены удостоверения.",
    "teachers-10": "Разработана и утверждена модель непрерывного профессионального развития педагогов.",
    "teachers-11": "Организовано психолого-педагогическое сопровождение {n} педагогов, в том числе в сетевой форме.",
    "motivation-01": "Проведена диагностика учебной мотивации обучающихся 5–9 классов ({n} чел.).",
    "motivation-02": "Проведён педагогический совет; приняты управленческие решения по результатам мониторинга.",
    "motivation-03": "Педагогом-психологом проведены занятия и консультации, охвачено {n} обучающихся.",
    "motivation-04": "Проведён мониторинг мотивации, {n} обучающихся; результаты рассмотрены на МО.",
    "motivation-05": "Создана медиатека, фонд пополнен электронными образовательными ресурсами.",
    "motivation-06": "Заключены соглашения с сельским Домом культуры и библиотекой, проведено {n} мероприятий.",
    "parents-01": "Проведены родительские собрания и лектории по качеству образования, {n} родителей.",
    "parents-02": "Проведено {n} индивидуальных консультаций с родителями обучающихся с трудностями в обучении.",
    "parents-03": "Проведён совместный с родителями День здоровья, участвовали {n} семей.",
    "parents-04": "О работе школы опубликованы материалы в районной газете и на сайте ОО.",
    "failure-01": "Проведена диагностика причин учебной неуспешности, выявлено {n} обучающихся группы риска.",
    "failure-02": "Проведён мониторинг сформированности УУД обучающихся 4 и 6 классов.",
    "failure-03": "Организованы индивидуальные и дополнительные занятия по ИОМ, охвачено {n} обучающихся.",
    "failure-04": "{n} обучающихся приняли участие в олимпиадах и конкурсах, есть призёры муниципального этапа.",
    "failure-05": "Проведены профориентационные мероприятия и онлайн-дни открытых дверей вузов, {n} обучающихся.",
    "failure-06": "Проведены стартовые и рубежные контрольные работы, результаты проанализированы на педсовете.",
}
# The expected result of an activity, by direction (as the schools' roadmaps word it).
EXPECTED = {
    "teachers": "Повышение предметных и методических компетенций педагогов",
    "motivation": "Рост учебной мотивации обучающихся",
    "parents": "Вовлечение родителей в образовательный процесс",
    "failure": "Снижение доли обучающихся с рисками учебной неуспешности",
}
FORMS = {
    "teachers-05": "открытые уроки, мастер-классы",
    "teachers-08": "семинар, методическая неделя",
    "teachers-09": "курсы ПК (очно-заочно)",
    "parents-01": "родительское собрание, лекторий",
    "parents-02": "индивидуальная консультация",
    "failure-03": "индивидуальные занятия",
    "failure-04": "олимпиада, конкурс",
}


@dataclass(frozen=True)
class SeedActivity:
    """An activity of seed 003, Block 2 (Kotelnikovsky district), with its real result."""

    type_code: str | None
    title: str
    form: str
    due_on: dt.date
    result: str
    participants: int | None = None
    starts_on: dt.date | None = None
    # The seed's «Сроки проведения» when it is not a date («2020-2021 гг.»): printed as written;
    # `due_on` is then the last day of the quarter whose report carries the line.
    due_text: str = ""


VLG_ACTIVITIES = {
    "VLG-01": [
        SeedActivity(
            "teachers-09",
            "Обучение педагогов на платформе Академии Минпросвещения России на курсе «Школа современного учителя»",
            "дистанционный курс",
            dt.date(2021, 6, 3),
            "Получили удостоверение 3 педагога (по одному учителю математики, физики, русского языка). "
            "Начали обучение 5 педагогов.",
            8,
            dt.date(2021, 1, 11),
        ),
        SeedActivity(
            "teachers-02",
            "Участие педагогических работников в семинарах, конференциях, форумах различного уровня по вопросам "
            "образовательной деятельности для школ с низкими образовательными результатами",
            "семинар, форум",
            dt.date(2021, 3, 31),
            "Региональная мастерская управления «Траектория развития школы»; IV региональный форум «Эффективной "
            "школе — успешный педагог»; участие педагогов в РМО (март 2021).",
            9,
            due_text="2020-2021 гг.",
        ),
        SeedActivity(
            None,
            "Адресная коррективная методика работы учителя и образовательных программ",
            "консультирование",
            dt.date(2021, 6, 25),
            "Консультирование учителя русского языка МКОУ СШ № 3 г. Котельниково.",
            1,
            due_text="июнь",
        ),
        SeedActivity(
            "parents-02",
            "Консультации для родителей «Практические рекомендации по формированию основ функциональной "
            "грамотности у детей, плохо владеющих русским языком»",
            "групповое занятие, индивидуальные консультации",
            dt.date(2021, 5, 21),
            "Проведено 1 занятие групповое, 8 индивидуальных консультаций.",
            9,
            dt.date(2021, 5, 11),
        ),
        SeedActivity(
            "motivation-01",
            "Выявление ведущих учебных мотивов, интересов обучающихся",
            "тестирование",
            dt.date(2021, 5, 21),
            "Проведено тестирование учащихся 8–9-х классов. У 92% обучающихся наблюдается преобладание "
            "внутренней школьной мотивации над внешней.",
            24,
            dt.date(2021, 5, 11),
        ),
        SeedActivity(
            "teachers-05",
            "Обмен опытом среди учителей математики",
            "мастер-класс",
            dt.date(2021, 5, 13),
            "Мастер-класс «Методика решения задач повышенной сложности» (Сердобинцева О.В., учитель математики).",
            6,
        ),
        SeedActivity(
            "failure-04",
            "Участие в олимпиадах/конкурсах",
            "олимпиада, конкурс",
            dt.date(2021, 3, 31),
            "7 человек — муниципальный этап ВсОШ по русскому языку и математике (2 призёра по математике); "
            "32 ученика — региональная олимпиада «Шаг в будущее».",
            39,
            due_text="2020-2021г.",
        ),
        SeedActivity(
            "parents-03",
            "Участие родителей в социальных проектах школы",
            "социальный проект",
            dt.date(2021, 3, 26),
            "100% вовлечение родителей в активную школьную жизнь.",
            60,
            due_text="2020/2021",
        ),
    ],
    "VLG-02": [
        SeedActivity(
            "teachers-09",
            "Прохождение курсов повышения квалификации по проблемам повышения качества образования и работы в "
            "социально неблагоприятных условиях",
            "курсы ПК",
            dt.date(2021, 3, 31),
            "8 человек прошли курсы на портале Единыйурок.рф; 4 педагога — курсы ФГАОУ ДПО «Центр реализации "
            "государственной образовательной политики и информационных технологий».",
            12,
            due_text="2020-2021 гг.",
        ),
        SeedActivity(
            "failure-05",
            "Посещение ярмарки профессий с вузами по привлечению молодых специалистов",
            "профориентационные мероприятия",
            dt.date(2021, 5, 31),
            "Открытые уроки «ПРОЕКТОриЯ» (5–11 классы, 52 человека); деловая игра «Каждой профессии слава и "
            "честь» 19.03.2021; онлайн-дни открытых дверей вузов.",
            52,
            dt.date(2021, 3, 1),
            due_text="2021 (март – май)",
        ),
        SeedActivity(
            "motivation-01",
            "Теоретический семинар «Система работы с учащимися, имеющими низкую мотивацию к учению в условиях "
            "реализации ФГОС ООО»",
            "семинар",
            dt.date(2021, 1, 29),
            "Проведён семинар 24.01.2021 г. Приняли участие обучающиеся 5–10 классов и их родители (70 человек).",
            70,
            due_text="Январь 2021",
        ),
        SeedActivity(
            "teachers-08",
            "Семинар-практикум для педагогов «Формирование учебной мотивации у учащихся с низкими "
            "образовательными результатами»",
            "семинар-практикум",
            dt.date(2021, 3, 18),
            "Организован семинар-практикум для учителей 18.03.2021 г.",
            11,
            due_text="Март 2021 год",
        ),
        SeedActivity(
            "teachers-11",
            "Занятие с элементами тренинга «Профилактика эмоционального выгорания»",
            "тренинг",
            dt.date(2021, 4, 30),
            "Приняли участие 8 человек, с приглашением психолога МКОУ СШ № 2 г. Котельниково.",
            8,
            due_text="Апрель 2021",
        ),
        SeedActivity(
            "parents-01",
            "Проведение родительских собраний (лекториев, встреч) «Эмоциональное благополучие детей в семье»",
            "родительское собрание",
            dt.date(2021, 3, 19),
            "Проведено родительское собрание 19.03.2021 г. (62 человека).",
            62,
            due_text="Март 2021 г.",
        ),
        SeedActivity(
            "failure-03",
            "Организация дополнительных занятий с отстающими учениками в рамках работы учебных кабинетов",
            "дополнительные занятия",
            dt.date(2021, 5, 28),
            "Дополнительные занятия для 2–11 классов: русский язык (каждая среда), математика (каждый четверг).",
            34,
            dt.date(2021, 1, 11),
            due_text="2020-2021 уч.г.",
        ),
    ],
    "VLG-03": [
        SeedActivity(
            None,
            "Мероприятия по открытию Центра «Точка роста»",
            "ремонт, закупка оборудования",
            dt.date(2021, 6, 30),
            "Ремонт кабинетов ОБЖ и мастерской; закупка мебели и цифрового оборудования; КПК прошли 3 педагога.",
            3,
            dt.date(2021, 5, 1),
            due_text="Май-июнь 2021",
        ),
        SeedActivity(
            "teachers-07",
            "Тематический педсовет «Новые образовательные технологии: взаимопосещение уроков». Отчёт "
            "учителей-предметников по теме самообразования",
            "педсовет",
            dt.date(2021, 5, 31),
            "Протокол педсовета № 10 от 31.05.2021; протоколы ШМО.",
            14,
            due_text="2020-2021",
        ),
        SeedActivity(
            "teachers-09",
            "КПК «Профессиональная компетентность учителя в условиях реализации ФГОС ООО и ФГОС СОО»",
            "курсы ПК",
            dt.date(2021, 3, 31),
            "Документы по КПК. 83% педагогов прошли КПК.",
            15,
            due_text="2020-2021",
        ),
        SeedActivity(
            "failure-04",
            "Участие обучающихся во внеурочной деятельности: олимпиады, конкурсы, викторины",
            "олимпиада, конкурс",
            dt.date(2021, 3, 31),
            "2 призёра муниципального этапа ВсОШ (история и обществознание); 100% участие обучающихся.",
            48,
            due_text="2020-2021",
        ),
        SeedActivity(
            "parents-03",
            "Участие родителей в социальных проектах школы",
            "социальный проект",
            dt.date(2021, 5, 25),
            "100% вовлечение родителей в активную школьную жизнь.",
            40,
            due_text="2020/2021",
        ),
    ],
}

# Catalogue activities of the Belgorod and Krylovsky schools (type code, due date in 2021).
GENERIC_PLAN = [
    ("teachers-09", dt.date(2021, 3, 26)),
    ("teachers-05", dt.date(2021, 2, 19)),
    ("teachers-08", dt.date(2021, 3, 12)),
    ("teachers-01", dt.date(2021, 1, 29)),
    ("motivation-03", dt.date(2021, 3, 31)),
    ("parents-01", dt.date(2021, 4, 23)),
    ("parents-02", dt.date(2021, 5, 21)),
    ("failure-03", dt.date(2021, 5, 28)),
    ("failure-04", dt.date(2021, 4, 16)),
    ("failure-06", dt.date(2021, 6, 18)),
]
DEADLINES_2021 = {
    "BEL": {1: dt.date(2021, 4, 5), 2: dt.date(2021, 7, 5)},
    "BRY": {1: dt.date(2021, 4, 10), 2: dt.date(2021, 7, 1)},
    "VLG": {1: dt.date(2021, 4, 10), 2: dt.date(2021, 7, 10)},
    "KRD": {1: dt.date(2021, 4, 12), 2: dt.date(2021, 7, 12)},
    "SMO": {1: dt.date(2021, 4, 10), 2: dt.date(2021, 7, 10)},
}

# A minimal valid PDF, stored as the evidence of a few demo lines.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=MSK)


def _participants(seed: str) -> int:
    """A stable, plausible number from a string (no randomness)."""
    return 3 + int(hashlib.sha256(seed.encode()).hexdigest()[:4], 16) % 18


def _users() -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}


DEMO_USERNAMES = [
    "coord.bryansk",
    "metod.belgorod",
    "metod.kotelnikovo",
    "metod.krylovsky",
    "metod.rognedino",
    "curator.belgorod",
    "curator.kotelnikovo",
    "dir.zhuravlevka",
    "dir.nikolskaya",
    "dir.krasnoyarsk",
    "dir.gobik",
]


def _activity(roadmap: Roadmap, types: dict[str, ActivityType], order: int, **fields) -> Activity:
    type_code = fields.pop("type_code", None)
    kind = types.get(type_code) if type_code else None
    title = fields.pop("title", None) or (kind.name[:1].upper() + kind.name[1:])
    activity, _created = Activity.objects.get_or_create(
        roadmap=roadmap,
        title=title,
        due_on=fields.pop("due_on"),
        defaults={
            "direction": kind.direction if kind else types["teachers-09"].direction,
            "activity_type": kind,
            "order": order,
            "responsible": fields.pop("responsible", "Заместитель директора по УВР"),
            "expected_result": fields.pop("expected_result", ""),
            **fields,
        },
    )
    return activity


def _roadmap(school: School, academic_year: int, *, status: str, approver: User | None) -> tuple[Roadmap, bool]:
    roadmap, created = Roadmap.objects.get_or_create(school=school, academic_year=academic_year)
    if created and status != RoadmapStatus.DRAFT:
        fields = {"status": status}
        when = _at(dt.date(academic_year, 9, 15))
        fields["submitted_at"] = when
        if status == RoadmapStatus.APPROVED:
            fields.update(approved_at=when + dt.timedelta(days=3), approved_by=approver)
        Roadmap.objects.filter(pk=roadmap.pk).update(**fields)
        roadmap.refresh_from_db()
    return roadmap, created


def _past_transition(report: QuarterlyReport, actor: User | None, action: str, frm: str, to: str, when, comment=""):
    t = transition_record(
        ReportTransition, report, actor=actor, action=action, from_status=frm, to_status=to, comment=comment
    )
    ReportTransition.objects.filter(pk=t.pk).update(created_at=when)
    return t


def _fill(
    report: QuarterlyReport,
    *,
    author: User | None,
    share: float = 1.0,
    not_done_every: int = 0,
    when: dt.datetime | None = None,
) -> None:
    """Fill the report's lines: done with a result, the first `share` of them; every n-th not done.
    `when` dates the edits in the history (a report of 2021 was filled in 2021, not at load time)."""
    lines = list(report.lines.select_related("activity__activity_type").order_by("activity__due_on", "pk"))
    limit = round(len(lines) * share)
    start, end = report.bounds
    for n, line in enumerate(lines[:limit], start=1):
        code = line.activity.activity_type.code if line.activity.activity_type else ""
        people = _participants(f"{report.roadmap.school.code}{code}{line.activity.title}")
        if not_done_every and n % not_done_every == 0:
            line.status = "postponed"
            line.reason = "Мероприятие перенесено в связи с карантином по ОРВИ; новый срок — следующий квартал."
        else:
            line.status = "done"
            line.result = RESULTS.get(code, "Мероприятие проведено в установленный срок.").format(n=people)
            line.participants = people
            # The line's own dates only where the school would know them: an activity finished within
            # the quarter by its date. A deadline given as text («2020–2021 гг.») or one after the
            # quarter leaves them empty, so the programme report prints the activity's deadline as
            # written instead of a quarter's end nobody entered.
            activity = line.activity
            if not activity.due_text and start <= activity.due_on <= min(end, (when or timezone.now()).date()):
                line.finished_on = activity.due_on
                line.started_on = activity.starts_on if activity.starts_on and activity.starts_on >= start else None
        line._history_user = author
        line.save()
    if when is not None:
        ActivityReport.history.filter(id__in=[line.pk for line in lines]).update(history_date=when)


def _report(roadmap: Roadmap, year: int, quarter: int) -> tuple[QuarterlyReport, bool]:
    report, created = QuarterlyReport.objects.get_or_create(roadmap=roadmap, year=year, quarter=quarter)
    if created:
        for activity in activities_in_quarter(roadmap, year, quarter):
            ActivityReport.objects.get_or_create(report=report, activity=activity)
    return report, created


def _set(report: QuarterlyReport, **fields) -> None:
    QuarterlyReport.objects.filter(pk=report.pk).update(**fields)
    report.refresh_from_db()
    if report.status in FROZEN:
        report_lines_freeze(report_ids=[report.pk])


def _approved_by_import(report: QuarterlyReport, actor: User | None, deadline: dt.date) -> None:
    when = _at(deadline + dt.timedelta(days=12), 15)
    _past_transition(
        report,
        actor,
        "import",
        ReportStatus.DRAFT,
        ReportStatus.APPROVED,
        when,
        "Импорт из книги Excel (лист «Мероприятия»): отчёт, заверенный руководителем и куратором ОО, утверждён на бумаге.",
    )
    _set(report, status=ReportStatus.APPROVED, submitted_at=when, approved_at=when, approved_by=actor, version=2)


def _workflow(report, deadline: dt.date, *, director, methodist, curator, steps: list[str], comments=None) -> None:
    """Record the workflow `steps` (submit, return, approve, certify) with timestamps around the deadline."""
    status = ReportStatus.DRAFT
    when = _at(deadline - dt.timedelta(days=3), 11)
    fields: dict = {}
    for step in steps:
        if step == "submit":
            _past_transition(report, director, "submit", status, ReportStatus.SUBMITTED, when)
            status = ReportStatus.SUBMITTED
            fields["submitted_at"] = when
        elif step == "return":
            text, line_comments = comments or ("", {})
            t = _past_transition(report, methodist, "return", status, ReportStatus.RETURNED, when, text)
            status = ReportStatus.RETURNED
            if text:
                c = ReviewComment.objects.create(report=report, transition=t, author=methodist, text=text)
                ReviewComment.objects.filter(pk=c.pk).update(created_at=when)
            lines = list(report.lines.order_by("activity__due_on", "pk"))
            for index, line_text in line_comments.items():
                if index < len(lines):
                    c = ReviewComment.objects.create(
                        report=report, transition=t, line=lines[index], author=methodist, text=line_text
                    )
                    ReviewComment.objects.filter(pk=c.pk).update(created_at=when)
        elif step == "approve":
            _past_transition(report, methodist, "approve", status, ReportStatus.APPROVED, when)
            status = ReportStatus.APPROVED
            fields.update(approved_at=when, approved_by=methodist)
        elif step == "certify":
            _past_transition(report, curator, "certify", status, status, when)
            fields.update(certified_at=when, certified_by=curator)
        when += dt.timedelta(days=1, hours=2)
    _set(report, status=status, version=1 + len(steps) + 1, **fields)


def _evidence(report: QuarterlyReport, user: User | None, count: int = 2, when: dt.datetime | None = None) -> None:
    for line in report.lines.filter(status="done").order_by("pk")[:count]:
        token = hashlib.sha256(f"demo-evidence-{report.roadmap.school.code}-{line.activity.title}".encode()).hexdigest()
        token = token[:32]
        if Evidence.objects.filter(token=token).exists():
            continue
        evidence = Evidence(
            line=line,
            token=token,
            extension=".pdf",
            original_name=f"Приказ о проведении мероприятия № {line.activity.order}.pdf",
            content_type="application/pdf",
            size=len(DEMO_PDF),
            uploaded_by=user,
        )
        evidence.file.save(f"{token}.pdf", ContentFile(DEMO_PDF), save=False)
        evidence._history_user = user
        evidence.save()
        if when is not None:
            Evidence.objects.filter(pk=evidence.pk).update(uploaded_at=when)
            Evidence.history.filter(id=evidence.pk).update(history_date=when)


@demo_loaders.register(order=20)
@transaction.atomic
def load() -> None:
    """Create (or leave in place) the demo roadmaps and reports."""
    schools = {s.code: s for s in School.objects.select_related("municipality__region")}
    if "BRY-01" not in schools:
        return  # schools.demo has not run
    users = _users()
    types = {t.code: t for t in ActivityType.objects.select_related("direction")}
    missing = sorted(set(BRY_COVERAGE) - types.keys())
    if missing:
        listed = ", ".join(missing)
        raise RuntimeError(f"Каталог видов мероприятий не загружен (нет {listed}): выполните «manage.py migrate».")
    regions = {r.code: r for r in Region.objects.all()}
    for code, quarters in DEADLINES_2021.items():
        if code in regions:
            for quarter, deadline in quarters.items():
                QuarterDeadline.objects.get_or_create(
                    region=regions[code], year=2021, quarter=quarter, defaults={"deadline": deadline}
                )

    _load_bryansk(schools, types, users)
    _load_kotelnikovo(schools, types, users)
    _load_generic(schools, types, users, BEL_SCHOOLS, methodist=users.get("metod.belgorod"))
    _load_generic(schools, types, users, KRD_SCHOOLS, methodist=users.get("metod.krylovsky"))
    _load_2021_states(schools, users)
    _load_current_quarter(schools, types, users)


def _bryansk_assignments() -> dict[str, list[tuple[str, dt.date]]]:
    """School code → [(type code, due date)]: each type in exactly as many schools as seed 001 counts."""
    plan: dict[str, list[tuple[str, dt.date]]] = {code: [] for code in BRY_SCHOOLS}
    for k, (type_code, count) in enumerate(BRY_COVERAGE.items()):
        chosen = list(BRY_NAMED.get(type_code, []))
        offset = (k * 5) % 16
        i = 0
        while len(chosen) < count:
            candidate = BRY_SCHOOLS[(offset + i) % 16]
            if candidate not in chosen:
                chosen.append(candidate)
            i += 1
        for j, school_code in enumerate(chosen):
            # Spread over January–June 2021, deterministically.
            month = 1 + (k + j) % 6
            day = 5 + (k * 3 + j * 7) % 22
            plan[school_code].append((type_code, dt.date(2021, month, day)))
    return plan


def _load_bryansk(schools, types, users) -> None:
    coordinator = users.get("coord.bryansk")
    for school_code, items in _bryansk_assignments().items():
        school = schools[school_code]
        roadmap, _c = _roadmap(school, 2020, status=RoadmapStatus.APPROVED, approver=coordinator)
        for order, (type_code, due_on) in enumerate(sorted(items, key=lambda x: (x[1], x[0])), start=1):
            _activity(
                roadmap,
                types,
                order,
                type_code=type_code,
                due_on=due_on,
                form=FORMS.get(type_code, ""),
                expected_result=EXPECTED[type_code.split("-")[0]],
            )
        # The reference's remark: ВСОКО is still to be built — in progress where it was not done.
        if "failure-06" not in {t for t, _d in items}:
            _activity(
                roadmap,
                types,
                90,
                type_code="failure-06",
                due_on=dt.date(2021, 6, 30),
                form="ВСОКО",
                expected_result=EXPECTED["failure"],
            )
        for quarter in (1, 2):
            report, created = _report(roadmap, 2021, quarter)
            if not created:
                continue
            _fill(report, author=coordinator, when=_at(DEADLINES_2021["BRY"][quarter] + dt.timedelta(days=12), 14))
            report.lines.filter(activity__order=90).update(
                status="in_progress", result="Разработано положение о ВСОКО; план мониторинга на 2021/2022 уч. год."
            )
            _approved_by_import(report, coordinator, DEADLINES_2021["BRY"][quarter])


def _load_kotelnikovo(schools, types, users) -> None:
    methodist = users.get("metod.kotelnikovo")
    for school_code, items in VLG_ACTIVITIES.items():
        roadmap, _c = _roadmap(schools[school_code], 2020, status=RoadmapStatus.APPROVED, approver=methodist)
        for order, a in enumerate(items, start=1):
            _activity(
                roadmap,
                types,
                order,
                type_code=a.type_code,
                title=a.title,
                form=a.form,
                due_on=a.due_on,
                starts_on=a.starts_on,
                due_text=a.due_text,
                expected_result=EXPECTED[a.type_code.split("-")[0]] if a.type_code else "",
            )


def _load_generic(schools, types, users, codes: list[str], *, methodist: User | None) -> None:
    for n, school_code in enumerate(codes):
        roadmap, _c = _roadmap(schools[school_code], 2020, status=RoadmapStatus.APPROVED, approver=methodist)
        plan = GENERIC_PLAN[n % 3 :] + GENERIC_PLAN[: n % 3]
        for order, (type_code, due_on) in enumerate(plan[: 8 + n % 3], start=1):
            _activity(
                roadmap,
                types,
                order,
                type_code=type_code,
                due_on=due_on,
                form=FORMS.get(type_code, ""),
                expected_result=EXPECTED[type_code.split("-")[0]],
            )


def _seed_results(report: QuarterlyReport) -> None:
    """Kotelnikovsky lines take their real results from seed 003."""
    by_title = {a.title: a for items in VLG_ACTIVITIES.values() for a in items}
    for line in report.lines.select_related("activity"):
        seed = by_title.get(line.activity.title)
        if seed and line.status == "done":
            line.result, line.participants = seed.result, seed.participants
            line.save(update_fields=["result", "participants"])


def _load_2021_states(schools, users) -> None:
    """2021-Q1 and 2021-Q2 reports of the non-Bryansk schools, in every state."""
    u = users.get
    bel = {"methodist": u("metod.belgorod"), "curator": u("curator.belgorod")}
    vlg = {"methodist": u("metod.kotelnikovo"), "curator": u("curator.kotelnikovo")}
    returned_comments = (
        "Приложите подтверждающие документы (приказы, протоколы) по мероприятиям, отмеченным как выполненные.",
        {
            0: "Уточните число участников и приложите протокол мероприятия.",
            2: "Причина переноса указана неконкретно: укажите новый срок проведения.",
        },
    )
    plan = [
        # school, quarter, director, context, fill, steps (None: state set below), evidence
        ("BEL-01", 1, "dir.zhuravlevka", bel, True, ["submit", "certify", "approve"]),
        ("BEL-01", 2, "dir.zhuravlevka", bel, True, ["submit", "return"]),
        ("BEL-02", 1, "dir.nikolskaya", bel, True, ["submit", "approve", "certify"]),
        ("BEL-02", 2, "dir.nikolskaya", bel, True, ["submit"]),
        ("VLG-01", 1, "dir.krasnoyarsk", vlg, True, ["submit", "approve", "certify"]),
        ("VLG-01", 2, "dir.krasnoyarsk", vlg, "partial", []),  # a late draft
        ("VLG-02", 2, None, vlg, "partial", []),  # another late draft, partly filled
    ]
    for school_code, quarter, director_name, ctx, fill, steps in plan:
        roadmap = Roadmap.objects.get(school=schools[school_code], academic_year=2020)
        report, created = _report(roadmap, 2021, quarter)
        if not created:
            continue
        director = u(director_name) if director_name else None
        region = schools[school_code].municipality.region.code
        deadline = DEADLINES_2021[region][quarter]
        filled_at = _at(deadline - dt.timedelta(days=5), 16, 20)
        _fill(
            report,
            author=director or ctx["methodist"],
            share=1.0 if fill is True else 0.5,
            not_done_every=3 if "return" in steps else 0,
            when=filled_at,
        )
        if school_code.startswith("VLG"):
            _seed_results(report)
        if steps:
            _workflow(
                report,
                deadline,
                director=director,
                methodist=ctx["methodist"],
                curator=ctx["curator"],
                steps=steps,
                comments=returned_comments if "return" in steps else None,
            )
        if quarter == 1 or "submit" in steps:
            _evidence(report, director, when=filled_at + dt.timedelta(minutes=25))
    # Imported (approved on paper) reports of schools without a director account on the portal;
    # BEL-05 and VLG-03 have not reported 2021-Q2 at all (late).
    imported = [
        ("BEL-03", 1),
        ("BEL-03", 2),
        ("BEL-04", 1),
        ("BEL-04", 2),
        ("BEL-05", 1),
        ("VLG-02", 1),
        ("VLG-03", 1),
    ] + [(code, q) for code in KRD_SCHOOLS for q in (1, 2) if not (code in ("KRD-09", "KRD-30") and q == 2)]
    for school_code, quarter in imported:
        school = schools[school_code]
        roadmap = Roadmap.objects.get(school=school, academic_year=2020)
        report, created = _report(roadmap, 2021, quarter)
        if not created:
            continue
        region = school.municipality.region.code
        methodist = {"BEL": bel["methodist"], "VLG": vlg["methodist"], "KRD": u("metod.krylovsky")}[region]
        _fill(report, author=methodist, when=_at(DEADLINES_2021[region][quarter] + dt.timedelta(days=12), 14))
        if school_code.startswith("VLG"):
            _seed_results(report)
        _approved_by_import(report, methodist, DEADLINES_2021[region][quarter])


def _load_current_quarter(schools, types, users) -> None:
    """Roadmaps of the current academic year and reports of the current quarter: work for the dir.* users."""
    year, quarter = current_quarter()
    academic_year = quarter_academic_year(year, quarter)
    if academic_year <= 2021:
        return
    u = users.get
    plan = {
        # school: (roadmap status, approver, report state)
        "BEL-01": (RoadmapStatus.APPROVED, u("metod.belgorod"), "draft"),
        "BEL-02": (RoadmapStatus.APPROVED, u("metod.belgorod"), None),  # «Заполнить отчёт»
        "BEL-03": (RoadmapStatus.DRAFT, None, None),
        "BEL-04": (RoadmapStatus.APPROVED, u("metod.belgorod"), "empty"),
        "VLG-01": (RoadmapStatus.SUBMITTED, None, "empty"),
        "VLG-02": (RoadmapStatus.APPROVED, u("metod.kotelnikovo"), None),
        "BRY-09": (RoadmapStatus.APPROVED, u("metod.rognedino"), "returned"),
        "BRY-10": (RoadmapStatus.APPROVED, u("metod.rognedino"), "draft"),
        "BRY-14": (RoadmapStatus.APPROVED, u("metod.rognedino"), None),
        "BRY-15": (RoadmapStatus.APPROVED, u("metod.rognedino"), "empty"),
    }
    quarters = [(academic_year, 3), (academic_year, 4), (academic_year + 1, 1), (academic_year + 1, 2)]
    for school_code, (status, approver, state) in plan.items():
        school = schools[school_code]
        roadmap, created = _roadmap(school, academic_year, status=status, approver=approver)
        if created:
            previous = Roadmap.objects.filter(school=school, academic_year=2020).first()
            source = list(previous.activities.order_by("due_on", "pk")) if previous else []
            for n, old in enumerate(source[:14]):
                y, q = quarters[n % 4]
                start, end = quarter_bounds(y, q)
                due = end - dt.timedelta(days=7 * (n // 4) + 3)
                starts_on = None
                if n % 3 == 0:
                    # Runs through the whole year (courses, individual work): in every quarter's report.
                    starts_on, due = dt.date(academic_year, 9, 1), dt.date(academic_year + 1, 5, 31)
                elif y == academic_year and q == 3:
                    due = max(due, dt.date(academic_year, 9, 20))
                Activity.objects.get_or_create(
                    roadmap=roadmap,
                    title=old.title,
                    due_on=due,
                    defaults={
                        "starts_on": starts_on,
                        "direction_id": old.direction_id,
                        "activity_type_id": old.activity_type_id,
                        "form": old.form,
                        "responsible": old.responsible,
                        "expected_result": old.expected_result,
                        "order": n + 1,
                    },
                )
            director = User.objects.filter(memberships__school=school, memberships__role="director").first()
            if director and status in (RoadmapStatus.SUBMITTED, RoadmapStatus.APPROVED):
                t = RoadmapTransition.objects.create(
                    roadmap=roadmap, actor=director, from_status="draft", to_status="submitted", action="submit"
                )
                RoadmapTransition.objects.filter(pk=t.pk).update(created_at=roadmap.submitted_at)
                if status == RoadmapStatus.APPROVED and approver:
                    t = RoadmapTransition.objects.create(
                        roadmap=roadmap, actor=approver, from_status="submitted", to_status="approved", action="approve"
                    )
                    RoadmapTransition.objects.filter(pk=t.pk).update(created_at=roadmap.approved_at)
        if state is None or quarter_bounds(year, quarter)[0] > timezone.localdate():
            continue
        report, created = _report(roadmap, year, quarter)
        if not created:
            continue
        director = User.objects.filter(memberships__school=school, memberships__role="director").first()
        if state == "draft":
            _fill(report, author=director, share=0.5)
        elif state == "returned":
            start, _end = quarter_bounds(year, quarter)
            deadline = quarter_bounds(year, quarter)[1] + dt.timedelta(days=10)
            methodist = u("metod.rognedino")
            steps_when = min(timezone.localdate(), deadline) - dt.timedelta(days=1)
            steps_when = max(steps_when, start + dt.timedelta(days=4))
            _fill(report, author=director, when=_at(steps_when - dt.timedelta(days=4), 15))
            _workflow(
                report,
                steps_when,
                director=director,
                methodist=methodist,
                curator=None,
                steps=["submit", "return"],
                comments=("", {0: "Укажите, сколько педагогов приняли участие, и приложите протокол."}),
            )
