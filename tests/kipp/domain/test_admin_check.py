"""The administrative check (kipp.md §8 #6, §9): automatic checks over the frozen snapshot,
overrides, decisions, the bulk pass and similar proposals; acceptance examples A1 and A2."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import random
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import InstitutionKind, ServiceType, UnitKind
from prima.core.models import AuditEntry, Institution, Region, ServiceUnit
from prima.evaluation.domain.stages import advance_edition
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Edition, Subject
from prima.innovations.models import AwardRecord, Innovation
from prima.kipp.domain.admin_check import (
    STATUS_FAILED,
    STATUS_PASSED,
    STATUS_WARNING,
    check_rows,
    decide_admin_check,
    override_check,
    pass_clean_proposals,
    recompute_similarity,
    run_automatic_checks,
    similar_proposals,
    start_admin_check,
    status_from,
    status_of,
    title_matches,
)
from prima.kipp.domain.editions import amend_rules, extend_registration
from prima.kipp.domain.proposals import build_snapshot, snapshot_hash
from prima.kipp.enums import AdminReason, ProposalState
from prima.kipp.models import AdminCheck, Proposal, ProposalAttachment, ProposalTransition
from tests.factories import (
    AwardRecordFactory,
    InnovationFactory,
    ReplicationLinkFactory,
)
from tests.kipp.factories import (
    EditionFactory,
    ProposalFactory,
    instrument_from_file,
    rules_from_file,
)

pytestmark = pytest.mark.django_db

S = ProposalState
WIB = ZoneInfo("Asia/Jakarta")
ALL_FILES = ("bukti_mulai_implementasi", "sk_inovator", "pernyataan_kebenaran")


def wib(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=WIB)


# --------------------------------------------------------------------------- builders


def admin_edition(**kwargs: Any) -> Any:
    """A 2025 edition in its administrative selection; registration closed 3 June 2025."""
    kwargs.setdefault("registration_close", wib(2025, 6, 3, 23, 59, 59))
    return EditionFactory(stages=EditionState.ADMIN_SELECTION, **kwargs)


def submitted(
    edition: Edition,
    *,
    group: str = "umum",
    started_on: dt.date = dt.date(2021, 3, 1),
    files: tuple[str, ...] = ALL_FILES,
    innovation: Any = None,
    title: str | None = None,
    answers: dict[str, str] | None = None,
    submitted_at: dt.datetime | None = None,
    category: str = "AC4",
    **kwargs,
) -> Any:
    """A proposal as Admin Lokal submitted it: attachments, snapshot and hash frozen."""
    innovation = innovation or InnovationFactory(started_on=started_on, **kwargs)
    if title is not None:
        innovation.name = title
        innovation.save(update_fields=["name"])
    extra = {"answers": answers if answers is not None else own_answers()}
    proposal: Any = ProposalFactory(
        edition=edition,
        innovation=innovation,
        group=group,
        state=S.SUBMITTED,
        participant_state=S.SUBMITTED,
        submitted_at=submitted_at or timezone.now(),
        declaration=True,
        category=category,
        **extra,
    )
    for kind in files:
        ProposalAttachment.objects.create(
            proposal=proposal,
            kind=kind,
            file=f"kipp/2025/{kind}.pdf",
            original_name=f"{kind}.pdf",
            size=1000,
            sha256=hashlib.sha256(kind.encode()).hexdigest(),
        )
    proposal.snapshot = build_snapshot(proposal)
    proposal.snapshot_hash = snapshot_hash(proposal.snapshot)
    proposal.save(update_fields=["snapshot", "snapshot_hash"])
    return proposal


_ANSWER_SEEDS = itertools.count(1)


def own_answers() -> dict[str, str]:
    """Answers of a proposal of its own: words drawn afresh, so that proposals made with
    the same defaults are not flagged as copies of each other."""
    rng = random.Random(next(_ANSWER_SEEDS))
    syllables = ["ka", "lu", "mi", "sa", "to", "pe", "ri", "na", "de", "gu", "bo", "ra"]
    words = ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(24)]
    return {"ringkasan": " ".join(words[:12]) + ".", "signifikansi": " ".join(words[12:]) + "."}


def result(proposal: Proposal, rule: str) -> dict:
    check = AdminCheck.objects.get(proposal=proposal)
    rows = [row for row in check.automatic if row["rule"] == rule]
    assert rows, f"no {rule} result in {[r['rule'] for r in check.automatic]}"
    return rows[0]


def failed_codes(proposal: Proposal) -> list[str]:
    check = AdminCheck.objects.get(proposal=proposal)
    return [row["code"] for row in check.automatic if not row["passed"]]


# --------------------------------------------------------------------------- A1 age


@pytest.mark.parametrize(
    "group, start, code",
    [
        ("umum", dt.date(2023, 6, 3), None),
        ("umum", dt.date(2023, 6, 4), "age_below_minimum"),
        ("replikasi", dt.date(2024, 6, 1), None),
    ],
)
def test_a1_age_at_the_2025_close(secretariat, group, start, code):
    edition = admin_edition()
    proposal = submitted(edition, group=group, started_on=start)

    start_admin_check(edition, actor=secretariat)

    age = result(proposal, "age")
    assert age["code"] == code
    assert age["passed"] is (code is None)


def _like_2023(age_reference: str) -> dict:
    rules = rules_from_file()
    rules["calendar"] = {
        "registration": {"open": "2023-03-01T00:00", "close": "2023-05-02T23:59"},
        "extensions": [],
        "admin_selection": ["2023-05-08", "2023-05-20"],
    }
    rules["public_benefit_rating"] = {"enabled": False}
    rules["final_score"]["components"] = {"desk": 0.7, "panel_assessment": 0.3}
    rules["eligibility"]["age_reference"] = age_reference
    return rules


@pytest.mark.parametrize(
    "reference, code",
    [("registration_close_effective", None), ("registration_close_original", "age_below_minimum")],
)
def test_a1_extended_2023_close_is_the_age_reference(secretariat, reference, code):
    edition: Any = EditionFactory(
        rules=_like_2023(reference),
        stages=EditionState.REGISTRATION_OPEN,
        registration_close=wib(2023, 5, 2, 23, 59, 59),
    )
    extend_registration(
        edition,
        new_close=wib(2023, 5, 6, 23, 59),
        letter_no="B/188/PP.00.05/2023",
        letter_date=dt.date(2023, 5, 2),
        actor=secretariat,
    )
    proposal = submitted(edition, started_on=dt.date(2021, 5, 5))
    advance_edition(edition, actor=secretariat)
    advance_edition(edition, actor=secretariat)

    start_admin_check(edition, actor=secretariat)

    assert result(proposal, "age")["code"] == code


# --------------------------------------------------------------------------- A2 history, link


def _with_tiers(*tiers: tuple[str, str, int]) -> Any:
    innovation = InnovationFactory()
    for tier, level, year in tiers:
        AwardRecordFactory(innovation=innovation, tier=tier, level=level, year=year)
    return innovation


@pytest.mark.parametrize(
    "tiers, code",
    [
        ((("top99", "finalist", 2019), ("top99", "finalist", 2022)), "top99_twice"),
        ((("top99", "finalist", 2021), ("top45", "winner", 2021)), "winner_tier_held"),
        ((("top99", "finalist", 2023),), None),
    ],
)
def test_a2_history(secretariat, tiers, code):
    edition = admin_edition()
    proposal = submitted(edition, innovation=_with_tiers(*tiers))

    start_admin_check(edition, actor=secretariat)

    assert failed_codes(proposal) == ([code] if code else [])


def test_a2_replication_without_a_link(secretariat):
    edition = admin_edition()
    proposal = submitted(edition, group="replikasi", files=(*ALL_FILES, "pernyataan_replikasi"))

    start_admin_check(edition, actor=secretariat)

    assert failed_codes(proposal) == ["replication_link_missing"]


@pytest.mark.parametrize(
    "source_tiers, code",
    [((("top99", "finalist", 2018),), None), ((), "replication_source_not_eligible")],
)
def test_a2_replication_source_must_hold_a_tier(secretariat, source_tiers, code):
    edition = admin_edition()
    replica = InnovationFactory(started_on=dt.date(2023, 1, 1))
    ReplicationLinkFactory(replica=replica, source=_with_tiers(*source_tiers))
    proposal = submitted(
        edition, group="replikasi", innovation=replica, files=(*ALL_FILES, "pernyataan_replikasi")
    )

    start_admin_check(edition, actor=secretariat)

    assert failed_codes(proposal) == ([code] if code else [])


def test_missing_files_and_the_frozen_snapshot_are_what_counts(secretariat):
    edition = admin_edition()
    proposal = submitted(edition, files=("sk_inovator",))
    # A file added after submission is not in the snapshot and does not count.
    ProposalAttachment.objects.create(
        proposal=proposal,
        kind="pernyataan_kebenaran",
        file="x.pdf",
        original_name="x.pdf",
        size=1,
        sha256="0" * 64,
    )

    start_admin_check(edition, actor=secretariat)

    assert result(proposal, "age")["code"] == "age_unproven"
    attachments = result(proposal, "attachments")
    assert attachments["code"] == "incomplete"
    assert "Pernyataan kebenaran data" in attachments["message"]


def test_a_later_duplicate_title_of_the_same_institution_fails(secretariat, unit_a):
    edition = admin_edition()
    first = submitted(
        edition, unit=unit_a, title="Layanan Antar Jemput KTP", submitted_at=wib(2025, 5, 1)
    )
    second = submitted(
        edition, unit=unit_a, title="Layanan antar-jemput KTP!", submitted_at=wib(2025, 5, 2)
    )

    start_admin_check(edition, actor=secretariat)

    assert result(first, "duplicate_title")["passed"]
    assert result(second, "duplicate_title")["code"] == "duplicate_title"


def test_quota_counts_only_earlier_submissions(secretariat, unit_a):
    edition = admin_edition(
        rules=rules_from_file("kipp-2021.yaml"),
        instrument=instrument_from_file("kipp-2021.yaml"),
        year=2021,
        registration_close=wib(2021, 5, 11, 23, 59, 59),
    )
    amend_rules(edition, {"groups.umum.quota_per_institution": 2}, reason="", actor=secretariat)
    proposals = [
        submitted(edition, unit=unit_a, category="kesehatan", submitted_at=wib(2021, 5, day))
        for day in (3, 1, 2)
    ]

    start_admin_check(edition, actor=secretariat)

    # Submitted on 3, 1 and 2 May: the one of 3 May is the third against a quota of 2.
    assert [result(p, "quota")["passed"] for p in proposals] == [False, True, True]
    assert "2/2" in result(proposals[0], "quota")["message"]


# --------------------------------------------------------------------------- re-entry


def test_possible_reentry_is_a_warning_that_never_rejects(secretariat, unit_b):
    edition = admin_edition()
    old: Any = InnovationFactory(unit=unit_b, name="Sistem Informasi Pelayanan Terpadu Satu Pintu")
    AwardRecordFactory(innovation=old, tier="top99", level="finalist", year=2020)
    InnovationFactory(name="Sistem Informasi Pelayanan Terpadu Satu Pintu")  # never entered
    proposal = submitted(edition, title="SISTEM INFORMASI PELAYANAN TERPADU SATU-PINTU!")
    other = submitted(edition, title="Puskesmas Keliling Terapung")

    start_admin_check(edition, actor=secretariat)

    warning = result(proposal, "possible_reentry")
    assert warning["passed"] is True and warning["warning"] is True
    assert warning["innovation"] == old.pk
    assert "100%" in warning["message"] and old.name in warning["message"]
    assert failed_codes(proposal) == []
    assert status_of(proposal.admin_check) == STATUS_WARNING
    assert all(
        row["rule"] != "possible_reentry"
        for row in AdminCheck.objects.get(proposal=other).automatic
    )


def test_title_matches_uses_normalised_similarity():
    pool = {
        1: "Layanan Kesehatan Keliling Desa",
        2: "Layanan Pajak Daring",
        3: "Sistem Antrean Online",
    }
    queries = {
        10: "layanan kesehatan keliling desa.",
        11: "Layanan Kesehatan Keliling Kota",
        12: "SIAP",
    }

    found = title_matches(queries, pool, threshold=0.9)

    assert found[10] == [(1, 1.0)]
    assert 11 in found and found[11][0][0] == 1 and 0.9 <= found[11][0][1] < 1
    assert 12 not in found


# --------------------------------------------------------------------------- overrides


def test_an_override_needs_a_note_and_clears_the_failure(secretariat):
    edition = admin_edition()
    proposal = submitted(edition, files=("sk_inovator", "pernyataan_kebenaran"))
    start_admin_check(edition, actor=secretariat)
    assert status_of(AdminCheck.objects.get(proposal=proposal)) == STATUS_FAILED

    with pytest.raises(DomainError, match="catatan") as caught:
        override_check(proposal, "age", "ok", actor=secretariat)
    assert caught.value.field == "note"
    with pytest.raises(DomainError, match="Tidak ada hasil"):
        override_check(proposal, "category", "Kategori sudah benar.", actor=secretariat)

    override_check(
        proposal, "age_unproven", "Bukti mulai ada di SK inovator hal. 3.", actor=secretariat
    )
    override_check(proposal, "attachments", "Dokumen bukti digabung dalam SK.", actor=secretariat)

    check = AdminCheck.objects.get(proposal=proposal)
    assert status_of(check) == STATUS_PASSED
    age = next(row for row in check_rows(check) if row.rule == "age")
    assert (
        age.override is not None
        and age.override["note"] == "Bukti mulai ada di SK inovator hal. 3."
    )
    assert not age.failed
    entry = AuditEntry.objects.filter(action="kipp.admin_check.override").order_by("id").first()
    assert entry is not None and entry.actor == secretariat
    assert (entry.after or {})["rules"] == ["age"]
    # Running the checks again keeps the overrides.
    start_admin_check(edition, actor=secretariat)
    assert status_of(AdminCheck.objects.get(proposal=proposal)) == STATUS_PASSED


# --------------------------------------------------------------------------- decisions


def test_pass_is_transition_6_hidden_until_the_announcement(secretariat):
    edition = admin_edition()
    proposal = submitted(edition)
    start_admin_check(edition, actor=secretariat)

    decide_admin_check(proposal, passed=True, actor=secretariat)

    proposal.refresh_from_db()
    assert proposal.state == S.ADMIN_PASSED
    assert proposal.participant_state == S.SUBMITTED
    transition = ProposalTransition.objects.get(proposal=proposal, to_state=S.ADMIN_PASSED)
    assert (transition.from_state, transition.actor) == (S.SUBMITTED, secretariat)
    check = AdminCheck.objects.get(proposal=proposal)
    assert (check.passed, check.reasons, check.decided_by) == (True, [], secretariat)
    assert AuditEntry.objects.filter(
        action="kipp.admin_check.decide", object_id=str(proposal.pk)
    ).exists()


def test_a_fail_needs_reason_codes_and_other_needs_a_note(secretariat):
    edition = admin_edition()
    proposal = submitted(edition)

    with pytest.raises(DomainError, match="minimal satu kode alasan"):
        decide_admin_check(proposal, passed=False, reasons=[], actor=secretariat)
    with pytest.raises(DomainError, match="Lainnya"):
        decide_admin_check(proposal, passed=False, reasons=[AdminReason.OTHER], actor=secretariat)
    with pytest.raises(DomainError, match="tidak dikenal"):
        decide_admin_check(proposal, passed=False, reasons=["jelek"], actor=secretariat)
    with pytest.raises(DomainError, match="tidak diberi alasan"):
        decide_admin_check(proposal, passed=True, reasons=["incomplete"], actor=secretariat)

    decide_admin_check(
        proposal,
        passed=False,
        reasons=[AdminReason.CARELESS_CONTENT, AdminReason.OTHER, AdminReason.OTHER],
        note="Isian disalin dari proposal instansi lain.",
        actor=secretariat,
    )

    proposal.refresh_from_db()
    assert proposal.state == S.ADMIN_FAILED
    assert proposal.participant_state == S.SUBMITTED
    check = proposal.admin_check
    assert check.reasons == ["careless_content", "other"]
    assert check.note == "Isian disalin dari proposal instansi lain."


def test_a_decision_may_change_until_the_result_is_announced(secretariat):
    edition = admin_edition()
    proposal = submitted(edition)
    decide_admin_check(proposal, passed=True, actor=secretariat)

    decide_admin_check(proposal, passed=False, reasons=["incomplete"], actor=secretariat)
    decide_admin_check(
        proposal, passed=False, reasons=["incomplete", "age_unproven"], actor=secretariat
    )

    proposal.refresh_from_db()
    assert proposal.state == S.ADMIN_FAILED
    assert proposal.admin_check.reasons == ["incomplete", "age_unproven"]
    proposal.participant_state = S.ADMIN_FAILED  # the announcement revealed it
    proposal.save(update_fields=["participant_state"])
    with pytest.raises(DomainError, match="sudah diumumkan"):
        decide_admin_check(proposal, passed=True, actor=secretariat)


def test_decisions_need_the_admin_selection_running(secretariat):
    edition: Any = EditionFactory(stages=EditionState.REGISTRATION_CLOSED)
    proposal = submitted(edition)
    with pytest.raises(DomainError, match="tidak sedang berjalan"):
        decide_admin_check(proposal, passed=True, actor=secretariat)
    with pytest.raises(DomainError, match="seleksi administrasi berjalan"):
        start_admin_check(edition, actor=secretariat)

    locked = admin_edition()
    locked.stages.filter(code=EditionState.ADMIN_SELECTION).update(decisions_open=False)
    with pytest.raises(DomainError, match="dikunci"):
        decide_admin_check(submitted(locked), passed=True, actor=secretariat)


@pytest.mark.parametrize("persona", ["admin_a", "operator_a", "evaluator", "nobody"])
def test_only_the_secretariat_checks_and_decides(personas, persona):
    edition = admin_edition()
    proposal = submitted(edition)
    person = personas[persona]

    for action in (
        lambda: decide_admin_check(proposal, passed=True, actor=person),
        lambda: start_admin_check(edition, actor=person),
        lambda: override_check(proposal, "age", "Catatan cukup panjang.", actor=person),
        lambda: pass_clean_proposals(edition, actor=person),
        lambda: run_automatic_checks(proposal, actor=person),
    ):
        with pytest.raises(PermissionDenied):
            action()
    proposal.refresh_from_db()
    assert proposal.state == S.SUBMITTED


def test_only_a_proposal_in_the_check_can_be_decided(secretariat):
    edition = admin_edition()
    draft: Any = ProposalFactory(edition=edition)
    with pytest.raises(DomainError, match="tidak berada dalam seleksi administrasi"):
        decide_admin_check(draft, passed=True, actor=secretariat)


def test_bulk_pass_takes_only_clean_proposals(secretariat, unit_b):
    edition = admin_edition()
    clean = [submitted(edition) for _ in range(3)]
    failing = submitted(edition, started_on=dt.date(2024, 1, 1))
    old = InnovationFactory(unit=unit_b, name="Kampung Digital Sejahtera")
    AwardRecordFactory(innovation=old)
    warned = submitted(edition, title="Kampung Digital Sejahtera")
    unchecked = submitted(edition)
    start_admin_check(edition, actor=secretariat)
    AdminCheck.objects.filter(proposal=unchecked).delete()
    decided = clean[0]
    decide_admin_check(decided, passed=True, actor=secretariat)

    count = pass_clean_proposals(edition, actor=secretariat, note="Lolos semua pemeriksaan.")

    assert count == 2
    states = dict(Proposal.objects.filter(edition=edition).values_list("pk", "state"))
    assert all(states[p.pk] == S.ADMIN_PASSED for p in clean)
    assert states[failing.pk] == states[warned.pk] == states[unchecked.pk] == S.SUBMITTED
    assert AuditEntry.objects.get(action="kipp.admin_check.pass_clean").after == {"passed": 2}


def test_run_for_one_proposal_keeps_its_decision(secretariat):
    edition = admin_edition()
    proposal = submitted(edition)
    decide_admin_check(proposal, passed=True, actor=secretariat)

    check = run_automatic_checks(proposal, actor=secretariat)

    assert check.passed is True and check.automatic
    assert AuditEntry.objects.filter(action="kipp.admin_check.run").exists()


# --------------------------------------------------------------------------- similarity


ANSWERS = [
    {
        "ringkasan": "Mobil layanan kesehatan keliling mengunjungi desa terpencil setiap pekan.",
        "signifikansi": "Kunjungan ibu hamil naik empat puluh persen; angka stunting turun.",
    },
    {
        "ringkasan": "Perizinan usaha daring dengan tanda tangan elektronik dan pelacakan berkas.",
        "signifikansi": "Waktu terbit izin turun dari empat belas hari menjadi tiga hari kerja.",
    },
    {
        "ringkasan": "Bank sampah sekolah menukar sampah plastik dengan tabungan siswa.",
        "signifikansi": "Sampah plastik sekolah berkurang dua ton per bulan di kecamatan.",
    },
]


def _copy_of(answers: dict[str, str]) -> dict[str, str]:
    copied = dict(answers)
    copied["ringkasan"] = copied["ringkasan"].replace("setiap pekan", "setiap minggu")
    return copied


def similarity_row(proposal: Proposal) -> dict | None:
    check = AdminCheck.objects.get(proposal=proposal)
    return next((row for row in check.automatic if row["rule"] == "similar_content"), None)


def named_copies(proposal: Proposal) -> list[int]:
    """The proposals named by the proposal's careless_content warning."""
    row = similarity_row(proposal)
    assert row is not None, "no similarity warning"
    return row["proposals"]


