"""Stored administrative-check status and similar-proposal list.

``AdminCheck.status`` (the automatic results with the overrides applied) is filled for
existing rows from their ``automatic`` and ``overrides``; the similar-proposal lists start
empty and are computed when the secretariat runs the check or recomputes similarity.
"""

from django.db import migrations, models


def _status(automatic, overrides):
    """Mirror of prima.kipp.domain.admin_check.status_from at the time of this migration."""
    if not automatic:
        return "pending"
    overridden = {item.get("rule") for item in overrides or []}
    failed = warned = False
    for row in automatic:
        if row.get("rule") in overridden:
            continue
        failed |= not row.get("passed")
        warned |= bool(row.get("warning"))
    if failed:
        return "failed"
    return "warning" if warned else "passed"


def fill_statuses(apps, schema_editor):
    AdminCheck = apps.get_model("kipp", "AdminCheck")
    changed = []
    for check in AdminCheck.objects.only("pk", "automatic", "overrides").iterator(chunk_size=1000):
        check.status = _status(check.automatic, check.overrides)
        if check.status != "pending":
            changed.append(check)
    AdminCheck.objects.bulk_update(changed, ["status"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("kipp", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="admincheck",
            name="similar",
            field=models.JSONField(blank=True, default=list, verbose_name="proposal mirip"),
        ),
        migrations.AddField(
            model_name="admincheck",
            name="similar_computed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="admincheck",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Belum diperiksa"),
                    ("passed", "Semua terpenuhi"),
                    ("warning", "Ada peringatan"),
                    ("failed", "Ada yang gagal"),
                ],
                default="pending",
                max_length=10,
                verbose_name="hasil otomatis",
            ),
        ),
        migrations.AddIndex(
            model_name="admincheck",
            index=models.Index(fields=["status"], name="admincheck_status"),
        ),
        # Reversing drops the column, so there is nothing to undo.
        migrations.RunPython(fill_statuses, migrations.RunPython.noop),
    ]
