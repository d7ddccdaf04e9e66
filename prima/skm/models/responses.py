"""Responses, the counters kept from them, and one-time survey tokens (skm.md §4, §7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prima.core.models import ServiceUnit
from prima.skm.enums import Channel, Dimension, TokenKind
from prima.skm.models.surveys import Survey

# Answers are stored by position in the instrument's element list (skm-2004 has 14), so
# ten million rows stay narrow and SQL can aggregate them; files and the API always name
# elements by code (skm.md §2), and `prima.skm.domain.responses` maps one to the other.
MAX_ELEMENTS = 14
ANSWER_FIELDS = tuple(f"a{position:02d}" for position in range(1, MAX_ELEMENTS + 1))


class Response(models.Model):
    """One respondent's answers. Immutable; a wrong entry is voided with a reason.

    No name, ID number, phone or e-mail is stored (skm.md §4).
    """

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    respondent_ref = models.CharField(_("nomor responden"), max_length=64)
    answered_on = models.DateField(_("tanggal mengisi"))
    service_code = models.CharField(_("kode layanan"), max_length=40)
    gender = models.CharField(_("jenis kelamin"), max_length=1, blank=True)
    age_band = models.CharField(_("kelompok umur"), max_length=8, blank=True)
    education = models.CharField(_("pendidikan"), max_length=8, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=20, blank=True)
    a01 = models.PositiveSmallIntegerField(null=True, blank=True)
    a02 = models.PositiveSmallIntegerField(null=True, blank=True)
    a03 = models.PositiveSmallIntegerField(null=True, blank=True)
    a04 = models.PositiveSmallIntegerField(null=True, blank=True)
    a05 = models.PositiveSmallIntegerField(null=True, blank=True)
    a06 = models.PositiveSmallIntegerField(null=True, blank=True)
    a07 = models.PositiveSmallIntegerField(null=True, blank=True)
    a08 = models.PositiveSmallIntegerField(null=True, blank=True)
    a09 = models.PositiveSmallIntegerField(null=True, blank=True)
    a10 = models.PositiveSmallIntegerField(null=True, blank=True)
    a11 = models.PositiveSmallIntegerField(null=True, blank=True)
    a12 = models.PositiveSmallIntegerField(null=True, blank=True)
    a13 = models.PositiveSmallIntegerField(null=True, blank=True)
    a14 = models.PositiveSmallIntegerField(null=True, blank=True)
    suggestion = models.TextField(_("saran"), blank=True)
    channel = models.CharField(_("saluran"), max_length=8, choices=Channel.choices)
    # Paper entry and imports: the operator; online answers have none.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    void_reason = models.TextField(_("alasan pembatalan"), blank=True)

    class Meta:
        ordering = ["survey", "id"]
        verbose_name = _("jawaban survei")
        verbose_name_plural = _("jawaban survei")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent_ref"], name="skm_respondent_ref_unique"
            )
        ]
        indexes = [models.Index(fields=["survey", "answered_on"])]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.respondent_ref}"


class ResponseCounter(models.Model):
    """Running totals of a survey's accepted responses for one slice (skm.md §5).

    ``answers`` maps element code → {answer value: respondents}: the count n_u and the
    sum Σ of an element both follow, and so do the distribution and the most frequent
    answer. Updated in the transaction that accepts or voids a response, so a unit's
    result costs the same at 10 or 10 million responses; `recompute_counters` rebuilds
    them from the raw rows and must give the same figures.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="counters")
    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    key = models.CharField(max_length=40, blank=True)
    respondents = models.PositiveIntegerField(default=0)
    answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["survey", "dimension", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "dimension", "key"], name="skm_counter_unique_slice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.dimension}:{self.key}"


class SurveyToken(models.Model):
    """A one-time permission to answer once: a counter code or an after-service link.

    Only the SHA-256 digest of the secret is kept (mpp.md §9). The token names the unit,
    not a survey: it opens the unit's collecting survey whose period holds the answer
    date. The response is never linked to the token; only ``used_at`` is recorded.
    """

    unit = models.ForeignKey(ServiceUnit, on_delete=models.PROTECT, related_name="skm_tokens")
    kind = models.CharField(max_length=4, choices=TokenKind.choices)
    digest = models.CharField(max_length=64, unique=True)
    service_code = models.CharField(_("kode layanan"), max_length=40, blank=True)
    # Printed sheets are issued in batches; the label helps staff tell sheets apart.
    batch = models.CharField(_("kelompok"), max_length=60, blank=True)
    issued_on = models.DateField(_("tanggal layanan"))
    expires_at = models.DateTimeField(_("berlaku sampai"))
    used_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("kode survei sekali pakai")
        verbose_name_plural = _("kode survei sekali pakai")
        indexes = [models.Index(fields=["unit", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.unit_id}:{self.kind}:{self.digest[:8]}"
