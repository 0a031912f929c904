"""Demo references, made through the same services a person uses (idempotent: a reference that
exists is left as it is).

- Belgorod district, methodical-help, 01.09.2020–30.06.2021: the text and recommendations of seed 000
  with its cover letter, signed by Н.А. Бозина on 07.07.2021, № 00-14/08-2729 (its PDF is rendered).
- Bryansk region, roadmap-monitoring, 01.01.2021–30.06.2021: the text of seed 001, a draft prepared
  by the regional coordinator (rendered on first «Сформировать PDF»).
- Kotelnikovsky district, program-report, 01.09.2020–30.06.2021: seed 003's recommendations and
  "analysis of the measures taken", sent to Н.А. Голова for sign-off.
"""

from __future__ import annotations

import datetime as dt

from core.models import User
from core.registry import demo_loaders

from . import services
from .models import AnalyticalReference, ReferenceVersion
from .tasks import reference_render

BEL_RECOMMENDATIONS = [
    (
        "Директору МОУ «Малиновская ООШ» (Бударов А.В.)",
        "организовать повышение квалификации педагогов (преподающих в здании с. Петровка), работающих с детьми с ОВЗ.",
        "в 3-м квартале 2021 года",
    ),
    (
        "Руководителям МОУ «Журавлевская СОШ» (Самойлова О.В.), МОУ «Никольская средняя школа» (Швечко Л.И.), "
        "МОУ «Солохинская СОШ» (Козлова Л.А.), МОУ «Яснозоренская СОШ» (Копысова В.А.), "
        "МОУ «Малиновская ООШ» (Бударов А.В.)",
        "разработать индивидуальные образовательные маршруты для педагогов, имеющих профессиональные затруднения.",
        "до 1 сентября 2021 года",
    ),
    (
        "Руководителям МОУ «Солохинская СОШ» (Козлова Л.А.), МОУ «Малиновская ООШ» (Бударов А.В.)",
        "организовать участие педагогов в конкурсах профессионального мастерства.",
        "в 2021-2022 учебном году",
    ),
    (
        "Руководителям МОУ «Журавлевская СОШ» (Самойлова О.В.), МОУ «Никольская средняя школа» (Швечко Л.И.), "
        "МОУ «Солохинская СОШ» (Козлова Л.А.), МОУ «Яснозоренская СОШ» (Копысова В.А.), "
        "МОУ «Малиновская ООШ» (Бударов А.В.)",
        "разработать комплекс мер, направленных на выявление, обобщение, транслирование и тиражирование "
        "лучших педагогических практик.",
        "до 1 сентября 2021 года",
    ),
]

BRY_CONCLUSIONS = """все ОО реализуют мероприятия дорожной карты в соответствии со сроками, документы подтверждают эффективность реализации запланированных мероприятий;
активно работа ведется по совершенствованию профессиональных компетенций учителей;
большое внимание уделяется индивидуальному подходу в работе с обучающимися и родителями;
принятие управленческих решений на основе результатов мониторинга в системе ведется в МБОУ Дроновская СОШ имени Героя Советского Союза И.К.Хахерина, МБОУ Карпиловская ООШ Злынковского района;
системная работа по обеспечению психолого-педагогического сопровождения учителей и обучающихся ведется в МБОУ "Пацынская СОШ Рогнединского района Брянской области"."""

BRY_REMARKS = """необходимо выстроить ВСОКО в ОО;
планировать работу по психолого-педагогическому сопровождению учителей и обучающихся."""

BRY_DECISIONS = """руководителям ОО совместно с куратором внести корректировки (по необходимости) в "дорожную карту" с 01 сентября 2021 года;
ЦНППМ запланировать практикумы с руководителями образовательных организаций по вопросам формирования ВСОКО и обеспечения психолого-педагогического сопровождения учителей и обучающихся (с 01 октября 2021 года);
региональному координатору О.Г. Викульевой организовать индивидуальную помощь образовательным организациям по данному вопросу (постоянно);
образовательным организациям подготовить отчет о реализации мероприятий «дорожных карт» 2 этапа до 01 декабря 2021 года."""

VLG_RECOMMENDATIONS = [
    (
        "Руководителям МКОУ Красноярская СШ, МКОУ Нагольненская СШ, МКОУ Семиченская СШ",
        "проводить систематическое отслеживание (мониторинг) и контроль за выполнением программы перехода школы "
        "в эффективный режим работы, при необходимости принимать управленческие меры для её коррекции.",
        "в течение 2021-2022 учебного года",
    ),
    (
        "Руководителям ОО",
        "вести «Дневник школы», «Дневник педагога» и «Дневник директора» по формам, рекомендованным РМК.",
        "с 01.09.2021",
    ),
    (
        "РМК (Кондрашова Н.В.)",
        "провести анкетирование учителей «Есть ли изменения?» в ШНОР и представить результаты рабочей группе.",
        "до 01.12.2021",
    ),
]

