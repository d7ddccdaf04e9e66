"""Validation of the coaching form (pkri.md §6.3); called through ``form_rules.form_problems``.

Rows of "per lookback year" answers (internal competition, coaching budget) must cover
every lookback year exactly once; other yearly rows may not lie after the edition year.
``kipp_registered`` is filled by the system and only checked for shape.

Pure: no ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from prima.pkri.domain import form_values as v
from prima.pkri.domain.form_values import FormContext, FormProblem, Problems

RowCheck = Callable[[Problems, Mapping[str, Any], str], None]

POLICY_TYPES = ("surat_edaran", "sk_kepala", "perkada", "permen", "peraturan_lembaga", "other")
PROGRAMME_KINDS = ("internal_competition", "idea_clinic", "training", "innovation_lab", "other")
ACTIVITY_KINDS = ("mentoring", "proposal_clinic", "capacity_building", "benchmarking", "other")
DIRECTIONS = ("out", "in")
INSTITUTIONALISATION_KINDS = (
    "legal_umbrella",
    "sop_adoption",
    "plan_integration",
    "budgeting",
    "other",
)


def coaching_problems(data: Mapping[str, Any], ctx: FormContext) -> list[FormProblem]:
    """Every problem of a coaching form answer."""
    problems: Problems = []
    for where, row in v.read_rows(problems, data, "coaching_policy", "coaching_policy"):
        v.legal_row(problems, row, where, ctx.today, POLICY_TYPES)
    in_plan = v.read_bool(problems, data, "in_strategic_plan", "in_strategic_plan")
    v.read_text(problems, data, "strategic_plan_ref", "strategic_plan_ref", need=in_plan is True)
    team = v.read_object(problems, data, "coaching_team", "coaching_team", need=False)
    if team is not None:
        v.read_text(problems, team, "name", "coaching_team.name", need=False)
        decree = v.read_text(
            problems, team, "decree_number", "coaching_team.decree_number", need=False
        )
        if team.get("file") is not None:
            v.read_id(problems, team, "file", "coaching_team.file")
        elif decree:
            v.file_required(problems, "coaching_team.file")

    _yearly_rows(problems, data, ctx, "creation_programmes", _creation_row)
    _lookback_rows(problems, data, ctx, "internal_competition", _competition_row)
    _yearly_rows(problems, data, ctx, "innovations_registered", _registered_row)
    _yearly_rows(problems, data, ctx, "development_activities", _activity_row)
    _yearly_rows(problems, data, ctx, "replication_facilitation", _facilitation_row)
    _yearly_rows(problems, data, ctx, "institutionalisation_programmes", _institutionalisation_row)
    _lookback_rows(problems, data, ctx, "coaching_budget", _budget_row)

    for flag, ref in (
        ("inventory_kept", "inventory_ref"),
        ("innovator_incentives", "incentives_ref"),
    ):
        answered = v.read_bool(problems, data, flag, flag)
        v.read_text(problems, data, ref, ref, need=answered is True)
    v.closing_checks(problems, data)
    return problems


def _yearly_rows(
    problems: Problems, data: Mapping[str, Any], ctx: FormContext, key: str, check: RowCheck
) -> None:
    for where, row in v.read_rows(problems, data, key, key):
        v.read_year(
            problems, row, "year", v.path_of(where, "year"), first=None, last=ctx.edition_year
        )
        check(problems, row, where)


def _lookback_rows(
    problems: Problems, data: Mapping[str, Any], ctx: FormContext, key: str, check: RowCheck
) -> None:
    """One row per lookback year: years outside it, repeated or missing are problems."""
    first, last = ctx.lookback
    seen: set[int] = set()
    for where, row in v.read_rows(problems, data, key, key):
        year = v.read_year(problems, row, "year", v.path_of(where, "year"), first=first, last=last)
        if year is not None:
            if year in seen:
                v.duplicate_year(problems, year, v.path_of(where, "year"))
            seen.add(year)
        check(problems, row, where)
    missing = [year for year in range(first, last + 1) if year not in seen]
    if missing:
        problems.append(
            FormProblem(
                "lookback_years_missing",
                key,
                _("Isian belum lengkap untuk tahun %(years)s.") % {"years": v.years_text(missing)},
            )
        )


def _creation_row(problems: Problems, row: Mapping[str, Any], where: str) -> None:
    v.read_text(problems, row, "name", v.path_of(where, "name"))
    v.read_choice(problems, row, "kind", v.path_of(where, "kind"), PROGRAMME_KINDS)
    v.read_int(problems, row, "participants", v.path_of(where, "participants"))


def _competition_row(problems: Problems, row: Mapping[str, Any], where: str) -> None:
    held = v.read_bool(problems, row, "held", v.path_of(where, "held"))
    v.read_bool(problems, row, "decree_only", v.path_of(where, "decree_only"), need=False)
    if held is True and row.get("decree_only") is True:
        v.not_applicable(
            problems,
            v.path_of(where, "decree_only"),
            _("'Hanya ditetapkan' berlaku jika kompetisi tidak diselenggarakan."),
        )
    entries = v.read_int(problems, row, "entries", v.path_of(where, "entries"), need=held is True)
    winners = v.read_int(problems, row, "winners", v.path_of(where, "winners"), need=held is True)
    if entries is not None and winners is not None and winners > entries:
        problems.append(
            FormProblem(
                "winners_exceed_entries",
                v.path_of(where, "winners"),
                _("Jumlah pemenang tidak boleh melebihi jumlah peserta."),
            )
        )
    v.read_id(problems, row, "file", v.path_of(where, "file"))


def _registered_row(problems: Problems, row: Mapping[str, Any], where: str) -> None:
    v.read_int(problems, row, "kipp_registered", v.path_of(where, "kipp_registered"), need=False)
    v.read_int(problems, row, "internal_registered", v.path_of(where, "internal_registered"))


def _activity_row(problems: Problems, row: Mapping[str, Any], where: str) -> None:
    v.read_choice(problems, row, "kind", v.path_of(where, "kind"), ACTIVITY_KINDS)
    v.read_int(problems, row, "participants", v.path_of(where, "participants"))


def _facilitation_row(problems: Problems, row: Mapping[str, Any], where: str) -> None:
    v.read_id(problems, row, "original_innovation", v.path_of(where, "original_innovation"))
    v.read_text(problems, row, "partner", v.path_of(where, "partner"))
    v.read_choice(problems, row, "direction", v.path_of(where, "direction"), DIRECTIONS)
    v.read_id(problems, row, "evidence", v.path_of(where, "evidence"))


def _institutionalisation_row(problems: Problems, row: Mapping[str, Any], where: str) -> None:
    v.read_choice(problems, row, "kind", v.path_of(where, "kind"), INSTITUTIONALISATION_KINDS)
    v.read_ids(problems, row, "innovations", v.path_of(where, "innovations"))
    v.read_id(problems, row, "evidence", v.path_of(where, "evidence"))


def _budget_row(problems: Problems, row: Mapping[str, Any], where: str) -> None:
    v.read_int(problems, row, "amount", v.path_of(where, "amount"), negative_code="amount_negative")
