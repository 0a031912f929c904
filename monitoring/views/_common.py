"""Helpers shared by the monitoring views."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

PAGE_SIZE = 50


def form_error(form: Any, exc: ValidationError) -> None:
    """Show a service's validation messages at the top of the form."""
    for message in exc.messages:
        form.add_error(None, message)
