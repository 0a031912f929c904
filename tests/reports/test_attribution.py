"""Each school is printed with its own municipality in a region-wide reference (issue 12, item 2).

The demo had put the Дроновская school (Красногорский район) and МОУ-СОШ с. Павловка (Суражский
район) into Клетнянский район; and the label's test «does the name already say the district?» took
the first six letters of the district, so «Краснорогская СОШ» read as naming Красногорский район.
"""

from __future__ import annotations

import datetime as dt

import pytest

from reports.document import document_build
from reports.document.base import names_municipality
from reports.selectors.snapshot import snapshot_compute
from schools.models import School
from tests import factories as f

BRY_PERIOD = (dt.date(2021, 1, 1), dt.date(2021, 6, 30))


def _region_doc(code: str, period=BRY_PERIOD) -> dict:
    snapshot = snapshot_compute(scope_kind="region", scope_code=code, date_from=period[0], date_to=period[1])
    return document_build(snapshot=snapshot, narrative={}, template="roadmap-monitoring", precision=2)


@pytest.mark.django_db
def test_bryansk_demo_schools_are_printed_with_their_own_municipality():
    from schools import demo

    demo.load()
    doc = _region_doc("BRY")
    labels = dict(zip((s["code"] for s in doc["schools"]), doc["school_labels"], strict=True))
    assert len(labels) == 16
    assert labels["BRY-05"] == "МБОУ Дроновская СОШ имени Героя Советского Союза И.К.Хахерина (Красногорский район)"
    assert labels["BRY-12"] == "МОУ-СОШ с.Павловка (Суражский район)"
    assert labels["BRY-08"] == "МБОУ «Краснорогская СОШ имени А.К.Толстого» Почепского района"
    # Every label names the school's own municipality: in its name or in brackets after it.
    for school in School.objects.filter(code__in=labels).select_related("municipality"):
        label, own = labels[school.code], school.municipality.name
        assert label == school.name or label == f"{school.name} ({own})"
        assert names_municipality(label, own) or label.endswith(f"({own})"), label
    rows = {row[0]: row[1] for row in doc["municipalities"].rows}
    assert rows["Красногорский район"] == "1" and rows["Суражский район"] == "1"
    assert "Клетнянский район" not in rows


@pytest.mark.django_db
def test_a_name_sharing_a_prefix_with_another_district_is_still_labelled():
    region = f.RegionFactory(code="R1")
    krasn = f.MunicipalityFactory(region=region, name="Красногорский район")
    bryan = f.MunicipalityFactory(region=region, name="Брянский район")
    pochep = f.MunicipalityFactory(region=region, name="Почепский район")
    schools = [
        f.SchoolFactory(municipality=krasn, name="МБОУ Краснорогская СОШ"),
        f.SchoolFactory(municipality=bryan, name="МБОУ «Гобикская СОШ Брянской области»"),
        f.SchoolFactory(municipality=pochep, name="МБОУ СОШ № 1 Почепского района"),
    ]
    for s in schools:
        f.RegistryEntryFactory(school=s, academic_year=2020, included_on=dt.date(2020, 9, 1))
    doc = _region_doc("R1")
    assert sorted(doc["school_labels"]) == [
        "МБОУ «Гобикская СОШ Брянской области» (Брянский район)",
        "МБОУ Краснорогская СОШ (Красногорский район)",
        "МБОУ СОШ № 1 Почепского района",
    ]


@pytest.mark.parametrize(
    ("name", "municipality", "expected"),
    [
        ("МБОУ Витемлянская СОШ Погарского района", "Погарский район", True),
        ("МБОУ Леденевская ООШ Жуковского муниципального округа", "Жуковский муниципальный округ", True),
        ("МБОУ Краснорогская СОШ", "Красногорский район", False),
        ("МБОУ «Гобикская СОШ Брянской области»", "Брянский район", False),
        ("МОУ-СОШ с.Павловка", "Суражский район", False),
        ("Школа № 5", "город Брянск", False),
        ("Школа № 5", "", False),
    ],
)
def test_names_municipality(name, municipality, expected):
    assert names_municipality(name, municipality) is expected
