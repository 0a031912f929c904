"""Who may use the core's own pages: the web workbook import and the import template."""

from __future__ import annotations

from .models import Role, User
from .scope import has_role

IMPORT_ROLES = (Role.ADMIN, Role.COORDINATOR)
TEMPLATE_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.METHODIST)


def can_import(user: User) -> bool:
    return has_role(user, *IMPORT_ROLES)


def can_download_template(user: User) -> bool:
    return has_role(user, *TEMPLATE_ROLES)
