"""What the core writes: the web workbook import and the import template as jobs (`imports`)."""

from .imports import (
    import_job_check,
    import_job_confirm,
    import_job_create,
    import_job_run,
    template_build,
    template_job_build,
    template_job_create,
    validate_upload,
)

__all__ = [
    "import_job_check",
    "import_job_confirm",
    "import_job_create",
    "import_job_run",
    "template_build",
    "template_job_build",
    "template_job_create",
    "validate_upload",
]