def test_a_planted_near_copy_surfaces_on_both_sides_as_a_warning(secretariat, unit_a, unit_b):
    edition = admin_edition()
    originals = [submitted(edition, unit=unit_a, answers=answers) for answers in ANSWERS]
    copy = submitted(
        edition, unit=unit_b, answers=_copy_of(ANSWERS[0]), title=originals[0].title + " Baru"
    )
    ProposalFactory(edition=edition, answers=ANSWERS[0])  # a draft is never compared

    summary = start_admin_check(edition, actor=secretariat)

    original_check = AdminCheck.objects.get(proposal=originals[0])
    copy_check = AdminCheck.objects.get(proposal=copy)
    assert original_check.similar[0]["proposal"] == copy.pk
    assert copy_check.similar[0]["proposal"] == originals[0].pk
    assert original_check.similar[0]["similarity"] >= 0.8
    assert copy_check.similar[0]["similarity"] >= 0.8
    assert original_check.similar_computed_at is not None
    assert summary.similar_pairs == 1
    for proposal, other in ((originals[0], copy), (copy, originals[0])):
        row = similarity_row(proposal)
        assert row is not None
        assert (row["code"], row["passed"], row["warning"]) == ("careless_content", True, True)
        assert row["proposals"] == [other.pk] and other.title in row["message"]
        assert status_of(AdminCheck.objects.get(proposal=proposal)) == STATUS_WARNING
        assert failed_codes(proposal) == []
    assert similarity_row(originals[1]) is None
    assert AdminCheck.objects.get(proposal=originals[1]).status == STATUS_PASSED

    found = similar_proposals(original_check)
    assert found is not None and found[0].proposal == copy
    assert found[0].is_copy and 80 <= found[0].percent <= 100
    assert all(item.proposal.state != S.DRAFT for item in found)
    assert similar_proposals(AdminCheck.objects.get(proposal=originals[2])) == []


