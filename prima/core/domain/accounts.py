"""Accounts: onboarding an institution's Admin Lokal, operators, people, roles, passwords.

Every write here validates, runs in one transaction with its audit entries, and sends
its e-mail only after the transaction commits. Passwords are never sent: a new account
receives a one-time activation link (Django's token generator; the token stops working
as soon as a password is set, and after PASSWORD_RESET_TIMEOUT).

Decision on the first-login flags: accounts created here choose their own password through
the activation link, so `must_change_password` is False; `must_complete_profile` is True so
that the person confirms the data someone else typed for them (and adds their NIP) before
working. Accounts created any other way keep the model defaults (both gates on).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as in_indonesian

from prima.core.access import access_for, forget_access
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import ROLE_SCOPES, AccountRequestStatus, Role, Scope
from prima.core.models import AccountRequest, Institution, Membership, Person, ServiceUnit
from prima.core.queries import people_manageable_by, units_manageable_by
from prima.core.uploads import PDF, check_upload

logger = logging.getLogger(__name__)

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

# How a password was set, for the audit trail.
PASSWORD_ACTIONS = {
    "activation": "person.activated",
    "reset": "person.password_reset",
    "change": "person.password_changed",
}


# --- helpers -------------------------------------------------------------------------


def _clean(value: str) -> str:
    return " ".join((value or "").split())


def _require(value: str, field: str, label: str) -> str:
    cleaned = _clean(value)
    if not cleaned:
        raise DomainError(_("%(label)s wajib diisi.") % {"label": label}, field=field)
    return cleaned


def _normalise_email(email: str, field: str = "email") -> str:
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


def _people_with_email(email: str) -> Any:
    return Person.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))


def _require_secretariat(actor: Person) -> None:
    if not access_for(actor).is_secretariat:
        raise PermissionDenied(_("Hanya sekretariat yang boleh melakukan tindakan ini."))


def _site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def activation_link(person: Person) -> str:
    """The one-time link with which a new person chooses their password."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    return _site_url(reverse("account_activate", kwargs={"uidb64": uid, "token": token}))


def _mail_on_commit(
    *,
    subject: str,
    template: str,
    context: dict[str, Any],
    to: Sequence[str] = (),
    bcc: Sequence[str] = (),
) -> None:
    """Render now (inside the transaction, with the data as written), send after commit.

    A mail outage must not undo or hide a committed decision, so a failed send is logged
    and the secretariat can resend the activation link from the person's page.
    """
    recipients = [address for address in to if address]
    hidden = [address for address in bcc if address]
    if not recipients and not hidden:
        return
    # E-mails go out in Indonesian whatever language the person who acted was using:
    # recipients are officials of Indonesian institutions (subjects use gettext_noop).
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, {"site_url": settings.SITE_URL, **context})
    message = EmailMessage(
        subject=f"[Prima] {subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        bcc=hidden,
    )

    def send() -> None:
        try:
            message.send(fail_silently=False)
        except Exception:
            logger.exception("Sending e-mail %r failed", subject)

    transaction.on_commit(send)


