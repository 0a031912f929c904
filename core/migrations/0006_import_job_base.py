"""ImportJob on the job base (core.jobs.Job): who requested it (renamed from user), queue time, progress."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models.functions import Coalesce


def queued_when_created_or_confirmed(apps, schema_editor):
    ImportJob = apps.get_model("portal", "ImportJob")
    ImportJob.objects.update(queued_at=Coalesce("confirmed_at", "created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0005_membership_protect'),
        ('schools', '0002_risk_factors'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='importjob',
            name='portal_impo_user_id_4cab4b_idx',
        ),
        migrations.RenameField(
            model_name='historicalimportjob',
            old_name='user',
            new_name='requested_by',
        ),
        migrations.RenameField(
            model_name='importjob',
            old_name='user',
            new_name='requested_by',
        ),
        migrations.AddField(
            model_name='historicalimportjob',
            name='progress_done',
            field=models.PositiveIntegerField(default=0, verbose_name='выполнено'),
        ),
        migrations.AddField(
            model_name='historicalimportjob',
            name='progress_total',
            field=models.PositiveIntegerField(default=0, verbose_name='всего'),
        ),
        migrations.AddField(
            model_name='historicalimportjob',
            name='queued_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='поставлено в очередь'),
        ),
        migrations.AddField(
            model_name='historicalimportjob',
            name='started_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='начато'),
        ),
        migrations.AddField(
            model_name='importjob',
            name='progress_done',
            field=models.PositiveIntegerField(default=0, verbose_name='выполнено'),
        ),
        migrations.AddField(
            model_name='importjob',
            name='progress_total',
            field=models.PositiveIntegerField(default=0, verbose_name='всего'),
        ),
        migrations.AddField(
            model_name='importjob',
            name='queued_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='поставлено в очередь'),
        ),
        migrations.AddField(
            model_name='importjob',
            name='started_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='начато'),
        ),
        migrations.AlterField(
            model_name='historicalimportjob',
            name='finished_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='завершено'),
        ),
        migrations.AlterField(
            model_name='importjob',
            name='finished_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='завершено'),
        ),
        migrations.AddIndex(
            model_name='importjob',
            index=models.Index(fields=['requested_by', '-created_at'], name='portal_impo_request_c648f1_idx'),
        ),
        migrations.RunPython(queued_when_created_or_confirmed, migrations.RunPython.noop),
    ]
