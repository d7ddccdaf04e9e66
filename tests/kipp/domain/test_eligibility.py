"""Eligibility pre-checks (kipp.md §9; acceptance examples A1–A3)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from prima.evaluation.domain.instruments import parse
from prima.kipp.domain.eligibility import (
    Candidate,
    CheckResult,
    SourceInnovation,
    TierHeld,
    add_months,
    age_in_months,
    check_eligibility,
    failures,
    format_date,
    months_between,
    normalise_title,
)
from prima.kipp.domain.rules import WIB, age_reference_close, effective_close, load_rules
from tests.kipp.domain.edition_data import KIPP_2021, KIPP_2025, like_2023, rules_from

CLOSE_2025 = date(2025, 6, 3)
CLOSE_2021 = date(2021, 5, 11)
ALL_FILES = frozenset({"bukti_mulai_implementasi", "sk_inovator", "pernyataan_kebenaran"})


@pytest.fixture(scope="module")
def rules_2025():
    return load_rules(KIPP_2025)


@pytest.fixture(scope="module")
def rules_2021():
    return load_rules(KIPP_2021)


def candidate(group="umum", **changes):
    """A complete, eligible 2025 umum proposal unless told otherwise."""
    base = Candidate(
        group=group,
        category="AC4",
        implementation_start=date(2022, 1, 10),
        has_start_evidence=True,
        unit_id=7,
        sdg_goals=frozenset({3}),
        attachments=ALL_FILES | {"pernyataan_replikasi"},
        has_replication_statement=True,
        title="Layanan KTP-el 24 Jam",
    )
    return replace(base, **changes)


def candidate_2021(group="umum", **changes):
    """A complete, eligible 2021 proposal unless told otherwise."""
    changes = {"category": "kesehatan", "implementation_start": date(2018, 1, 10), **changes}
    return candidate(group, **changes)


def failed_codes(results):
    return [result.code for result in failures(results)]


def result(results, rule) -> CheckResult:
    (found,) = [r for r in results if r.rule == rule]
    return found


def tier(code, year, level="finalist", **kwargs):
    return TierHeld(tier=code, year=year, level=level, **kwargs)


# --------------------------------------------------------------------------- months


def test_month_arithmetic_clamps_to_the_last_day_of_the_month():
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert add_months(date(2025, 5, 31), -1) == date(2025, 4, 30)
    assert add_months(date(2024, 2, 29), -12) == date(2023, 2, 28)
    assert add_months(date(2025, 1, 15), -13) == date(2023, 12, 15)
    assert add_months(date(2025, 12, 31), 2) == date(2026, 2, 28)


def test_months_between_counts_completed_months_back_from_the_end():
    assert months_between(date(2023, 6, 3), date(2025, 6, 3)) == 24
    assert months_between(date(2023, 6, 4), date(2025, 6, 3)) == 23
    assert months_between(date(2025, 2, 28), date(2025, 3, 31)) == 1  # 31 Mar − 1 = 28 Feb
    assert months_between(date(2025, 3, 1), date(2025, 3, 31)) == 0
    assert months_between(date(2023, 1, 31), date(2025, 1, 30)) == 23
    assert months_between(date(2025, 6, 3), date(2023, 6, 3)) == -24
    assert age_in_months(date(2025, 7, 1), date(2025, 6, 3)) == 0  # not started yet


def test_dates_are_shown_in_indonesian():
    assert format_date(date(2025, 6, 3)) == "3 Juni 2025"
    assert format_date(date(2021, 8, 17)) == "17 Agustus 2021"


# --------------------------------------------------------------------------- A1 age


def test_a1_age_against_the_2025_close(rules_2025):
    ref = age_reference_close(rules_2025)
    assert ref == datetime(2025, 6, 3, 23, 59, 59, tzinfo=WIB)

    exactly = check_eligibility(
        rules_2025, candidate(implementation_start=date(2023, 6, 3)), reference_close=ref
    )
    assert result(exactly, "age").passed
    assert result(exactly, "age").message == (
        "Usia implementasi 24 bulan pada 3 Juni 2025 "
        "(minimal 24 bulan, yaitu mulai paling lambat 3 Juni 2023)."
    )

    late = check_eligibility(
        rules_2025, candidate(implementation_start=date(2023, 6, 4)), reference_close=ref
    )
    age = result(late, "age")
    assert (age.passed, age.code) == (False, "age_below_minimum")
    assert "baru 23 bulan" in age.message

    replication = check_eligibility(
        rules_2025,
        candidate("replikasi", implementation_start=date(2024, 6, 1), sources=(original_2018(),)),
        reference_close=ref,
    )
    assert result(replication, "age").passed
    assert "Usia implementasi 12 bulan" in result(replication, "age").message


def test_a1_extended_close_and_the_age_reference():
    start = date(2021, 5, 5)
    effective = like_2023("registration_close_effective")
    assert effective_close(effective).date() == date(2023, 5, 6)
    results = check_eligibility(
        effective,
        candidate(implementation_start=start),
        reference_close=age_reference_close(effective),
    )
    assert result(results, "age").passed
    assert "mulai paling lambat 6 Mei 2021" in result(results, "age").message

    original = like_2023("registration_close_original")
    results = check_eligibility(
        original,
        candidate(implementation_start=start),
        reference_close=age_reference_close(original),
    )
    assert result(results, "age").code == "age_below_minimum"
    assert "mulai paling lambat 2 Mei 2021" in result(results, "age").message


def test_age_unproven_without_a_start_date_or_its_evidence(rules_2025):
    no_date = check_eligibility(
        rules_2025, candidate(implementation_start=None), reference_close=CLOSE_2025
    )
    no_evidence = check_eligibility(
        rules_2025, candidate(has_start_evidence=False), reference_close=CLOSE_2025
    )
    assert result(no_date, "age").code == "age_unproven"
    assert result(no_evidence, "age").code == "age_unproven"
    assert "Bukti mulai implementasi" in result(no_evidence, "age").message


def test_a_category_age_exception_replaces_the_group_minimum():
    data = parse(KIPP_2025)
    data["categories"].append({"code": "pandemi", "label": "Penanganan pandemi"})
    data["groups"]["umum"]["age_exceptions"] = [{"category": "pandemi", "min_age_months": 12}]
    rules = rules_from(data)
    start = date(2024, 5, 1)  # 13 months at the close
    pandemic = check_eligibility(
        rules, candidate(category="pandemi", implementation_start=start), reference_close=CLOSE_2025
    )
    other = check_eligibility(
        rules, candidate(category="AC4", implementation_start=start), reference_close=CLOSE_2025
    )
    assert result(pandemic, "age").passed
    assert "minimal 12 bulan untuk kategori pandemi" in result(pandemic, "age").message
    assert result(other, "age").code == "age_below_minimum"


def test_a_reference_close_in_another_zone_counts_in_wib(rules_2025):
    # 2025-06-03 17:30 UTC is already 4 June 00:30 WIB.

    ref = datetime(2025, 6, 3, 17, 30, tzinfo=UTC)
    results = check_eligibility(
        rules_2025, candidate(implementation_start=date(2023, 6, 4)), reference_close=ref
    )
    assert result(results, "age").passed


# --------------------------------------------------------------------------- A2 history and link


def original_2018(unit_id=99):
    return SourceInnovation(id="asal-1", unit_id=unit_id, tiers=(tier("top99", 2018),))


@pytest.mark.parametrize(
    ("tiers", "codes"),
    [
        ((tier("top99", 2019), tier("top99", 2022)), ["top99_twice"]),
        ((tier("top99", 2021), tier("top45", 2021, "winner")), ["winner_tier_held"]),
        ((tier("top99", 2023),), []),
        ((), []),
        # Revoked entries do not count.
        ((tier("top99", 2019), tier("top99", 2022, revoked=True)), []),
        ((tier("top45", 2019, "winner", revoked=True),), []),
    ],
)
def test_a2_history_exclusions(rules_2025, tiers, codes):
    results = check_eligibility(rules_2025, candidate(tiers=tiers), reference_close=CLOSE_2025)
    assert failed_codes(results) == codes


def test_a2_the_failed_exclusion_names_the_tiers(rules_2025):
    results = check_eligibility(
        rules_2025,
        candidate(tiers=(tier("top99", 2019), tier("top99", 2022))),
        reference_close=CLOSE_2025,
    )
    twice = result(results, "top99_twice")
    assert (
        twice.message
        == "Inovasi sudah 2 kali masuk top99 (2019, 2022); batasnya kurang dari 2 kali."
    )
    assert result(results, "winner_tier_held").passed


def test_tier_count_counts_distinct_editions(rules_2025):
    # Two entries in one edition are one edition.
    results = check_eligibility(
        rules_2025,
        candidate(tiers=(tier("top99", 2019), tier("top99", 2019))),
        reference_close=CLOSE_2025,
    )
    assert failed_codes(results) == []


def test_a2_replication_link(rules_2025):
    missing = check_eligibility(rules_2025, candidate("replikasi"), reference_close=CLOSE_2025)
    assert failed_codes(missing) == ["replication_link_missing"]

    linked = check_eligibility(
        rules_2025, candidate("replikasi", sources=(original_2018(),)), reference_close=CLOSE_2025
    )
    assert failed_codes(linked) == []
    assert (
        result(linked, "replication_link").message
        == "Inovasi asal asal-1 memenuhi syarat: top99 2018."
    )

    no_tier = SourceInnovation(id="asal-2", unit_id=99)
    unranked = check_eligibility(
        rules_2025, candidate("replikasi", sources=(no_tier,)), reference_close=CLOSE_2025
    )
    assert failed_codes(unranked) == ["replication_source_not_eligible"]


def test_the_original_must_come_from_another_unit(rules_2025):
    own = original_2018(unit_id=7)  # the candidate's own unit
    results = check_eligibility(
        rules_2025, candidate("replikasi", sources=(own,)), reference_close=CLOSE_2025
    )
    assert failed_codes(results) == ["replication_source_not_eligible"]
    assert "unit pelayanan yang sama" in result(results, "replication_link").message
    # A second, eligible original from elsewhere is enough.
    results = check_eligibility(
        rules_2025,
        candidate("replikasi", sources=(own, original_2018())),
        reference_close=CLOSE_2025,
    )
    assert failed_codes(results) == []


def test_replication_sources_limit_tiers_and_years(rules_2021):
    recent = SourceInnovation(id="asal-3", unit_id=99, tiers=(tier("top99", 2021),))
    winner_only = SourceInnovation(id="asal-4", unit_id=99, tiers=(tier("top45", 2019, "winner"),))
    good = SourceInnovation(id="asal-5", unit_id=99, tiers=(tier("top99", 2016),))
    for source, codes in (
        (recent, ["replication_source_not_eligible"]),
        (winner_only, ["replication_source_not_eligible"]),
        (good, []),
    ):
        results = check_eligibility(
            rules_2021,
            candidate_2021("replikasi", sources=(source,)),
            reference_close=CLOSE_2021,
        )
        assert failed_codes(results) == codes, source.id


def test_the_replication_statement_is_required(rules_2025):
    results = check_eligibility(
        rules_2025,
        candidate("replikasi", sources=(original_2018(),), has_replication_statement=False),
        reference_close=CLOSE_2025,
    )
    assert [(r.rule, r.code) for r in failures(results)] == [
        ("replication_statement", "incomplete")
    ]


def test_a_forbidden_link_has_no_effect(rules_2025):
    results = check_eligibility(
        rules_2025, candidate(sources=(SourceInnovation("x", 99),)), reference_close=CLOSE_2025
    )
    assert failed_codes(results) == []
    assert not [r for r in results if r.rule.startswith("replication")]


def test_2021_held_tiers_bar_the_listed_winner_years_only(rules_2021):
    def codes(*tiers):
        results = check_eligibility(
            rules_2021, candidate_2021(tiers=tiers), reference_close=CLOSE_2021
        )
        return [(r.rule, r.code) for r in failures(results)]

    assert codes(tier("top45", 2019, "winner")) == [("winner_tier_2014_2020", "winner_tier_held")]
    assert codes(tier("top40", 2017, "winner")) == [("winner_tier_2014_2020", "winner_tier_held")]
    assert codes(tier("top45", 2016, "winner")) == []  # 2016 winners were top35
    assert codes(tier("top99", 2015), tier("top99", 2017)) == [("top99_twice", "top99_twice")]


def test_khusus_requires_a_winner_tier_decreed_12_months_before_the_close(rules_2021):
    def check(*tiers, invited=True):
        return check_eligibility(
            rules_2021,
            candidate_2021("khusus", tiers=tiers, invited=invited),
            reference_close=CLOSE_2021,
        )

    old = tier("top45", 2019, "winner", decree_date=date(2019, 10, 1))
    recent = tier("top45", 2020, "winner", decree_date=date(2020, 11, 20))
    assert failed_codes(check(old)) == []
    assert "top45 2019 (keputusan 1 Oktober 2019)" in result(check(old), "requires").message
    assert failed_codes(check(recent)) == ["required_tier_missing"]
    assert result(check(recent), "requires").message == (
        "Kelompok Khusus mensyaratkan peringkat tingkat pemenang yang ditetapkan paling lambat "
        "11 Mei 2020 (12 bulan sebelum 11 Mei 2021); inovasi ini tidak memilikinya."
    )
    assert failed_codes(check(tier("top99", 2018))) == ["required_tier_missing"]
    revoked = replace(old, revoked=True)
    assert failed_codes(check(revoked)) == ["required_tier_missing"]


def test_an_unknown_decree_date_is_taken_as_the_end_of_its_year(rules_2021):
    def codes(year):
        results = check_eligibility(
            rules_2021,
            candidate_2021("khusus", tiers=(tier("top45", year, "winner"),), invited=True),
            reference_close=CLOSE_2021,
        )
        return failed_codes(results)

    assert codes(2019) == []  # 31 Dec 2019 is 16 months before the close
    assert codes(2020) == ["required_tier_missing"]  # 31 Dec 2020 could be too recent


# --------------------------------------------------------------------------- A3 quota


def test_a3_quota_as_a_sequence_of_counts(rules_2021):
    def submit(group, already, **changes):
        results = check_eligibility(
            rules_2021,
            candidate_2021(group, institution_submitted_in_group=already, **changes),
            reference_close=CLOSE_2021,
        )
        return results

    # Kabupaten X has 10 umum and 4 replikasi submitted.
    eleventh = submit("umum", 10)
    assert failed_codes(eleventh) == ["quota_exceeded"]
    assert result(eleventh, "quota").message == (
        "Kuota Kelompok Umum instansi ini sudah penuh (10/10 usulan diajukan)."
    )
    fifth = submit("replikasi", 4, sources=(original_2018(),))
    assert failed_codes(fifth) == []
    assert result(fifth, "quota").message == "Kuota Kelompok Replikasi: usulan ini menjadi 5/5."
    khusus = submit("khusus", 40, invited=True, tiers=(tier("top45", 2019, "winner"),))
    assert failed_codes(khusus) == []
    assert not [r for r in khusus if r.rule == "quota"]  # invitation-only: exempt
    # Admin Lokal recalls one umum before the close: 9 remain, the blocked one goes in.
    after_recall = submit("umum", 9)
    assert failed_codes(after_recall) == []
    assert result(after_recall, "quota").message == "Kuota Kelompok Umum: usulan ini menjadi 10/10."


def test_an_invitation_only_group_needs_the_invitation(rules_2021):
    results = check_eligibility(
        rules_2021,
        candidate_2021("khusus", tiers=(tier("top45", 2019, "winner"),)),
        reference_close=CLOSE_2021,
    )
    assert [(r.rule, r.code) for r in failures(results)] == [("invitation", "not_invited")]


def test_no_quota_in_2025(rules_2025):
    results = check_eligibility(
        rules_2025, candidate(institution_submitted_in_group=500), reference_close=CLOSE_2025
    )
    assert result(results, "quota").passed


# --------------------------------------------------------------------------- other checks


def test_category_must_be_one_of_the_edition(rules_2025):
    missing = check_eligibility(rules_2025, candidate(category=None), reference_close=CLOSE_2025)
    foreign = check_eligibility(
        rules_2025, candidate(category="kesehatan"), reference_close=CLOSE_2025
    )
    assert result(missing, "category").code == "incomplete"
    assert result(foreign, "category").code == "category_mismatch"


def test_sdg_goals_when_required(rules_2025):
    none = check_eligibility(
        rules_2025, candidate(sdg_goals=frozenset()), reference_close=CLOSE_2025
    )
    bad = check_eligibility(
        rules_2025, candidate(sdg_goals=frozenset({3, 18})), reference_close=CLOSE_2025
    )
    assert result(none, "sdg").message == "Pilih minimal satu tujuan SDGs (1–17)."
    assert result(bad, "sdg").code == "incomplete"
    assert "18" in result(bad, "sdg").message


def test_missing_required_attachments_are_named(rules_2025):
    results = check_eligibility(
        rules_2025,
        candidate("replikasi", sources=(original_2018(),), attachments=frozenset({"sk_inovator"})),
        reference_close=CLOSE_2025,
    )
    attachments = result(results, "attachments")
    assert attachments.code == "incomplete"
    assert attachments.message == (
        "Lampiran wajib belum diunggah: Bukti mulai implementasi, Pernyataan kebenaran data, "
        "Pernyataan replikasi."
    )


def test_duplicate_title_within_the_institution(rules_2025):
    assert normalise_title("  Layanan KTP-el: 24 JAM! ") == "layanan ktp el 24 jam"
    results = check_eligibility(
        rules_2025,
        candidate(other_titles_in_institution=("Sipaduko", "layanan ktp el 24 jam")),
        reference_close=CLOSE_2025,
    )
    assert failed_codes(results) == ["duplicate_title"]
    results = check_eligibility(
        rules_2025,
        candidate(other_titles_in_institution=("Layanan KTP-el 7 Jam",)),
        reference_close=CLOSE_2025,
    )
    assert failed_codes(results) == []


def test_an_eligible_proposal_passes_every_check_in_order(rules_2025):
    results = check_eligibility(rules_2025, candidate(), reference_close=CLOSE_2025)
    assert [r.rule for r in results] == [
        "category",
        "age",
        "winner_tier_held",
        "top99_twice",
        "quota",
        "sdg",
        "attachments",
        "duplicate_title",
    ]
    assert all(r.passed and r.code is None for r in results)


def test_several_failures_are_reported_together(rules_2025):
    results = check_eligibility(
        rules_2025,
        candidate(
            implementation_start=date(2024, 1, 1),
            tiers=(tier("top45", 2021, "winner"),),
            sdg_goals=frozenset(),
            attachments=frozenset(),
        ),
        reference_close=CLOSE_2025,
    )
    assert failed_codes(results) == [
        "age_below_minimum",
        "winner_tier_held",
        "incomplete",
        "incomplete",
    ]


def test_an_unknown_group_is_refused(rules_2025):
    with pytest.raises(KeyError, match="khusus"):
        check_eligibility(rules_2025, candidate("khusus"), reference_close=CLOSE_2025)
