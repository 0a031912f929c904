"""On PostgreSQL, two saves of the same report version at the same moment: exactly one wins."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from roadmaps import services
from roadmaps.models import ActivityReport, QuarterlyReport

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_saves_of_one_version_let_exactly_one_through(catalogues, report, director, methodist):
    line_id = report.lines.order_by("pk").values_list("pk", flat=True)[0]
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(name: str, user) -> None:
        try:
            fresh = QuarterlyReport.objects.get(pk=report.pk)
            barrier.wait(timeout=10)
            services.report_save(
                report=fresh, user=user, version=1, lines={line_id: {"status": "done", "result": f"Сохранил {name}"}}
            )
            outcomes[name] = "saved"
        except services.ReportConflict:
            outcomes[name] = "conflict"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=("директор", director)),
        threading.Thread(target=save, args=("методист", methodist)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    assert ActivityReport.objects.get(pk=line_id).result == f"Сохранил {winner}"
    assert QuarterlyReport.objects.get(pk=report.pk).version == 2
