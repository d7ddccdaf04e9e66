"""Edition rules as data: the shipped editions, save-time validation, closes, load (kipp.md §6)."""

from __future__ import annotations

import copy
from datetime import date, datetime
from decimal import Decimal

import pytest

from prima.evaluation.domain.instruments import load_instrument, parse
from prima.kipp.domain.rules import (
    WIB,
    CompositionConstraint,
    Extension,
    RulesError,
    age_reference_close,
    auto_max_load,
    build_rules,
    check_instrument,
    effective_close,
    load_rules,
    validate_rules,
)
from tests.kipp.domain.edition_data import KIPP_2021, KIPP_2025, ROOT, like_2023, rules_from


@pytest.fixture
def data():
    """A fresh, editable copy of the 2025 data."""
    return parse(KIPP_2025)


def problems(data):
    """Path → message of every problem."""
    return {problem.path: problem.message for problem in validate_rules(data)}


def wib(year, month, day, hour=0, minute=0, second=0):
    return datetime(year, month, day, hour, minute, second, tzinfo=WIB)


# --------------------------------------------------------------------------- shipped files


def test_2025_edition_has_the_rules_of_6_1():
    rules = load_rules(KIPP_2025)
    assert (rules.code, rules.year, rules.ordinal) == ("kipp-2025", 2025, 11)
    assert rules.proposal_sections == "kipp-default-v1"
    assert list(rules.groups) == ["umum", "replikasi"]
    umum, replikasi = rules.group("umum"), rules.group("replikasi")
    assert (umum.min_age_months, umum.quota_per_institution, umum.replication_link) == (
        24,
        None,
        "forbidden",
    )
    assert umum.exclusions == ("winner_tier_held", "top99_twice")
    assert replikasi.min_age_months == 12
    assert replikasi.replication_link == "required"
    assert replikasi.replication_sources is not None
    assert replikasi.replication_sources.admits("top99", "finalist", 2018)
    assert not replikasi.replication_sources.admits("top99", "finalist", 2024)
    assert rules.exclusion_rules["top99_twice"].count == 2
    assert rules.exclusion_rules["winner_tier_held"].level == "winner"
    assert [c.code for c in rules.categories] == [f"AC{i}" for i in range(1, 9)]
    assert rules.attachments.required_for("replikasi") == (
        "bukti_mulai_implementasi",
        "sk_inovator",
        "pernyataan_kebenaran",
        "pernyataan_replikasi",
    )
    desk = rules.desk_evaluation
    assert desk.selection.mode == "threshold"
    assert desk.selection.passing_grade == Decimal(85)
    assert desk.load.max is None  # auto
    assert desk.tie_breakers == (
        "section_mean:signifikansi",
        "verified_replications",
        "submitted_at",
    )
    assert rules.finalists.tiers == ("finalis_2025",)
    assert rules.tier("top45").size == 45
    assert sum(rules.final_score.components.values()) == 1
    assert rules.final_score.components["desk"] == Decimal("0.6")
    assert rules.panel_assessment.rubric["dampak"] == 40
    assert not rules.presentation.enabled
    assert rules.public_benefit_rating.min_valid_ratings == 30
    assert rules.objection_window.days == 5
    assert rules.composition is not None
    assert rules.composition.constraints[3] == CompositionConstraint("region_3t", (True,), 3, None)
    assert rules.composition.constraints[1] == CompositionConstraint("institution", None, None, 2)


def test_2025_calendar_is_in_wib_and_windows_close_at_the_end_of_their_last_day():
    calendar = load_rules(KIPP_2025).calendar
    assert calendar.registration.start == wib(2025, 4, 8, 0, 0)
    assert calendar.registration.end == wib(2025, 6, 3, 23, 59, 59)
    desk = calendar.window("desk_evaluation")
    assert desk is not None
    assert (desk.start, desk.end) == (wib(2025, 6, 30), wib(2025, 7, 13, 23, 59, 59))
    plenary = calendar.window("desk_plenary")
    assert plenary is not None
    assert (plenary.start, plenary.end) == (wib(2025, 7, 14), wib(2025, 7, 14, 23, 59, 59))
    assert calendar.window("presentation") is None


