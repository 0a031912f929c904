"""Everything that writes in monitoring: campaigns and their values, visits, results (coverage
snapshots: coverage/services.py). Services validate, write inside a transaction, record who changed what (the history
tables of django-simple-history), and queue tasks only after commit. Each checks its actor's right
through `core.scope` (`user=None` is the system)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from core.calendar import date_text
from core.models import User
from core.scope import require_municipality, require_region, require_school
from schools.models import Municipality, Region, School
from schools.services import require_active

from .. import permissions as perm
from ..models import (
    AssessmentResult,
    Campaign,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    MethodicalVisit,
)
from .validation import check_average, check_count, check_ratio


def _stamp(obj: Any, user: User | None) -> None:
    """Attribute the history row of the coming save to `user` (outside requests too)."""
    if user is not None:
        obj._history_user = user


# --- campaigns ------------------------------------------------------------------------------------


def campaign_create(
    *,
    user: User | None,
    name: str,
    area: Region | Municipality,
    period_from: dt.date,
    period_to: dt.date,
    deadline: dt.date,
    indicators: list[Indicator],
    schools: list[School],
) -> Campaign:
    """Open a monitoring round for the schools of a region or a municipality."""
    if isinstance(area, Municipality):
        require_municipality(user, area, roles=perm.CAMPAIGN_MANAGERS)
    else:
        require_region(user, area, roles=perm.CAMPAIGN_MANAGERS)
    require_active(area, field="area")  # archived organisations take no new round
    if not schools:
        raise ValidationError({"schools": ["«ОО»: в мониторинг не вошла ни одна ОО. Выберите ОО или измените период."]})
    require_active(*schools, field="schools")
    if not indicators:
        raise ValidationError({"indicators": ["«Показатели»: выберите хотя бы один показатель."]})
    if isinstance(area, Municipality):
        region, municipality = area.region, area
        outside = [s for s in schools if s.municipality_id != area.pk]
    else:
        region, municipality = area, None
        outside = [s for s in schools if s.municipality.region_id != area.pk]
    if outside:
        raise ValidationError({"schools": [f"«ОО»: {outside[0].name} не относится к территории «{area.name}»."]})
    campaign = Campaign(
        name=name.strip(),
        region=region,
        municipality=municipality,
        period_from=period_from,
        period_to=period_to,
        deadline=deadline,
        created_by=user,
    )
    campaign.full_clean()
    with transaction.atomic():
        _stamp(campaign, user)
        campaign.save()
        campaign.indicators.set(indicators)
        campaign.schools.set(schools)
    return campaign


@dataclass
class ValueInput:
    """One indicator's input in a campaign form or a workbook row: value None means "not given"."""

    indicator: Indicator
    value: Decimal | None
    denominator: int | None = None
    comment: str = ""


def indicator_value_clean(
    *, indicator: Indicator, value: Decimal, denominator: int | None, school: School
) -> tuple[Decimal, int | None]:
    """Validate one value against its indicator's kind; return (value, denominator to store)."""
    label = indicator.name
    if indicator.kind == IndicatorKind.COUNT:
        return Decimal(check_count(value, label)), None
    if indicator.kind == IndicatorKind.RATIO:
        pupils = indicator.denominator_default == "pupils"
        size = school.pupils_count if pupils else school.teachers_count
        if denominator is None:
            denominator = size
            den_label = (
                "Из (по умолчанию — число обучающихся ОО)"
                if indicator.denominator_default == "pupils"
                else "Из (по умолчанию — число педагогов ОО)"
            )
        else:
            den_label = "Из"
        size_label = "число обучающихся ОО" if pupils else "число педагогов ОО"
        num, den = check_ratio(value, denominator, label, den_label, size=size, size_label=size_label)
        return Decimal(num), den
    return check_average(value, indicator.procedure, label), None


