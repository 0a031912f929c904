"""Forms of the references: creation, the narrative with its recommendations formset, sign-off,
return, list filters and the public verification (the code typed by hand, the uploaded PDF)."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.forms import formset_factory
from django.utils import timezone

from core.forms import date_field, offered_only, use_text_dates

from .document.paragraphs import MAX_LENGTH, PARAGRAPHS, PLACEHOLDERS, paragraphs_of
from .models import AnalyticalReference, ApprovalKind, ReferenceTemplate

VERIFY_MAX_BYTES = settings.VERIFY_UPLOAD_MAX_BYTES
VERIFY_CODE_RE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$")  # as printed: services.new_code


class ReferenceCreateForm(forms.Form):
    template = forms.ChoiceField(label="Шаблон", choices=ReferenceTemplate.choices)
    scope = forms.ChoiceField(label="Территория")
    date_from = date_field("Период с")
    date_to = date_field("Период по")
    title = forms.CharField(
        label="Заголовок", max_length=500, required=False, help_text="Пусто — заголовок шаблона, как в образце."
    )
    precision = forms.IntegerField(label="Знаков после запятой в процентах", min_value=0, max_value=4, initial=2)

    def __init__(self, *args, scopes: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scopes
        offered_only(self, "scope")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "Окончание периода раньше его начала.")
        return data


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = AnalyticalReference
        fields = [
            "title",
            "precision",
            "goal",
            "tasks",
            "conclusions",
            "remarks",
            "decisions",
            "data_note",
            "author_position",
            "author_name",
            "author_phone",
            "cover_letter",
            "cover_addressee",
            "cover_subject",
            "cover_text",
            "outgoing_number",
            "outgoing_date",
        ]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 3}),
            "tasks": forms.Textarea(attrs={"rows": 4}),
            "conclusions": forms.Textarea(attrs={"rows": 8}),
            "remarks": forms.Textarea(attrs={"rows": 5}),
            "decisions": forms.Textarea(attrs={"rows": 5}),
            "data_note": forms.Textarea(attrs={"rows": 2}),
            "cover_addressee": forms.Textarea(attrs={"rows": 3}),
            "cover_text": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "tasks": "Каждая строка — отдельный пункт; нумерация проставится сама.",
            "conclusions": "Каждая строка — отдельный пункт.",
            "remarks": "Каждая строка — отдельный пункт.",
            "decisions": "Каждая строка — отдельное решение (кому, что, срок).",
            "data_note": "Печатается в справке как написано. Пусто — не печатается: предупреждения о данных "
            "(неутверждённые отчёты, даты вне периода) видны только вам.",
            "cover_text": "Абзацы разделяйте пустой строкой. Пусто — стандартный текст «… направляет … для использования в работе».",
        }

    def __init__(self, *args, visible: tuple[str, ...] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("goal", "tasks", "conclusions", "remarks", "decisions"):
            if name not in visible:
                del self.fields[name]
        self.fields["precision"].widget.attrs.update({"min": 0, "max": 4})
        # One field per narrative paragraph of the template (reports/document/paragraphs.py).
        stored = paragraphs_of(self.instance.template, self.instance.paragraphs)
        hint = "Пусто — абзац не печатается. Подстановки: " + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS) + "."
        for p in PARAGRAPHS.get(self.instance.template, ()):
            self.fields[f"paragraph_{p.key}"] = forms.CharField(
                label=p.label,
                required=False,
                max_length=MAX_LENGTH,
                initial=stored[p.key],
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=f"{hint} По умолчанию: «{p.default}»",
            )
        use_text_dates(self)

    @property
    def paragraph_fields(self) -> list:
        return [self[name] for name in self.fields if name.startswith("paragraph_")]

    def paragraphs(self) -> dict[str, str]:
        """The cleaned paragraphs by key, for `reference_update(data={"paragraphs": ...})`."""
        prefix = "paragraph_"
        return {
            name[len(prefix) :]: (value or "").strip()
            for name, value in self.cleaned_data.items()
            if name.startswith(prefix)
        }

    def clean(self) -> dict:
        data = super().clean()
        if data.get("cover_letter") and not (data.get("cover_addressee") or "").strip():
            self.add_error("cover_addressee", "Для сопроводительного письма укажите адресата.")
        return data


class RecommendationForm(forms.Form):
    addressee = forms.CharField(
        label="Адресат",
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "Директору МОУ «…» (Фамилия И.О.)"}),
    )
    text = forms.CharField(label="Рекомендация", widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.CharField(
        label="Срок", max_length=255, widget=forms.TextInput(attrs={"placeholder": "до 01.09.2021"})
    )


RecommendationFormSet = formset_factory(RecommendationForm, extra=1, can_delete=True, max_num=50, validate_max=True)


class SignForm(forms.Form):
    kind = forms.ChoiceField(label="Гриф", choices=ApprovalKind.choices, initial=ApprovalKind.APPROVE)
    position = forms.CharField(
        label="Должность", max_length=255, required=False, help_text="Пусто — должность из вашего профиля."
    )
    name = forms.CharField(
        label="Инициалы и фамилия",
        max_length=255,
        required=False,
        help_text="Как в подписи: Н.А. Бозина. Пусто — из вашего профиля. Подписывает ваша учётная запись.",
    )
    signed_on = date_field("Дата")
    outgoing_number = forms.CharField(label="Исходящий номер", max_length=100)

    def clean_signed_on(self):
        value = self.cleaned_data["signed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("Дата подписания не может быть в будущем.")
        return value


class ReturnForm(forms.Form):
    comment = forms.CharField(label="Что исправить", widget=forms.Textarea(attrs={"rows": 3}))


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label="PDF-файл справки")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is not None and upload.size > VERIFY_MAX_BYTES:
            raise forms.ValidationError(
                f"Файл больше {VERIFY_MAX_BYTES // (1024 * 1024)} МБ: это не PDF справки, загрузите подписанный экземпляр."
            )
        return upload


# Cyrillic letters that look like Latin ones: a code typed on a Russian keyboard still finds its version.
_LOOKALIKES = str.maketrans("АВЕКМНОРСТХ", "ABEKMHOPCTX")


class VerifyCodeForm(VerifyUploadForm):
    """`/verify/`: the code printed on a reference, typed by hand (case, spaces and dashes do not
    matter), and optionally the PDF to check against the signed version."""

    NOT_FOUND = (
        "Справка с кодом %(code)s не найдена. Проверьте код: он напечатан внизу каждой страницы справки и под QR-кодом."
    )

    code = forms.CharField(
        label="Код проверки",
        max_length=40,
        help_text="Напечатан внизу каждой страницы справки и под QR-кодом, например ABCD-EFGH-2345.",
        error_messages={"required": "Введите код проверки: он напечатан внизу каждой страницы справки."},
    )
    file = forms.FileField(
        label="PDF-файл справки (необязательно)",
        required=False,
        help_text="Если приложить файл, портал сравнит его с подписанным экземпляром. Файл не сохраняется.",
    )

    def clean_code(self) -> str:
        compact = re.sub(r"[\s\-‐‑–—]", "", self.cleaned_data["code"]).upper().translate(_LOOKALIKES)
        code = f"{compact[:4]}-{compact[4:8]}-{compact[8:]}"
        if not VERIFY_CODE_RE.match(code):
            raise forms.ValidationError(
                "Код проверки — 12 латинских букв и цифр в виде XXXX-XXXX-XXXX, например ABCD-EFGH-2345."
            )
        return code
