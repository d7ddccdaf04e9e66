"""Reviewing replication links (pkri.md §9): the original's Admin Lokal confirms a claim,
the secretariat verifies; rejections need a reason; the secretariat reopens. Every review
is audited, and a refused one changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry
from prima.innovations.domain.link_review import (
    allowed_actions,
    confirm_replication_link,
    reject_replication_link,
    reopen_replication_link,
    verify_links,
    verify_replication_link,
)
from prima.innovations.domain.replication import link_replication
from prima.innovations.enums import LinkStatus
from prima.innovations.models import ReplicationLink
from tests.factories import InnovationFactory, ReplicationLinkFactory

pytestmark = pytest.mark.django_db

REASON = "Bukti replikasi tidak menunjukkan inovasi asal yang disebut."


def _with_status(link, status):
    ReplicationLink.objects.filter(pk=link.pk).update(status=status)
    link.refresh_from_db()
    return link


def _unchanged(link, status):
    fresh = ReplicationLink.objects.get(pk=link.pk)
    assert fresh.status == status
    assert fresh.reviewed_by is None and fresh.review_note == ""
    assert not AuditEntry.objects.filter(action__startswith="replication.").exists()


# --------------------------------------------------------------------------- confirm


def test_the_originals_admin_lokal_confirms_a_claim(claim, admin_a):
    confirm_replication_link(claim, actor=admin_a, note="  Sesuai surat kunjungan.  ")

    fresh = ReplicationLink.objects.get(pk=claim.pk)
    assert fresh.status == LinkStatus.CONFIRMED
    assert fresh.reviewed_by == admin_a
    assert fresh.reviewed_at is not None
    assert fresh.review_note == "Sesuai surat kunjungan."
    assert claim.status == LinkStatus.CONFIRMED  # the caller's object follows
    entry = AuditEntry.objects.get(action="replication.confirmed")
    assert entry.object_id == str(claim.pk)
    assert entry.before == {"status": "claimed"}
    assert entry.after["status"] == "confirmed"
    assert entry.actor == admin_a


def test_the_secretariat_may_confirm_too(claim, secretariat):
    confirm_replication_link(claim, actor=secretariat)
    assert ReplicationLink.objects.get(pk=claim.pk).status == LinkStatus.CONFIRMED


@pytest.mark.parametrize("who", ["admin_b", "operator_a", "operator_b", "evaluator", "nobody"])
def test_others_may_not_confirm(claim, personas, admin_b, who):
    actor = admin_b if who == "admin_b" else personas[who]
    with pytest.raises(PermissionDenied, match="Admin Lokal instansi pemilik inovasi asal"):
        confirm_replication_link(claim, actor=actor)
    _unchanged(claim, LinkStatus.CLAIMED)


@pytest.mark.parametrize(
    "status, label",
    [
        (LinkStatus.CONFIRMED, "Dikonfirmasi instansi asal"),
        (LinkStatus.VERIFIED, "Diverifikasi sekretariat"),
        (LinkStatus.REJECTED, "Ditolak"),
    ],
)
def test_only_a_claim_is_confirmed_and_the_message_names_the_status(claim, admin_a, status, label):
    _with_status(claim, status)
    with pytest.raises(DomainError, match=f"berstatus «{label}»") as refused:
        confirm_replication_link(claim, actor=admin_a)
    assert "«Diklaim»" in refused.value.message
    _unchanged(claim, status)


def test_the_status_is_read_again_under_the_lock(claim, admin_a, secretariat):
    """A page loaded before someone else rejected the claim cannot confirm it afterwards."""
    stale = ReplicationLink.objects.select_related("source").get(pk=claim.pk)
    reject_replication_link(claim, reason=REASON, actor=secretariat)
    assert stale.status == LinkStatus.CLAIMED

    with pytest.raises(DomainError, match="«Ditolak»"):
        confirm_replication_link(stale, actor=admin_a)
    assert ReplicationLink.objects.get(pk=claim.pk).status == LinkStatus.REJECTED


# --------------------------------------------------------------------------- verify


@pytest.mark.parametrize("start", [LinkStatus.CLAIMED, LinkStatus.CONFIRMED])
def test_the_secretariat_verifies_a_claimed_or_confirmed_link(claim, secretariat, start):
    _with_status(claim, start)
    verify_replication_link(claim, actor=secretariat, note="Dicek dengan SK replikasi.")

    fresh = ReplicationLink.objects.get(pk=claim.pk)
    assert fresh.status == LinkStatus.VERIFIED
    assert fresh.reviewed_by == secretariat
    entry = AuditEntry.objects.get(action="replication.verified")
    assert entry.before == {"status": start.value}
    assert entry.reason == "Dicek dengan SK replikasi."


def test_admin_lokal_may_not_verify(claim, admin_a):
    with pytest.raises(PermissionDenied, match="Hanya Sekretariat"):
        verify_replication_link(claim, actor=admin_a)
    _unchanged(claim, LinkStatus.CLAIMED)


@pytest.mark.parametrize("status", [LinkStatus.VERIFIED, LinkStatus.REJECTED])
def test_verified_or_rejected_links_are_not_verified_again(claim, secretariat, status):
    _with_status(claim, status)
    with pytest.raises(DomainError, match="tidak dapat diverifikasi"):
        verify_replication_link(claim, actor=secretariat)
    _unchanged(claim, status)


def test_a_note_longer_than_allowed_is_refused(claim, secretariat):
    with pytest.raises(DomainError, match=r"paling panjang 2\.000 karakter"):
        verify_replication_link(claim, actor=secretariat, note="x" * 2001)
    _unchanged(claim, LinkStatus.CLAIMED)


# --------------------------------------------------------------------------- reject


def test_the_originals_admin_lokal_rejects_a_claim_with_a_reason(claim, admin_a):
    reject_replication_link(claim, reason=REASON, actor=admin_a)

    fresh = ReplicationLink.objects.get(pk=claim.pk)
    assert fresh.status == LinkStatus.REJECTED
    assert fresh.review_note == REASON
    entry = AuditEntry.objects.get(action="replication.rejected")
    assert (entry.before, entry.after["status"], entry.reason) == (
        {"status": "claimed"},
        "rejected",
        REASON,
    )


@pytest.mark.parametrize("reason", ["", "Tidak benar.", "   singkat sekali    "])
def test_a_rejection_needs_twenty_characters_of_reason(claim, admin_a, reason):
    with pytest.raises(DomainError, match="minimal 20 karakter") as refused:
        reject_replication_link(claim, reason=reason, actor=admin_a)
    assert refused.value.field == "reason"
    assert f"tertulis {len(reason.strip())} karakter" in refused.value.message
    _unchanged(claim, LinkStatus.CLAIMED)


@pytest.mark.parametrize("status", [LinkStatus.CONFIRMED, LinkStatus.VERIFIED])
def test_admin_lokal_rejects_only_claims_the_secretariat_any_counted_link(
    claim, admin_a, secretariat, status
):
    _with_status(claim, status)
    with pytest.raises(DomainError, match="hanya dapat ditolak oleh Sekretariat"):
        reject_replication_link(claim, reason=REASON, actor=admin_a)
    _unchanged(claim, status)

    reject_replication_link(claim, reason=REASON, actor=secretariat)
    assert ReplicationLink.objects.get(pk=claim.pk).status == LinkStatus.REJECTED


def test_the_replicas_admin_may_not_reject_its_own_claim(claim, admin_b):
    with pytest.raises(PermissionDenied):
        reject_replication_link(claim, reason=REASON, actor=admin_b)
    _unchanged(claim, LinkStatus.CLAIMED)


def test_a_rejected_link_is_not_rejected_again(claim, secretariat):
    _with_status(claim, LinkStatus.REJECTED)
    with pytest.raises(DomainError, match="berstatus «Ditolak», sehingga tidak dapat ditolak"):
        reject_replication_link(claim, reason=REASON, actor=secretariat)


# --------------------------------------------------------------------------- reopen


def test_the_secretariat_reopens_a_rejection_as_a_claim(claim, admin_a, secretariat):
    reject_replication_link(claim, reason=REASON, actor=admin_a)
    reopen_replication_link(
        claim, reason="Instansi asal mengirim bukti kunjungan yang baru.", actor=secretariat
    )

    fresh = ReplicationLink.objects.get(pk=claim.pk)
    assert fresh.status == LinkStatus.CLAIMED
    assert fresh.reviewed_by == secretariat
    actions = list(
        AuditEntry.objects.filter(object_id=str(claim.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["replication.rejected", "replication.reopened"]
    # After reopening, the original's Admin Lokal may confirm again.
    confirm_replication_link(claim, actor=admin_a)
    assert ReplicationLink.objects.get(pk=claim.pk).status == LinkStatus.CONFIRMED


def test_admin_lokal_may_not_reopen(claim, admin_a):
    _with_status(claim, LinkStatus.REJECTED)
    with pytest.raises(PermissionDenied, match="membuka kembali"):
        reopen_replication_link(claim, reason=REASON, actor=admin_a)
    _unchanged(claim, LinkStatus.REJECTED)


def test_only_rejected_links_are_reopened_and_with_a_reason(claim, secretariat):
    with pytest.raises(DomainError, match="berstatus «Diklaim», sehingga tidak dapat dibuka"):
        reopen_replication_link(claim, reason=REASON, actor=secretariat)
    _with_status(claim, LinkStatus.REJECTED)
    with pytest.raises(DomainError, match="minimal 20 karakter"):
        reopen_replication_link(claim, reason="Salah tolak.", actor=secretariat)
    _unchanged(claim, LinkStatus.REJECTED)


def test_reopening_is_refused_when_the_lineage_would_become_circular(
    claim, secretariat, innovation_a, innovation_b
):
    # Surabaya's claim on SITARANG is rejected; SITARANG then records that it replicated
    # Surabaya's innovation, which a rejected link does not block. Reopening the claim
    # would now close the circle.
    reject_replication_link(claim, reason=REASON, actor=secretariat)
    innovation_b.is_published = True
    innovation_b.save()
    link_replication(
        innovation_a, innovation_b, dt.date(2020, 1, 1), "Alur layanan daring.", actor=secretariat
    )
    before = AuditEntry.objects.count()

    with pytest.raises(DomainError, match="Silsilah akan berputar") as refused:
        reopen_replication_link(
            claim, reason="Bukti kunjungan baru telah diterima.", actor=secretariat
        )

    assert refused.value.code == "cycle"
    assert ReplicationLink.objects.get(pk=claim.pk).status == LinkStatus.REJECTED
    assert AuditEntry.objects.count() == before


# --------------------------------------------------------------------------- actions shown


@pytest.mark.parametrize(
    "status, secretariat_may, admin_may",
    [
        (LinkStatus.CLAIMED, ["confirm", "verify", "reject"], ["confirm", "reject"]),
        (LinkStatus.CONFIRMED, ["verify", "reject"], []),
        (LinkStatus.VERIFIED, ["reject"], []),
        (LinkStatus.REJECTED, ["reopen"], []),
    ],
)
def test_allowed_actions_follow_status_and_reviewer(
    claim, personas, admin_b, status, secretariat_may, admin_may
):
    _with_status(claim, status)
    assert allowed_actions(personas["secretariat"], claim) == secretariat_may
    assert allowed_actions(personas["admin_a"], claim) == admin_may
    for reader in (admin_b, personas["operator_a"], personas["operator_b"], personas["nobody"]):
        assert allowed_actions(reader, claim) == []


# --------------------------------------------------------------------------- bulk


def _more_claims(source, n):
    return [ReplicationLinkFactory(replica=InnovationFactory(), source=source) for _ in range(n)]


def test_bulk_verification_verifies_all_with_one_entry_each(claim, innovation_a, secretariat):
    others = _more_claims(innovation_a, 2)
    _with_status(others[0], LinkStatus.CONFIRMED)

    done = verify_links([claim.pk, *(k.pk for k in others), claim.pk], actor=secretariat)

    assert len(done) == 3
    assert set(ReplicationLink.objects.values_list("status", flat=True)) == {"verified"}
    entries = AuditEntry.objects.filter(action="replication.verified")
    assert sorted(int(e.object_id) for e in entries) == sorted([claim.pk, *(k.pk for k in others)])


def test_bulk_verification_is_all_or_nothing(claim, innovation_a, secretariat):
    others = _more_claims(innovation_a, 2)
    _with_status(others[1], LinkStatus.REJECTED)

    with pytest.raises(DomainError, match="Tidak ada yang diverifikasi") as refused:
        verify_links([claim.pk, *(k.pk for k in others)], actor=secretariat)

    assert others[1].replica.name in refused.value.message
    assert "(Ditolak)" in refused.value.message
    assert set(ReplicationLink.objects.values_list("status", flat=True)) == {
        "claimed",
        "rejected",
    }
    assert not AuditEntry.objects.filter(action="replication.verified").exists()


def test_bulk_verification_refuses_unknown_ids_and_an_empty_choice(claim, secretariat):
    with pytest.raises(DomainError, match="tidak ditemukan: #999999"):
        verify_links([claim.pk, 999999], actor=secretariat)
    with pytest.raises(DomainError, match="Pilih minimal satu"):
        verify_links([], actor=secretariat)
    _unchanged(claim, LinkStatus.CLAIMED)


def test_bulk_verification_is_for_the_secretariat(claim, admin_a):
    with pytest.raises(PermissionDenied):
        verify_links([claim.pk], actor=admin_a)
    _unchanged(claim, LinkStatus.CLAIMED)


# --------------------------------------------------------------------------- re-adding


def test_a_rejected_pair_cannot_be_recorded_again(innovation_a, innovation_b, admin_b, admin_a):
    """Surabaya's admin records its replica of SITARANG; Payakumbuh rejects it; recording
    the same pair again is refused with the rejection's reason."""
    innovation_a.is_published = True
    innovation_a.save()
    link = link_replication(
        innovation_b, innovation_a, dt.date(2020, 3, 1), "Peta tata ruang daring.", actor=admin_b
    )
    reject_replication_link(link, reason=REASON, actor=admin_a)

    with pytest.raises(DomainError, match="telah ditolak") as refused:
        link_replication(
            innovation_b, innovation_a, dt.date(2021, 3, 1), "Peta tata ruang.", actor=admin_b
        )
    assert REASON in refused.value.message
    assert "hubungi Sekretariat" in refused.value.message
    assert ReplicationLink.objects.count() == 1
    assert ReplicationLink.objects.get().status == LinkStatus.REJECTED
