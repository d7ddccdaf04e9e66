"""People: creating accounts (secretariat, operators), deactivation, reactivation, activation."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as in_indonesian

from prima.core.access import access_for, forget_access
from prima.core.domain import audit
from prima.core.domain.accounts.common import (
    GRANTABLE_ROLES,
    PERSON_FIELDS,
    clean,
    normalise_email,
    people_with_email,
    require,
    require_secretariat,
)
from prima.core.domain.accounts.mail import mail_on_commit, send_activation, site_url
from prima.core.domain.accounts.memberships import grant
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import ROLE_SCOPES, Role, Scope
from prima.core.models import Membership, Person, ServiceUnit
from prima.core.queries import people_manageable_by, units_manageable_by


def new_person(
    *,
    email: str,
    full_name: str,
    position: str = "",
    phone: str = "",
    nip: str = "",
    expertise: str = "",
) -> Person:
    """An account waiting for activation: no usable password until the link is used."""
    person = Person(
        username=email,
        email=email,
        full_name=full_name,
        position=position,
        phone=phone,
        nip=nip,
        expertise=expertise,
        must_complete_profile=True,
        must_change_password=False,
    )
    person.set_unusable_password()
    person.save()
    return person


def create_person(
    *,
    actor: Person,
    full_name: str,
    email: str,
    position: str = "",
    phone: str = "",
    nip: str = "",
    expertise: str = "",
    roles: Iterable[str] = (),
    reason: str = "",
) -> Person:
    """Secretariat creates an account (e.g. an evaluator), optionally with national roles.

    The person receives a one-time activation link; no password is ever chosen for them.
    """
    require_secretariat(actor)
    full_name = require(full_name, "full_name", _("Nama lengkap"))
    email = normalise_email(email)
    wanted = list(dict.fromkeys(roles))
    for role in wanted:
        if role not in GRANTABLE_ROLES or Scope.NATIONAL not in ROLE_SCOPES.get(role, ()):
            raise DomainError(
                _("Peran %(role)s tidak dapat diberikan di sini.") % {"role": repr(role)},
                field="roles",
            )
    with transaction.atomic():
        if people_with_email(email).exists():
            raise DomainError(
                _(
                    "Surel %(email)s sudah dipakai akun lain. Buka akun itu di daftar pengguna "
                    "untuk menambahkan peran."
                )
                % {"email": email},
                field="email",
            )
        person = new_person(
            email=email,
            full_name=full_name,
            position=clean(position),
            phone=clean(phone),
            nip=clean(nip),
            expertise=(expertise or "").strip(),
        )
        audit.record(
            actor=actor,
            action="person.created",
            obj=person,
            after=audit.snapshot(person, PERSON_FIELDS),
            reason=reason,
        )
        for role in wanted:
            grant(person, actor=actor, role=role, scope=Scope.NATIONAL, reason=reason)
        send_activation(
            person,
            subject=in_indonesian("Akun Prima Anda telah dibuat"),
            intro=in_indonesian("Sekretariat KemenPANRB telah membuatkan akun Prima untuk Anda."),
        )
    return person


def create_unit_operator(
    *,
    actor: Person,
    unit: ServiceUnit,
    full_name: str,
    email: str,
    position: str = "",
    phone: str = "",
    nip: str = "",
) -> Person:
    """An Admin Lokal (or the secretariat) makes someone operator of a unit (UPP).

    Admin Lokal may do this only for units of their own institution. A new account gets
    an activation link. When the e-mail already belongs to an operator this actor manages
    (someone serving a second unit), the unit is added to that account instead.
    """
    if not units_manageable_by(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied(
            _("Anda hanya boleh membuat operator untuk unit pelayanan di instansi Anda.")
        )
    if not unit.is_active:
        raise DomainError(_("Unit %(unit)s tidak aktif.") % {"unit": unit}, field="unit")
    full_name = require(full_name, "full_name", _("Nama lengkap"))
    email = normalise_email(email)
    with transaction.atomic():
        existing = people_with_email(email).first()
        if existing is not None:
            if not people_manageable_by(actor).filter(pk=existing.pk).exists():
                raise DomainError(
                    _(
                        "Surel %(email)s sudah dipakai akun lain. Gunakan surel lain atau "
                        "hubungi sekretariat."
                    )
                    % {"email": email},
                    field="email",
                )
            if not existing.is_active:
                raise DomainError(
                    _("Akun %(email)s sedang nonaktif; aktifkan kembali dulu dari daftar operator.")
                    % {"email": email},
                    field="email",
                )
            grant(
                existing,
                actor=actor,
                role=Role.UNIT_OPERATOR,
                scope=Scope.UNIT,
                institution=unit.institution,
                unit=unit,
            )
            mail_on_commit(
                subject=in_indonesian("Unit pelayanan ditambahkan ke akun Anda"),
                template="core/accounts/email/role_added.txt",
                context={
                    "person": existing,
                    "role": Role(Role.UNIT_OPERATOR).label,
                    "target": unit,
                    "login_url": site_url(reverse("login")),
                },
                to=[existing.email],
            )
            return existing
        person = new_person(
            email=email,
            full_name=full_name,
            position=clean(position),
            phone=clean(phone),
            nip=clean(nip),
        )
        audit.record(
            actor=actor,
            action="person.created",
            obj=person,
            after=audit.snapshot(person, PERSON_FIELDS),
            reason=f"Operator {unit}",
        )
        grant(
            person,
            actor=actor,
            role=Role.UNIT_OPERATOR,
            scope=Scope.UNIT,
            institution=unit.institution,
            unit=unit,
        )
        send_activation(
            person,
            subject=in_indonesian("Akun operator UPP Anda telah dibuat"),
            intro=in_indonesian(
                "Admin Lokal %(institution)s telah mendaftarkan Anda sebagai operator %(unit)s."
            )
            % {"institution": unit.institution, "unit": unit},
        )
    return person


def _memberships_outside(person: Person, actor: Person, *, active: bool) -> bool:
    """Whether the person holds memberships the (non-secretariat) actor does not manage."""
    qs = person.memberships.all()
    qs = qs.filter(is_active=True) if active else qs.filter(paused_by_deactivation=True)
    admin_ids = access_for(actor).admin_institution_ids
    return qs.exclude(role=Role.UNIT_OPERATOR, institution_id__in=admin_ids).exists()


def _lock_manageable(person: Person, actor: Person) -> Person:
    if not people_manageable_by(actor).filter(pk=person.pk).exists():
        raise PermissionDenied(_("Anda tidak berwenang mengelola akun ini."))
    return Person.objects.select_for_update().get(pk=person.pk)


def deactivate_person(person: Person, *, actor: Person, reason: str) -> Person:
    """Switch an account off: no login, no API token, all its memberships inactive.

    The secretariat may deactivate anyone but themselves; an Admin Lokal only operators
    of their institution whose every role lies within it (otherwise the secretariat must).
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Tuliskan alasan penonaktifan."), field="reason")
    if person.pk == actor.pk:
        raise DomainError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    with transaction.atomic():
        locked = _lock_manageable(person, actor)
        if not locked.is_active:
            raise DomainError(_("Akun %(person)s sudah nonaktif.") % {"person": locked})
        if not access_for(actor).is_secretariat and _memberships_outside(
            locked, actor, active=True
        ):
            raise PermissionDenied(
                _(
                    "%(person)s juga memegang peran di luar instansi Anda; minta sekretariat "
                    "yang menonaktifkan akun ini."
                )
                % {"person": locked}
            )
        before = audit.snapshot(locked, PERSON_FIELDS)
        paused = list(locked.memberships.filter(is_active=True).values_list("pk", flat=True))
        Membership.objects.filter(pk__in=paused).update(
            is_active=False, paused_by_deactivation=True
        )
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        after = audit.snapshot(locked, PERSON_FIELDS)
        after["paused_memberships"] = sorted(paused)
        audit.record(
            actor=actor,
            action="person.deactivated",
            obj=locked,
            before=before,
            after=after,
            reason=reason,
        )
    forget_access(person)
    person.refresh_from_db()
    return person


