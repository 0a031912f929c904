"""Organisations (region → municipality → school), the registry of supported schools, risk profiles,
causes of low results, curators and partner leader schools."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.calendar import academic_year_label


class ArchivableQuerySet(models.QuerySet):
    def active(self) -> ArchivableQuerySet:
        """Leave out what is archived: lists, selects and new work offer only these."""
        return self.filter(**{f"{path}is_archived": False for path in self.model.ARCHIVE_PATHS})


class Archivable(models.Model):
    """An organisation is archived, never deleted: its history (reports, references) refers to it.

    Archived, it disappears from lists, selects and new work (`.active()`), while the pages of its
    history still open. `ARCHIVE_PATHS`: the organisations whose archiving hides this one too.
    """

    ARCHIVE_PATHS: tuple[str, ...] = ("",)

    is_archived = models.BooleanField(_("в архиве"), default=False)
    archived_at = models.DateTimeField(_("в архиве с"), null=True, blank=True)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        abstract = True


class Territory(Archivable):
    """A region or a municipality: its code and name and the education authority that speaks for it
    (a reference prints the authority, its head and requisites of the territory it covers)."""

    code = models.CharField(_("код"), max_length=32, unique=True)
    name = models.CharField(_("наименование"), max_length=255)
    authority = models.CharField(_("орган управления образованием"), max_length=500, blank=True)
    head_name = models.CharField(_("руководитель"), max_length=255, blank=True)
    head_position = models.CharField(_("должность руководителя"), max_length=255, blank=True)
    requisites = models.TextField(_("реквизиты (адрес, телефон, e-mail)"), blank=True)
    methodical_service = models.CharField(
        _("методическая служба (в родительном падеже)"),
        max_length=500,
        blank=True,
        help_text=_(
            "Как в справке: «методистами Белгородского ММЦ ОГАОУ ДПО «БелИРО»» — впишите часть после «методистами»."
        ),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Region(Territory):
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("регион")
        verbose_name_plural = _("регионы")


class Municipality(Territory):
    ARCHIVE_PATHS = ("", "region__")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("регион")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("муниципалитет")
        verbose_name_plural = _("муниципалитеты")


class School(Archivable):
    ARCHIVE_PATHS = ("", "municipality__", "municipality__region__")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="schools", verbose_name=_("муниципалитет")
    )
    code = models.CharField(_("код ОО"), max_length=32, unique=True)
    name = models.CharField(_("наименование"), max_length=500)
    kind = models.CharField(_("тип"), max_length=100, blank=True, help_text=_("СОШ, ООШ, НОШ, лицей…"))
    director_name = models.CharField(_("директор"), max_length=255, blank=True)
    teachers_count = models.PositiveIntegerField(_("педагогов"), default=0)
    pupils_count = models.PositiveIntegerField(_("обучающихся"), default=0)
    is_leader = models.BooleanField(_("школа-лидер"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("общеобразовательная организация")
        verbose_name_plural = _("общеобразовательные организации")
        indexes = [models.Index(fields=["municipality", "name"])]

    def __str__(self) -> str:
        return self.name


class Category(models.TextChoices):
    SHNOR = "shnor", _("ШНОР")
    SHFNSU = "shfnsu", _("ШФНСУ")


class RegistryEntry(models.Model):
    """A school's inclusion in the programme for one academic year."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="registry_entries", verbose_name=_("ОО"))
    academic_year = models.PositiveSmallIntegerField(
        _("учебный год (год начала)"), validators=[MinValueValidator(2000)]
    )
    category = models.CharField(_("категория"), max_length=10, choices=Category.choices)
    basis = models.TextField(_("основание включения"), blank=True)
    included_on = models.DateField(_("дата включения"))
    excluded_on = models.DateField(_("дата исключения"), null=True, blank=True)
    exclusion_reason = models.TextField(_("обоснование исключения"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-academic_year", "school__name"]
        verbose_name = _("запись реестра")
        verbose_name_plural = _("реестр ШНОР/ШФНСУ")
        constraints = [
            models.UniqueConstraint(fields=["school", "academic_year"], name="registry_one_entry_per_year"),
            models.CheckConstraint(
                name="registry_excluded_after_included",
                condition=Q(excluded_on__isnull=True) | Q(excluded_on__gte=F("included_on")),
            ),
            models.CheckConstraint(
                name="registry_exclusion_needs_reason",
                condition=Q(excluded_on__isnull=True) | ~Q(exclusion_reason=""),
            ),
        ]
        indexes = [models.Index(fields=["included_on", "excluded_on"])]

    def __str__(self) -> str:
        return f"{self.school} — {self.academic_year_label} ({self.get_category_display()})"

    @property
    def academic_year_label(self) -> str:
        return academic_year_label(self.academic_year)


class CuratorAssignment(models.Model):
    """A curator assigned to a school. `user` is set when the curator has an account; curators
    from paper records keep only their full name."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="curator_assignments", verbose_name=_("ОО")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="curated_schools",
        verbose_name=_("пользователь-куратор"),
    )
    full_name = models.CharField(_("ФИО куратора"), max_length=255)
    assigned_on = models.DateField(_("назначен с"))
    unassigned_on = models.DateField(_("снят с"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assigned_on"]
        verbose_name = _("куратор ОО")
        verbose_name_plural = _("кураторы ОО")
        constraints = [
            models.CheckConstraint(
                name="curator_unassigned_after_assigned",
                condition=Q(unassigned_on__isnull=True) | Q(unassigned_on__gte=F("assigned_on")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} → {self.school}"


class PartnerAssignment(models.Model):
    """Network interaction (сетевое взаимодействие): a leader/mentor school paired with a school."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="partner_assignments", verbose_name=_("ОО")
    )
    leader = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="mentored_assignments", verbose_name=_("школа-наставник")
    )
    date_from = models.DateField(_("с"))
    date_to = models.DateField(_("по"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date_from"]
        verbose_name = _("школа-наставник")
        verbose_name_plural = _("сетевое взаимодействие")
        constraints = [
            models.CheckConstraint(name="partner_not_self", condition=~Q(school=F("leader"))),
            models.CheckConstraint(
                name="partner_dates_ordered", condition=Q(date_to__isnull=True) | Q(date_to__gte=F("date_from"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader} → {self.school}"


class RiskLevel(models.TextChoices):
    HIGH = "high", _("высокий")
    MEDIUM = "medium", _("средний")
    LOW = "low", _("низкий")


class RiskFactor(models.Model):
    """A factor of the risk-profile catalogue; the catalogue is versioned by year."""

    version = models.PositiveSmallIntegerField(_("версия (год)"))
    code = models.CharField(_("код"), max_length=64)
    name = models.CharField(_("наименование"), max_length=500)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("фактор риска")
        verbose_name_plural = _("факторы риска")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="risk_factor_unique_code")]

    def __str__(self) -> str:
        return self.name


class RiskProfileEntry(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="risk_profile", verbose_name=_("ОО"))
    year = models.PositiveSmallIntegerField(_("год"))
    factor = models.ForeignKey(RiskFactor, on_delete=models.PROTECT, verbose_name=_("фактор риска"))
    level = models.CharField(_("уровень"), max_length=10, choices=RiskLevel.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "factor__order"]
        verbose_name = _("уровень риска")
        verbose_name_plural = _("рисковый профиль")
        constraints = [models.UniqueConstraint(fields=["school", "year", "factor"], name="risk_profile_unique")]


class LowResultCause(models.Model):
    """A cause of low results recorded for a school in a year (the municipal registry of causes)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="low_result_causes", verbose_name=_("ОО"))
    year = models.PositiveSmallIntegerField(_("год"))
    description = models.TextField(_("причина"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("причина низких результатов")
        verbose_name_plural = _("причины низких результатов")
