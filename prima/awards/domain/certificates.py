"""Certificates (piagam) of decided awards: issuing, revoking and verifying (DESIGN.md §8).

A certificate states its `facts` (recipient, category, edition, decree, ceremony) and is
signed (`prima.awards.domain.signing`): a salted HMAC-SHA256 of the verification code, the
canonical JSON of the facts (number included) and the revocation state. The verification
page recomputes it, so a row edited behind the application's back reads "tidak asli"
rather than passing as real.

An award has at most one valid certificate (`revoked_at` null); a revoked one stays for
the record, still verifying as revoked, and a new one (new number and code) may be issued.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.awards.domain.certificate_document import recipient_lines, render_certificate_pdf
from prima.awards.domain.permissions import require_secretariat
from prima.awards.domain.proposals import check_reason
from prima.awards.domain.signing import mark_revoked, sign, signature_holds
from prima.awards.enums import AwardStatus
from prima.awards.models import Award, AwardCategory, Certificate
from prima.awards.queries import list_order, shows_ranks
from prima.core.domain import audit
from prima.core.domain.errors import DomainError
from prima.core.domain.jobs import ProgressCallback, no_progress
from prima.evaluation.models import Edition

CODE_LENGTH = 16
GENUINE = "genuine"
REVOKED = "revoked"
UNKNOWN = "unknown"
TAMPERED = "tampered"

logger = logging.getLogger(__name__)


def new_code() -> str:
    """16 random base32 characters (80 bits): unguessable, no 0/1/8/9 to misread."""
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii")


def normalise_code(code: str) -> str:
    """What a person typed or scanned, as stored: upper case, no spaces or dashes."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def valid_certificates() -> Prefetch:
    """Prefetch an award's valid certificate into `valid_certificates` (one query for a
    whole list); `valid_certificate(award)` then reads it without a query."""
    return Prefetch(
        "certificates",
        queryset=Certificate.objects.filter(revoked_at__isnull=True),
        to_attr="valid_certificates",
    )


