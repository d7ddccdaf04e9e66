"""What the account modules share: audited field lists, grantable roles, input checks."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import Role
from prima.core.models import Person

PERSON_FIELDS = (
    "username",
    "email",
    "full_name",
    "position",
    "phone",
    "nip",
    "expertise",
    "is_active",
)
PROFILE_FIELDS = ("full_name", "position", "phone", "nip", "email", "expertise")
MEMBERSHIP_FIELDS = ("person", "role", "scope", "institution", "unit", "is_active")
REQUEST_FIELDS = (
    "institution",
    "full_name",
    "position",
    "email",
    "phone",
    "letter_number",
    "status",
    "decided_by",
    "decision_reason",
    "person",
)

# Roles the secretariat grants from the people page. Admin Lokal come from approved
# account requests and operators from their Admin Lokal, so both keep their own paths.
GRANTABLE_ROLES = frozenset(
    {
        Role.SECRETARIAT,
        Role.EVALUATOR,
        Role.PANELIST,
        Role.VERIFIER,
        Role.ANALYST,
        Role.VIEWER,
    }
)


def clean(value: str) -> str:
    return " ".join((value or "").split())


def require(value: str, field: str, label: str) -> str:
    cleaned = clean(value)
    if not cleaned:
        raise DomainError(_("%(label)s wajib diisi.") % {"label": label}, field=field)
    return cleaned


def normalise_email(email: str, field: str = "email") -> str:
    cleaned = (email or "").strip().lower()
    if not cleaned:
        raise DomainError(_("Surel wajib diisi."), field=field)
    try:
        validate_email(cleaned)
    except ValidationError:
        raise DomainError(
            _("Alamat surel %(email)s tidak valid; tulis seperti nama@instansi.go.id.")
            % {"email": repr(cleaned)},
            field=field,
        ) from None
    if len(cleaned) > 150:
        raise DomainError(
            _("Alamat surel terlalu panjang (paling banyak 150 karakter)."), field=field
        )
    return cleaned


def people_with_email(email: str) -> Any:
    return Person.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))


def require_secretariat(actor: Person) -> None:
    if not access_for(actor).is_secretariat:
        raise PermissionDenied(_("Hanya sekretariat yang boleh melakukan tindakan ini."))
