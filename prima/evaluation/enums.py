"""Codes of the evaluation engine, shared by every programme (DESIGN.md §5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EditionState(models.TextChoices):
    """The lifecycle of an edition (kipp.md §5). Other programmes use a subset of it.

    Every state between `planned` and `closed` is a `Stage` row of the edition; advancing
    the edition closes the open stage and opens the next enabled one.
    """

    PLANNED = "planned", _("Direncanakan")
    # PKRI (pkri.md §5.2): the scope is derived, edited and frozen, then forms are filled in.
    SCOPE_DRAFT = "scope_draft", _("Penyusunan lokus dan objek")
    SCOPE_FROZEN = "scope_frozen", _("Lokus dan objek ditetapkan")
    FORMS_OPEN = "forms_open", _("Pengisian formulir")
    FORMS_CLOSED = "forms_closed", _("Pengisian formulir ditutup")
    LAUNCHED = "launched", _("Diluncurkan")
    REGISTRATION_OPEN = "registration_open", _("Pendaftaran dibuka")
    REGISTRATION_CLOSED = "registration_closed", _("Pendaftaran ditutup")
    ADMIN_SELECTION = "admin_selection", _("Seleksi administrasi")
    DESK_EVALUATION = "desk_evaluation", _("Penilaian Tim Evaluasi")
    SHORTLIST_PUBLISHED = "shortlist_published", _("Daftar wawancara diumumkan")
    INTERVIEWS = "interviews", _("Wawancara Tim Penilai Independen")
    PLENARY = "plenary", _("Rapat pleno")
    PANEL_STAGE = "panel_stage", _("Penilaian Tim Panel Independen")
    OBJECTION_WINDOW = "objection_window", _("Uji publik")
    FINAL_STAGE = "final_stage", _("Presentasi dan penilaian akhir")
    RESULTS = "results", _("Penetapan hasil")
    DECREED = "decreed", _("Ditetapkan (Kepmen)")
    AWARDED = "awarded", _("Penghargaan diserahkan")
    CLOSED = "closed", _("Ditutup")


class StageStatus(models.TextChoices):
    PENDING = "pending", _("Belum dibuka")
    OPEN = "open", _("Berjalan")
    CLOSED = "closed", _("Ditutup")
    SKIPPED = "skipped", _("Dilewati")


class AssessorRole(models.TextChoices):
    EVALUATOR = "evaluator", _("Tim Evaluasi")
    PANELIST = "panelist", _("Tim Panel Independen")
    PANEL_CHAIR = "panel_chair", _("Ketua Tim Panel Independen")


class ConflictKind(models.TextChoices):
    """Why an assessor may not assess a subject (kipp.md §10.1)."""

    SAME_INSTITUTION = "same_institution", _("Instansi yang sama")
    SAME_PROVINCE_LOCAL = "same_province_local", _("Provinsi yang sama (pemerintah daerah)")
    DECLARED = "declared", _("Dinyatakan sendiri")
    SECRETARIAT_ENTERED = "secretariat_entered", _("Dicatat sekretariat")


class ConflictNature(models.TextChoices):
    FAMILY = "family", _("Hubungan keluarga")
    CONSULTANCY = "consultancy", _("Konsultan/pendamping")
    COAUTHORSHIP = "coauthorship", _("Rekan penulis")
    EMPLOYMENT = "employment", _("Pernah bekerja di instansi (3 tahun terakhir)")
    OTHER = "other", _("Lainnya")


class PinKind(models.TextChoices):
    FORCE = "force", _("Wajibkan")
    FORBID = "forbid", _("Larang")


class RunStatus(models.TextChoices):
    OPTIMAL = "optimal", _("Optimal")
    INFEASIBLE = "infeasible", _("Tidak layak")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    FINAL = "final", _("Final")


class SelectionKind(models.TextChoices):
    PROPOSED = "proposed", _("Usulan sistem")
    ADOPTED = "adopted", _("Ditetapkan pleno")


class PickReason(models.TextChoices):
    MERIT = "merit", _("Peringkat")
    QUOTA = "quota", _("Kuota komposisi")
    OVERRIDE = "override", _("Keputusan pleno")
