"""PKRI codes (pkri.md §3–§6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Group(models.TextChoices):
    """Assessment groups (pkri.md §4); the codes are edition data kept as the spec gives them."""

    PEMBINAAN = "pembinaan", _("Pembinaan Inovasi oleh Instansi Pemerintah")
    KEBERLANJUTAN = "keberlanjutan", _("Keberlanjutan Inovasi")
    REPLIKASI = "replikasi", _("Replikasi Inovasi")


OBJECT_GROUPS = (Group.KEBERLANJUTAN, Group.REPLIKASI)


class FormKind(models.TextChoices):
    COACHING = "coaching", _("Formulir pembinaan inovasi")
    SUSTAINABILITY = "sustainability", _("Formulir keberlanjutan")
    REPLICATION = "replication", _("Formulir replikasi")


FORM_OF_GROUP = {
    Group.PEMBINAAN: FormKind.COACHING,
    Group.KEBERLANJUTAN: FormKind.SUSTAINABILITY,
    Group.REPLIKASI: FormKind.REPLICATION,
}


class FormState(models.TextChoices):
    """One state list for object and coaching forms (pkri.md §5.2).

    Coaching forms skip `at_institution`/`returned` (Admin Lokal fills them in) and
    `shortlisted`…`interviewed` (no interview by default); they use `ranked` instead.
    """

    ANNOUNCED = "announced", _("Diumumkan")
    DRAFT = "draft", _("Draf")
    AT_INSTITUTION = "at_institution", _("Di Admin Lokal")
    RETURNED = "returned", _("Dikembalikan untuk diperbaiki")
    SUBMITTED = "submitted", _("Dikirim")
    DESK_REVIEW = "desk_review", _("Penilaian dokumen")
    DESK_EVALUATED = "desk_evaluated", _("Selesai dinilai")
    SHORTLISTED = "shortlisted", _("Masuk daftar wawancara")
    NOT_SHORTLISTED = "not_shortlisted", _("Tidak masuk daftar wawancara")
    INTERVIEWED = "interviewed", _("Sudah diwawancarai")
    RANKED = "ranked", _("Sudah diperingkat")
    AWARDED = "awarded", _("Menerima penghargaan")
    NOT_AWARDED = "not_awarded", _("Tidak menerima penghargaan")
    FORM_MISSING = "form_missing", _("Formulir tidak dikirim")
    EXCLUDED = "excluded", _("Dikeluarkan dari lingkup")


# States in which the unit or Admin Lokal may still edit the form (while forms are open).
EDITABLE_STATES = frozenset(
    {FormState.ANNOUNCED, FormState.DRAFT, FormState.AT_INSTITUTION, FormState.RETURNED}
)
# States reached only after submission: the form counts as a response.
SUBMITTED_STATES = frozenset(
    {
        FormState.SUBMITTED,
        FormState.DESK_REVIEW,
        FormState.DESK_EVALUATED,
        FormState.SHORTLISTED,
        FormState.NOT_SHORTLISTED,
        FormState.INTERVIEWED,
        FormState.RANKED,
        FormState.AWARDED,
        FormState.NOT_AWARDED,
    }
)


class ScopeOrigin(models.TextChoices):
    DERIVED = "derived", _("Diturunkan dari registri")
    ADDED = "added", _("Ditambahkan sekretariat")
    IMPORTED = "imported", _("Diimpor dari berkas")
    AMENDMENT = "amendment", _("Ditambahkan lewat pengumuman perubahan")


class AnnouncementKind(models.TextChoices):
    SCOPE = "scope", _("Penetapan lokus dan objek")
    AMENDMENT = "amendment", _("Perubahan lokus dan objek")
    FORMS_EXTENSION = "forms_extension", _("Perpanjangan pengisian formulir")
    SHORTLIST = "shortlist", _("Daftar peserta wawancara")
    RESULTS = "results", _("Hasil PKRI")