def test_the_copy_threshold_is_configurable(secretariat, settings):
    settings.KIPP_COPY_THRESHOLD = 0.999
    edition = admin_edition()
    original = submitted(edition, answers=ANSWERS[0])
    copy = submitted(edition, answers=_copy_of(ANSWERS[0]))

    start_admin_check(edition, actor=secretariat)

    assert similarity_row(original) is None and similarity_row(copy) is None
    assert AdminCheck.objects.get(proposal=copy).similar[0]["proposal"] == original.pk
    entry = AuditEntry.objects.get(action="kipp.admin_check.start")
    assert (entry.after or {})["copy_threshold"] == 0.999


def test_similar_proposals_is_none_until_computed(secretariat):
    edition = admin_edition()
    proposal = submitted(edition)
    decide_admin_check(proposal, passed=True, actor=secretariat)

    assert similar_proposals(AdminCheck.objects.get(proposal=proposal)) is None
    assert similar_proposals(None) is None


def test_a_late_proposal_gets_its_list_when_the_check_runs_again(secretariat):
    edition = admin_edition()
    original = submitted(edition, answers=ANSWERS[0])
    submitted(edition, answers=ANSWERS[1])
    start_admin_check(edition, actor=secretariat)
    assert AdminCheck.objects.get(proposal=original).similar == []

    late = submitted(edition, answers=_copy_of(ANSWERS[0]))  # submitted after an extension
    start_admin_check(edition, actor=secretariat)

    assert AdminCheck.objects.get(proposal=late).similar[0]["proposal"] == original.pk
    assert AdminCheck.objects.get(proposal=original).similar[0]["proposal"] == late.pk
    assert named_copies(original) == [late.pk]


