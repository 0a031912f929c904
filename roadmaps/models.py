"""Roadmaps (дорожные карты), their activities, and the quarterly reports on them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.calendar import academic_year_label, period_string, quarter_bounds, quarter_text
from core.jobs import Job
from core.transitions import TransitionRecord
from core.versions import Versioned

if TYPE_CHECKING:
    from .selectors.reported import ReportedActivity


class Direction(models.Model):
    code = models.SlugField(_("код"), max_length=32, unique=True)
    name = models.CharField(_("наименование"), max_length=255)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("направление")
        verbose_name_plural = _("направления")

    def __str__(self) -> str:
        return self.name


class ActivityType(models.Model):
    direction = models.ForeignKey(
        Direction, on_delete=models.PROTECT, related_name="activity_types", verbose_name=_("направление")
    )
    code = models.SlugField(_("код"), max_length=64, unique=True)
    name = models.CharField(_("наименование"), max_length=255)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)
    is_active = models.BooleanField(_("действует"), default=True)

    class Meta:
        ordering = ["direction__order", "order"]
        verbose_name = _("вид мероприятия")
        verbose_name_plural = _("виды мероприятий")
        constraints = [models.UniqueConstraint(fields=["direction", "name"], name="activity_type_unique_name")]

    def __str__(self) -> str:
        return self.name


class RoadmapStatus(models.TextChoices):
    DRAFT = "draft", _("черновик")
    SUBMITTED = "submitted", _("на согласовании")
    RETURNED = "returned", _("возвращена на доработку")
    APPROVED = "approved", _("утверждена")


class Roadmap(Versioned):
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="roadmaps", verbose_name=_("ОО")
    )
    academic_year = models.PositiveSmallIntegerField(_("учебный год (год начала)"))
    status = models.CharField(_("статус"), max_length=20, choices=RoadmapStatus.choices, default=RoadmapStatus.DRAFT)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    certified_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-academic_year", "school__name"]
        verbose_name = _("дорожная карта")
        verbose_name_plural = _("дорожные карты")
        constraints = [models.UniqueConstraint(fields=["school", "academic_year"], name="roadmap_one_per_year")]

    def __str__(self) -> str:
        return f"{self.school} — {self.academic_year_label}"

    @property
    def academic_year_label(self) -> str:
        return academic_year_label(self.academic_year)


class Activity(Versioned):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="activities")
    direction = models.ForeignKey(Direction, on_delete=models.PROTECT, verbose_name=_("направление"))
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("вид мероприятия")
    )
    title = models.CharField(_("мероприятие / форма проведения"), max_length=1000)
    form = models.CharField(_("форма проведения"), max_length=255, blank=True)
    starts_on = models.DateField(_("начало"), null=True, blank=True)
    due_on = models.DateField(_("срок"))
    # The deadline as the school wrote it when it is not one date («2020–2021 гг.», «март – май 2021»);
    # `due_on` then holds the quarter's last day, for ordering and the reporting windows only.
    due_text = models.CharField(_("срок (как указан)"), max_length=100, blank=True)
    responsible = models.CharField(_("ответственный"), max_length=255, blank=True)
    expected_result = models.TextField(_("ожидаемый результат"), blank=True)
    indicator = models.ForeignKey(
        "monitoring.Indicator", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("показатель")
    )
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["direction__order", "order", "due_on", "id"]
        verbose_name = _("мероприятие")
        verbose_name_plural = _("мероприятия")
        constraints = [
            models.CheckConstraint(
                name="activity_dates_ordered", condition=Q(starts_on__isnull=True) | Q(starts_on__lte=F("due_on"))
            )
        ]

    def __str__(self) -> str:
        return self.title


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("черновик")
    SUBMITTED = "submitted", _("на проверке")
    RETURNED = "returned", _("возвращён на доработку")
    APPROVED = "approved", _("утверждён")


class QuarterlyReport(Versioned):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField(_("год"))
    quarter = models.PositiveSmallIntegerField(_("квартал"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    status = models.CharField(_("статус"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    certified_at = models.DateTimeField(null=True, blank=True)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_edited_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("квартальный отчёт")
        verbose_name_plural = _("квартальные отчёты")
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "year", "quarter"], name="report_one_per_quarter"),
            models.CheckConstraint(name="report_quarter_range", condition=Q(quarter__gte=1, quarter__lte=4)),
        ]
        indexes = [models.Index(fields=["status", "year", "quarter"])]

    def __str__(self) -> str:
        return f"{self.roadmap.school} — {self.period_label}"

    @property
    def period_label(self) -> str:
        return quarter_text(self.year, self.quarter)

    @property
    def bounds(self) -> tuple[dt.date, dt.date]:
        return quarter_bounds(self.year, self.quarter)


class LineStatus(models.TextChoices):
    DONE = "done", _("выполнено")
    IN_PROGRESS = "in_progress", _("в работе")
    NOT_DONE = "not_done", _("не выполнено")
    POSTPONED = "postponed", _("перенесено")


class ActivityReport(models.Model):
    """One line of a quarterly report: what happened with one activity in that quarter."""

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="lines")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="report_lines")
    status = models.CharField(_("статус"), max_length=20, choices=LineStatus.choices, blank=True)
    started_on = models.DateField(_("дата начала"), null=True, blank=True)
    finished_on = models.DateField(_("дата окончания"), null=True, blank=True)
    result = models.TextField(_("результат"), blank=True)
    participants = models.PositiveIntegerField(_("участников"), null=True, blank=True)
    reason = models.TextField(_("причина невыполнения"), blank=True)
    reported_direction = models.ForeignKey(Direction, models.PROTECT, null=True, blank=True, related_name="+")
    reported_type = models.ForeignKey(ActivityType, models.PROTECT, null=True, blank=True, related_name="+")
    reported_title = models.CharField(_("мероприятие"), max_length=1000, blank=True)
    reported_starts_on = models.DateField(_("начало"), null=True, blank=True)
    reported_due_on = models.DateField(_("срок"), null=True, blank=True)
    reported_due_text = models.CharField(_("срок (как указан)"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity__direction__order", "activity__order", "activity_id"]
        verbose_name = _("строка отчёта")
        verbose_name_plural = _("строки отчёта")
        constraints = [
            models.UniqueConstraint(fields=["report", "activity"], name="report_line_unique"),
            models.CheckConstraint(
                name="line_dates_ordered",
                condition=Q(started_on__isnull=True)
                | Q(finished_on__isnull=True)
                | Q(finished_on__gte=F("started_on")),
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    @property
    def reported(self) -> ReportedActivity:
        """What the line reported against: its copy once submitted (roadmap edits leave it), else the activity."""
        from .selectors.reported import ReportedActivity  # selectors import the models

        return ReportedActivity(self)


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # The stored name never comes from the user: only the extension that the content check allowed.
    return f"evidence/{instance.line.report.roadmap.school_id}/{instance.line.report_id}/{instance.token}{instance.extension}"


class Evidence(models.Model):
    line = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="evidence")
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to=evidence_upload_to, max_length=500)
    extension = models.CharField(max_length=10)
    original_name = models.CharField(_("имя файла"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("подтверждающий документ")
        verbose_name_plural = _("подтверждающие документы")


class ReviewComment(models.Model):
    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="comments")
    line = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, null=True, blank=True, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The return (ReportTransition) the comment was written with: the director sees the latest round.
    transition = models.ForeignKey(
        "ReportTransition", on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    text = models.TextField(_("комментарий"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("замечание")
        verbose_name_plural = _("замечания")


class ReportTransition(TransitionRecord):
    """Audit trail of the workflow: who moved the report from which status to which, and why."""

    SUBJECT = "report"
    REFUSED = _("Нельзя %(action)s отчёт: он в статусе «%(status)s».")

    class Action(models.TextChoices):
        SUBMIT = "submit", _("отправить на проверку")
        RETURN = "return", _("вернуть на доработку")
        APPROVE = "approve", _("утвердить")
        CERTIFY = "certify", _("заверить")
        REOPEN = "reopen", _("открыть для исправления")
        IMPORT = "import", _("импортировать из книги Excel")
        UNCERTIFY = "uncertify", _("снять заверение")

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    action = models.CharField(max_length=20, choices=Action.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("переход статуса")
        verbose_name_plural = _("история статусов")


class QuarterDeadline(models.Model):
    """Reporting window of a quarter in a region: editable from the quarter's start until `deadline`."""

    region = models.ForeignKey("schools.Region", on_delete=models.PROTECT, related_name="quarter_deadlines")
    year = models.PositiveSmallIntegerField(_("год"))
    quarter = models.PositiveSmallIntegerField(_("квартал"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    deadline = models.DateField(_("срок сдачи отчёта"))

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("срок сдачи отчёта")
        verbose_name_plural = _("сроки сдачи отчётов")
        constraints = [models.UniqueConstraint(fields=["region", "year", "quarter"], name="deadline_unique")]


class RoadmapTransition(TransitionRecord):
    """Audit trail of a roadmap's approval workflow."""

    SUBJECT = "roadmap"
    REFUSED = _("Действие «%(action)s» недоступно: дорожная карта в статусе «%(status)s».")

    class Action(models.TextChoices):
        SUBMIT = "submit", _("отправить на согласование")
        RETURN = "return", _("вернуть на доработку")
        APPROVE = "approve", _("утвердить")
        CERTIFY = "certify", _("заверить")
        REOPEN = "reopen", _("открыть для изменений")

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="transitions")
    # Every roadmap move is made by a person.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=20, choices=RoadmapStatus.choices)
    to_status = models.CharField(max_length=20, choices=RoadmapStatus.choices)
    action = models.CharField(max_length=20, choices=Action.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("переход статуса дорожной карты")
        verbose_name_plural = _("история статусов дорожных карт")


class ReportReminder(models.Model):
    """A reminder e-mail already sent, so the daily job never sends the same one twice."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=[("week_before", _("за 7 дней")), ("deadline", _("в день срока"))])
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("напоминание о сроке отчёта")
        verbose_name_plural = _("напоминания о сроках отчётов")
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "quarter", "kind"], name="report_reminder_once")
        ]


def export_output_path(instance: ReportExportJob, filename: str) -> str:
    """Where an export's file goes: one name per job, so a run that takes over after its worker died
    overwrites what the dead run left, and a name nobody can derive without the secret key."""
    from django.utils.crypto import salted_hmac

    token = salted_hmac("roadmaps.report-export", str(instance.pk)).hexdigest()[:24]
    return f"exports/{instance.created_at:%Y/%m}/{instance.pk}-{token}.xlsx"


class ReportExportJob(Job):
    """An export of quarterly report lines to Excel, run as a background job.

    The row is the audit record of the export: who asked for which period, when, and what was written.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        RUNNING = "running", _("формируется")
        DONE = "done", _("готово")
        FAILED = "failed", _("не выполнено")

    LOST_MESSAGE = (
        "Выгрузка прервана: процесс обработки %(n)s раза завершался аварийно. Запросите выгрузку ещё раз; "
        "если ошибка повторится, сообщите администратору (выгрузка №%(id)s)."
    )

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="report_exports",
        verbose_name=_("пользователь"),
    )
    status = models.CharField(_("состояние"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    year_from = models.PositiveSmallIntegerField(_("с года"))
    quarter_from = models.PositiveSmallIntegerField(
        _("с квартала"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    year_to = models.PositiveSmallIntegerField(_("по год"))
    quarter_to = models.PositiveSmallIntegerField(
        _("по квартал"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    file = models.FileField(_("файл"), upload_to=export_output_path, max_length=255, blank=True)
    line_count = models.PositiveIntegerField(_("строк"), default=0)
    size = models.PositiveBigIntegerField(_("размер, байт"), default=0)
    created_at = models.DateTimeField(_("запрошена"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("выгрузка отчётов ОО в Excel")
        verbose_name_plural = _("выгрузки отчётов ОО в Excel")
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"Выгрузка №{self.pk}: {self.period_label}"

    @property
    def period_label(self) -> str:
        start = f"{self.quarter_from} кв. {self.year_from} г."
        if (self.year_from, self.quarter_from) == (self.year_to, self.quarter_to):
            return start
        return f"{start} — {self.quarter_to} кв. {self.year_to} г."

    @property
    def filename(self) -> str:
        return f"otchety-oo-{period_string(self.year_from, self.quarter_from)}-{period_string(self.year_to, self.quarter_to)}.xlsx"
