"""Account actions: onboarding an Admin Lokal, operators, people, roles, passwords."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from prima.core.access import access_for
from prima.core.domain import accounts, audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import AccountRequestStatus, Role, Scope
from prima.core.models import AccountRequest, AuditEntry, Membership, Person
from tests.factories import ServiceUnitFactory, person_with_role

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(name: str = "surat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png_named_pdf() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("surat.pdf", buffer.getvalue(), content_type="application/pdf")


def submit(institution, **overrides):
    data = {
        "institution": institution,
        "full_name": "Rina Marlina, S.Sos.",
        "position": "Kepala Bagian Organisasi",
        "email": "organisasi@payakumbuhkota.go.id",
        "phone": "0752-92441",
        "letter_number": "800/123/ORG/2025",
        "letter": pdf(),
    }
    data.update(overrides)
    return accounts.submit_account_request(**data)


def actions():
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


# --- account requests ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_request_is_stored_with_a_random_letter_name_and_the_secretariat_is_told(
    institution_a, secretariat
):
    request = submit(institution_a, letter=pdf("../../etc/Surat Walikota.pdf"))

    assert request.status == AccountRequestStatus.PENDING
    assert request.email == "organisasi@payakumbuhkota.go.id"
    stored = request.letter.name
    assert stored.startswith("account-requests/")
    assert "Walikota" not in stored and ".." not in stored and stored.endswith(".pdf")
    assert request.letter.read() == PDF_BYTES
    assert actions() == ["account_request.submitted"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert secretariat.email in message.bcc
    assert message.to == []
    assert "Pemerintah Kota Payakumbuh" in message.subject
    assert f"/akun/permohonan-masuk/{request.pk}/" in message.body


@pytest.mark.django_db
def test_a_png_renamed_to_pdf_is_refused_and_nothing_is_stored(institution_a):
    with pytest.raises(DomainError) as error:
        submit(institution_a, letter=png_named_pdf())
    assert error.value.field == "letter"
    assert "PDF" in error.value.message
    assert AccountRequest.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_second_request_while_one_is_pending_is_refused(institution_a):
    submit(institution_a)
    with pytest.raises(DomainError) as error:
        submit(institution_a, email="lain@payakumbuhkota.go.id")
    assert "sedang diperiksa" in error.value.message
    assert AccountRequest.objects.count() == 1


@pytest.mark.django_db
def test_request_refused_when_the_institution_already_has_an_active_admin(institution_a, admin_a):
    with pytest.raises(DomainError) as error:
        submit(institution_a)
    assert "sudah memiliki Admin Lokal" in error.value.message
    assert AccountRequest.objects.count() == 0


@pytest.mark.django_db
def test_request_allowed_again_once_the_old_admin_is_deactivated(
    institution_a, admin_a, secretariat
):
    accounts.deactivate_person(admin_a, actor=secretariat, reason="Pindah tugas")
    assert submit(institution_a).status == AccountRequestStatus.PENDING


@pytest.mark.django_db
def test_request_email_must_use_the_official_domain_when_one_is_recorded(institution_a):
    institution_a.official_email_domain = "payakumbuhkota.go.id"
    institution_a.save()
    with pytest.raises(DomainError) as error:
        submit(institution_a, email="rina.marlina@gmail.com")
    assert error.value.field == "email"
    assert "@payakumbuhkota.go.id" in error.value.message
    assert submit(institution_a, email="ORTALA@Payakumbuhkota.go.id").email == (
        "ortala@payakumbuhkota.go.id"
    )


@pytest.mark.django_db
def test_request_requires_each_field(institution_a):
    with pytest.raises(DomainError) as error:
        submit(institution_a, letter_number="  ")
    assert error.value.field == "letter_number"
    assert error.value.message == "Nomor surat wajib diisi."


# --- approval and rejection ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_approval_creates_an_unactivated_admin_and_mails_a_one_time_link(
    institution_a, secretariat
):
    request = submit(institution_a)
    mail.outbox.clear()

    person = accounts.approve_account_request(request, actor=secretariat, reason="Surat lengkap")

    request.refresh_from_db()
    assert request.status == AccountRequestStatus.APPROVED
    assert request.person == person
    assert request.decided_by == secretariat
    assert request.decision_reason == "Surat lengkap"
    assert person.username == "organisasi@payakumbuhkota.go.id"
    assert person.full_name == "Rina Marlina, S.Sos."
    assert not person.has_usable_password()
    assert person.must_complete_profile and not person.must_change_password
    access = access_for(person)
    assert access.admin_institution_ids == {institution_a.pk}
    assert actions()[-3:] == [
        "person.created",
        "membership.granted",
        "account_request.approved",
    ]
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == [person.email]
    assert "/akun/aktivasi/" in body
    assert "Rahasia" not in body  # no password is ever mailed
    token = body.split("/akun/aktivasi/")[1].split("/")[1]
    assert default_token_generator.check_token(person, token)


@pytest.mark.django_db
def test_only_the_secretariat_may_decide(institution_a, admin_a, institution_b):
    request = submit(institution_b, email="ortala@surabaya.go.id")
    with pytest.raises(PermissionDenied):
        accounts.approve_account_request(request, actor=admin_a)
    with pytest.raises(PermissionDenied):
        accounts.reject_account_request(request, actor=admin_a, reason="x")
    request.refresh_from_db()
    assert request.status == AccountRequestStatus.PENDING


@pytest.mark.django_db
def test_a_decided_request_cannot_be_decided_again(institution_a, secretariat):
    request = submit(institution_a)
    accounts.reject_account_request(request, actor=secretariat, reason="Surat belum ditandatangani")
    with pytest.raises(DomainError) as error:
        accounts.approve_account_request(request, actor=secretariat)
    assert "sudah diputuskan" in error.value.message
    assert Person.objects.filter(email=request.email).count() == 0


@pytest.mark.django_db(transaction=True)
def test_rejection_needs_a_reason_and_mails_it(institution_a, secretariat):
    request = submit(institution_a)
    mail.outbox.clear()
    with pytest.raises(DomainError) as error:
        accounts.reject_account_request(request, actor=secretariat, reason="   ")
    assert error.value.field == "reason"

    accounts.reject_account_request(
        request, actor=secretariat, reason="Surat belum ditandatangani Sekretaris Daerah."
    )

    request.refresh_from_db()
    assert request.status == AccountRequestStatus.REJECTED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["organisasi@payakumbuhkota.go.id"]
    assert "Surat belum ditandatangani Sekretaris Daerah." in mail.outbox[0].body
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.action == "account_request.rejected"
    assert entry.reason == "Surat belum ditandatangani Sekretaris Daerah."


@pytest.mark.django_db(transaction=True)
def test_approval_for_an_existing_account_adds_the_role_without_a_new_account(
    institution_a, secretariat
):
    existing = person_with_role(Role.EVALUATOR, email="organisasi@payakumbuhkota.go.id")
    request = submit(institution_a)
    mail.outbox.clear()

    person = accounts.approve_account_request(request, actor=secretariat)

    assert person == existing
    assert Person.objects.filter(email__iexact=request.email).count() == 1
    assert Membership.objects.get(person=existing, role=Role.INSTITUTION_ADMIN).is_active
    assert "/akun/aktivasi/" not in mail.outbox[0].body
    assert "Admin Lokal" in mail.outbox[0].body


# --- operators -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_admin_lokal_creates_an_operator_for_their_own_unit(admin_a, unit_a):
    person = accounts.create_unit_operator(
        actor=admin_a, unit=unit_a, full_name="Budi Santoso", email="Budi@Payakumbuhkota.go.id"
    )
    assert person.email == "budi@payakumbuhkota.go.id"
    assert access_for(person).operator_unit_ids == {unit_a.pk}
    membership = person.memberships.get()
    assert (membership.scope, membership.institution_id) == (Scope.UNIT, unit_a.institution_id)
    assert len(mail.outbox) == 1 and "/akun/aktivasi/" in mail.outbox[0].body


@pytest.mark.django_db
def test_admin_lokal_cannot_create_an_operator_for_another_institutions_unit(admin_a, unit_b):
    before = Person.objects.count()
    with pytest.raises(PermissionDenied):
        accounts.create_unit_operator(
            actor=admin_a, unit=unit_b, full_name="Penyusup", email="x@surabaya.go.id"
        )
    assert Person.objects.count() == before
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_existing_operator_email_adds_the_second_unit_to_the_same_account(
    admin_a, operator_a, institution_a
):
    second = ServiceUnitFactory(institution=institution_a, name="Puskesmas Ibuh")
    person = accounts.create_unit_operator(
        actor=admin_a, unit=second, full_name="x", email=operator_a.email.upper()
    )
    assert person == operator_a
    assert set(person.memberships.values_list("unit__name", flat=True)) == {
        "Dinas PUPR Kota Payakumbuh",
        "Puskesmas Ibuh",
    }


@pytest.mark.django_db
def test_email_of_someone_outside_the_admins_reach_is_refused(admin_a, unit_a, operator_b):
    with pytest.raises(DomainError) as error:
        accounts.create_unit_operator(
            actor=admin_a, unit=unit_a, full_name="x", email=operator_b.email
        )
    assert error.value.field == "email"
    assert not operator_b.memberships.filter(unit=unit_a).exists()


# --- deactivation --------------------------------------------------------------------


@pytest.mark.django_db
def test_deactivation_switches_off_account_and_roles_and_reactivation_restores_them(
    admin_a, operator_a
):
    accounts.deactivate_person(operator_a, actor=admin_a, reason="Mutasi ke dinas lain")
    operator_a.refresh_from_db()
    assert not operator_a.is_active
    assert not operator_a.memberships.filter(is_active=True).exists()
    assert access_for(operator_a).roles == set()
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.reason) == ("person.deactivated", "Mutasi ke dinas lain")

    accounts.reactivate_person(operator_a, actor=admin_a)
    operator_a.refresh_from_db()
    assert operator_a.is_active
    assert access_for(operator_a).roles == {Role.UNIT_OPERATOR}


@pytest.mark.django_db
def test_reactivation_does_not_restore_a_role_revoked_on_purpose(secretariat, evaluator):
    accounts.grant_membership(evaluator, actor=secretariat, role=Role.PANELIST)
    panel = evaluator.memberships.get(role=Role.PANELIST)
    accounts.revoke_membership(panel, actor=secretariat, reason="Konflik kepentingan")
    accounts.deactivate_person(evaluator, actor=secretariat, reason="Cuti panjang")
    accounts.reactivate_person(evaluator, actor=secretariat)
    assert set(evaluator.memberships.filter(is_active=True).values_list("role", flat=True)) == {
        Role.EVALUATOR
    }


@pytest.mark.django_db
def test_admin_lokal_cannot_deactivate_another_institutions_operator(admin_a, operator_b):
    with pytest.raises(PermissionDenied):
        accounts.deactivate_person(operator_b, actor=admin_a, reason="x")
    operator_b.refresh_from_db()
    assert operator_b.is_active


@pytest.mark.django_db
def test_admin_lokal_cannot_switch_off_someone_who_also_serves_elsewhere(
    admin_a, operator_a, secretariat
):
    accounts.grant_membership(operator_a, actor=secretariat, role=Role.EVALUATOR)
    with pytest.raises(PermissionDenied) as error:
        accounts.deactivate_person(operator_a, actor=admin_a, reason="x")
    assert "sekretariat" in error.value.message
    operator_a.refresh_from_db()
    assert operator_a.is_active


@pytest.mark.django_db
def test_deactivation_needs_a_reason_and_never_targets_oneself(secretariat):
    other = person_with_role(Role.SECRETARIAT)
    with pytest.raises(DomainError):
        accounts.deactivate_person(other, actor=secretariat, reason="")
    with pytest.raises(DomainError):
        accounts.deactivate_person(secretariat, actor=secretariat, reason="uji")


# --- people and memberships ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_secretariat_creates_an_evaluator_account(secretariat):
    person = accounts.create_person(
        actor=secretariat,
        full_name="Prof. Dr. Eko Prasojo",
        email="eko@ui.ac.id",
        expertise="tata kelola, pelayanan publik",
        roles=[Role.EVALUATOR],
        reason="SK Tim Evaluasi KIPP 2025",
    )
    assert access_for(person).national == {Role.EVALUATOR}
    assert not person.has_usable_password()
    assert mail.outbox[-1].to == ["eko@ui.ac.id"]
    with pytest.raises(DomainError) as error:
        accounts.create_person(actor=secretariat, full_name="Lagi", email="EKO@ui.ac.id")
    assert error.value.field == "email"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "with_institution", "ok"),
    [
        (Role.EVALUATOR, False, True),
        (Role.EVALUATOR, True, False),
        (Role.VIEWER, True, True),
        (Role.ANALYST, True, True),
        (Role.ANALYST, False, True),
        (Role.SECRETARIAT, True, False),
        (Role.INSTITUTION_ADMIN, True, False),
        (Role.UNIT_OPERATOR, False, False),
    ],
)
def test_grant_follows_role_scopes(secretariat, nobody, institution_a, role, with_institution, ok):
    institution = institution_a if with_institution else None
    if ok:
        membership = accounts.grant_membership(
            nobody, actor=secretariat, role=role, institution=institution
        )
        expected_scope = Scope.INSTITUTION if with_institution else Scope.NATIONAL
        assert membership.scope == expected_scope
        assert role in access_for(nobody).roles
    else:
        with pytest.raises(DomainError):
            accounts.grant_membership(nobody, actor=secretariat, role=role, institution=institution)
        assert not nobody.memberships.exists()


@pytest.mark.django_db
def test_granting_a_held_role_twice_is_refused_and_a_revoked_one_comes_back(secretariat, nobody):
    accounts.grant_membership(nobody, actor=secretariat, role=Role.VERIFIER)
    with pytest.raises(DomainError):
        accounts.grant_membership(nobody, actor=secretariat, role=Role.VERIFIER)
    membership = nobody.memberships.get()
    accounts.revoke_membership(membership, actor=secretariat, reason="Tugas selesai")
    assert access_for(nobody).roles == set()
    again = accounts.grant_membership(nobody, actor=secretariat, role=Role.VERIFIER)
    assert again.pk == membership.pk and again.is_active


@pytest.mark.django_db
def test_only_the_secretariat_grants_and_revokes(admin_a, nobody, operator_a):
    with pytest.raises(PermissionDenied):
        accounts.grant_membership(nobody, actor=admin_a, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        accounts.revoke_membership(operator_a.memberships.get(), actor=admin_a, reason="x")


@pytest.mark.django_db
def test_the_last_secretariat_role_cannot_be_revoked(secretariat):
    with pytest.raises(DomainError) as error:
        accounts.revoke_membership(
            secretariat.memberships.get(), actor=secretariat, reason="Pensiun"
        )
    assert "satu-satunya" in error.value.message


# --- profile and password ------------------------------------------------------------


@pytest.mark.django_db
def test_completing_the_profile_lifts_the_gate_and_is_audited(nobody):
    nobody.must_complete_profile = True
    nobody.save()
    accounts.update_profile(
        nobody,
        actor=nobody,
        full_name="Siti Aminah",
        position="Analis Kebijakan Ahli Muda",
        phone="081100001111",
        email="siti@menpan.go.id",
        nip="198702022010012003",
    )
    nobody.refresh_from_db()
    assert not nobody.must_complete_profile
    entry = AuditEntry.objects.get(action="person.profile_completed")
    assert entry.after["nip"] == "198702022010012003"


@pytest.mark.django_db
def test_profile_email_must_not_belong_to_someone_else(nobody, operator_a):
    with pytest.raises(DomainError) as error:
        accounts.update_profile(
            nobody, actor=nobody, full_name="a", position="b", phone="c", email=operator_a.email
        )
    assert error.value.field == "email"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Pendek1A", "terlalu pendek"),
        ("semuakecil123", "huruf besar"),
        ("SEMUABESAR123", "huruf kecil"),
        ("TanpaAngkaSama", "angka"),
        ("1234567890", None),
    ],
)
def test_weak_passwords_are_refused(nobody, password, fragment):
    with pytest.raises(DomainError) as error:
        accounts.set_password(nobody, actor=nobody, password=password, via="change")
    if fragment:
        assert fragment in error.value.message.lower() or fragment in error.value.message
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_strong_password_is_set_without_its_hash_in_the_audit_log(nobody):
    nobody.must_change_password = True
    nobody.save()
    accounts.set_password(nobody, actor=nobody, password="Payakumbuh2025", via="change")
    nobody.refresh_from_db()
    assert nobody.check_password("Payakumbuh2025")
    assert not nobody.must_change_password
    entry = AuditEntry.objects.get(action="person.password_changed")
    assert entry.before is None and entry.after is None
    assert audit.verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_mails_go_out_in_indonesian_even_when_the_secretariat_works_in_english(
    institution_a, secretariat
):
    from django.utils import translation

    request = submit(institution_a)
    mail.outbox.clear()

    with translation.override("en"):
        accounts.approve_account_request(request, actor=secretariat)

    message = mail.outbox[-1]
    assert message.subject == "[Prima] Akun Admin Lokal Anda telah disetujui"
    assert "aktivasi" in message.body.lower()