def test_recompute_refreshes_the_lists_and_warnings_and_is_audited(secretariat):
    edition = admin_edition()
    original = submitted(edition, answers=ANSWERS[0])
    other = submitted(edition, answers=ANSWERS[1])
    start_admin_check(edition, actor=secretariat)
    decide_admin_check(other, passed=True, actor=secretariat)
    unchecked = submitted(edition, answers=_copy_of(ANSWERS[0]))

    summary = recompute_similarity(edition, actor=secretariat)

    assert (summary.proposals, summary.pairs, summary.unchecked) == (3, 1, 1)
    assert summary.threshold == pytest.approx(0.8)
    assert named_copies(original) == [unchecked.pk]
    assert status_of(AdminCheck.objects.get(proposal=original)) == STATUS_WARNING
    # Not yet checked: its list is stored, its warning comes with the automatic checks.
    late = AdminCheck.objects.get(proposal=unchecked)
    assert late.similar[0]["proposal"] == original.pk
    assert (late.automatic, late.status) == ([], "pending")
    # The decision and the other results are kept.
    kept = AdminCheck.objects.get(proposal=other)
    assert kept.passed is True and {r["rule"] for r in kept.automatic} >= {"age", "attachments"}
    entry = AuditEntry.objects.get(action="kipp.admin_check.similarity")
    assert entry.actor == secretariat and entry.object_id == str(edition.pk)
    assert entry.after == {"proposals": 3, "pairs": 1, "threshold": 0.8, "unchecked": 1}


