from django.apps import AppConfig


class CoverageConfig(AppConfig):
    """Coverage of the programme's schools, computed across roadmaps and monitoring.

    Its own app so that the dependency runs one way: coverage imports roadmaps and monitoring, and
    neither imports coverage. The stored snapshot stays `monitoring.CoverageSnapshot` (its table and
    migrations are monitoring's).
    """

    name = "coverage"
    verbose_name = "Охват"
