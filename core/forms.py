from __future__ import annotations

import datetime as dt
import functools

from django import forms
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.calendar import FIRST_ACADEMIC_YEAR, academic_year_bounds, date_text, last_academic_year, parse_period

DATE_INPUT_ATTRS = {"placeholder": "ДД.ММ.ГГГГ", "inputmode": "numeric", "autocomplete": "off", "maxlength": "10"}


class DateInput(forms.DateInput):
    """A date typed as ДД.ММ.ГГГГ: a native picker would follow the browser's language, and the
    portal must read the same for everyone."""

    def __init__(self, attrs=None):
        super().__init__(attrs={**DATE_INPUT_ATTRS, **(attrs or {})}, format="%d.%m.%Y")


def date_error_messages(label) -> dict[str, str]:
    """Russian messages that name the field and the expected format."""
    return {
        "required": _("Укажите дату в поле «%(field)s».") % {"field": label},
        "invalid": _("Укажите в поле «%(field)s» существующую дату в формате ДД.ММ.ГГГГ.") % {"field": label},
    }


def date_range() -> tuple[dt.date, dt.date]:
    """The dates any form accepts: from the first day of the first academic year (01.09.2015) to the last
    day of the last one (next year's, see core.calendar); a form narrows it to the period a date belongs to."""
    return academic_year_bounds(FIRST_ACADEMIC_YEAR)[0], academic_year_bounds(last_academic_year())[1]


def check_date_in_range(value: dt.date | None, label) -> None:
    """Raise, naming the field, for a date outside `date_range()` (01.01.0001 or 31.12.2999 are typos)."""
    if value is None:
        return
    first, last = date_range()
    if not first <= value <= last:
        raise ValidationError(
            _("Дата в поле «%(field)s» должна быть от %(first)s до %(last)s.")
            % {"field": label, "first": date_text(first), "last": date_text(last)},
            code="date_range",
        )


class DateField(forms.DateField):
    """A date typed as ДД.ММ.ГГГГ (ISO 2021-09-01 from links is accepted too), within `date_range()`."""

    def validate(self, value):
        super().validate(value)
        check_date_in_range(value, self.label)


def date_field(label, *, required: bool = True, help_text: str = "", attrs: dict | None = None) -> DateField:
    """A form date field typed as ДД.ММ.ГГГГ, with messages naming the field."""
    return DateField(
        label=label,
        required=required,
        widget=DateInput(attrs),
        help_text=help_text,
        error_messages=date_error_messages(label),
    )


class PeriodField(forms.CharField):
    """A quarter typed as `2021-Q1`, cleaned to (year, quarter) with the calendar's Russian messages."""

    def to_python(self, value):
        text = super().to_python(value)
        return parse_period(text) if text else None


def use_text_dates(form: forms.BaseForm, attrs: dict | None = None) -> None:
    """Give every date field of a (model) form the ДД.ММ.ГГГГ widget, messages naming the field and the
    bounds of `date_range()`."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DateInput({**field.widget.attrs, **(attrs or {})})
            field.error_messages.update(date_error_messages(field.label))
            field.validators.append(functools.partial(check_date_in_range, label=field.label))


def offered_only(form: forms.BaseForm, *names: str) -> None:
    """Selects of organisations or territories offer only the active ones in the user's scope; a value the
    select did not offer (an archived municipality's id in a crafted POST, another region's code) is
    refused with a message naming the field (see docs/architecture.md, «Archive, never delete»)."""
    for name in names:
        field = form.fields[name]
        message = _(
            "«%(field)s»: выберите значение из списка. Организации в архиве и вне вашей зоны "
            "ответственности не выбираются."
        ) % {"field": field.label}
        field.error_messages["invalid_choice"] = message
        if isinstance(field, forms.ModelMultipleChoiceField):
            field.error_messages["invalid_pk_value"] = message


def apply_service_errors(form: forms.BaseForm, exc: ValidationError) -> bool:
    """Put a service's refusal on the form: each message at the field it names, the rest (NON_FIELD_ERRORS,
    a field the form lacks, a plain message) at the top; return whether any message was applied.

    Services raise `ValidationError({field: [messages]})` (see docs/architecture.md).
    """
    errors = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    applied = False
    for field, error_list in errors.items():
        target = field if field in form.fields else None
        for message in ValidationError(error_list).messages:
            form.add_error(target, message)
            applied = True
    return applied


def message_service_errors(request: HttpRequest, exc: ValidationError) -> None:
    """Show a service's refusal as page messages, for actions that have no form (buttons, links)."""
    for message in exc.messages:
        messages.error(request, message)


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Логин"), widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("Пароль"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": _("Неверный логин или пароль. Проверьте раскладку клавиатуры и регистр букв."),
        "inactive": _("Учётная запись отключена. Обратитесь к администратору."),
    }
