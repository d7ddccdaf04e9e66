"""Codes shared by models, domain, files and API (DESIGN.md §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Provinsi")
    REGENCY = "regency", _("Kabupaten")
    CITY = "city", _("Kota")


class InstitutionKind(models.TextChoices):
    MINISTRY = "ministry", _("Kementerian")
    AGENCY = "agency", _("Lembaga")
    PROVINCE = "province", _("Pemerintah Provinsi")
    REGENCY = "regency", _("Pemerintah Kabupaten")
    CITY = "city", _("Pemerintah Kota")
    STATE_ENTERPRISE = "state_enterprise", _("BUMN")
    REGIONAL_ENTERPRISE = "regional_enterprise", _("BUMD")


# Kinds that carry a region code of their own (a regional enterprise carries its owner's).
LOCAL_KINDS = frozenset(
    {
        InstitutionKind.PROVINCE,
        InstitutionKind.REGENCY,
        InstitutionKind.CITY,
        InstitutionKind.REGIONAL_ENTERPRISE,
    }
)
# A local government's region must be of the same level as its kind.
GOVERNMENT_REGION_LEVEL = {
    InstitutionKind.PROVINCE: RegionLevel.PROVINCE,
    InstitutionKind.REGENCY: RegionLevel.REGENCY,
    InstitutionKind.CITY: RegionLevel.CITY,
}


class UnitKind(models.TextChoices):
    DINAS = "dinas", _("Dinas")
    BADAN = "badan", _("Badan")
    BIRO = "biro", _("Biro/Bagian")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    RSUD = "rsud", _("Rumah sakit")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan/Desa")
    SAMSAT = "samsat", _("Samsat")
    MPP = "mpp", _("Mal Pelayanan Publik")
    KANTOR = "kantor", _("Kantor/Satuan kerja")
    SEKOLAH = "sekolah", _("Sekolah")
    LAINNYA = "lainnya", _("Lainnya")


class ServiceType(models.TextChoices):
    GOODS = "goods", _("Barang")
    SERVICES = "services", _("Jasa")
    ADMINISTRATIVE = "administrative", _("Administratif")


class Scope(models.TextChoices):
    NATIONAL = "national", _("Nasional")
    INSTITUTION = "institution", _("Instansi")
    UNIT = "unit", _("Unit pelayanan")


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Sekretariat (Admin Kementerian)")
    INSTITUTION_ADMIN = "institution_admin", _("Admin Lokal")
    UNIT_OPERATOR = "unit_operator", _("Operator UPP")
    EVALUATOR = "evaluator", _("Tim Evaluasi")
    PANELIST = "panelist", _("Tim Panel Independen")
    VERIFIER = "verifier", _("Verifikator lapangan")
    ANALYST = "analyst", _("Analis data")
    VIEWER = "viewer", _("Pemantau (hanya baca)")


# The scopes at which each role may be granted.
ROLE_SCOPES: dict[str, frozenset[str]] = {
    Role.SECRETARIAT: frozenset({Scope.NATIONAL}),
    Role.INSTITUTION_ADMIN: frozenset({Scope.INSTITUTION}),
    Role.UNIT_OPERATOR: frozenset({Scope.UNIT}),
    Role.EVALUATOR: frozenset({Scope.NATIONAL}),
    Role.PANELIST: frozenset({Scope.NATIONAL}),
    Role.VERIFIER: frozenset({Scope.NATIONAL}),
    Role.ANALYST: frozenset({Scope.NATIONAL, Scope.INSTITUTION}),
    Role.VIEWER: frozenset({Scope.NATIONAL, Scope.INSTITUTION}),
}


class AccountRequestStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
