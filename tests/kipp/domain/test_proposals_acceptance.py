"""Acceptance examples A1–A4 of kipp.md §18, played through the participant's transitions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from prima.core.enums import Role
from prima.kipp.domain import proposals as domain
from prima.kipp.domain.attachments import add_attachment
from prima.kipp.domain.wordcount import count_words
from prima.kipp.enums import ProposalState as S
from prima.kipp.models import Invitation, Proposal
from tests.factories import (
    AwardRecordFactory,
    InnovationFactory,
    ReplicationLinkFactory,
    person_with_role,
)
from tests.kipp.domain.test_proposals_support import (
    at_institution,
    edition_2021,
    edition_2025,
    full_answers,
    full_extra_answers,
    innovation_for,
    pdf,
    ready_draft,
    regency_x,
    save,
    wib,
    words,
)
from tests.kipp.factories import EditionFactory, ProposalFactory, rules_from_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """Set the wall clock (every `timezone.now()` call) to a moment in WIB."""

    def set_to(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


def blocked_codes(proposal: Proposal, admin) -> list[str]:
    with pytest.raises(domain.ProposalBlocked) as blocked:
        domain.submit_proposal(proposal, declaration=True, actor=admin)
    return blocked.value.codes


def replication_source(code_year: tuple[str, str, int] | None):
    """An original innovation of another unit, holding the given tier (or none)."""
    original = InnovationFactory(name="Inovasi Asal")
    if code_year is not None:
        tier, level, year = code_year
        AwardRecordFactory(innovation=original, tier=tier, level=level, year=year)
    return original


def with_statement(proposal: Proposal, operator) -> None:
    add_attachment(
        proposal,
        kind="pernyataan_replikasi",
        upload=pdf("pernyataan.pdf", str(proposal.pk)),
        actor=operator,
    )


# --------------------------------------------------------------------------- A1 age


@pytest.fixture
def registration_2025(clock):
    """2025 config: registration closes 3 June 2025 23:59 WIB; today is 20 May 2025."""
    clock(wib(2025, 5, 20, 10, 0))
    return edition_2025(registration_close=wib(2025, 6, 3, 23, 59, 59))


@pytest.mark.parametrize(
    ("started", "eligible"), [(dt.date(2023, 6, 3), True), (dt.date(2023, 6, 4), False)]
)
def test_a1_umum_needs_24_months_at_the_close(
    registration_2025, unit_a, operator_a, admin_a, started, eligible
):
    proposal = at_institution(
        registration_2025, innovation_for(unit_a, started=started), operator_a
    )

    if eligible:
        domain.submit_proposal(proposal, declaration=True, actor=admin_a)
        assert proposal.state == S.SUBMITTED
    else:
        assert blocked_codes(proposal, admin_a) == ["age_below_minimum"]
        assert Proposal.objects.get(pk=proposal.pk).state == S.AT_INSTITUTION


def test_a1_replikasi_needs_12_months(registration_2025, unit_a, operator_a, admin_a):
    innovation = innovation_for(unit_a, started=dt.date(2024, 6, 1))
    ReplicationLinkFactory(
        replica=innovation, source=replication_source(("top99", "finalist", 2018))
    )
    proposal = ready_draft(registration_2025, innovation, operator_a, group="replikasi")
    domain.send_to_institution(proposal, actor=operator_a)

    domain.submit_proposal(proposal, declaration=True, actor=admin_a)
    assert proposal.state == S.SUBMITTED


def _like_2023(age_reference: str) -> dict:
    """The 2025 rules with the 2023 registration: close 2 May, extended to 6 May 23:59.

    Only the registration is on the calendar, so the public benefit rating (which needs its
    window) is off and its weight goes to the other components.
    """
    rules = rules_from_file("kipp-2025.yaml")
    rules["calendar"] = {
        "registration": {"open": "2023-03-01T00:00", "close": "2023-05-02T23:59"},
        "extensions": [
            {
                "new_close": "2023-05-06T23:59",
                "letter_no": "B/188/PP.00.05/2023",
                "date": "2023-05-02",
            }
        ],
    }
    rules["public_benefit_rating"] = {"enabled": False}
    rules["final_score"]["components"] = {"desk": 0.7, "panel_assessment": 0.3}
    rules["eligibility"]["age_reference"] = age_reference
    return rules


@pytest.mark.parametrize(
    ("age_reference", "eligible"),
    [("registration_close_effective", True), ("registration_close_original", False)],
)
def test_a1_extension_moves_the_age_reference_only_when_effective(
    clock, unit_a, operator_a, admin_a, age_reference, eligible
):
    clock(wib(2023, 5, 4, 9, 0))  # after the original close, before the extended one
    edition = EditionFactory(
        year=2023,
        rules=_like_2023(age_reference),
        registration_close=wib(2023, 5, 6, 23, 59, 59),
    )
    proposal = at_institution(
        edition, innovation_for(unit_a, started=dt.date(2021, 5, 5)), operator_a
    )

    if eligible:
        domain.submit_proposal(proposal, declaration=True, actor=admin_a)
        assert proposal.state == S.SUBMITTED
    else:
        assert blocked_codes(proposal, admin_a) == ["age_below_minimum"]


# --------------------------------------------------------------------------- A2 history, link


@pytest.mark.parametrize(
    ("tiers", "code"),
    [
        ([("top99", "finalist", 2019), ("top99", "finalist", 2022)], "top99_twice"),
        ([("top99", "finalist", 2021), ("top45", "winner", 2021)], "winner_tier_held"),
        ([("top99", "finalist", 2023)], None),
    ],
)
def test_a2_history_exclusions(unit_a, operator_a, admin_a, tiers, code):
    edition = edition_2025()
    innovation = innovation_for(unit_a)
    for tier, level, year in tiers:
        AwardRecordFactory(innovation=innovation, tier=tier, level=level, year=year)
    proposal = at_institution(edition, innovation, operator_a)

    if code is None:
        domain.submit_proposal(proposal, declaration=True, actor=admin_a)
        assert proposal.state == S.SUBMITTED
    else:
        assert blocked_codes(proposal, admin_a) == [code]


def test_a2_revoked_tier_does_not_exclude(unit_a, operator_a, admin_a):
    edition = edition_2025()
    innovation = innovation_for(unit_a)
    AwardRecordFactory(innovation=innovation, tier="top45", level="winner", year=2021, revoked=True)
    proposal = at_institution(edition, innovation, operator_a)
    domain.submit_proposal(proposal, declaration=True, actor=admin_a)
    assert proposal.state == S.SUBMITTED


@pytest.mark.parametrize(
    ("source_tier", "code"),
    [
        ("no link", "replication_link_missing"),
        (("top99", "finalist", 2018), None),
        (None, "replication_source_not_eligible"),
    ],
)
def test_a2_replication_link(unit_a, operator_a, admin_a, source_tier, code):
    edition = edition_2025()
    innovation = innovation_for(unit_a)
    if source_tier != "no link":
        ReplicationLinkFactory(replica=innovation, source=replication_source(source_tier))
    proposal = ready_draft(edition, innovation, operator_a, group="replikasi")
    domain.send_to_institution(proposal, actor=operator_a)  # the statement is uploaded

    if code is None:
        domain.submit_proposal(proposal, declaration=True, actor=admin_a)
        assert proposal.state == S.SUBMITTED
    else:
        assert blocked_codes(proposal, admin_a) == [code]


def test_a2_replication_statement_is_required(unit_a, operator_a):
    edition = edition_2025()
    innovation = innovation_for(unit_a)
    ReplicationLinkFactory(
        replica=innovation, source=replication_source(("top99", "finalist", 2018))
    )
    proposal = domain.create_proposal(
        edition, innovation, group="replikasi", category="AC4", actor=operator_a
    )
    save(
        proposal,
        operator_a,
        answers=full_answers(proposal),
        extra_answers=full_extra_answers(proposal),
    )
    for kind in ("bukti_mulai_implementasi", "sk_inovator", "pernyataan_kebenaran"):
        add_attachment(proposal, kind=kind, upload=pdf(f"{kind}.pdf"), actor=operator_a)

    with pytest.raises(domain.ProposalBlocked) as blocked:
        domain.send_to_institution(proposal, actor=operator_a)
    assert blocked.value.codes == ["attachment_missing(pernyataan_replikasi)"]


# --------------------------------------------------------------------------- A3 quota


def _quota(edition, institution) -> dict[str, str]:
    return {use.group: use.text for use in domain.quota_usage(edition, [institution])}


def test_a3_quota_sequence_with_recall():
    """Kabupaten X has 10 umum and 4 replikasi submitted (2021 config: quota 10 / 5)."""
    edition = edition_2021()
    institution, unit, operator, admin = regency_x()
    submitted_umum = [
        ProposalFactory(
            edition=edition,
            innovation=innovation_for(unit),
            group="umum",
            state=S.SUBMITTED,
            participant_state=S.SUBMITTED,
        )
        for _ in range(10)
    ]
    for _ in range(4):
        ProposalFactory(
            edition=edition,
            innovation=innovation_for(unit),
            group="replikasi",
            state=S.SUBMITTED,
            participant_state=S.SUBMITTED,
        )
    assert _quota(edition, institution) == {
        "umum": "umum 10/10",
        "replikasi": "replikasi 4/5",
        "khusus": "khusus 0",
    }

    # An 11th umum is blocked.
    eleventh = at_institution(edition, innovation_for(unit, name="Sebelas"), operator)
    with pytest.raises(domain.ProposalBlocked) as blocked:
        domain.submit_proposal(eleventh, declaration=True, actor=admin)
    assert blocked.value.codes == ["quota_exceeded"]
    assert "10/10" in blocked.value.message

    # A 5th replikasi is accepted (5/5).
    replica = innovation_for(unit, name="Replika Kelima")
    ReplicationLinkFactory(replica=replica, source=replication_source(("top99", "finalist", 2019)))
    fifth = at_institution(edition, replica, operator, group="replikasi")
    domain.submit_proposal(fifth, declaration=True, actor=admin)
    assert fifth.state == S.SUBMITTED
    assert _quota(edition, institution)["replikasi"] == "replikasi 5/5"

    # An invited khusus is accepted: invitation-only groups are exempt from the quota.
    winner = innovation_for(unit, name="Pemenang Lama")
    AwardRecordFactory(innovation=winner, tier="top45", level="winner", year=2019)
    Invitation.objects.create(
        edition=edition, innovation=winner, institution=institution, group="khusus"
    )
    khusus = at_institution(edition, winner, operator, group="khusus")
    domain.submit_proposal(khusus, declaration=True, actor=admin)
    assert khusus.state == S.SUBMITTED

    # Admin Lokal recalls one umum before the close: 9/10; the blocked umum now goes in.
    domain.recall_proposal(submitted_umum[0], actor=admin)
    assert _quota(edition, institution)["umum"] == "umum 9/10"
    domain.submit_proposal(eleventh, declaration=True, actor=admin)
    assert eleventh.state == S.SUBMITTED
    assert _quota(edition, institution)["umum"] == "umum 10/10"


def test_a3_withdrawn_proposals_do_not_count():
    edition = edition_2021()
    institution, unit, operator, admin = regency_x()
    for state in [S.SUBMITTED] * 9 + [S.WITHDRAWN, S.AT_INSTITUTION, S.DRAFT]:
        ProposalFactory(edition=edition, innovation=innovation_for(unit), group="umum", state=state)
    proposal = at_institution(edition, innovation_for(unit, name="Kesepuluh"), operator)
    domain.submit_proposal(proposal, declaration=True, actor=admin)
    assert _quota(edition, institution)["umum"] == "umum 10/10"


def test_duplicate_title_within_the_institution_is_blocked(unit_a, operator_a, admin_a):
    edition = edition_2025()
    first = at_institution(
        edition, innovation_for(unit_a, name="Klinik Berhenti Merokok"), operator_a
    )
    domain.submit_proposal(first, declaration=True, actor=admin_a)
    second = at_institution(
        edition, innovation_for(unit_a, name="KLINIK berhenti-merokok"), operator_a
    )
    assert blocked_codes(second, admin_a) == ["duplicate_title"]


# --------------------------------------------------------------------------- A4 words


def test_a4_word_counts_follow_the_normative_rule(unit_a, operator_a):
    edition = edition_2025()
    proposal = ready_draft(edition, innovation_for(unit_a), operator_a)
    save(
        proposal,
        operator_a,
        answers={
            **proposal.answers,
            "ringkasan": "Layanan KTP-el 24 jam, tanpa biaya!",
            "implementasi": "Hasil: 1.250 warga — naik 40 %",
        },
    )
    assert count_words(proposal.answers["ringkasan"]) == 6
    assert count_words(proposal.answers["implementasi"]) == 5


def test_a4_over_limit_saves_as_draft_and_blocks_sending(unit_a, operator_a):
    edition = edition_2025()
    proposal = ready_draft(edition, innovation_for(unit_a), operator_a)

    saved = save(proposal, operator_a, answers={**proposal.answers, "adaptabilitas": words(301)})
    assert saved.changed
    assert proposal.answers["adaptabilitas"] == words(301)
    assert any("301 kata" in warning for warning in saved.warnings)

    with pytest.raises(domain.ProposalBlocked) as blocked:
        domain.send_to_institution(proposal, actor=operator_a)
    assert blocked.value.codes == ["word_limit_exceeded(adaptabilitas, 301/300)"]
    assert blocked.value.field == "adaptabilitas"
    assert Proposal.objects.get(pk=proposal.pk).state == S.DRAFT

    save(proposal, operator_a, answers={**proposal.answers, "adaptabilitas": words(300)})
    domain.send_to_institution(proposal, actor=operator_a)
    assert proposal.state == S.AT_INSTITUTION


def test_a4_admin_lokal_edit_over_the_limit_blocks_submission(unit_a, operator_a, admin_a):
    edition = edition_2025()
    proposal = at_institution(edition, innovation_for(unit_a), operator_a)
    save(proposal, admin_a, answers={**proposal.answers, "adaptabilitas": words(301)})
    assert "word_limit_exceeded(adaptabilitas, 301/300)" in blocked_codes(proposal, admin_a)


def test_evaluator_sees_no_participant_actions(unit_a, operator_a):
    evaluator = person_with_role(Role.EVALUATOR)
    proposal = ready_draft(edition_2025(), innovation_for(unit_a), operator_a)
    assert domain.available_actions(evaluator, proposal) == set()
