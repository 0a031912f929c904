"""Helpers shared by the monitoring views."""

from __future__ import annotations

PAGE_SIZE = 50
