"""Reference forms type dates as ДД.ММ.ГГГГ: no native mm/dd/yyyy picker, Russian errors naming the field."""

from __future__ import annotations

from django.urls import reverse


def test_reference_list_filter_dates_are_text_fields_with_russian_errors(client, methodist):
    client.force_login(methodist)
    html = client.get(reverse("reports:list")).content.decode()
    assert 'type="date"' not in html
    assert html.count('placeholder="ДД.ММ.ГГГГ"') == 2
    html = client.get(reverse("reports:list"), {"date_from": "01.13.2021"}).content.decode()
    assert "Фильтр не применён: Укажите в поле «Период с» существующую дату в формате ДД.ММ.ГГГГ." in html


def test_reference_create_form_dates_are_text_fields(client, methodist):
    client.force_login(methodist)
    html = client.get(reverse("reports:create")).content.decode()
    assert 'type="date"' not in html
    assert 'name="date_from"' in html and html.count('placeholder="ДД.ММ.ГГГГ"') == 2
