from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class InnovationStatus(models.TextChoices):
    ACTIVE = "active", _("Berjalan")
    PAUSED = "paused", _("Dihentikan sementara")
    STOPPED = "stopped", _("Berhenti")


class LinkStatus(models.TextChoices):
    """How far a replication claim has been checked (pkri.md §9)."""

    CLAIMED = "claimed", _("Diklaim")
    CONFIRMED = "confirmed", _("Dikonfirmasi instansi asal")
    VERIFIED = "verified", _("Diverifikasi sekretariat")
    REJECTED = "rejected", _("Ditolak")


# Links that count in lineage metrics; claimed ones are shown beside them (pkri.md §9).
COUNTED_LINK_STATUSES = frozenset({LinkStatus.CONFIRMED, LinkStatus.VERIFIED})


class LinkOrigin(models.TextChoices):
    KIPP_PROPOSAL = "kipp_proposal", _("Proposal KIPP")
    PKRI_FORM = "pkri_form", _("Formulir PKRI")
    JIPP_IMPORT = "jipp_import", _("Impor JIPP")
    MANUAL = "manual", _("Dicatat manual")


class LinkScope(models.TextChoices):
    """How much of the original a replica adopted (pkri.md §9)."""

    FULL = "full", _("Penuh")
    PARTIAL = "partial", _("Sebagian")


class AwardLevel(models.TextChoices):
    FINALIST = "finalist", _("Finalis")
    WINNER = "winner", _("Pemenang")


class Programme(models.TextChoices):
    KIPP = "kipp", _("KIPP")
    PKRI = "pkri", _("PKRI")
    PEKPPP = "pekppp", _("PEKPPP")
    INCLUSIVE = "inclusive", _("Ramah Kelompok Rentan")
    OTHER = "other", _("Lainnya")


SDG_GOALS = range(1, 18)

# The Indonesian names of the Sustainable Development Goals (Tujuan Pembangunan Berkelanjutan).
SDG_NAMES: dict[int, str | Promise] = {
    1: _("Tanpa Kemiskinan"),
    2: _("Tanpa Kelaparan"),
    3: _("Kehidupan Sehat dan Sejahtera"),
    4: _("Pendidikan Berkualitas"),
    5: _("Kesetaraan Gender"),
    6: _("Air Bersih dan Sanitasi Layak"),
    7: _("Energi Bersih dan Terjangkau"),
    8: _("Pekerjaan Layak dan Pertumbuhan Ekonomi"),
    9: _("Industri, Inovasi dan Infrastruktur"),
    10: _("Berkurangnya Kesenjangan"),
    11: _("Kota dan Permukiman yang Berkelanjutan"),
    12: _("Konsumsi dan Produksi yang Bertanggung Jawab"),
    13: _("Penanganan Perubahan Iklim"),
    14: _("Ekosistem Lautan"),
    15: _("Ekosistem Daratan"),
    16: _("Perdamaian, Keadilan dan Kelembagaan yang Tangguh"),
    17: _("Kemitraan untuk Mencapai Tujuan"),
}
