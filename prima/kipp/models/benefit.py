"""Public benefit ratings of finalists by verified citizens (kipp.md §14)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prima.core.models import Citizen
from prima.evaluation.models import Edition
from prima.kipp.models.proposal import Proposal


class RatingRelationship(models.TextChoices):
    """Q0: how the rater knows the innovation."""

    USED_MYSELF = "used_myself", _("Saya sendiri pernah memakai layanan ini")
    FAMILY_OR_COMMUNITY = (
        "family_or_community_used",
        _("Keluarga atau lingkungan saya pernah memakainya"),
    )
    KNOW_OF_IT = "know_of_it", _("Saya mengetahui inovasi ini")
    NOT_FAMILIAR = "not_familiar", _("Saya tidak mengenal inovasi ini")


class RatingExclusion(models.TextChoices):
    """Why a kept rating does not count (§14 rule 3)."""

    NOT_FAMILIAR = "not_familiar", _("Tidak mengenal inovasi")
    AFFILIATED = "affiliated", _("Menyatakan afiliasi dengan instansi pengusul")
    OFFICIAL_EMAIL = "official_email", _("Surel terverifikasi pada domain resmi instansi")


class RatingSuspicion(models.TextChoices):
    """Why a rating was marked suspect (§14 rules 4 and 5)."""

    BURST = "burst", _("Lonjakan penilaian dalam 60 menit")
    NETWORK = "network", _("Banyak akun dari satu jaringan dalam 24 jam")


class BenefitRatingKey(models.Model):
    """The per-edition secret that keys the IP hashes, and when the hashes were deleted."""

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, related_name="+")
    secret = models.CharField(max_length=64)
    addresses_purged_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"rating key {self.edition_id}"


class BenefitRating(models.Model):
    """One citizen's rating of one finalist; re-rating in the window replaces it (§14 rule 1)."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="benefit_ratings")
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="kipp_ratings")
    relationship = models.CharField(
        _("hubungan dengan inovasi"), max_length=24, choices=RatingRelationship.choices
    )
    benefit = models.PositiveSmallIntegerField(_("kebermanfaatan (1–5)"))
    adoption = models.PositiveSmallIntegerField(_("layak ditiru daerah lain (1–5)"))
    affiliated = models.BooleanField(_("berafiliasi dengan instansi pengusul"), default=False)
    comment = models.CharField(_("komentar"), max_length=500, blank=True)
    # r = ((Q1 + Q2) / 2 − 1) / 4 × 100, to 2 decimals.
    value = models.DecimalField(_("nilai"), max_digits=5, decimal_places=2)
    exclusion = models.CharField(
        _("dikecualikan"), max_length=16, choices=RatingExclusion.choices, blank=True
    )
    suspicion = models.CharField(
        _("mencurigakan"), max_length=8, choices=RatingSuspicion.choices, blank=True
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    release_reason = models.TextField(_("alasan pelepasan"), blank=True)
    created_at = models.DateTimeField()
    rated_at = models.DateTimeField(db_index=True)  # the latest (re-)rating
    # Keyed hashes (BenefitRatingKey) of the full address and of its /24 or /48 prefix;
    # emptied 90 days after the edition closes (§14 rule 8).
    address_hash = models.CharField(max_length=64, blank=True)
    network_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("penilaian kebermanfaatan")
        verbose_name_plural = _("penilaian kebermanfaatan")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "citizen"], name="kipp_benefit_one_per_citizen"
            ),
            models.CheckConstraint(
                condition=Q(benefit__gte=1, benefit__lte=5, adoption__gte=1, adoption__lte=5),
                name="kipp_benefit_answers_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["proposal", "rated_at"]),
            models.Index(fields=["citizen", "rated_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} — {self.citizen}"

    @property
    def counts(self) -> bool:
        """Whether the rating enters the public score (§14 rules 3 and 6)."""
        return not self.exclusion and (not self.suspicion or self.released_at is not None)
