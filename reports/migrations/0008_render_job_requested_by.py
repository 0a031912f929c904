"""Who requested the existing renders: whoever generated their version."""

from django.db import migrations


def requested_by_from_version(apps, schema_editor):
    """A render is requested by whoever generated its version."""
    RenderJob = apps.get_model("reports", "RenderJob")
    for job in RenderJob.objects.filter(version__created_by__isnull=False).select_related("version"):
        RenderJob.objects.filter(pk=job.pk).update(requested_by_id=job.version.created_by_id)


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_render_job_base")]

    operations = [migrations.RunPython(requested_by_from_version, migrations.RunPython.noop)]
