"""KIPP codes (kipp.md §7.3, §8, §9, §12, §15)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("Draf di UPP")
    AT_INSTITUTION = "at_institution", _("Di Admin Lokal")
    RETURNED = "returned", _("Dikembalikan ke UPP")
    SUBMITTED = "submitted", _("Diajukan")
    ADMIN_PASSED = "admin_passed", _("Lolos seleksi administrasi")
    ADMIN_FAILED = "admin_failed", _("Tidak lolos seleksi administrasi")
    DESK_REVIEW = "desk_review", _("Penilaian Tim Evaluasi")
    NOMINATED = "nominated", _("Nominasi")
    NOT_NOMINATED = "not_nominated", _("Tidak lolos penilaian TE")
    PANEL_REVIEW = "panel_review", _("Penilaian TPI")
    FINALIST = "finalist", _("Finalis")
    NOT_FINALIST = "not_finalist", _("Tidak masuk finalis")
    UNDER_OBJECTION = "under_objection", _("Uji publik")
    CONFIRMED_FINALIST = "confirmed_finalist", _("Finalis terkonfirmasi")
    PRESENTED = "presented", _("Sudah presentasi/dinilai")
    FIELD_VERIFICATION = "field_verification", _("Verifikasi lapangan")
    WINNER = "winner", _("Pemenang")
    FINALIST_ONLY = "finalist_only", _("Finalis (bukan pemenang)")
    DECREED = "decreed", _("Ditetapkan (Kepmen)")
    AWARDED = "awarded", _("Penghargaan diserahkan")
    WITHDRAWN = "withdrawn", _("Ditarik")
    DISQUALIFIED = "disqualified", _("Didiskualifikasi")
    REVOKED = "revoked", _("Dicabut")


# States in which the proposal is still with the participant (registered, not submitted).
PARTICIPANT_STATES = frozenset(
    {ProposalState.DRAFT, ProposalState.AT_INSTITUTION, ProposalState.RETURNED}
)
# States whose result participants see only after the matching announcement (§8).
ANNOUNCED_STATES = frozenset(
    {
        ProposalState.ADMIN_PASSED,
        ProposalState.ADMIN_FAILED,
        ProposalState.NOMINATED,
        ProposalState.NOT_NOMINATED,
        ProposalState.FINALIST,
        ProposalState.NOT_FINALIST,
        ProposalState.WINNER,
        ProposalState.FINALIST_ONLY,
    }
)


class AttachmentKind(models.TextChoices):
    START_EVIDENCE = "bukti_mulai_implementasi", _("Bukti mulai implementasi")
    INNOVATOR_DECREE = "sk_inovator", _("SK inovator")
    SERVICE_STANDARD = "standar_pelayanan", _("Standar pelayanan")
    SERVICE_CHARTER = "maklumat_pelayanan", _("Maklumat pelayanan")
    COMPLAINT_DECREE = "sk_pengaduan", _("SK pengelolaan pengaduan")
    REPLICATION_STATEMENT = "pernyataan_replikasi", _("Pernyataan replikasi")
    EVALUATION_DOCUMENT = "dokumen_evaluasi", _("Dokumen evaluasi")
    DECLARATION = "pernyataan_kebenaran", _("Pernyataan kebenaran data")
    OTHER = "lainnya", _("Lainnya")


class AdminReason(models.TextChoices):
    """Reason codes of the administrative check (§9)."""

    AGE_BELOW_MINIMUM = "age_below_minimum", _("Usia inovasi di bawah minimum")
    AGE_UNPROVEN = "age_unproven", _("Usia inovasi tidak dibuktikan")
    INCOMPLETE = "incomplete", _("Berkas tidak lengkap")
    CARELESS_CONTENT = "careless_content", _("Isian tidak relevan, disalin atau asal")
    DUPLICATE_TITLE = "duplicate_title", _("Judul ganda dalam instansi")
    WINNER_TIER_HELD = "winner_tier_held", _("Pernah menjadi pemenang")
    TOP99_TWICE = "top99_twice", _("Dua kali masuk Top 99")
    REQUIRED_TIER_MISSING = "required_tier_missing", _("Tidak memenuhi syarat undangan")
    REPLICATION_LINK_MISSING = "replication_link_missing", _("Tautan replikasi tidak ada")
    REPLICATION_SOURCE_NOT_ELIGIBLE = (
        "replication_source_not_eligible",
        _("Inovasi asal replikasi tidak memenuhi syarat"),
    )
    CATEGORY_MISMATCH = "category_mismatch", _("Kategori tidak sesuai")
    QUOTA_EXCEEDED = "quota_exceeded", _("Kuota instansi terlampaui")
    OTHER = "other", _("Lainnya")


class DisqualificationReason(models.TextChoices):
    FALSE_DATA = "false_data", _("Data tidak benar")
    PLAGIARISM = "plagiarism", _("Plagiasi")
    INELIGIBLE = "ineligible", _("Tidak memenuhi syarat")
    OBJECTION_UPHELD = "objection_upheld", _("Sanggahan diterima")
    OTHER = "other", _("Lainnya")


class ObjectionGround(models.TextChoices):
    FALSE_DATA = "false_data", _("Data tidak benar")
    NOT_RUNNING = "not_running", _("Inovasi tidak berjalan")
    PLAGIARISM = "plagiarism", _("Plagiasi")
    INELIGIBLE = "ineligible", _("Tidak memenuhi syarat")
    OTHER = "other", _("Lainnya")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Belum ditangani")
    REJECTED = "rejected", _("Ditolak")
    UPHELD = "upheld", _("Diterima")
    REFERRED_TO_PANEL = "referred_to_panel", _("Diteruskan ke TPI")


class AnnouncementKind(models.TextChoices):
    LAUNCH = "launch", _("Peluncuran")
    REGISTRATION_EXTENSION = "registration_extension", _("Perpanjangan pendaftaran")
    ADMIN_RESULT = "admin_result", _("Hasil seleksi administrasi")
    NOMINEES = "nominees", _("Nominasi")
    FINALISTS = "finalists", _("Finalis")
    OBJECTION_RESULT = "objection_result", _("Hasil uji publik")
    SCHEDULE = "schedule", _("Jadwal presentasi")
    WINNERS = "winners", _("Pemenang")
    OTHER = "other", _("Lainnya")


class SlotMode(models.TextChoices):
    ONLINE = "online", _("Daring")
    ONSITE = "onsite", _("Luring")


class VisitOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Terkonfirmasi")
    NOT_CONFIRMED = "not_confirmed", _("Tidak terkonfirmasi")
