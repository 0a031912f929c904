"""End to end through a reference's computed tables, at the edges of its period (hand-computed).

Period 15.11.2020 – 31.05.2021 over the conftest scope: 2020-Q4 and 2021-Q2 only partly overlap it, so
only 2021-Q1 counts; Вега gets a leader partner from 01.02.2021 (mid-period) and Бета one from
10.06.2021 (after the period).
- In scope: Альфа, Бета, Вега (excluded 15.03.2021, inside the period) — 3.
- Курсы ПК: Альфа (approved 2021-Q1). Вега's approved line is in 2021-Q2, partly outside: not counted → 1 (33,33%).
- Network: Альфа (since 01.10.2020, open), Вега (from 01.02.2021) → 2 (66,67%); Бета's start is after.
- Targeted help (a visit in the period): Альфа 01.12.2020, Вега 10.03.2021 → 2 (66,67%).
- Covered by methodical work: the same two → 2 (66,67%).
"""

from __future__ import annotations

import datetime as dt

import pytest

from reports import services
from reports.document import document_build
from reports.models import ReferenceVersion
from tests import factories as f

pytestmark = pytest.mark.django_db

PERIOD = (dt.date(2020, 11, 15), dt.date(2021, 5, 31))


@pytest.fixture
def edges(scenario):
    f.PartnerAssignmentFactory(school=scenario["vega"], leader=scenario["leader"], date_from=dt.date(2021, 2, 1))
    f.PartnerAssignmentFactory(school=scenario["beta"], leader=scenario["leader"], date_from=dt.date(2021, 6, 10))
    return scenario


def _document(scenario, methodist, template: str, capture) -> dict:
    reference = services.reference_create(
        user=methodist,
        template=template,
        scope_kind="municipality",
        scope_code=scenario["municipality"].code,
        date_from=PERIOD[0],
        date_to=PERIOD[1],
    )
    with capture(execute=False):
        version = services.reference_generate(reference=reference, user=methodist)
    version = ReferenceVersion.objects.get(pk=version.pk)
    return document_build(
        snapshot=version.snapshot, narrative=version.narrative, template=version.template, precision=2
    )


def test_methodical_help_indicators_at_the_period_edges(edges, methodist, django_capture_on_commit_callbacks):
    doc = _document(edges, methodist, "methodical-help", django_capture_on_commit_callbacks)
    assert doc["total"] == 3
    values = {i["code"]: i["value"] for i in doc["indicators"]}
    assert values == {"methodical_work": "2 (66,67%)", "network": "2 (66,67%)", "targeted_help": "2 (66,67%)"}
    assert doc["network"] == "2 (66,67%)"
    visits = {row[0]: row[1:] for row in doc["tables"]["visits"].rows}
    assert visits["МОУ «Альфа СОШ»"][0] == "01.12.2020"  # 08.06.2021 is after the period
    assert visits["МОУ «Вега СОШ»"][0] == "10.03.2021"


def test_roadmap_monitoring_counts_only_quarters_inside_the_period(
    edges, methodist, django_capture_on_commit_callbacks
):
    doc = _document(edges, methodist, "roadmap-monitoring", django_capture_on_commit_callbacks)
    table = next(t for t in doc["all_tables"] if t.key == "directions")
    rows = {row[1]: row[2:] for row in table.rows}
    assert rows["курсы повышения квалификации"] == ["1", "33,33"]  # Вега's 2021-Q2 line is not counted
    assert rows["проведение мастер-классов, открытых уроков"] == ["1", "33,33"]
    assert doc["network"] == "2 (66,67%)"
