"""`manage.py export_template [--municipality CODE] --out FILE.xlsx`: the import workbook template."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.exports import WorkbookTemplateExporter
from core.organisations import organisations


class Command(BaseCommand):
    help = "Выгрузить шаблон книги Excel для импорта (все листы, справочники, ОО области видимости)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--municipality", metavar="CODE", help="код муниципалитета (по умолчанию — все)")
        parser.add_argument("--out", required=True, metavar="FILE.xlsx", help="куда записать книгу")

    def handle(self, *args, **options) -> None:
        out = Path(options["out"])
        code = options.get("municipality")
        orgs = organisations()
        if code:
            municipality = orgs.municipalities().filter(code__iexact=code).first()
            if municipality is None:
                raise CommandError(f"Муниципалитет с кодом «{code}» не найден.")
            municipalities = orgs.municipalities().filter(pk=municipality.pk)
            schools = orgs.schools().filter(municipality=municipality)
        else:
            municipalities = orgs.municipalities()
            schools = orgs.schools()
        _, _, content = WorkbookTemplateExporter(schools=schools, municipalities=municipalities).render({})
        try:
            out.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Не удалось записать файл «{out}»: {exc.strerror}.") from None
        self.stdout.write(f"Шаблон записан: {out} (ОО: {schools.count()})")
