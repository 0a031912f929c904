"""The coverage page's filter: scope and period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from core.forms import date_field
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

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        today = timezone.localdate()
        start_year = today.year if today.month >= 9 else today.year - 1
        data["date_from"] = data.get("date_from") or dt.date(start_year, 9, 1)
        data["date_to"] = data.get("date_to") or dt.date(data["date_from"].year + (data["date_from"].month >= 9), 8, 31)
        if data["date_to"] < data["date_from"]:
            self.add_error("date_to", "«по»: дата окончания периода раньше даты начала.")
        elif (data["date_to"] - data["date_from"]).days > 366 * 5:
            self.add_error("date_to", "Период не может быть длиннее пяти лет.")
        if data.get("scope"):
            data["scope_obj"] = Scope.parse(data["scope"])
        return data
