"""`manage.py make_synthetic --schools N --activities A --quarters Q`: a synthetic region for benchmarks."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from bench import synthetic
from core.calendar import period_string


class Command(BaseCommand):
    help = "Строит синтетический регион для нагрузочных замеров (bulk-вставки): ОО, реестр, дорожные карты, отчёты."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--schools", type=int, default=1000, help="число ОО (по ~100 в муниципалитете)")
        parser.add_argument("--activities", type=int, default=40, help="мероприятий в дорожной карте ОО")
        parser.add_argument("--quarters", type=int, default=4, help="кварталов отчётов, последний — текущий")
        parser.add_argument("--reuse", action="store_true", help="не перестраивать, если регион этого размера уже есть")

    def handle(self, *args, schools: int, activities: int, quarters: int, reuse: bool, **options) -> None:
        spec = synthetic.describe(schools=schools, activities=activities, quarters=quarters)
        if reuse and synthetic.existing(spec):
            self.stdout.write(f"Регион {spec.region_code} уже построен: {spec.lines} строк отчётов.")
            return
        started = time.monotonic()
        try:
            spec = synthetic.build(schools=schools, activities=activities, quarters=quarters)
        except (ValueError, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        quarters_text = ", ".join(period_string(y, q) for y, q in spec.quarters)
        self.stdout.write(
            f"Регион {spec.region_code}: {spec.schools} ОО, {spec.activities} мероприятий, кварталы {quarters_text}, "
            f"{spec.lines} строк отчётов за {time.monotonic() - started:.1f} с."
        )