def _clean_inputs(inputs: list[ValueInput], school: School) -> list[tuple[ValueInput, Decimal | None, int | None]]:
    """Each input with its value and denominator to store (None: cleared); every error at once."""
    errors: list[str] = []
    cleaned: list[tuple[ValueInput, Decimal | None, int | None]] = []
    for item in inputs:
        if item.value is None:
            cleaned.append((item, None, None))
            continue
        try:
            value, den = indicator_value_clean(
                indicator=item.indicator, value=item.value, denominator=item.denominator, school=school
            )
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        cleaned.append((item, value, den))
    if errors:
        raise ValidationError({NON_FIELD_ERRORS: errors})
    return cleaned


def indicator_values_save(
    *,
    user: User | None,
    school: School,
    period_from: dt.date,
    period_to: dt.date,
    inputs: list[ValueInput],
    campaign: Campaign | None = None,
) -> tuple[int, int, int]:
    """Store a school's values for a period: create or update the given ones, delete those cleared.

    Returns (created, updated, deleted). Validates every input first; writes nothing on an error.
    """
    require_school(user, school, roles=perm.VALUE_ENTERERS)
    cleaned = _clean_inputs(inputs, school)
    created = updated = deleted = 0
    with transaction.atomic():
        existing = {
            v.indicator_id: v
            for v in IndicatorValue.objects.select_for_update().filter(
                school=school, period_from=period_from, period_to=period_to, indicator__in=[i.indicator for i in inputs]
            )
        }
        for item, value, den in cleaned:
            current = existing.get(item.indicator.pk)
            if value is None:
                if current is not None:
                    _stamp(current, user)
                    current.delete()
                    deleted += 1
                continue
            if current is None:
                current = IndicatorValue(
                    school=school, indicator=item.indicator, period_from=period_from, period_to=period_to
                )
                created += 1
            elif (current.value, current.denominator, current.comment) == (value, den, item.comment.strip()):
                continue
            else:
                updated += 1
            current.value, current.denominator, current.comment = value, den, item.comment.strip()
            current.campaign = campaign or current.campaign
            current.entered_by = user
            _stamp(current, user)
            current.save()
    return created, updated, deleted


def campaign_values_save(
    *, user: User | None, campaign: Campaign, school: School, inputs: list[ValueInput], as_methodist: bool = False
) -> tuple[int, int, int]:
    """A school's values for a campaign (its period); the school must be in the campaign, and an
    indicator that the methodist enters is written only by a methodist (`as_methodist`)."""
    if as_methodist:
        require_school(user, school, roles=perm.CAMPAIGN_MANAGERS)
    if not campaign.schools.filter(pk=school.pk).exists():
        raise ValidationError({NON_FIELD_ERRORS: [f"ОО «{school.name}» не входит в мониторинг «{campaign.name}»."]})
    allowed = set(campaign.indicators.values_list("pk", flat=True))
    stray = [i.indicator.name for i in inputs if i.indicator.pk not in allowed]
    if stray:
        raise ValidationError(
            {NON_FIELD_ERRORS: [f"Показатель «{stray[0]}» не входит в мониторинг «{campaign.name}»."]}
        )
    theirs = [i.indicator.name for i in inputs if i.indicator.entered_by == "methodist" and not as_methodist]
    if theirs:
        raise ValidationError({NON_FIELD_ERRORS: [f"Показатель «{theirs[0]}» вносит методист."]})
    return indicator_values_save(
        user=user,
        school=school,
        period_from=campaign.period_from,
        period_to=campaign.period_to,
        inputs=inputs,
        campaign=campaign,
    )


# --- visits -----------------------------------------------------------------------------------------


def visit_check(*, date: dt.date, visitors: str, purpose: str) -> None:
    """The rules of a visit record, shared by the form and the workbook."""
    if date > timezone.localdate():
        raise ValidationError(
            {"date": [f"«Дата посещения»: {date_text(date)} ещё не наступила — записывается проведённое посещение."]}
        )
    if date.year < 2000:
        raise ValidationError({"date": [f"«Дата посещения»: {date_text(date)} — слишком ранняя дата."]})
    if not visitors.strip():
        raise ValidationError({"visitors": ["«Кто посетил»: укажите участников посещения."]})
    if not purpose.strip():
        raise ValidationError({"purpose": ["«Цель»: укажите цель посещения."]})


