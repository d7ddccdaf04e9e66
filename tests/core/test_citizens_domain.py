"""Citizen accounts: numbers, one-time codes, limits, e-mail, tokens, closing (domain)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re

import pytest
import sms
from django.conf import settings
from django.core import mail
from django.utils import timezone

from prima.core.api_auth import digest_of
from prima.core.domain.citizens import (
    CODE_TTL,
    TooManyRequests,
    close_citizen_account,
    issue_citizen_token,
    mask_phone,
    normalise_phone,
    request_email_code,
    request_login_code,
    revoke_citizen_token,
    verify_email_code,
    verify_login_code,
)
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry, Citizen, CitizenToken, OneTimeCode

pytestmark = pytest.mark.django_db

PHONE = "+6281234567890"
ADDRESS = "203.0.113.10"


@pytest.fixture(autouse=True)
def outbox():
    sms.outbox = []
    return sms.outbox


@pytest.fixture
def send_code(django_capture_on_commit_callbacks):
    """Ask for a sign-in code and return the code the SMS carried."""

    def send(phone: str = PHONE, address: str = ADDRESS) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            request_login_code(phone, address=address)
        match = re.search(r"\b(\d{6})\b", sms.outbox[-1].body)
        assert match, sms.outbox[-1].body
        return match.group(1)

    return send


def age_codes(target: str, by: dt.timedelta) -> None:
    """Let time pass for the codes already sent to a target."""
    for row in OneTimeCode.objects.filter(target=target):
        row.created_at -= by
        row.save(update_fields=["created_at"])


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


class TestNumbers:
    @pytest.mark.parametrize(
        "raw",
        [
            "081234567890",
            "0812-3456-7890",
            "0812 3456 7890",
            "(0812) 3456.7890",
            "6281234567890",
            "+62 812 3456 7890",
            "+6281234567890",
        ],
    )
    def test_indonesian_mobile_numbers_in_every_usual_form(self, raw):
        assert normalise_phone(raw) == PHONE

    @pytest.mark.parametrize(
        ("raw", "says"),
        [
            ("", "wajib diisi"),
            ("nomor saya", "hanya boleh berisi angka"),
            ("+14155552671", "nomor Indonesia"),
            ("+447911123456", "nomor Indonesia"),
            ("021 1234 5678", "nomor seluler"),
            ("0812", "tidak valid"),
            ("+6281234", "tidak valid"),
        ],
    )
    def test_anything_else_is_refused_naming_the_field(self, raw, says):
        with pytest.raises(DomainError) as error:
            normalise_phone(raw)
        assert error.value.field == "phone"
        assert error.value.message.startswith("Nomor ponsel")
        assert says in error.value.message

    def test_masked_number_keeps_only_the_ends(self):
        assert mask_phone("+628123456678") == "+62812****678"
        assert mask_phone(PHONE) == "+62812*****890"


class TestCodes:
    def test_the_code_goes_by_sms_after_commit_and_is_stored_only_as_a_keyed_hash(
        self, django_capture_on_commit_callbacks, outbox
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            sent = request_login_code("0812 3456 7890", address=ADDRESS)
        assert outbox == []  # nothing leaves before the transaction commits
        for callback in callbacks:
            callback()
        assert [m.recipients for m in outbox] == [[PHONE]]
        code = re.search(r"\b(\d{6})\b", outbox[0].body).group(1)
        assert "5 menit" in outbox[0].body
        row = OneTimeCode.objects.get()
        stored = json.dumps([row.target, row.code_hash, str(row.created_at), str(row.expires_at)])
        assert code not in stored
        assert row.code_hash != hashlib.sha256(code.encode()).hexdigest()
        assert (
            row.code_hash
            == hmac.new(
                settings.SECRET_KEY.encode(),
                f"phone_login\x00{PHONE}\x00{code}".encode(),
                hashlib.sha256,
            ).hexdigest()
        )
        assert row.expires_at - row.created_at == CODE_TTL
        assert sent.target == "+62812*****890"

    def test_asking_for_a_code_creates_no_account_and_answers_alike_for_known_numbers(self):
        known = Citizen.objects.create(phone="+6281111111111", phone_verified_at=timezone.now())
        for phone in ("081111111111", "081222222222"):
            sent = request_login_code(phone, address=ADDRESS)
            assert (sent.expires_at - timezone.now()) > dt.timedelta(minutes=4)
        assert list(Citizen.objects.all()) == [known]
        assert not AuditEntry.objects.exists()

    def test_a_code_expires_after_five_minutes(self, send_code):
        code = send_code()
        OneTimeCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        with pytest.raises(DomainError, match="tidak berlaku lagi") as error:
            verify_login_code(PHONE, code)
        assert error.value.field == "code"
        assert not Citizen.objects.exists()

    def test_five_wrong_tries_kill_the_code(self, send_code):
        code = send_code()
        for left in (4, 3, 2, 1):
            with pytest.raises(DomainError, match=f"Sisa percobaan untuk kode ini: {left}"):
                verify_login_code(PHONE, wrong(code))
        with pytest.raises(DomainError, match="salah 5 kali"):
            verify_login_code(PHONE, wrong(code))
        assert OneTimeCode.objects.get().attempts == 5
        # Even the right code no longer works.
        with pytest.raises(DomainError, match="Minta kode baru"):
            verify_login_code(PHONE, code)
        assert not Citizen.objects.exists()

    def test_a_code_works_once(self, send_code):
        code = send_code()
        verify_login_code(PHONE, code)
        with pytest.raises(DomainError, match="tidak berlaku lagi"):
            verify_login_code(PHONE, code)

    def test_a_code_is_bound_to_its_number(self, send_code):
        code = send_code()
        with pytest.raises(DomainError, match="belum diminta"):
            verify_login_code("081299998888", code)

    def test_a_malformed_code_is_refused_without_using_a_try(self, send_code):
        send_code()
        with pytest.raises(DomainError, match="6 angka"):
            verify_login_code(PHONE, "12a45")
        assert OneTimeCode.objects.get().attempts == 0


class TestLimits:
    def test_one_code_a_minute_then_the_new_code_replaces_the_old(self, send_code):
        first = send_code()
        with pytest.raises(TooManyRequests) as error:
            request_login_code(PHONE, address=ADDRESS)
        assert 55 <= error.value.retry_after <= 60
        assert "Kode baru dapat diminta lagi dalam" in error.value.message
        assert "detik" in error.value.message

        age_codes(PHONE, dt.timedelta(seconds=61))
        second = send_code()
        if first != second:
            with pytest.raises(DomainError):
                verify_login_code(PHONE, first)
        assert verify_login_code(PHONE, second).phone == PHONE

    def test_five_codes_per_number_an_hour(self, send_code):
        for _n in range(5):
            send_code()
            age_codes(PHONE, dt.timedelta(minutes=10))
        # The oldest of the five was sent 50 minutes ago: allowed again in ten minutes.
        with pytest.raises(TooManyRequests) as error:
            request_login_code(PHONE, address="198.51.100.1")
        assert "Sudah 5 kode diminta dalam satu jam terakhir" in error.value.message
        assert "10 menit" in error.value.message
        assert 590 <= error.value.retry_after <= 600
        age_codes(PHONE, dt.timedelta(minutes=11))
        send_code(address="198.51.100.1")

    def test_ten_codes_per_client_address_an_hour(self, send_code):
        for n in range(10):
            send_code(f"08123450000{n}")
        with pytest.raises(TooManyRequests, match="jaringan Anda") as error:
            request_login_code("081234500010", address=ADDRESS)
        assert error.value.retry_after > 0
        assert OneTimeCode.objects.count() == 10
        # Another client is not affected.
        send_code("081234500010", address="198.51.100.2")

    def test_a_refusal_for_the_number_does_not_use_up_the_address(self, send_code):
        send_code()
        for _n in range(12):
            with pytest.raises(TooManyRequests):
                request_login_code(PHONE, address=ADDRESS)
        for n in range(9):
            send_code(f"08123450000{n}")


class TestAccounts:
    def test_first_verification_creates_the_account_second_signs_into_it(self, send_code):
        citizen = verify_login_code(PHONE, send_code())
        age_codes(PHONE, dt.timedelta(minutes=2))
        again = verify_login_code("6281234567890", send_code("6281234567890"))

        assert again.pk == citizen.pk
        assert Citizen.objects.count() == 1
        assert citizen.phone == PHONE and citizen.is_active
        created = AuditEntry.objects.get(action="citizen.created")
        assert created.actor is None
        assert created.object_repr == f"Warga #{citizen.pk}"
        assert created.after == {"phone": "+62812*****890"}
        everything = json.dumps(list(AuditEntry.objects.values()), default=str)
        assert PHONE not in everything
        assert "81234567890" not in everything

    def test_closing_signs_out_everywhere_and_signing_in_again_reopens(self, send_code):
        citizen = verify_login_code(PHONE, send_code())
        citizen.email, citizen.email_verified_at = "warga@contoh.id", timezone.now()
        citizen.save()
        issue_citizen_token(citizen)
        issue_citizen_token(citizen)

        close_citizen_account(citizen)

        assert not citizen.is_active
        assert (citizen.email, citizen.email_verified_at) == ("", None)
        assert not CitizenToken.objects.filter(revoked_at__isnull=True).exists()
        closed = AuditEntry.objects.get(action="citizen.closed")
        assert closed.after == {"is_active": False, "tokens_revoked": 2}
        assert closed.object_repr == f"Warga #{citizen.pk}"
        with pytest.raises(DomainError, match="sudah ditutup"):
            close_citizen_account(citizen)
        with pytest.raises(PermissionDenied):
            issue_citizen_token(citizen)

        age_codes(PHONE, dt.timedelta(minutes=2))
        reopened = verify_login_code(PHONE, send_code())
        assert reopened.pk == citizen.pk and reopened.is_active
        assert AuditEntry.objects.filter(action="citizen.reopened").count() == 1


class TestEmail:
    @pytest.fixture
    def citizen(self, send_code):
        return verify_login_code(PHONE, send_code())

    def send_email_code(self, citizen, email, capture):
        with capture(execute=True):
            request_email_code(citizen, email)
        return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)

    def test_a_code_by_e_mail_verifies_the_address(
        self, citizen, django_capture_on_commit_callbacks
    ):
        code = self.send_email_code(
            citizen, " Warga@Contoh.ID ", django_capture_on_commit_callbacks
        )
        assert mail.outbox[-1].to == ["warga@contoh.id"]
        assert code not in OneTimeCode.objects.get(purpose="email_verify").code_hash
        citizen.refresh_from_db()
        assert citizen.email_verified_at is None  # not before the code comes back

        verify_email_code(citizen, code)

        assert citizen.email == "warga@contoh.id"
        assert citizen.email_verified_at is not None
        assert citizen.verified_email_domain == "contoh.id"
        entry = AuditEntry.objects.get(action="citizen.email_verified")
        assert entry.after == {"email_domain": "contoh.id"}
        assert entry.object_repr == f"Warga #{citizen.pk}"
        with pytest.raises(DomainError, match="sudah terverifikasi"):
            request_email_code(citizen, "warga@contoh.id")

    def test_wrong_code_and_someone_elses_code_are_refused(
        self, citizen, django_capture_on_commit_callbacks
    ):
        other = Citizen.objects.create(phone="+6281299990000", phone_verified_at=timezone.now())
        code = self.send_email_code(citizen, "warga@contoh.id", django_capture_on_commit_callbacks)
        with pytest.raises(DomainError, match="Sisa percobaan"):
            verify_email_code(citizen, wrong(code))
        with pytest.raises(DomainError, match="belum diminta"):
            verify_email_code(other, code)
        other.refresh_from_db()
        assert other.email == ""

    def test_invalid_address_and_limits(self, citizen, django_capture_on_commit_callbacks):
        with pytest.raises(DomainError) as error:
            request_email_code(citizen, "bukan-surel")
        assert error.value.field == "email"
        self.send_email_code(citizen, "a@contoh.id", django_capture_on_commit_callbacks)
        with pytest.raises(TooManyRequests):
            request_email_code(citizen, "b@contoh.id")


class TestTokens:
    def test_a_token_is_kept_as_a_digest_for_thirty_days(self, send_code):
        citizen = verify_login_code(PHONE, send_code())
        key = issue_citizen_token(citizen)
        token = CitizenToken.objects.get()
        assert token.digest == digest_of(key) and key not in token.digest
        assert dt.timedelta(days=29, hours=23) < token.expires_at - timezone.now()
        assert token.expires_at - timezone.now() <= dt.timedelta(days=30)

    def test_revoking_is_for_the_owner_only(self, send_code):
        citizen = verify_login_code(PHONE, send_code())
        other = Citizen.objects.create(phone="+6281299990000", phone_verified_at=timezone.now())
        key = issue_citizen_token(citizen)
        with pytest.raises(PermissionDenied):
            revoke_citizen_token(other, key)
        revoke_citizen_token(citizen, key)
        assert CitizenToken.objects.get().revoked_at is not None
        with pytest.raises(DomainError, match="sudah dicabut"):
            revoke_citizen_token(citizen, key)
