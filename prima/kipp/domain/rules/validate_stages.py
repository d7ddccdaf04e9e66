"""Validation of the evaluation stages (§10, §11, §13) and the final score weights."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast

from prima.kipp.domain.rules._check import _Check, _Known, _options, _show
from prima.kipp.domain.rules.constants import (
    AGGREGATIONS,
    ASSESSMENT_KINDS,
    MISSING_COMPONENT_POLICIES,
    NORMALISATION_METHODS,
    OBJECTION_AFTER,
    POOLS,
    SECTION_MEAN,
    SELECTION_MODES,
    TIE_BREAKERS,
)


def _check_desk(check: _Check, value: object, known: _Known) -> None:
    path = "desk_evaluation"
    keys = (
        "score_scale",
        "evaluators_per_proposal",
        "load",
        "aggregation",
        "disagreement_range",
        "normalisation",
        "selection",
        "tie_breakers",
    )
    desk = check.mapping(value, path, keys)
    if desk is None:
        return
    scale = None
    if "score_scale" in desk:
        scale = _check_scale(check, desk["score_scale"], f"{path}.score_scale")
    if "evaluators_per_proposal" in desk:
        check.integer(desk["evaluators_per_proposal"], f"{path}.evaluators_per_proposal", 1)
    if "load" in desk:
        load = check.mapping(desk["load"], f"{path}.load", ("min", "max"))
        low = check.integer(load["min"], f"{path}.load.min") if load and "min" in load else None
        high = None
        if load and "max" in load and load["max"] != "auto":
            if isinstance(load["max"], str):
                check.add(
                    f"{path}.load.max", f"harus bilangan bulat atau 'auto', bukan {load['max']!r}"
                )
            else:
                high = check.integer(load["max"], f"{path}.load.max", 1)
        if low is not None and high is not None and low > high:
            check.add(f"{path}.load", f"min {low} lebih besar dari max {high}")
    if "aggregation" in desk:
        check.choice(desk["aggregation"], f"{path}.aggregation", AGGREGATIONS)
    if "disagreement_range" in desk:
        spread = check.number(desk["disagreement_range"], f"{path}.disagreement_range")
        if spread is not None and spread < 0:
            check.add(f"{path}.disagreement_range", "tidak boleh negatif")
    if "normalisation" in desk:
        npath = f"{path}.normalisation"
        block = check.mapping(
            desk["normalisation"], npath, ("method", "min_sample", "use_for_decisions")
        )
        if block and "method" in block:
            check.choice(block["method"], f"{npath}.method", NORMALISATION_METHODS)
        if block and "min_sample" in block:
            check.integer(block["min_sample"], f"{npath}.min_sample", 2)
        if block and "use_for_decisions" in block:
            check.boolean(block["use_for_decisions"], f"{npath}.use_for_decisions")
    if "selection" in desk:
        _check_selection(check, desk["selection"], f"{path}.selection", scale, known)
    if "tie_breakers" in desk:
        _check_tie_breakers(check, desk["tie_breakers"], f"{path}.tie_breakers")


def _check_scale(check: _Check, value: object, path: str) -> tuple[Decimal, Decimal] | None:
    bounds = check.items(value, path)
    if bounds is None:
        return None
    if len(bounds) != 2:
        check.add(path, f"harus [min, max], bukan {len(bounds)} nilai")
        return None
    low, high = check.number(bounds[0], f"{path}[0]"), check.number(bounds[1], f"{path}[1]")
    if low is None or high is None:
        return None
    if low >= high:
        check.add(path, f"min {_show(low)} harus lebih kecil dari max {_show(high)}")
        return None
    return low, high


def _check_selection(
    check: _Check,
    value: object,
    path: str,
    scale: tuple[Decimal, Decimal] | None,
    known: _Known,
) -> None:
    block = check.mapping(value, path, ("mode",), ("passing_grade", "n"))
    if block is None or "mode" not in block:
        return
    mode = check.choice(block["mode"], f"{path}.mode", SELECTION_MODES)
    if mode is None:
        return
    wanted, other = ("passing_grade", "n") if mode == "threshold" else ("n", "passing_grade")
    if wanted not in block:
        check.add(f"{path}.{wanted}", f"wajib diisi untuk mode {mode}")
    if other in block:
        check.add(f"{path}.{other}", f"tidak berlaku untuk mode {mode}")
    if mode == "threshold" and "passing_grade" in block:
        grade = check.number(block["passing_grade"], f"{path}.passing_grade")
        if grade is not None and scale is not None and not scale[0] <= grade <= scale[1]:
            check.add(
                f"{path}.passing_grade",
                f"{_show(grade)} di luar skala {_show(scale[0])}–{_show(scale[1])}",
            )
    if mode == "top_n" and "n" in block:
        counts = check.mapping(block["n"], f"{path}.n", closed=False)
        for group, n in (counts or {}).items():
            if known.groups is not None and group not in known.groups:
                check.add(f"{path}.n.{group}", f"kelompok {_show(group)} tidak ada di groups")
            check.integer(n, f"{path}.n.{group}", 1)
        if counts is not None:
            for group in known.groups or ():
                if group not in counts:
                    check.add(f"{path}.n", f"kelompok {group!r} tidak diberi n")


def _check_tie_breakers(check: _Check, value: object, path: str) -> None:
    entries = check.items(value, path, non_empty=False)
    seen: list[str] = []
    for index, entry in enumerate(entries or ()):
        ipath = f"{path}[{index}]"
        if isinstance(entry, str) and entry.startswith(SECTION_MEAN):
            check.code(entry[len(SECTION_MEAN) :], ipath)
        elif entry not in TIE_BREAKERS:
            check.add(
                ipath,
                f"{_show(entry)} tidak dikenal; pilih {SECTION_MEAN}<bagian>, "
                f"{_options(TIE_BREAKERS)}",
            )
            continue
        if entry in seen:
            check.add(ipath, f"{entry!r} disebut dua kali")
        seen.append(entry)


def _check_rubric(check: _Check, value: object, path: str) -> None:
    rubric = check.mapping(value, path, closed=False)
    if rubric is None:
        return
    if not rubric:
        check.add(path, "rubrik tidak boleh kosong")
        return
    total: Decimal | None = Decimal(0)
    for code, raw in rubric.items():
        check.code(code, f"{path}.{code}")
        weight = check.number(raw, f"{path}.{code}")
        if weight is not None and weight < 0:
            check.add(f"{path}.{code}", "bobot tidak boleh negatif")
            weight = None
        total = None if weight is None or total is None else total + weight
    if total is not None and total != 100:
        check.add(path, f"bobot berjumlah {_show(total)}, harus 100")


def _check_stages(check: _Check, root: Mapping[str, Any], known: _Known) -> None:
    """The on/off stages: panel review, objections, assessment, presentation, rating."""
    enabled = cast(dict[str, bool], known.enabled)
    if "panel_review" in root:
        path = "panel_review"
        block = check.enabled(root[path], path, ("reviewers_per_proposal",), ("pools",))
        if block is not None and "reviewers_per_proposal" in block:
            check.integer(block["reviewers_per_proposal"], f"{path}.reviewers_per_proposal", 1)
        if block is not None and "pools" in block:
            check.choice(block["pools"], f"{path}.pools", POOLS)
        enabled["panel_review"] = block is not None
    if "objection_window" in root:
        path = "objection_window"
        block = check.mapping(root[path], path, ("after", "days"), ("enabled",))
        if block is not None:
            if "enabled" in block:
                check.boolean(block["enabled"], f"{path}.enabled")
            if "after" in block:
                check.choice(block["after"], f"{path}.after", OBJECTION_AFTER)
            if "days" in block:
                check.integer(block["days"], f"{path}.days", 1)
    if "panel_assessment" in root:
        path = "panel_assessment"
        block = check.enabled(
            root[path], path, ("kind", "reviewers_per_proposal", "pools", "rubric")
        )
        if block is not None:
            if "kind" in block:
                check.choice(block["kind"], f"{path}.kind", ASSESSMENT_KINDS)
            if "reviewers_per_proposal" in block:
                check.integer(block["reviewers_per_proposal"], f"{path}.reviewers_per_proposal", 1)
            if "pools" in block:
                check.choice(block["pools"], f"{path}.pools", POOLS)
            if "rubric" in block:
                _check_rubric(check, block["rubric"], f"{path}.rubric")
        enabled["panel_assessment"] = block is not None
    if "presentation" in root:
        path = "presentation"
        block = check.enabled(root[path], path, ("minutes", "rubric"))
        if block is not None:
            if "minutes" in block:
                minutes = check.mapping(block["minutes"], f"{path}.minutes", ("talk", "interview"))
                for key in ("talk", "interview"):
                    if minutes and key in minutes:
                        check.integer(minutes[key], f"{path}.minutes.{key}", 1)
            if "rubric" in block:
                _check_rubric(check, block["rubric"], f"{path}.rubric")
        enabled["presentation"] = block is not None
    if "field_verification" in root:
        check.enabled(root["field_verification"], "field_verification", ())
    if "public_benefit_rating" in root:
        path = "public_benefit_rating"
        block = check.enabled(root[path], path, ("min_valid_ratings", "daily_cap"))
        if block is not None:
            for key in ("min_valid_ratings", "daily_cap"):
                if key in block:
                    check.integer(block[key], f"{path}.{key}", 1)
            if known.calendar is not None and "public_benefit_rating" not in known.calendar:
                check.add(
                    "calendar.public_benefit_rating",
                    "wajib diisi bila penilaian kebermanfaatan diaktifkan",
                )
        enabled["public_benefit"] = block is not None


def _check_final_score(check: _Check, value: object, known: _Known) -> None:
    path = "final_score"
    block = check.mapping(value, path, ("components", "missing_component"))
    if block is None:
        return
    if "missing_component" in block:
        check.choice(
            block["missing_component"], f"{path}.missing_component", MISSING_COMPONENT_POLICIES
        )
    if "components" not in block:
        return
    components = check.mapping(block["components"], f"{path}.components", closed=False)
    if components is None:
        return
    if not components:
        check.add(f"{path}.components", "minimal satu komponen")
        return
    enabled = dict(known.enabled or {}, desk=True)
    total: Decimal | None = Decimal(0)
    for name, raw in components.items():
        cpath = f"{path}.components.{name}"
        if name not in enabled:
            check.add(
                cpath,
                f"komponen {_show(name)} tidak dikenal atau tahapnya bermasalah; "
                "yang dikenal: desk, panel_review, panel_assessment, presentation, public_benefit",
            )
        elif not enabled[name]:
            check.add(cpath, f"tahap {name!r} tidak diaktifkan (enabled: false)")
        weight = check.number(raw, cpath)
        if weight is not None and not 0 < weight <= 1:
            check.add(cpath, f"bobot harus > 0 dan ≤ 1, bukan {_show(weight)}")
            weight = None
        total = None if weight is None or total is None else total + weight
    if total is not None and total != 1:
        check.add(f"{path}.components", f"bobot berjumlah {_show(total)}, harus 1")
