"""Assessors appointed to an edition and their conflicts of interest (kipp.md §3, §10.1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prima.core.models import Institution
from prima.evaluation.enums import AssessorRole, ConflictKind, ConflictNature
from prima.evaluation.models.edition import Edition
from prima.evaluation.models.subject import Subject


class Appointment(models.Model):
    """A person serving an edition as evaluator or panelist; lapses when the edition closes.

    Nobody may hold two roles in one edition (one appointment per person and edition).
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="appointments")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    role = models.CharField(_("peran"), max_length=12, choices=AssessorRole.choices)
    affiliation = models.ForeignKey(
        Institution,
        verbose_name=_("instansi asal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Declared employment in the last three years counts as the same institution.
    past_institutions = models.ManyToManyField(
        Institution, verbose_name=_("instansi 3 tahun terakhir"), blank=True, related_name="+"
    )
    home_province = models.CharField(_("provinsi domisili"), max_length=2, blank=True)
    university = models.CharField(_("perguruan tinggi/lembaga"), max_length=200, blank=True)
    expertise = models.TextField(_("kata kunci keahlian"), blank=True)
    categories = models.JSONField(_("kategori keahlian"), default=list, blank=True)
    min_load = models.PositiveIntegerField(_("beban minimum"), default=0)
    max_load = models.PositiveIntegerField(
        _("beban maksimum"), null=True, blank=True, help_text=_("Kosong = otomatis.")
    )
    code_of_conduct_accepted_at = models.DateTimeField(null=True, blank=True)
    conflicts_declared_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["edition", "role", "id"]
        verbose_name = _("penugasan penilai")
        verbose_name_plural = _("penugasan penilai")
        constraints = [
            models.UniqueConstraint(fields=["edition", "person"], name="appointment_one_role")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} ({self.edition.code})"

    @property
    def is_ready(self) -> bool:
        """Sees proposals only after accepting the code of conduct and declaring conflicts."""
        return bool(self.code_of_conduct_accepted_at and self.conflicts_declared_at)


class Conflict(models.Model):
    """A declared or secretariat-entered conflict, against one subject or a whole institution.

    The rule-based conflicts (same institution, same province) are computed, never stored.
    """

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="conflicts")
    kind = models.CharField(
        _("jenis"),
        max_length=20,
        choices=[
            (ConflictKind.DECLARED.value, ConflictKind.DECLARED.label),
            (ConflictKind.SECRETARIAT_ENTERED.value, ConflictKind.SECRETARIAT_ENTERED.label),
        ],
    )
    nature = models.CharField(
        _("sifat hubungan"), max_length=14, choices=ConflictNature.choices, default="other"
    )
    subject = models.ForeignKey(
        Subject, on_delete=models.CASCADE, null=True, blank=True, related_name="conflicts"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("keterangan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("konflik kepentingan")
        verbose_name_plural = _("konflik kepentingan")
        constraints = [
            models.CheckConstraint(
                condition=Q(subject__isnull=False) | Q(institution__isnull=False),
                name="conflict_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.appointment.person} ↔ {self.subject or self.institution}"
