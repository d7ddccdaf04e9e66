"""Public results of a group (pkri.md §7.4, §8): ordered, counted and sliced in the
database, with the same rows, order and contents whatever the slice."""

from __future__ import annotations

from decimal import Decimal

import pytest

from prima.core.enums import InstitutionKind as K
from prima.evaluation.enums import EditionState
from prima.innovations.models import Innovation
from prima.pkri.domain.results import group_results
from prima.pkri.enums import FormState, Group
from prima.pkri.models import SelfAssessment
from tests.pkri.public_data import award, bulk_scope, pkri_edition

pytestmark = pytest.mark.django_db

NAMES = ["beta", "Alpha", "delta", "Charlie", "alpha", "Echo", "foxtrot", "Golf"]


def _objects_edition(**rules):
    """Eight sustainability objects with mixed-case names; the sixth has no submitted form
    but an award (an awardee without an assessed form), the second and fourth are awarded."""
    edition = pkri_edition(EditionState.RESULTS, **rules)
    scope = bulk_scope(edition, loci={K.CITY: 3, K.REGENCY: 2}, objects={Group.KEBERLANJUTAN: 8})
    for obj, name in zip(scope.objects, NAMES, strict=True):
        Innovation.objects.filter(pk=obj.innovation_id).update(name=name)
        obj.innovation.name = name
    SelfAssessment.objects.filter(pk=scope.objects[5].form.pk).update(state=FormState.FORM_MISSING)
    for n in (1, 3, 5):
        award(edition, Group.KEBERLANJUTAN, obj=scope.objects[n], rank=n, score=Decimal(80 + n))
    return edition, scope


def _expected(scope):
    """Membership only: by innovation name, then institution name, ignoring case."""
    return sorted(
        ((obj.innovation.name, obj.locus.institution.short_name) for obj in scope.objects),
        key=lambda pair: (pair[0].casefold(), pair[1].casefold()),
    )


def test_rows_come_in_alphabetical_order_with_their_awards():
    edition, scope = _objects_edition()
    rows = list(group_results(edition, Group.KEBERLANJUTAN))

    assert [(r.innovation_name, r.institution_name) for r in rows] == _expected(scope)
    awarded = {r.innovation_name for r in rows if r.award}
    assert awarded == {"Alpha", "Charlie", "Echo"}
    # "alpha" and "Alpha" tie on the name: the institution decides (Kabupaten before Kota).
    assert [r.innovation_name for r in rows[:2]] == ["alpha", "Alpha"]
    # Membership only: neither rank nor score is shown.
    assert all(r.rank_in_kind is None and r.score is None for r in rows)
    echo = next(r for r in rows if r.innovation_name == "Echo")  # its form was not sent
    assert echo.award_title.startswith("Top Inovasi Pelayanan Publik")


def test_a_slice_is_the_same_rows_as_the_whole_list():
    edition, _scope = _objects_edition()
    results = group_results(edition, Group.KEBERLANJUTAN)
    everything = list(results)

    assert results.count() == len(everything) == 8
    assert results.awarded() == 3
    assert results[3:6] == everything[3:6]
    assert results[6:20] == everything[6:]


def test_published_ranks_order_by_rank_with_unranked_last():
    edition, scope = _objects_edition(publish_ranks=True, publish_scores=True)
    for n, obj in enumerate(scope.objects):
        rank = None if n in (0, 7) else 8 - n
        SelfAssessment.objects.filter(pk=obj.form.pk).update(rank=rank, final_score=60 + n)

    rows = list(group_results(edition, Group.KEBERLANJUTAN))

    assert [(r.rank_in_kind, r.innovation_name, r.score) for r in rows] == [
        (2, "foxtrot", Decimal(66)),
        (4, "alpha", Decimal(64)),
        (5, "Charlie", Decimal(63)),
        (5, "Echo", Decimal(85)),  # no form: the award's rank and score
        (6, "delta", Decimal(62)),
        (7, "Alpha", Decimal(61)),
        (None, "beta", Decimal(60)),
        (None, "Golf", Decimal(67)),
    ]


def test_a_kind_filter_keeps_awards_of_that_kind_only():
    edition, scope = _objects_edition()
    city = group_results(edition, Group.KEBERLANJUTAN, kind=K.CITY)
    rows = list(city)

    assert {r.institution_kind for r in rows} == {K.CITY}
    expected = [
        (obj.innovation.name, obj.locus.institution.short_name)
        for obj in sorted(scope.objects, key=_key)
        if obj.locus.institution.kind == K.CITY
    ]
    assert [(r.innovation_name, r.institution_name) for r in rows] == expected
    assert city.count() == len(rows)
    assert city.awarded() == sum(1 for r in rows if r.award)


def _key(obj):
    return (obj.innovation.name.casefold(), obj.locus.institution.short_name.casefold())
