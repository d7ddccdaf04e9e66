"""Follow-up plans (rencana tindak lanjut, RTL) of a calculated survey (skm.md §8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prima.skm.enums import RtlStatus
from prima.skm.models.surveys import Survey


class FollowUpPlan(models.Model):
    """The unit's plan for a survey; its metrics feed PEKPPP indicators 8 and 9.

    Items can be drafted before adoption; the metrics count only an adopted plan.
    """

    survey = models.OneToOneField(Survey, on_delete=models.PROTECT, related_name="follow_up_plan")
    adopted_on = models.DateField(_("tanggal ditetapkan"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decree_number = models.CharField(_("nomor penetapan"), max_length=120, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rencana tindak lanjut")
        verbose_name_plural = _("rencana tindak lanjut")

    def __str__(self) -> str:
        return f"RTL {self.survey}"


class FollowUpItem(models.Model):
    plan = models.ForeignKey(FollowUpPlan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    # Element codes the item addresses (skm.md §8: "element code(s)").
    elements = models.JSONField(_("unsur"), default=list)
    # The service type it concerns; blank = the whole unit.
    service_code = models.CharField(_("kode layanan"), max_length=40, blank=True)
    problem = models.TextField(_("masalah"))
    action = models.TextField(_("rencana aksi"))
    owner = models.CharField(_("penanggung jawab"), max_length=200)
    planned_start = models.DateField(_("rencana mulai"))
    planned_end = models.DateField(_("rencana selesai"))
    status = models.CharField(
        _("status"), max_length=12, choices=RtlStatus.choices, default=RtlStatus.PLANNED
    )
    cancel_reason = models.TextField(_("alasan pembatalan"), blank=True)
    realised_on = models.DateField(_("tanggal terealisasi"), null=True, blank=True)
    evidence_note = models.TextField(_("bukti"), blank=True)
    evidence = models.FileField(_("berkas bukti"), upload_to="skm/rtl/%Y/", blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name = _("butir rencana tindak lanjut")
        verbose_name_plural = _("butir rencana tindak lanjut")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_start__lte=models.F("planned_end")),
                name="skm_rtl_item_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}#{self.position}"
