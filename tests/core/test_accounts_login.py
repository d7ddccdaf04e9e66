"""Logging in: throttling after repeated failures, and the password rules."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD


@pytest.mark.django_db
def test_login_with_the_right_password_reaches_the_dashboard(operator_a):
    client = Client()
    response = client.post(reverse("login"), {"username": "operator_a", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


@pytest.mark.django_db
def test_wrong_password_is_refused_in_indonesian(operator_a):
    response = Client().post(reverse("login"), {"username": "operator_a", "password": "salah"})
    assert response.status_code == 200
    assert "kata sandi" in response.content.decode().lower()


@pytest.mark.django_db
def test_sixth_attempt_is_locked_out_even_with_the_right_password(operator_a):
    client = Client()
    for _ in range(5):
        client.post(reverse("login"), {"username": "operator_a", "password": "Salah12345"})
    response = client.post(reverse("login"), {"username": "operator_a", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "Terlalu banyak percobaan masuk" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("dashboard")).status_code == 302


@pytest.mark.django_db
def test_lockout_is_per_account_and_address_so_others_can_still_log_in(operator_a, operator_b):
    client = Client()
    for _ in range(5):
        client.post(reverse("login"), {"username": "operator_a", "password": "Salah12345"})
    response = client.post(reverse("login"), {"username": "operator_b", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "password",
    ["Pendek1", "semuahurufkecil1", "SEMUAHURUFBESAR1", "TanpaAngkaSama", "Ab1"],
)
def test_password_rules_refuse_weak_passwords(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["Payakumbuh2025", "SamsatKeliling9", "Inovasi-Publik-77"])
def test_password_rules_accept_strong_passwords(password):
    validate_password(password)


def test_password_rule_messages_are_indonesian():
    with pytest.raises(ValidationError) as error:
        validate_password("abcdefghijk")
    assert any("huruf besar" in message for message in error.value.messages)


@pytest.mark.django_db
def test_forgotten_password_is_reset_through_a_one_time_link(operator_a):
    import re

    from django.core import mail

    from prima.core.models import AuditEntry

    client = Client()
    response = client.post(reverse("password_reset"), {"email": operator_a.email.upper()})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[Prima] Atur ulang kata sandi"
    assert "Nama pengguna Anda: operator_a" in message.body
    path = re.search(r"https?://[^/\s]+(/akun/atur-kata-sandi/\S+/)", message.body).group(1)

    form_url = client.get(path)["Location"]
    response = client.post(
        form_url, {"new_password1": "Pelayanan2025", "new_password2": "Pelayanan2025"}
    )
    assert response["Location"] == reverse("password_reset_complete")
    operator_a.refresh_from_db()
    assert operator_a.check_password("Pelayanan2025")
    assert AuditEntry.objects.filter(action="person.password_reset").count() == 1
    assert "tidak berlaku lagi" in Client().get(path, follow=True).content.decode()


@pytest.mark.django_db
def test_reset_for_an_unknown_address_reveals_nothing(db):
    from django.core import mail

    response = Client().post(reverse("password_reset"), {"email": "tidak.ada@contoh.go.id"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
