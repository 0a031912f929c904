from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Организации"

    def ready(self) -> None:
        from core.organisations import register

        from .selectors import ScopedOrganisations

        register(ScopedOrganisations())
