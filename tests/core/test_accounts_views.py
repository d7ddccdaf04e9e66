"""Account pages: operators, people and roles, profile, letters; scoping and query counts."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse

from prima.core.domain import accounts
from prima.core.enums import Role, Scope
from prima.core.models import AccountRequest, AuditEntry, Membership, Person
from tests.core.domain.test_accounts import submit
from tests.factories import (
    InstitutionFactory,
    PersonFactory,
    ServiceUnitFactory,
    person_with_role,
)

# --- operators -----------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_lokal_sees_only_their_institutions_operators(
    as_client, admin_a, operator_a, operator_b
):
    page = as_client(admin_a).get(reverse("operator_list")).content.decode()
    assert operator_a.full_name in page
    assert operator_b.full_name not in page


@pytest.mark.django_db
def test_operator_list_filters_by_search_and_status(as_client, admin_a, operator_a, unit_a):
    other = person_with_role(Role.UNIT_OPERATOR, unit=unit_a, full_name="Yusuf Hamdani")
    accounts.deactivate_person(other, actor=admin_a, reason="Pensiun")
    client = as_client(admin_a)
    active = client.get(reverse("operator_list"), {"status": "active"}).content.decode()
    assert operator_a.full_name in active and "Yusuf Hamdani" not in active
    inactive = client.get(reverse("operator_list"), {"status": "inactive"}).content.decode()
    assert "Yusuf Hamdani" in inactive and operator_a.full_name not in inactive
    found = client.get(reverse("operator_list"), {"q": "hamdani"}).content.decode()
    assert "Yusuf Hamdani" in found and operator_a.full_name not in found


@pytest.mark.django_db
def test_operator_list_costs_the_same_queries_for_1_and_6_rows(
    as_client, admin_a, unit_a, django_assert_num_queries
):
    person_with_role(Role.UNIT_OPERATOR, unit=unit_a)
    client = as_client(admin_a)
    with django_assert_num_queries(6):
        client.get(reverse("operator_list"))
    for _ in range(5):
        person_with_role(
            Role.UNIT_OPERATOR, unit=ServiceUnitFactory(institution=unit_a.institution)
        )
    with django_assert_num_queries(6):
        response = client.get(reverse("operator_list"))
    assert response.context["page"].paginator.count == 6


@pytest.mark.django_db
def test_admin_lokal_creates_an_operator_through_the_form(
    as_client, admin_a, unit_a, django_capture_on_commit_callbacks
):
    client = as_client(admin_a)
    form = client.get(reverse("operator_create")).content.decode()
    assert unit_a.name in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("operator_create"),
            {"unit": unit_a.pk, "full_name": "Andi Saputra", "email": "andi@payakumbuhkota.go.id"},
        )
    assert response.status_code == 302
    person = Person.objects.get(email="andi@payakumbuhkota.go.id")
    assert person.memberships.get().unit == unit_a
    assert "/akun/aktivasi/" in mail.outbox[-1].body


@pytest.mark.django_db
def test_admin_lokal_cannot_create_an_operator_for_another_institutions_unit(
    as_client, admin_a, unit_b
):
    client = as_client(admin_a)
    assert unit_b.name not in client.get(reverse("operator_create")).content.decode()
    people_before = Person.objects.count()
    response = client.post(
        reverse("operator_create"),
        {"unit": unit_b.pk, "full_name": "Penyusup", "email": "penyusup@surabaya.go.id"},
    )
    assert response.status_code == 400
    assert Person.objects.count() == people_before
    assert (
        not Membership.objects.filter(unit=unit_b, role=Role.UNIT_OPERATOR)
        .exclude(person__username="operator_b")
        .exists()
    )
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_admin_lokal_deactivates_and_reactivates_their_operator(as_client, admin_a, operator_a):
    client = as_client(admin_a)
    url = reverse("person_deactivate", args=[operator_a.pk])
    assert operator_a.full_name in client.get(url).content.decode()
    missing_reason = client.post(url, {"reason": ""})
    assert missing_reason.status_code == 400
    operator_a.refresh_from_db()
    assert operator_a.is_active

    response = client.post(url, {"reason": "Mutasi ke Dinas Kesehatan"})
    assert response["Location"] == reverse("operator_list")
    operator_a.refresh_from_db()
    assert not operator_a.is_active
    # A deactivated person is logged out of everything: their session no longer works.
    assert as_client(operator_a).get(reverse("dashboard")).status_code == 302

    client.post(reverse("person_reactivate", args=[operator_a.pk]), {"reason": "Kembali"})
    operator_a.refresh_from_db()
    assert operator_a.is_active


@pytest.mark.django_db
def test_admin_lokal_cannot_deactivate_another_institutions_operator(
    as_client, admin_a, operator_b
):
    client = as_client(admin_a)
    for name in ("person_deactivate", "person_reactivate", "person_resend_activation"):
        response = client.post(reverse(name, args=[operator_b.pk]), {"reason": "x"})
        assert response.status_code == 404
    operator_b.refresh_from_db()
    assert operator_b.is_active
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_next_parameter_cannot_send_anyone_off_site(as_client, admin_a, operator_a):
    response = as_client(admin_a).post(
        reverse("person_deactivate", args=[operator_a.pk]),
        {"reason": "uji", "next": "https://contoh-jahat.example/"},
    )
    assert response["Location"] == reverse("operator_list")


@pytest.mark.django_db
def test_resend_activation_only_for_accounts_not_yet_activated(
    as_client, admin_a, unit_a, operator_a, django_capture_on_commit_callbacks
):
    fresh = accounts.create_unit_operator(
        actor=admin_a, unit=unit_a, full_name="Baru", email="baru@payakumbuhkota.go.id"
    )
    client = as_client(admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("person_resend_activation", args=[fresh.pk]))
    assert mail.outbox[-1].to == ["baru@payakumbuhkota.go.id"]
    sent = len(mail.outbox)
    response = client.post(reverse("person_resend_activation", args=[operator_a.pk]), follow=True)
    assert "sudah mengaktifkan akunnya" in response.content.decode()
    assert len(mail.outbox) == sent


# --- account requests ----------------------------------------------------------------


@pytest.mark.django_db
def test_request_list_filters_by_status_and_search(
    as_client, secretariat, institution_a, institution_b
):
    submit(institution_a)
    rejected = submit(institution_b, email="ortala@surabaya.go.id")
    accounts.reject_account_request(rejected, actor=secretariat, reason="Surat tidak sah")
    client = as_client(secretariat)
    pending = client.get(reverse("account_request_list"), {"status": "pending"}).content.decode()
    assert "Pemerintah Kota Payakumbuh" in pending and "Pemerintah Kota Surabaya" not in pending
    found = client.get(reverse("account_request_list"), {"q": "surabaya"}).content.decode()
    assert "Pemerintah Kota Surabaya" in found and "Pemerintah Kota Payakumbuh" not in found


@pytest.mark.django_db
def test_request_list_costs_the_same_queries_for_1_and_5_rows(
    as_client, secretariat, institution_a, django_assert_num_queries
):
    submit(institution_a)
    client = as_client(secretariat)
    with django_assert_num_queries(5):
        client.get(reverse("account_request_list"))
    for n in range(4):
        submit(InstitutionFactory(), email=f"org{n}@contoh.go.id")
    with django_assert_num_queries(5):
        response = client.get(reverse("account_request_list"))
    assert response.context["page"].paginator.count == 5


@pytest.mark.django_db
def test_letter_is_only_for_the_secretariat(
    as_client, institution_a, admin_a, operator_a, evaluator
):
    request = submit(InstitutionFactory(name="Pemerintah Kota Sawahlunto"))
    url = reverse("account_request_letter", args=[request.pk])
    for person in (admin_a, operator_a, evaluator):
        assert as_client(person).get(url).status_code == 403
    assert as_client(None).get(url).status_code == 302


@pytest.mark.django_db
def test_unknown_request_answers_404(as_client, secretariat):
    assert (
        as_client(secretariat).get(reverse("account_request_detail", args=[999])).status_code == 404
    )


@pytest.mark.django_db
def test_approving_twice_shows_a_clear_error(as_client, secretariat, institution_a):
    request = submit(institution_a)
    client = as_client(secretariat)
    client.post(reverse("account_request_approve", args=[request.pk]))
    response = client.post(reverse("account_request_approve", args=[request.pk]))
    assert response.status_code == 400
    assert "sudah diputuskan" in response.content.decode()
    assert Membership.objects.filter(role=Role.INSTITUTION_ADMIN).count() == 1
    assert AccountRequest.objects.get().status == "approved"


# --- people and memberships ----------------------------------------------------------


@pytest.mark.django_db
def test_person_list_search_and_role_filter(as_client, secretariat, operator_a, evaluator):
    client = as_client(secretariat)
    evaluators = client.get(reverse("person_list"), {"role": Role.EVALUATOR}).content.decode()
    assert evaluator.full_name in evaluators and operator_a.full_name not in evaluators
    found = client.get(reverse("person_list"), {"q": operator_a.email}).content.decode()
    assert operator_a.full_name in found and evaluator.full_name not in found


@pytest.mark.django_db
def test_person_list_shows_accounts_waiting_for_activation(as_client, secretariat):
    accounts.create_person(actor=secretariat, full_name="Belum Aktif", email="ba@menpan.go.id")
    page = as_client(secretariat).get(reverse("person_list"), {"state": "pending"}).content.decode()
    assert "Belum Aktif" in page and secretariat.email not in page


@pytest.mark.django_db
def test_person_list_costs_the_same_queries_for_1_and_6_rows(
    as_client, secretariat, django_assert_num_queries
):
    client = as_client(secretariat)
    with django_assert_num_queries(6):
        client.get(reverse("person_list"))
    for _ in range(5):
        person_with_role(Role.EVALUATOR)
    with django_assert_num_queries(6):
        response = client.get(reverse("person_list"))
    assert response.context["page"].paginator.count == 6


@pytest.mark.django_db
def test_person_list_exports_csv_with_roles(as_client, secretariat, operator_a):
    response = as_client(secretariat).get(reverse("person_list"), {"format": "csv"})
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["id", "username", "nama"]
    operator_row = next(r for r in rows if r[1] == "operator_a")
    assert "Operator UPP — Dinas PUPR Kota Payakumbuh" in operator_row[-1]


@pytest.mark.django_db
def test_secretariat_creates_an_evaluator_and_grants_and_revokes_roles(
    as_client, secretariat, institution_a
):
    client = as_client(secretariat)
    response = client.post(
        reverse("person_create"),
        {
            "full_name": "Dr. Siti Zuhro",
            "email": "siti.zuhro@brin.go.id",
            "roles": [Role.EVALUATOR],
            "reason": "SK Tim Evaluasi KIPP 2025",
        },
    )
    person = Person.objects.get(email="siti.zuhro@brin.go.id")
    assert response["Location"] == reverse("person_detail", args=[person.pk])

    response = client.post(
        reverse("membership_grant", args=[person.pk]),
        {"role": Role.VIEWER, "institution": institution_a.pk},
    )
    assert response.status_code == 302
    viewer = person.memberships.get(role=Role.VIEWER)
    assert (viewer.scope, viewer.institution) == (Scope.INSTITUTION, institution_a)

    wrong = client.post(
        reverse("membership_grant", args=[person.pk]),
        {"role": Role.PANELIST, "institution": institution_a.pk},
    )
    assert wrong.status_code == 400
    assert "hanya berlaku nasional" in wrong.content.decode()

    client.post(reverse("membership_revoke", args=[viewer.pk]), {"reason": "Penugasan selesai"})
    viewer.refresh_from_db()
    assert not viewer.is_active
    detail = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "Dicabut" in detail and "Tim Evaluasi" in detail


@pytest.mark.django_db
def test_revoking_without_a_reason_changes_nothing(as_client, secretariat, evaluator):
    membership = evaluator.memberships.get()
    as_client(secretariat).post(reverse("membership_revoke", args=[membership.pk]), {"reason": ""})
    membership.refresh_from_db()
    assert membership.is_active


# --- own profile ---------------------------------------------------------------------


@pytest.mark.django_db
def test_profile_shows_roles_and_saves_changes(as_client, operator_a):
    client = as_client(operator_a)
    page = client.get(reverse("profile")).content.decode()
    assert "Operator UPP" in page and "Dinas PUPR Kota Payakumbuh" in page
    response = client.post(
        reverse("profile"),
        {
            "full_name": "Operator Baru",
            "position": "Pranata Komputer",
            "phone": "0811",
            "email": "operator.baru@payakumbuhkota.go.id",
            "nip": "",
            "expertise": "",
        },
    )
    assert response.status_code == 302
    operator_a.refresh_from_db()
    assert operator_a.full_name == "Operator Baru"
    assert AuditEntry.objects.get(action="person.profile_updated").before["full_name"] != (
        "Operator Baru"
    )


@pytest.mark.django_db
def test_profile_refuses_someone_elses_email(as_client, operator_a, operator_b):
    response = as_client(operator_a).post(
        reverse("profile"),
        {"full_name": "x", "position": "y", "phone": "1", "email": operator_b.email},
    )
    assert response.status_code == 400
    assert "sudah dipakai akun lain" in response.content.decode()
    operator_a.refresh_from_db()
    assert operator_a.email != operator_b.email


@pytest.mark.django_db
def test_a_person_without_roles_is_told_how_to_get_one(as_client):
    person = PersonFactory()
    page = as_client(person).get(reverse("dashboard")).content.decode()
    assert "belum memegang peran" in page
