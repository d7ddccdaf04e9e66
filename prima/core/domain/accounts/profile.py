"""A person's own profile and password."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from prima.core.domain import audit
from prima.core.domain.accounts.common import (
    PROFILE_FIELDS,
    clean,
    normalise_email,
    people_with_email,
    require,
)
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import Person

# How a password was set, for the audit trail.
PASSWORD_ACTIONS = {
    "activation": "person.activated",
    "reset": "person.password_reset",
    "change": "person.password_changed",
}


def update_profile(
    person: Person,
    *,
    actor: Person,
    full_name: str,
    position: str,
    phone: str,
    email: str,
    nip: str = "",
    expertise: str | None = None,
) -> Person:
    """A person edits their own profile; completing it lifts the first-login profile gate."""
    if actor.pk != person.pk:
        raise PermissionDenied(_("Profil hanya dapat diubah oleh pemiliknya."))
    full_name = require(full_name, "full_name", _("Nama lengkap"))
    position = require(position, "position", _("Jabatan"))
    phone = require(phone, "phone", _("Nomor telepon"))
    email = normalise_email(email)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if people_with_email(email).exclude(pk=locked.pk).exists():
            raise DomainError(
                _("Surel %(email)s sudah dipakai akun lain; gunakan surel Anda sendiri.")
                % {"email": email},
                field="email",
            )
        before = audit.snapshot(locked, PROFILE_FIELDS)
        completing = locked.must_complete_profile
        locked.full_name = full_name
        locked.position = position
        locked.phone = phone
        locked.email = email
        locked.nip = clean(nip)
        if expertise is not None:
            locked.expertise = expertise.strip()
        locked.must_complete_profile = False
        locked.save()
        after = audit.snapshot(locked, PROFILE_FIELDS)
        if completing or before != after:
            audit.record(
                actor=actor,
                action="person.profile_completed" if completing else "person.profile_updated",
                obj=locked,
                before=before,
                after=after,
            )
    person.refresh_from_db()
    return person


def set_password(person: Person, *, actor: Person, password: str, via: str) -> Person:
    """Set a password the person chose (activation link, reset link or change form).

    The password must pass the configured rules (at least 10 characters, upper- and
    lower-case letters and a digit, not common, not like the person's data). Choosing it
    lifts the must-change-password gate and invalidates any outstanding activation link.
    """
    if via not in PASSWORD_ACTIONS:
        raise ValueError(f"unknown password route {via!r}")
    if actor.pk != person.pk:
        raise PermissionDenied(_("Kata sandi hanya dapat diatur oleh pemilik akun."))
    try:
        password_validation.validate_password(password, person)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password") from None
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if not locked.is_active:
            raise DomainError(_("Akun ini nonaktif; hubungi Admin Lokal atau sekretariat."))
        locked.set_password(password)
        locked.must_change_password = False
        locked.save(update_fields=["password", "must_change_password"])
        # No before/after: password hashes never enter the audit log.
        audit.record(actor=actor, action=PASSWORD_ACTIONS[via], obj=locked)
    person.password = locked.password
    person.must_change_password = False
    return person
