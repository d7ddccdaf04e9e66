"""Save-time validation of an edition's plain data (§6): every problem with its path.

:func:`validate_rules` walks the blocks in dependency order; the larger blocks are checked
in :mod:`.validate_groups`, :mod:`.validate_calendar`, :mod:`.validate_stages` and
:mod:`.validate_tiers`.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from prima.evaluation.domain.yamlcheck import ROOT, Problem
from prima.kipp.domain.rules._check import _Check, _Known, _show
from prima.kipp.domain.rules.constants import (
    AGE_REFERENCES,
    ALL_GROUPS,
    ATTACHMENT_KINDS,
    CONFLICT_RULES,
    DUPLICATE_TITLE_POLICIES,
    EDITION_CODE_RE,
    EXTRA_FORMS,
    FILE_TYPES,
    PROGRAMME,
)
from prima.kipp.domain.rules.validate_calendar import _check_calendar
from prima.kipp.domain.rules.validate_groups import (
    _check_categories,
    _check_exclusion_rules,
    _check_groups,
)
from prima.kipp.domain.rules.validate_stages import _check_desk, _check_final_score, _check_stages
from prima.kipp.domain.rules.validate_tiers import (
    _check_composition,
    _check_finalists,
    _check_tiers,
)

_TOP_REQUIRED = (
    "edition",
    "calendar",
    "eligibility",
    "groups",
    "categories",
    "attachments",
    "proposal_sections",
    "desk_evaluation",
    "conflicts",
    "panel_review",
    "finalists",
    "objection_window",
    "panel_assessment",
    "presentation",
    "field_verification",
    "public_benefit_rating",
    "final_score",
    "tiers",
    "announcement",
)


_TOP_OPTIONAL = ("exclusion_rules", "extra_forms", "composition", "holidays")


def validate_rules(data: object) -> list[Problem]:
    """Every problem of an edition's plain data (§6 save-time validation); [] when valid."""
    check = _Check()
    root = check.mapping(data, ROOT, _TOP_REQUIRED, _TOP_OPTIONAL)
    if root is None:
        return check.problems
    known = _Known(enabled={})
    if "announcement" in root:
        _check_announcement(check, root["announcement"], known)
    if "edition" in root:
        _check_edition(check, root["edition"])
    if "categories" in root:
        _check_categories(check, root["categories"], known)
    known.exclusions = (
        _check_exclusion_rules(check, root["exclusion_rules"]) if "exclusion_rules" in root else ()
    )
    if "groups" in root:
        _check_groups(check, root["groups"], known)
    if "tiers" in root:
        _check_tiers(check, root["tiers"], known)
    if "eligibility" in root:
        _check_eligibility(check, root["eligibility"])
    if "attachments" in root:
        _check_attachments(check, root["attachments"], known)
    if "extra_forms" in root:
        check.codes(root["extra_forms"], "extra_forms", EXTRA_FORMS, "formulir", empty=True)
    if "proposal_sections" in root:
        check.code(root["proposal_sections"], "proposal_sections", EDITION_CODE_RE)
    if "calendar" in root:
        _check_calendar(check, root["calendar"], known)
    if "desk_evaluation" in root:
        _check_desk(check, root["desk_evaluation"], known)
    if "conflicts" in root:
        check.codes(root["conflicts"], "conflicts", CONFLICT_RULES, "aturan konflik", empty=True)
    _check_stages(check, root, known)
    if "finalists" in root:
        _check_finalists(check, root["finalists"], known)
    if "final_score" in root:
        _check_final_score(check, root["final_score"], known)
    if "composition" in root:
        _check_composition(check, root["composition"], known)
    if "holidays" in root:
        _check_holidays(check, root["holidays"])
    return check.problems


