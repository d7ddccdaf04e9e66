"""Self-assessment forms and their evidence (pkri.md §6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prima.evaluation.models import Edition, Subject
from prima.pkri.enums import FormKind, FormState
from prima.pkri.models.scope import Locus, ScopeObject


class SelfAssessment(models.Model):
    """One form: a coaching form of a locus, or a sustainability/replication form of an object.

    The answers are `data` (field codes of pkri.md §6, validated by `domain/form_rules.py`);
    submission freezes `snapshot` + `snapshot_hash` and the suggested indicator levels.
    Once submitted the form is evaluated through its engine `subject`; the scores the
    engine computes are copied here by the one recompute path so lists cost one query.
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="pkri_forms")
    kind = models.CharField(_("jenis formulir"), max_length=14, choices=FormKind.choices)
    locus = models.ForeignKey(Locus, on_delete=models.CASCADE, related_name="forms")
    object = models.OneToOneField(
        ScopeObject, on_delete=models.CASCADE, null=True, blank=True, related_name="form"
    )
    state = models.CharField(
        _("status"), max_length=16, choices=FormState.choices, default=FormState.ANNOUNCED
    )
    data = models.JSONField(_("isian"), default=dict, blank=True)
    return_note = models.TextField(_("catatan pengembalian"), blank=True)
    submitted_at = models.DateTimeField(_("dikirim pada"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    snapshot = models.JSONField(null=True, blank=True)
    snapshot_hash = models.CharField(max_length=64, blank=True)
    # Indicator code → suggested level (0–4) from the frozen answers; judgement ones absent.
    suggested_levels = models.JSONField(default=dict, blank=True)
    # Derived locus indicators (coaching forms), frozen when the window closes.
    derived = models.JSONField(default=dict, blank=True)
    subject = models.OneToOneField(
        Subject, on_delete=models.PROTECT, null=True, blank=True, related_name="pkri_form"
    )
    desk_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    interview_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    final_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("peringkat"), null=True, blank=True)
    tie_at_cutoff = models.BooleanField(default=False)
    is_demo_placeholder = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["edition", "kind", "id"]
        verbose_name = _("formulir penilaian mandiri")
        verbose_name_plural = _("formulir penilaian mandiri")
        constraints = [
            # One coaching form per locus; object forms are one per object (OneToOne).
            models.UniqueConstraint(
                fields=["locus"],
                condition=Q(kind=FormKind.COACHING),
                name="pkri_one_coaching_form",
            ),
            models.CheckConstraint(
                condition=Q(kind=FormKind.COACHING, object__isnull=True)
                | (~Q(kind=FormKind.COACHING) & Q(object__isnull=False)),
                name="pkri_form_kind_matches_target",
            ),
        ]
        indexes = [models.Index(fields=["edition", "kind", "state"])]

    def __str__(self) -> str:
        target = self.object if self.object_id else self.locus
        return f"{self.get_kind_display()} — {target}"


class FormEvidence(models.Model):
    """A file behind one answer: `field` is the answer's path (e.g. `legal_basis.0.file`)."""

    form = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="evidence")
    field = models.CharField(_("isian"), max_length=80)
    file = models.FileField(upload_to="pkri/%Y/")
    original_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["form", "field", "id"]
        verbose_name = _("bukti isian")
        verbose_name_plural = _("bukti isian")

    def __str__(self) -> str:
        return f"{self.field}: {self.original_name}"
