"""Composition-constrained Top-N selection and the plenary re-check (kipp.md §11.2, §11.3)."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from prima.evaluation.domain.selection import (
    Candidate,
    Conflict,
    Constraint,
    ConstraintError,
    Displaced,
    Pick,
    Shortfall,
    apply_override,
    check,
    parse_constraints,
    select,
)


def local(rank, province, region_3t=False, **more):
    """A local-government candidate P<rank>."""
    attributes = {"province_local": province, "region_3t": region_3t, **more}
    return Candidate(f"P{rank}", rank, attributes)


# A8: (score, province, 3T) — P1 92.10/35/no … P8 85.50/53/yes.
A8 = [
    local(1, "35"),
    local(2, "35"),
    local(3, "35"),
    local(4, "13"),
    local(5, "64"),
    local(6, "52"),
    local(7, "91", True),
    local(8, "53", True),
]
A8_CONSTRAINTS = [
    Constraint("region_3t", (True,), min=1),
    Constraint("province_local", max=2),
]


def row(selection, stratum, value):
    return next(r for r in selection.summary if r.stratum == stratum and r.value == value)


# --------------------------------------------------------------------------- A8


def test_a8_top5_with_strata():
    selection = select(A8, 5, A8_CONSTRAINTS)
    assert selection.status == "ok"
    assert selection.ids == ("P1", "P2", "P4", "P5", "P7")
    assert selection.selected == (
        Pick("P1", "merit"),
        Pick("P2", "merit"),
        Pick("P4", "merit"),
        Pick("P5", "merit"),
        Pick("P7", "quota"),
    )
    # The plain top 5 was P1–P5: P3 is displaced by the province maximum.
    assert selection.displaced == (Displaced("P3", "province_local = 35, maks 2"),)
    assert selection.shortfalls == () and selection.conflicts == ()
    three_t = row(selection, "region_3t", True)
    assert (three_t.count, three_t.eligible, three_t.min, three_t.max) == (1, 2, 1, None)
    java_east = row(selection, "province_local", "35")
    assert (java_east.count, java_east.eligible, java_east.max) == (2, 3, 2)
    assert [r.constraint for r in selection.summary] == [
        "region_3t = true, min 1",
        "province_local = 35, maks 2",
        "province_local = 13, maks 2",
        "province_local = 64, maks 2",
        "province_local = 52, maks 2",
        "province_local = 91, maks 2",
        "province_local = 53, maks 2",
    ]


def test_a8_plenary_swaps_p5_for_p6_and_the_recheck_passes():
    proposed = select(A8, 5, A8_CONSTRAINTS).ids
    adopted = apply_override(proposed, removed="P5", added="P6", candidates=A8)
    assert adopted == ("P1", "P2", "P4", "P6", "P7")
    assert check(adopted, A8, 5, A8_CONSTRAINTS) == []  # province 52; 3T minimum still met


def test_a8_a_swap_that_breaks_both_constraints_is_reported():
    proposed = select(A8, 5, A8_CONSTRAINTS).ids
    adopted = apply_override(proposed, removed="P7", added="P3", candidates=A8)
    assert adopted == ("P1", "P2", "P3", "P4", "P5")
    violations = check(adopted, A8, 5, A8_CONSTRAINTS)
    assert [(v.kind, v.stratum, v.value, v.count, v.limit) for v in violations] == [
        ("min", "region_3t", True, 0, 1),
        ("max", "province_local", "35", 3, 2),
    ]
    assert violations[1].message == "Batasan province_local = 35, maks 2 dilanggar: terpilih 3."


def test_a8_from_the_edition_yaml():
    constraints = parse_constraints(
        yaml.safe_load(
            """
            - {stratum: region_3t, value: true, min: 1}
            - {stratum: province_local, max: 2}
            """
        )
    )
    assert constraints == A8_CONSTRAINTS
    assert select(A8, 5, constraints).ids == ("P1", "P2", "P4", "P5", "P7")


def test_the_2025_composition_block_parses():
    constraints = parse_constraints(
        yaml.safe_load(
            """
            - stratum: institution_type
              values: [kementerian, lembaga, provinsi, kabupaten, kota]
              min: 1
            - {stratum: institution, max: 2}
            - {stratum: province_local, max: 5}
            - {stratum: region_3t, value: true, min: 3}
            - {stratum: category, max: 12}
            """
        )
    )
    assert constraints[0] == Constraint(
        "institution_type", ("kementerian", "lembaga", "provinsi", "kabupaten", "kota"), min=1
    )
    assert constraints[3] == Constraint("region_3t", (True,), min=3)
    assert constraints[4] == Constraint("category", None, max=12)


# --------------------------------------------------------------------------- minimums


def test_shortfall_is_recorded_and_filled_from_merit():
    # Three 3T finalists are required, only P7 and P8 are 3T.
    selection = select(A8, 5, [Constraint("region_3t", (True,), min=3)])
    assert selection.status == "ok"
    assert selection.shortfalls == (Shortfall("region_3t", True, needed=3, available=2),)
    assert selection.ids == ("P1", "P2", "P3", "P7", "P8")
    assert {p.id for p in selection.selected if p.reason == "quota"} == {"P7", "P8"}
    assert {d.id for d in selection.displaced} == {"P4", "P5"}
    assert all(d.constraint == "region_3t = true, min 3" for d in selection.displaced)
    # The re-check does not blame the list for the missing third 3T candidate.
    assert check(selection.ids, A8, 5, [Constraint("region_3t", (True,), min=3)]) == []


def test_conflicting_constraints_stop_and_name_both():
    # Two 3T finalists are required, but both 3T candidates come from province 91,
    # which may place at most one.
    candidates = [local(1, "35"), local(2, "13"), local(3, "91", True), local(4, "91", True)]
    constraints = [
        Constraint("region_3t", (True,), min=2),
        Constraint("province_local", ("91",), max=1),
    ]
    selection = select(candidates, 3, constraints)
    assert selection.status == "conflicting_constraints"
    assert selection.selected == () and selection.displaced == ()
    assert selection.shortfalls == ()
    assert selection.conflicts == (
        Conflict(
            minimum="region_3t = true, min 2",
            blocking="province_local = 91, maks 1",
            message=(
                "Minimum region_3t = true, min 2 tidak dapat dipenuhi: baru 1 terpilih dari "
                "2 yang diwajibkan, karena batasan province_local = 91, maks 1 menghalangi P4."
            ),
        ),
    )


def test_minimums_that_need_more_places_than_n_conflict_with_n():
    candidates = [
        local(1, "35", institution_type="kota"),
        local(2, "13", institution_type="kabupaten"),
        local(3, None, institution_type="kementerian"),
    ]
    constraints = [Constraint("institution_type", ("kementerian", "kabupaten", "kota"), min=1)]
    selection = select(candidates, 2, constraints)
    assert selection.status == "conflicting_constraints"
    (conflict,) = selection.conflicts
    assert conflict.minimum == "institution_type = kota, min 1"
    assert conflict.blocking == "N = 2"
    assert "oleh kuota institution_type = kabupaten, min 1; institution_type = kementerian" in (
        conflict.message
    )


def test_a_constraint_with_several_values_applies_to_each():
    candidates = [
        local(1, "35", institution_type="kota"),
        local(2, "35", institution_type="kota"),
        local(3, "13", institution_type="kabupaten"),
        local(4, "13", institution_type="kota"),
        local(5, None, institution_type="kementerian"),
        local(6, "64", institution_type="provinsi"),
    ]
    constraints = [Constraint("institution_type", ("kementerian", "lembaga", "kota"), min=1)]
    selection = select(candidates, 3, constraints)
    # kementerian (slack 0) first: P5; lembaga has no candidate; kota (slack 2): P1.
    assert selection.ids == ("P1", "P2", "P5")
    assert selection.selected[2] == Pick("P5", "quota")
    assert selection.shortfalls == (Shortfall("institution_type", "lembaga", 1, 0),)
    assert [(r.value, r.count, r.eligible) for r in selection.summary] == [
        ("kementerian", 1, 1),
        ("lembaga", 0, 0),
        ("kota", 2, 3),
    ]
    assert selection.displaced == (Displaced("P3", "institution_type = kementerian, min 1"),)


def test_minimums_go_by_ascending_slack_before_config_order():
    # In config order the category minimum would take P1 (province 11) and leave the
    # only 3T candidate, P4 (also province 11), blocked. By slack, 3T goes first.
    candidates = [
        Candidate("P1", 1, {"category": "x", "province_local": "11", "region_3t": False}),
        Candidate("P2", 2, {"category": "x", "province_local": "12", "region_3t": False}),
        Candidate("P3", 3, {"category": "x", "province_local": "13", "region_3t": False}),
        Candidate("P4", 4, {"category": "y", "province_local": "11", "region_3t": True}),
    ]
    constraints = [
        Constraint("category", ("x",), min=1),  # slack 3 - 1 = 2
        Constraint("region_3t", (True,), min=1),  # slack 1 - 1 = 0
        Constraint("province_local", max=1),
    ]
    selection = select(candidates, 2, constraints)
    assert selection.selected == (Pick("P2", "quota"), Pick("P4", "quota"))
    assert selection.displaced == (Displaced("P1", "province_local = 11, maks 1"),)


def test_a_quota_pick_inside_the_top_n_is_still_marked_quota():
    # The reference algorithm takes minimums first; P1 meets the 3T minimum there.
    candidates = [local(1, "91", True), local(2, "35"), local(3, "13")]
    selection = select(candidates, 2, [Constraint("region_3t", (True,), min=1)])
    assert selection.selected == (Pick("P1", "quota"), Pick("P2", "merit"))
    assert selection.displaced == ()


# --------------------------------------------------------------------------- edges


def test_n_larger_than_the_candidates():
    selection = select(A8, 20, A8_CONSTRAINTS)
    assert selection.status == "ok"
    assert selection.ids == ("P1", "P2", "P4", "P5", "P6", "P7", "P8")
    assert selection.displaced == (Displaced("P3", "province_local = 35, maks 2"),)
    assert check(selection.ids, A8, 20, A8_CONSTRAINTS) == []


def test_integer_codes_match_their_text():
    # Institutions are often keyed by integer ids; "at most 2 per institution" still holds.
    candidates = [Candidate(f"P{i}", i, {"institution": 7 if i < 4 else i}) for i in range(1, 6)]
    selection = select(candidates, 4, [Constraint("institution", max=2)])
    assert selection.ids == ("P1", "P2", "P4", "P5")
    assert selection.displaced == (Displaced("P3", "institution = 7, maks 2"),)
    assert check(["P1", "P2", "P3"], candidates, 3, [Constraint("institution", ("7",), max=2)])


def test_central_institutions_are_not_counted_in_province_local():
    candidates = [local(1, None), local(2, None), local(3, "35"), local(4, "35")]
    selection = select(candidates, 3, [Constraint("province_local", max=1)])
    assert selection.ids == ("P1", "P2", "P3")
    assert [r.value for r in selection.summary] == ["35"]


def test_without_constraints_the_plain_top_n_is_selected():
    selection = select(list(reversed(A8)), 3, [])
    assert selection.selected == (Pick("P1", "merit"), Pick("P2", "merit"), Pick("P3", "merit"))
    assert selection.summary == () and selection.displaced == ()


def test_recheck_flags_a_list_that_is_too_long_or_leaves_a_place_empty():
    assert [v.kind for v in check(["P1", "P2", "P4"], A8, 2, [])] == ["size"]
    (short,) = check(["P1", "P2", "P7"], A8, 4, A8_CONSTRAINTS)
    assert short.kind == "size"
    assert short.message == (
        "Daftar berisi 3 dari N = 4, padahal P4, P5, P6, P8 masih dapat ditambahkan tanpa "
        "melanggar batasan."
    )
    # When every candidate left out would break a maximum, a short list is fine.
    assert check(["P1", "P2"], A8[:3], 3, [Constraint("province_local", max=2)]) == []


@pytest.mark.parametrize(
    ("removed", "added", "message"),
    [
        ("P3", "P6", "Kandidat P3 yang dikeluarkan tidak ada dalam daftar terpilih."),
        ("P5", "P9", "Kandidat P9 yang dimasukkan tidak ada dalam daftar kandidat."),
        ("P5", "P7", "Kandidat P7 yang dimasukkan sudah ada dalam daftar terpilih."),
    ],
)
def test_override_validation(removed, added, message):
    with pytest.raises(ValueError) as caught:
        apply_override(("P1", "P2", "P4", "P5", "P7"), removed, added, candidates=A8)
    assert str(caught.value) == message


def test_malformed_selection_input_is_rejected_in_indonesian():
    with pytest.raises(ValueError, match="strata 'kabupaten' tidak dikenal"):
        Constraint("kabupaten", max=1)
    with pytest.raises(ValueError, match="isi min, max, atau keduanya"):
        Constraint("category")
    with pytest.raises(ValueError, match="muncul lebih dari sekali"):
        select([local(1, "35"), Candidate("P1", 2, {})], 1, [])
    with pytest.raises(ValueError, match="atribut region_3t tidak diisi"):
        select([Candidate("P1", 1, {})], 1, A8_CONSTRAINTS)
    province_max = [Constraint("province_local", max=1)]
    with pytest.raises(ValueError, match="province_local harus teks"):
        select([Candidate("P1", 1, {"province_local": 3.5})], 1, province_max)
    with pytest.raises(ValueError, match="region_3t harus true atau false"):
        select([Candidate("P1", 1, {"region_3t": 1})], 1, [Constraint("region_3t", max=1)])
    with pytest.raises(ValueError, match="tidak ada dalam daftar kandidat"):
        check(["P9"], A8, 5, A8_CONSTRAINTS)
    with pytest.raises(ValueError, match="N harus bilangan bulat"):
        select(A8, -1, [])


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"stratum": "region_3t"}, "constraints"),
        ([{"value": "x", "min": 1}], "constraints[0].stratum"),
        ([{"stratum": "provinsi", "max": 1}], "constraints[0].stratum"),
        ([{"stratum": "category", "max": 1, "maks": 2}], "constraints[0].maks"),
        ([{"stratum": "category", "value": "a", "values": ["b"], "max": 1}], "constraints[0]"),
        ([{"stratum": "category", "values": [], "max": 1}], "constraints[0].values"),
        ([{"stratum": "category", "values": ["a", "a"], "max": 1}], "constraints[0].values"),
        ([{"stratum": "region_3t", "value": "ya", "min": 1}], "constraints[0].value"),
        ([{"stratum": "category", "max": -1}], "constraints[0].max"),
        ([{"stratum": "category", "min": 1.5}], "constraints[0].min"),
        ([{"stratum": "category"}], "constraints[0].min"),
        (
            [{"stratum": "category", "max": 1}, {"stratum": "group", "min": 3, "max": 2}],
            "constraints[1].min",
        ),
        (["category"], "constraints[0]"),
    ],
)
def test_parse_constraints_names_the_field(data, field):
    with pytest.raises(ConstraintError) as caught:
        parse_constraints(data)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")


def test_parse_constraints_turns_numeric_codes_into_text():
    assert parse_constraints([{"stratum": "province_local", "value": 35, "max": 2}]) == [
        Constraint("province_local", ("35",), max=2)
    ]
    assert parse_constraints(None) == []


# --------------------------------------------------------------------------- properties

PROVINCES = st.sampled_from([None, "11", "12", "13"])
CATEGORIES = st.sampled_from(["a", "b", "c"])


@st.composite
def pools(draw):
    size = draw(st.integers(0, 14))
    return [
        Candidate(
            f"C{rank:02d}",
            rank,
            {
                "province_local": draw(PROVINCES),
                "category": draw(CATEGORIES),
                "region_3t": draw(st.booleans()),
            },
        )
        for rank in range(1, size + 1)
    ]


def values_for(stratum):
    domain = {"province_local": ["11", "12", "13"], "category": ["a", "b", "c"]}
    return domain.get(stratum, [True, False])


@st.composite
def constraint_lists(draw, kinds=("min", "max", "both")):
    result = []
    for _ in range(draw(st.integers(0, 3))):
        stratum = draw(st.sampled_from(["province_local", "category", "region_3t"]))
        values = draw(
            st.one_of(
                st.none(),
                st.lists(st.sampled_from(values_for(stratum)), min_size=1, unique=True).map(tuple),
            )
        )
        kind = draw(st.sampled_from(kinds))
        low = draw(st.integers(0, 3)) if kind in ("min", "both") else None
        high = draw(st.integers(low or 0, 4)) if kind in ("max", "both") else None
        result.append(Constraint(stratum, values, low, high))
    return result


@settings(max_examples=300, deadline=None)
@given(pools(), st.integers(0, 16), constraint_lists())
def test_a_selection_never_breaks_a_maximum_nor_relaxes_a_minimum(candidates, n, constraints):
    selection = select(candidates, n, constraints)
    if selection.status != "ok":
        assert selection.conflicts and selection.selected == ()
        return
    assert len(selection.selected) <= n
    for r in selection.summary:
        assert r.max is None or r.count <= r.max
        assert r.min is None or r.count >= min(r.min, r.eligible)
    short = {(s.stratum, s.value) for s in selection.shortfalls}
    assert short == {
        (r.stratum, r.value) for r in selection.summary if r.min is not None and r.eligible < r.min
    }
    ranks = [int(pick.id[1:]) for pick in selection.selected]
    assert ranks == sorted(ranks)
    # The proposal passes its own re-check.
    assert check(selection.ids, candidates, n, constraints) == []


@settings(max_examples=200, deadline=None)
@given(pools(), st.integers(0, 16))
def test_without_constraints_it_equals_the_plain_top_n(candidates, n):
    selection = select(candidates, n, [])
    assert selection.ids == tuple(c.id for c in candidates[:n])
    assert all(pick.reason == "merit" for pick in selection.selected)
    assert selection.displaced == ()


@settings(max_examples=200, deadline=None)
@given(
    pools(), st.integers(0, 16), st.sampled_from(["province_local", "category"]), st.integers(0, 3)
)
def test_size_is_min_of_n_and_what_a_maximum_allows(candidates, n, stratum, limit):
    selection = select(candidates, n, [Constraint(stratum, max=limit)])
    counts: dict[str, int] = {}
    for c in candidates:
        value = c.attributes[stratum]
        if value is not None:
            counts[value] = counts.get(value, 0) + 1
    unconstrained = sum(1 for c in candidates if c.attributes[stratum] is None)
    feasible = unconstrained + sum(min(k, limit) for k in counts.values())
    assert len(selection.selected) == min(n, feasible)


@settings(max_examples=200, deadline=None)
@given(pools(), st.integers(0, 16), constraint_lists(kinds=("max",)))
def test_a_short_selection_is_short_only_because_of_maxima(candidates, n, constraints):
    selection = select(candidates, n, constraints)
    assert selection.status == "ok"
    if len(selection.selected) < n:
        # Every candidate left out would break a maximum.
        chosen = set(selection.ids)
        for c in candidates:
            if c.id not in chosen:
                violations = check([*selection.ids, c.id], candidates, n, constraints)
                assert any(v.kind == "max" for v in violations)


@settings(max_examples=300, deadline=None)
@given(pools(), st.integers(0, 16), constraint_lists(kinds=("min",)))
def test_minimums_are_met_when_candidates_and_places_suffice(candidates, n, constraints):
    selection = select(candidates, n, constraints)
    needed = sum(r.min or 0 for r in selection.summary)
    if needed > n:
        return  # N itself may block: covered by the conflict tests
    assert selection.status == "ok"
    for r in selection.summary:
        assert r.count >= min(r.min or 0, r.eligible)
    assert len(selection.selected) == min(n, len(candidates))
