"""The hash-chained audit log: each entry stores the hash of the one before it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    created_at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("pelaku"), max_length=150)
    action = models.CharField(_("aksi"), max_length=80, db_index=True)
    object_type = models.CharField(_("jenis objek"), max_length=80)
    object_id = models.CharField(_("ID objek"), max_length=40)
    object_repr = models.CharField(_("objek"), max_length=250)
    before = models.JSONField(_("sebelum"), null=True, blank=True)
    after = models.JSONField(_("sesudah"), null=True, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_repr}"


class AuditHead(models.Model):
    """One row holding the chain's tip; locked while appending so the chain never forks."""

    last_hash = models.CharField(max_length=64)
    last_entry_id = models.BigIntegerField(null=True)

    def __str__(self) -> str:
        return f"audit head #{self.last_entry_id}"
