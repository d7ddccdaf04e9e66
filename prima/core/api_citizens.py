"""Citizen API (/api/v1/warga): sign in with a code sent by SMS, get a 30-day bearer token.

For mobile apps of the public. Same domain functions, limits and messages as the web pages;
the number is never returned, only masked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from prima.core import ratelimit
from prima.core.api_auth import digest_of
from prima.core.citizen_session import CitizenTokenAuth
from prima.core.domain import citizens
from prima.core.domain.errors import DomainError
from prima.core.models import Citizen, CitizenToken

router = Router(tags=["warga"], auth=CitizenTokenAuth())


class ErrorOut(Schema):
    detail: str


class PhoneIn(Schema):
    phone: str = Field(description="nomor ponsel Indonesia: 08…, 62… atau +62…")


class CodeSentOut(Schema):
    detail: str
    phone: str = Field(description="nomor tujuan, disamarkan")
    expires_at: dt.datetime
    resend_at: dt.datetime


class TokenIn(Schema):
    phone: str = Field(description="nomor ponsel yang menerima kode")
    code: str = Field(description="kode 6 angka dari SMS")


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


class CitizenOut(Schema):
    id: int
    label: str = Field(description="«Warga #id»")
    phone: str = Field(description="nomor ponsel, disamarkan")
    email: str = Field(description="surel terverifikasi, atau kosong")
    created_at: dt.datetime


def _refused(error: DomainError, response: HttpResponse) -> tuple[int, dict[str, str]]:
    """429 (with Retry-After) for too many codes, 400 for any other refusal."""
    if isinstance(error, citizens.TooManyRequests):
        response["Retry-After"] = str(error.retry_after)
        return 429, {"detail": error.message}
    return 400, {"detail": error.message}


@router.post(
    "/kode",
    auth=None,
    response={202: CodeSentOut, 400: ErrorOut, 429: ErrorOut},
    summary="Kirim kode masuk lewat SMS",
)
def send_code(request: HttpRequest, payload: PhoneIn, response: HttpResponse) -> Any:
    """Send a six-digit sign-in code to the number (the same answer whether or not it has an
    account). At most one code a minute and five an hour per number, ten an hour per client."""
    try:
        sent = citizens.request_login_code(payload.phone, address=ratelimit.client_address(request))
    except DomainError as error:
        return _refused(error, response)
    return 202, {
        "detail": _("Kode dikirim lewat SMS; berlaku 5 menit."),
        "phone": sent.target,
        "expires_at": timezone.localtime(sent.expires_at),
        "resend_at": timezone.localtime(sent.resend_at),
    }


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 400: ErrorOut, 429: ErrorOut},
    summary="Tukar nomor ponsel dan kode dengan token",
)
def create_token(request: HttpRequest, payload: TokenIn, response: HttpResponse) -> Any:
    """Check the code (five wrong tries kill it); the account is created on first sign-in.
    Returns a bearer token valid for 30 days; keep it secret."""
    try:
        citizens.count_code_try(ratelimit.client_address(request))
        citizen = citizens.verify_login_code(payload.phone, payload.code)
        key = citizens.issue_citizen_token(citizen)
    except DomainError as error:
        return _refused(error, response)
    token = CitizenToken.objects.get(digest=digest_of(key))
    return 200, {"token": key, "expires_at": timezone.localtime(token.expires_at)}


@router.get("/saya", response={200: CitizenOut, 401: ErrorOut}, summary="Akun warga saya")
def me(request: HttpRequest) -> Any:
    """The token's own account: number masked, e-mail only when verified."""
    citizen = request.auth  # type: ignore[attr-defined]
    assert isinstance(citizen, Citizen)
    return {
        "id": citizen.pk,
        "label": str(citizen),
        "phone": citizens.mask_phone(citizen.phone),
        "email": citizen.email if citizen.email_verified_at else "",
        "created_at": timezone.localtime(citizen.created_at),
    }


@router.delete(
    "/token", response={204: None, 400: ErrorOut, 401: ErrorOut}, summary="Cabut token ini"
)
def revoke_token(request: HttpRequest) -> Any:
    """Revoke the token this request was made with (signing out of the app)."""
    citizen = request.auth  # type: ignore[attr-defined]
    assert isinstance(citizen, Citizen)
    key = request.headers.get("Authorization", "").partition(" ")[2].strip()
    try:
        citizens.revoke_citizen_token(citizen, key)
    except DomainError as error:
        return 400, {"detail": error.message}
    return 204, None