def test_a_similarity_override_holds_until_another_copy_appears(secretariat):
    # One title for all three: factory titles carry sequence numbers, which would move the
    # similarity of short texts with the order the suite runs in.
    title = "Layanan antar dokumen kependudukan"
    edition = admin_edition()
    original = submitted(edition, title=title, answers=ANSWERS[0])
    copy = submitted(edition, title=title, answers=_copy_of(ANSWERS[0]))
    start_admin_check(edition, actor=secretariat)
    note = "Dua unit dari satu program nasional; isi memang serupa."
    override_check(original, "similar_content", note, actor=secretariat)
    assert status_of(AdminCheck.objects.get(proposal=original)) == STATUS_PASSED

    recompute_similarity(edition, actor=secretariat)
    start_admin_check(edition, actor=secretariat)
    assert status_of(AdminCheck.objects.get(proposal=original)) == STATUS_PASSED

    third = dict(_copy_of(ANSWERS[0]), signifikansi=ANSWERS[0]["signifikansi"] + " Sungguh.")
    submitted(edition, title=title, answers=third)
    recompute_similarity(edition, actor=secretariat)

    check = AdminCheck.objects.get(proposal=original)
    assert status_of(check) == STATUS_WARNING
    assert check.overrides == []
    assert copy.pk in named_copies(original)


