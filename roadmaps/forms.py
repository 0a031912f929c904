"""Forms of the roadmaps pages: they validate input; services do the writing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PeriodField, date_field, use_text_dates
from monitoring.models import Indicator

from .models import Activity, ActivityReport, ActivityType, Direction, LineStatus, Roadmap
from .services.report_lines import NEEDS_REASON, line_date_refusals
from .services.roadmaps import activity_date_refusals


class DeadlineForm(forms.Form):
    """A region's report deadline for one quarter (the status board's inline form)."""

    period = PeriodField(label=_("Квартал"))
    deadline = date_field(_("Срок сдачи"))


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "direction",
            "activity_type",
            "title",
            "form",
            "starts_on",
            "due_on",
            "due_text",
            "responsible",
            "expected_result",
            "indicator",
        ]
        labels = {
            "title": _("Мероприятие (если нет в перечне — своё название)"),
            "starts_on": _("Начало (необязательно)"),
            "due_on": _("Срок выполнения"),
            "due_text": _("Срок текстом (необязательно)"),
            "indicator": _("Показатель (необязательно)"),
        }
        help_texts = {
            "due_text": _(
                "Если срок — не одна дата («2020–2021 гг.», «март – май 2021»): так он и печатается в справках."
            ),
        }
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, roadmap: Roadmap | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.roadmap = roadmap
        use_text_dates(self)
        self.fields["direction"].queryset = Direction.objects.all()
        self.fields["direction"].empty_label = _("— выберите направление —")
        types = ActivityType.objects.filter(is_active=True).select_related("direction")
        if self.instance.pk and self.instance.activity_type_id:
            types = ActivityType.objects.filter(pk=self.instance.activity_type_id) | types
        self.fields["activity_type"].queryset = types
        choices = [("", _("— своё мероприятие, не из перечня —"))]
        groups: dict[str, list] = {}
        for t in types.order_by("direction__order", "order"):
            groups.setdefault(t.direction.name, []).append((t.pk, t.name))
        choices += list(groups.items())
        self.fields["activity_type"].choices = choices
        self.fields["activity_type"].widget.attrs["data-direction-map"] = ",".join(
            f"{t.pk}:{t.direction_id}" for t in types
        )
        self.fields["indicator"].queryset = Indicator.objects.filter(is_active=True)
        self.fields["indicator"].empty_label = _("— без показателя —")
        self.fields["title"].required = False
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        activity_type = data.get("activity_type")
        direction = data.get("direction")
        if not activity_type and not (data.get("title") or "").strip():
            self.add_error("title", _("Выберите вид мероприятия из перечня или впишите своё название."))
        if activity_type and direction and activity_type.direction_id != direction.pk:
            self.add_error(
                "activity_type",
                _("Вид «%(type)s» относится к направлению «%(direction)s».")
                % {"type": activity_type.name, "direction": activity_type.direction.name},
            )
        starts_on, due_on = data.get("starts_on"), data.get("due_on")
        if starts_on and due_on and starts_on > due_on:
            self.add_error("starts_on", _("Начало не может быть позже срока выполнения."))
        if self.roadmap is not None:
            for name, text in activity_date_refusals(self.roadmap, data).items():
                self.add_error(name, text)
        return data

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class LineForm(forms.Form):
    """One line of the quarterly report (prefix `line-<id>`). A plain form: the model's constraints are
    checked by the service, so 40 lines do not cost 40 uniqueness queries."""

    status = forms.ChoiceField(
        label=_("Статус"),
        required=False,
        choices=[("", _("— не указан —")), *LineStatus.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm js-line-status"}),
    )
    started_on = date_field(_("Дата начала"), required=False, attrs={"class": "form-control form-control-sm"})
    finished_on = date_field(_("Дата окончания"), required=False, attrs={"class": "form-control form-control-sm"})
    result = forms.CharField(
        label=_("Результат"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )
    participants = forms.IntegerField(
        label=_("Участников"),
        required=False,
        min_value=0,
        max_value=100000,
        widget=forms.NumberInput(attrs={"min": 0, "class": "form-control form-control-sm"}),
    )
    reason = forms.CharField(
        label=_("Причина невыполнения"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm js-line-reason"}),
    )

    def __init__(self, *args, line: ActivityReport, academic_year: int | None = None, **kwargs):
        """`academic_year`: the roadmap's, which bounds the line's dates (read from the line when absent)."""
        kwargs.setdefault("prefix", f"line-{line.pk}")
        kwargs.setdefault("initial", {name: getattr(line, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)
        self.line = line
        self.academic_year = line.report.roadmap.academic_year if academic_year is None else academic_year

    def clean(self):
        data = super().clean()
        started, finished = data.get("started_on"), data.get("finished_on")
        if started and finished and finished < started:
            self.add_error("finished_on", _("Дата окончания раньше даты начала."))
        for name, text in line_date_refusals(self.line, data, self.academic_year).items():
            self.add_error(name, text)
        return data

    def inputs(self) -> dict[str, dict]:
        """Name, id, displayed value and errors of each input, for the report page, which writes the
        line inputs as plain HTML: Django's template-based widget rendering of 40 lines × 6 fields
        was three quarters of the page's time. The markup matches what the widgets would render."""
        result: dict[str, dict] = {}
        for name, field in self.fields.items():
            bound = self[name]
            value = field.widget.format_value(bound.value())
            if name == "status":
                value = value[0] if value else ""
            auto_id = bound.auto_id
            result[name] = {
                "name": bound.html_name,
                "id": auto_id,
                "value": "" if value is None else value,
                "errors": bound.errors,
                "error_id": f"{auto_id}_error",
            }
        status = result["status"]["value"]
        result["status"]["options"] = [
            {"value": value, "label": label, "selected": str(value) == status}
            for value, label in self.fields["status"].choices
        ]
        missing = reason_missing(status, result["reason"]["value"])
        if missing:
            result["reason"]["errors"] = [*result["reason"]["errors"], missing]
        return result

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("result", "reason"):
            data[name] = (data.get(name) or "").strip()
        data["status"] = data.get("status") or ""
        return data


def reason_missing(status: str, reason: str) -> str:
    """The reason field's own error for a line «не выполнено» / «перенесено» without a reason, shown at
    the field (and tied to it by aria-describedby) besides the submit refusal's banner, which the
    service words for the whole report (`report_problems`). Empty when nothing is missing.
    docs/accessibility.md → Forms."""
    if status not in NEEDS_REASON or str(reason).strip():
        return ""
    return _("Укажите причину: со статусом «%(status)s» отчёт без неё не отправить на проверку.") % {
        "status": LineStatus(status).label
    }
