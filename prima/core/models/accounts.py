"""People, their memberships (role × scope), account requests and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prima.core.enums import AccountRequestStatus, Role, Scope
from prima.core.models.registry import Institution, ServiceUnit


class Person(AbstractUser):
    """A user of Prima. Roles come from memberships, never from Django's groups."""

    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    phone = models.CharField(_("nomor telepon"), max_length=30, blank=True)
    nip = models.CharField(_("NIP"), max_length=30, blank=True)
    expertise = models.TextField(_("kata kunci keahlian"), blank=True)
    # First-login gates: the profile, then the password, before any other page.
    must_complete_profile = models.BooleanField(default=True)
    must_change_password = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.username


class Membership(models.Model):
    """A role a person holds at a scope: national, an institution, or a service unit."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("peran"), max_length=24, choices=Role.choices)
    scope = models.CharField(_("cakupan"), max_length=12, choices=Scope.choices)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("instansi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        ServiceUnit,
        verbose_name=_("unit pelayanan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    # Set when deactivating the person switched this membership off, so reactivation
    # restores exactly those and never a membership that was revoked on purpose.
    paused_by_deactivation = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            # A unit membership also names the unit's institution, so tenancy filters are one join.
            models.CheckConstraint(
                condition=(
                    Q(scope=Scope.NATIONAL, institution__isnull=True, unit__isnull=True)
                    | Q(scope=Scope.INSTITUTION, institution__isnull=False, unit__isnull=True)
                    | Q(scope=Scope.UNIT, institution__isnull=False, unit__isnull=False)
                ),
                name="membership_scope_matches_target",
            ),
            models.UniqueConstraint(
                fields=["person", "role"],
                condition=Q(scope=Scope.NATIONAL),
                name="membership_unique_national",
            ),
            models.UniqueConstraint(
                fields=["person", "role", "institution"],
                condition=Q(scope=Scope.INSTITUTION),
                name="membership_unique_institution",
            ),
            models.UniqueConstraint(
                fields=["person", "role", "unit"],
                condition=Q(scope=Scope.UNIT),
                name="membership_unique_unit",
            ),
        ]

    def __str__(self) -> str:
        target = self.unit or self.institution or _("nasional")
        return f"{self.person} — {self.get_role_display()} — {target}"


class AccountRequest(models.Model):
    """An institution's request for its Admin Lokal account, backed by an official letter."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("instansi"),
        on_delete=models.PROTECT,
        related_name="account_requests",
    )
    full_name = models.CharField(_("nama pejabat"), max_length=150)
    position = models.CharField(_("jabatan"), max_length=150)
    email = models.EmailField(_("surel resmi"))
    phone = models.CharField(_("nomor telepon"), max_length=30)
    letter = models.FileField(_("surat permohonan"), upload_to="account-requests/%Y/")
    letter_number = models.CharField(_("nomor surat"), max_length=100)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AccountRequestStatus.choices,
        default=AccountRequestStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("alasan"), blank=True)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account_requests",
        help_text="The account created on approval.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("permohonan akun")
        verbose_name_plural = _("permohonan akun")

    def __str__(self) -> str:
        return f"{self.institution} — {self.full_name}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 digest is stored; the key is shown once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama token"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
