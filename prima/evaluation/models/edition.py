"""Instruments, editions and their stages (DESIGN.md §5; kipp.md §5, §6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prima.evaluation.enums import EditionState, StageStatus
from prima.innovations.enums import Programme


class Instrument(models.Model):
    """A validated instrument loaded from YAML; immutable once an edition uses it.

    `content` is the canonical data (`instruments.to_data`), `content_hash` its SHA-256;
    every score version and selection run records the hash it was computed with.
    """

    code = models.SlugField(_("kode"), max_length=60)
    version = models.PositiveIntegerField(_("versi"))
    programme = models.CharField(_("program"), max_length=12, choices=Programme.choices)
    title = models.CharField(_("judul"), max_length=200)
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    source_name = models.CharField(_("berkas sumber"), max_length=200, blank=True)
    used_at = models.DateTimeField(_("pertama dipakai"), null=True, blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "code", "-version"]
        verbose_name = _("instrumen")
        verbose_name_plural = _("instrumen")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="instrument_code_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class Edition(models.Model):
    """One run of a programme (e.g. KIPP 2025): its rule set, instrument and lifecycle."""

    programme = models.CharField(_("program"), max_length=12, choices=Programme.choices)
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("tahun"))
    ordinal = models.PositiveSmallIntegerField(_("penyelenggaraan ke"), null=True, blank=True)
    title = models.CharField(_("nama"), max_length=200)
    theme = models.CharField(_("tema"), max_length=300, blank=True)
    legal_refs = models.JSONField(_("dasar hukum"), default=list, blank=True)
    state = models.CharField(
        _("tahap"), max_length=24, choices=EditionState.choices, default=EditionState.PLANNED
    )
    # The edition config (kipp.md §6) as validated data; frozen when registration opens,
    # after which only recorded amendments change it.
    rules = models.JSONField(_("aturan penyelenggaraan"), default=dict)
    rules_frozen_at = models.DateTimeField(null=True, blank=True)
    instrument = models.ForeignKey(
        Instrument,
        verbose_name=_("instrumen proposal"),
        on_delete=models.PROTECT,
        related_name="editions",
    )
    # Region codes on the edition's 3T list (kipp.md §11.2 `region_3t`).
    region_3t_codes = models.JSONField(default=list, blank=True)
    # Registration close after extensions (kipp.md §6, §15); the original stays in `rules`.
    registration_close = models.DateTimeField(_("batas pendaftaran"), null=True, blank=True)
    is_published = models.BooleanField(_("ditampilkan untuk publik"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "programme"]
        verbose_name = _("penyelenggaraan")
        verbose_name_plural = _("penyelenggaraan")

    def __str__(self) -> str:
        return self.title


class Stage(models.Model):
    """A stage of an edition, with its window and what it allows (pretalx review phases).

    Views and querysets read these flags; there is no `if stage == …` anywhere.
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="stages")
    code = models.CharField(_("kode"), max_length=24, choices=EditionState.choices)
    position = models.PositiveSmallIntegerField()
    status = models.CharField(
        _("status"), max_length=10, choices=StageStatus.choices, default=StageStatus.PENDING
    )
    starts_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    ends_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    # Capability flags.
    participants_submit = models.BooleanField(_("peserta boleh mengirim"), default=False)
    assessors_score = models.BooleanField(_("penilai boleh menilai"), default=False)
    identities_visible = models.BooleanField(_("identitas pengusul terlihat"), default=True)
    others_scores_visible = models.BooleanField(_("nilai penilai lain terlihat"), default=False)
    decisions_open = models.BooleanField(_("keputusan boleh diubah"), default=False)
    objections_open = models.BooleanField(_("sanggahan publik dibuka"), default=False)
    # The instrument part scored in this stage: "sections" (the proposal sections),
    # "rubric" / "rubric:<name>" (a named rubric, e.g. feasibility); blank when nobody scores.
    scoring = models.CharField(max_length=24, blank=True)
    assessor_role = models.CharField(max_length=12, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["edition", "position"]
        verbose_name = _("tahap")
        verbose_name_plural = _("tahap")
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="stage_unique_code"),
            models.UniqueConstraint(
                fields=["edition"],
                condition=Q(status=StageStatus.OPEN),
                name="stage_one_open_per_edition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} — {self.get_code_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == StageStatus.OPEN
