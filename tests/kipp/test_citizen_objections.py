"""Objections filed by citizen accounts (kipp.md §12): domain, form, secretariat pages, API.

A citizen signs in with a code sent to their mobile number; the secretariat sees the filer
as "Warga #id" and never the number. Receipts and outcomes go to a verified e-mail, or by
SMS when the citizen has none.
"""

from __future__ import annotations

import json
import re

import pytest
import sms
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prima.core.citizen_session import SESSION_KEY, citizen_login_url
from prima.core.domain.citizens import close_citizen_account
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.domain.tokens import create_api_token
from prima.core.models import AuditEntry
from prima.evaluation.enums import EditionState
from prima.kipp.domain.objections import (
    file_objection,
    open_objection_window,
    resolve_objection,
)
from prima.kipp.enums import ProposalState as S
from prima.kipp.models import Objection
from tests.factories import CitizenFactory, InnovationFactory, PersonFactory
from tests.kipp.factories import EditionFactory, ProposalFactory

pytestmark = pytest.mark.django_db

STATEMENT = (
    "Inovasi ini sudah tidak berjalan sejak awal 2024; loket daringnya tidak dapat diakses "
    "dan warga kembali mengantre di kantor."
)
PHONE = "+6281234567890"
FULL_FORMS = ("+6281234567890", "081234567890", "81234567890")


@pytest.fixture(autouse=True)
def outbox():
    sms.outbox = []
    return sms.outbox


@pytest.fixture
def edition(db):
    return EditionFactory(stages=EditionState.DESK_EVALUATION, is_published=True)


@pytest.fixture
def finalist(edition, unit_a, secretariat):
    proposal = ProposalFactory(
        edition=edition,
        innovation=InnovationFactory(unit=unit_a, name="Layanan Jemput Bola"),
        state=S.FINALIST,
        participant_state=S.FINALIST,
    )
    with transaction.atomic():
        open_objection_window(
            edition, published_at=timezone.now(), reason="B/10/PP.00.05/2025", actor=secretariat
        )
    proposal.refresh_from_db()
    assert proposal.state == S.UNDER_OBJECTION
    return proposal


@pytest.fixture
def citizen():
    return CitizenFactory(phone=PHONE)


def citizen_client(citizen) -> Client:
    client = Client()
    session = client.session
    session[SESSION_KEY] = citizen.pk
    session.save()
    return client


def no_full_number(text: str) -> None:
    for form in FULL_FORMS:
        assert form not in text