def test_2021_edition_has_the_rules_of_6_2():
    rules = load_rules(KIPP_2021)
    assert (rules.code, rules.year, rules.ordinal) == ("kipp-2021", 2021, 8)
    assert list(rules.groups) == ["umum", "replikasi", "khusus"]
    assert [rules.group(g).quota_per_institution for g in rules.groups] == [10, 5, None]
    assert [rules.group(g).min_age_months for g in rules.groups] == [24, 12, 24]
    khusus = rules.group("khusus")
    assert khusus.invitation_only
    assert khusus.requires is not None
    assert (khusus.requires.held_tier_level, khusus.requires.min_months_since_decree) == (
        "winner",
        12,
    )
    barred = rules.exclusion_rules["winner_tier_2014_2020"]
    assert barred.code == "winner_tier_held"
    assert ("top45", 2019) in barred.tier_years and ("top9", 2014) in barred.tier_years
    assert len(rules.categories) == 10
    assert dict(rules.desk_evaluation.selection.n) == {"umum": 198, "replikasi": 30, "khusus": 30}
    assert rules.finalists.tiers == ("top99", "top15_replikasi", "top15_khusus")
    assert rules.panel_review.enabled and rules.panel_review.reviewers_per_proposal == 2
    assert rules.presentation.slot_minutes == 20
    assert rules.presentation.rubric["substansi"] == 50
    assert not rules.public_benefit_rating.enabled
    assert rules.final_score.components == {"desk": Decimal("0.7"), "presentation": Decimal("0.3")}
    assert [t.code for t in rules.tiers if t.level == "winner"] == [
        "top45",
        "top5_replikasi",
        "outstanding_achievement",
    ]
    assert rules.calendar.registration.end == wib(2021, 5, 11, 23, 59, 59)
    admin = rules.calendar.window("admin_selection")
    assert admin is not None and admin.end == wib(2021, 5, 19, 23, 59, 59)
    assert rules.announcement.number_is_valid("B/88/PP.00.05/2021")
    assert not rules.announcement.number_is_valid("B/88/PP.00.05/21")


@pytest.mark.parametrize(
    ("edition", "instrument"), [(KIPP_2025, "kipp-2025"), (KIPP_2021, "kipp-2021")]
)
def test_shipped_editions_fit_their_instruments(edition, instrument):
    rules = load_rules(edition)
    assert (
        check_instrument(rules, load_instrument(ROOT / "instruments" / f"{instrument}.yaml")) == []
    )


def test_check_instrument_names_every_mismatch():
    rules = load_rules(KIPP_2025)
    found = {
        p.path: p.message
        for p in check_instrument(rules, load_instrument(ROOT / "instruments" / "kipp-2021.yaml"))
    }
    assert "proposal_sections" in found
    assert "khusus" in found["groups"]
    # signifikansi exists in both; the 2021 instrument has no feasibility rubric for 2025
    assert set(found) == {"proposal_sections", "groups", "panel_assessment.kind"}
    assert "feasibility" in found["panel_assessment.kind"]


# --------------------------------------------------------------------------- closes and load


def test_auto_max_load_of_a7():
    assert auto_max_load(3, 40, 6) == 24  # ceil(1.2 · 3 · 40 / 6) = 24
    assert auto_max_load(3, 41, 6) == 25  # 24.6 rounds up
    rules = load_rules(KIPP_2025)
    assert rules.desk_evaluation.max_load(proposals=40, evaluators=6) == 24
    with pytest.raises(ValueError):
        auto_max_load(3, 40, 0)


def test_a_stated_load_max_is_used_as_is(data):
    data["desk_evaluation"]["load"]["max"] = 18
    rules = build_rules(data)
    assert rules.desk_evaluation.max_load(proposals=40, evaluators=6) == 18


