from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared core: users and roles, numbers, forms, the workbook framework.

    The label stays «portal», as before the split: the User model (`AUTH_USER_MODEL = "portal.User"`),
    the tables, migrations, content types and history tables keep their names.
    """

    name = "core"
    label = "portal"
    verbose_name = "Портал"