def test_only_the_secretariat_recomputes_while_the_check_runs(personas, secretariat):
    edition = admin_edition()
    submitted(edition)
    for persona in ("admin_a", "operator_a", "evaluator", "nobody"):
        with pytest.raises(PermissionDenied):
            recompute_similarity(edition, actor=personas[persona])
    closed: Any = EditionFactory(stages=EditionState.REGISTRATION_CLOSED)
    with pytest.raises(DomainError, match="seleksi administrasi berjalan"):
        recompute_similarity(closed, actor=secretariat)
    assert not AuditEntry.objects.filter(action="kipp.admin_check.similarity").exists()


def test_one_proposal_run_keeps_the_similarity_warning(secretariat):
    edition = admin_edition()
    original = submitted(edition, answers=ANSWERS[0])
    submitted(edition, answers=_copy_of(ANSWERS[0]))
    start_admin_check(edition, actor=secretariat)

    check = run_automatic_checks(original, actor=secretariat)

    assert similarity_row(original) is not None
    assert check.status == STATUS_WARNING


# --------------------------------------------------------------------------- speed


WORDS = [
    "layanan",
    "kesehatan",
    "pendidikan",
    "perizinan",
    "pajak",
    "daring",
    "desa",
    "kota",
    "kampung",
    "sehat",
    "pintar",
    "cepat",
    "ramah",
    "terpadu",
    "mobil",
    "keliling",
    "sampah",
    "bank",
    "air",
    "bersih",
    "pangan",
    "nelayan",
    "petani",
    "posyandu",
    "puskesmas",
    "sekolah",
    "guru",
    "siswa",
    "ibu",
    "anak",
    "lansia",
    "difabel",
    "pasar",
    "usaha",
    "mikro",
    "digital",
    "aplikasi",
    "antrean",
    "kependudukan",
    "akta",
    "nikah",
    "tanah",
    "sertifikat",
    "jalan",
    "jembatan",
    "listrik",
    "surya",
    "hutan",
    "mangrove",
    "wisata",
    "budaya",
    "batik",
    "kopi",
    "ternak",
    "sapi",
    "ikan",
    "laut",
]