VLG_CONCLUSIONS = """Признать в целом работу по реализации программ поддержки ШНОР и ШНСУ в районе удовлетворительной.
Систематизировать и обобщить полученный положительный опыт реализации программ поддержки ШНОР и ШНСУ (в т.ч. организовать трансляцию лучших практик на РМО).
Создать банк актуальных методических материалов по поддержке ШНОР и ШНСУ.
Инициировать повышение квалификации педагогов ШНОР и ШНСУ по федеральным программам повышения квалификации.
Провести анализ эффективности принятых мер по итогам 2021-2022 учебного года."""


DEMO_BEL_DATA_AS_OF = dt.datetime(2021, 7, 6, 17, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _exists(template: str, code: str, date_from: dt.date, date_to: dt.date) -> bool:
    return (
        AnalyticalReference.objects.filter(template=template, date_from=date_from, date_to=date_to)
        .filter(municipality__code=code)
        .exists()
        or AnalyticalReference.objects.filter(
            template=template, date_from=date_from, date_to=date_to, municipality__isnull=True, region__code=code
        ).exists()
    )


def _recs(items: list[tuple[str, str, str]]) -> list[dict[str, str]]:
    return [{"addressee": a, "text": t, "deadline": d} for a, t, d in items]


def _new_reference(
    user: User | None, template: str, scope_kind: str, scope_code: str, period: tuple[dt.date, dt.date]
) -> AnalyticalReference | None:
    """The demo reference of this territory and period, created by `user`; None when it was loaded
    before or its author is missing."""
    if user is None or _exists(template, scope_code, *period):
        return None
    return services.reference_create(
        user=user,
        template=template,
        scope_kind=scope_kind,
        scope_code=scope_code,
        date_from=period[0],
        date_to=period[1],
    )


def _render_now(version: ReferenceVersion) -> bool:
    """Render in this process unless a worker already did (with a broker the task may be queued)."""
    reference_render.apply(args=[version.pk])
    return ReferenceVersion.objects.filter(pk=version.pk).exclude(pdf_sha256="").exists()


@demo_loaders.register(order=40)
def load() -> None:
    _belgorod()
    _bryansk()
    _kotelnikovo()


def _belgorod() -> None:
    period = (dt.date(2020, 9, 1), dt.date(2021, 6, 30))
    methodist, head = _user("metod.belgorod"), _user("head.belgorod")
    ref = _new_reference(methodist, "methodical-help", "municipality", "BEL-BR", period) if head is not None else None
    if ref is None:
        return
    ref = services.reference_update(
        reference=ref,
        user=methodist,
        data={
            "conclusions": "",
            "author_name": "Ю.В. Ананьева",
            "author_phone": "(4722) 39-91-72",
            "cover_letter": True,
            "cover_addressee": "Руководителям общеобразовательных организаций Белгородского района (по списку)",
            "cover_subject": "О направлении анализа результатов мониторинга по оказанию методической помощи "
            "школам с низкими результатами обучения",
            "cover_text": "Управление образования администрации Белгородского района направляет анализ результатов "
            "мониторинга по оказанию методической помощи школам с низкими результатами обучения, "
            "для использования в работе.",
            "outgoing_number": "00-14/08-2729",
            "outgoing_date": dt.date(2021, 7, 7),
        },
        recommendations=_recs(BEL_RECOMMENDATIONS),
    )
    version = services.reference_generate(reference=ref, user=methodist)
    # The demo recreates the letter of 07.07.2021 from that year's figures: its data are dated as the
    # source document's (the day before the letter), so the signature does not precede them.
    ReferenceVersion.objects.filter(pk=version.pk).update(data_as_of=DEMO_BEL_DATA_AS_OF)
    if not _render_now(version):
        return
    services.reference_send(reference=ref, user=methodist)
    version = services.reference_sign(
        reference=ref,
        user=head,
        position="Начальник Управления образования администрации Белгородского района",
        name="Н.А. Бозина",
        signed_on=dt.date(2021, 7, 7),
        outgoing_number="00-14/08-2729",
    )
    _render_now(version)


def _bryansk() -> None:
    period = (dt.date(2021, 1, 1), dt.date(2021, 6, 30))
    coordinator = _user("coord.bryansk")
    ref = _new_reference(coordinator, "roadmap-monitoring", "region", "BRY", period)
    if ref is None:
        return
    services.reference_update(
        reference=ref,
        user=coordinator,
        data={
            "conclusions": BRY_CONCLUSIONS,
            "remarks": BRY_REMARKS,
            "decisions": BRY_DECISIONS,
            "author_position": "заведующий центром мониторинга и инновационной деятельности",
            "author_name": "О.Г. Викульева",
            "outgoing_date": dt.date(2021, 7, 1),
        },
        recommendations=[],
    )


def _kotelnikovo() -> None:
    period = (dt.date(2020, 9, 1), dt.date(2021, 6, 30))
    methodist = _user("metod.kotelnikovo")
    ref = _new_reference(methodist, "program-report", "municipality", "VLG-KOT", period)
    if ref is None:
        return
    ref = services.reference_update(
        reference=ref,
        user=methodist,
        data={
            "conclusions": VLG_CONCLUSIONS,
            "author_position": "Заведующий РМК",
            "author_name": "Н.В. Кондрашова",
        },
        recommendations=_recs(VLG_RECOMMENDATIONS),
    )
    if _render_now(services.reference_generate(reference=ref, user=methodist)):
        services.reference_send(reference=ref, user=methodist)
