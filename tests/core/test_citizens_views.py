"""Citizen pages (/warga/): sign-in with a code, next-URL safety, the account, closing.

COVERED_PAGES lists the pages whose access this file checks for every persona (the
authorisation coverage test reads it).
"""

from __future__ import annotations

import re

import pytest
import sms
from django.core import mail
from django.test import Client
from django.urls import reverse

from prima.core.citizen_session import SESSION_KEY
from prima.core.domain.citizens import request_login_code
from prima.core.models import Citizen, CitizenToken, OneTimeCode
from tests.factories import CitizenFactory, PersonFactory

pytestmark = pytest.mark.django_db

PHONE = "+6281234567890"
# Every way the full number could leak onto a page.
FULL_FORMS = ("+6281234567890", "081234567890", "6281234567890", "81234567890")
MASKED = "+62812*****890"


@pytest.fixture(autouse=True)
def outbox():
    sms.outbox = []
    return sms.outbox


def last_code() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].body).group(1)


def citizen_client(citizen) -> Client:
    client = Client()
    session = client.session
    session[SESSION_KEY] = citizen.pk
    session.save()
    return client


def sign_in(client, capture, phone="0812 3456 7890", next_url=None):
    """Walk through both steps; return the final response."""
    data = {"phone": phone}
    if next_url is not None:
        data["next"] = next_url
    with capture(execute=True):
        response = client.post(reverse("citizen-login"), data)
    assert response.status_code == 302 and response["Location"] == reverse("citizen-code")
    return client.post(reverse("citizen-code"), {"code": last_code()})


def no_full_number(body: str) -> None:
    for form in FULL_FORMS:
        assert form not in body


# --------------------------------------------------------------------------- access matrix

# Who: a visitor, a signed-in citizen, a staff person without a citizen account.
#          page              method  visitor citizen staff
MATRIX = [
    ("citizen-login", "GET", 200, 302, 200),
    ("citizen-code", "GET", 302, 302, 302),
    ("citizen-account", "GET", 302, 200, 302),
    ("citizen-close", "GET", 302, 200, 302),
    ("citizen-logout", "POST", 302, 302, 302),
    ("citizen-logout", "GET", 405, 405, 405),
]
COVERED_PAGES = {row[0] for row in MATRIX}
WHO = ("visitor", "citizen", "staff")


CASES = [
    (name, method, who, expected[i])
    for name, method, *expected in MATRIX
    for i, who in enumerate(WHO)
]


@pytest.mark.parametrize(("name", "method", "who", "expected"), CASES)
def test_access_matrix(name, method, who, expected):
    if who == "citizen":
        client = citizen_client(CitizenFactory())
    else:
        client = Client()
        if who == "staff":
            client.force_login(PersonFactory())
    url = reverse(name)
    response = client.post(url) if method == "POST" else client.get(url)
    assert response.status_code == expected
    if name in ("citizen-account", "citizen-close") and who != "citizen":
        assert response["Location"] == f"{reverse('citizen-login')}?next={url.replace('/', '%2F')}"


# --------------------------------------------------------------------------- signing in


