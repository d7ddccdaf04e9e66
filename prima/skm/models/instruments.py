"""Per-version settings of the SKM instruments kept in `instruments/skm-*.yaml`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prima.skm.enums import WeightRule


class InstrumentSetting(models.Model):
    """What the secretariat may change of an instrument version without editing its file.

    skm.md §5: the weight rule is a per-version setting; changing it does not touch
    results already calculated (recomputing them is a separate, audited action).
    A row is created on first use with the file's own rule.
    """

    code = models.CharField(_("kode instrumen"), max_length=32, unique=True)
    weight_rule = models.CharField(_("aturan bobot"), max_length=8, choices=WeightRule.choices)
    # skm-2004 is for historical data only (skm.md §1): no new surveys.
    accepts_new_surveys = models.BooleanField(_("dipakai untuk survei baru"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("pengaturan instrumen SKM")
        verbose_name_plural = _("pengaturan instrumen SKM")

    def __str__(self) -> str:
        return self.code
