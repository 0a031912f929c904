from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark tools (`manage.py bench`, `manage.py make_synthetic`); no models."""

    name = "bench"
    verbose_name = "Замеры"