class TestSignIn:
    def test_number_then_code_then_back_to_where_the_citizen_was_going(
        self, client, django_capture_on_commit_callbacks
    ):
        page = client.get(reverse("citizen-login"), {"next": "/kipp/"}).content.decode()
        assert 'name="next" value="/kipp/"' in page
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("citizen-login"), {"phone": "0812 3456 7890", "next": "/kipp/"}
            )
        assert response["Location"] == reverse("citizen-code")
        assert sms.outbox[-1].recipients == [PHONE]
        code_page = client.get(reverse("citizen-code")).content.decode()
        assert MASKED in code_page
        no_full_number(code_page)
        assert 'autocomplete="one-time-code"' in code_page

        response = client.post(reverse("citizen-code"), {"code": last_code()})

        assert response.status_code == 302 and response["Location"] == "/kipp/"
        citizen = Citizen.objects.get()
        assert client.session[SESSION_KEY] == citizen.pk
        # The header shows the citizen, masked, with a way out; never the number.
        home = client.get(reverse("public_innovation_list")).content.decode()
        assert f"Warga #{citizen.pk}" in home and MASKED in home
        assert reverse("citizen-logout") in home
        no_full_number(home)

    def test_without_next_the_citizen_lands_on_the_account(
        self, client, django_capture_on_commit_callbacks
    ):
        response = sign_in(client, django_capture_on_commit_callbacks)
        assert response["Location"] == reverse("citizen-account")

    @pytest.mark.parametrize(
        "next_url",
        [
            "https://evil.example/",
            "//evil.example/kipp/",
            "/\\evil.example",
            "http://testserver/kipp/",
            "javascript:alert(1)",
            "kipp/",
            "/warga/keluar/",
        ],
    )
    def test_only_same_site_paths_are_followed(
        self, client, django_capture_on_commit_callbacks, next_url
    ):
        response = sign_in(client, django_capture_on_commit_callbacks, next_url=next_url)
        assert response["Location"] == reverse("citizen-account")

    def test_a_second_sign_in_with_the_same_number_is_the_same_account(
        self, django_capture_on_commit_callbacks
    ):
        first = Client()
        sign_in(first, django_capture_on_commit_callbacks)
        OneTimeCode.objects.update(
            created_at=OneTimeCode.objects.get().created_at.replace(year=2000)
        )
        second = Client()
        sign_in(second, django_capture_on_commit_callbacks, phone="+62 812-3456-7890")
        assert Citizen.objects.count() == 1
        assert first.session[SESSION_KEY] == second.session[SESSION_KEY]

    def test_a_wrong_code_says_how_many_tries_remain(
        self, client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("citizen-login"), {"phone": PHONE})
        bad = f"{(int(last_code()) + 1) % 1_000_000:06d}"
        response = client.post(reverse("citizen-code"), {"code": bad})
        assert response.status_code == 400
        assert "Sisa percobaan untuk kode ini: 4" in response.content.decode()
        assert SESSION_KEY not in client.session

    def test_an_invalid_number_is_refused_on_the_field(self, client):
        response = client.post(reverse("citizen-login"), {"phone": "+14155552671"})
        assert response.status_code == 400
        body = response.content.decode()
        assert "Nomor ponsel harus nomor Indonesia" in body
        assert 'aria-invalid="true"' in body
        assert not OneTimeCode.objects.exists()

    def test_asking_again_too_soon_is_refused_with_when_to_retry(
        self, client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("citizen-login"), {"phone": PHONE})
        # From the code page ("Kirim ulang kode") and from a fresh sign-in alike.
        resend = client.post(reverse("citizen-code"), {"action": "resend"})
        again = Client().post(reverse("citizen-login"), {"phone": PHONE})
        for response in (resend, again):
            assert response.status_code == 429
            assert 0 < int(response["Retry-After"]) <= 60
            assert "Kode baru dapat diminta lagi dalam" in response.content.decode()
        assert len(sms.outbox) == 1

    def test_resend_sends_a_new_code_once_the_minute_has_passed(
        self, client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("citizen-login"), {"phone": PHONE})
        row = OneTimeCode.objects.get()
        OneTimeCode.objects.update(created_at=row.created_at.replace(year=2000))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("citizen-code"), {"action": "resend"})
        assert response.status_code == 302
        assert len(sms.outbox) == 2
        assert client.post(reverse("citizen-code"), {"code": last_code()}).status_code == 302

    def test_the_code_page_without_a_pending_number_goes_back_to_step_one(self, client):
        assert client.get(reverse("citizen-code"))["Location"] == reverse("citizen-login")

    def test_forms_need_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        assert client.post(reverse("citizen-login"), {"phone": PHONE}).status_code == 403
        assert not OneTimeCode.objects.exists()

    def test_anonymous_header_keeps_staff_login_and_offers_citizen_sign_in(self, client):
        page = client.get(reverse("public_innovation_list")).content.decode()
        assert f'href="{reverse("login")}"' in page
        assert f'href="{reverse("citizen-login")}?next=' in page

    def test_staff_header_is_unchanged_when_signed_in(self, client):
        person = PersonFactory(full_name="Rina Marlina")
        client.force_login(person)
        page = client.get(reverse("public_innovation_list")).content.decode()
        assert "Rina Marlina" in page and reverse("logout") in page
        assert reverse("citizen-login") not in page


