"""Roles: granting and revoking memberships."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from prima.core.access import forget_access
from prima.core.domain import audit
from prima.core.domain.accounts.common import (
    GRANTABLE_ROLES,
    MEMBERSHIP_FIELDS,
    require_secretariat,
)
from prima.core.domain.errors import DomainError
from prima.core.enums import ROLE_SCOPES, Role, Scope
from prima.core.models import Institution, Membership, Person, ServiceUnit


def grant(
    person: Person,
    *,
    actor: Person | None,
    role: str,
    scope: str,
    institution: Institution | None = None,
    unit: ServiceUnit | None = None,
    reason: str = "",
) -> Membership:
    """Create the membership, or switch back on the same one if it was revoked before."""
    lookup: dict[str, Any] = {"person": person, "role": role, "scope": scope}
    if scope == Scope.INSTITUTION:
        lookup["institution"] = institution
    elif scope == Scope.UNIT:
        lookup["unit"] = unit
    existing = Membership.objects.select_for_update().filter(**lookup).first()
    if existing is not None and existing.is_active:
        raise DomainError(
            _("%(person)s sudah memegang peran %(role)s pada cakupan ini.")
            % {"person": person, "role": existing.get_role_display()},
            field="role",
        )
    if existing is not None:
        before = audit.snapshot(existing, MEMBERSHIP_FIELDS)
        existing.is_active = True
        existing.paused_by_deactivation = False
        existing.save(update_fields=["is_active", "paused_by_deactivation"])
        membership = existing
    else:
        before = None
        membership = Membership.objects.create(
            person=person,
            role=role,
            scope=scope,
            institution=institution if scope != Scope.NATIONAL else None,
            unit=unit if scope == Scope.UNIT else None,
        )
    audit.record(
        actor=actor,
        action="membership.granted",
        obj=membership,
        before=before,
        after=audit.snapshot(membership, MEMBERSHIP_FIELDS),
        reason=reason,
    )
    forget_access(person)
    return membership


def grant_membership(
    person: Person,
    *,
    actor: Person,
    role: str,
    institution: Institution | None = None,
    reason: str = "",
) -> Membership:
    """Secretariat grants a national role, or an institution-scoped analyst/viewer role.

    The scope follows from the target: national without an institution, institution
    scope with one; the pair must be allowed by ROLE_SCOPES.
    """
    require_secretariat(actor)
    if role not in GRANTABLE_ROLES:
        raise DomainError(
            _(
                "Peran ini tidak diberikan dari sini: Admin Lokal lewat permohonan akun, "
                "operator UPP oleh Admin Lokal."
            ),
            field="role",
        )
    scope = Scope.INSTITUTION if institution is not None else Scope.NATIONAL
    if scope not in ROLE_SCOPES[role]:
        label = Role(role).label
        if scope == Scope.INSTITUTION:
            message = _("Peran %(role)s hanya berlaku nasional; kosongkan pilihan instansi.") % {
                "role": label
            }
        else:
            message = _(
                "Peran %(role)s harus diberikan untuk satu instansi; pilih instansinya."
            ) % {"role": label}
        raise DomainError(message, field="institution")
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if not locked.is_active:
            raise DomainError(
                _("Akun %(person)s nonaktif; aktifkan kembali dulu.") % {"person": locked}
            )
        membership = grant(
            locked,
            actor=actor,
            role=role,
            scope=scope,
            institution=institution,
            reason=(reason or "").strip(),
        )
    forget_access(person)
    return membership


def revoke_membership(membership: Membership, *, actor: Person, reason: str) -> Membership:
    """Secretariat ends a membership (it stays on record, inactive). Reason required.

    The last active secretariat membership cannot be revoked: nobody could manage Prima.
    """
    require_secretariat(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Tuliskan alasan pencabutan peran."), field="reason")
    with transaction.atomic():
        locked = (
            Membership.objects.select_for_update().select_related("person").get(pk=membership.pk)
        )
        if not locked.is_active:
            raise DomainError(_("Peran ini sudah tidak aktif."))
        if (
            locked.role == Role.SECRETARIAT
            and not Membership.objects.filter(
                role=Role.SECRETARIAT, is_active=True, person__is_active=True
            )
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise DomainError(
                _(
                    "Ini satu-satunya peran sekretariat yang aktif; berikan peran itu kepada "
                    "orang lain dulu."
                )
            )
        before = audit.snapshot(locked, MEMBERSHIP_FIELDS)
        locked.is_active = False
        locked.paused_by_deactivation = False
        locked.save(update_fields=["is_active", "paused_by_deactivation"])
        audit.record(
            actor=actor,
            action="membership.revoked",
            obj=locked,
            before=before,
            after=audit.snapshot(locked, MEMBERSHIP_FIELDS),
            reason=reason,
        )
    forget_access(locked.person)
    membership.refresh_from_db()
    return membership
