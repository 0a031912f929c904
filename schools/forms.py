"""Forms of the schools pages. They parse input; the rules live in `services.py`, whose
field-keyed errors the views attach back to these forms."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.calendar import FIRST_ACADEMIC_YEAR, academic_year_label, academic_years
from core.forms import date_field
from core.models import User

from .models import Category, RiskFactor, RiskLevel, School


def academic_year_choices(extra: int | None = None) -> list[tuple[int, str]]:
    """Academic years from 2015/2016 to next year, newest first."""
    years = set(academic_years())
    if extra:
        years.add(extra)
    return [(y, academic_year_label(y)) for y in sorted(years, reverse=True)]


def year_choices(extra: int | None = None) -> list[tuple[int, str]]:
    today = timezone.localdate()
    years = set(range(FIRST_ACADEMIC_YEAR, today.year + 2))
    if extra:
        years.add(extra)
    return [(y, str(y)) for y in sorted(years, reverse=True)]


# --- Editing --------------------------------------------------------------------------------


class RegistryEntryForm(forms.Form):
    academic_year = forms.TypedChoiceField(label=_("Учебный год"), coerce=int)
    category = forms.ChoiceField(label=_("Категория"), choices=[("", "—"), *Category.choices])
    basis = forms.CharField(
        label=_("Основание включения"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Например: результаты ВПР ниже региональных значений два года подряд."),
    )
    included_on = date_field(_("Дата включения"))
    excluded_on = date_field(_("Дата исключения"), required=False, help_text=_("Оставьте пустой, если ОО в реестре."))
    exclusion_reason = forms.CharField(
        label=_("Обоснование исключения"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, current_year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].choices = academic_year_choices(current_year)
        self.fields["category"].error_messages["required"] = _("Выберите категорию: ШНОР или ШФНСУ.")


class ExcludeForm(forms.Form):
    excluded_on = date_field(_("Дата исключения"))
    exclusion_reason = forms.CharField(
        label=_("Обоснование исключения"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Что изменилось в результатах и работе ОО (как в блоке 3 отчёта о реализации программ)."),
        error_messages={"required": _("Укажите обоснование исключения.")},
    )


class CuratorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.username})"


class CuratorAssignForm(forms.Form):
    curator = CuratorChoiceField(
        label=_("Куратор — пользователь портала"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— не выбран —"),
        help_text=_("Пользователь с ролью «Куратор»: он увидит ОО в своём кабинете."),
    )
    full_name = forms.CharField(
        label=_("ФИО куратора"),
        required=False,
        max_length=255,
        help_text=_("Если куратора нет среди пользователей, впишите фамилию, имя и отчество."),
    )
    assigned_on = date_field(_("Назначен с"))

    def __init__(self, *args, curators: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["curator"].queryset = curators
        self.fields["curator"].error_messages["invalid_choice"] = _("Выберите куратора из списка.")
        self.fields["assigned_on"].initial = timezone.localdate()


class CuratorEndForm(forms.Form):
    unassigned_on = date_field(_("Снят с"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unassigned_on"].initial = timezone.localdate()


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: School) -> str:
        return f"{obj.name} ({obj.municipality.name}, {obj.code})"


class PartnerAssignForm(forms.Form):
    leader = LeaderChoiceField(
        label=_("Школа-наставник"),
        queryset=School.objects.none(),
        empty_label=_("— выберите школу-лидера —"),
        error_messages={
            "required": _("Выберите школу-наставника."),
            "invalid_choice": _("Выберите школу-лидера из списка."),
        },
    )
    date_from = date_field(_("Взаимодействие с"))

    def __init__(self, *args, leaders: QuerySet[School], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders
        self.fields["date_from"].initial = timezone.localdate()


class PartnerEndForm(forms.Form):
    date_to = date_field(_("Взаимодействие по"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_to"].initial = timezone.localdate()


class RiskProfileForm(forms.Form):
    """One select per factor of the year's catalogue version."""

    def __init__(self, *args, factors: list[RiskFactor], initial_levels: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("не оценивался")), *RiskLevel.choices]
        for number, factor in enumerate(factors, start=1):
            self.fields[f"factor_{factor.pk}"] = forms.ChoiceField(
                label=f"{number}. {factor.name[:1].upper()}{factor.name[1:]}",
                choices=choices,
                required=False,
                initial=initial_levels.get(factor.pk, ""),
            )
        self.factors = factors

    def levels(self) -> dict[int, str]:
        return {factor.pk: self.cleaned_data.get(f"factor_{factor.pk}", "") for factor in self.factors}


class CauseForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Год"), coerce=int)
    description = forms.CharField(
        label=_("Причина"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Опишите причину низких результатов.")},
        help_text=_("Например: низкая мотивация обучающихся к обучению."),
    )

    def __init__(self, *args, current_year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(current_year)
        if not self.is_bound and "year" not in self.initial:
            self.fields["year"].initial = timezone.localdate().year
