"""Account requests: an institution asks for its Admin Lokal; the secretariat decides."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as in_indonesian

from prima.core.domain import audit
from prima.core.domain.accounts.common import (
    PERSON_FIELDS,
    REQUEST_FIELDS,
    normalise_email,
    people_with_email,
    require,
    require_secretariat,
)
from prima.core.domain.accounts.mail import (
    mail_on_commit,
    secretariat_emails,
    send_activation,
    site_url,
)
from prima.core.domain.accounts.memberships import grant
from prima.core.domain.accounts.people import new_person
from prima.core.domain.errors import DomainError
from prima.core.enums import AccountRequestStatus, Role, Scope
from prima.core.models import AccountRequest, Institution, Membership, Person
from prima.core.uploads import PDF, check_upload


def _institution_has_active_admin(institution: Institution) -> bool:
    return Membership.objects.filter(
        institution=institution,
        role=Role.INSTITUTION_ADMIN,
        scope=Scope.INSTITUTION,
        is_active=True,
        person__is_active=True,
    ).exists()


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
    full_name = require(full_name, "full_name", _("Nama pejabat"))
    position = require(position, "position", _("Jabatan"))
    phone = require(phone, "phone", _("Nomor telepon"))
    letter_number = require(letter_number, "letter_number", _("Nomor surat"))
    email = normalise_email(email)
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
        mail_on_commit(
            subject=in_indonesian("Permohonan akun Admin Lokal baru: %(institution)s")
            % {"institution": institution},
            template="core/accounts/email/request_submitted.txt",
            context={
                "request": request,
                "review_url": site_url(
                    reverse("account_request_detail", kwargs={"pk": request.pk})
                ),
            },
            bcc=secretariat_emails(),
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
    require_secretariat(actor)
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
        existing = people_with_email(locked.email).first()
        if existing is not None and not existing.is_active:
            raise DomainError(
                _(
                    "Surel %(email)s milik akun yang sedang nonaktif. Aktifkan kembali "
                    "akun itu dulu, atau tolak permohonan ini dengan alasan."
                )
                % {"email": locked.email}
            )
        if existing is None:
            person = new_person(
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
        grant(
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
            send_activation(
                person,
                subject=in_indonesian("Akun Admin Lokal Anda telah disetujui"),
                intro=in_indonesian(
                    "Permohonan akun Admin Lokal untuk %(institution)s telah disetujui "
                    "sekretariat KemenPANRB."
                )
                % {"institution": institution},
            )
        else:
            mail_on_commit(
                subject=in_indonesian("Peran Admin Lokal ditambahkan ke akun Anda"),
                template="core/accounts/email/role_added.txt",
                context={
                    "person": person,
                    "role": Role(Role.INSTITUTION_ADMIN).label,
                    "target": institution,
                    "login_url": site_url(reverse("login")),
                },
                to=[person.email],
            )
    request.refresh_from_db()
    return person


def reject_account_request(
    request: AccountRequest, *, actor: Person, reason: str
) -> AccountRequest:
    """Secretariat rejects a pending request; the reason is required and e-mailed."""
    require_secretariat(actor)
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
        mail_on_commit(
            subject=in_indonesian("Permohonan akun Admin Lokal ditolak"),
            template="core/accounts/email/request_rejected.txt",
            context={
                "request": locked,
                "reason": reason,
                "form_url": site_url(reverse("account_request_create")),
            },
            to=[locked.email],
        )
    request.refresh_from_db()
    return request
