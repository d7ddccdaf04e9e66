"""Validation of who may enter: categories, exclusion rules and entry groups (§9)."""

from __future__ import annotations

from typing import Any

from prima.kipp.domain.rules._check import _Check, _Known, _options, _show
from prima.kipp.domain.rules.constants import (
    CATEGORY_CODE_RE,
    EXCLUSION_TYPES,
    LEVELS,
    REASON_CODES,
    REPLICATION_LINKS,
    TIER_AT_YEAR_RE,
)


def _check_categories(check: _Check, value: object, known: _Known) -> None:
    entries = check.items(value, "categories")
    if entries is None:
        return
    codes: list[str] = []
    complete = True
    for index, entry in enumerate(entries):
        path = f"categories[{index}]"
        item = check.mapping(entry, path, ("code", "label"))
        code = check.code(item["code"], f"{path}.code", CATEGORY_CODE_RE) if item else None
        if item and "label" in item:
            check.text(item["label"], f"{path}.label")
        if code is None:
            complete = False
        elif code in codes:
            check.add(f"{path}.code", f"kode {code!r} dipakai dua kali")
        else:
            codes.append(code)
    known.categories = tuple(codes) if complete else None


def _check_exclusion_rules(check: _Check, value: object) -> tuple[str, ...] | None:
    rules = check.mapping(value, "exclusion_rules", closed=False)
    if rules is None:
        return None
    for name, spec in rules.items():
        path = f"exclusion_rules.{name}"
        if check.code(name, path) is None:
            continue
        rule = check.mapping(spec, path, ("type",), ("code", "level", "tiers", "count"))
        if rule is None or "type" not in rule:
            continue
        kind = check.choice(rule["type"], f"{path}.type", EXCLUSION_TYPES)
        reason = rule.get("code", name)
        if reason not in REASON_CODES:
            where = f"{path}.code" if "code" in rule else path
            check.add(
                where,
                f"kode alasan {_show(reason)} tidak dikenal; isi code dengan salah satu: "
                f"{_options(REASON_CODES)}",
            )
        needed = {
            "held_tier_level": ("level",),
            "held_tiers": ("tiers",),
            "tier_count_at_least": ("tiers", "count"),
        }.get(kind or "", ())
        for key in ("level", "tiers", "count"):
            if key in rule and kind is not None and key not in needed:
                check.add(f"{path}.{key}", f"tidak berlaku untuk type {kind}")
        for key in needed:
            if key not in rule:
                check.add(f"{path}.{key}", "wajib diisi")
        if kind == "held_tier_level" and "level" in rule:
            check.choice(rule["level"], f"{path}.level", LEVELS)
        if kind == "held_tiers" and "tiers" in rule:
            entries = check.items(rule["tiers"], f"{path}.tiers")
            for index, entry in enumerate(entries or ()):
                if not isinstance(entry, str) or not TIER_AT_YEAR_RE.match(entry):
                    check.add(
                        f"{path}.tiers[{index}]",
                        f"harus berbentuk peringkat@tahun (mis. top45@2019), bukan {_show(entry)}",
                    )
        if kind == "tier_count_at_least":
            if "tiers" in rule:
                tiers = check.items(rule["tiers"], f"{path}.tiers")
                for index, entry in enumerate(tiers or ()):
                    check.code(entry, f"{path}.tiers[{index}]")
            if "count" in rule:
                check.integer(rule["count"], f"{path}.count", 1)
    return tuple(str(name) for name in rules)


def _check_groups(check: _Check, value: object, known: _Known) -> None:
    groups = check.mapping(value, "groups", closed=False)
    if groups is None:
        return
    if not groups:
        check.add("groups", "minimal satu kelompok")
    codes: list[str] = []
    for code, spec in groups.items():
        path = f"groups.{code}"
        if check.code(code, path) is not None:
            codes.append(code)
        group = check.mapping(
            spec,
            path,
            ("label", "min_age_months", "quota_per_institution", "replication_link"),
            ("age_exceptions", "invitation_only", "exclusions", "replication_sources", "requires"),
        )
        if group is not None:
            _check_group(check, group, path, known)
    known.groups = tuple(codes) if len(codes) == len(groups) else None


def _check_group(check: _Check, group: dict[str, Any], path: str, known: _Known) -> None:
    if "label" in group:
        check.text(group["label"], f"{path}.label")
    if "min_age_months" in group:
        check.integer(group["min_age_months"], f"{path}.min_age_months")
    if group.get("quota_per_institution") is not None:
        check.integer(group["quota_per_institution"], f"{path}.quota_per_institution", 1)
    if "invitation_only" in group:
        check.boolean(group["invitation_only"], f"{path}.invitation_only")
    exceptions = (
        check.items(group["age_exceptions"], f"{path}.age_exceptions", non_empty=False)
        if "age_exceptions" in group
        else None
    )
    for index, entry in enumerate(exceptions or ()):
        epath = f"{path}.age_exceptions[{index}]"
        exception = check.mapping(entry, epath, ("category", "min_age_months"))
        if exception is None:
            continue
        if "category" in exception:
            category = exception["category"]
            if known.categories is not None and category not in known.categories:
                check.add(f"{epath}.category", f"kategori {_show(category)} tidak ada")
        if "min_age_months" in exception:
            check.integer(exception["min_age_months"], f"{epath}.min_age_months")
    if "exclusions" in group:
        check.codes(
            group["exclusions"],
            f"{path}.exclusions",
            known.exclusions,
            "aturan eksklusi",
            empty=True,
        )
    link = None
    if "replication_link" in group:
        link = check.choice(
            group["replication_link"], f"{path}.replication_link", REPLICATION_LINKS
        )
    if link == "required" and "replication_sources" not in group:
        check.add(f"{path}.replication_sources", "wajib diisi bila replication_link: required")
    if "replication_sources" in group:
        if link is not None and link != "required":
            check.add(
                f"{path}.replication_sources", "hanya berlaku bila replication_link: required"
            )
        _check_sources(check, group["replication_sources"], f"{path}.replication_sources")
    if "requires" in group:
        rpath = f"{path}.requires"
        requires = check.mapping(
            group["requires"], rpath, ("held_tier_level",), ("min_months_since_decree",)
        )
        if requires and "held_tier_level" in requires:
            check.choice(requires["held_tier_level"], f"{rpath}.held_tier_level", LEVELS)
        if requires and "min_months_since_decree" in requires:
            check.integer(requires["min_months_since_decree"], f"{rpath}.min_months_since_decree")


def _check_sources(check: _Check, value: object, path: str) -> None:
    sources = check.mapping(value, path, (), ("levels", "tiers", "years"))
    if sources is None:
        return
    if "levels" not in sources and "tiers" not in sources:
        check.add(path, "isi levels atau tiers")
    if "levels" in sources:
        check.codes(sources["levels"], f"{path}.levels", LEVELS, "tingkat", empty=False)
    if "tiers" in sources:
        entries = check.items(sources["tiers"], f"{path}.tiers")
        for index, entry in enumerate(entries or ()):
            check.code(entry, f"{path}.tiers[{index}]")
    if "years" in sources:
        years = check.items(sources["years"], f"{path}.years")
        if years is None:
            return
        if len(years) != 2:
            check.add(f"{path}.years", f"harus [tahun awal, tahun akhir], bukan {len(years)} nilai")
            return
        first = check.integer(years[0], f"{path}.years[0]", 2014)
        last = check.integer(years[1], f"{path}.years[1]", 2014)
        if first is not None and last is not None and first > last:
            check.add(f"{path}.years", f"tahun awal {first} setelah tahun akhir {last}")
