"""Analytical references (аналитические справки): the narrative a methodist writes, the versions the
portal computes and renders from the data, the head's signature, and the rendering jobs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.jobs import Job
from core.transitions import TransitionRecord
from core.versions import Versioned


class ReferenceTemplate(models.TextChoices):
    METHODICAL_HELP = "methodical-help", _("Анализ мониторинга методической помощи ШНОР")
    ROADMAP_MONITORING = "roadmap-monitoring", _("Мониторинг реализации «дорожных карт»")
    PROGRAM_REPORT = "program-report", _("Отчёт о реализации программ повышения качества образования")


class ScopeKind(models.TextChoices):
    REGION = "region", _("регион")
    MUNICIPALITY = "municipality", _("муниципалитет")


class ReferenceStatus(models.TextChoices):
    DRAFT = "draft", _("черновик")
    SENT = "sent", _("на подписании")
    RETURNED = "returned", _("возвращена на доработку")
    SIGNED = "signed", _("подписана")


class ApprovalKind(models.TextChoices):
    APPROVE = "approve", _("УТВЕРЖДАЮ")
    AGREE = "agree", _("СОГЛАСОВАНО")


class AnalyticalReference(Versioned):
    """One reference: what it covers (template, scope, period) and the text a person wrote for it.

    The numbers are not stored here: each version keeps the snapshot it was rendered from.
    """

    template = models.CharField(_("шаблон"), max_length=32, choices=ReferenceTemplate.choices)
    scope_kind = models.CharField(_("уровень"), max_length=16, choices=ScopeKind.choices)
    region = models.ForeignKey("schools.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("регион"))
    municipality = models.ForeignKey(
        "schools.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("муниципалитет"),
    )
    date_from = models.DateField(_("период с"))
    date_to = models.DateField(_("период по"))
    title = models.CharField(_("заголовок"), max_length=500)
    precision = models.PositiveSmallIntegerField(_("знаков после запятой в процентах"), default=2)
    status = models.CharField(
        _("статус"), max_length=16, choices=ReferenceStatus.choices, default=ReferenceStatus.DRAFT
    )

    # Narrative: each non-empty line of a multi-line field is one numbered item in the document.
    goal = models.TextField(_("цель"), blank=True)
    tasks = models.TextField(_("задачи"), blank=True)
    conclusions = models.TextField(_("выводы"), blank=True)
    remarks = models.TextField(_("замечания"), blank=True)
    decisions = models.TextField(_("управленческие решения"), blank=True)
    # Printed as written, only when the methodist writes it: the author's warnings about the data
    # (reports/selectors/warnings.py) are shown on the page, never printed by themselves.
    data_note = models.TextField(_("примечание о данных"), blank=True)
    # The template's narrative paragraphs around its tables, by key (reports/document/text.py PARAGRAPHS);
    # a missing key prints the default, an empty one is left out (docs/references.md).
    paragraphs = models.JSONField(_("абзацы"), default=dict, blank=True)
    # True while the conclusions/remarks hold text the portal drafted and nobody has reviewed yet.
    draft_pending = models.BooleanField(_("текст предложен порталом и не проверен"), default=False)

    author_position = models.CharField(_("должность составителя"), max_length=255, blank=True)
    author_name = models.CharField(_("составитель (И.О. Фамилия)"), max_length=255, blank=True)
    author_phone = models.CharField(_("телефон составителя"), max_length=50, blank=True)

    cover_letter = models.BooleanField(_("сопроводительное письмо"), default=False)
    cover_addressee = models.TextField(_("адресат письма"), blank=True)
    cover_subject = models.CharField(_("тема письма («О направлении …»)"), max_length=500, blank=True)
    cover_text = models.TextField(_("текст письма"), blank=True)
    outgoing_number = models.CharField(_("исходящий номер"), max_length=100, blank=True)
    outgoing_date = models.DateField(_("дата исходящего"), null=True, blank=True)

    # The version whose inputs equal the reference's current data and text (what is sent and signed).
    current_version = models.ForeignKey(
        "ReferenceVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("создал")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Who changed which field when: what a stale page's refusal names (core.versions).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date_to", "-id"]
        verbose_name = _("аналитическая справка")
        verbose_name_plural = _("аналитические справки")
        constraints = [
            models.CheckConstraint(name="reference_period_ordered", condition=Q(date_to__gte=models.F("date_from"))),
            models.CheckConstraint(
                name="reference_scope_consistent",
                condition=Q(scope_kind="region", municipality__isnull=True)
                | Q(scope_kind="municipality", municipality__isnull=False),
            ),
            models.CheckConstraint(name="reference_precision_range", condition=Q(precision__lte=4)),
        ]
        indexes = [models.Index(fields=["region", "status"]), models.Index(fields=["municipality", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_code(self) -> str:
        return self.municipality.code if self.municipality_id else self.region.code

    @property
    def scope_text(self) -> str:
        return f"{self.scope_kind}:{self.scope_code}"

    @property
    def scope_name(self) -> str:
        return self.municipality.name if self.municipality_id else self.region.name


class Recommendation(models.Model):
    """An addressed recommendation (адресная рекомендация): to whom, what, by when."""

    reference = models.ForeignKey(AnalyticalReference, on_delete=models.CASCADE, related_name="recommendations")
    order = models.PositiveSmallIntegerField(_("№"), default=0)
    addressee = models.CharField(_("адресат"), max_length=500)
    text = models.TextField(_("рекомендация"))
    deadline = models.CharField(_("срок"), max_length=255, help_text=_("например: до 01.09.2021, постоянно"))

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("адресная рекомендация")
        verbose_name_plural = _("адресные рекомендации")


class ReferenceVersion(models.Model):
    """A numbered version: the frozen inputs (snapshot, narrative), the rendered files, the signature.

    Once signed, nothing on this row changes again; new data or edits make a new version.
    """

    reference = models.ForeignKey(AnalyticalReference, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("версия"))
    code = models.CharField(_("код проверки"), max_length=20, unique=True)
    snapshot = models.JSONField(_("данные"))
    narrative = models.JSONField(_("текст"))
    input_hash = models.CharField(_("SHA-256 исходных данных"), max_length=64, db_index=True)
    # What the document is, as it was when this version was made: the verification page, the file
    # names and every render read these, never the reference row an admin or a methodist may edit later.
    template = models.CharField(_("шаблон"), max_length=32, choices=ReferenceTemplate.choices, blank=True)
    title = models.CharField(_("заголовок"), max_length=500, blank=True)
    scope_code = models.CharField(_("код территории"), max_length=64, blank=True)
    authority = models.CharField(_("орган"), max_length=500, blank=True)
    date_from = models.DateField(_("период с"), null=True, blank=True)
    date_to = models.DateField(_("период по"), null=True, blank=True)
    # When the data of the snapshot were read: the document prints «данные на …» from it, never today.
    data_as_of = models.DateTimeField(_("данные на"), null=True, blank=True)

    # Rendered outputs; rerendering an unsigned version overwrites them.
    rendered_hash = models.CharField(max_length=64, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, editable=False)
    pdf_sha256 = models.CharField(_("SHA-256 PDF"), max_length=64, blank=True)
    pdf_pages = models.PositiveIntegerField(_("страниц"), null=True, blank=True)
    xlsx = models.BinaryField(_("XLSX"), null=True, editable=False)
    rendered_at = models.DateTimeField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)

    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    approval_kind = models.CharField(_("гриф"), max_length=10, choices=ApprovalKind.choices, blank=True)
    signatory_position = models.CharField(_("должность подписавшего"), max_length=255, blank=True)
    signatory_name = models.CharField(_("подписавший (И.О. Фамилия)"), max_length=255, blank=True)
    signed_on = models.DateField(_("дата подписания"), null=True, blank=True)
    signed_number = models.CharField(_("исходящий номер"), max_length=100, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("версия справки")
        verbose_name_plural = _("версии справок")
        constraints = [
            models.UniqueConstraint(fields=["reference", "number"], name="reference_version_unique_number"),
            models.CheckConstraint(
                name="reference_version_signature_complete",
                condition=Q(signed_at__isnull=True)
                | (Q(signed_by__isnull=False, signed_on__isnull=False) & ~Q(signatory_name="") & ~Q(signed_number="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — версия {self.number}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def is_rendered(self) -> bool:
        return bool(self.pdf_sha256)

    @property
    def data_date(self):
        """When the version's data were read («данные на …» on the document and on /verify/)."""
        return self.data_as_of or self.created_at


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("в очереди")
    RUNNING = "running", _("формируется")
    DONE = "done", _("готово")
    FAILED = "failed", _("ошибка")


