"""Fixtures of the hardening tests: the roadmaps' current-quarter report is reused for upload checks."""

from tests.roadmaps.conftest import quarter, report, roadmap  # noqa: F401 — fixtures
