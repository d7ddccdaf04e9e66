"""Announcements and interview slots of a PKRI edition (pkri.md §3, §7.2, §7.3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prima.evaluation.models import Edition
from prima.pkri.enums import AnnouncementKind
from prima.pkri.models.forms import SelfAssessment


class Announcement(models.Model):
    """A numbered letter: it freezes the scope, amends it, extends the forms window,
    publishes the shortlist or the results. Immutable once published."""

    edition = models.ForeignKey(
        Edition, on_delete=models.PROTECT, related_name="pkri_announcements"
    )
    kind = models.CharField(_("jenis"), max_length=16, choices=AnnouncementKind.choices)
    number = models.CharField(_("nomor"), max_length=60)
    date = models.DateField(_("tanggal"))
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    amends = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendments"
    )
    # What the letter fixed, as published (counts, listed ids, new window end, …).
    listing = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["edition", "date", "id"]
        verbose_name = _("pengumuman PKRI")
        verbose_name_plural = _("pengumuman PKRI")
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="pkri_announcement_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"


class InterviewSlot(models.Model):
    """An online interview of a shortlisted object by the independent panel (§7.3).

    The panelists are the engine assignments of the interviews stage for the form's subject.
    """

    form = models.OneToOneField(SelfAssessment, on_delete=models.CASCADE, related_name="slot")
    starts_at = models.DateTimeField(_("mulai"))
    minutes = models.PositiveSmallIntegerField(_("durasi (menit)"), default=20)
    link = models.CharField(_("tautan rapat daring"), max_length=300, blank=True)
    presenter_name = models.CharField(_("nama penyaji"), max_length=150, blank=True)
    presenter_position = models.CharField(_("jabatan penyaji"), max_length=150, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("jadwal wawancara")
        verbose_name_plural = _("jadwal wawancara")

    def __str__(self) -> str:
        return f"{self.form} @ {self.starts_at:%Y-%m-%d %H:%M}"
