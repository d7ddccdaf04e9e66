"""One-time survey tokens: counter codes and after-service links (skm.md §7, mpp.md §9).

A token lets one person answer once. Two kinds share one table:

- **codes** (``K7P4-MX2Q``): printed on sheets handed out at the counter; 8 characters
  from an alphabet without look-alikes (no 0/O, 1/I/L), typed on ``/survei/kode/``;
- **links**: 32 random bytes, base64url, sent after a service (``/survei/t/<token>/``).

Only the SHA-256 digest of a secret is stored, so clear codes exist only in the answer
of the call that issues them. A token names the unit, not a survey: it opens the unit's
collecting survey whose period holds the answer date. Answering marks the token used in
the same transaction, to the day only; the response is never linked to the token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import replace

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import Person, ServiceUnit
from prima.skm.domain.permissions import may_run_unit
from prima.skm.domain.responses import ResponseInput, allowed_service_codes, record_response
from prima.skm.enums import Channel, SurveyState, TokenKind
from prima.skm.models import Response, Survey, SurveyToken

# No 0/O, 1/I/L: codes are read off paper and typed on a phone.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
CODE_GROUP = 4
MAX_CODES_PER_BATCH = 1000
BATCH_MAX_LENGTH = 60
# Prima's defaults: a code sheet is handed out over a few weeks; a link after one service
# (mpp.md §9: 7 days).
CODE_VALID_DAYS = 30
MAX_VALID_DAYS = 366
LINK_VALID_DAYS = 7
LINK_BYTES = 32


class TokenUnknown(DomainError):
    """No token has this secret (a typing error or a guess)."""


class TokenGone(DomainError):
    """The token was used or has expired; pages answer HTTP 410."""


class NoCollectingSurvey(DomainError):
    """The token's unit has no survey collecting answers today; the token stays unused."""


def digest(secret: str) -> str:
    """The stored form of a secret: SHA-256 hex of its canonical text."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def normalise_code(text: str) -> str:
    """A code as typed ("k7p4 mx2q", "K7P4-MX2Q") → its canonical form "K7P4MX2Q"."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def format_code(code: str) -> str:
    """ "K7P4MX2Q" → "K7P4-MX2Q" (groups of four, as printed)."""
    raw = normalise_code(code)
    return "-".join(raw[i : i + CODE_GROUP] for i in range(0, len(raw), CODE_GROUP))


def looks_like_code(text: str) -> bool:
    raw = normalise_code(text)
    return len(raw) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in raw)


