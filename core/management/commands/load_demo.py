"""`manage.py load_demo`: idempotent demo data, then one line per demo user on stdout."""

from __future__ import annotations

import importlib

from django.core.management.base import BaseCommand

# Each app's demo module, loaded in this order when it exists; schools first, as the others find
# its organisations and users by code and username.
DEMO_MODULES = ("schools.demo", "roadmaps.demo", "monitoring.demo", "reports.demo")


class Command(BaseCommand):
    help = "Загрузить демонстрационные данные (повторный запуск ничего не меняет) и вывести демо-логины."

    def handle(self, *args, **options) -> None:
        from schools import demo as schools_demo

        for name in DEMO_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                self.stderr.write(f"{name}: модуль не найден, пропущен")
                continue
            module.load()
            self.stderr.write(f"{name}: загружено")
        for line in schools_demo.user_lines():
            self.stdout.write("\t".join(line))
