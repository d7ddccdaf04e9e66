"""Personal API tokens: the key is shown once; only its prefix and SHA-256 digest are kept."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.api_auth import digest_of
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import ApiToken, Person

KEY_PREFIX = "prima_"
# Shown in lists so a person can tell their tokens apart; too short to help a guesser.
PREFIX_LENGTH = 12
MAX_ACTIVE_TOKENS = 20
TOKEN_FIELDS = ("person", "name", "prefix", "revoked_at")


def create_api_token(*, actor: Person, name: str) -> tuple[ApiToken, str]:
    """Create a token for the actor and return it with its clear key.

    The key is returned here and nowhere else: the database keeps only its digest, so a
    lost key cannot be shown again (revoke it and create another).
    """
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(
            _("Beri nama token, misalnya nama aplikasi yang akan memakainya."), field="name"
        )
    if len(name) > 100:
        raise DomainError(_("Nama token paling banyak 100 karakter."), field="name")
    if not actor.is_active:
        raise PermissionDenied(_("Akun nonaktif tidak dapat membuat token."))
    with transaction.atomic():
        # Lock the person row: two simultaneous requests must not both pass the limit.
        Person.objects.select_for_update().filter(pk=actor.pk).first()
        active = ApiToken.objects.filter(person=actor, revoked_at__isnull=True)
        if active.filter(name__iexact=name).exists():
            raise DomainError(
                _("Anda sudah memiliki token aktif bernama «%(name)s»; pilih nama lain.")
                % {"name": name},
                field="name",
            )
        if active.count() >= MAX_ACTIVE_TOKENS:
            raise DomainError(
                _("Paling banyak %(limit)s token aktif; cabut token yang tidak dipakai lagi.")
                % {"limit": MAX_ACTIVE_TOKENS},
                field="name",
            )
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            person=actor, name=name, prefix=key[:PREFIX_LENGTH], digest=digest_of(key)
        )
        audit.record(
            actor=actor,
            action="api_token.created",
            obj=token,
            after=audit.snapshot(token, TOKEN_FIELDS),
        )
    return token, key


def revoke_api_token(token: ApiToken, *, actor: Person, reason: str = "") -> ApiToken:
    """Revoke one of the actor's own tokens; requests using it get 401 from then on."""
    if token.person_id != actor.pk:
        raise PermissionDenied(_("Anda hanya dapat mencabut token milik Anda sendiri."))
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            raise DomainError(_("Token «%(name)s» sudah dicabut.") % {"name": locked.name})
        before = audit.snapshot(locked, TOKEN_FIELDS)
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action="api_token.revoked",
            obj=locked,
            before=before,
            after=audit.snapshot(locked, TOKEN_FIELDS),
            reason=(reason or "").strip(),
        )
    token.refresh_from_db()
    return token