def test_effective_close_follows_the_extensions_in_order_granted():
    rules = like_2023()
    assert rules.calendar.registration.end == wib(2023, 5, 2, 23, 59, 59)
    assert effective_close(rules) == wib(2023, 5, 6, 23, 59, 59)
    later = Extension(wib(2023, 5, 9, 12, 0), "B/190/PP.00.05/2023", date(2023, 5, 6))
    assert effective_close(rules, [later]) == wib(2023, 5, 9, 12, 0)
    assert age_reference_close(rules) == wib(2023, 5, 6, 23, 59, 59)
    original = like_2023("registration_close_original")
    assert age_reference_close(original, [later]) == wib(2023, 5, 2, 23, 59, 59)


def test_a_close_stated_at_noon_closes_at_noon(data):
    # 2022 closed at 12:00 WIB (§1); only 23:59 means the whole last minute.
    data["calendar"]["registration"]["close"] = "2025-06-03T12:00"
    assert build_rules(data).calendar.registration.end == wib(2025, 6, 3, 12, 0, 0)


def test_load_rules_accepts_yaml_text():
    rules = load_rules(KIPP_2021.read_text(encoding="utf-8"))
    assert rules.code == "kipp-2021"


def test_a_duplicate_key_is_refused_with_its_line():
    text = KIPP_2025.read_text(encoding="utf-8").replace(
        "conflicts: [", "panel_review: {enabled: true}\nconflicts: [", 1
    )
    with pytest.raises(RulesError) as error:
        load_rules(text)
    (problem,) = error.value.problems
    assert problem.path == "(yaml)"
    assert "dipakai dua kali" in problem.message and "baris" in problem.message


# --------------------------------------------------------------------------- validation


def test_shipped_data_is_valid(data):
    assert validate_rules(data) == []
    assert validate_rules(parse(KIPP_2021)) == []


def test_every_problem_is_reported_at_once_with_its_path(data):
    data["tiers"][1]["groups"] = ["umum", "khusus"]
    data["groups"]["umum"]["exclusions"].append("top15_twice")
    data["calendar"]["desk_evaluation"] = [date(2025, 6, 20), date(2025, 7, 13)]
    data["composition"]["constraints"].append({"stratum": "island", "max": 3})
    data["composition"]["applies_to"] = ["top45", "top50"]
    data["final_score"]["components"]["desk"] = Decimal("0.5")
    with pytest.raises(RulesError) as error:
        rules_from(data)
    found = {p.path: p.message for p in error.value.problems}
    assert found == {
        "tiers[1].groups[1]": "kelompok 'khusus' tidak ada; yang ada: umum, replikasi",
        "groups.umum.exclusions[2]": (
            "aturan eksklusi 'top15_twice' tidak ada; yang ada: winner_tier_held, top99_twice"
        ),
        "calendar.desk_evaluation": (
            "penilaian Tim Evaluasi mulai 2025-06-20, sebelum seleksi administrasi selesai "
            "2025-06-27; jadwal harus berurutan"
        ),
        "composition.constraints[5].stratum": (
            "'island' tidak dikenal; pilih salah satu: category, group, institution_type, "
            "institution, province_local, region_3t"
        ),
        "composition.applies_to[1]": "peringkat 'top50' tidak ada di tiers",
        "final_score.components": "bobot berjumlah 0.9, harus 1",
    }
    assert str(error.value).startswith("aturan edisi tidak sah (6 masalah):")


def test_selection_mode_needs_its_parameters(data):
    data["desk_evaluation"]["selection"] = {"mode": "threshold"}
    assert problems(data) == {
        "desk_evaluation.selection.passing_grade": "wajib diisi untuk mode threshold"
    }
    data["desk_evaluation"]["selection"] = {"mode": "top_n", "n": {"umum": 90, "khusus": 10}}
    assert problems(data) == {
        "desk_evaluation.selection.n.khusus": "kelompok 'khusus' tidak ada di groups",
        "desk_evaluation.selection.n": "kelompok 'replikasi' tidak diberi n",
    }
    data["desk_evaluation"]["selection"] = {"mode": "threshold", "passing_grade": 101}
    assert problems(data) == {"desk_evaluation.selection.passing_grade": "101 di luar skala 0–100"}
    data["desk_evaluation"]["selection"] = {"mode": "best", "passing_grade": 85}
    assert list(problems(data)) == ["desk_evaluation.selection.mode"]


