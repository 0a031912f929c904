"""`manage.py export_template [--municipality CODE] --out FILE.xlsx`: the import workbook template."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.exports import WorkbookTemplateExporter
from schools.models import Municipality, School


class Command(BaseCommand):
    help = "Выгрузить шаблон книги Excel для импорта (все листы, справочники, ОО области видимости)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--municipality", metavar="CODE", help="код муниципалитета (по умолчанию — все)")
        parser.add_argument("--out", required=True, metavar="FILE.xlsx", help="куда записать книгу")

    def handle(self, *args, **options) -> None:
        out = Path(options["out"])
        code = options.get("municipality")
        if code:
            municipality = Municipality.objects.filter(code__iexact=code).first()
            if municipality is None:
                raise CommandError(f"Муниципалитет с кодом «{code}» не найден.")
            municipalities = Municipality.objects.filter(pk=municipality.pk)
            schools = School.objects.filter(municipality=municipality)
        else:
            municipalities = Municipality.objects.all()
            schools = School.objects.all()
        _, _, content = WorkbookTemplateExporter(schools=schools, municipalities=municipalities).render({})
        try:
            out.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Не удалось записать файл «{out}»: {exc.strerror}.") from None
        self.stdout.write(f"Шаблон записан: {out} (ОО: {schools.count()})")