def valid_certificate(award: Award) -> Certificate | None:
    """The award's certificate that is not revoked, if any (prefetched when available)."""
    prefetched = getattr(award, "valid_certificates", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return Certificate.objects.filter(award=award, revoked_at__isnull=True).first()


def _institution_name(institution: Any) -> str:
    return str(institution.short_name or institution.name)


def _event(edition: Edition) -> tuple[str, str]:
    """The ceremony's name and ISO date: a recorded award event, else the edition rules."""
    event = edition.award_events.order_by("date").first()
    if event is not None:
        return event.name, event.date.isoformat()
    planned = ((edition.rules or {}).get("calendar") or {}).get("award_event") or {}
    if isinstance(planned, Mapping) and planned.get("name"):
        return str(planned["name"]), str(planned.get("date") or "")
    return "", ""


def award_facts(award: Award, number: str) -> dict[str, Any]:
    """What the certificate of `award` states (plain JSON values)."""
    edition = award.edition
    event_name, event_date = _event(edition)
    return {
        "number": number,
        "recipient_kind": "innovation" if award.innovation_id else "institution",
        "institution": _institution_name(award.institution),
        "innovation": award.innovation.name if award.innovation else "",
        "unit": award.unit.name if award.innovation_id and award.unit is not None else "",
        "category": award.category.title,
        "category_code": award.category.code,
        "edition": edition.title,
        "edition_code": edition.code,
        "year": edition.year,
        "decree_number": award.decree_number,
        "decree_date": award.decree_date.isoformat() if award.decree_date else "",
        "event_name": event_name,
        "event_date": event_date,
    }


def recipient_name(facts: Mapping[str, Any]) -> str:
    """ "Kota Payakumbuh" or "SITARANG (Kota Payakumbuh)"."""
    main, owner = recipient_lines(facts, owners=("institution",))
    return f"{main} ({owner})" if owner else main


def _next_number(category: AwardCategory) -> str:
    prefix = f"{category.edition.code}/{category.code}/".upper()
    taken = Certificate.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    highest = max(
        (int(n.rsplit("/", 1)[1]) for n in taken if n.rsplit("/", 1)[1].isdigit()), default=0
    )
    return f"{prefix}{highest + 1:03d}"


def issue_certificate(award: Award, *, actor: Any) -> Certificate:
    """Issue the piagam of a decided award: number, code, signed facts and the PDF."""
    require_secretariat(actor)
    # The file is written inside the transaction; should it roll back (here or at commit),
    # the file is deleted again, so no orphan stays in storage.
    written: list[Certificate] = []
    try:
        with transaction.atomic():
            award = (
                Award.objects.select_for_update(of=("self",))
                .select_related("category__edition", "institution", "innovation", "unit", "edition")
                .get(pk=award.pk)
            )
            if award.status != AwardStatus.DECIDED:
                raise DomainError(_("Piagam hanya untuk penghargaan yang sudah ditetapkan."))
            existing = Certificate.objects.filter(award=award, revoked_at__isnull=True).first()
            if existing is not None:
                raise DomainError(
                    _(
                        "Penghargaan ini sudah memiliki piagam %(number)s yang berlaku; cabut "
                        "piagam itu lebih dulu untuk menerbitkan yang baru."
                    )
                    % {"number": existing.number}
                )
            # One number sequence per category: lock it while counting.
            AwardCategory.objects.select_for_update(of=("self",)).filter(
                pk=award.category_id
            ).first()
            number = _next_number(award.category)
            code = new_code()
            while Certificate.objects.filter(code=code).exists():  # 2^-80; cheap to be sure
                code = new_code()
            facts = award_facts(award, number)
            now = timezone.now()
            content = render_certificate_pdf(
                number=number, code=code, facts=facts, generated_at=now
            )
            certificate = Certificate(
                award=award,
                code=code,
                number=number,
                facts=facts,
                signature=sign(code, facts),
                file_sha256=hashlib.sha256(content).hexdigest(),
                generated_by=actor if getattr(actor, "pk", None) else None,
            )
            certificate.file.save(f"{code.lower()}.pdf", ContentFile(content), save=False)
            written.append(certificate)
            certificate.save()
            audit.record(
                actor=actor,
                action="awards.certificate.issue",
                obj=certificate,
                after={
                    "award": award.pk,
                    "number": number,
                    "facts": facts,
                    "sha256": certificate.file_sha256,
                },
            )
    except BaseException:
        for orphan in written:
            _delete_file(orphan)
        raise
    return certificate


def _delete_file(certificate: Certificate) -> None:
    if not certificate.file.name:
        return
    try:
        certificate.file.storage.delete(certificate.file.name)
    except OSError:  # the failure being handled matters more
        logger.exception("Could not delete the file of a certificate not issued")


def revoke_certificate(certificate: Certificate, *, reason: str, actor: Any) -> Certificate:
    """Revoke a piagam (the verification page then says so, with the date)."""
    require_secretariat(actor)
    text = check_reason(reason)
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update(of=("self",)).get(pk=certificate.pk)
        if certificate.revoked_at is not None:
            raise DomainError(_("Piagam ini sudah dicabut."))
        mark_revoked(certificate, text)
        audit.record(
            actor=actor,
            action="awards.certificate.revoke",
            obj=certificate,
            after={"revoked_reason": text},
            reason=text,
        )
    return certificate


@dataclass(frozen=True)
class IssueFailure:
    award: str
    message: str


@dataclass(frozen=True)
class IssueSummary:
    issued: int
    already: int
    numbers: tuple[str, ...]
    failures: tuple[IssueFailure, ...] = ()


def missing_certificates(edition: Edition) -> list[Award]:
    """Decided awards of the edition without a valid certificate, in the order of the
    public list: by category, then stratum and rank when ranks are published, else
    alphabetical, so the numbers given in this order do not reveal a hidden rank."""
    ranked = shows_ranks(edition)
    awards: QuerySet[Award] = (
        Award.objects.filter(edition=edition, status=AwardStatus.DECIDED)
        .exclude(pk__in=Certificate.objects.filter(revoked_at__isnull=True).values("award_id"))
        .select_related("category", "institution", "innovation")
    )
    return sorted(
        awards,
        key=lambda a: (a.category.position, a.category.code, list_order(a, ranked=ranked)),
    )


def _label(award: Award) -> str:
    recipient = award.innovation.name if award.innovation else award.institution.name
    return f"{award.category.title}: {recipient}"


def issue_missing_certificates(
    edition: Edition, *, actor: Any, progress: ProgressCallback = no_progress
) -> IssueSummary:
    """Issue every missing certificate of the edition, one transaction each, reporting
    progress for every award. A refused award (e.g. issued meanwhile, or no longer
    decided) is recorded as a failure and the others go on."""
    require_secretariat(actor)
    awards = missing_certificates(edition)
    already = Certificate.objects.filter(
        award__edition=edition, award__status=AwardStatus.DECIDED, revoked_at__isnull=True
    ).count()
    total = len(awards)
    progress(0, total, _("Menerbitkan piagam"))
    numbers: list[str] = []
    failures: list[IssueFailure] = []
    for done, award in enumerate(awards, start=1):
        label = _label(award)
        try:
            numbers.append(issue_certificate(award, actor=actor).number)
        except DomainError as error:
            failures.append(IssueFailure(award=label, message=str(error.message)))
            message = _("Gagal: %(award)s — %(error)s") % {
                "award": label,
                "error": error.message,
            }
        else:
            message = _("Piagam %(number)s terbit") % {"number": numbers[-1]}
        progress(done, total, message)
    return IssueSummary(
        issued=len(numbers), already=already, numbers=tuple(numbers), failures=tuple(failures)
    )


@dataclass(frozen=True)
class Verification:
    """The answer of the verification page: `reason` is genuine, revoked, unknown or
    tampered; `certificate` is None for an unknown code."""

    genuine: bool
    certificate: Certificate | None
    reason: str

    @property
    def facts(self) -> Mapping[str, Any]:
        """The facts worth showing: those of a certificate whose signature holds."""
        if self.certificate is None or self.reason == TAMPERED:
            return {}
        return dict(self.certificate.facts or {})


def verify_certificate(code: str) -> Verification:
    """Check a verification code: unknown, tampered (signature mismatch), revoked or genuine."""
    wanted = normalise_code(code)
    certificate = (
        Certificate.objects.filter(Q(code=wanted)).first() if 0 < len(wanted) <= 24 else None
    )
    if certificate is None:
        return Verification(False, None, UNKNOWN)
    if not signature_holds(certificate):
        return Verification(False, certificate, TAMPERED)
    if certificate.revoked_at is not None:
        return Verification(False, certificate, REVOKED)
    return Verification(True, certificate, GENUINE)
