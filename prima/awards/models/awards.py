"""Award categories, awards and certificates (piagam), for every programme (DESIGN.md §8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prima.awards.enums import AwardSource, AwardStatus, Recipient
from prima.core.models import Institution, ServiceUnit
from prima.evaluation.models import Edition
from prima.innovations.models import Innovation


class AwardCategory(models.Model):
    """A category of an edition with how many awards it gives.

    `slots` splits `count` per institution kind when the category is ranked within kind
    (e.g. PKRI coaching: {"city": 5, …}); empty when the whole list is ranked together.
    `group` names the programme's list the winners come from (a PKRI group code).
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="award_categories")
    code = models.SlugField(_("kode"), max_length=40)
    title = models.CharField(_("nama penghargaan"), max_length=250)
    recipient = models.CharField(_("penerima"), max_length=12, choices=Recipient.choices)
    group = models.CharField(_("kelompok"), max_length=30, blank=True)
    count = models.PositiveIntegerField(_("jumlah penghargaan"))
    slots = models.JSONField(_("jumlah per jenis instansi"), default=dict, blank=True)
    min_score = models.DecimalField(
        _("nilai minimum"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["edition", "position", "code"]
        verbose_name = _("kategori penghargaan")
        verbose_name_plural = _("kategori penghargaan")
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="award_category_code")
        ]

    def __str__(self) -> str:
        return self.title


class Award(models.Model):
    """One recipient of a category: proposed from a ranking, then decided by the secretariat.

    An override adds a recipient the ranking did not propose, or removes a proposed one;
    both keep their reason. `institution` is the recipient or the innovation's owner.
    """

    category = models.ForeignKey(AwardCategory, on_delete=models.CASCADE, related_name="awards")
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="awards")
    institution = models.ForeignKey(
        Institution, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="awards"
    )
    innovation = models.ForeignKey(
        Innovation,
        verbose_name=_("inovasi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programme_awards",
    )
    unit = models.ForeignKey(
        ServiceUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stratum = models.CharField(_("strata"), max_length=24, blank=True)
    rank = models.PositiveIntegerField(_("peringkat"), null=True, blank=True)
    score = models.DecimalField(_("nilai"), max_digits=5, decimal_places=2, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AwardStatus.choices, default=AwardStatus.PROPOSED
    )
    source = models.CharField(
        _("dasar"), max_length=10, choices=AwardSource.choices, default=AwardSource.RANKING
    )
    reason = models.TextField(_("alasan keputusan"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decree_number = models.CharField(_("nomor keputusan"), max_length=120, blank=True)
    decree_date = models.DateField(_("tanggal keputusan"), null=True, blank=True)
    is_demo_placeholder = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category", "stratum", "rank", "id"]
        verbose_name = _("penghargaan")
        verbose_name_plural = _("penghargaan")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "institution"],
                condition=Q(innovation__isnull=True),
                name="award_institution_once",
            ),
            models.UniqueConstraint(
                fields=["category", "innovation"],
                condition=Q(innovation__isnull=False),
                name="award_innovation_once",
            ),
        ]
        indexes = [models.Index(fields=["edition", "status"])]

    def __str__(self) -> str:
        return f"{self.category}: {self.innovation or self.institution}"


class Certificate(models.Model):
    """The piagam of a decided award: a PDF whose QR code leads to its verification page.

    `facts` are what the certificate states (recipient, category, edition, decree); the
    verification page shows them. `signature` is an HMAC of code and facts under the
    server key, so a row edited behind the application's back no longer verifies.
    """

    # One valid certificate per award; a revoked one stays for the record and a new one
    # may be issued (e.g. after a corrected name or decree).
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(_("kode verifikasi"), max_length=24, unique=True)
    number = models.CharField(_("nomor piagam"), max_length=60, unique=True)
    facts = models.JSONField()
    signature = models.CharField(max_length=64)
    file = models.FileField(upload_to="awards/certificates/%Y/", blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    generated_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(_("alasan pencabutan"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("piagam")
        verbose_name_plural = _("piagam")
        constraints = [
            models.UniqueConstraint(
                fields=["award"],
                condition=Q(revoked_at__isnull=True),
                name="certificate_one_valid_per_award",
            )
        ]

    def __str__(self) -> str:
        return self.number