def _bulk_edition(count: int) -> Edition:
    """`count` submitted proposals from 300 regencies, created in bulk."""
    edition = admin_edition()
    rng = random.Random(7)
    regions = Region.objects.bulk_create(
        [
            Region(
                code=f"{80 + i // 90}.{i % 90 + 10}",
                name=f"Kab {i}",
                level="regency",
                province_code=f"{80 + i // 90}",
            )
            for i in range(300)
        ]
    )
    institutions = Institution.objects.bulk_create(
        [
            Institution(
                kind=InstitutionKind.REGENCY,
                name=f"Pemerintah Kabupaten Uji {i}",
                region=region,
                province_code=region.province_code,
            )
            for i, region in enumerate(regions)
        ]
    )
    units = ServiceUnit.objects.bulk_create(
        [
            ServiceUnit(
                institution=inst,
                name=f"Dinas {i}",
                kind=UnitKind.DINAS,
                service_type=ServiceType.ADMINISTRATIVE,
                region=inst.region,
            )
            for i, inst in enumerate(institutions)
        ]
    )
    innovations = Innovation.objects.bulk_create(
        [
            Innovation(
                unit=units[i % 300],
                institution=institutions[i % 300],
                name=" ".join(rng.sample(WORDS, 4)),
                summary="Ringkasan.",
                started_on=dt.date(2020, 1, 1),
            )
            for i in range(count + 1000)
        ]
    )
    # 1,000 past entries with tiers: the re-entry pool.
    AwardRecord.objects.bulk_create(
        [
            AwardRecord(
                innovation=innovation, programme="kipp", year=2019, tier="top99", level="finalist"
            )
            for innovation in innovations[count:]
        ]
    )
    subjects = Subject.objects.bulk_create(
        [Subject(edition=edition, kind="proposal", title=innovations[i].name) for i in range(count)]
    )
    now = timezone.now()
    attachments = [{"kind": kind, "name": f"{kind}.pdf"} for kind in ALL_FILES]
    Proposal.objects.bulk_create(
        [
            Proposal(
                edition=edition,
                subject=subjects[i],
                innovation=innovations[i],
                unit=units[i % 300],
                institution=institutions[i % 300],
                title=innovations[i].name,
                group="umum",
                category="AC4",
                sdg_goals=[3],
                state=S.SUBMITTED,
                participant_state=S.SUBMITTED,
                submitted_at=now,
                snapshot={
                    "title": innovations[i].name,
                    "group": "umum",
                    "category": "AC4",
                    "sdg_goals": [3],
                    "answers": {},
                    "extra_answers": {"spbe": {"berbasis_elektronik": "tidak"}},
                    "attachments": attachments,
                },
                snapshot_hash=f"{i:064d}",
            )
            for i in range(count)
        ],
        batch_size=500,
    )
    return edition


