"""The SPBE form on a proposal (kipp.md §6 ``extra_forms``, §8 #1/#4, §9): saved with the
draft like the sections, required before sending and submitting, frozen in the hashed
snapshot, and flagged by the administrative check."""

from __future__ import annotations

import hashlib

import pytest
from django.utils import timezone

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import AuditEntry
from prima.evaluation.enums import EditionState
from prima.kipp.domain import proposals as domain
from prima.kipp.domain.admin_check import check_rows, run_automatic_checks
from prima.kipp.enums import ProposalState as S
from tests.kipp.domain.test_proposals_support import (
    SPBE_APP,
    at_institution,
    edition_2021,
    edition_2025,
    innovation_for,
    ready_draft,
    save,
    submitted,
)
from tests.kipp.factories import (
    EditionFactory,
    ProposalFactory,
    instrument_from_file,
    rules_from_file,
)

pytestmark = pytest.mark.django_db

# The keys of every snapshot frozen before extra forms existed.
OLD_SNAPSHOT_KEYS = {
    "edition",
    "instrument",
    "innovation",
    "title",
    "group",
    "category",
    "sdg_goals",
    "answers",
    "video_url",
    "video_minutes",
    "declaration",
    "unit",
    "institution",
    "attachments",
}


@pytest.fixture
def edition():
    return edition_2025()


@pytest.fixture
def draft(edition, unit_a, operator_a):
    return ready_draft(edition, innovation_for(unit_a, name="SITARANG"), operator_a)


# --------------------------------------------------------------------------- saving


def test_saving_stores_cleaned_answers_audited_like_a_section_edit(draft, operator_a):
    before_version = draft.version
    saved = save(
        draft,
        operator_a,
        extra_answers={
            "spbe": {**SPBE_APP, "platform": ["android", "web"], "nama_aplikasi": " X "}
        },
    )

    draft.refresh_from_db()
    assert saved.changed and draft.version == before_version + 1
    assert draft.extra_answers["spbe"]["platform"] == ["web", "android"]
    assert draft.extra_answers["spbe"]["nama_aplikasi"] == "X"
    entry = AuditEntry.objects.filter(action="kipp.proposal.update").latest("id")
    assert entry.before["extra_answers"]["spbe"]["nama_aplikasi"] == "SITARANG Mobile"
    assert entry.after["extra_answers"]["spbe"]["nama_aplikasi"] == "X"


def test_leaving_out_extra_answers_keeps_them(draft, operator_a):
    save(draft, operator_a, answers={**draft.answers, "ringkasan": "Ringkasan baru."})
    draft.refresh_from_db()
    assert draft.extra_answers == {"spbe": SPBE_APP}


def test_switching_to_not_electronic_drops_the_app_answers(draft, operator_a):
    save(draft, operator_a, extra_answers={"spbe": {**SPBE_APP, "berbasis_elektronik": "tidak"}})
    draft.refresh_from_db()
    assert draft.extra_answers == {"spbe": {"berbasis_elektronik": "tidak"}}


def test_a_wrong_answer_is_refused_naming_the_question_and_nothing_changes(draft, operator_a):
    with pytest.raises(DomainError) as refused:
        save(
            draft,
            operator_a,
            answers={**draft.answers, "ringkasan": "Tidak tersimpan."},
            extra_answers={"spbe": {**SPBE_APP, "alamat_akses": "sitarang"}},
        )
    assert refused.value.field == "extra:spbe:alamat_akses"
    assert "Alamat akses" in refused.value.message
    draft.refresh_from_db()
    assert draft.extra_answers == {"spbe": SPBE_APP}
    assert draft.answers["ringkasan"] != "Tidak tersimpan."


def test_a_form_the_edition_does_not_ask_for_is_refused(unit_a, operator_a):
    proposal = ready_draft(edition_2021(), innovation_for(unit_a), operator_a)
    with pytest.raises(DomainError) as refused:
        save(proposal, operator_a, extra_answers={"spbe": {"berbasis_elektronik": "ya"}})
    assert refused.value.field == "extra_answers"
    assert "tidak diminta" in refused.value.message


def test_only_those_who_may_edit_the_draft_may_answer(draft, operator_b, admin_a):
    for outsider in (operator_b, admin_a):  # the Admin Lokal edits only at_institution
        with pytest.raises(PermissionDenied):
            save(draft, outsider, extra_answers={"spbe": {"berbasis_elektronik": "tidak"}})
    draft.refresh_from_db()
    assert draft.extra_answers == {"spbe": SPBE_APP}


# --------------------------------------------------------------------------- guards


def test_sending_is_refused_naming_each_missing_question(edition, unit_a, operator_a):
    proposal = ready_draft(edition, innovation_for(unit_a), operator_a)
    save(proposal, operator_a, extra_answers={"spbe": {"berbasis_elektronik": "ya"}})

    with pytest.raises(domain.ProposalBlocked) as blocked:
        domain.send_to_institution(proposal, actor=operator_a)

    assert blocked.value.codes == [
        f"extra_answer_missing(spbe.{code})"
        for code in (
            "nama_aplikasi",
            "alamat_akses",
            "platform",
            "pengelola",
            "hosting",
            "data_pribadi",
            "uji_keamanan",
        )
    ]
    assert "Formulir SPBE: pertanyaan «Platform» belum dijawab." in blocked.value.message
    assert blocked.value.field == "extra:spbe:nama_aplikasi"


