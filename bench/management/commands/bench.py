"""`manage.py bench [--smoke]`: the benchmark table of issue 7 on a synthetic region.

Run through `make bench` against PostgreSQL and Redis (as in CI). Builds the region once and reuses
it; prints one table: each figure's median over repeated runs, its query count, its target, the
ratio to a named baseline and a verdict. Figures whose feature is not in the code say so.
"""

from __future__ import annotations

import time
import traceback

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench import synthetic
from bench.figures import FIGURES, Context
from bench.runner import Figure, machine_header, render_table

FULL = {"schools": 1000, "activities": 40, "quarters": 4}
SMOKE = {"schools": 20, "activities": 8, "quarters": 2}
SMALL_SCHOOLS = 16


class Command(BaseCommand):
    help = "Замеры производительности на синтетическом регионе (issue 7): одна таблица с медианами и целями."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--smoke", action="store_true", help="крошечный размер для CI: проверить, что замеры работают"
        )
        parser.add_argument("--schools", type=int, help="число ОО (по умолчанию 1000)")
        parser.add_argument("--activities", type=int, help="мероприятий в дорожной карте (по умолчанию 40)")
        parser.add_argument("--quarters", type=int, help="кварталов (по умолчанию 4)")
        parser.add_argument("--repeat", type=int, help="прогонов на замер (по умолчанию 7, в --smoke 2)")
        parser.add_argument("--rebuild", action="store_true", help="перестроить регион, даже если он уже есть")
        parser.add_argument("--only", nargs="*", default=[], help="только замеры с этими словами в имени функции")

    def handle(self, *args, smoke: bool, rebuild: bool, only: list[str], **options) -> None:
        size = dict(SMOKE if smoke else FULL)
        for key in size:
            if options.get(key):
                size[key] = options[key]
        repeat = options.get("repeat") or (2 if smoke else 7)
        if settings.DEBUG:
            self.stderr.write("DEBUG включён: замеры будут завышены (make bench запускает с DEBUG=0).")

        from portal.celery import app

        app.conf.task_always_eager = True  # in-process figures; the worker figure switches per call
        spec = self._region(size, rebuild)
        small = self._region({**size, "schools": SMALL_SCHOOLS}, rebuild) if size["schools"] != SMALL_SCHOOLS else spec

        worker = None
        if settings.REDIS_URL:
            from bench.worker import Worker

            self.stdout.write("Запускаю Celery-воркер…")
            worker = Worker()
        ctx = Context(spec=spec, small=small, repeat=repeat, smoke=smoke, worker=worker, log=self.stdout.write)
        figures: list[Figure] = []
        failed = False
        try:
            for fn in FIGURES:
                if only and not any(word in fn.__name__ for word in only):
                    continue
                self.stdout.write(f"Замер: {fn.__name__}…")
                started = time.monotonic()
                try:
                    figure = fn(ctx)
                except Exception as exc:  # noqa: BLE001 - one broken figure must not hide the others
                    failed = True
                    traceback.print_exc()
                    figure = Figure(
                        name=fn.__name__, target="—", verdict="ошибка", note=f"{exc.__class__.__name__}: {exc}"
                    )
                figures.append(figure)
                self.stdout.write(f"  {figure.verdict} за {time.monotonic() - started:.1f} с")
        finally:
            if worker is not None:
                worker.stop()

        header = [
            f"make bench: регион {spec.region_code} — {spec.schools} ОО, {spec.activities} мероприятий, "
            f"{len(spec.quarters)} кв. ({spec.lines} строк отчётов); медиана из {repeat} прогонов",
            *machine_header(),
        ]
        self.stdout.write("\n" + render_table(figures, header))
        if failed:
            raise CommandError("часть замеров завершилась ошибкой (см. таблицу)")

    def _region(self, size: dict[str, int], rebuild: bool) -> synthetic.Synthetic:
        spec = synthetic.describe(**size)
        if not rebuild and synthetic.existing(spec):
            self.stdout.write(f"Регион {spec.region_code} уже построен, использую его.")
            synthetic.analyze()
            return spec
        self.stdout.write(f"Строю регион {spec.region_code} ({spec.lines} строк отчётов)…")
        started = time.monotonic()
        spec = synthetic.build(**size)
        self.stdout.write(f"  готово за {time.monotonic() - started:.1f} с")
        return spec
