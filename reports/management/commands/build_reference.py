"""`manage.py build_reference`: compute and render a reference from the command line, through the
same snapshot and rendering code as the web task (`reports.services.rendering.outputs_build`)."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import timezone

from core.calendar import datetime_text
from reports.models import ReferenceTemplate
from reports.selectors.snapshot import canonical_json, snapshot_compute
from reports.services import default_narrative
from reports.services.rendering import outputs_build


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: дата «{value}» должна быть в формате ГГГГ-ММ-ДД.") from None


class Command(BaseCommand):
    help = "Формирует аналитическую справку (PDF, при необходимости XLSX и JSON с таблицами)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--template", required=True, choices=ReferenceTemplate.values)
        parser.add_argument("--scope", required=True, help="region:КОД или municipality:КОД")
        parser.add_argument("--from", dest="date_from", required=True, help="ГГГГ-ММ-ДД")
        parser.add_argument("--to", dest="date_to", required=True, help="ГГГГ-ММ-ДД")
        parser.add_argument("--out", required=True, help="путь к PDF")
        parser.add_argument("--xlsx", help="путь к XLSX с таблицами справки")
        parser.add_argument("--json", help="путь к JSON с вычисленными таблицами")
        parser.add_argument("--precision", type=int, default=2, help="знаков после запятой в процентах (0–4)")

    def handle(self, *args, **options) -> None:
        from monitoring.selectors import Scope

        try:
            scope = Scope.parse(options["scope"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        date_from = _date(options["date_from"], "--from")
        date_to = _date(options["date_to"], "--to")
        if date_to < date_from:
            raise CommandError("--to: окончание периода раньше его начала.")
        precision = options["precision"]
        if not 0 <= precision <= 4:
            raise CommandError("--precision: от 0 до 4.")
        started = time.monotonic()
        try:
            snapshot = snapshot_compute(
                scope_kind=scope.kind,
                scope_code=scope.code,
                date_from=date_from,
                date_to=date_to,
                template=options["template"],
            )
        except Http404:
            raise CommandError(f"--scope: территория «{options['scope']}» не найдена.") from None
        narrative = default_narrative(template=options["template"], snapshot=snapshot, precision=precision)
        narrative["precision"] = precision
        out = outputs_build(
            snapshot=snapshot,
            narrative=narrative,
            template=options["template"],
            precision=precision,
            computed_on=datetime_text(timezone.now()),
        )
        Path(options["out"]).write_bytes(out["pdf"])
        if options.get("xlsx"):
            Path(options["xlsx"]).write_bytes(out["xlsx"])
        if options.get("json"):
            doc = out["doc"]
            tables = [
                {"key": t.key, "title": t.title, "header": t.flat_header, "rows": t.rows, "totals": t.foot}
                for t in doc["all_tables"]
            ]
            payload = {
                "template": options["template"],
                "scope": snapshot["coverage"]["scope"],
                "period": snapshot["coverage"]["period"],
                "precision": precision,
                "total": doc["total"],
                "not_approved_reports": doc["not_approved_reports"],
                "indicators": doc["indicators"],
                "tables": tables,
                "snapshot": json.loads(canonical_json(snapshot)),
            }
            Path(options["json"]).write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        self.stdout.write(
            f"{options['out']}: {out['pages']} стр., {len(out['pdf'])} байт, ОО в перечне: {doc_total(out)}, "
            f"{time.monotonic() - started:.1f} с"
        )


def doc_total(out: dict) -> int:
    return out["doc"]["total"]
