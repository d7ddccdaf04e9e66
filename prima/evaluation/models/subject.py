"""What an edition evaluates: a proposal, an innovation, an institution or a unit."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from prima.core.models import Institution
from prima.evaluation.models.edition import Edition


class Subject(models.Model):
    """The engine's view of an evaluated thing: identity, strata and text for affinity.

    Programme apps own the real record (e.g. `kipp.Proposal`) and keep this row in step;
    assignments, scores, conflicts and selections refer to subjects only.
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="subjects")
    kind = models.CharField(max_length=20)
    title = models.CharField(_("judul"), max_length=300)
    text = models.TextField(blank=True, help_text="Text matched against assessor expertise.")
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("instansi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Strata (kipp.md §11.2). `province` is set for local institutions only, so central
    # ones never count towards `province_local` nor conflict by province.
    group = models.CharField(_("kelompok"), max_length=30, blank=True)
    category = models.CharField(_("kategori"), max_length=60, blank=True)
    institution_kind = models.CharField(max_length=24, blank=True)
    province = models.CharField(max_length=2, blank=True)
    region_3t = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Whether the subject is still in the running for the edition's current stage.
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["edition", "id"]
        verbose_name = _("subjek penilaian")
        verbose_name_plural = _("subjek penilaian")
        indexes = [models.Index(fields=["edition", "is_active"])]

    def __str__(self) -> str:
        return self.title
