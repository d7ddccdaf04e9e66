"""Long operations (imports, solver runs, automatic checks, bulk documents) as tracked jobs.

A `Job` is the user-facing record of a background task: who started it, how far it is
and what came out. The task itself runs on django-tasks (DESIGN.md §2); the job row is
what the progress bar polls.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Berjalan")
    SUCCEEDED = "succeeded", _("Selesai")
    FAILED = "failed", _("Gagal")


class Job(models.Model):
    # Dotted name of the registered job kind, e.g. "kipp.admin_check.run_automatic".
    kind = models.CharField(_("jenis"), max_length=80, db_index=True)
    title = models.CharField(_("judul"), max_length=200)
    state = models.CharField(
        _("status"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dimulai oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Arguments the job kind needs (plain JSON values; ids, codes).
    params = models.JSONField(default=dict, blank=True)
    done = models.PositiveIntegerField(_("selesai"), default=0)
    total = models.PositiveIntegerField(_("jumlah"), null=True, blank=True)
    message = models.CharField(_("keterangan"), max_length=250, blank=True)
    # What the job produced: counts, ids, and an optional link to follow (`url`).
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(_("galat"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pekerjaan latar")
        verbose_name_plural = _("pekerjaan latar")
        indexes = [models.Index(fields=["started_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)
