"""An id beyond the database's integer range finds nothing instead of crashing the query (core.lookups)."""

from __future__ import annotations

import pytest
from django import forms
from django.db.models import Q

from monitoring.models import MethodicalVisit
from schools.models import School
from tests import factories as f

HUGE = 10**30

pytestmark = pytest.mark.django_db


def test_ids_beyond_the_range_match_nothing(school):
    visit = f.MethodicalVisitFactory(school=school)
    assert list(School.objects.filter(pk__in=[HUGE])) == []
    assert list(School.objects.filter(pk__in=[HUGE, school.pk])) == [school]
    assert list(School.objects.filter(pk__in=[-HUGE])) == []
    assert list(School.objects.exclude(pk__in=[HUGE])) == [school]
    assert list(MethodicalVisit.objects.filter(school_id=HUGE)) == []
    assert list(MethodicalVisit.objects.filter(school__in=[HUGE, school.pk])) == [visit]
    assert list(MethodicalVisit.objects.filter(Q(school_id__in=[HUGE]) | Q(pk=visit.pk))) == [visit]


def test_model_choice_fields_refuse_an_id_beyond_the_range_as_an_invalid_choice(school):
    class Form(forms.Form):
        one = forms.ModelChoiceField(queryset=School.objects.all())
        many = forms.ModelMultipleChoiceField(queryset=School.objects.all())

    form = Form({"one": str(HUGE), "many": [str(school.pk), str(HUGE)]})
    assert not form.is_valid()
    assert form.errors["one"] == ["Выберите корректный вариант. Вашего варианта нет среди допустимых значений."]
    assert form.errors["many"] == [f"Выберите корректный вариант. {HUGE} нет среди допустимых значений."]
