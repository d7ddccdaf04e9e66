"""Proposals: one per innovation per edition, with answers, files and state history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prima.core.models import Institution, ServiceUnit
from prima.evaluation.models import Edition, Subject
from prima.innovations.models import Innovation
from prima.kipp.enums import AttachmentKind, ProposalState


class Proposal(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="proposals")
    subject = models.OneToOneField(Subject, on_delete=models.PROTECT, related_name="proposal")
    innovation = models.ForeignKey(
        Innovation, verbose_name=_("inovasi"), on_delete=models.PROTECT, related_name="proposals"
    )
    # The proposing unit and institution; copied again at submission (kipp.md §5).
    unit = models.ForeignKey(
        ServiceUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="proposals"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("instansi pengusul"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    title = models.CharField(_("judul inovasi"), max_length=200)
    group = models.CharField(_("kelompok"), max_length=30)
    category = models.CharField(_("kategori"), max_length=60)
    sdg_goals = models.JSONField(_("tujuan SDGs"), default=list, blank=True)
    # Section code → answer text, per the edition's instrument.
    answers = models.JSONField(_("jawaban"), default=dict, blank=True)
    # Extra form code → question code → answer, for the forms the edition's rules name
    # (``extra_forms``, e.g. the SPBE form; kipp/domain/extra_forms.py).
    extra_answers = models.JSONField(_("jawaban formulir tambahan"), default=dict, blank=True)
    video_url = models.URLField(_("tautan video"), blank=True)
    video_minutes = models.DecimalField(
        _("durasi video (menit)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    declaration = models.BooleanField(_("pernyataan kebenaran data"), default=False)
    state = models.CharField(
        _("status"), max_length=20, choices=ProposalState.choices, default=ProposalState.DRAFT
    )
    # What participants see: announced results only appear after their announcement (§8).
    participant_state = models.CharField(
        max_length=20, choices=ProposalState.choices, default=ProposalState.DRAFT
    )
    state_reason = models.TextField(_("alasan"), blank=True)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    # The frozen content at submission; the admin check and later stages read it.
    snapshot = models.JSONField(null=True, blank=True)
    snapshot_hash = models.CharField(max_length=64, blank=True)
    # Results copied from the engine when a stage closes, for lists and statistics.
    desk_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    final_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    tiers = models.JSONField(_("tier"), default=list, blank=True)
    disqualification_reason = models.CharField(max_length=20, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal KIPP")
        verbose_name_plural = _("proposal KIPP")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "innovation"],
                condition=~Q(state="withdrawn"),
                name="proposal_one_per_innovation",
            )
        ]
        indexes = [
            models.Index(fields=["edition", "state"]),
            models.Index(fields=["edition", "institution", "group"]),
            models.Index(fields=["-created_at", "-id"], name="proposal_newest"),
        ]

    def __str__(self) -> str:
        return self.title


class ProposalAttachment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("jenis lampiran"), max_length=30, choices=AttachmentKind.choices)
    file = models.FileField(upload_to="kipp/%Y/")
    original_name = models.CharField(_("nama berkas"), max_length=255)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "kind", "id"]
        verbose_name = _("lampiran proposal")
        verbose_name_plural = _("lampiran proposal")

    def __str__(self) -> str:
        return self.original_name


class ProposalTransition(models.Model):
    """The state history shown on the proposal page (the audit log holds the same, chained)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=ProposalState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=ProposalState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    # Keyed hash of the actor's IP address (§8), never the address itself.
    ip_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "created_at", "id"]
        verbose_name = _("riwayat status proposal")
        verbose_name_plural = _("riwayat status proposal")

    def __str__(self) -> str:
        return f"{self.proposal}: {self.from_state} → {self.to_state}"


class Invitation(models.Model):
    """The secretariat's invitation of a past winner to an invitation-only group (khusus)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="invitations")
    innovation = models.ForeignKey(Innovation, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    group = models.CharField(_("kelompok"), max_length=30)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["edition", "id"]
        verbose_name = _("undangan")
        verbose_name_plural = _("undangan")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "innovation", "group"], name="invitation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.innovation} ({self.group})"


class AdminCheck(models.Model):
    """The administrative check of one proposal: automatic results and the decision."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="admin_check")
    # [{"rule", "passed", "code", "message"}] from the eligibility checks (§9).
    automatic = models.JSONField(default=list)
    # [{"code", "note", "by", "at"}]: the secretariat confirmed or overrode a check.
    overrides = models.JSONField(default=list, blank=True)
    passed = models.BooleanField(null=True)
    reasons = models.JSONField(_("alasan"), default=list, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(auto_now=True)

    class Status(models.TextChoices):
        PENDING = "pending", _("Belum diperiksa")
        PASSED = "passed", _("Semua terpenuhi")
        WARNING = "warning", _("Ada peringatan")
        FAILED = "failed", _("Ada yang gagal")

    # The automatic results with the overrides applied (kipp/domain/admin_check.status_from),
    # stored whenever either changes so the queue filters in the database.
    status = models.CharField(
        _("hasil otomatis"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # [{"proposal": id, "similarity": 0–1}]: the most similar submitted proposals of the
    # edition, best first, computed for the whole edition in one pass.
    similar = models.JSONField(_("proposal mirip"), default=list, blank=True)
    similar_computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("seleksi administrasi")
        verbose_name_plural = _("seleksi administrasi")
        indexes = [models.Index(fields=["status"], name="admincheck_status")]

    def __str__(self) -> str:
        return f"{self.proposal}"
