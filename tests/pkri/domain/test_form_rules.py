"""Form validation (pkri.md §6; acceptance example B2)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from prima.pkri.domain.form_rules import WIB, FormContext, form_problems, window_problem

CTX = FormContext(
    edition_year=2024,
    award_year=2019,
    today=dt.date(2024, 5, 20),
    lookback=(2021, 2023),
    running_since_default=dt.date(2018, 3, 1),
    source_years=(2014, 2023),
)
WINDOW = (dt.date(2024, 4, 29), dt.date(2024, 6, 11))


def sustainability() -> dict[str, Any]:
    """A complete, valid sustainability form of a 2019 Top object."""
    return {
        "still_running": True,
        "running_since": "2018-03-01",
        "interruptions": [{"from": "2020-04-01", "to": "2020-06-30", "reason": "Pandemi"}],
        "improvements": [
            {"year": 2021, "type": "feature", "description": "Fitur antrean daring", "evidence": 7}
        ],
        "coverage_expanded": True,
        "coverage_description": "Diperluas ke 12 kecamatan",
        "beneficiaries": [
            {"year": year, "count": 1000 + year, "measure": "people", "source": "SIMPUS"}
            for year in range(2019, 2024)
        ],
        "budget": [
            {"year": 2021, "source": "APBD", "line": "Program pelayanan", "amount": 150_000_000},
            {"year": 2022, "source": "APBD", "line": "Program pelayanan", "amount": 175_000_000},
            {"year": 2023, "source": "none", "line": "", "amount": 0},
        ],
        "legal_basis": [
            {
                "type": "perkada",
                "number": "12/2020",
                "date": "2020-02-03",
                "title": "Peraturan Wali Kota tentang layanan",
                "file": 3,
            }
        ],
        "sop": {"exists": True, "number": "SOP/01", "date": "2020-01-05", "file": 4},
        "team_decree": {"exists": False, "number": "", "date": None, "file": None},
        "latest_evaluation": None,
        "replications": [
            {
                "institution": 55,
                "unit": "Dinas Kesehatan",
                "start_date": "2022-08-01",
                "scope": "partial",
                "differences": "Hanya di dua puskesmas",
                "evidence": None,
            }
        ],
        "evidence": [7],
        "video_url": "https://youtu.be/contoh",
        "contact": {
            "name": "Rina",
            "position": "Kepala Seksi",
            "email": "rina@payakumbuhkota.go.id",
        },
        "declaration": True,
        "declaration_file": 9,
    }


def replication() -> dict[str, Any]:
    data = sustainability()
    data["onward_replications"] = data.pop("replications")
    data.update(
        {
            "original_innovation": 101,
            "replication_started": "2021-07-01",
            "scope": "full",
            "adaptation_steps": "Menyesuaikan formulir dengan data kependudukan setempat.",
            "differentiators": "Sasaran pelaku UMKM desa",
            "relationship": ["study_visit", "mentoring"],
            "beneficiaries": [
                {"year": year, "count": 200, "measure": "businesses", "source": "Dinas"}
                for year in (2021, 2022, 2023)
            ],
            "improvements": [
                {"year": 2022, "type": "process", "description": "Alur ringkas", "evidence": None}
            ],
        }
    )
    return data


def coaching() -> dict[str, Any]:
    return {
        "coaching_policy": [
            {
                "type": "perkada",
                "number": "5/2021",
                "date": "2021-03-01",
                "title": "Pembinaan inovasi daerah",
                "file": 11,
            }
        ],
        "in_strategic_plan": True,
        "strategic_plan_ref": "RPJMD 2021-2026",
        "coaching_team": {"name": "Tim Inovasi Daerah", "decree_number": "SK 10/2021", "file": 12},
        "creation_programmes": [
            {"year": 2022, "name": "Klinik ide", "kind": "idea_clinic", "participants": 40}
        ],
        "internal_competition": [
            {
                "year": 2021,
                "held": True,
                "decree_only": False,
                "entries": 30,
                "winners": 5,
                "file": 13,
            },
            {"year": 2022, "held": False, "decree_only": True, "entries": None, "winners": None},
            {"year": 2023, "held": True, "decree_only": False, "entries": 41, "winners": 6},
        ],
        "innovations_registered": [{"year": 2021, "kipp_registered": 4, "internal_registered": 20}],
        "development_activities": [{"year": 2022, "kind": "mentoring", "participants": 15}],
        "replication_facilitation": [
            {
                "year": 2023,
                "original_innovation": 5,
                "partner": "Kab. Agam",
                "direction": "out",
                "evidence": 14,
            }
        ],
        "institutionalisation_programmes": [
            {"year": 2023, "kind": "sop_adoption", "innovations": [5, 6], "evidence": None}
        ],
        "coaching_budget": [
            {"year": 2021, "amount": 0},
            {"year": 2022, "amount": 50_000_000},
            {"year": 2023, "amount": 75_000_000},
        ],
        "inventory_kept": True,
        "inventory_ref": "Basis data inovasi daerah",
        "innovator_incentives": False,
        "incentives_ref": "",
        "evidence": [],
        "declaration": True,
        "declaration_file": 15,
    }


def codes(kind: str, data: dict[str, Any], ctx: FormContext = CTX) -> set[tuple[str, str]]:
    return {(p.code, p.field) for p in form_problems(kind, data, ctx)}


@pytest.mark.parametrize(
    ("kind", "make"),
    [("sustainability", sustainability), ("replication", replication), ("coaching", coaching)],
)
def test_a_complete_form_has_no_problems(kind: str, make: Any) -> None:
    assert form_problems(kind, make(), CTX) == []


# --------------------------------------------------------------------------- B2


def test_b2_not_running_without_stopped_on_is_stopped_on_required() -> None:
    data = sustainability()
    data.update(still_running=False, stop_reason="budget")

    problems = form_problems("sustainability", data, CTX)

    assert [(p.code, p.field) for p in problems] == [("stopped_on_required", "stopped_on")]
    assert problems[0].message  # an Indonesian sentence for the form field


def test_b2_beneficiary_gap_lists_the_missing_years() -> None:
    data = sustainability()
    data["beneficiaries"] = [
        {"year": 2019, "count": 1200, "measure": "people", "source": "SIMPUS"},
        {"year": 2023, "count": 2100, "measure": "people", "source": "SIMPUS"},
    ]

    problems = form_problems("sustainability", data, CTX)

    assert [(p.code, p.field) for p in problems] == [
        ("beneficiaries_missing_years", "beneficiaries")
    ]
    assert "2020, 2021, 2022" in problems[0].message


def test_b2_negative_budget_amount_is_amount_negative_at_its_row() -> None:
    data = sustainability()
    data["budget"][2] = {"year": 2023, "source": "APBD", "line": "Kegiatan", "amount": -5_000_000}

    problems = form_problems("sustainability", data, CTX)

    assert [(p.code, p.field) for p in problems] == [("amount_negative", "budget.2.amount")]
    assert "-5.000.000" in problems[0].message


def test_b2_submitting_at_midnight_after_the_last_day_is_window_closed() -> None:
    closed = window_problem(dt.datetime(2024, 6, 12, 0, 0, tzinfo=WIB), WINDOW)

    assert closed is not None
    assert closed.code == "window_closed"
    assert "11 Juni 2024" in closed.message


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2024, 4, 29, 0, 0, tzinfo=WIB),
        dt.datetime(2024, 6, 11, 23, 59, 59, tzinfo=WIB),
        dt.datetime(2024, 6, 11, 16, 59, 59, tzinfo=dt.UTC),  # 23:59:59 WIB
        dt.datetime(2024, 6, 11, 23, 0),  # naive = WIB
    ],
)
def test_window_is_inclusive_of_both_days_in_wib(moment: dt.datetime) -> None:
    assert window_problem(moment, WINDOW) is None


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2024, 4, 28, 23, 59, 59, tzinfo=WIB),
        dt.datetime(2024, 6, 11, 17, 0, tzinfo=dt.UTC),  # 00:00 WIB on 12 June
    ],
)
def test_window_is_closed_outside_it(moment: dt.datetime) -> None:
    problem = window_problem(moment, WINDOW)
    assert problem is not None and problem.code == "window_closed"


# --------------------------------------------------------------------------- other rules


def test_stopped_on_must_lie_between_running_since_and_today() -> None:
    data = sustainability()
    data.update(still_running=False, stop_reason="need_ended", stopped_on="2017-12-31")
    assert codes("sustainability", data) == {("stopped_on_out_of_range", "stopped_on")}

    data["stopped_on"] = "2024-05-21"  # the day after today
    assert codes("sustainability", data) == {("stopped_on_out_of_range", "stopped_on")}

    data["stopped_on"] = "2023-01-31"
    assert codes("sustainability", data) == set()


def test_not_running_needs_a_stop_reason() -> None:
    data = sustainability()
    data.update(still_running=False, stopped_on="2023-01-31")
    assert codes("sustainability", data) == {("stop_reason_required", "stop_reason")}


def test_stop_fields_are_not_allowed_while_running() -> None:
    data = sustainability()
    data["stopped_on"] = "2023-01-31"
    assert codes("sustainability", data) == {("not_applicable", "stopped_on")}


def test_stop_reason_text_is_limited_to_150_words() -> None:
    data = sustainability()
    data.update(
        still_running=False,
        stopped_on="2023-01-31",
        stop_reason="other",
        stop_reason_text=" ".join(["kata"] * 151),
    )
    problems = form_problems("sustainability", data, CTX)
    assert [(p.code, p.field) for p in problems] == [("too_many_words", "stop_reason_text")]
    assert "151" in problems[0].message


def test_words_are_counted_like_kipp_answers() -> None:
    data = sustainability()
    # 150 words plus punctuation-only tokens, which do not count (kipp.md §7.3).
    data["improvements"][0]["description"] = " ".join(["KTP-el"] * 150) + " — %"
    assert codes("sustainability", data) == set()


def test_mixed_beneficiary_measures_are_rejected() -> None:
    data = sustainability()
    data["beneficiaries"][1]["measure"] = "households"
    assert codes("sustainability", data) == {("measure_mixed", "beneficiaries")}


def test_other_measure_needs_the_same_text_in_every_row() -> None:
    data = sustainability()
    for row in data["beneficiaries"]:
        row.update(measure="other", measure_other="Kunjungan")
    assert codes("sustainability", data) == set()

    data["beneficiaries"][0]["measure_other"] = "Pasien"
    assert codes("sustainability", data) == {("measure_mixed", "beneficiaries")}

    data["beneficiaries"][0]["measure_other"] = ""
    assert ("required", "beneficiaries.0.measure_other") in codes("sustainability", data)


def test_beneficiary_year_of_the_edition_is_not_a_full_year() -> None:
    data = sustainability()
    data["beneficiaries"].append(
        {"year": 2024, "count": 10, "measure": "people", "source": "SIMPUS"}
    )
    assert codes("sustainability", data) == {("year_out_of_range", "beneficiaries.5.year")}


def test_budget_needs_each_of_the_last_three_full_years() -> None:
    data = sustainability()
    del data["budget"][1]
    problems = form_problems("sustainability", data, CTX)
    assert [(p.code, p.field) for p in problems] == [("budget_years_missing", "budget")]
    assert "2022" in problems[0].message


def test_budget_source_none_means_amount_zero() -> None:
    data = sustainability()
    data["budget"][2]["amount"] = 10
    assert codes("sustainability", data) == {("amount_not_zero", "budget.2.amount")}

    del data["budget"][2]["amount"]  # none without an amount is fine
    assert codes("sustainability", data) == set()


def test_improvement_year_must_lie_between_award_and_edition_year() -> None:
    data = sustainability()
    data["improvements"][0]["year"] = 2018
    assert codes("sustainability", data) == {("year_out_of_range", "improvements.0.year")}
    data["improvements"][0]["year"] = 2025
    assert codes("sustainability", data) == {("year_out_of_range", "improvements.0.year")}


def test_existing_sop_or_team_decree_needs_its_file() -> None:
    data = sustainability()
    data["sop"]["file"] = None
    data["team_decree"] = {"exists": True, "number": "SK 1", "date": "2021-01-01", "file": None}
    assert codes("sustainability", data) == {
        ("file_required", "sop.file"),
        ("file_required", "team_decree.file"),
    }


def test_declaration_and_its_signed_file_are_required_to_submit() -> None:
    data = sustainability()
    data["declaration"] = False
    data["declaration_file"] = None
    assert codes("sustainability", data) == {
        ("declaration_required", "declaration"),
        ("file_required", "declaration_file"),
    }


def test_a_changed_running_since_needs_evidence() -> None:
    data = sustainability()
    data.update(running_since="2017-01-01", evidence=[])
    assert codes("sustainability", data) == {("evidence_required", "running_since")}


def test_running_since_falls_back_to_the_prefilled_date() -> None:
    data = sustainability()
    del data["running_since"]
    assert codes("sustainability", data) == set()

    no_default = FormContext(**{**CTX.__dict__, "running_since_default": None})
    assert codes("sustainability", data, no_default) == {("required", "running_since")}


def test_empty_form_reports_every_required_answer_at_once() -> None:
    found = codes("sustainability", {})
    assert {
        ("required", "still_running"),
        ("required", "coverage_expanded"),
        ("beneficiaries_missing_years", "beneficiaries"),
        ("budget_years_missing", "budget"),
        ("required", "sop"),
        ("required", "team_decree"),
        ("required", "contact"),
        ("declaration_required", "declaration"),
        ("file_required", "declaration_file"),
    } <= found


def test_wrongly_typed_values_are_invalid_not_crashes() -> None:
    data = sustainability()
    data.update(still_running="ya", beneficiaries="banyak", budget=[5])
    data["contact"]["email"] = "bukan surel"
    found = codes("sustainability", data)
    assert ("invalid", "still_running") in found
    assert ("invalid", "beneficiaries") in found
    assert ("invalid", "budget.0") in found
    assert ("invalid_email", "contact.email") in found


# --------------------------------------------------------------------------- replication


def test_replication_form_requires_its_own_fields() -> None:
    data = replication()
    for key in ("original_innovation", "replication_started", "scope", "adaptation_steps"):
        del data[key]
    data["relationship"] = []
    assert {
        ("required", "original_innovation"),
        ("required", "replication_started"),
        ("required", "scope"),
        ("required", "adaptation_steps"),
        ("required", "relationship"),
    } <= codes("replication", data)


def test_replication_beneficiaries_start_at_the_replica_start_year() -> None:
    data = replication()
    data["beneficiaries"] = data["beneficiaries"][1:]  # 2021 missing
    problems = form_problems("replication", data, CTX)
    assert [(p.code, p.field) for p in problems] == [
        ("beneficiaries_missing_years", "beneficiaries")
    ]
    assert "2021" in problems[0].message


def test_replication_relationship_none_stands_alone() -> None:
    data = replication()
    data["relationship"] = ["none", "agreement"]
    assert codes("replication", data) == {("relationship_none_exclusive", "relationship")}


def test_replication_text_limits() -> None:
    data = replication()
    data["adaptation_steps"] = " ".join(["langkah"] * 201)
    data["differentiators"] = " ".join(["beda"] * 101)
    data["onward_replications"][0]["differences"] = " ".join(["x1"] * 101)
    assert codes("replication", data) == {
        ("too_many_words", "adaptation_steps"),
        ("too_many_words", "differentiators"),
        ("too_many_words", "onward_replications.0.differences"),
    }


# --------------------------------------------------------------------------- coaching


def test_coaching_per_lookback_year_answers_cover_each_year_once() -> None:
    data = coaching()
    data["internal_competition"][2]["year"] = 2020
    data["coaching_budget"].append({"year": 2022, "amount": 1})
    assert codes("coaching", data) == {
        ("year_out_of_range", "internal_competition.2.year"),
        ("lookback_years_missing", "internal_competition"),
        ("duplicate_year", "coaching_budget.3.year"),
    }


def test_coaching_amounts_and_counts_are_not_negative() -> None:
    data = coaching()
    data["coaching_budget"][0]["amount"] = -1
    data["development_activities"][0]["participants"] = -3
    assert codes("coaching", data) == {
        ("amount_negative", "coaching_budget.0.amount"),
        ("count_negative", "development_activities.0.participants"),
    }


def test_coaching_competition_winners_cannot_exceed_entries() -> None:
    data = coaching()
    data["internal_competition"][0]["winners"] = 31
    assert codes("coaching", data) == {("winners_exceed_entries", "internal_competition.0.winners")}


def test_coaching_references_are_required_when_answered_yes() -> None:
    data = coaching()
    data.update(strategic_plan_ref="", innovator_incentives=True)
    assert codes("coaching", data) == {
        ("required", "strategic_plan_ref"),
        ("required", "incentives_ref"),
    }


def test_coaching_declaration_required() -> None:
    data = coaching()
    data["declaration"] = None
    assert codes("coaching", data) == {("declaration_required", "declaration")}


def test_problems_do_not_change_the_data() -> None:
    data = coaching()
    before = copy.deepcopy(data)
    form_problems("coaching", data, CTX)
    assert data == before


def test_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown form kind"):
        form_problems("competition", {}, CTX)