# --------------------------------------------------------------------------- the account


class TestAccount:
    @pytest.fixture
    def citizen(self):
        return CitizenFactory(phone=PHONE)

    def test_the_account_page_shows_the_masked_number_only(self, citizen):
        client = citizen_client(citizen)
        for name in ("citizen-account", "citizen-close"):
            body = client.get(reverse(name)).content.decode()
            assert MASKED in body and f"Warga #{citizen.pk}" in body
            no_full_number(body)

    def test_adding_an_e_mail_with_a_code(self, citizen, django_capture_on_commit_callbacks):
        client = citizen_client(citizen)
        url = reverse("citizen-account")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"action": "email_send", "email": "siti@contoh.id"})
        assert response.status_code == 302
        assert mail.outbox[-1].to == ["siti@contoh.id"]
        page = client.get(url).content.decode()
        assert "Kode verifikasi telah dikirim ke <strong>siti@contoh.id</strong>" in page
        code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)

        response = client.post(url, {"action": "email_verify", "code": code})

        assert response.status_code == 302
        citizen.refresh_from_db()
        assert citizen.email == "siti@contoh.id" and citizen.email_verified_at
        assert "terverifikasi" in client.get(url).content.decode()

    def test_an_invalid_e_mail_is_refused_on_the_field(self, citizen):
        response = citizen_client(citizen).post(
            reverse("citizen-account"), {"action": "email_send", "email": "siti@"}
        )
        assert response.status_code == 400
        assert "Alamat surel tidak valid" in response.content.decode()

    def test_closing_needs_the_confirmation_then_signs_out(self, citizen):
        client = citizen_client(citizen)
        CitizenToken.objects.create(citizen=citizen, digest="x" * 64, expires_at=citizen.created_at)
        url = reverse("citizen-close")
        response = client.post(url, {})
        assert response.status_code == 400
        assert "Centang pernyataan ini" in response.content.decode()
        citizen.refresh_from_db()
        assert citizen.is_active

        response = client.post(url, {"confirm": "on"})

        assert response["Location"] == reverse("home")
        citizen.refresh_from_db()
        assert not citizen.is_active
        assert CitizenToken.objects.get().revoked_at is not None
        assert SESSION_KEY not in client.session
        assert client.get(reverse("citizen-account")).status_code == 302

    def test_a_closed_account_is_signed_out_in_every_browser(self, citizen):
        other_browser = citizen_client(citizen)
        citizen_client(citizen).post(reverse("citizen-close"), {"confirm": "on"})
        assert other_browser.get(reverse("citizen-account")).status_code == 302

    def test_signing_out_leaves_a_staff_login_alone(self, citizen):
        client = citizen_client(citizen)
        person = PersonFactory()
        client.force_login(person)
        response = client.post(reverse("citizen-logout"))
        assert response["Location"] == reverse("home")
        assert SESSION_KEY not in client.session
        assert client.session["_auth_user_id"] == str(person.pk)

    def test_rate_limit_comes_from_the_domain_for_anyone_asking(self, citizen):
        # Ten numbers from one address, then the eleventh is refused on the page too.
        for n in range(10):
            request_login_code(f"08123450000{n}", address="127.0.0.1")
        response = Client().post(reverse("citizen-login"), {"phone": "081234500010"})
        assert response.status_code == 429
        assert "jaringan Anda" in response.content.decode()
