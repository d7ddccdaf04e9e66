"""Citizen accounts: members of the public verified by a one-time code to a mobile number.

Citizens are not `Person`s: they hold no role, never log in with a password and never see
an internal page. One account per mobile number; the number is never displayed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Citizen(models.Model):
    # E.164 (+62…), normalised by `phonenumbers`; unique, so one account per number.
    phone = models.CharField(_("nomor ponsel"), max_length=20, unique=True)
    phone_verified_at = models.DateTimeField(_("ponsel terverifikasi"))
    email = models.EmailField(_("surel"), blank=True)
    email_verified_at = models.DateTimeField(_("surel terverifikasi"), null=True, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("akun warga")
        verbose_name_plural = _("akun warga")

    def __str__(self) -> str:
        # Never the number: citizens are shown by account number only.
        return f"Warga #{self.pk}"

    @property
    def verified_email_domain(self) -> str:
        """The domain of a verified e-mail address, lower case; empty if none is verified."""
        if not self.email or self.email_verified_at is None:
            return ""
        return self.email.rsplit("@", 1)[-1].lower()


class OneTimeCodePurpose(models.TextChoices):
    PHONE_LOGIN = "phone_login", _("Masuk dengan ponsel")
    EMAIL_VERIFY = "email_verify", _("Verifikasi surel")


class OneTimeCode(models.Model):
    """A code sent to a phone or an address; only its keyed hash is stored."""

    purpose = models.CharField(max_length=16, choices=OneTimeCodePurpose.choices)
    # The phone (E.164) or e-mail address the code was sent to.
    target = models.CharField(max_length=254, db_index=True)
    citizen = models.ForeignKey(
        Citizen, on_delete=models.CASCADE, null=True, blank=True, related_name="codes"
    )
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["purpose", "target", "created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} #{self.pk}"


class CitizenToken(models.Model):
    """A bearer token for a citizen's own API calls (mobile apps); only its digest is stored."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token warga #{self.citizen_id}"
