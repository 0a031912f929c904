"""Forms of monitoring pages. They parse and validate input; services write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from core.forms import apply_service_errors, date_field, offered_only
from schools.models import Municipality, Region, School

from .models import Indicator, IndicatorKind, IndicatorValue, Procedure
from .selectors import Scope
from .services import ValueInput, indicator_value_clean, result_check, visit_check
from .services.validation import SCALES

SUBJECT_SUGGESTIONS = [
    "Русский язык",
    "Математика",
    "Математика (базовая)",
    "Математика (профильная)",
    "Окружающий мир",
    "Биология",
    "История",
    "Обществознание",
    "География",
    "Физика",
    "Химия",
    "Информатика",
    "Литература",
    "Английский язык",
]


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: School) -> str:
        return f"{obj.name} ({obj.municipality.name})"


class SchoolMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: School) -> str:
        return f"{obj.name} ({obj.municipality.name})"


class CampaignForm(forms.Form):
    """Open a monitoring round. `areas` are the regions and municipalities the user manages."""

    name = forms.CharField(label="Название", max_length=500)
    area = forms.ChoiceField(label="Территория")
    period_from = date_field("Период с")
    period_to = date_field("Период по")
    deadline = date_field("Срок внесения")
    indicators = forms.ModelMultipleChoiceField(
        label="Показатели", queryset=Indicator.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    schools = SchoolMultipleChoiceField(
        label="ОО",
        queryset=School.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Если не выбрать ни одной, в мониторинг войдут все ОО реестра территории, действующие в периоде.",
    )

    def __init__(
        self, *args: Any, areas: list[tuple[Scope, Region | Municipality]], schools: QuerySet[School], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.areas = {str(scope): obj for scope, obj in areas}
        self.fields["area"].choices = [
            (str(scope), ("Регион: " if scope.kind == "region" else "") + obj.name) for scope, obj in areas
        ]
        self.fields["indicators"].queryset = Indicator.objects.filter(is_active=True).order_by("order", "code")
        self.fields["schools"].queryset = schools.select_related("municipality").order_by("municipality__name", "name")
        offered_only(self, "area", "schools")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end, deadline = data.get("period_from"), data.get("period_to"), data.get("deadline")
        if start and end and end < start:
            self.add_error("period_to", "«Период по» раньше, чем «Период с».")
        if start and deadline and deadline < start:
            self.add_error("deadline", "«Срок внесения» раньше начала периода.")
        if data.get("area") in self.areas:
            data["area_object"] = self.areas[data["area"]]
            data["scope"] = Scope.parse(data["area"])
        return data


def _decimal_field(label: str, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control form-control-sm"}),
        error_messages={
            "invalid": f"«{label}»: введите число (дробную часть — через запятую).",
            "max_decimal_places": f"«{label}»: не более двух знаков после запятой.",
            "max_digits": f"«{label}»: слишком большое число.",
        },
    )


class CampaignValuesForm(forms.Form):
    """One school's values for a campaign: a value per indicator, «из» for ratios, a comment."""

    def __init__(
        self,
        *args: Any,
        indicators: list[Indicator],
        school: School,
        values: dict[int, IndicatorValue],
        as_methodist: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.school = school
        self.rows: list[dict[str, Any]] = []
        for ind in indicators:
            current = values.get(ind.pk)
            value_name, den_name, comment_name = f"v{ind.pk}", f"d{ind.pk}", f"c{ind.pk}"
            self.fields[value_name] = _decimal_field(ind.name)
            # A director sees what the methodist entered for the methodist's indicators but cannot change it.
            readonly = ind.entered_by == "methodist" and not as_methodist
            if current is not None:
                self.initial[value_name] = (
                    current.value.normalize() if ind.kind != IndicatorKind.AVERAGE else current.value
                )
            row = {
                "indicator": ind,
                "value": value_name,
                "denominator": None,
                "comment": comment_name,
                "hint": "",
                "readonly": readonly,
            }
            if ind.kind == IndicatorKind.RATIO:
                row["denominator"] = den_name
                row["hint"] = self._add_denominator(ind, den_name, current)
            elif ind.kind == IndicatorKind.AVERAGE:
                low, high = SCALES.get(ind.procedure, (Decimal(0), Decimal(100)))
                row["hint"] = f"от {low} до {high}"
            else:
                row["hint"] = "целое число"
            self.fields[comment_name] = forms.CharField(
                label=f"{ind.name}: комментарий",
                required=False,
                max_length=2000,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
            if current is not None:
                self.initial[comment_name] = current.comment
            if readonly:
                row["hint"] += " · вносит методист"
                for name in (value_name, den_name, comment_name):
                    if name in self.fields:
                        self.fields[name].disabled = True
            self.rows.append(row)

    def _add_denominator(self, ind: Indicator, name: str, current: IndicatorValue | None) -> str:
        """The «из» field of a ratio indicator, filled with the stored or the school's default
        denominator; returns the hint saying which default applies."""
        school = self.school
        default = school.pupils_count if ind.denominator_default == "pupils" else school.teachers_count
        self.fields[name] = forms.IntegerField(
            label=f"{ind.name}: из",
            required=False,
            min_value=1,
            widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "min": 1}),
            error_messages={
                "invalid": f"«{ind.name}: из»: введите целое число.",
                "min_value": f"«{ind.name}: из»: знаменатель должен быть больше нуля.",
            },
        )
        self.initial[name] = current.denominator if current and current.denominator else default
        if ind.denominator_default == "pupils":
            return "по умолчанию — число обучающихся ОО"
        return "по умолчанию — число педагогов ОО"

    def bound_rows(self) -> list[dict[str, Any]]:
        return [
            {
                **row,
                "value_field": self[row["value"]],
                "denominator_field": self[row["denominator"]] if row["denominator"] else None,
                "comment_field": self[row["comment"]],
            }
            for row in self.rows
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        inputs: list[ValueInput] = []
        for row in self.rows:
            ind: Indicator = row["indicator"]
            value = data.get(row["value"])
            if row["value"] in self.errors or row["readonly"]:
                continue
            denominator = data.get(row["denominator"]) if row["denominator"] else None
            if value is not None:
                try:
                    indicator_value_clean(indicator=ind, value=value, denominator=denominator, school=self.school)
                except ValidationError as exc:
                    self.add_error(row["value"], exc)
                    continue
            inputs.append(
                ValueInput(indicator=ind, value=value, denominator=denominator, comment=data.get(row["comment"], ""))
            )
        data["inputs"] = inputs
        return data


class VisitForm(forms.Form):
    school = SchoolChoiceField(label="ОО", queryset=School.objects.none(), empty_label="— выберите ОО —")
    date = date_field("Дата посещения")
    visitors = forms.CharField(
        label="Кто посетил",
        max_length=1000,
        help_text="ФИО и должности: методисты ММЦ, куратор, специалисты управления образования.",
    )
    purpose = forms.CharField(label="Цель", widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.CharField(label="Результат", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, schools: QuerySet[School], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools.select_related("municipality").order_by("name")
        offered_only(self, "school")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date") and "visitors" in data and "purpose" in data:
            try:
                visit_check(date=data["date"], visitors=data["visitors"], purpose=data["purpose"])
            except ValidationError as exc:
                apply_service_errors(self, exc)
        return data


class ResultForm(forms.Form):
    school = SchoolChoiceField(label="ОО", queryset=School.objects.none(), empty_label="— выберите ОО —")
    year = forms.IntegerField(
        label="Год",
        min_value=2000,
        error_messages={"invalid": "«Год»: введите год, например 2021.", "min_value": "«Год»: не раньше 2000."},
    )
    procedure = forms.ChoiceField(label="Процедура", choices=Procedure.choices)
    subject = forms.CharField(
        label="Предмет",
        max_length=100,
        widget=forms.TextInput(attrs={"list": "subject-suggestions", "autocomplete": "off"}),
        help_text="Базовая и профильная математика ЕГЭ — разные предметы.",
    )
    average = _decimal_field("Средний балл", required=True)

    def __init__(self, *args: Any, schools: QuerySet[School], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools.select_related("municipality").order_by("name")
        offered_only(self, "school")
        self.fields["average"].widget.attrs["class"] = "form-control"
        self.fields["year"].initial = timezone.localdate().year
        self.subject_suggestions = SUBJECT_SUGGESTIONS

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if all(data.get(k) not in (None, "") for k in ("year", "procedure", "subject", "average")):
            try:
                result_check(
                    year=data["year"], procedure=data["procedure"], subject=data["subject"], average=data["average"]
                )
            except ValidationError as exc:
                apply_service_errors(self, exc)
        return data
