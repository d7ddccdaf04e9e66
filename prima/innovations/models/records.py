"""Records attached to an innovation: evidence, replication links, award history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from prima.innovations.enums import AwardLevel, LinkOrigin, LinkScope, LinkStatus, Programme
from prima.innovations.models.innovation import Innovation


class Evidence(models.Model):
    """An uploaded file (PDF or image) backing an innovation's claims."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("keterangan"), max_length=255, blank=True)
    is_public = models.BooleanField(_("boleh dilihat publik"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")

    def __str__(self) -> str:
        return self.original_name


class ReplicationLink(models.Model):
    """`replica` adapted `source`: when, what was adapted, what differs."""

    replica = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="sources_links")
    source = models.ForeignKey(Innovation, on_delete=models.PROTECT, related_name="replica_links")
    replicated_on = models.DateField(_("tanggal replikasi"))
    adaptation = models.TextField(_("yang diadaptasi"))
    differences = models.TextField(_("perbedaan"), blank=True)
    # Links recorded before statuses existed were entered by the owners themselves and
    # are treated as claims until someone confirms them.
    status = models.CharField(
        _("status"), max_length=10, choices=LinkStatus.choices, default=LinkStatus.CLAIMED
    )
    origin = models.CharField(
        _("asal data"), max_length=14, choices=LinkOrigin.choices, default=LinkOrigin.MANUAL
    )
    scope = models.CharField(
        _("cakupan replikasi"), max_length=8, choices=LinkScope.choices, blank=True
    )
    evidence_note = models.CharField(
        _("bukti (tautan atau keterangan)"), max_length=500, blank=True
    )
    # The latest review (confirmation, verification or rejection); earlier ones are in the
    # audit trail.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("ditinjau pada"), null=True, blank=True)
    review_note = models.TextField(_("catatan tinjauan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["replicated_on", "id"]
        verbose_name = _("tautan replikasi")
        verbose_name_plural = _("tautan replikasi")
        indexes = [models.Index(fields=["status", "id"], name="replication_status")]
        constraints = [
            models.UniqueConstraint(fields=["replica", "source"], name="replication_unique"),
            models.CheckConstraint(condition=~Q(replica=F("source")), name="replication_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.replica} ← {self.source}"


class AwardRecord(models.Model):
    """A tier an innovation reached in a programme and year (e.g. KIPP 2019 top99)."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="awards")
    programme = models.CharField(_("program"), max_length=12, choices=Programme.choices)
    year = models.PositiveSmallIntegerField(_("tahun"))
    tier = models.CharField(_("peringkat/tier"), max_length=40)
    level = models.CharField(_("tingkat"), max_length=10, choices=AwardLevel.choices)
    # The entry group the tier belongs to (KIPP: umum, replikasi, khusus); empty when unknown.
    group = models.CharField(_("kelompok"), max_length=30, blank=True)
    decree_ref = models.CharField(_("nomor keputusan"), max_length=120, blank=True)
    decree_date = models.DateField(_("tanggal keputusan"), null=True, blank=True)
    revoked = models.BooleanField(_("dicabut"), default=False)
    # Demo data standing in for a record that is not public (pkri.md §10 `top99@<year>`).
    is_demo_placeholder = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "programme", "tier"]
        verbose_name = _("riwayat penghargaan")
        verbose_name_plural = _("riwayat penghargaan")
        constraints = [
            models.UniqueConstraint(
                fields=["innovation", "programme", "year", "tier"], name="award_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_programme_display()} {self.year} {self.tier}"
