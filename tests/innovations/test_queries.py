"""Who sees and changes which innovations; shared filters; lineage visibility."""

from __future__ import annotations

import datetime as dt

import pytest

from prima.core.enums import Role
from prima.innovations.domain.permissions import may_edit, may_see
from prima.innovations.models import Category, Evidence, Innovation
from prima.innovations.queries import (
    InnovationFilters,
    apply_filters,
    evidence_downloadable_by,
    innovations_editable_by,
    innovations_visible_to,
    lineage_for,
    may_read_registry,
    published_innovations,
    units_for_registration,
)
from tests.factories import (
    InnovationFactory,
    ReplicationLinkFactory,
    ServiceUnitFactory,
    person_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_a2(institution_a):
    return ServiceUnitFactory(institution=institution_a, name="Puskesmas Ibuh")


@pytest.fixture
def innovation_a2(unit_a2):
    return InnovationFactory(unit=unit_a2, name="Sipaduko")


@pytest.fixture
def cast(personas, institution_a, unit_a2):
    return {
        **personas,
        "analyst": person_with_role(Role.ANALYST),
        "viewer": person_with_role(Role.VIEWER),
        "viewer_a": person_with_role(Role.VIEWER, institution=institution_a),
        "operator_a2": person_with_role(Role.UNIT_OPERATOR, unit=unit_a2),
    }


VISIBLE = {
    "secretariat": {"a", "a2", "b"},
    "analyst": {"a", "a2", "b"},
    "viewer": {"a", "a2", "b"},
    "admin_a": {"a", "a2"},
    "viewer_a": {"a", "a2"},
    "operator_a": {"a"},
    "operator_a2": {"a2"},
    "operator_b": {"b"},
    "evaluator": set(),
    "nobody": set(),
    "public": set(),
}
EDITABLE = {
    "secretariat": {"a", "a2", "b"},
    "admin_a": {"a", "a2"},
    "operator_a": {"a"},
    "operator_a2": {"a2"},
    "operator_b": {"b"},
}


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_scopes_and_their_object_level_predicates_agree(
    who, cast, innovation_a, innovation_a2, innovation_b
):
    person = cast[who]
    by_key = {"a": innovation_a, "a2": innovation_a2, "b": innovation_b}
    names = {v.pk: k for k, v in by_key.items()}

    visible = {names[pk] for pk in innovations_visible_to(person).values_list("pk", flat=True)}
    editable = {names[pk] for pk in innovations_editable_by(person).values_list("pk", flat=True)}

    assert visible == VISIBLE[who]
    assert editable == EDITABLE.get(who, set())
    assert {k for k, v in by_key.items() if may_see(person, v)} == visible
    assert {k for k, v in by_key.items() if may_edit(person, v)} == editable
    assert may_read_registry(person) == bool(VISIBLE[who])


def test_units_for_registration(cast, unit_a, unit_a2, unit_b):
    assert set(units_for_registration(cast["operator_a"])) == {unit_a}
    assert set(units_for_registration(cast["admin_a"])) == {unit_a, unit_a2}
    assert set(units_for_registration(cast["secretariat"])) >= {unit_a, unit_a2, unit_b}
    assert not units_for_registration(cast["viewer"]).exists()
    assert not units_for_registration(cast["evaluator"]).exists()


def test_published_innovations_are_the_public_catalogue(innovation_a, innovation_b):
    innovation_b.is_published = True
    innovation_b.save()
    assert list(published_innovations()) == [innovation_b]


def test_public_evidence_of_published_innovations_is_open_to_all(
    personas, innovation_a, innovation_b
):
    def evidence(innovation, public):
        return Evidence.objects.create(
            innovation=innovation,
            file="evidence/x.pdf",
            original_name="x.pdf",
            content_type="application/pdf",
            size=1,
            sha256=("a" if public else "b") * 64,
            is_public=public,
        )

    a_private, a_public = evidence(innovation_a, False), evidence(innovation_a, True)
    b_public = evidence(innovation_b, True)
    innovation_a.is_published = True
    innovation_a.save()
    # B is not published, so even its "public" evidence stays within B.
    assert set(evidence_downloadable_by(None)) == {a_public}
    assert set(evidence_downloadable_by(personas["evaluator"])) == {a_public}
    assert set(evidence_downloadable_by(personas["operator_b"])) == {a_public, b_public}
    assert set(evidence_downloadable_by(personas["operator_a"])) == {a_private, a_public}


class TestFilters:
    @pytest.fixture
    def rows(self, unit_a, unit_b):
        health = Category.objects.get(code="kesehatan")
        one = InnovationFactory(
            unit=unit_a, name="Klinik Berhenti Merokok", acronym="KBM", is_digital=False
        )
        one.categories.set([health])
        two = InnovationFactory(
            unit=unit_b,
            name="Surabaya Single Window",
            acronym="SSW",
            started_on=dt.date(2016, 1, 1),
            status="stopped",
            is_published=True,
        )
        three = InnovationFactory(unit=unit_a, name="Sipaduko", summary="Layanan merokok? Tidak.")
        three.categories.set([health, Category.objects.get(code="pendidikan")])
        return one, two, three

    @pytest.mark.parametrize(
        ("filters", "expected"),
        [
            (InnovationFilters(q="rokok"), {0, 2}),
            (InnovationFilters(q="ssw"), {1}),
            (InnovationFilters(category="kesehatan"), {0, 2}),
            (InnovationFilters(status="stopped"), {1}),
            (InnovationFilters(digital=False), {0}),
            (InnovationFilters(province="13"), {0, 2}),
            (InnovationFilters(province="35"), {1}),
            (InnovationFilters(published=True), {1}),
            (InnovationFilters(year=2016), {1}),
        ],
    )
    def test_each_filter(self, rows, filters, expected):
        result = list(apply_filters(Innovation.objects.all(), filters))
        assert len(result) == len(set(result))  # categories never duplicate rows
        assert {rows.index(i) for i in result} == expected

    def test_institution_and_unit_filters(self, rows, institution_b, unit_a):
        qs = Innovation.objects.all()
        assert list(apply_filters(qs, InnovationFilters(institution=institution_b.pk))) == [rows[1]]
        assert set(apply_filters(qs, InnovationFilters(unit=unit_a.pk))) == {rows[0], rows[2]}

    def test_sorting(self, rows):
        qs = Innovation.objects.all()
        names = [i.name for i in apply_filters(qs, InnovationFilters(sort="nama"))]
        assert names == sorted(names)
        first = apply_filters(qs, InnovationFilters(sort="mulai")).first()
        assert first == rows[1]

    def test_filters_never_widen_the_scope(self, rows, personas):
        scoped = innovations_visible_to(personas["operator_b"])
        assert list(apply_filters(scoped, InnovationFilters(province="13"))) == []


def test_lineage_shows_both_directions_limited_to_what_the_viewer_may_see(
    personas, innovation_a, innovation_b, unit_b
):
    # innovation_a replicated innovation_b (Surabaya); innovation_c (Surabaya) replicated A.
    innovation_c = InnovationFactory(unit=unit_b, name="Replika Surabaya")
    ReplicationLinkFactory(replica=innovation_a, source=innovation_b)
    ReplicationLinkFactory(replica=innovation_c, source=innovation_a)

    seen_by_b = lineage_for(innovation_a, personas["operator_b"])
    assert [e.other for e in seen_by_b.sources] == [innovation_b]
    assert [e.other for e in seen_by_b.replicas] == [innovation_c]

    seen_by_a = lineage_for(innovation_a, personas["operator_a"])
    assert seen_by_a.sources == [] and seen_by_a.replicas == []
    assert (seen_by_a.hidden_sources, seen_by_a.hidden_replicas) == (1, 1)

    innovation_b.is_published = True
    innovation_b.save()
    seen_by_a = lineage_for(innovation_a, personas["operator_a"])
    assert [(e.other, e.internal) for e in seen_by_a.sources] == [(innovation_b, False)]
