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


def test_reference_period_beyond_the_portals_years_is_refused_naming_the_field(client, methodist, municipality):
    from reports.models import AnalyticalReference

    client.force_login(methodist)
    response = client.post(
        reverse("reports:create"),
        {
            "template": "methodical-help",
            "scope": f"municipality:{municipality.code}",
            "date_from": "01.01.1000",
            "date_to": "31.12.2999",
            "precision": "2",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["date_from"][0].startswith("Дата в поле «Период с» должна быть от 01.09.2015 до 31.08.")
    assert errors["date_to"][0].startswith("Дата в поле «Период по» должна быть от 01.09.2015 до 31.08.")
    assert not AnalyticalReference.objects.exists()
