"""The signature of a certificate and the one way to revoke it (DESIGN.md §8).

`signature` = `salted_hmac("prima.awards.certificate", message, algorithm="sha256")` of
the verification code, the canonical JSON of the facts and the revocation state (the ISO
time of `revoked_at`, or ""). Clearing or changing any of them behind the application's
back makes the row read as tampered. A rotated key keeps verifying through
`SECRET_KEY_FALLBACKS`.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from prima.awards.models import Certificate

KEY_SALT = "prima.awards.certificate"


def canonical(facts: Mapping[str, Any]) -> str:
    return json.dumps(facts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def revocation_state(revoked_at: dt.datetime | None) -> str:
    """The revocation as signed: its UTC ISO time, or "" while valid."""
    return revoked_at.astimezone(dt.UTC).isoformat() if revoked_at is not None else ""


def _message(code: str, facts: Mapping[str, Any], revoked_at: dt.datetime | None) -> str:
    return f"{code}\n{canonical(facts)}\n{revocation_state(revoked_at)}"


def sign(
    code: str,
    facts: Mapping[str, Any],
    revoked_at: dt.datetime | None = None,
    *,
    secret: str | None = None,
) -> str:
    return salted_hmac(
        KEY_SALT,
        _message(code, facts, revoked_at),
        secret=secret or settings.SECRET_KEY,
        algorithm="sha256",
    ).hexdigest()


def signature_holds(certificate: Certificate) -> bool:
    """Whether the stored signature matches the row under the key or a fallback key."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    given = certificate.signature or ""
    return any(
        hmac.compare_digest(
            sign(certificate.code, certificate.facts or {}, certificate.revoked_at, secret=key),
            given,
        )
        for key in secrets
    )


def mark_revoked(certificate: Certificate, reason: str) -> Certificate:
    """Revoke and re-sign (the caller holds the row lock, checks and audits)."""
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason
    certificate.signature = sign(certificate.code, certificate.facts or {}, certificate.revoked_at)
    certificate.save(update_fields=["revoked_at", "revoked_reason", "signature"])
    return certificate
