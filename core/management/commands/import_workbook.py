"""`manage.py import_workbook FILE.xlsx [--dry-run]`: validate every row, then write all or nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from core.workbook import run_import


class Command(BaseCommand):
    help = (
        "Импортировать листы книги Excel (Муниципалитеты, ОО, Реестр, Показатели, Результаты, Мероприятия, "
        "Посещения). При любой ошибке ничего не записывается."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", metavar="FILE.xlsx")
        parser.add_argument("--dry-run", action="store_true", help="только проверить, ничего не записывать")

    def handle(self, *args, **options) -> None:
        result = run_import(options["file"], by_command=True, dry_run=options["dry_run"])
        if not result.ok:
            for line in result.error_lines():
                self.stdout.write(line)
            raise CommandError(f"Ошибок: {len(result.errors)}. Ничего не записано.", returncode=1)
        for sheet in result.sheets:
            self.stdout.write(f"{sheet.sheet}: строк {sheet.rows}, создано {sheet.created}, изменено {sheet.updated}")
        if result.dry_run:
            self.stdout.write("Проверка завершена без ошибок (--dry-run): ничего не записано.")
        else:
            self.stdout.write("Импорт завершён.")