def visit_save(
    *,
    user: User | None,
    school: School,
    date: dt.date,
    visitors: str,
    purpose: str,
    outcome: str = "",
    visit: MethodicalVisit | None = None,
) -> MethodicalVisit:
    """Record a methodical visit (or correct one)."""
    require_school(user, school, roles=perm.VISIT_RECORDERS)
    if visit is not None and visit.pk is not None:
        require_school(user, visit.school, roles=perm.VISIT_RECORDERS)
    visit_check(date=date, visitors=visitors, purpose=purpose)
    if visit is None or visit.school_id != school.pk:
        require_active(school)
    visit = visit or MethodicalVisit(recorded_by=user)
    visit.school, visit.date = school, date
    visit.visitors, visit.purpose, visit.outcome = visitors.strip(), purpose.strip(), outcome.strip()
    with transaction.atomic():
        _stamp(visit, user)
        visit.save()
    return visit


def visit_delete(*, user: User | None, visit: MethodicalVisit) -> None:
    require_school(user, visit.school, roles=perm.VISIT_RECORDERS)
    with transaction.atomic():
        _stamp(visit, user)
        visit.delete()


# --- results ----------------------------------------------------------------------------------------


def result_check(*, year: int, procedure: str, subject: str, average: Decimal) -> Decimal:
    if year < 2000 or year > timezone.localdate().year:
        raise ValidationError({"year": [f"«Год»: {year} — год должен быть между 2000 и текущим."]})
    if not subject.strip():
        raise ValidationError({"subject": ["«Предмет»: укажите предмет."]})
    try:
        return check_average(average, procedure, "Средний балл")
    except ValidationError as exc:
        raise ValidationError({"average": exc.messages}) from None


def result_find(
    *, school: School, year: int, procedure: str, subject: str, exclude: AssessmentResult | None = None
) -> AssessmentResult | None:
    """The school's result for the subject regardless of case and spacing (SQLite's iexact only
    folds ASCII, so the comparison is done here over the few rows of that year and procedure)."""
    key = " ".join(subject.split()).casefold()
    for candidate in AssessmentResult.objects.filter(school=school, year=year, procedure=procedure):
        if exclude is not None and candidate.pk == exclude.pk:
            continue
        if " ".join(candidate.subject.split()).casefold() == key:
            return candidate
    return None


def result_save(
    *,
    user: User | None,
    school: School,
    year: int,
    procedure: str,
    subject: str,
    average: Decimal,
    result: AssessmentResult | None = None,
) -> AssessmentResult:
    """Store a school's average for a procedure, subject and year (one per combination)."""
    require_school(user, school, roles=perm.RESULT_ENTERERS)
    if result is not None and result.pk is not None:
        require_school(user, result.school, roles=perm.RESULT_ENTERERS)
    average = result_check(year=year, procedure=procedure, subject=subject, average=average)
    if result is None or result.school_id != school.pk:
        require_active(school)
    subject = " ".join(subject.split())
    if result_find(school=school, year=year, procedure=procedure, subject=subject, exclude=result) is not None:
        raise ValidationError(
            {
                "subject": [
                    f"«Предмет»: результат по предмету «{subject}» за {year} год для этой процедуры уже внесён"
                    " — измените его."
                ]
            }
        )
    result = result or AssessmentResult()
    result.school, result.year, result.procedure, result.subject, result.average = (
        school,
        year,
        procedure,
        subject,
        average,
    )
    with transaction.atomic():
        _stamp(result, user)
        result.save()
    return result


def result_delete(*, user: User | None, result: AssessmentResult) -> None:
    require_school(user, result.school, roles=perm.RESULT_ENTERERS)
    with transaction.atomic():
        _stamp(result, user)
        result.delete()
