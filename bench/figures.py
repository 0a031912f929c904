"""The figures of `manage.py bench` (issue 7), one small function each.

A figure whose feature is not in the code yet says «не реализовано» instead of a number.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.test import Client

from core.models import User

from . import synthetic
from .runner import NOT_IMPLEMENTED, Figure, QueryCounter, decimal_text, measure


@dataclass
class Context:
    """What every figure may use: the big region, the 16-school region, repetitions, the worker."""

    spec: synthetic.Synthetic
    small: synthetic.Synthetic
    repeat: int
    smoke: bool
    worker: Any = None  # bench.worker.Worker when REDIS_URL is set
    log: Callable[[str], None] = print


def has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def user(username: str) -> User:
    return User.objects.get(username=username)


def get_ok(client: Client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} вернул {response.status_code}")


# --- coverage ------------------------------------------------------------------------------


def coverage_sql(region_id: int, date_from: dt.date, date_to: dt.date) -> dict[str, Any]:
    """The hand-written baseline: the same coverage facts in one SQL statement over the same rows
    (in-scope schools, implementing schools per activity type, visits, partners, pending reports)."""
    from core.calendar import academic_year_of, quarters_within
    from monitoring.models import MethodicalVisit
    from roadmaps.models import Activity, ActivityReport, QuarterlyReport, Roadmap
    from schools.models import Municipality, PartnerAssignment, RegistryEntry, School

    t = {
        m.__name__: m._meta.db_table
        for m in (
            School,
            Municipality,
            RegistryEntry,
            ActivityReport,
            QuarterlyReport,
            Roadmap,
            Activity,
            MethodicalVisit,
            PartnerAssignment,
        )
    }
    quarters = [y * 10 + q for y, q in quarters_within(date_from, date_to)]
    sql = f"""
    WITH in_scope AS (
        SELECT s.id FROM {t["School"]} s JOIN {t["Municipality"]} m ON m.id = s.municipality_id
        WHERE m.region_id = %(region)s AND EXISTS (
            SELECT 1 FROM {t["RegistryEntry"]} r WHERE r.school_id = s.id AND r.included_on <= %(to)s
            AND (r.excluded_on IS NULL OR r.excluded_on >= %(from)s) AND r.academic_year >= %(ay)s)
    ), done AS (
        SELECT DISTINCT a.activity_type_id AS type_id, rm.school_id
        FROM {t["ActivityReport"]} l
        JOIN {t["QuarterlyReport"]} q ON q.id = l.report_id
        JOIN {t["Roadmap"]} rm ON rm.id = q.roadmap_id
        JOIN {t["Activity"]} a ON a.id = l.activity_id
        WHERE l.status = 'done' AND q.status = 'approved' AND q.year * 10 + q.quarter = ANY(%(quarters)s)
          AND a.activity_type_id IS NOT NULL AND rm.school_id IN (SELECT id FROM in_scope)
    )
    SELECT 'type', type_id, COUNT(*) FROM done GROUP BY type_id
    UNION ALL SELECT 'total', NULL, COUNT(*) FROM in_scope
    UNION ALL SELECT 'visited', NULL, COUNT(DISTINCT v.school_id) FROM {t["MethodicalVisit"]} v
        WHERE v.school_id IN (SELECT id FROM in_scope) AND v.date BETWEEN %(from)s AND %(to)s
    UNION ALL SELECT 'network', NULL, COUNT(DISTINCT p.school_id) FROM {t["PartnerAssignment"]} p
        WHERE p.school_id IN (SELECT id FROM in_scope) AND p.date_from <= %(to)s
          AND (p.date_to IS NULL OR p.date_to >= %(from)s)
    UNION ALL SELECT 'pending', NULL, COUNT(*) FROM {t["QuarterlyReport"]} q
        JOIN {t["Roadmap"]} rm ON rm.id = q.roadmap_id
        WHERE rm.school_id IN (SELECT id FROM in_scope) AND q.status <> 'approved'
          AND q.year * 10 + q.quarter = ANY(%(quarters)s)
    """
    params = {
        "region": region_id,
        "from": date_from,
        "to": date_to,
        "ay": academic_year_of(date_from),
        "quarters": quarters,
    }
    if connection.vendor != "postgresql":  # SQLite has no arrays
        sql = sql.replace("= ANY(%(quarters)s)", f"IN ({','.join(str(q) for q in quarters) or 'NULL'})")
        del params["quarters"]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        "types": {type_id: n for kind, type_id, n in rows if kind == "type"},
        **{kind: n for kind, _type_id, n in rows if kind != "type"},
    }


def fig_coverage(ctx: Context) -> Figure:
    from coverage.selectors import coverage_compute
    from monitoring.selectors import Scope
    from schools.models import Region

    spec = ctx.spec
    fig = Figure(
        name=f"охват по региону, селектор ({spec.schools} ОО)",
        target="≤ 3× SQL-агрегата; число запросов не зависит от N",
        baseline="SQL-агрегату",
    )
    region = Region.objects.get(code=spec.region_code)
    scope = Scope("region", spec.region_code)

    def selector() -> dict:
        return coverage_compute(scope=scope, date_from=spec.date_from, date_to=spec.date_to)

    def baseline() -> dict:
        return coverage_sql(region.pk, spec.date_from, spec.date_to)

    ours = measure(selector, repeat=ctx.repeat)
    base = measure(baseline, repeat=ctx.repeat)
    # Same rows, same answer: otherwise the comparison means nothing.
    got, expected = selector(), baseline()
    got_types = {t["id"]: t["count"] for d in got["directions"] for t in d["types"] if t["count"]}
    indicators = {i["code"]: i["count"] for i in got["indicators"]}
    same = (
        got_types == expected["types"]
        and got["total"] == expected["total"]
        and indicators["targeted_help"] == expected["visited"]
        and indicators["network"] == expected["network"]
        and got["not_approved_reports"] == expected["pending"]
    )
    small = synthetic.describe(
        schools=ctx.small.schools, activities=ctx.small.activities, quarters=len(ctx.small.quarters)
    )
    with QueryCounter() as small_queries:
        coverage_compute(scope=Scope("region", small.region_code), date_from=small.date_from, date_to=small.date_to)
    fig.median, fig.runs, fig.queries = ours.median, ours.runs, ours.queries
    fig.ratio = ours.median / base.median
    fig.note = (
        f"SQL-агрегат {base.median * 1000:.0f} мс; запросов при {spec.schools} ОО — {ours.queries}, "
        f"при {small.schools} ОО — {small_queries.count}"
        + ("" if same else "; ВНИМАНИЕ: числа селектора и SQL-агрегата расходятся")
    )
    return fig.judge(same and fig.ratio <= 3 and ours.queries == small_queries.count)


# --- pages ---------------------------------------------------------------------------------


def _page(ctx: Context, *, name: str, username: str, url: str, limit_ms: float, max_queries: int) -> Figure:
    fig = Figure(name=name, target=f"медиана ≤ {limit_ms:.0f} мс, ≤ {max_queries} запросов")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user(username))
    measured = measure(lambda: get_ok(client, url), repeat=ctx.repeat, warmup=2)
    fig.median, fig.runs, fig.queries = measured.median, measured.runs, measured.queries
    return fig.judge(measured.median * 1000 <= limit_ms and measured.queries <= max_queries)


def fig_report_form(ctx: Context) -> Figure:
    from django.urls import NoReverseMatch, reverse

    from roadmaps.models import QuarterlyReport, ReportStatus

    spec = ctx.spec
    year, quarter = spec.current_quarter
    report = (
        QuarterlyReport.objects.filter(
            roadmap__school__municipality__region__code=spec.region_code,
            year=year,
            quarter=quarter,
            status=ReportStatus.DRAFT,
        )
        .select_related("roadmap__school")
        .order_by("pk")
        .first()
    )
    name = f"форма квартального отчёта директора, {spec.activities} строк (GET)"
    try:
        url = reverse("roadmaps:report-detail", args=[report.pk])
    except NoReverseMatch:
        return Figure(name=name, target="медиана ≤ 80 мс, ≤ 15 запросов")
    number = int(report.roadmap.school.code.rsplit("-", 1)[1])
    return _page(
        ctx,
        name=name,
        username=synthetic.director_username(spec.region_code, number),
        url=url,
        limit_ms=80,
        max_queries=15,
    )


def fig_methodist_dashboard(ctx: Context) -> Figure:
    spec = ctx.spec
    schools = min(spec.schools, synthetic.SCHOOLS_PER_MUNICIPALITY)
    return _page(
        ctx,
        name=f"главная методиста ({schools} ОО)",
        username=synthetic.methodist_username(spec.region_code, 1),
        url="/",
        limit_ms=150,
        max_queries=20,
    )


def fig_coordinator_dashboard(ctx: Context) -> Figure:
    spec = ctx.spec
    return _page(
        ctx,
        name=f"главная координатора ({spec.schools} ОО)",
        username=synthetic.coordinator_username(spec.region_code),
        url="/",
        limit_ms=300,
        max_queries=20,
    )


# --- references ----------------------------------------------------------------------------

REFERENCE_TEMPLATE = "roadmap-monitoring"


def references_available() -> bool:
    return has_module("reports.services") and has_module("reports.services.rendering")


def new_reference(spec: synthetic.Synthetic, title: str):
    from reports import services

    return services.reference_create(
        user=user(synthetic.coordinator_username(spec.region_code)),
        template=REFERENCE_TEMPLATE,
        scope_kind="region",
        scope_code=spec.region_code,
        date_from=spec.date_from,
        date_to=spec.date_to,
        title=title,
    )


def snapshot_of(spec: synthetic.Synthetic) -> dict:
    from reports.selectors.snapshot import snapshot_compute

    return snapshot_compute(
        scope_kind="region", scope_code=spec.region_code, date_from=spec.date_from, date_to=spec.date_to
    )


def weasyprint_alone(version) -> tuple[float, int]:
    """Seconds WeasyPrint takes on the final HTML of `version` (the same HTML the service rendered:
    same document, meta and creation time), laid out with the renderer's own stylesheet, fonts and
    fetcher, and written to PDF; and the number of pages."""
    from django.template.loader import render_to_string

    from core.calendar import datetime_text
    from reports import services
    from reports.document import document_build
    from reports.document import pdf as reports_pdf
    from reports.services.rendering import build_meta

    narrative = version.narrative
    template = version.reference.template
    doc = document_build(
        snapshot=version.snapshot,
        narrative=narrative,
        template=template,
        precision=narrative.get("precision", version.reference.precision),
    )
    meta = build_meta(
        doc=doc,
        narrative=narrative,
        code=version.code,
        version=version.number,
        signature=services.signature_of(version),
        computed_on=datetime_text(version.data_date),
    )
    if narrative.get("cover_letter"):
        raise RuntimeError("замер WeasyPrint рассчитан на справку без сопроводительного письма")
    html = render_to_string(f"reports/pdf/{template}.html", {"doc": doc, "meta": meta, "narrative": narrative})
    started = time.perf_counter()
    document = reports_pdf.layout_html(html)
    document.write_pdf()
    return time.perf_counter() - started, len(document.pages)


def fig_reference_small(ctx: Context) -> Figure:
    """«Сформировать» on a fresh reference of 16 schools, rendered in-process, vs WeasyPrint alone."""
    spec = ctx.small
    fig = Figure(
        name=f"справка «мониторинг дорожных карт», {spec.schools} ОО, целиком",
        target="≤ 2 с и ≤ 1,2× WeasyPrint",
        baseline="WeasyPrint",
    )
    if not references_available():
        return fig
    from reports import services
    from reports.models import ReferenceVersion

    coordinator = user(synthetic.coordinator_username(spec.region_code))
    samples, alone, queries, pages = [], [], None, 0
    for n in range(ctx.repeat + 1):
        reference = new_reference(spec, f"Замер {n}")
        with QueryCounter() as counter:
            started = time.perf_counter()
            version = services.reference_generate(reference=reference, user=coordinator)
            elapsed = time.perf_counter() - started
        version = ReferenceVersion.objects.select_related("reference", "job").get(pk=version.pk)
        if version.job.status != "done":
            raise RuntimeError(f"справка не сформирована: {version.job.message}")
        seconds, pages = weasyprint_alone(version)
        if n == 0:  # warm-up: fonts, templates
            queries = counter.count
            continue
        samples.append(elapsed)
        alone.append(seconds)
    from statistics import median

    snapshot = measure(lambda: snapshot_of(spec), repeat=ctx.repeat)
    fig.median, fig.runs, fig.queries = median(samples), len(samples), queries
    fig.ratio = fig.median / median(alone)
    fig.note = (
        f"WeasyPrint на том же HTML — {decimal_text(median(alone))} с, {pages} стр. PDF; "
        f"снимок данных отдельно — {decimal_text(snapshot.median)} с, {snapshot.queries} запросов"
    )
    return fig.judge(fig.median <= 2 and fig.ratio <= 1.2)


def fig_reference_unchanged(ctx: Context) -> Figure:
    """Generating again with unchanged data and text returns the rendered version: no rendering."""
    spec = ctx.small
    fig = Figure(name="повторное формирование неизменённой справки", target="без рендеринга")
    if not references_available():
        return fig
    from reports import services
    from reports.models import ReferenceVersion

    coordinator = user(synthetic.coordinator_username(spec.region_code))
    reference = new_reference(spec, "Замер повторного формирования")
    first = services.reference_generate(reference=reference, user=coordinator)
    before = ReferenceVersion.objects.filter(pk=first.pk).values_list("rendered_at", flat=True).get()
    again: list = []
    measured = measure(
        lambda: again.append(services.reference_generate(reference=reference, user=coordinator)),
        repeat=ctx.repeat,
    )
    after = ReferenceVersion.objects.filter(pk=first.pk).values_list("rendered_at", flat=True).get()
    same_version = all(v.pk == first.pk for v in again)
    not_rendered = before is not None and before == after
    versions = reference.versions.count()
    fig.median, fig.runs, fig.queries = measured.median, measured.runs, measured.queries
    fig.note = (
        f"та же версия: {'да' if same_version else 'нет'}, версий у справки: {versions}, "
        f"PDF не перерисован: {'да' if not_rendered else 'нет'} (время — пересчёт снимка данных и сравнение хешей)"
    )
    return fig.judge(same_version and not_rendered and versions == 1)


def fig_reference_region(ctx: Context) -> Figure:
    """The same reference for the whole region, rendered by the real Celery worker."""
    spec = ctx.spec
    fig = Figure(
        name=f"та же справка для {spec.schools} ОО, в воркере",
        target="≤ 25 с",
    )
    if not references_available():
        return fig
    if ctx.worker is None:
        fig.verdict = "нет воркера"
        fig.note = "нужен REDIS_URL: справка формируется в Celery-воркере"
        return fig
    from reports import services
    from reports.models import ReferenceVersion

    coordinator = user(synthetic.coordinator_username(spec.region_code))
    reference = new_reference(spec, "Замер по региону")
    with ctx.worker.sending():
        started = time.perf_counter()
        version = services.reference_generate(reference=reference, user=coordinator)
        job = ctx.worker.wait_for_job(version.pk, timeout=600)
        elapsed = time.perf_counter() - started
    version = ReferenceVersion.objects.select_related("reference").get(pk=version.pk)
    started = time.perf_counter()
    snapshot_of(spec)
    snapshot_seconds = time.perf_counter() - started
    fig.median, fig.runs = elapsed, 1
    fig.note = (
        f"1 прогон от нажатия до готового PDF; снимок данных {decimal_text(snapshot_seconds, 1)} с (считается при нажатии, "
        f"до постановки задачи); статус задания «{job.status}»"
        + (
            f", {version.pdf_pages} стр. PDF, рендеринг в воркере {decimal_text(version.render_seconds or 0, 1)} с"
            if version.pdf_pages
            else ""
        )
        + (f": {job.message}" if job.status != "done" else "")
    )
    return fig.judge(job.status == "done" and elapsed <= 25)


# --- export, import, concurrent saves ------------------------------------------------------


def fig_xlsx_export(ctx: Context) -> Figure:
    """Export of every report line of the region to xlsx, as the coordinator's export job writes it,
    in a child process of its own so its peak RSS is the export's (plus Python and Django), not the
    benchmark's. Timed inside the child: the export call, not the interpreter's start."""
    import json
    import subprocess
    import sys
    import tempfile
    from pathlib import Path
    from statistics import median

    from openpyxl import load_workbook

    from .worker import BASE_DIR, child_env

    spec = ctx.spec
    fig = Figure(name=f"выгрузка xlsx всех {spec.lines} строк отчётов", target="≤ 15 с, пик RSS < 300 МБ")
    if not has_module("roadmaps.exports"):
        return fig
    from roadmaps.exports import COLUMNS

    username = synthetic.coordinator_username(spec.region_code)
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        out = Path(folder) / "export.xlsx"
        for _ in range(max(1, min(ctx.repeat, 3))):  # each run exports the whole region: a few suffice
            done = subprocess.run(
                [sys.executable, "-m", "bench.export_probe", username, str(out)],
                cwd=BASE_DIR,
                env=child_env(),
                capture_output=True,
                text=True,
                timeout=600,
            )
            if done.returncode != 0:
                raise RuntimeError(f"выгрузка завершилась с кодом {done.returncode}:\n{done.stderr[-2000:]}")
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        wb = load_workbook(out, read_only=True)
        header = [cell.value for cell in next(wb["Мероприятия"].iter_rows(max_row=1))]
        wb.close()
    seconds = median(r["seconds"] for r in runs)
    peak_mb = max(r["rss_peak_kib"] for r in runs) / 1024
    before_mb = max(r["rss_before_kib"] for r in runs) / 1024
    lines = runs[-1]["lines"]
    complete = lines == spec.lines and header == list(COLUMNS)
    fig.median, fig.runs, fig.queries = seconds, len(runs), runs[-1]["queries"]
    fig.note = (
        f"пик RSS процесса {decimal_text(peak_mb, 0)} МБ (до выгрузки, Python + Django, — "
        f"{decimal_text(before_mb, 0)} МБ); файл {decimal_text(runs[-1]['size'] / 1024 / 1024, 1)} МБ, "
        f"строк {lines}"
        + ("" if complete else f"; ВНИМАНИЕ: ожидалось {spec.lines} строк и заголовок листа «Мероприятия»")
    )
    return fig.judge(complete and seconds <= 15 and peak_mb < 300)


def fig_import(ctx: Context) -> Figure:
    rows = 10_000 if not ctx.smoke else 200
    fig = Figure(name=f"импорт книги на {rows} строк «Мероприятия» (проверка + запись)", target="≤ 10 с")
    if not (has_module("core.workbook") and has_module("roadmaps.importers")):
        return fig
    from core.workbook import run_import

    data = activities_workbook(ctx.spec, rows)
    samples = []
    errors: list[str] = []
    for _ in range(1):  # a write of 10k rows is long enough to time once
        with transaction.atomic(), QueryCounter() as counter:
            started, cpu_started = time.perf_counter(), time.process_time()
            result = run_import(io.BytesIO(data), by_command=True)
            samples.append(time.perf_counter() - started)
            cpu = time.process_time() - cpu_started
            transaction.set_rollback(True)  # measured the write; leave the region as it was
        errors = result.error_lines()
        if errors:
            break
    from statistics import median

    fig.median, fig.runs, fig.queries = median(samples), len(samples), counter.count
    if errors:
        fig.note = f"книга не принята ({len(errors)} ошибок), первая: {errors[0]}"
        fig.verdict = "ошибка импорта"
        return fig
    fig.note = (
        f"создано/обновлено {result.created}/{result.updated}; процессорное время Python {decimal_text(cpu)} с "
        "(остальное — СУБД и ожидание процессора); запись откатывается после замера"
    )
    return fig.judge(fig.median <= 10)


def activities_workbook(spec: synthetic.Synthetic, rows: int) -> bytes:
    """A `Мероприятия` sheet of `rows` rows for the region's schools, for the quarter before the
    region's first one (so the import adds, and the benchmark region's quarters stay as built)."""
    from openpyxl import Workbook

    from core.calendar import date_text, period_string, previous_quarter, quarter_bounds
    from roadmaps.importers import COLUMNS
    from roadmaps.models import ActivityType

    year, quarter = previous_quarter(*spec.quarters[0])
    types = list(ActivityType.objects.filter(is_active=True).select_related("direction").order_by("pk"))
    statuses = [
        ("выполнено", "Проведено, материалы на сайте ОО"),
        ("в работе", "Идёт подготовка"),
        ("не выполнено", "Не проведено: болезнь ответственного"),
        ("перенесено", "Перенесено на следующий квартал приказом ОУО"),
    ]
    due = date_text(quarter_bounds(year, quarter)[1])
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Мероприятия")
    ws.append(list(COLUMNS))
    for n in range(rows):
        school = n % spec.schools + 1
        kind = types[n % len(types)]
        ws.append(
            [
                synthetic.school_code(spec.region_code, school),
                period_string(year, quarter),
                kind.direction.name,
                kind.name,
                f"Мероприятие из бумажного отчёта № {n // spec.schools + 1}",
                due,
                *statuses[n % 4],
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def fig_concurrent_saves(ctx: Context) -> Figure:
    from .load import concurrent_saves

    saves = 200 if not ctx.smoke else 10
    fig = Figure(
        name=f"{saves} одновременных сохранений отчётов в срок (loopback)",
        target="ни одной потерянной записи, ни одного 500",
    )
    outcome = concurrent_saves(ctx.spec, saves=saves, log=ctx.log)
    if outcome is None:
        return fig
    fig.name = f"{outcome.requests} одновременных сохранений отчётов в срок (loopback)"
    fig.median, fig.runs = outcome.median, outcome.requests
    fig.note = outcome.summary()
    return fig.judge(outcome.lost == 0 and outcome.server_errors == 0 and outcome.unexpected == 0)


FIGURES: list[Callable[[Context], Figure]] = [
    fig_coverage,
    fig_report_form,
    fig_methodist_dashboard,
    fig_coordinator_dashboard,
    fig_reference_small,
    fig_reference_region,
    fig_reference_unchanged,
    fig_xlsx_export,
    fig_import,
    fig_concurrent_saves,
]

__all__ = ["FIGURES", "NOT_IMPLEMENTED", "Context"]
