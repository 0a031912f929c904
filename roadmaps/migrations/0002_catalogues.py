"""Directions and activity types of the source document 001 (Bryansk region's roadmap monitoring)."""

from django.db import migrations

DIRECTIONS = [
    (
        "teachers",
        "Совершенствование компетенций учителей",
        [
            "диагностика профессиональных дефицитов",
            "участие в районных семинарах",
            "участие в конкурсе «Учитель года» (победители муниципального этапа)",
            "иные конкурсы профессионального мастерства, в том числе дистанционные",
            "проведение мастер-классов, открытых уроков",
            "обобщение опыта",
            "творческий отчет по темам самообразования",
            "обучающие семинары, методические советы, недели",
            "курсы повышения квалификации",
            "разработка модели непрерывного профмастерства",
            "обеспечение психолого-педагогического сопровождения учителей (в том числе и в сетевой форме)",
        ],
    ),
    (
        "motivation",
        "Повышение мотивации обучающихся",
        [
            "диагностика причин низкой мотивации",
            "педагогический совет по принятию управленческих решений",
            "обеспечение психолого-педагогического сопровождения обучающихся",
            "мониторинг мотивации обучающихся",
            "создание медиатеки",
            "сетевое взаимодействие с организациями культуры",
        ],
    ),
    (
        "parents",
        "Вовлечённость родителей в образовательный процесс",
        [
            "проведение просветительской работы с родителями по повышению качества образования",
            "проведение индивидуальных консультаций с родителями",
            "проведение совместных мероприятий с родителями",
            "привлечение СМИ",
        ],
    ),
    (
        "failure",
        "Преодоление учебной неуспешности",
        [
            "диагностика причин учебной неуспешности",
            "мониторинг сформированности УУД",
            "организация индивидуальной работы с обучающимися (в том числе дополнительной и по ИОМ)",
            "подготовка обучающихся к участию, участие (победители, призеры) в олимпиадах, конкурсах",
            "организация профориентационной работы",
            "мониторинг качества образования (ВСОКО)",
        ],
    ),
]


def load(apps, schema_editor):
    Direction = apps.get_model("roadmaps", "Direction")
    ActivityType = apps.get_model("roadmaps", "ActivityType")
    for order, (code, name, types) in enumerate(DIRECTIONS, start=1):
        direction, _ = Direction.objects.update_or_create(code=code, defaults={"name": name, "order": order})
        for n, type_name in enumerate(types, start=1):
            ActivityType.objects.update_or_create(
                code=f"{code}-{n:02d}", defaults={"direction": direction, "name": type_name, "order": n}
            )


def unload(apps, schema_editor):
    apps.get_model("roadmaps", "ActivityType").objects.filter(
        direction__code__in=[d[0] for d in DIRECTIONS]
    ).delete()
    apps.get_model("roadmaps", "Direction").objects.filter(code__in=[d[0] for d in DIRECTIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("roadmaps", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
