"""Top-N selection runs and plenary overrides (kipp.md §11.2, §11.3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prima.evaluation.enums import SelectionKind
from prima.evaluation.models.edition import Stage
from prima.evaluation.models.subject import Subject


class SelectionRun(models.Model):
    """A proposed selection (the engine's output) or the list a plenary adopted from it."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="selections")
    tier = models.CharField(_("tingkat/tier"), max_length=40)
    kind = models.CharField(_("jenis"), max_length=10, choices=SelectionKind.choices)
    proposed = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="adoptions"
    )
    n = models.PositiveIntegerField(_("jumlah"), null=True, blank=True)
    constraints = models.JSONField(default=list, blank=True)
    # [{"subject": id, "score": "85.00", "rank": 1, ...}] as ranked when the run was made.
    ranking = models.JSONField(default=list)
    # {"selected": [{"subject", "reason"}], "displaced": [...], "summary": [...],
    #  "shortfalls": [...], "conflicts": [...]}
    result = models.JSONField(default=dict)
    violations = models.JSONField(default=list, blank=True)
    violations_acknowledged = models.BooleanField(default=False)
    use_normalised = models.BooleanField(default=False)
    instrument_hash = models.CharField(max_length=64, blank=True)
    minutes_ref = models.CharField(_("nomor notulen"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("seleksi")
        verbose_name_plural = _("seleksi")

    def __str__(self) -> str:
        return f"{self.tier} ({self.get_kind_display()})"

    @property
    def selected_ids(self) -> list[int]:
        return [int(item["subject"]) for item in self.result.get("selected", [])]


class SelectionOverride(models.Model):
    """One swap the plenary made, with who decided, why and the minutes reference."""

    run = models.ForeignKey(SelectionRun, on_delete=models.CASCADE, related_name="overrides")
    removed = models.ForeignKey(
        Subject, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added = models.ForeignKey(
        Subject, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    justification = models.TextField(_("justifikasi"))
    minutes_ref = models.CharField(_("nomor notulen"), max_length=120)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run", "id"]
        verbose_name = _("perubahan pleno")
        verbose_name_plural = _("perubahan pleno")

    def __str__(self) -> str:
        return f"{self.removed} → {self.added}"