def test_start_uses_the_same_queries_for_few_or_many(secretariat):
    counts = []
    for size in (2, 2, 8):  # the first run also creates the audit chain head
        edition = admin_edition()
        for _ in range(size):
            submitted(edition)
        submitted(edition, answers=ANSWERS[0])
        runs = []
        for action in (start_admin_check, start_admin_check, recompute_similarity):
            if action is recompute_similarity:
                submitted(edition, answers=_copy_of(ANSWERS[0]))  # a new copy: rows change
            with CaptureQueriesContext(connection) as queries:
                action(edition, actor=secretariat)
            runs.append(len(queries))
        counts.append(runs)
    assert counts[1] == counts[2]


def test_start_checks_3000_proposals_in_one_run(secretariat):
    # Speed is measured by `python -m bench.similarity`, not here.
    edition = _bulk_edition(3000)

    summary = start_admin_check(edition, actor=secretariat)

    assert summary.checked == 3000
    assert AdminCheck.objects.filter(proposal__edition=edition).count() == 3000
    assert summary.failed == 0


def test_an_earlier_editions_entry_is_in_the_reentry_pool(secretariat, unit_b):
    earlier: Any = EditionFactory(code="kipp-2023-uji", year=2023)
    entered = submitted(earlier, unit=unit_b, title="Gerai Layanan Nelayan Terpadu")
    edition = admin_edition()
    proposal = submitted(edition, title="Gerai Layanan Nelayan Terpadu")

    start_admin_check(edition, actor=secretariat)

    assert result(proposal, "possible_reentry")["innovation"] == entered.innovation_id


def test_the_migration_fills_the_status_of_existing_checks(secretariat):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("prima.kipp.migrations.0002_admincheck_similar")
    edition = admin_edition()
    failing, overridden, fresh = (submitted(edition) for _ in range(3))
    failed_age = {"rule": "age", "passed": False, "code": "age_unproven", "message": ""}
    AdminCheck.objects.bulk_create(  # as rows written before the status column existed
        [
            AdminCheck(proposal=failing, automatic=[failed_age]),
            AdminCheck(proposal=overridden, automatic=[failed_age], overrides=[{"rule": "age"}]),
            AdminCheck(proposal=fresh),
        ]
    )

    migration.fill_statuses(apps, None)

    stored = dict(AdminCheck.objects.values_list("proposal_id", "status"))
    assert stored == {failing.pk: "failed", overridden.pk: "passed", fresh.pk: "pending"}
    for check in AdminCheck.objects.all():
        assert check.status == status_from(check.automatic, check.overrides)
