"""RenderJob on the job base: progress as done/total, who requested it, the common field types.

Who requested the existing renders is filled in by the next migration: on PostgreSQL, rows must not be
updated in the transaction that still has to create the new foreign key's index."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0006_transition_action_choices'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The job base (core.jobs.Job) counts progress as done/total: the render's steps keep their values.
        migrations.RenameField(model_name='renderjob', old_name='step', new_name='progress_done'),
        migrations.RenameField(model_name='renderjob', old_name='steps', new_name='progress_total'),
        migrations.AlterField(
            model_name='renderjob',
            name='progress_done',
            field=models.PositiveIntegerField(default=0, verbose_name='выполнено'),
        ),
        migrations.AlterField(
            model_name='renderjob',
            name='progress_total',
            field=models.PositiveIntegerField(default=0, verbose_name='всего'),
        ),
        migrations.AddField(
            model_name='renderjob',
            name='requested_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='пользователь'),
        ),
        migrations.AlterField(
            model_name='renderjob',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='попыток выполнения'),
        ),
        migrations.AlterField(
            model_name='renderjob',
            name='finished_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='завершено'),
        ),
        migrations.AlterField(
            model_name='renderjob',
            name='message',
            field=models.TextField(blank=True, verbose_name='сообщение'),
        ),
        migrations.AlterField(
            model_name='renderjob',
            name='queued_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='поставлено в очередь'),
        ),
        migrations.AlterField(
            model_name='renderjob',
            name='started_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='начато'),
        ),
        migrations.AlterField(
            model_name='renderjob',
            name='status',
            field=models.CharField(choices=[('queued', 'в очереди'), ('running', 'формируется'), ('done', 'готово'), ('failed', 'ошибка')], default='queued', max_length=20, verbose_name='состояние'),
        ),
        migrations.AlterField(
            model_name='renderjob',
            name='task_id',
            field=models.CharField(blank=True, max_length=64, verbose_name='задача Celery'),
        ),
    ]
