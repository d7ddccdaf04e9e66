"""Validation of the award tiers, the finalists and the composition constraints (§11.2)."""

from __future__ import annotations

from typing import Any

from prima.kipp.domain.rules._check import _Check, _Known, _options, _show
from prima.kipp.domain.rules.constants import (
    EDITION_CODE_RE,
    FINALIST_MODES,
    INSTITUTION_TYPES,
    LEVELS,
    PROVINCE_RE,
    STRATA,
)


def _check_tiers(check: _Check, value: object, known: _Known) -> None:
    entries = check.items(value, "tiers")
    if entries is None:
        return
    tiers: dict[str, dict[str, Any]] = {}
    complete = True
    for index, entry in enumerate(entries):
        path = f"tiers[{index}]"
        tier = check.mapping(entry, path, ("code", "level", "groups", "size"), ("label",))
        if tier is None:
            complete = False
            continue
        code = check.code(tier["code"], f"{path}.code") if "code" in tier else None
        if "level" in tier:
            check.choice(tier["level"], f"{path}.level", LEVELS)
        if "groups" in tier:
            check.codes(tier["groups"], f"{path}.groups", known.groups, "kelompok", empty=False)
        if tier.get("size") is not None:
            check.integer(tier["size"], f"{path}.size", 1)
        if "label" in tier:
            check.text(tier["label"], f"{path}.label")
        if code is None:
            complete = False
        elif code in tiers:
            check.add(f"{path}.code", f"kode {code!r} dipakai dua kali")
        else:
            tiers[code] = tier
    known.tiers = tiers if complete else None


def _check_finalists(check: _Check, value: object, known: _Known) -> None:
    path = "finalists"
    block = check.mapping(value, path, ("mode",), ("tier", "tiers"))
    if block is None or "mode" not in block:
        return
    mode = check.choice(block["mode"], f"{path}.mode", FINALIST_MODES)
    if mode is None:
        return
    wanted, other = ("tier", "tiers") if mode == "all_passing" else ("tiers", "tier")
    if wanted not in block:
        check.add(f"{path}.{wanted}", f"wajib diisi untuk mode {mode}")
    if other in block:
        check.add(f"{path}.{other}", f"tidak berlaku untuk mode {mode}")
    names: list[tuple[str, object]] = []
    if mode == "all_passing" and "tier" in block:
        names = [(f"{path}.tier", block["tier"])]
    elif mode == "top_n" and "tiers" in block:
        entries = check.items(block["tiers"], f"{path}.tiers")
        names = [(f"{path}.tiers[{i}]", entry) for i, entry in enumerate(entries or ())]
    for tpath, name in names:
        if known.tiers is None:
            continue
        tier = known.tiers.get(name) if isinstance(name, str) else None
        if tier is None:
            check.add(tpath, f"peringkat {_show(name)} tidak ada di tiers")
        elif tier.get("level") != "finalist":
            check.add(tpath, f"peringkat {name!r} bukan tingkat finalist")
        elif mode == "top_n" and tier.get("size") is None:
            check.add(tpath, f"peringkat {name!r} perlu size untuk mode top_n")


def _check_composition(check: _Check, value: object, known: _Known) -> None:
    path = "composition"
    block = check.mapping(value, path, ("applies_to",), ("region_3t_list", "constraints"))
    if block is None:
        return
    if "applies_to" in block:
        entries = check.items(block["applies_to"], f"{path}.applies_to")
        for index, name in enumerate(entries or ()):
            ipath = f"{path}.applies_to[{index}]"
            if known.tiers is None:
                continue
            tier = known.tiers.get(name) if isinstance(name, str) else None
            if tier is None:
                check.add(ipath, f"peringkat {_show(name)} tidak ada di tiers")
            elif tier.get("size") is None:
                check.add(ipath, f"peringkat {name!r} tidak berukuran (size kosong)")
    if "region_3t_list" in block:
        check.code(block["region_3t_list"], f"{path}.region_3t_list", EDITION_CODE_RE)
    if "constraints" not in block:
        return
    entries = check.items(block["constraints"], f"{path}.constraints", non_empty=False)
    for index, entry in enumerate(entries or ()):
        cpath = f"{path}.constraints[{index}]"
        item = check.mapping(entry, cpath, ("stratum",), ("value", "values", "min", "max"))
        if item is None or "stratum" not in item:
            continue
        stratum = check.choice(item["stratum"], f"{cpath}.stratum", STRATA)
        if "value" in item and "values" in item:
            check.add(cpath, "isi value atau values, jangan keduanya")
        values: list[Any] = []
        if "values" in item:
            values = check.items(item["values"], f"{cpath}.values") or []
        elif "value" in item:
            values = [item["value"]]
        vpath = f"{cpath}.values" if "values" in item else f"{cpath}.value"
        if stratum is not None:
            for value_item in values:
                problem = _stratum_value_problem(stratum, value_item, known)
                if problem:
                    check.add(vpath, problem)
            if stratum == "region_3t" and "region_3t_list" not in block:
                check.add(f"{path}.region_3t_list", "wajib diisi bila ada batasan region_3t")
        low = check.integer(item["min"], f"{cpath}.min") if "min" in item else None
        high = check.integer(item["max"], f"{cpath}.max") if "max" in item else None
        if "min" not in item and "max" not in item:
            check.add(cpath, "isi min atau max")
        if low is not None and high is not None and low > high:
            check.add(cpath, f"min {low} lebih besar dari max {high}")


def _stratum_value_problem(stratum: str, value: object, known: _Known) -> str | None:
    if stratum == "region_3t":
        return (
            None if isinstance(value, bool) else f"nilai 3T harus true/false, bukan {_show(value)}"
        )
    if stratum == "institution_type":
        if value in INSTITUTION_TYPES:
            return None
        return f"jenis instansi {_show(value)} tidak dikenal; pilih: {_options(INSTITUTION_TYPES)}"
    if stratum == "category" and known.categories is not None and value not in known.categories:
        return f"kategori {_show(value)} tidak ada di categories"
    if stratum == "group" and known.groups is not None and value not in known.groups:
        return f"kelompok {_show(value)} tidak ada di groups"
    if stratum == "province_local" and not (isinstance(value, str) and PROVINCE_RE.match(value)):
        return f"kode provinsi harus dua angka dalam tanda kutip (mis. '35'), bukan {_show(value)}"
    if stratum == "institution" and (isinstance(value, bool) or not isinstance(value, str | int)):
        return f"instansi harus kode atau id, bukan {_show(value)}"
    return None
