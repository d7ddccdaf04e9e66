"""An institution's Admin Lokal from the public request to their first working page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from prima.core.enums import AccountRequestStatus, Role
from prima.core.models import AccountRequest, AuditEntry, Person
from tests.core.domain.test_accounts import PDF_BYTES, pdf, png_named_pdf

NEW_PASSWORD = "Payakumbuh#2025"


def request_form(institution, **overrides):
    data = {
        "institution": institution.pk,
        "full_name": "Rina Marlina",
        "position": "Kepala Bagian Organisasi Setda",
        "email": "organisasi@payakumbuhkota.go.id",
        "phone": "0752-92441",
        "letter_number": "800/123/ORG/2025",
        "letter": pdf(),
    }
    data.update(overrides)
    return data


def activation_path(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/akun/aktivasi/[^\s]+/)", body)
    assert match, body
    return match.group(1)


@pytest.mark.django_db
def test_request_approve_activate_login_complete_profile(
    institution_a, secretariat, as_client, django_capture_on_commit_callbacks
):
    # 1. The organisation bureau sends the public form with its signed letter.
    public = Client()
    assert b"Permohonan akun Admin Lokal" in public.get(reverse("account_request_create")).content
    with django_capture_on_commit_callbacks(execute=True):
        response = public.post(reverse("account_request_create"), request_form(institution_a))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_request_sent")
    request = AccountRequest.objects.get()
    assert request.status == AccountRequestStatus.PENDING
    assert secretariat.email in mail.outbox[0].bcc

    # 2. The secretariat reviews it, reads the letter, approves.
    office = as_client(secretariat)
    listing = office.get(reverse("account_request_list"), {"status": "pending"})
    assert "Pemerintah Kota Payakumbuh" in listing.content.decode()
    detail = office.get(reverse("account_request_detail", args=[request.pk]))
    assert "800/123/ORG/2025" in detail.content.decode()
    letter = office.get(reverse("account_request_letter", args=[request.pk]))
    assert letter.status_code == 200
    assert letter["Content-Disposition"].startswith("attachment")
    assert letter["X-Content-Type-Options"] == "nosniff"
    assert letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content) == PDF_BYTES
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(
            reverse("account_request_approve", args=[request.pk]),
            {"approve-reason": "Surat sah"},
        )
    assert response.status_code == 302
    person = Person.objects.get(email="organisasi@payakumbuhkota.go.id")
    activation_mail = mail.outbox[-1]
    assert activation_mail.to == [person.email]

    # 3. The new Admin Lokal opens the link once and chooses a password.
    browser = Client()
    path = activation_path(activation_mail.body)
    response = browser.get(path)
    assert response.status_code == 302  # the token moves out of the URL into the session
    form_url = response["Location"]
    assert "/atur/" in form_url
    assert "Pilih kata sandi" in browser.get(form_url).content.decode()
    weak = browser.post(form_url, {"new_password1": "lemah", "new_password2": "lemah"})
    assert weak.status_code == 200
    assert "terlalu pendek" in weak.content.decode()
    response = browser.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="person.activated", object_id=str(person.pk)).exists()

    # The link is single-use.
    again = Client().get(path)
    assert again.status_code == 200
    assert "tidak berlaku lagi" in again.content.decode()

    # 4. Logging in leads first to the profile, then to the Admin Lokal dashboard.
    response = browser.post(
        reverse("login"), {"username": person.username, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    response = browser.get(reverse("dashboard"))
    assert response["Location"] == reverse("profile_complete")
    response = browser.post(
        reverse("profile_complete"),
        {
            "full_name": "Rina Marlina, S.Sos., M.Si.",
            "position": "Kepala Bagian Organisasi Setda",
            "nip": "198001012005012001",
            "phone": "0752-92441",
            "email": person.email,
        },
    )
    assert response["Location"] == reverse("dashboard")
    dashboard = browser.get(reverse("dashboard"))
    assert dashboard.status_code == 200
    assert "Admin Lokal" in dashboard.content.decode()
    assert "Pemerintah Kota Payakumbuh" in dashboard.content.decode()


@pytest.mark.django_db
def test_rejection_with_reason_is_mailed_and_shown(
    institution_a, secretariat, as_client, django_capture_on_commit_callbacks
):
    Client().post(reverse("account_request_create"), request_form(institution_a))
    request = AccountRequest.objects.get()
    office = as_client(secretariat)

    without_reason = office.post(reverse("account_request_reject", args=[request.pk]), {})
    assert without_reason.status_code == 400
    assert "Tuliskan alasan penolakan" in without_reason.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        office.post(
            reverse("account_request_reject", args=[request.pk]),
            {"reject-reason": "Surat harus ditandatangani Sekretaris Daerah."},
        )
    request.refresh_from_db()
    assert request.status == AccountRequestStatus.REJECTED
    assert mail.outbox[-1].to == ["organisasi@payakumbuhkota.go.id"]
    assert "Sekretaris Daerah" in mail.outbox[-1].body
    detail = office.get(reverse("account_request_detail", args=[request.pk])).content.decode()
    assert "Surat harus ditandatangani Sekretaris Daerah." in detail
    assert not Person.objects.filter(email="organisasi@payakumbuhkota.go.id").exists()


@pytest.mark.django_db
def test_duplicate_pending_request_is_refused_on_the_form(institution_a):
    Client().post(reverse("account_request_create"), request_form(institution_a))
    response = Client().post(
        reverse("account_request_create"),
        request_form(institution_a, email="lain@payakumbuhkota.go.id"),
    )
    assert response.status_code == 400
    assert "sedang diperiksa sekretariat" in response.content.decode()
    assert AccountRequest.objects.count() == 1


@pytest.mark.django_db
def test_png_renamed_pdf_is_refused_on_the_form(institution_a):
    response = Client().post(
        reverse("account_request_create"), request_form(institution_a, letter=png_named_pdf())
    )
    assert response.status_code == 400
    assert "isi berkas harus PDF" in response.content.decode()
    assert AccountRequest.objects.count() == 0


@pytest.mark.django_db
def test_activation_link_of_a_deactivated_account_does_not_work(
    secretariat, django_capture_on_commit_callbacks
):
    from prima.core.domain import accounts

    with django_capture_on_commit_callbacks(execute=True):
        person = accounts.create_person(
            actor=secretariat, full_name="Dewi", email="dewi@ugm.ac.id", roles=[Role.PANELIST]
        )
    accounts.deactivate_person(person, actor=secretariat, reason="Batal ditugaskan")
    response = Client().get(activation_path(mail.outbox[-1].body), follow=True)
    assert "tidak berlaku lagi" in response.content.decode()
