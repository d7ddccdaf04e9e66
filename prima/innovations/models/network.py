"""The replication network (JIPP, pkri.md §9): provincial hubs and update requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prima.core.models import Institution, Region
from prima.innovations.models.innovation import Innovation


class JippHub(models.Model):
    """A province designated as a replication-network hub (Simpul JIPP) by a decree."""

    province = models.OneToOneField(
        Region,
        verbose_name=_("provinsi"),
        on_delete=models.PROTECT,
        related_name="jipp_hub",
        limit_choices_to={"level": "province"},
    )
    decree_ref = models.CharField(_("keputusan penetapan"), max_length=120)
    year = models.PositiveSmallIntegerField(_("tahun penetapan"))
    members = models.ManyToManyField(
        Institution, verbose_name=_("instansi anggota"), blank=True, related_name="jipp_hubs"
    )
    # Assisting universities, one name per item.
    universities = models.JSONField(_("perguruan tinggi pendamping"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "province__code"]
        verbose_name = _("simpul JIPP")
        verbose_name_plural = _("simpul JIPP")

    def __str__(self) -> str:
        return str(self.province)


class UpdateRequest(models.Model):
    """The secretariat asked an innovation's owners to update its profile (JIPPNas)."""

    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="update_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    message = models.TextField(_("pesan"), blank=True)
    # The addresses the request went to when it was sent (owners change over time).
    recipients = models.JSONField(_("penerima"), default=list)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("permintaan pembaruan data")
        verbose_name_plural = _("permintaan pembaruan data")
        indexes = [
            models.Index(fields=["innovation", "-requested_at"], name="update_request_latest")
        ]

    def __str__(self) -> str:
        return f"{self.innovation} @ {self.requested_at:%Y-%m-%d}"
