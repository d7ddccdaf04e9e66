"""The demo generator (prima/core/demo/plan.py): deterministic, complete, plausible."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from prima.core.demo import central, localgov, themes
from prima.core.demo.plan import build_plan


def test_same_seed_gives_the_same_dataset():
    first, second = build_plan(size=200), build_plan(size=200)
    assert [i.name for i in first.innovations] == [i.name for i in second.innovations]
    assert [i.summary for i in first.innovations] == [i.summary for i in second.innovations]
    assert [u.name for u in first.units] == [u.name for u in second.units]
    assert first.links == second.links and first.awards == second.awards
    other = build_plan(size=200, seed=7)
    assert [i.name for i in other.innovations] != [i.name for i in first.innovations]


def test_national_size_has_about_150_replications_and_awards_every_kipp_year():
    plan = build_plan(size=3_000)
    assert len(plan.innovations) == 3_000
    assert len(plan.links) == 150
    assert {award.year for award in plan.awards} == set(range(2014, 2024))
    assert len({i.name for i in plan.innovations}) > 500
    published = sum(1 for i in plan.innovations if i.is_published)
    assert 0.4 < published / 3_000 < 0.8
    years = Counter(i.started_on.year for i in plan.innovations)
    # Early award holders started before 2014 (24 months before their call).
    assert set(range(2014, 2025)) <= set(years) <= set(range(2009, 2025))


def test_the_institution_lists_have_the_official_counts():
    assert len(central.MINISTRIES) == 34
    assert sum(1 for m in central.MINISTRIES if "Koordinator" in m.name) == 4
    assert len(central.AGENCIES) == 46
    assert len(central.STATE_ENTERPRISES) == 5
    everything = central.MINISTRIES + central.AGENCIES + central.STATE_ENTERPRISES
    assert len({i.name for i in everything}) == len(everything)
    assert len({i.short_name for i in everything}) == len(everything)


def test_every_unit_can_own_an_innovation_theme():
    plan = build_plan(size=3)
    tags = {unit.tag for unit in plan.units}
    covered = set().union(*(theme.tags for theme in themes.THEMES))
    assert tags <= covered, tags - covered
    keys = [theme.key for theme in themes.THEMES]
    assert len(keys) == len(set(keys))


def test_unit_names_are_unique_within_each_institution():
    plan = build_plan(size=3)
    pairs = Counter((unit.institution_name, unit.name) for unit in plan.units)
    assert not [pair for pair, n in pairs.items() if n > 1]
    institutions = {spec.name for spec in plan.institutions}
    assert {unit.institution_name for unit in plan.units} == institutions
    assert all(len(unit.name) <= 200 for unit in plan.units)


def test_border_regions_exist_in_the_reference_file():
    names = {row.name for row in localgov.read_regions()}
    assert names >= localgov.BORDER_REGIONS


def test_replicas_come_after_their_sources_and_awardees_started_before_the_call():
    plan = build_plan(size=3_000)
    for link in plan.links:
        source, replica = plan.innovations[link.source], plan.innovations[link.replica]
        assert source.started_on < replica.started_on == link.replicated_on
        assert source.institution_name != replica.institution_name
        assert source.theme == replica.theme
    for award in plan.awards:
        assert plan.innovations[award.innovation].started_on <= dt.date(award.year, 3, 31)
    top45 = Counter(a.year for a in plan.awards if a.tier == "top45")
    top99 = Counter(a.year for a in plan.awards if a.tier == "top99")
    assert all(top45[year] < top99[year] for year in top99)
