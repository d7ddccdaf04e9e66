"""Citizen accounts (warga): sign-in with a one-time code sent by SMS to a mobile number.

One account per mobile number (kipp.md §14). Codes are six random digits, kept only as an
HMAC-SHA256 keyed with SECRET_KEY, valid for five minutes and dead after five wrong tries.
Requests are limited per number (one a minute, five an hour) and per client address (ten an
hour); a refusal says when to try again. Asking for a code never reveals whether the number
already has an account. Citizens are not `Person`s: audit entries have no actor, name the
account as "Warga #id" and never hold the number in clear.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import math
import re
import secrets
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as in_indonesian
from sms import send_sms

from prima.core import ratelimit
from prima.core.api_auth import digest_of
from prima.core.domain import audit
from prima.core.domain.accounts.mail import mail_on_commit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import Citizen, CitizenToken, OneTimeCode, OneTimeCodePurpose

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
CODE_TTL = dt.timedelta(minutes=5)
RESEND_AFTER = dt.timedelta(seconds=60)
HOUR = dt.timedelta(hours=1)
CODES_PER_NUMBER_PER_HOUR = 5
CODES_PER_ADDRESS_PER_HOUR = 10
EMAIL_CODES_PER_HOUR = 5
# Tries at a sign-in code per client address and hour, across numbers: with five tries per
# code this bounds guessing from one address well below one chance in ten thousand.
TRIES_PER_ADDRESS_PER_HOUR = 30
MAX_WRONG_ATTEMPTS = 5
TOKEN_TTL = dt.timedelta(days=30)
TOKEN_PREFIX = "warga_"

_SEPARATORS = re.compile(r"[\s\-.()/]")
_MOBILE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


class TooManyRequests(DomainError):
    """A code was asked for too often; `retry_after` says in how many seconds to try again."""

    def __init__(self, message: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after


@dataclass(frozen=True)
class CodeSent:
    """What a person may be told after a code was sent (never the code itself)."""

    target: str  # masked phone number, or the e-mail address the citizen typed
    expires_at: dt.datetime
    resend_at: dt.datetime


# --------------------------------------------------------------------------- numbers


def normalise_phone(raw: str) -> str:
    """An Indonesian mobile number (08…, 62…, +62…) in E.164, or a DomainError on `phone`."""
    text = _SEPARATORS.sub("", (raw or "").strip())
    if not text:
        raise DomainError(_("Nomor ponsel wajib diisi, misalnya 0812 3456 7890."), field="phone")
    if text.startswith("62"):
        text = "+" + text
    if not re.fullmatch(r"\+?\d{1,20}", text):
        raise DomainError(
            _("Nomor ponsel hanya boleh berisi angka, misalnya 0812 3456 7890 atau +62812…"),
            field="phone",
        )
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        raise DomainError(
            _("Nomor ponsel tidak dikenali; tulis seperti 0812 3456 7890."), field="phone"
        ) from None
    if phonenumbers.region_code_for_number(number) != "ID":
        raise DomainError(
            _("Nomor ponsel harus nomor Indonesia (+62); nomor luar negeri tidak dapat dipakai."),
            field="phone",
        )
    if not phonenumbers.is_valid_number(number):
        raise DomainError(
            _("Nomor ponsel tidak valid; periksa kembali jumlah digitnya."), field="phone"
        )
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise DomainError(
            _(
                "Nomor ponsel harus nomor seluler (08…); kode dikirim lewat SMS, "
                "jadi nomor telepon rumah atau kantor tidak dapat dipakai."
            ),
            field="phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(phone: str) -> str:
    """+6281234567890 → +62812*****890: enough for the owner to recognise, never the number."""
    if len(phone) < 10:
        return "*" * len(phone)
    return f"{phone[:6]}{'*' * (len(phone) - 9)}{phone[-3:]}"


# --------------------------------------------------------------------------- codes


def _code_hash(purpose: str, target: str, code: str) -> str:
    # Keyed with SECRET_KEY and bound to purpose and target: a leaked table reveals no code,
    # and a hash cannot be replayed for another number or address.
    message = f"{purpose}\x00{target}\x00{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def _clean_code(code: str) -> str:
    cleaned = re.sub(r"\s", "", code or "")
    if not re.fullmatch(rf"\d{{{CODE_DIGITS}}}", cleaned):
        raise DomainError(
            _("Kode terdiri dari 6 angka; periksa SMS atau surel Anda."), field="code"
        )
    return cleaned


def _wait_text(seconds: int) -> str:
    if seconds < 120:
        return _("%(n)s detik") % {"n": seconds}
    at = timezone.localtime(timezone.now() + dt.timedelta(seconds=seconds))
    return _("%(n)s menit (sekitar pukul %(time)s WIB)") % {
        "n": math.ceil(seconds / 60),
        "time": at.strftime("%H.%M"),
    }


def _seconds_until(moment: dt.datetime, now: dt.datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


def _check_quota(
    sent: QuerySet[OneTimeCode], *, now: dt.datetime, per_hour: int, field: str
) -> None:
    """Refuse a new code within a minute of the last one, or past `per_hour` in an hour."""
    recent = list(
        sent.filter(created_at__gt=now - HOUR)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:per_hour]
    )
    if recent and recent[0] + RESEND_AFTER > now:
        wait = _seconds_until(recent[0] + RESEND_AFTER, now)
        raise TooManyRequests(
            _("Kode baru dapat diminta lagi dalam %(wait)s.") % {"wait": _wait_text(wait)},
            retry_after=wait,
            field=field,
        )
    if len(recent) >= per_hour:
        # Allowed again once the oldest of these leaves the one-hour window.
        wait = _seconds_until(recent[-1] + HOUR, now)
        raise TooManyRequests(
            _("Sudah %(count)s kode diminta dalam satu jam terakhir. Coba lagi dalam %(wait)s.")
            % {"count": per_hour, "wait": _wait_text(wait)},
            retry_after=wait,
            field=field,
        )


def _lock_target(target: str) -> None:
    """Serialise code requests for one target so two at once cannot both pass the quota.

    PostgreSQL: a transaction-scoped advisory lock keyed by the target's hash. SQLite
    already runs one writing transaction at a time.
    """
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(target.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _issue_code(
    purpose: str,
    target: str,
    *,
    now: dt.datetime,
    supersedes: QuerySet[OneTimeCode],
    citizen: Citizen | None = None,
) -> str:
    """Store a new code's hash; the earlier live codes (`supersedes`) stop working."""
    supersedes.filter(used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    code = _new_code()
    OneTimeCode.objects.create(
        purpose=purpose,
        target=target,
        citizen=citizen,
        code_hash=_code_hash(purpose, target, code),
        created_at=now,
        expires_at=now + CODE_TTL,
    )
    return code


def sms_on_commit(phone: str, body: str) -> None:
    """Send a text message after the transaction commits; a gateway failure is logged only."""

    def send() -> None:
        try:
            send_sms(body, recipients=[phone], fail_silently=False)
        except Exception:
            # Never the number or the body in the log: the body may hold a code.
            logger.exception("Sending an SMS to a citizen failed")

    transaction.on_commit(send)


def request_login_code(phone: str, *, address: str) -> CodeSent:
    """Send a sign-in code by SMS to an Indonesian mobile number.

    The answer is the same whether or not the number has an account (no enumeration).
    Refused with `TooManyRequests` within 60 seconds of the previous code, after five codes
    for the number in an hour, or after ten requests from the client address in an hour.
    """
    target = normalise_phone(phone)
    now = timezone.now()
    purpose = OneTimeCodePurpose.PHONE_LOGIN
    sent = OneTimeCode.objects.filter(purpose=purpose, target=target)
    with transaction.atomic():
        _lock_target(f"{purpose}:{target}")
        _check_quota(
            sent,
            now=now,
            per_hour=CODES_PER_NUMBER_PER_HOUR,
            field="phone",
        )
        # Counted last, so a refusal for the number does not use up the address's allowance.
        if not ratelimit.allow(
            "citizen-code", address, limit=CODES_PER_ADDRESS_PER_HOUR, window_seconds=3600
        ):
            wait = ratelimit.seconds_until_reset(3600)
            raise TooManyRequests(
                _("Terlalu banyak permintaan kode dari jaringan Anda. Coba lagi dalam %(wait)s.")
                % {"wait": _wait_text(wait)},
                retry_after=wait,
                field="phone",
            )
        code = _issue_code(purpose, target, now=now, supersedes=sent)
        with translation.override(settings.LANGUAGE_CODE):
            body = _(
                "Kode masuk Prima: %(code)s. Berlaku %(minutes)s menit. "
                "Jangan berikan kode ini kepada siapa pun."
            ) % {"code": code, "minutes": int(CODE_TTL.total_seconds() // 60)}
        sms_on_commit(target, body)
    return CodeSent(mask_phone(target), now + CODE_TTL, now + RESEND_AFTER)


def count_code_try(address: str) -> None:
    """Count a try at a sign-in code from the client address (web page and API alike);
    `TooManyRequests` past the hourly allowance."""
    if not ratelimit.allow(
        "citizen-verify", address, limit=TRIES_PER_ADDRESS_PER_HOUR, window_seconds=3600
    ):
        wait = ratelimit.seconds_until_reset(3600)
        raise TooManyRequests(
            _("Terlalu banyak percobaan kode dari jaringan Anda. Coba lagi dalam %(n)s menit.")
            % {"n": max(1, wait // 60)},
            retry_after=wait,
        )


def _live_code(codes: QuerySet[OneTimeCode], now: dt.datetime) -> OneTimeCode | None:
    return (
        codes.select_for_update()
        .filter(used_at__isnull=True, expires_at__gt=now, attempts__lt=MAX_WRONG_ATTEMPTS)
        .order_by("-created_at", "-pk")
        .first()
    )


def _wrong_code(left: int) -> DomainError:
    if left <= 0:
        return DomainError(
            _("Kode salah 5 kali dan tidak berlaku lagi. Minta kode baru."), field="code"
        )
    return DomainError(
        _("Kode salah. Sisa percobaan untuk kode ini: %(left)s.") % {"left": left}, field="code"
    )


def _consume(row: OneTimeCode | None, code: str, now: dt.datetime) -> int | None:
    """Mark a matching code used and return None; count a wrong try and return tries left.

    Must run inside the caller's transaction with `row` locked.
    """
    if row is None:
        raise DomainError(
            _("Kode tidak berlaku lagi atau belum diminta. Minta kode baru."), field="code"
        )
    expected = _code_hash(row.purpose, row.target, code)
    if not hmac.compare_digest(row.code_hash, expected):
        row.attempts += 1
        row.save(update_fields=["attempts"])
        return MAX_WRONG_ATTEMPTS - row.attempts
    row.used_at = now
    row.save(update_fields=["used_at"])
    return None


def verify_login_code(phone: str, code: str) -> Citizen:
    """Check a sign-in code; return the number's account, creating it on first sign-in.

    A wrong code counts against it (the fifth wrong try kills it). A closed account is
    opened again by signing in with its number: one account per number, always.
    """
    target = normalise_phone(phone)
    code = _clean_code(code)
    now = timezone.now()
    with transaction.atomic():
        row = _live_code(
            OneTimeCode.objects.filter(purpose=OneTimeCodePurpose.PHONE_LOGIN, target=target),
            now,
        )
        left = _consume(row, code, now)
        citizen = None
        if left is None:
            citizen = _sign_in(target, now)
    # Raised after the block, so the wrong try stays counted.
    if citizen is None:
        raise _wrong_code(left or 0)
    return citizen


def _sign_in(phone: str, now: dt.datetime) -> Citizen:
    citizen = Citizen.objects.select_for_update().filter(phone=phone).first()
    if citizen is None:
        citizen = Citizen.objects.create(phone=phone, phone_verified_at=now, last_seen_at=now)
        audit.record(
            actor=None, action="citizen.created", obj=citizen, after={"phone": mask_phone(phone)}
        )
        return citizen
    if not citizen.is_active:
        citizen.is_active = True
        citizen.phone_verified_at = now
        citizen.last_seen_at = now
        citizen.save(update_fields=["is_active", "phone_verified_at", "last_seen_at"])
        audit.record(
            actor=None,
            action="citizen.reopened",
            obj=citizen,
            before={"is_active": False},
            after={"is_active": True},
        )
        return citizen
    citizen.last_seen_at = now
    citizen.save(update_fields=["last_seen_at"])
    return citizen


# --------------------------------------------------------------------------- e-mail


def _require_active(citizen: Citizen) -> None:
    if not citizen.is_active:
        raise PermissionDenied(_("Akun warga ini sudah ditutup."))


def _email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower() if email else ""


def request_email_code(citizen: Citizen, email: str) -> CodeSent:
    """E-mail a code that proves the citizen reads this address (five an hour, one a minute)."""
    _require_active(citizen)
    address = (email or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise DomainError(
            _("Alamat surel tidak valid, misalnya nama@contoh.id."), field="email"
        ) from None
    if citizen.email == address and citizen.email_verified_at is not None:
        raise DomainError(_("Surel ini sudah terverifikasi untuk akun Anda."), field="email")
    now = timezone.now()
    purpose = OneTimeCodePurpose.EMAIL_VERIFY
    with transaction.atomic():
        Citizen.objects.select_for_update().filter(pk=citizen.pk).first()
        # Counted per account, so one account cannot flood many addresses either.
        sent = OneTimeCode.objects.filter(purpose=purpose, citizen=citizen)
        _check_quota(sent, now=now, per_hour=EMAIL_CODES_PER_HOUR, field="email")
        code = _issue_code(purpose, address, now=now, supersedes=sent, citizen=citizen)
        mail_on_commit(
            subject=in_indonesian("Kode verifikasi surel"),
            template="core/citizens/email/email_code.txt",
            context={"code": code, "minutes": int(CODE_TTL.total_seconds() // 60)},
            to=[address],
        )
    return CodeSent(address, now + CODE_TTL, now + RESEND_AFTER)


def pending_email(citizen: Citizen) -> str:
    """The address a still-valid verification code was sent to, or ""."""
    row = (
        OneTimeCode.objects.filter(
            purpose=OneTimeCodePurpose.EMAIL_VERIFY,
            citizen=citizen,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            attempts__lt=MAX_WRONG_ATTEMPTS,
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return row.target if row is not None else ""


def verify_email_code(citizen: Citizen, code: str) -> Citizen:
    """Check the e-mail code; the address becomes the account's verified e-mail (audited)."""
    _require_active(citizen)
    code = _clean_code(code)
    now = timezone.now()
    with transaction.atomic():
        locked = Citizen.objects.select_for_update().get(pk=citizen.pk)
        row = _live_code(
            OneTimeCode.objects.filter(purpose=OneTimeCodePurpose.EMAIL_VERIFY, citizen=locked),
            now,
        )
        left = _consume(row, code, now)
        if left is None:
            assert row is not None
            before = {"email_domain": _email_domain(locked.email) if locked.email else ""}
            locked.email = row.target
            locked.email_verified_at = now
            locked.save(update_fields=["email", "email_verified_at"])
            audit.record(
                actor=None,
                action="citizen.email_verified",
                obj=locked,
                before=before,
                after={"email_domain": _email_domain(row.target)},
            )
    if left is not None:
        raise _wrong_code(left)
    citizen.refresh_from_db()
    return citizen


# --------------------------------------------------------------------------- tokens


def issue_citizen_token(citizen: Citizen) -> str:
    """A bearer token for the citizen's own API calls, valid 30 days; only its digest is kept."""
    _require_active(citizen)
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = CitizenToken.objects.create(
            citizen=citizen, digest=digest_of(key), expires_at=timezone.now() + TOKEN_TTL
        )
        audit.record(
            actor=None,
            action="citizen.token_issued",
            obj=citizen,
            after={"token": token.pk, "expires_at": token.expires_at},
        )
    return key


def revoke_citizen_token(citizen: Citizen, key: str) -> None:
    """Revoke one of the citizen's tokens by its key; it answers 401 from then on."""
    with transaction.atomic():
        token = (
            CitizenToken.objects.select_for_update()
            .filter(citizen=citizen, digest=digest_of(key or ""))
            .first()
        )
        if token is None:
            raise PermissionDenied(_("Token ini bukan milik akun Anda."))
        if token.revoked_at is not None:
            raise DomainError(_("Token ini sudah dicabut."))
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=None, action="citizen.token_revoked", obj=citizen, after={"token": token.pk}
        )


# --------------------------------------------------------------------------- closing


def close_citizen_account(citizen: Citizen) -> Citizen:
    """Close the account: inactive, every token revoked, pending codes void, e-mail forgotten.

    The number stays on the account so that it keeps its one account (its objections and
    ratings stay attached); signing in with it again reopens the account.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = Citizen.objects.select_for_update().get(pk=citizen.pk)
        if not locked.is_active:
            raise DomainError(_("Akun warga ini sudah ditutup."))
        before = {
            "is_active": True,
            "email_domain": _email_domain(locked.email),
            "email_verified": locked.email_verified_at is not None,
        }
        locked.is_active = False
        locked.email = ""
        locked.email_verified_at = None
        locked.save(update_fields=["is_active", "email", "email_verified_at"])
        revoked = CitizenToken.objects.filter(citizen=locked, revoked_at__isnull=True).update(
            revoked_at=now
        )
        OneTimeCode.objects.filter(citizen=locked, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        audit.record(
            actor=None,
            action="citizen.closed",
            obj=locked,
            before=before,
            after={"is_active": False, "tokens_revoked": revoked},
        )
    citizen.refresh_from_db()
    return citizen
