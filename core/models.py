"""Accounts and roles: a user holds one or more memberships, each a role within a scope."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .jobs import Job


class User(AbstractUser):
    middle_name = models.CharField(_("отчество"), max_length=150, blank=True)
    position = models.CharField(_("должность"), max_length=255, blank=True)
    phone = models.CharField(_("телефон"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")

    @property
    def full_name(self) -> str:
        """Фамилия Имя Отчество, or the login when no name is set."""
        parts = [self.last_name, self.first_name, self.middle_name]
        return " ".join(p for p in parts if p) or self.username

    @property
    def short_name(self) -> str:
        """Initials then surname, as officials sign: «О.Г. Викульева»."""
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{initials} {self.last_name}".strip() or self.username

    @property
    def greeting_name(self) -> str:
        """How the home page addresses the user: «Юлия Валерьевна»; «О.Г. Викульева» when only initials
        are known (a bare «О. Г.» reads as a typo); the login when there is no name at all."""
        if len(self.first_name.rstrip(".")) > 1:
            return " ".join(p for p in (self.first_name, self.middle_name) if p)
        if self.last_name:
            return self.short_name
        return self.first_name or self.username

    def __str__(self) -> str:
        return self.full_name


class Role(models.TextChoices):
    DIRECTOR = "director", _("Директор ОО")
    CURATOR = "curator", _("Куратор")
    METHODIST = "methodist", _("Методист")
    HEAD = "head", _("Руководитель органа управления образованием")
    COORDINATOR = "coordinator", _("Региональный координатор")
    ADMIN = "admin", _("Администратор")


class Membership(models.Model):
    """One role of a user within one scope (a school, a municipality, a region, or everything).

    Curators have no fixed scope here: the schools they see are their curator assignments.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("пользователь"))
    role = models.CharField(_("роль"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "schools.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("регион")
    )
    municipality = models.ForeignKey(
        "schools.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("муниципалитет"),
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ОО")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("роль пользователя")
        verbose_name_plural = _("роли пользователей")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(role="director", school__isnull=False, municipality__isnull=True, region__isnull=True)
                    | Q(role="curator", school__isnull=True)
                    | Q(role="methodist", municipality__isnull=False, school__isnull=True, region__isnull=True)
                    | Q(role="head", school__isnull=True)
                    & (
                        Q(municipality__isnull=False, region__isnull=True)
                        | Q(municipality__isnull=True, region__isnull=False)
                    )
                    | Q(role="coordinator", region__isnull=False, municipality__isnull=True, school__isnull=True)
                    | Q(role="admin", region__isnull=True, municipality__isnull=True, school__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.school or self.municipality or self.region or _("все")
        return f"{self.get_role_display()}: {scope}"

    @property
    def scope_label(self) -> str:
        if self.role == Role.CURATOR:
            return str(_("закреплённые ОО"))
        return str(self.school or self.municipality or self.region or _("все организации"))


def _import_upload_path(instance: ImportJob, filename: str) -> str:
    """Uploaded workbooks live under MEDIA_ROOT/imports/ (never served) with an unguessable name."""
    import uuid

    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.xlsx"


def _export_output_path(instance: ImportJob, filename: str) -> str:
    import uuid

    return f"exports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.xlsx"


class ImportJob(Job):
    """A web workbook import (upload → check → confirm → import) or a template build, as a job.

    The row is the audit record of the import: who, when, which file, what it found and did.
    """

    class Kind(models.TextChoices):
        IMPORT = "import", _("импорт книги Excel")
        TEMPLATE = "template", _("шаблон Excel")

    class Status(models.TextChoices):
        QUEUED = "queued", _("в очереди на проверку")
        CHECKING = "checking", _("проверка файла")
        CHECKED = "checked", _("проверен, ожидает подтверждения")
        INVALID = "invalid", _("найдены ошибки")
        IMPORT_QUEUED = "import_queued", _("в очереди на импорт")
        IMPORTING = "importing", _("импорт выполняется")
        DONE = "done", _("выполнено")
        FAILED = "failed", _("не выполнено")

    # Two runs, each claimed by its own task: the check (queued → checking) and the import (import_queued →
    # importing); the user confirms in between.
    WAITING = (Status.QUEUED, Status.IMPORT_QUEUED)
    RUNNING = (Status.CHECKING, Status.IMPORTING)
    RUNNING_STATUS = Status.IMPORTING
    BADGES = {"done": "success", "checked": "primary", "invalid": "danger", "failed": "danger"}
    LOST_MESSAGE = (
        "Задание прервано: процесс обработки %(n)s раза завершался аварийно. Ничего не записано. "
        "Повторите загрузку книги; если ошибка повторится, сообщите администратору (задание №%(id)s)."
    )

    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices, default=Kind.IMPORT)
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="import_jobs", verbose_name=_("пользователь")
    )
    status = models.CharField(_("состояние"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(_("файл"), upload_to=_import_upload_path, max_length=255, blank=True)
    original_name = models.CharField(_("имя файла"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("размер, байт"), default=0)
    output = models.FileField(_("результат"), upload_to=_export_output_path, max_length=255, blank=True)
    municipality = models.ForeignKey(
        "schools.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("муниципалитет"),
    )
    preview = models.JSONField(_("результат проверки"), default=dict, blank=True)
    result = models.JSONField(_("результат импорта"), default=dict, blank=True)
    created_count = models.PositiveIntegerField(_("создано"), default=0)
    updated_count = models.PositiveIntegerField(_("изменено"), default=0)
    error_count = models.PositiveIntegerField(_("ошибок"), default=0)
    created_at = models.DateTimeField(_("загружен"), auto_now_add=True)
    checked_at = models.DateTimeField(_("проверен"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("подтверждён"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["preview", "result"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("импорт книги Excel")
        verbose_name_plural = _("импорт книг Excel")
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} №{self.pk}: {self.original_name}"

    def extra_state(self) -> dict[str, Any]:
        return {"errors": self.error_count, "created": self.created_count, "updated": self.updated_count}
