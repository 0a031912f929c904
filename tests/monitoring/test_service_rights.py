"""The monitoring services check their actor's right themselves (views, commands and tasks call them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from monitoring import services
from monitoring.models import AssessmentResult, Campaign, IndicatorValue, MethodicalVisit
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _values(indicator_code="contest_participants", value="3"):
    return [services.ValueInput(indicator=f.indicator(indicator_code), value=Decimal(value))]


def test_campaign_for_another_area_refused(outsider_methodist, director, municipality, school):
    kw = {
        "name": "Мониторинг",
        "period_from": dt.date(2021, 1, 1),
        "period_to": dt.date(2021, 6, 30),
        "deadline": TODAY,
        "indicators": [f.indicator("contest_participants")],
        "schools": [school],
    }
    for user in (outsider_methodist, director):
        with pytest.raises(PermissionDenied):
            services.campaign_create(user=user, area=municipality, **kw)
        with pytest.raises(PermissionDenied):
            services.campaign_create(user=user, area=municipality.region, **kw)
    assert not Campaign.objects.exists()


def test_values_of_another_school_refused(outsider_director, outsider_methodist, curator, director, school):
    period = {"period_from": dt.date(2021, 1, 1), "period_to": dt.date(2021, 6, 30)}
    for user in (outsider_director, outsider_methodist, curator):
        with pytest.raises(PermissionDenied):
            services.indicator_values_save(user=user, school=school, inputs=_values(), **period)
    assert not IndicatorValue.objects.exists()
    services.indicator_values_save(user=director, school=school, inputs=_values(), **period)
    assert IndicatorValue.objects.count() == 1


def test_a_director_cannot_enter_as_methodist(director, school, methodist):
    campaign = Campaign.objects.create(
        name="М",
        region=school.municipality.region,
        municipality=school.municipality,
        period_from=dt.date(2021, 1, 1),
        period_to=dt.date(2021, 6, 30),
        deadline=TODAY,
        created_by=methodist,
    )
    campaign.indicators.set([f.indicator("contest_participants")])
    campaign.schools.set([school])
    with pytest.raises(PermissionDenied):
        services.campaign_values_save(
            user=director, campaign=campaign, school=school, inputs=_values(), as_methodist=True
        )
    services.campaign_values_save(user=methodist, campaign=campaign, school=school, inputs=_values(), as_methodist=True)


def test_visits_refused_outside_scope_and_for_directors(outsider_methodist, director, methodist, school):
    kw = {"school": school, "date": TODAY, "visitors": "Методист", "purpose": "Консультация"}
    for user in (outsider_methodist, director):
        with pytest.raises(PermissionDenied):
            services.visit_save(user=user, **kw)
    visit = services.visit_save(user=methodist, **kw)
    for user in (outsider_methodist, director):
        with pytest.raises(PermissionDenied):
            services.visit_delete(user=user, visit=visit)
    with pytest.raises(PermissionDenied):  # moving a visit of another school into one's own scope
        services.visit_save(user=outsider_methodist, **{**kw, "school": f.SchoolFactory()}, visit=visit)
    assert MethodicalVisit.objects.get().school == school


def test_results_refused_outside_scope(outsider_director, outsider_methodist, director, school):
    kw = {"school": school, "year": 2021, "procedure": "vpr", "subject": "Математика", "average": Decimal("3.5")}
    for user in (outsider_director, outsider_methodist):
        with pytest.raises(PermissionDenied):
            services.result_save(user=user, **kw)
    result = services.result_save(user=director, **kw)
    for user in (outsider_director, outsider_methodist):
        with pytest.raises(PermissionDenied):
            services.result_delete(user=user, result=result)
    assert AssessmentResult.objects.count() == 1
