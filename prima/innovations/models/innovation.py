"""An innovation lives across years and editions; proposals and awards point to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prima.core.models import Institution, ServiceUnit
from prima.innovations.enums import InnovationStatus


class Category(models.Model):
    """Sectoral category of the registry (the KIPP 2021 list, loaded by migration)."""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")

    def __str__(self) -> str:
        return self.name


class Innovation(models.Model):
    unit = models.ForeignKey(
        ServiceUnit,
        verbose_name=_("unit pemilik"),
        on_delete=models.PROTECT,
        related_name="innovations",
    )
    # Copied from the unit so tenancy filters and statistics need no join.
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("instansi"),
        on_delete=models.PROTECT,
        related_name="innovations",
    )
    name = models.CharField(_("nama inovasi"), max_length=200)
    acronym = models.CharField(_("akronim"), max_length=60, blank=True)
    summary = models.TextField(_("ringkasan"))
    problem = models.TextField(_("masalah yang diatasi"), blank=True)
    approach = models.TextField(_("pendekatan/cara kerja"), blank=True)
    results = models.TextField(_("hasil yang dicapai"), blank=True)
    beneficiaries = models.TextField(_("penerima manfaat"), blank=True)
    started_on = models.DateField(_("mulai diterapkan"))
    is_digital = models.BooleanField(_("inovasi digital"), default=False)
    categories = models.ManyToManyField(
        Category, verbose_name=_("kategori"), blank=True, related_name="innovations"
    )
    sdg_goals = models.JSONField(_("tujuan SDGs"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InnovationStatus.choices,
        default=InnovationStatus.ACTIVE,
    )
    status_reason = models.TextField(_("alasan status"), blank=True)
    status_changed_on = models.DateField(_("tanggal perubahan status"), null=True, blank=True)
    is_published = models.BooleanField(_("ditampilkan untuk publik"), default=False)
    # JIPP catalogue (pkri.md §9): whether the owner invites replication, and whom to ask.
    open_to_replication = models.BooleanField(_("terbuka untuk direplikasi"), default=False)
    replication_contact = models.CharField(_("kontak resmi replikasi"), max_length=200, blank=True)
    # The latest time the owner confirmed the status (e.g. a submitted PKRI form).
    status_confirmed_on = models.DateField(_("status terakhir dikonfirmasi"), null=True, blank=True)
    imported = models.BooleanField(_("hasil impor"), default=False)
    # Optimistic locking: an edit based on an old version is refused, never silently merged.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inovasi")
        verbose_name_plural = _("inovasi")
        indexes = [
            # The default list order, so the first page never sorts the whole table.
            models.Index(fields=["-created_at", "-id"], name="innovation_newest"),
            models.Index(
                fields=["-created_at", "-id"],
                name="innovation_newest_published",
                condition=models.Q(is_published=True),
            ),
            models.Index(fields=["institution", "-created_at"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self) -> str:
        return self.name