def new_code() -> str:
    """A random canonical code (8 characters, about 40 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_link_secret() -> str:
    """32 random bytes, base64url without padding (mpp.md §9)."""
    return secrets.token_urlsafe(LINK_BYTES)


def _check_service(unit: ServiceUnit, service_code: str) -> None:
    if service_code and not unit.services.filter(code=service_code, is_active=True).exists():
        raise DomainError(
            _("Layanan %(code)s tidak ada dalam katalog layanan aktif unit ini.")
            % {"code": service_code},
            field="service_code",
        )


def code_expiry(issued_on: dt.date, days: int) -> dt.datetime:
    """End of the last valid day, local time: a code issued on the 1st for 30 days works
    through the 30th whatever the hour it was printed."""
    last_day = issued_on + dt.timedelta(days=days - 1)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(end)


def default_batch_label(issued_on: dt.date) -> str:
    return f"{issued_on.isoformat()} {timezone.localtime():%H.%M.%S}"


def issue_codes(
    *,
    actor: Person,
    unit: ServiceUnit,
    count: int,
    issued_on: dt.date,
    service_code: str = "",
    batch: str = "",
    valid_days: int = CODE_VALID_DAYS,
) -> list[str]:
    """Issue ``count`` one-time codes for the unit; the clear codes, formatted, once.

    Only digests are stored: print or hand out the returned codes now, they cannot be
    shown again. Audited once per batch (the count and label, never a code).
    """
    if not may_run_unit(actor, unit):
        raise PermissionDenied(_("Anda tidak berwenang menerbitkan kode survei untuk unit ini."))
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise DomainError(
            _("Jumlah kode harus 1–%(max)s.") % {"max": MAX_CODES_PER_BATCH}, field="count"
        )
    if not 1 <= valid_days <= MAX_VALID_DAYS:
        raise DomainError(
            _("Masa berlaku harus 1–%(max)s hari.") % {"max": MAX_VALID_DAYS},
            field="valid_days",
        )
    batch = " ".join(batch.split()) or default_batch_label(issued_on)
    if len(batch) > BATCH_MAX_LENGTH:
        raise DomainError(
            _("Nama kelompok paling banyak %(max)s karakter.") % {"max": BATCH_MAX_LENGTH},
            field="batch",
        )
    _check_service(unit, service_code)
    expires_at = code_expiry(issued_on, valid_days)
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(new_code())
    with transaction.atomic():
        taken = set(
            SurveyToken.objects.filter(digest__in=[digest(c) for c in codes]).values_list(
                "digest", flat=True
            )
        )
        # A collision with an outstanding code is astronomically rare; draw again.
        while taken:
            codes = {c for c in codes if digest(c) not in taken}
            while len(codes) < count:
                codes.add(new_code())
            taken = set(
                SurveyToken.objects.filter(digest__in=[digest(c) for c in codes]).values_list(
                    "digest", flat=True
                )
            )
        SurveyToken.objects.bulk_create(
            [
                SurveyToken(
                    unit=unit,
                    kind=TokenKind.CODE,
                    digest=digest(code),
                    service_code=service_code,
                    batch=batch,
                    issued_on=issued_on,
                    expires_at=expires_at,
                    issued_by=actor,
                )
                for code in sorted(codes)
            ]
        )
        audit.record(
            actor=actor,
            action="skm.codes.issued",
            obj=unit,
            after={
                "count": count,
                "batch": batch,
                "service_code": service_code,
                "issued_on": issued_on,
                "expires_at": expires_at,
            },
        )
    return [format_code(code) for code in sorted(codes)]


def issue_link_token(
    *,
    unit: ServiceUnit,
    service_code: str,
    completed_on: dt.date,
    actor: Person | None = None,
    valid_days: int = LINK_VALID_DAYS,
) -> str:
    """Issue an after-service link token (mpp.md §9); the clear secret, once.

    ``actor`` is the person asking through the API (permission-checked); MPP issues
    links itself without one. Expires ``valid_days`` after issue.
    """
    if actor is not None and not may_run_unit(actor, unit):
        raise PermissionDenied(_("Anda tidak berwenang menerbitkan tautan survei untuk unit ini."))
    _check_service(unit, service_code)
    secret = new_link_secret()
    with transaction.atomic():
        token = SurveyToken.objects.create(
            unit=unit,
            kind=TokenKind.LINK,
            digest=digest(secret),
            service_code=service_code,
            issued_on=completed_on,
            expires_at=timezone.now() + dt.timedelta(days=valid_days),
            issued_by=actor,
        )
        audit.record(
            actor=actor,
            action="skm.link.issued",
            obj=token,
            after={"unit": unit.pk, "service_code": service_code, "completed_on": completed_on},
        )
    return secret


def canonical_secret(secret: str, kind: TokenKind | None) -> str:
    """Codes are compared in canonical form; links exactly as issued."""
    if kind == TokenKind.CODE or (kind is None and looks_like_code(secret)):
        return normalise_code(secret)
    return secret


def _refuse_if_gone(token: SurveyToken) -> None:
    if token.used_at is not None:
        raise TokenGone(_("Kode atau tautan survei ini sudah dipakai. Terima kasih."))
    if token.expires_at <= timezone.now():
        raise TokenGone(
            _("Kode atau tautan survei ini sudah kedaluwarsa (berlaku sampai %(moment)s).")
            % {
                "moment": timezone.localtime(token.expires_at - dt.timedelta(minutes=1)).strftime(
                    "%d-%m-%Y %H.%M"
                )
            }
        )


def find_token(secret: str, *, kind: TokenKind | None = None) -> SurveyToken:
    """The usable token of a secret; TokenUnknown or TokenGone (used/expired) if not."""
    if not secret or len(secret) > 200:
        raise TokenUnknown(_("Kode tidak dikenal. Periksa kembali kode pada lembar Anda."))
    query = SurveyToken.objects.select_related("unit", "unit__institution").filter(
        digest=digest(canonical_secret(secret, kind))
    )
    if kind is not None:
        query = query.filter(kind=kind)
    token = query.first()
    if token is None:
        raise TokenUnknown(_("Kode tidak dikenal. Periksa kembali kode pada lembar Anda."))
    _refuse_if_gone(token)
    return token


def survey_for_token(token: SurveyToken, day: dt.date) -> Survey:
    """The unit's collecting survey whose period holds ``day``; NoCollectingSurvey if none."""
    survey = (
        Survey.objects.select_related("unit", "unit__institution")
        .filter(
            unit_id=token.unit_id,
            state=SurveyState.COLLECTING,
            period_start__lte=day,
            period_end__gte=day,
        )
        .order_by("period_start")
        .first()
    )
    if survey is None:
        raise NoCollectingSurvey(
            _(
                "%(unit)s sedang tidak membuka survei kepuasan untuk tanggal ini. "
                "Kode Anda belum terpakai; coba lagi nanti."
            )
            % {"unit": token.unit.name}
        )
    return survey


def answer_with_token(
    secret: str, data: ResponseInput, *, kind: TokenKind | None = None
) -> Response:
    """Store a response with channel ``token`` and mark the token used, atomically.

    The token's service, when it names one the survey covers, is the service of the
    response. Nothing is
    written when the token is unknown, used, expired, has no collecting survey, or the
    answers are rejected (ResponseRejected).
    """
    canonical = canonical_secret(secret, kind)
    with transaction.atomic():
        query = SurveyToken.objects.select_for_update().filter(digest=digest(canonical))
        if kind is not None:
            query = query.filter(kind=kind)
        token = query.select_related("unit").first()
        if token is None:
            raise TokenUnknown(_("Kode tidak dikenal. Periksa kembali kode pada lembar Anda."))
        _refuse_if_gone(token)
        survey = survey_for_token(token, data.answered_on)
        if token.service_code and token.service_code in allowed_service_codes(survey):
            data = replace(data, service_code=token.service_code)
        response = record_response(survey, data, channel=Channel.TOKEN)
        token.used_at = used_day_start()
        token.save(update_fields=["used_at"])
    return response


def used_day_start() -> dt.datetime:
    """When a token counts as used: the start of the local day, not the instant, so the
    time of use cannot be matched to the creation time of the response it allowed."""
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))
