"""The national registry: regions, institutions (instansi) and service units (UPP)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from prima.core.enums import InstitutionKind, RegionLevel, ServiceType, UnitKind


class Region(models.Model):
    """A province, regency or city with its Kemendagri code (e.g. 13.76 Kota Payakumbuh)."""

    code = models.CharField(_("kode Kemendagri"), max_length=8, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=10, choices=RegionLevel.choices)
    province_code = models.CharField(_("kode provinsi"), max_length=2, db_index=True)
    population = models.PositiveBigIntegerField(_("jumlah penduduk"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return self.name


class Institution(models.Model):
    """An institution (instansi): ministry, agency, local government or enterprise."""

    kind = models.CharField(_("jenis"), max_length=24, choices=InstitutionKind.choices)
    name = models.CharField(_("nama"), max_length=200, unique=True)
    short_name = models.CharField(_("nama singkat"), max_length=60, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
    )
    # Denormalised from region for fast filters; empty for central institutions.
    province_code = models.CharField(_("kode provinsi"), max_length=2, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    is_disadvantaged = models.BooleanField(_("daerah 3T/tertinggal"), default=False)
    is_border = models.BooleanField(_("daerah perbatasan"), default=False)
    official_email_domain = models.CharField(_("domain surel resmi"), max_length=100, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name


class ServiceUnit(models.Model):
    """A public-service unit (UPP): a Dinas, Puskesmas, RSUD, Samsat…"""

    institution = models.ForeignKey(
        Institution, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis unit"), max_length=20, choices=UnitKind.choices)
    service_type = models.CharField(_("jenis layanan"), max_length=20, choices=ServiceType.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )
    user_population = models.PositiveIntegerField(
        _("populasi pengguna layanan per tahun"), null=True, blank=True
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["institution__name", "name"]
        verbose_name = _("unit pelayanan")
        verbose_name_plural = _("unit pelayanan")
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="unit_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A service of a unit's catalogue (mpp.md §3), named by its code, e.g. ``KK-BARU``.

    SKM surveys and responses name services by this code (skm.md §4, §9). The service
    standards with their 14 components come with MPP Digital; this is the catalogue entry
    they will hang from.
    """

    institution = models.ForeignKey(
        Institution, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="services"
    )
    unit = models.ForeignKey(
        ServiceUnit,
        verbose_name=_("unit pelayanan"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    code = models.CharField(_("kode layanan"), max_length=40)
    name = models.CharField(_("nama layanan"), max_length=200)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit", "code"]
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")
        constraints = [
            # mpp.md §3: the code is unique per institution.
            models.UniqueConstraint(fields=["institution", "code"], name="service_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"
