"""The edition's scope: loci (institutions) and objects (innovations) (pkri.md §3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prima.core.models import Institution, ServiceUnit
from prima.evaluation.models import Edition
from prima.innovations.models import Innovation
from prima.pkri.enums import Group, ScopeOrigin


class Locus(models.Model):
    """An institution in the edition's scope.

    `in_pembinaan` is set independently of the objects (§3 "Ownership"). An excluded row
    stays for the record (reason, who, when) but counts nowhere.
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="pkri_loci")
    institution = models.ForeignKey(
        Institution, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="+"
    )
    in_pembinaan = models.BooleanField(_("ikut kelompok pembinaan"), default=False)
    origin = models.CharField(
        _("asal"), max_length=10, choices=ScopeOrigin.choices, default=ScopeOrigin.DERIVED
    )
    reason = models.TextField(_("alasan penambahan"), blank=True)
    excluded = models.BooleanField(_("dikeluarkan"), default=False)
    excluded_reason = models.TextField(_("alasan dikeluarkan"), blank=True)
    is_demo_placeholder = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["edition", "institution__kind", "institution__name"]
        verbose_name = _("lokus")
        verbose_name_plural = _("lokus")
        constraints = [
            models.UniqueConstraint(fields=["edition", "institution"], name="pkri_locus_unique")
        ]
        indexes = [models.Index(fields=["edition", "excluded"])]

    def __str__(self) -> str:
        return str(self.institution)


class ScopeObject(models.Model):
    """An innovation in the edition's scope, in the sustainability or replication group.

    `unit` is the owning unit; Admin Lokal reassigns it to a successor after a
    reorganisation. `source_tier` names the Top tier that brought it in (e.g.
    `top99@2016`); replication objects name the Top object they replicate in `original`.
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="pkri_objects")
    locus = models.ForeignKey(Locus, on_delete=models.PROTECT, related_name="scope_objects")
    innovation = models.ForeignKey(
        Innovation, verbose_name=_("inovasi"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        ServiceUnit, verbose_name=_("unit pemilik"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.CharField(
        _("kelompok"),
        max_length=14,
        choices=[(g.value, g.label) for g in (Group.KEBERLANJUTAN, Group.REPLIKASI)],
    )
    source_tier = models.CharField(_("tier asal"), max_length=40, blank=True)
    award_year = models.PositiveSmallIntegerField(_("tahun penghargaan"), null=True, blank=True)
    original = models.ForeignKey(
        Innovation,
        verbose_name=_("inovasi asal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    origin = models.CharField(
        _("asal"), max_length=10, choices=ScopeOrigin.choices, default=ScopeOrigin.DERIVED
    )
    reason = models.TextField(_("alasan penambahan"), blank=True)
    excluded = models.BooleanField(_("dikeluarkan"), default=False)
    excluded_reason = models.TextField(_("alasan dikeluarkan"), blank=True)
    is_demo_placeholder = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["edition", "group", "innovation__name"]
        verbose_name = _("objek")
        verbose_name_plural = _("objek")
        constraints = [
            models.UniqueConstraint(fields=["edition", "innovation"], name="pkri_object_unique")
        ]
        indexes = [models.Index(fields=["edition", "group", "excluded"])]

    def __str__(self) -> str:
        return str(self.innovation)
