"""A survey: one unit, one period, one instrument version (skm.md §4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prima.core.models import Institution, Service, ServiceUnit
from prima.skm.enums import PeriodKind, ResultStatus, SurveyState, WeightRule


class Survey(models.Model):
    """A unit's survey for a period, with its state, target sample and calculated result.

    The result is frozen in ``result`` (the skm.md §10 layout) when the survey is
    calculated; ``ikm``/``ikm_converted``/``grade`` copy its headline so lists and open
    data need no recomputation. Live figures while collecting come from the counters.
    """

    unit = models.ForeignKey(
        ServiceUnit,
        verbose_name=_("unit pelayanan"),
        on_delete=models.PROTECT,
        related_name="skm_surveys",
    )
    # Denormalised from the unit so scoped lists and aggregates filter without joins.
    institution = models.ForeignKey(
        Institution, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="+"
    )
    province_code = models.CharField(_("kode provinsi"), max_length=2, blank=True)
    period_code = models.CharField(_("periode"), max_length=7)
    period_kind = models.CharField(_("jenis periode"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    instrument = models.CharField(_("instrumen"), max_length=32)
    # Empty = every service of the unit (skm.md §4: optionally restricted).
    services = models.ManyToManyField(
        Service, verbose_name=_("jenis layanan"), blank=True, related_name="skm_surveys"
    )
    # N of skm.md §6 for the period; null when unknown (no target then).
    population = models.PositiveIntegerField(
        _("populasi pengguna periode ini"), null=True, blank=True
    )
    sample_target = models.PositiveIntegerField(_("target sampel"), null=True, blank=True)
    state = models.CharField(
        _("status"), max_length=12, choices=SurveyState.choices, default=SurveyState.PLANNED
    )
    # The random part of the public link and QR code: ids are never enumerable (DESIGN §10).
    public_id = models.CharField(max_length=24, unique=True)
    # Only one-time codes or after-service links are accepted, not the open link.
    requires_token = models.BooleanField(_("hanya dengan kode sekali pakai"), default=False)
    # Accepted, not voided responses; kept with the counters in the same transaction.
    respondents = models.PositiveIntegerField(_("jumlah responden"), default=0)

    # Calculation (CALCULATED): the rule used and the frozen result.
    weight_rule = models.CharField(
        _("aturan bobot"), max_length=8, choices=WeightRule.choices, blank=True
    )
    result_status = models.CharField(max_length=12, choices=ResultStatus.choices, blank=True)
    result = models.JSONField(null=True, blank=True)
    ikm = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    ikm_converted = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("mutu pelayanan"), max_length=2, blank=True)
    calculated_at = models.DateTimeField(null=True, blank=True)

    # Publication (PUBLISHED): date and media feed PEKPPP indicators 6, 7 and 9.
    published_on = models.DateField(_("tanggal publikasi"), null=True, blank=True)
    publication_media = models.JSONField(_("media publikasi"), default=list, blank=True)
    publication_url = models.URLField(_("tautan publikasi"), blank=True)

    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-period_start", "unit_id"]
        verbose_name = _("survei kepuasan masyarakat")
        verbose_name_plural = _("survei kepuasan masyarakat")
        constraints = [
            # The domain refuses any overlap (skm.md §4); this is the database's backstop.
            models.UniqueConstraint(
                fields=["unit", "period_code"], name="skm_one_survey_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="skm_period_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "period_start"]),
            models.Index(fields=["institution", "period_start"]),
            models.Index(fields=["province_code", "period_start"]),
            models.Index(fields=["state", "period_end"]),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_code}"