def test_a_final_score_component_needs_its_stage_enabled(data):
    data["final_score"]["components"] = {"desk": Decimal("0.7"), "presentation": Decimal("0.3")}
    assert problems(data) == {
        "final_score.components.presentation": (
            "tahap 'presentation' tidak diaktifkan (enabled: false)"
        )
    }


def test_stage_blocks_check_their_keys_only_when_enabled(data):
    data["presentation"] = {
        "enabled": True,
        "minutes": {"talk": 7, "interview": 13},
        "rubric": {"a": 60, "b": 30},
    }
    data["panel_review"] = {"enabled": False, "reviewers_per_proposal": 2}
    data["public_benefit_rating"] = {"enabled": True, "min_valid_ratings": 30, "daily_cap": 20}
    del data["calendar"]["public_benefit_rating"]
    assert problems(data) == {
        "presentation.rubric": "bobot berjumlah 90, harus 100",
        "panel_review.reviewers_per_proposal": "hanya berlaku bila enabled: true",
        "calendar.public_benefit_rating": "wajib diisi bila penilaian kebermanfaatan diaktifkan",
    }


def test_exclusion_rules_are_checked_by_type(data):
    data["exclusion_rules"] = {
        "winner_tier_held": {"type": "held_tier_level", "level": "champion"},
        "top99_twice": {"type": "tier_count_at_least", "tiers": ["top99"]},
        "old_winners": {"type": "held_tiers", "code": "winner_tier_held", "tiers": ["top45-2019"]},
        "mystery": {"type": "held_tier_level", "level": "winner"},
    }
    assert problems(data) == {
        "exclusion_rules.winner_tier_held.level": (
            "'champion' tidak dikenal; pilih salah satu: finalist, winner"
        ),
        "exclusion_rules.top99_twice.count": "wajib diisi",
        "exclusion_rules.old_winners.tiers[0]": (
            "harus berbentuk peringkat@tahun (mis. top45@2019), bukan 'top45-2019'"
        ),
        "exclusion_rules.mystery": (
            "kode alasan 'mystery' tidak dikenal; isi code dengan salah satu: "
            "age_below_minimum, age_unproven, incomplete, careless_content, duplicate_title, "
            "winner_tier_held, top99_twice, required_tier_missing, replication_link_missing, "
            "replication_source_not_eligible, category_mismatch, quota_exceeded, other"
        ),
    }


def test_groups_are_checked_against_categories_and_links(data):
    umum = data["groups"]["umum"]
    umum["age_exceptions"] = [{"category": "pandemi", "min_age_months": 12}]
    umum["replication_link"] = "sometimes"
    del data["groups"]["replikasi"]["replication_sources"]
    umum["quota_per_institution"] = 0
    assert problems(data) == {
        "groups.umum.quota_per_institution": "harus ≥ 1, bukan 0",
        "groups.umum.age_exceptions[0].category": "kategori 'pandemi' tidak ada",
        "groups.umum.replication_link": (
            "'sometimes' tidak dikenal; pilih salah satu: required, forbidden, optional"
        ),
        "groups.replikasi.replication_sources": "wajib diisi bila replication_link: required",
    }


def test_composition_values_are_checked_per_stratum(data):
    data["composition"]["constraints"] = [
        {"stratum": "institution_type", "values": ["kementerian"], "min": 1},
        {"stratum": "province_local", "value": 35, "max": 5},
        {"stratum": "category", "value": "AC9", "min": 3, "max": 2},
        {"stratum": "group", "value": "umum"},
    ]
    del data["composition"]["region_3t_list"]
    data["composition"]["constraints"].append({"stratum": "region_3t", "value": True, "min": 3})
    data["composition"]["applies_to"] = ["finalis_2025"]
    assert problems(data) == {
        "composition.applies_to[0]": "peringkat 'finalis_2025' tidak berukuran (size kosong)",
        "composition.constraints[0].values": (
            "jenis instansi 'kementerian' tidak dikenal; pilih: ministry, agency, province, "
            "regency, city, state_enterprise, regional_enterprise"
        ),
        "composition.constraints[1].value": (
            "kode provinsi harus dua angka dalam tanda kutip (mis. '35'), bukan 35"
        ),
        "composition.constraints[2].value": "kategori 'AC9' tidak ada di categories",
        "composition.constraints[2]": "min 3 lebih besar dari max 2",
        "composition.constraints[3]": "isi min atau max",
        "composition.region_3t_list": "wajib diisi bila ada batasan region_3t",
    }