def reactivate_person(person: Person, *, actor: Person, reason: str = "") -> Person:
    """Switch an account back on with the memberships its deactivation paused.

    Memberships revoked on purpose stay revoked. An Admin Lokal may reactivate only
    operators whose paused roles all lie within their institution.
    """
    with transaction.atomic():
        locked = _lock_manageable(person, actor)
        if locked.is_active:
            raise DomainError(_("Akun %(person)s sudah aktif.") % {"person": locked})
        if not access_for(actor).is_secretariat and _memberships_outside(
            locked, actor, active=False
        ):
            raise PermissionDenied(
                _(
                    "%(person)s juga memegang peran di luar instansi Anda; minta sekretariat "
                    "yang mengaktifkan kembali akun ini."
                )
                % {"person": locked}
            )
        before = audit.snapshot(locked, PERSON_FIELDS)
        restored = list(
            locked.memberships.filter(paused_by_deactivation=True).values_list("pk", flat=True)
        )
        Membership.objects.filter(pk__in=restored).update(
            is_active=True, paused_by_deactivation=False
        )
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        after = audit.snapshot(locked, PERSON_FIELDS)
        after["restored_memberships"] = sorted(restored)
        audit.record(
            actor=actor,
            action="person.reactivated",
            obj=locked,
            before=before,
            after=after,
            reason=(reason or "").strip(),
        )
    forget_access(person)
    person.refresh_from_db()
    return person


def resend_activation(person: Person, *, actor: Person) -> None:
    """Send a fresh activation link to an account that has not chosen a password yet."""
    with transaction.atomic():
        locked = _lock_manageable(person, actor)
        if not locked.is_active:
            raise DomainError(
                _("Akun %(person)s nonaktif; aktifkan kembali dulu.") % {"person": locked}
            )
        if locked.has_usable_password():
            raise DomainError(
                _(
                    "%(person)s sudah mengaktifkan akunnya. Jika lupa kata sandi, ia dapat memakai "
                    "menu «Lupa kata sandi» di halaman masuk."
                )
                % {"person": locked}
            )
        audit.record(actor=actor, action="person.activation_sent", obj=locked)
        send_activation(
            locked,
            subject=in_indonesian("Tautan aktivasi akun Prima"),
            intro=in_indonesian("Berikut tautan baru untuk mengaktifkan akun Prima Anda."),
        )
