"""Issuing, the printed piagam, verification (genuine, revoked, unknown, tampered), bulk."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.urls import reverse

from prima.awards.domain.certificate_document import verification_url
from prima.awards.domain.certificates import (
    GENUINE,
    REVOKED,
    TAMPERED,
    UNKNOWN,
    issue_certificate,
    issue_missing_certificates,
    revoke_certificate,
    verify_certificate,
)
from prima.awards.domain.proposals import record_decree, remove_award
from prima.awards.enums import AwardStatus
from prima.awards.models import Award, Certificate
from prima.core.documents import qr_matrix
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry
from prima.kipp.models import AwardEvent
from tests.awards.helpers import (
    decided_innovation_awards,
    edition_with_categories,
    propose_innovations,
)
from tests.factories import InnovationFactory
from tests.pdf import pdf_pages, qr_symbols

REASON = "Penerima terbukti tidak memenuhi syarat setelah verifikasi ulang."


@pytest.fixture
def decided(secretariat):
    edition, _coaching, sustained = edition_with_categories(secretariat, code="pkri-2024")
    awards = decided_innovation_awards(
        sustained, secretariat, names=["Klinik BUM Desa", "SITARANG"]
    )
    record_decree(edition, number="B/99/PP.00/2024", date=dt.date(2024, 10, 1), actor=secretariat)
    return edition, awards


def test_certificate_number_code_facts_and_file(secretariat, decided):
    edition, [first, second] = decided
    event = AwardEvent.objects.create(
        name="Gebyar Pelayanan Prima 2024", date=dt.date(2024, 10, 8), venue="Jakarta"
    )
    event.editions.add(edition)

    one = issue_certificate(first, actor=secretariat)
    two = issue_certificate(second, actor=secretariat)

    assert one.number == "PKRI-2024/KEBERLANJUTAN/001"
    assert two.number == "PKRI-2024/KEBERLANJUTAN/002"
    assert re.fullmatch(r"[A-Z2-7]{16}", one.code) and one.code != two.code
    institution = first.institution
    assert one.facts["innovation"] == "Klinik BUM Desa"
    assert one.facts["institution"] == (institution.short_name or institution.name)
    assert one.facts["decree_number"] == "B/99/PP.00/2024"
    assert one.facts["decree_date"] == "2024-10-01"
    assert (one.facts["event_name"], one.facts["event_date"]) == (
        "Gebyar Pelayanan Prima 2024",
        "2024-10-08",
    )
    content = one.file.read()
    assert hashlib.sha256(content).hexdigest() == one.file_sha256
    assert AuditEntry.objects.filter(action="awards.certificate.issue").count() == 2


def test_pdf_states_recipient_category_decree_and_verification_url(secretariat, decided):
    _edition, [award, _] = decided
    certificate = issue_certificate(award, actor=secretariat)
    content = certificate.file.read()
    [page] = pdf_pages(content)
    text = " ".join(page.split())
    url = verification_url(certificate.code)

    assert "PIAGAM PENGHARGAAN" in text
    assert "Klinik BUM Desa" in text
    assert "Kelompok Keberlanjutan 2024" in text
    assert "B/99/PP.00/2024" in text
    assert certificate.code in text
    assert url.startswith("http") and url.endswith(f"/penghargaan/piagam/{certificate.code}/")
    assert url.replace(" ", "") in text.replace(" ", "")
    assert list(qr_symbols(content).values()) == [qr_matrix(url)]


def test_only_decided_awards_get_certificates_and_only_once(secretariat, decided):
    _edition, [award, _] = decided
    category = award.category
    propose_innovations(category, [InnovationFactory()], secretariat)
    proposed = Award.objects.get(category=category, status=AwardStatus.PROPOSED)
    with pytest.raises(DomainError, match="ditetapkan"):
        issue_certificate(proposed, actor=secretariat)
    issue_certificate(award, actor=secretariat)
    with pytest.raises(DomainError, match="sudah memiliki piagam"):
        issue_certificate(award, actor=secretariat)


def test_only_the_secretariat_issues(admin_a, decided):
    _edition, [award, _] = decided
    with pytest.raises(PermissionDenied):
        issue_certificate(award, actor=admin_a)
    assert not Certificate.objects.exists()


def test_genuine_certificate_verifies(secretariat, decided):
    _edition, [award, _] = decided
    certificate = issue_certificate(award, actor=secretariat)
    result = verify_certificate(certificate.code.lower())  # typed in lower case
    assert (result.genuine, result.reason) == (True, GENUINE)
    assert result.facts["innovation"] == "Klinik BUM Desa"


def test_unknown_code(secretariat, decided):
    result = verify_certificate("AAAAAAAAAAAAAAAA")
    assert (result.genuine, result.reason, result.certificate) == (False, UNKNOWN, None)


def test_revoked_certificate(secretariat, decided):
    _edition, [award, _] = decided
    certificate = issue_certificate(award, actor=secretariat)
    with pytest.raises(DomainError, match="20 karakter"):
        revoke_certificate(certificate, reason="salah", actor=secretariat)
    revoke_certificate(certificate, reason=REASON, actor=secretariat)
    result = verify_certificate(certificate.code)
    assert (result.genuine, result.reason) == (False, REVOKED)


@pytest.mark.parametrize(
    "field, value",
    [("innovation", "Inovasi Palsu"), ("decree_number", "999/2099"), ("number", "X/Y/001")],
)
def test_facts_edited_in_the_database_are_not_genuine(secretariat, decided, field, value):
    _edition, [award, _] = decided
    certificate = issue_certificate(award, actor=secretariat)
    facts = dict(certificate.facts)
    facts[field] = value
    Certificate.objects.filter(pk=certificate.pk).update(facts=facts)

    result = verify_certificate(certificate.code)

    assert (result.genuine, result.reason) == (False, TAMPERED)
    assert result.facts == {}  # nothing of a forged row is shown as fact


def test_bulk_issue_reports_progress_and_skips_existing(secretariat, decided):
    edition, [first, _second] = decided
    issue_certificate(first, actor=secretariat)
    calls = []

    summary = issue_missing_certificates(
        edition,
        actor=secretariat,
        progress=lambda done, total=None, message="": calls.append((done, total)),
    )

    assert (summary.issued, summary.already) == (1, 1)
    assert calls[0] == (0, 1) and calls[-1] == (1, 1)
    assert Certificate.objects.count() == 2


def test_verification_url_is_absolute_from_site_url(settings):
    settings.SITE_URL = "https://prima.menpan.go.id"
    assert verification_url("ABCDEFGHIJKLMNOP") == (
        "https://prima.menpan.go.id" + reverse("awards_verify", args=["ABCDEFGHIJKLMNOP"])
    )


def test_revoked_certificate_can_be_issued_again(secretariat, decided):
    _edition, [award, _] = decided
    old = issue_certificate(award, actor=secretariat)
    revoke_certificate(old, reason=REASON, actor=secretariat)

    new = issue_certificate(award, actor=secretariat)

    assert new.code != old.code and new.number != old.number
    assert new.number == "PKRI-2024/KEBERLANJUTAN/002"
    assert verify_certificate(old.code).reason == REVOKED
    assert verify_certificate(new.code).reason == GENUINE
    assert list(award.certificates.order_by("pk")) == [old, new]
    with pytest.raises(DomainError, match="sudah memiliki piagam"):
        issue_certificate(award, actor=secretariat)


def _rank_order_edition(secretariat, publish_ranks: bool):
    edition, _coaching, sustained = edition_with_categories(secretariat)
    edition.rules = {**edition.rules, "publication": {"publish_ranks": publish_ranks}}
    edition.save()
    # Ranked first "Zona Layanan", second "Antrean Daring": the reverse of the alphabet.
    return edition, decided_innovation_awards(
        sustained, secretariat, names=["Zona Layanan", "Antrean Daring"]
    )


def _numbers(edition) -> dict[str, str]:
    return {
        c.award.innovation.name: c.number.rsplit("/", 1)[1]
        for c in Certificate.objects.filter(award__edition=edition)
    }


def test_numbers_follow_the_alphabetical_list_when_ranks_are_hidden(secretariat):
    edition, _awards = _rank_order_edition(secretariat, publish_ranks=False)
    issue_missing_certificates(edition, actor=secretariat)
    assert _numbers(edition) == {"Antrean Daring": "001", "Zona Layanan": "002"}


def test_numbers_follow_the_ranks_when_they_are_published(secretariat):
    edition, _awards = _rank_order_edition(secretariat, publish_ranks=True)
    issue_missing_certificates(edition, actor=secretariat)
    assert _numbers(edition) == {"Zona Layanan": "001", "Antrean Daring": "002"}


def test_clearing_a_revocation_in_the_database_reads_as_tampered(secretariat, decided):
    _edition, [award, _] = decided
    certificate = issue_certificate(award, actor=secretariat)
    revoke_certificate(certificate, reason=REASON, actor=secretariat)
    assert verify_certificate(certificate.code).reason == REVOKED

    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=None, revoked_reason="")

    result = verify_certificate(certificate.code)
    assert (result.genuine, result.reason, result.facts) == (False, TAMPERED, {})


def test_revocation_set_in_the_database_reads_as_tampered(secretariat, decided):
    _edition, [award, _] = decided
    certificate = issue_certificate(award, actor=secretariat)
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    )
    assert verify_certificate(certificate.code).reason == TAMPERED


def test_removing_the_award_revokes_with_a_valid_signature(secretariat, decided):
    _edition, [award, _] = decided
    certificate = issue_certificate(award, actor=secretariat)
    remove_award(award, reason=REASON, actor=secretariat)
    result = verify_certificate(certificate.code)
    assert result.reason == REVOKED
    assert result.certificate.revoked_reason == REASON


def test_a_rotated_key_still_verifies_through_the_fallbacks(secretariat, decided, settings):
    _edition, [award, _] = decided
    certificate = issue_certificate(award, actor=secretariat)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    settings.SECRET_KEY_FALLBACKS = []
    assert verify_certificate(certificate.code).reason == TAMPERED
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert verify_certificate(certificate.code).reason == GENUINE


def test_bulk_issue_goes_on_after_a_refused_award(secretariat, decided):
    edition, [first, second] = decided
    removed_meanwhile = []

    def progress(done, total=None, message=""):
        # Before the first award is issued, someone removes the second one.
        if done == 0:
            Award.objects.filter(pk=second.pk).update(status=AwardStatus.REMOVED)
            removed_meanwhile.append(second.pk)
        calls.append((done, total, str(message)))

    calls: list = []
    summary = issue_missing_certificates(edition, actor=secretariat, progress=progress)

    assert removed_meanwhile == [second.pk]
    assert (summary.issued, len(summary.numbers)) == (1, 1)
    [failure] = summary.failures
    assert "SITARANG" in failure.award and "ditetapkan" in failure.message
    assert [c[:2] for c in calls] == [(0, 2), (1, 2), (2, 2)]
    assert "Gagal" in calls[-1][2]
    assert Certificate.objects.filter(award=first).count() == 1
    assert not Certificate.objects.filter(award=second).exists()


def test_innovation_piagam_names_the_owning_unit_and_the_edition_once(secretariat, decided):
    edition, [award, _] = decided
    edition.title = "Kompetisi Inovasi Uji 2024"
    edition.save()
    certificate = issue_certificate(award, actor=secretariat)
    text = " ".join(pdf_pages(certificate.file.read())[0].split())

    assert certificate.facts["unit"] == award.unit.name
    assert award.unit.name in text and "Kompetisi Inovasi Uji 2024" in text
    assert "(2024)" not in text
