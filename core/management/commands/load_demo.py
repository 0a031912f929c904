"""`manage.py load_demo`: idempotent demo data, then one line per demo user on stdout."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core.registry import demo_loaders, demo_logins


class Command(BaseCommand):
    help = "Загрузить демонстрационные данные (повторный запуск ничего не меняет) и вывести демо-логины."

    def handle(self, *args, **options) -> None:
        # Each app's `demo.py` registers its loader; schools' comes first, as the others find its
        # organisations and users by code and username.
        for entry in demo_loaders.entries():
            entry.item()
            self.stderr.write(f"{entry.source}: загружено")
        for user_lines in demo_logins:
            for line in user_lines():
                self.stdout.write("\t".join(line))
