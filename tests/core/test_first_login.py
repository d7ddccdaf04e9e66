"""The first-login gate: profile first, then the password, before any other page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.core.models import AuditEntry
from tests.factories import PersonFactory

NEW_PASSWORD = "SamsatKeliling2025"


@pytest.fixture
def newcomer(db):
    return PersonFactory(
        username="pendatang", must_complete_profile=True, must_change_password=True
    )


@pytest.mark.django_db
def test_gated_person_is_sent_to_the_profile_then_the_password(as_client, newcomer):
    client = as_client(newcomer)
    for path in (reverse("dashboard"), reverse("profile"), reverse("token_list"), "/audit/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("profile_complete")

    response = client.post(
        reverse("profile_complete"),
        {
            "full_name": "Ahmad Fauzi",
            "position": "Kepala Seksi Pelayanan",
            "phone": "081234500000",
            "email": "ahmad.fauzi@surabaya.go.id",
            "nip": "",
            "expertise": "",
        },
    )
    assert response["Location"] == reverse("password_change")
    assert client.get(reverse("dashboard"))["Location"] == reverse("password_change")

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "Rahasia12345",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response["Location"] == reverse("dashboard")
    # The session survives the password change and the gate is open.
    assert client.get(reverse("dashboard")).status_code == 200
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)
    assert not newcomer.must_complete_profile and not newcomer.must_change_password
    assert list(
        AuditEntry.objects.filter(object_id=str(newcomer.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["person.profile_completed", "person.password_changed"]


@pytest.mark.django_db
def test_incomplete_profile_is_refused_with_field_messages(as_client, newcomer):
    response = as_client(newcomer).post(
        reverse("profile_complete"), {"full_name": "", "position": "", "phone": "", "email": ""}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("invalid-feedback") == 4
    assert "tidak boleh kosong" in page
    newcomer.refresh_from_db()
    assert newcomer.must_complete_profile


@pytest.mark.django_db
def test_logout_still_works_behind_the_gate(as_client, newcomer):
    client = as_client(newcomer)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_htmx_requests_are_redirected_as_a_whole_page(as_client, newcomer):
    response = as_client(newcomer).get(reverse("dashboard"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("profile_complete")


@pytest.mark.django_db
def test_static_files_and_public_pages_for_anonymous_are_not_gated(client):
    assert client.get(reverse("account_request_create")).status_code == 200
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_password_change_refuses_weak_passwords(as_client, newcomer):
    newcomer.must_complete_profile = False
    newcomer.save()
    response = as_client(newcomer).post(
        reverse("password_change"),
        {
            "old_password": "Rahasia12345",
            "new_password1": "abcdefghij",
            "new_password2": "abcdefghij",
        },
    )
    assert response.status_code == 200
    assert "huruf besar, huruf kecil, dan angka" in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.must_change_password
