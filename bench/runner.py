"""Measuring and reporting: each figure is a small function returning a `Figure`; the runner prints
one table. Nothing here is a timed test: the numbers are reported, not asserted."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

NOT_IMPLEMENTED = "не реализовано"
MET = "в норме"
MISSED = "НЕ в норме"


@dataclass
class Figure:
    """One row of the table. Times are seconds; `ratio` is against the named baseline."""

    name: str
    target: str
    median: float | None = None
    runs: int = 0
    queries: int | None = None
    ratio: float | None = None
    baseline: str = ""
    verdict: str = NOT_IMPLEMENTED
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def judge(self, ok: bool) -> Figure:
        self.verdict = MET if ok else MISSED
        return self


@dataclass
class Measured:
    median: float
    runs: int
    queries: int
    samples: list[float]


class QueryCounter:
    """Counts the SQL statements run on the default connection inside the block. An execute
    wrapper, not the debug query log: a request through the test Client resets that log."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self) -> QueryCounter:
        self._cm = connection.execute_wrapper(self)
        self._cm.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._cm.__exit__(*exc)


def measure(fn: Callable[[], Any], *, repeat: int, warmup: int = 1) -> Measured:
    """Median wall time of `fn` over `repeat` runs after `warmup` runs; queries counted on a warm-up
    run of its own, so the timed runs carry no counting overhead."""
    with QueryCounter() as counter:
        fn()
    for _ in range(max(0, warmup - 1)):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return Measured(statistics.median(samples), repeat, counter.count, samples)


def machine_header() -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]} (цели заданы для PostgreSQL)"
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "")
    except OSError:
        pass
    return [
        f"Машина: {os.cpu_count()} ядра(ер) CPU{f' ({model})' if model else ''}, {platform.system()} {platform.release()}",
        f"СУБД: {database}; Python {platform.python_version()}",
    ]


def decimal_text(value: float, places: int = 2) -> str:
    """A number with a decimal comma, as the portal prints them: 0,41."""
    return f"{value:.{places}f}".replace(".", ",")


def seconds_text(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 1:
        return f"{value * 1000:.0f} мс".replace(".", ",")
    return f"{value:.2f} с".replace(".", ",")


def ratio_text(fig: Figure) -> str:
    if fig.ratio is None:
        return "—"
    return f"{fig.ratio:.2f}× к {fig.baseline}".replace(".", ",", 1)


def render_table(figures: list[Figure], header: list[str]) -> str:
    columns = ["показатель", "медиана", "прогонов", "запросов", "цель", "отношение к базе", "вывод"]
    rows = [
        [
            f.name,
            seconds_text(f.median),
            str(f.runs) if f.runs else "—",
            str(f.queries) if f.queries is not None else "—",
            f.target,
            ratio_text(f),
            f.verdict,
        ]
        for f in figures
    ]
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(cells)) + " |"

    out = [*header, "", line(columns), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in rows]
    notes = [f"- {f.name}: {f.note}" for f in figures if f.note]
    if notes:
        out += ["", "Примечания:", *notes]
    return "\n".join(out)
