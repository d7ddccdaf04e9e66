"""Score sheets with versioned corrections, and consolidated scores (kipp.md §10.2, §10.3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prima.evaluation.enums import SheetStatus
from prima.evaluation.models.assignment import Assignment
from prima.evaluation.models.edition import Instrument, Stage
from prima.evaluation.models.people import Appointment
from prima.evaluation.models.subject import Subject


class ScoreSheet(models.Model):
    """One assessor's sheet for one subject in one stage; points at its current version.

    `total` is the weighted total T_e of the current version (exact, not rounded), stored
    by the one recompute path in `domain/sheets.py`.
    """

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="sheet")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="sheets")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="sheets")
    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="sheets")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=6, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    current_version = models.PositiveIntegerField(default=1)
    total = models.DecimalField(_("nilai tertimbang"), max_digits=10, decimal_places=4, null=True)
    finalised_at = models.DateTimeField(_("difinalkan"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["stage", "subject", "appointment"]
        verbose_name = _("lembar nilai")
        verbose_name_plural = _("lembar nilai")
        indexes = [models.Index(fields=["stage", "status"])]

    def __str__(self) -> str:
        return f"{self.subject} — {self.appointment.person}"


class ScoreVersion(models.Model):
    """An immutable version of a sheet. Version 1 is edited while a draft; once the sheet
    is final, every correction is a new version with a reason."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    note = models.TextField(_("catatan umum"), blank=True)
    reason = models.TextField(_("alasan koreksi"), blank=True)
    total = models.DecimalField(max_digits=10, decimal_places=4, null=True)
    instrument_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sheet", "number"]
        verbose_name = _("versi lembar nilai")
        verbose_name_plural = _("versi lembar nilai")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "number"], name="score_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sheet} v{self.number}"


class Score(models.Model):
    """The value one version gives one criterion (a section or a rubric item)."""

    version = models.ForeignKey(ScoreVersion, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(_("kriteria"), max_length=60)
    value = models.DecimalField(_("nilai"), max_digits=7, decimal_places=2, null=True)
    note = models.TextField(_("komentar"), blank=True)
    evidence_ref = models.CharField(_("rujukan bukti"), max_length=300, blank=True)

    class Meta:
        ordering = ["version", "id"]
        verbose_name = _("nilai kriteria")
        verbose_name_plural = _("nilai kriteria")
        constraints = [
            models.UniqueConstraint(fields=["version", "criterion"], name="score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Consolidation(models.Model):
    """A team's consolidated score replacing the aggregate; the raw sheets are kept."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="consolidations")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="consolidations")
    score = models.DecimalField(_("nilai konsolidasi"), max_digits=5, decimal_places=2)
    justification = models.TextField(_("justifikasi"))
    attendees = models.TextField(_("peserta rapat"))
    minutes_ref = models.CharField(_("nomor notulen"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stage", "subject"]
        verbose_name = _("konsolidasi nilai")
        verbose_name_plural = _("konsolidasi nilai")
        constraints = [
            models.UniqueConstraint(fields=["stage", "subject"], name="consolidation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {self.score}"