def _secretariat_emails() -> list[str]:
    return sorted(
        set(
            Person.objects.filter(
                is_active=True,
                memberships__role=Role.SECRETARIAT,
                memberships__scope=Scope.NATIONAL,
                memberships__is_active=True,
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def _institution_has_active_admin(institution: Institution) -> bool:
    return Membership.objects.filter(
        institution=institution,
        role=Role.INSTITUTION_ADMIN,
        scope=Scope.INSTITUTION,
        is_active=True,
        person__is_active=True,
    ).exists()


def _new_person(
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


def _grant(
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


def _send_activation(person: Person, *, subject: str, intro: str) -> None:
    _mail_on_commit(
        subject=subject,
        template="core/accounts/email/activation.txt",
        context={
            "person": person,
            "intro": intro,
            "link": activation_link(person),
            "username": person.get_username(),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        },
        to=[person.email],
    )


# --- account requests ----------------------------------------------------------------


def submit_account_request(
    *,
    institution: Institution,
    full_name: str,
    position: str,
    email: str,
    phone: str,
    letter_number: str,
    letter: UploadedFile,
    actor: Person | None = None,
) -> AccountRequest:
    """An institution asks for its Admin Lokal account (public form, no login).

    Refused when the institution already has an active Admin Lokal or a pending request,
    when the e-mail is outside the institution's official domain (if one is recorded),
    or when the letter is not a PDF (checked on its content). The secretariat is e-mailed
    after the request is stored.
    """
    if not institution.is_active:
        raise DomainError(_("Instansi ini tidak aktif di registri Prima."), field="institution")
    full_name = _require(full_name, "full_name", _("Nama pejabat"))
    position = _require(position, "position", _("Jabatan"))
    phone = _require(phone, "phone", _("Nomor telepon"))
    letter_number = _require(letter_number, "letter_number", _("Nomor surat"))
    email = _normalise_email(email)
    domain = institution.official_email_domain.strip().lower().lstrip("@")
    if domain and not email.endswith(("@" + domain, "." + domain)):
        raise DomainError(
            _("Gunakan surel resmi instansi yang berakhiran @%(domain)s.") % {"domain": domain},
            field="email",
        )
    try:
        checked = check_upload(letter, allowed=frozenset({PDF}))
    except DomainError as error:
        raise DomainError(
            _("Surat permohonan: %(problem)s") % {"problem": error.message}, field="letter"
        ) from None

    with transaction.atomic():
        # Lock the institution row so two simultaneous requests cannot both pass the checks.
        Institution.objects.select_for_update().filter(pk=institution.pk).first()
        if _institution_has_active_admin(institution):
            raise DomainError(
                _(
                    "%(institution)s sudah memiliki Admin Lokal yang aktif. Untuk menggantinya, "
                    "hubungi sekretariat KemenPANRB."
                )
                % {"institution": institution},
                field="institution",
            )
        if AccountRequest.objects.filter(
            institution=institution, status=AccountRequestStatus.PENDING
        ).exists():
            raise DomainError(
                _(
                    "Permohonan akun untuk %(institution)s sudah diajukan dan sedang diperiksa "
                    "sekretariat. Tunggu keputusan yang dikirim lewat surel."
                )
                % {"institution": institution},
                field="institution",
            )
        request = AccountRequest(
            institution=institution,
            full_name=full_name,
            position=position,
            email=email,
            phone=phone,
            letter_number=letter_number,
        )
        request.letter.save(checked.storage_name, letter, save=False)
        request.save()
        audit.record(
            actor=actor,
            action="account_request.submitted",
            obj=request,
            after=audit.snapshot(request, REQUEST_FIELDS),
        )
        _mail_on_commit(
            subject=in_indonesian("Permohonan akun Admin Lokal baru: %(institution)s")
            % {"institution": institution},
            template="core/accounts/email/request_submitted.txt",
            context={
                "request": request,
                "review_url": _site_url(
                    reverse("account_request_detail", kwargs={"pk": request.pk})
                ),
            },
            bcc=_secretariat_emails(),
        )
    return request


def _lock_pending(request: AccountRequest) -> AccountRequest:
    locked = AccountRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != AccountRequestStatus.PENDING:
        raise DomainError(
            _("Permohonan ini sudah diputuskan (%(status)s).")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


def approve_account_request(request: AccountRequest, *, actor: Person, reason: str = "") -> Person:
    """Secretariat approves: the official becomes the institution's Admin Lokal.

    A new account is created without a password and receives a one-time activation link.
    If an active account with the same e-mail already exists, the role is added to it and
    the person is told by e-mail instead. Returns the person holding the role.
    """
    _require_secretariat(actor)
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _lock_pending(request)
        institution = locked.institution
        if _institution_has_active_admin(institution):
            raise DomainError(
                _(
                    "%(institution)s sudah memiliki Admin Lokal yang aktif. Nonaktifkan akun itu "
                    "dulu atau tolak permohonan ini dengan alasan."
                )
                % {"institution": institution}
            )
        before = audit.snapshot(locked, REQUEST_FIELDS)
        existing = _people_with_email(locked.email).first()
        if existing is not None and not existing.is_active:
            raise DomainError(
                _(
                    "Surel %(email)s milik akun yang sedang nonaktif. Aktifkan kembali "
                    "akun itu dulu, atau tolak permohonan ini dengan alasan."
                )
                % {"email": locked.email}
            )
        if existing is None:
            person = _new_person(
                email=locked.email,
                full_name=locked.full_name,
                position=locked.position,
                phone=locked.phone,
            )
            audit.record(
                actor=actor,
                action="person.created",
                obj=person,
                after=audit.snapshot(person, PERSON_FIELDS),
                reason=f"Permohonan akun #{locked.pk}",
            )
        else:
            person = existing
        _grant(
            person,
            actor=actor,
            role=Role.INSTITUTION_ADMIN,
            scope=Scope.INSTITUTION,
            institution=institution,
            reason=f"Permohonan akun #{locked.pk}",
        )
        locked.status = AccountRequestStatus.APPROVED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_reason = reason
        locked.person = person
        locked.save()
        audit.record(
            actor=actor,
            action="account_request.approved",
            obj=locked,
            before=before,
            after=audit.snapshot(locked, REQUEST_FIELDS),
            reason=reason,
        )
        if existing is None:
            _send_activation(
                person,
                subject=in_indonesian("Akun Admin Lokal Anda telah disetujui"),
                intro=in_indonesian(
                    "Permohonan akun Admin Lokal untuk %(institution)s telah disetujui "
                    "sekretariat KemenPANRB."
                )
                % {"institution": institution},
            )
        else:
            _mail_on_commit(
                subject=in_indonesian("Peran Admin Lokal ditambahkan ke akun Anda"),
                template="core/accounts/email/role_added.txt",
                context={
                    "person": person,
                    "role": Role(Role.INSTITUTION_ADMIN).label,
                    "target": institution,
                    "login_url": _site_url(reverse("login")),
                },
                to=[person.email],
            )
    request.refresh_from_db()
    return person


def reject_account_request(
    request: AccountRequest, *, actor: Person, reason: str
) -> AccountRequest:
    """Secretariat rejects a pending request; the reason is required and e-mailed."""
    _require_secretariat(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Tuliskan alasan penolakan; alasan ini dikirim ke pemohon."), field="reason"
        )
    with transaction.atomic():
        locked = _lock_pending(request)
        before = audit.snapshot(locked, REQUEST_FIELDS)
        locked.status = AccountRequestStatus.REJECTED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_reason = reason
        locked.save()
        audit.record(
            actor=actor,
            action="account_request.rejected",
            obj=locked,
            before=before,
            after=audit.snapshot(locked, REQUEST_FIELDS),
            reason=reason,
        )
        _mail_on_commit(
            subject=in_indonesian("Permohonan akun Admin Lokal ditolak"),
            template="core/accounts/email/request_rejected.txt",
            context={
                "request": locked,
                "reason": reason,
                "form_url": _site_url(reverse("account_request_create")),
            },
            to=[locked.email],
        )
    request.refresh_from_db()
    return request


# --- people --------------------------------------------------------------------------


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
    _require_secretariat(actor)
    full_name = _require(full_name, "full_name", _("Nama lengkap"))
    email = _normalise_email(email)
    wanted = list(dict.fromkeys(roles))
    for role in wanted:
        if role not in GRANTABLE_ROLES or Scope.NATIONAL not in ROLE_SCOPES.get(role, ()):
            raise DomainError(
                _("Peran %(role)s tidak dapat diberikan di sini.") % {"role": repr(role)},
                field="roles",
            )
    with transaction.atomic():
        if _people_with_email(email).exists():
            raise DomainError(
                _(
                    "Surel %(email)s sudah dipakai akun lain. Buka akun itu di daftar pengguna "
                    "untuk menambahkan peran."
                )
                % {"email": email},
                field="email",
            )
        person = _new_person(
            email=email,
            full_name=full_name,
            position=_clean(position),
            phone=_clean(phone),
            nip=_clean(nip),
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
            _grant(person, actor=actor, role=role, scope=Scope.NATIONAL, reason=reason)
        _send_activation(
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
    full_name = _require(full_name, "full_name", _("Nama lengkap"))
    email = _normalise_email(email)
    with transaction.atomic():
        existing = _people_with_email(email).first()
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
            _grant(
                existing,
                actor=actor,
                role=Role.UNIT_OPERATOR,
                scope=Scope.UNIT,
                institution=unit.institution,
                unit=unit,
            )
            _mail_on_commit(
                subject=in_indonesian("Unit pelayanan ditambahkan ke akun Anda"),
                template="core/accounts/email/role_added.txt",
                context={
                    "person": existing,
                    "role": Role(Role.UNIT_OPERATOR).label,
                    "target": unit,
                    "login_url": _site_url(reverse("login")),
                },
                to=[existing.email],
            )
            return existing
        person = _new_person(
            email=email,
            full_name=full_name,
            position=_clean(position),
            phone=_clean(phone),
            nip=_clean(nip),
        )
        audit.record(
            actor=actor,
            action="person.created",
            obj=person,
            after=audit.snapshot(person, PERSON_FIELDS),
            reason=f"Operator {unit}",
        )
        _grant(
            person,
            actor=actor,
            role=Role.UNIT_OPERATOR,
            scope=Scope.UNIT,
            institution=unit.institution,
            unit=unit,
        )
        _send_activation(
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
        _send_activation(
            locked,
            subject=in_indonesian("Tautan aktivasi akun Prima"),
            intro=in_indonesian("Berikut tautan baru untuk mengaktifkan akun Prima Anda."),
        )


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
    full_name = _require(full_name, "full_name", _("Nama lengkap"))
    position = _require(position, "position", _("Jabatan"))
    phone = _require(phone, "phone", _("Nomor telepon"))
    email = _normalise_email(email)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if _people_with_email(email).exclude(pk=locked.pk).exists():
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
        locked.nip = _clean(nip)
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


# --- memberships ---------------------------------------------------------------------


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
    _require_secretariat(actor)
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
        membership = _grant(
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
    _require_secretariat(actor)
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