def test_submission_is_refused_while_answers_are_missing(edition, unit_a, operator_a, admin_a):
    proposal = at_institution(edition, innovation_for(unit_a), operator_a)
    # The Admin Lokal clears a dependent answer while the proposal is with them.
    save(proposal, admin_a, extra_answers={"spbe": {**SPBE_APP, "tahun_uji_keamanan": None}})

    with pytest.raises(domain.ProposalBlocked) as blocked:
        domain.submit_proposal(proposal, declaration=True, actor=admin_a)

    assert blocked.value.codes == ["extra_answer_missing(spbe.tahun_uji_keamanan)"]
    assert "«Tahun penilaian keamanan atau uji penetrasi terakhir» belum dijawab" in str(
        blocked.value.message
    )
    proposal.refresh_from_db()
    assert proposal.state == S.AT_INSTITUTION and proposal.snapshot is None


def test_an_edition_without_extra_forms_asks_nothing(unit_a, operator_a, admin_a):
    proposal = submitted(edition_2021(), innovation_for(unit_a), operator_a, admin_a)
    assert proposal.state == S.SUBMITTED
    assert proposal.extra_answers == {}


# --------------------------------------------------------------------------- snapshot


def test_the_snapshot_and_its_hash_hold_the_answers(edition, unit_a, operator_a, admin_a):
    proposal = submitted(edition, innovation_for(unit_a), operator_a, admin_a)

    snapshot = proposal.snapshot
    assert snapshot["extra_answers"] == {"spbe": SPBE_APP}
    assert proposal.snapshot_hash == domain.snapshot_hash(snapshot)
    changed = {
        **snapshot,
        "extra_answers": {"spbe": {**SPBE_APP, "nama_aplikasi": "Aplikasi lain"}},
    }
    assert domain.snapshot_hash(changed) != proposal.snapshot_hash
    without = {k: v for k, v in snapshot.items() if k != "extra_answers"}
    assert domain.snapshot_hash(without) != proposal.snapshot_hash


def test_without_extra_forms_the_snapshot_hashes_exactly_as_before(unit_a, operator_a, admin_a):
    proposal = submitted(edition_2021(), innovation_for(unit_a), operator_a, admin_a)

    snapshot = proposal.snapshot
    assert set(snapshot) == OLD_SNAPSHOT_KEYS
    # The hash of the canonical JSON of the old shape, computed independently.
    canonical = domain.canonical_json({key: snapshot[key] for key in OLD_SNAPSHOT_KEYS})
    assert proposal.snapshot_hash == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_an_old_snapshot_still_verifies(unit_a):
    """A snapshot frozen before the field existed (no extra answers) rebuilds identically."""
    proposal = ProposalFactory(
        edition=edition_2021(),
        innovation=innovation_for(unit_a),
        state=S.SUBMITTED,
        submitted_at=timezone.now(),
    )
    old = domain.build_snapshot(proposal)
    assert "extra_answers" not in old and set(old) == OLD_SNAPSHOT_KEYS


# --------------------------------------------------------------------------- admin check


def _checked(proposal, secretariat):
    check = run_automatic_checks(proposal, actor=secretariat)
    return {row.rule: row for row in check_rows(check)}


def _in_admin_check(extra_answers):
    edition = EditionFactory(stages=EditionState.ADMIN_SELECTION)
    proposal = ProposalFactory(
        edition=edition,
        state=S.SUBMITTED,
        participant_state=S.SUBMITTED,
        submitted_at=timezone.now(),
        extra_answers=extra_answers,
    )
    proposal.snapshot = domain.build_snapshot(proposal)
    proposal.save(update_fields=["snapshot"])
    return proposal


def test_admin_check_flags_an_incomplete_spbe_form(secretariat):
    proposal = _in_admin_check({"spbe": {"berbasis_elektronik": "ya", "nama_aplikasi": "X"}})
    # The live record is complete now; the check reads the frozen snapshot.
    proposal.extra_answers = {"spbe": SPBE_APP}
    proposal.save(update_fields=["extra_answers"])

    row = _checked(proposal, secretariat)["form_spbe"]

    assert not row.passed and row.code == "incomplete"
    assert row.message.startswith("SPBE belum lengkap: «Alamat akses")
    assert "«Nama aplikasi" not in row.message


def test_admin_check_passes_a_complete_form(secretariat):
    row = _checked(_in_admin_check({"spbe": {"berbasis_elektronik": "tidak"}}), secretariat)[
        "form_spbe"
    ]
    assert row.passed and row.code is None and row.message == "Formulir SPBE lengkap."


def test_admin_check_of_an_edition_without_extra_forms_has_no_form_row(secretariat):
    edition = EditionFactory(
        stages=EditionState.ADMIN_SELECTION,
        year=2021,
        ordinal=8,
        rules=rules_from_file("kipp-2021.yaml"),
        instrument=instrument_from_file("kipp-2021.yaml"),
    )
    proposal = ProposalFactory(edition=edition, state=S.SUBMITTED, submitted_at=timezone.now())
    assert "form_spbe" not in _checked(proposal, secretariat)
