"""Indicators of the source document 000 (Belgorod district's methodical-help monitoring)."""

from django.db import migrations

INDICATORS = [
    ("teachers_trained", "Педагоги, прошедшие повышение квалификации, из общего числа педагогов", "ratio", "чел.", "teachers"),
    (
        "teachers_iot",
        "Участники регионального проекта «Траектория профессионального роста педагогов» (педагоги, для которых разработаны ИОТ)",
        "ratio",
        "чел.",
        "teachers",
    ),
    ("contest_participants", "Участники конкурсов профессионального мастерства", "count", "чел.", ""),
    ("contest_winners", "Победители и призёры конкурсов профессионального мастерства", "count", "чел.", ""),
    ("contest_winners_regional", "Победители и призёры конкурсов: региональный этап", "count", "чел.", ""),
    ("contest_winners_municipal", "Победители и призёры конкурсов: муниципальный этап", "count", "чел.", ""),
    ("experience_bank", "Актуальные педагогические опыты, внесённые в муниципальный банк данных", "count", "ед.", ""),
    (
        "methodical_association_participants",
        "Участники заседаний муниципальных методических объединений, семинаров",
        "count",
        "чел.",
        "",
    ),
    ("experience_sharing_teachers", "Педагоги, транслирующие опыт", "count", "чел.", ""),
]


def load(apps, schema_editor):
    Indicator = apps.get_model("monitoring", "Indicator")
    for order, (code, name, kind, unit, denominator) in enumerate(INDICATORS, start=1):
        Indicator.objects.update_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "unit": unit, "denominator_default": denominator, "order": order},
        )


def unload(apps, schema_editor):
    apps.get_model("monitoring", "Indicator").objects.filter(code__in=[i[0] for i in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_initial")]
    operations = [migrations.RunPython(load, unload)]
