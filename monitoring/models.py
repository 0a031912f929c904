"""Indicators, monitoring campaigns and their values, methodical visits, assessment results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.calendar import date_text


class IndicatorKind(models.TextChoices):
    COUNT = "count", _("количество")
    RATIO = "ratio", _("доля (числитель из знаменателя)")
    AVERAGE = "average", _("средний балл")


class Indicator(models.Model):
    code = models.SlugField(_("код"), max_length=64, unique=True)
    name = models.CharField(_("наименование"), max_length=500)
    kind = models.CharField(_("вид"), max_length=10, choices=IndicatorKind.choices)
    unit = models.CharField(_("единица измерения"), max_length=50, blank=True)
    # For ratios: what the denominator defaults to when the school does not give one.
    denominator_default = models.CharField(
        _("знаменатель по умолчанию"),
        max_length=20,
        blank=True,
        choices=[("teachers", _("число педагогов ОО")), ("pupils", _("число обучающихся ОО"))],
    )
    entered_by = models.CharField(
        _("кто вносит"),
        max_length=20,
        default="director",
        choices=[("director", _("директор ОО")), ("methodist", _("методист"))],
    )
    # For averages: the assessment whose scale bounds the value (ВПР/ОГЭ/ГВЭ 2–5, ЕГЭ 0–100).
    procedure = models.CharField(
        _("оценочная процедура"),
        max_length=5,
        blank=True,
        choices=[("vpr", "ВПР"), ("oge", "ОГЭ"), ("ege", "ЕГЭ"), ("gve", "ГВЭ")],
        help_text=_("Только для показателей вида «средний балл»: задаёт допустимую шкалу."),
    )
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)
    is_active = models.BooleanField(_("действует"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("показатель")
        verbose_name_plural = _("показатели")

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    """A monitoring round: which indicators schools report for which period, by when."""

    name = models.CharField(_("название"), max_length=500)
    region = models.ForeignKey("schools.Region", on_delete=models.PROTECT, related_name="campaigns")
    municipality = models.ForeignKey(
        "schools.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="campaigns"
    )
    period_from = models.DateField(_("период с"))
    period_to = models.DateField(_("период по"))
    deadline = models.DateField(_("срок внесения"))
    indicators = models.ManyToManyField(Indicator, verbose_name=_("показатели"))
    schools = models.ManyToManyField("schools.School", verbose_name=_("ОО"), related_name="campaigns")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_to", "name"]
        verbose_name = _("мониторинг")
        verbose_name_plural = _("мониторинги")
        constraints = [
            models.CheckConstraint(name="campaign_period_ordered", condition=Q(period_to__gte=F("period_from")))
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="indicator_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    campaign = models.ForeignKey(Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="values")
    period_from = models.DateField(_("период с"))
    period_to = models.DateField(_("период по"))
    value = models.DecimalField(_("значение"), max_digits=12, decimal_places=2)
    denominator = models.PositiveIntegerField(_("из"), null=True, blank=True)
    comment = models.TextField(_("комментарий"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__order", "-period_to"]
        verbose_name = _("значение показателя")
        verbose_name_plural = _("значения показателей")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "indicator", "period_from", "period_to"], name="indicator_value_unique"
            ),
            models.CheckConstraint(name="indicator_value_non_negative", condition=Q(value__gte=0)),
            models.CheckConstraint(
                name="indicator_value_within_denominator",
                condition=Q(denominator__isnull=True) | Q(value__lte=F("denominator")),
            ),
            models.CheckConstraint(name="indicator_value_period_ordered", condition=Q(period_to__gte=F("period_from"))),
        ]


class MethodicalVisit(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="visits")
    date = models.DateField(_("дата посещения"))
    visitors = models.CharField(_("кто посетил"), max_length=1000)
    purpose = models.TextField(_("цель"))
    outcome = models.TextField(_("результат"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("методическое посещение")
        verbose_name_plural = _("методические посещения")
        indexes = [models.Index(fields=["school", "date"])]


class Procedure(models.TextChoices):
    VPR = "vpr", _("ВПР")
    OGE = "oge", _("ОГЭ")
    EGE = "ege", _("ЕГЭ")
    GVE = "gve", _("ГВЭ")


class AssessmentResult(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="assessment_results")
    year = models.PositiveSmallIntegerField(_("год"))
    procedure = models.CharField(_("процедура"), max_length=5, choices=Procedure.choices)
    subject = models.CharField(_("предмет"), max_length=100)
    average = models.DecimalField(_("средний балл"), max_digits=6, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["procedure", "subject", "year"]
        verbose_name = _("результат оценочной процедуры")
        verbose_name_plural = _("результаты оценочных процедур")
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "procedure", "subject"], name="assessment_unique"),
            models.CheckConstraint(name="assessment_average_non_negative", condition=Q(average__gte=0)),
        ]


class ScopeKind(models.TextChoices):
    REGION = "region", _("регион")
    MUNICIPALITY = "municipality", _("муниципалитет")


class CoverageSnapshot(models.Model):
    """Coverage tables of a scope and period, computed by a task and read by pages and references.

    `fingerprint` summarises the data the tables depend on when they were computed; a snapshot
    whose fingerprint differs from the current one is stale.
    """

    scope_kind = models.CharField(_("вид территории"), max_length=20, choices=ScopeKind.choices)
    scope_code = models.CharField(_("код территории"), max_length=32)
    date_from = models.DateField(_("период с"))
    date_to = models.DateField(_("период по"))
    computed_at = models.DateTimeField(_("рассчитано"))
    fingerprint = models.CharField(_("версия данных"), max_length=500, blank=True)
    data = models.JSONField(_("таблицы"), default=dict)

    class Meta:
        ordering = ["-computed_at"]
        verbose_name = _("снимок охвата")
        verbose_name_plural = _("снимки охвата")
        constraints = [
            models.UniqueConstraint(
                fields=["scope_kind", "scope_code", "date_from", "date_to"], name="coverage_snapshot_unique"
            ),
            models.CheckConstraint(name="coverage_snapshot_period_ordered", condition=Q(date_to__gte=F("date_from"))),
        ]

    def __str__(self) -> str:
        return f"{self.scope_kind}:{self.scope_code} {date_text(self.date_from)}–{date_text(self.date_to)}"
