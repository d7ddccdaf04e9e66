"""Objections, presentations, field visits, announcements, decrees, award events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prima.evaluation.models import Edition
from prima.kipp.enums import (
    AnnouncementKind,
    ObjectionGround,
    ObjectionStatus,
    SlotMode,
    VisitOutcome,
)
from prima.kipp.models.proposal import Proposal


class Objection(models.Model):
    """A public objection against a finalist (§12). Only the secretariat sees the filer."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="objections")
    # Filed by a signed-in user or by a verified citizen account (exactly one of the two).
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    citizen = models.ForeignKey(
        "core.Citizen", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ground = models.CharField(_("dasar sanggahan"), max_length=12, choices=ObjectionGround.choices)
    statement = models.TextField(_("uraian"))
    evidence = models.FileField(_("bukti"), upload_to="kipp/objections/%Y/", blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    resolution = models.TextField(_("tanggapan"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sanggahan")
        verbose_name_plural = _("sanggahan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(filed_by__isnull=False, citizen__isnull=True)
                | models.Q(filed_by__isnull=True, citizen__isnull=False),
                name="kipp_objection_one_filer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal} — {self.get_ground_display()}"


class PresentationSlot(models.Model):
    """A presentation and interview slot (default 7 + 13 minutes, §13)."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="slot")
    starts_at = models.DateTimeField(_("mulai"))
    minutes = models.PositiveSmallIntegerField(_("durasi (menit)"), default=20)
    mode = models.CharField(_("cara"), max_length=6, choices=SlotMode.choices)
    location = models.CharField(_("tempat/tautan"), max_length=300, blank=True)
    presenter_name = models.CharField(_("nama penyaji"), max_length=150, blank=True)
    presenter_position = models.CharField(_("jabatan penyaji"), max_length=150, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("jadwal presentasi")
        verbose_name_plural = _("jadwal presentasi")

    def __str__(self) -> str:
        return f"{self.proposal} @ {self.starts_at:%Y-%m-%d %H:%M}"


class FieldVisit(models.Model):
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="field_visit")
    visited_on = models.DateField(_("tanggal kunjungan"))
    visitors = models.TextField(_("tim verifikasi"))
    findings = models.TextField(_("temuan"))
    outcome = models.CharField(_("hasil"), max_length=14, choices=VisitOutcome.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("verifikasi lapangan")
        verbose_name_plural = _("verifikasi lapangan")

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_outcome_display()}"


class Announcement(models.Model):
    """A numbered announcement letter; immutable once published (§15)."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="announcements")
    kind = models.CharField(_("jenis"), max_length=24, choices=AnnouncementKind.choices)
    number = models.CharField(_("nomor"), max_length=60)
    date = models.DateField(_("tanggal"))
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    signatory_name = models.CharField(_("nama penanda tangan"), max_length=150)
    signatory_position = models.CharField(_("jabatan penanda tangan"), max_length=150)
    # The attached list, generated from states when published.
    listing = models.JSONField(default=list, blank=True)
    new_close = models.DateTimeField(_("batas pendaftaran baru"), null=True, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="announcement_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"


class Decree(models.Model):
    """The ministerial decree (Kepmen PANRB) naming the tiers (§15)."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="decrees")
    number = models.CharField(_("nomor"), max_length=120)
    date = models.DateField(_("tanggal"))
    title = models.CharField(_("judul"), max_length=300)
    # {"tier_code": [proposal ids]} as decreed.
    tier_lists = models.JSONField(default=dict)
    file = models.FileField(_("berkas"), upload_to="kipp/decrees/%Y/", blank=True)
    amends = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendments"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("keputusan menteri")
        verbose_name_plural = _("keputusan menteri")

    def __str__(self) -> str:
        return self.number


class AwardEvent(models.Model):
    """An award ceremony; one event may hold awards of several programmes."""

    name = models.CharField(_("nama acara"), max_length=200)
    date = models.DateField(_("tanggal"))
    venue = models.CharField(_("tempat"), max_length=200)
    editions = models.ManyToManyField(Edition, related_name="award_events")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("acara penganugerahan")
        verbose_name_plural = _("acara penganugerahan")

    def __str__(self) -> str:
        return self.name