class RenderJob(Job):
    """The rendering job of one version: claimed by one worker at a time, rerun overwrites."""

    SOFT_TIME_LIMIT = 240
    TIME_LIMIT = 300
    LOST_MESSAGE = (
        "Формирование справки прерывалось %(n)s раза: процесс обработки завершался аварийно. "
        "Нажмите «Повторить»; если ошибка повторится, сообщите администратору."
    )
    STEPS = 3

    version = models.OneToOneField(ReferenceVersion, on_delete=models.CASCADE, related_name="job")
    status = models.CharField(_("состояние"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)

    class Meta:
        verbose_name = _("формирование справки")
        verbose_name_plural = _("формирование справок")

    def extra_state(self) -> dict[str, Any]:
        if not self.is_done:
            return {}
        from django.urls import reverse

        return {
            "pdf_url": reverse("reports:version-pdf", args=[self.version_id]),
            "xlsx_url": reverse("reports:version-xlsx", args=[self.version_id]),
        }


class ReferenceTransition(TransitionRecord):
    """Audit trail: who moved the reference from which status to which, and why."""

    SUBJECT = "reference"

    class Action(models.TextChoices):
        # The labels head the entries of the reference's history.
        CREATE = "create", _("создана")
        EDIT = "edit", _("изменён текст")
        GENERATE = "generate", _("сформирована версия")
        SEND = "send", _("направлена на подписание")
        SIGN = "sign", _("подписана")
        RETURN = "return", _("возвращена на доработку")

    reference = models.ForeignKey(AnalyticalReference, on_delete=models.CASCADE, related_name="transitions")
    version = models.ForeignKey(ReferenceVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=16, choices=ReferenceStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ReferenceStatus.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("переход статуса справки")
        verbose_name_plural = _("история справок")
