from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared core: users and roles, numbers, forms, the workbook framework, the registries.

    The label stays «portal», as before the split: the User model (`AUTH_USER_MODEL = "portal.User"`),
    the tables, migrations, content types and history tables keep their names.
    """

    name = "core"
    label = "portal"
    verbose_name = "Портал"

    def ready(self) -> None:
        # Ids beyond the database's integer range find nothing (core/lookups.py).
        from . import lookups

        lookups.register()
        # Every app's dashboard, navigation, school_card, importers and demo modules: an import error
        # in one of them stops the start-up here instead of silently dropping its contribution.
        from .registry import autodiscover

        autodiscover()
