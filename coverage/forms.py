"""The coverage page's filter: scope and period."""

from __future__ import annotations

from typing import Any

from django import forms

from core.calendar import academic_year_bounds, academic_year_of, current_academic_year
from core.forms import date_field, offered_only
from monitoring.selectors import Scope


class CoverageFilterForm(forms.Form):
    """Scope and period of the coverage page; the default period is the current academic year."""

    scope = forms.ChoiceField(label="Территория")
    date_from = date_field("Период с", required=False)
    date_to = date_field("по", required=False)

    def __init__(self, *args: Any, scopes: list[tuple[Scope, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [
            (str(s), ("Регион: " if s.kind == "region" else "") + name) for s, name in scopes
        ]
        offered_only(self, "scope")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["date_from"] = data.get("date_from") or academic_year_bounds(current_academic_year())[0]
        data["date_to"] = data.get("date_to") or academic_year_bounds(academic_year_of(data["date_from"]))[1]
        if data["date_to"] < data["date_from"]:
            self.add_error("date_to", "«по»: дата окончания периода раньше даты начала.")
        elif (data["date_to"] - data["date_from"]).days > 366 * 5:
            self.add_error("date_to", "Период не может быть длиннее пяти лет.")
        if data.get("scope"):
            data["scope_obj"] = Scope.parse(data["scope"])
        return data
