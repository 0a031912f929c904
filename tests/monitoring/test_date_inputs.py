"""Date fields of the monitoring pages: typed as ДД.ММ.ГГГГ (no native mm/dd/yyyy picker), Russian errors."""

from __future__ import annotations

import re

from django.urls import reverse

from core.calendar import current_academic_year


def _input(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input {name}"
    return match.group(0)


def test_coverage_fields_are_text_dates_showing_the_default_academic_year(client, methodist):
    client.force_login(methodist)
    html = client.get(reverse("coverage:page")).content.decode()
    start = current_academic_year()
    date_from, date_to = _input(html, "date_from"), _input(html, "date_to")
    assert 'type="text"' in date_from and 'placeholder="ДД.ММ.ГГГГ"' in date_from
    assert f'value="01.09.{start}"' in date_from and f'value="31.08.{start + 1}"' in date_to


def test_coverage_rejects_an_impossible_date_in_russian(client, methodist):
    client.force_login(methodist)
    response = client.get(reverse("coverage:page"), {"date_from": "31.02.2021"})
    assert response.status_code == 400
    assert "Укажите в поле «Период с» существующую дату в формате ДД.ММ.ГГГГ." in response.content.decode()
    assert 'value="31.02.2021"' in _input(response.content.decode(), "date_from")


def test_visit_form_date_is_a_text_field_and_accepts_ddmmyyyy(client, methodist, school):
    client.force_login(methodist)
    html = client.get(reverse("monitoring:visit-create")).content.decode()
    assert 'type="date"' not in html
    assert "— выберите ОО —" in html
    data = {"school": school.pk, "date": "10.03.2021", "visitors": "Методист", "purpose": "Помощь"}
    response = client.post(reverse("monitoring:visit-create"), data)
    assert response.status_code == 302
    assert school.visits.get().date.isoformat() == "2021-03-10"