def _check_holidays(check: _Check, value: object) -> None:
    """Public holidays skipped when scheduling presentations: a list of dates."""
    if not isinstance(value, list):
        check.add("holidays", "harus berupa daftar tanggal (YYYY-MM-DD)")
        return
    for index, item in enumerate(value):
        if isinstance(item, date) and not isinstance(item, datetime):
            continue
        if isinstance(item, str):
            try:
                date.fromisoformat(item)
                continue
            except ValueError:
                pass
        check.add(f"holidays[{index}]", f"{item!r} bukan tanggal (YYYY-MM-DD)")


def _check_announcement(check: _Check, value: object, known: _Known) -> None:
    block = check.mapping(value, "announcement", ("number_regex",))
    if block is None or "number_regex" not in block:
        return
    pattern = check.text(block["number_regex"], "announcement.number_regex")
    if pattern is None:
        return
    try:
        known.number_regex = re.compile(pattern)
    except re.error as error:
        check.add("announcement.number_regex", f"regex tidak sah: {error}")


def _check_edition(check: _Check, value: object) -> None:
    path = "edition"
    edition = check.mapping(
        value, path, ("programme", "code", "year", "ordinal", "legal_refs"), ("theme",)
    )
    if edition is None:
        return
    if "programme" in edition and edition["programme"] != PROGRAMME:
        check.add(f"{path}.programme", f"harus {PROGRAMME!r}, bukan {_show(edition['programme'])}")
    if "code" in edition:
        check.code(edition["code"], f"{path}.code", EDITION_CODE_RE)
    if "year" in edition:
        check.integer(edition["year"], f"{path}.year", 2014)
    if "ordinal" in edition:
        check.integer(edition["ordinal"], f"{path}.ordinal", 1)
    if edition.get("theme") is not None:
        check.text(edition["theme"], f"{path}.theme")
    if "legal_refs" in edition:
        refs = check.items(edition["legal_refs"], f"{path}.legal_refs")
        for index, ref in enumerate(refs or ()):
            check.text(ref, f"{path}.legal_refs[{index}]")


def _check_eligibility(check: _Check, value: object) -> None:
    path = "eligibility"
    block = check.mapping(value, path, ("age_reference", "require_sdg", "duplicate_title"))
    if block is None:
        return
    if "age_reference" in block:
        check.choice(block["age_reference"], f"{path}.age_reference", AGE_REFERENCES)
    if "require_sdg" in block:
        check.boolean(block["require_sdg"], f"{path}.require_sdg")
    if "duplicate_title" in block:
        check.choice(block["duplicate_title"], f"{path}.duplicate_title", DUPLICATE_TITLE_POLICIES)


def _check_attachments(check: _Check, value: object, known: _Known) -> None:
    path = "attachments"
    block = check.mapping(value, path, ("file_types", "max_file_mb", "video", "required"))
    if block is None:
        return
    if "file_types" in block:
        check.codes(
            block["file_types"], f"{path}.file_types", FILE_TYPES, "jenis berkas", empty=False
        )
    if "max_file_mb" in block:
        size = check.number(block["max_file_mb"], f"{path}.max_file_mb")
        if size is not None and size <= 0:
            check.add(f"{path}.max_file_mb", f"harus > 0, bukan {_show(size)}")
    if "video" in block:
        video = check.mapping(block["video"], f"{path}.video", ("required",), ("max_minutes",))
        if video and "required" in video:
            check.boolean(video["required"], f"{path}.video.required")
        if video and video.get("max_minutes") is not None:
            check.integer(video["max_minutes"], f"{path}.video.max_minutes", 1)
    if "required" in block:
        required = check.mapping(block["required"], f"{path}.required", closed=False)
        for key, kinds in (required or {}).items():
            kpath = f"{path}.required.{key}"
            if key != ALL_GROUPS and known.groups is not None and key not in known.groups:
                check.add(kpath, f"harus {ALL_GROUPS!r} atau kode kelompok, bukan {_show(key)}")
            check.codes(kinds, kpath, ATTACHMENT_KINDS, "jenis lampiran", empty=True)