class TestFiling:
    def test_a_citizen_files_and_is_told_by_sms_without_an_e_mail(
        self, finalist, citizen, secretariat, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            objection = file_objection(
                finalist, ground="not_running", statement=STATEMENT, citizen=citizen
            )

        assert (objection.citizen, objection.filed_by) == (citizen, None)
        entry = AuditEntry.objects.get(action="kipp.objection.file")
        assert entry.actor is None
        assert entry.after["citizen"] == citizen.pk
        no_full_number(json.dumps(entry.after))
        # The secretariat is told who filed as "Warga #id"; the citizen gets the SMS line.
        to_secretariat = next(m for m in mail.outbox if secretariat.email in m.bcc)
        assert f"Warga #{citizen.pk}" in to_secretariat.body
        no_full_number(to_secretariat.body)
        assert [m.recipients for m in sms.outbox] == [[PHONE]]
        assert "Layanan Jemput Bola" in sms.outbox[0].body
        assert all(citizen.email not in m.to for m in mail.outbox if citizen.email)

    def test_a_citizen_with_a_verified_e_mail_is_told_by_e_mail(
        self, finalist, django_capture_on_commit_callbacks
    ):
        citizen = CitizenFactory(email="siti@warga.id", email_verified_at=timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            file_objection(finalist, ground="other", statement=STATEMENT, citizen=citizen)
        receipt = next(m for m in mail.outbox if m.to == ["siti@warga.id"])
        assert f"Yth. Warga #{citizen.pk}," in receipt.body
        assert sms.outbox == []

    def test_an_unverified_e_mail_is_not_written_to(
        self, finalist, django_capture_on_commit_callbacks
    ):
        citizen = CitizenFactory(email="belum@warga.id")
        with django_capture_on_commit_callbacks(execute=True):
            file_objection(finalist, ground="other", statement=STATEMENT, citizen=citizen)
        assert all("belum@warga.id" not in m.to for m in mail.outbox)
        assert len(sms.outbox) == 1

    def test_one_pending_objection_per_citizen_and_proposal(self, finalist, citizen):
        file_objection(finalist, ground="other", statement=STATEMENT, citizen=citizen)
        with pytest.raises(DomainError, match="sudah mengajukan"):
            file_objection(finalist, ground="false_data", statement=STATEMENT, citizen=citizen)
        # Another citizen may.
        assert file_objection(
            finalist, ground="other", statement=STATEMENT, citizen=CitizenFactory()
        )

    def test_a_closed_account_cannot_file(self, finalist, citizen):
        close_citizen_account(citizen)
        with pytest.raises(PermissionDenied, match="ditutup"):
            file_objection(finalist, ground="other", statement=STATEMENT, citizen=citizen)
        assert not Objection.objects.exists()

    def test_one_filer_only(self, finalist, citizen, nobody):
        with pytest.raises(ValueError):
            file_objection(
                finalist, ground="other", statement=STATEMENT, actor=nobody, citizen=citizen
            )

    def test_the_outcome_reaches_the_citizen_and_never_the_institution_s_number(
        self, finalist, citizen, secretariat, admin_a, django_capture_on_commit_callbacks
    ):
        objection = file_objection(
            finalist, ground="not_running", statement=STATEMENT, citizen=citizen
        )
        with django_capture_on_commit_callbacks(execute=True):
            resolve_objection(
                objection,
                status="upheld",
                resolution="Verifikasi menunjukkan layanan berhenti sejak 2024.",
                actor=secretariat,
            )
        finalist.refresh_from_db()
        assert finalist.state == S.DISQUALIFIED
        assert sms.outbox[-1].recipients == [PHONE]
        assert "Diterima" in sms.outbox[-1].body
        to_institution = next(m for m in mail.outbox if m.to == [admin_a.email])
        assert f"Warga #{citizen.pk}" not in to_institution.body
        no_full_number(to_institution.body)


class TestForm:
    def test_a_visitor_signs_in_by_code_and_comes_back_to_the_form(
        self, finalist, django_capture_on_commit_callbacks
    ):
        client = Client()
        url = reverse("kipp_objection_file", args=[finalist.edition.code, finalist.pk])
        response = client.get(url)
        assert response["Location"] == citizen_login_url(url)

        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("citizen-login"), {"phone": "081234567890", "next": url})
        code = re.search(r"\b(\d{6})\b", sms.outbox[-1].body).group(1)
        response = client.post(reverse("citizen-code"), {"code": code})
        assert response["Location"] == url

        page = client.get(url).content.decode()
        assert "Anda menyanggah sebagai <strong>Warga #" in page
        no_full_number(page)
        response = client.post(url, {"ground": "not_running", "statement": STATEMENT})
        assert response.status_code == 302
        objection = Objection.objects.get()
        assert objection.citizen.phone == PHONE and objection.filed_by is None

    def test_a_staff_login_files_as_the_person(self, finalist, citizen, nobody):
        client = citizen_client(citizen)
        client.force_login(nobody)
        url = reverse("kipp_objection_file", args=[finalist.edition.code, finalist.pk])
        client.post(url, {"ground": "other", "statement": STATEMENT})
        objection = Objection.objects.get()
        assert (objection.filed_by, objection.citizen) == (nobody, None)

    def test_the_proposer_still_cannot_object_by_staff_login(self, finalist, admin_a, as_client):
        url = reverse("kipp_objection_file", args=[finalist.edition.code, finalist.pk])
        assert as_client(admin_a).get(url).status_code == 403


class TestSecretariat:
    def test_queue_and_detail_show_warga_id_never_the_number(
        self, finalist, citizen, nobody, secretariat, as_client
    ):
        mine = file_objection(finalist, ground="other", statement=STATEMENT, citizen=citizen)
        file_objection(finalist, ground="other", statement=STATEMENT, actor=nobody)
        client = as_client(secretariat)
        queue = client.get(reverse("kipp_objection_queue", args=[finalist.edition.code]))
        detail = client.get(reverse("kipp_objection_resolve", args=[mine.pk]))
        assert nobody.full_name in queue.content.decode()
        for response in (queue, detail):
            body = response.content.decode()
            assert f"Warga #{citizen.pk}" in body
            no_full_number(body)

    def test_the_queue_costs_the_same_queries_for_one_or_many_filers(
        self, finalist, secretariat, as_client, django_assert_num_queries
    ):
        client = as_client(secretariat)
        url = reverse("kipp_objection_queue", args=[finalist.edition.code])
        file_objection(finalist, ground="other", statement=STATEMENT, citizen=CitizenFactory())
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        for _n in range(3):
            file_objection(finalist, ground="other", statement=STATEMENT, citizen=CitizenFactory())
            file_objection(finalist, ground="other", statement=STATEMENT, actor=PersonFactory())
        with django_assert_num_queries(len(one.captured_queries)):
            response = client.get(url)
        assert response.content.decode().count("Warga #") == 4

    def test_the_api_names_the_citizen_filer_without_the_number(self, finalist, secretariat):
        citizen = CitizenFactory(email="siti@warga.id", email_verified_at=timezone.now())
        file_objection(finalist, ground="other", statement=STATEMENT, citizen=citizen)
        _token, key = create_api_token(actor=secretariat, name="uji")
        response = Client().get("/api/v1/kipp/objections", HTTP_AUTHORIZATION=f"Bearer {key}")
        item = response.json()["items"][0]
        assert item["filed_by"] is None
        assert item["citizen"] == {
            "id": citizen.pk,
            "label": f"Warga #{citizen.pk}",
            "email": "siti@warga.id",
        }
        no_full_number(response.content.decode())