def test_extensions_must_be_later_and_carry_a_letter_number(data):
    data["calendar"]["extensions"] = [
        {"new_close": "2025-06-01T23:59", "letter_no": "188/2025", "date": date(2025, 5, 30)}
    ]
    assert problems(data) == {
        "calendar.extensions[0].letter_no": (
            r"nomor surat '188/2025' tidak sesuai pola ^B/\d+/PP\.00\.05/\d{4}$"
        ),
        "calendar.extensions[0].new_close": (
            "penutupan baru 2025-06-01T23:59:59+07:00 harus setelah 2025-06-03T23:59:59+07:00"
        ),
    }


def test_an_extension_must_still_end_before_the_admin_selection(data):
    data["calendar"]["extensions"] = [
        {
            "new_close": "2025-06-10T23:59",
            "letter_no": "B/1/PP.00.05/2025",
            "date": date(2025, 6, 3),
        }
    ]
    assert problems(data) == {
        "calendar.admin_selection": (
            "seleksi administrasi mulai 2025-06-04, sebelum pendaftaran selesai 2025-06-10; "
            "jadwal harus berurutan"
        )
    }


def test_unknown_and_missing_keys_and_wrong_kinds(data):
    del data["tiers"]
    data["flavour"] = "vanilla"
    data["conflicts"] = ["same_institution", "same_institution", "same_city"]
    data["desk_evaluation"]["tie_breakers"] = ["section_mean:Signifikansi", "coin_toss"]
    data["announcement"]["number_regex"] = "B/(unclosed"
    found = problems(data)
    assert found["tiers"] == "wajib diisi"
    assert found["flavour"].startswith("kunci 'flavour' tidak dikenal")
    assert found["conflicts[1]"] == "aturan konflik 'same_institution' disebut dua kali"
    assert found["conflicts[2]"].startswith("aturan konflik 'same_city' tidak ada")
    assert found["desk_evaluation.tie_breakers[0]"] == (
        "kode 'Signifikansi' harus huruf kecil, angka dan garis bawah, diawali huruf"
    )
    assert found["desk_evaluation.tie_breakers[1]"].startswith("'coin_toss' tidak dikenal")
    assert found["announcement.number_regex"].startswith("regex tidak sah")
    # The finalist tier and composition are not re-reported as unknown when tiers is missing.
    assert not any(path.startswith(("finalists", "composition")) for path in found)


def test_not_a_mapping_at_the_root():
    assert [str(p) for p in validate_rules(["kipp"])] == [
        "(akar): harus berupa pemetaan (kunci: nilai), bukan daftar"
    ]


def test_the_rules_are_frozen():
    rules = load_rules(KIPP_2025)
    with pytest.raises(AttributeError):
        rules.code = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        rules.groups["khusus"] = rules.groups["umum"]  # type: ignore[index]


def test_a_copy_with_a_2022_age_exception_is_valid(data):
    changed = copy.deepcopy(data)
    changed["categories"].append({"code": "pandemi", "label": "Penanganan pandemi"})
    changed["groups"]["umum"]["age_exceptions"] = [{"category": "pandemi", "min_age_months": 12}]
    rules = rules_from(changed)
    assert rules.group("umum").min_age_for("pandemi") == 12
    assert rules.group("umum").min_age_for("AC1") == 24


def test_holidays_are_a_list_of_dates(data):
    data["holidays"] = ["2025-08-18", "17 Agustus"]
    assert "holidays[1]" in problems(data)
    data["holidays"] = ["2025-08-18"]
    assert problems(data) == {}
