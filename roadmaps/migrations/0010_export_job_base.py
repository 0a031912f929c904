"""ReportExportJob on the job base (core.jobs.Job): who requested it, claims, progress, queue time."""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def queued_when_created(apps, schema_editor):
    ReportExportJob = apps.get_model("roadmaps", "ReportExportJob")
    ReportExportJob.objects.update(queued_at=models.F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('roadmaps', '0009_transition_action_choices'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='reportexportjob',
            name='roadmaps_re_user_id_e62fca_idx',
        ),
        migrations.RenameField(
            model_name='historicalreportexportjob',
            old_name='user',
            new_name='requested_by',
        ),
        migrations.RenameField(
            model_name='reportexportjob',
            old_name='user',
            new_name='requested_by',
        ),
        migrations.AddField(
            model_name='historicalreportexportjob',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='попыток выполнения'),
        ),
        migrations.AddField(
            model_name='historicalreportexportjob',
            name='progress_done',
            field=models.PositiveIntegerField(default=0, verbose_name='выполнено'),
        ),
        migrations.AddField(
            model_name='historicalreportexportjob',
            name='progress_total',
            field=models.PositiveIntegerField(default=0, verbose_name='всего'),
        ),
        migrations.AddField(
            model_name='historicalreportexportjob',
            name='queued_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='поставлено в очередь'),
        ),
        migrations.AddField(
            model_name='historicalreportexportjob',
            name='started_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='начато'),
        ),
        migrations.AddField(
            model_name='historicalreportexportjob',
            name='task_id',
            field=models.CharField(blank=True, max_length=64, verbose_name='задача Celery'),
        ),
        migrations.AddField(
            model_name='reportexportjob',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='попыток выполнения'),
        ),
        migrations.AddField(
            model_name='reportexportjob',
            name='progress_done',
            field=models.PositiveIntegerField(default=0, verbose_name='выполнено'),
        ),
        migrations.AddField(
            model_name='reportexportjob',
            name='progress_total',
            field=models.PositiveIntegerField(default=0, verbose_name='всего'),
        ),
        migrations.AddField(
            model_name='reportexportjob',
            name='queued_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='поставлено в очередь'),
        ),
        migrations.AddField(
            model_name='reportexportjob',
            name='started_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='начато'),
        ),
        migrations.AddField(
            model_name='reportexportjob',
            name='task_id',
            field=models.CharField(blank=True, max_length=64, verbose_name='задача Celery'),
        ),
        migrations.AlterField(
            model_name='historicalreportexportjob',
            name='finished_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='завершено'),
        ),
        migrations.AlterField(
            model_name='reportexportjob',
            name='finished_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='завершено'),
        ),
        migrations.AddIndex(
            model_name='reportexportjob',
            index=models.Index(fields=['requested_by', '-created_at'], name='roadmaps_re_request_234558_idx'),
        ),
        migrations.RunPython(queued_when_created, migrations.RunPython.noop),
    ]
