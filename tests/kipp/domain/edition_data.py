"""Shared edition data for the KIPP domain tests: the shipped files and a 2023-like edition."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from prima.evaluation.domain.instruments import parse
from prima.kipp.domain.rules import EditionRules, RulesError, build_rules, validate_rules

ROOT = Path(__file__).resolve().parents[3]
KIPP_2025 = ROOT / "editions" / "kipp-2025.yaml"
KIPP_2021 = ROOT / "editions" / "kipp-2021.yaml"


def rules_from(data: dict) -> EditionRules:
    """Validate and build, as load_rules does for a file."""
    problems = validate_rules(data)
    if problems:
        raise RulesError(problems)
    return build_rules(data)


def like_2023(age_reference: str = "registration_close_effective") -> EditionRules:
    """The 2025 rules with the 2023 registration: close 2 May, extended to 6 May 23:59 (A1).

    Only the registration is on the calendar, so the public benefit rating (which needs
    its window) is off and its weight goes to the desk score.
    """
    data = parse(KIPP_2025)
    data["calendar"] = {
        "registration": {"open": "2023-03-01T00:00", "close": "2023-05-02T23:59"},
        "extensions": [
            {
                "new_close": "2023-05-06T23:59",
                "letter_no": "B/188/PP.00.05/2023",
                "date": date(2023, 5, 2),
            }
        ],
    }
    data["public_benefit_rating"] = {"enabled": False}
    data["final_score"]["components"] = {"desk": Decimal("0.7"), "panel_assessment": Decimal("0.3")}
    data["eligibility"]["age_reference"] = age_reference
    return rules_from(data)
