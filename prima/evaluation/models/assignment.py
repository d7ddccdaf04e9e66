"""Solver runs, live assignments and pins (kipp.md §10.1; OpenReview-style runs)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prima.evaluation.enums import PinKind, RunStatus
from prima.evaluation.models.edition import Stage
from prima.evaluation.models.people import Appointment
from prima.evaluation.models.subject import Subject


class AssignmentRun(models.Model):
    """One solver run: its parameters, outcome and pairs; at most one run is deployed."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="runs")
    label = models.CharField(_("label"), max_length=120)
    parameters = models.JSONField(default=dict)
    status = models.CharField(_("hasil"), max_length=10, choices=RunStatus.choices)
    objective = models.FloatField(_("total afinitas"), null=True, blank=True)
    diagnosis = models.JSONField(default=list, blank=True)
    # [[subject_id, appointment_id, affinity], ...] in subject order.
    pairs = models.JSONField(default=list, blank=True)
    subject_count = models.PositiveIntegerField(default=0)
    assessor_count = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    deployed_at = models.DateTimeField(_("diterapkan"), null=True, blank=True)
    deployed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proses penugasan")
        verbose_name_plural = _("proses penugasan")

    def __str__(self) -> str:
        return self.label


class Assignment(models.Model):
    """A live subject × assessor pair of a stage, deployed from a run or made by hand."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="assignments")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="assignments")
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, related_name="assignments"
    )
    run = models.ForeignKey(
        AssignmentRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    affinity = models.FloatField(default=0)
    # The secretariat may excuse a review (e.g. an evaluator fell ill); excused reviews do
    # not block closing the stage.
    is_excused = models.BooleanField(_("dibebaskan"), default=False)
    excuse_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stage", "subject", "appointment"]
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "subject", "appointment"], name="assignment_unique"
            )
        ]
        indexes = [models.Index(fields=["stage", "appointment"])]

    def __str__(self) -> str:
        return f"{self.subject} ← {self.appointment.person}"


class Pin(models.Model):
    """`force` keeps a pair in every run; `forbid` keeps it out. Pins survive re-runs."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="pins")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="pins")
    kind = models.CharField(_("jenis"), max_length=6, choices=PinKind.choices)
    reason = models.CharField(_("alasan"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stage", "id"]
        verbose_name = _("pin penugasan")
        verbose_name_plural = _("pin penugasan")
        constraints = [
            models.UniqueConstraint(fields=["stage", "subject", "appointment"], name="pin_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject} ← {self.appointment.person}"
