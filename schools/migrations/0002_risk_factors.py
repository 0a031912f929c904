"""Risk factors of the 500+ project, catalogue version 2021."""

from django.db import migrations

FACTORS = [
    ("equipment", "низкий уровень оснащения школы"),
    ("staff_shortage", "дефицит педагогических кадров"),
    ("teacher_competence", "недостаточная предметная и методическая компетентность педагогических работников"),
    ("low_adaptivity", "риски низкой адаптивности учебного и воспитательного процесса"),
    ("pd_system", "несформированность внутришкольной системы повышения квалификации"),
    ("failure_risk_share", "высокая доля обучающихся с рисками учебной неуспешности"),
    ("low_motivation", "низкая учебная мотивация обучающихся"),
    ("language_barriers", "низкое качество преодоления языковых и культурных барьеров"),
    ("environment", "пониженный уровень качества школьной образовательной и воспитательной среды"),
    ("parents", "низкий уровень вовлечённости родителей"),
    ("special_needs_share", "высокая доля обучающихся с ОВЗ"),
]


def load(apps, schema_editor):
    RiskFactor = apps.get_model("schools", "RiskFactor")
    for order, (code, name) in enumerate(FACTORS, start=1):
        RiskFactor.objects.update_or_create(version=2021, code=code, defaults={"name": name, "order": order})


def unload(apps, schema_editor):
    apps.get_model("schools", "RiskFactor").objects.filter(version=2021).delete()


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
