"""The public PKRI API: the statistics document and the results of a group."""

from __future__ import annotations

from decimal import Decimal

import pytest

from prima.core.enums import InstitutionKind as K
from prima.evaluation.enums import EditionState
from prima.pkri.enums import FormState, Group
from prima.pkri.models import SelfAssessment
from tests.conftest import client_for
from tests.pkri.public_data import award, bulk_awards, bulk_scope, pkri_edition

STATS = "/api/v1/pkri/editions/2024"
RESULTS = "/api/v1/pkri/editions/2024/results"


def _coaching(edition, institution_a, *, ranks=False):
    """Three cities and a ministry in pembinaan; Payakumbuh (85.00, rank 1) is awarded."""
    scope = bulk_scope(
        edition,
        institutions=[institution_a],
        loci={K.CITY: 2, K.MINISTRY: 1},
        coaching=4,
        coaching_state=FormState.NOT_AWARDED,
    )
    scores = [Decimal("85.00"), Decimal("70.25"), Decimal("91.50"), Decimal("60.00")]
    for form, score, rank in zip(scope.coaching, scores, [2, 3, 1, 1], strict=True):
        SelfAssessment.objects.filter(pk=form.pk).update(final_score=score, rank=rank)
    award(edition, Group.PEMBINAAN, institution=institution_a)
    return scope


@pytest.mark.django_db
def test_the_statistics_document_is_public_once_published(institution_a):
    edition = pkri_edition(EditionState.RESULTS)
    _coaching(edition, institution_a)

    response = client_for(None).get(STATS)

    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2024
    assert body["loci"] == {
        "total": 4,
        "by_kind": {
            "ministry": 1,
            "agency": 0,
            "province": 0,
            "regency": 0,
            "city": 3,
            "state_enterprise": 0,
        },
    }
    assert body["coaching_assessed"] == 4
    assert body["awards"]["by_group"] == {"pembinaan": 1, "keberlanjutan": 0, "replikasi": 0}
    assert body["sentences"]["T3"].startswith("PKRI 2024 memantau 0 inovasi pada 4 instansi")


@pytest.mark.django_db
def test_an_unpublished_edition_is_404_except_for_national_readers(personas):
    pkri_edition(EditionState.PLENARY, published=False)

    public = client_for(None).get(STATS)
    admin = client_for(personas["admin_a"]).get(STATS)
    secretariat = client_for(personas["secretariat"]).get(STATS)

    assert public.status_code == 404
    assert admin.status_code == 404
    assert secretariat.status_code == 200
    assert secretariat.json()["sentences"] == {}  # before results the generator is silent


@pytest.mark.django_db
def test_membership_only_results_hide_scores_and_ranks_and_sort_alphabetically(institution_a):
    edition = pkri_edition(EditionState.RESULTS)  # 2024 rules: publish_scores/ranks false
    _coaching(edition, institution_a)

    body = client_for(None).get(RESULTS, {"group": "pembinaan"}).json()

    names = [item["institution"]["name"] for item in body["items"]]
    assert body["count"] == 4
    assert names == sorted(names, key=str.casefold)
    assert all(item["rank_in_kind"] is None and item["score"] is None for item in body["items"])
    payakumbuh = next(i for i in body["items"] if i["institution"]["id"] == institution_a.pk)
    assert payakumbuh == {
        "rank_in_kind": None,
        "institution": {
            "id": institution_a.pk,
            "name": "Kota Payakumbuh",
            "kind": "city",
            "region_code": "13.76",
        },
        "score": None,
        "award": "pembinaan",
        "innovation": None,
    }
    assert "85.00" not in str(body)


@pytest.mark.django_db
def test_published_scores_and_ranks_come_by_kind_and_rank(institution_a):
    edition = pkri_edition(EditionState.RESULTS, publish_scores=True, publish_ranks=True)
    _coaching(edition, institution_a)

    body = client_for(None).get(RESULTS, {"group": "pembinaan"}).json()
    cities = client_for(None).get(RESULTS, {"group": "pembinaan", "kind": "city"}).json()

    assert [(i["institution"]["kind"], i["rank_in_kind"]) for i in body["items"]] == [
        ("ministry", 1),
        ("city", 1),
        ("city", 2),
        ("city", 3),
    ]
    assert cities["count"] == 3
    assert cities["items"][1]["institution"]["name"] == "Kota Payakumbuh"
    assert cities["items"][1]["score"] == "85.00"
    assert cities["items"][1]["award"] == "pembinaan"
    assert cities["items"][0]["award"] is None


@pytest.mark.django_db
def test_object_groups_list_innovations_with_their_institution(institution_a):
    edition = pkri_edition(EditionState.RESULTS)
    scope = bulk_scope(
        edition, institutions=[institution_a], objects={Group.KEBERLANJUTAN: 2, Group.REPLIKASI: 1}
    )
    kept = scope.objects_of(Group.KEBERLANJUTAN)[1]
    award(edition, Group.KEBERLANJUTAN, obj=kept)

    body = client_for(None).get(RESULTS, {"group": "keberlanjutan"}).json()

    assert body["count"] == 2
    item = next(i for i in body["items"] if i["award"])
    assert item["innovation"] == {"id": kept.innovation_id, "name": kept.innovation.name}
    assert item["institution"]["name"] == "Kota Payakumbuh"
    assert item["award"] == "keberlanjutan"


@pytest.mark.django_db
def test_results_need_a_known_group_and_page_with_limit_and_offset(institution_a):
    edition = pkri_edition(EditionState.RESULTS)
    _coaching(edition, institution_a)
    client = client_for(None)

    missing = client.get(RESULTS)
    unknown = client.get(RESULTS, {"group": "semua"})
    page = client.get(RESULTS, {"group": "pembinaan", "limit": 2, "offset": 2}).json()
    full = client.get(RESULTS, {"group": "pembinaan"}).json()

    assert missing.status_code == 422
    assert unknown.status_code == 422
    assert "pembinaan" in unknown.json()["detail"]
    assert page["count"] == 4
    assert page["items"] == full["items"][2:4]


@pytest.mark.django_db
def test_results_wait_for_the_results_state_for_the_public(personas):
    # Published early (e.g. by hand) but still in the plenary: no list for the public.
    pkri_edition(EditionState.PLENARY, published=True)

    assert client_for(None).get(RESULTS, {"group": "pembinaan"}).status_code == 404
    assert client_for(None).get(STATS).status_code == 200
    assert (
        client_for(personas["secretariat"]).get(RESULTS, {"group": "pembinaan"}).status_code == 200
    )


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 15])
def test_the_api_costs_the_same_queries_at_any_size(size, django_assert_num_queries):
    edition = pkri_edition(EditionState.RESULTS)
    scope = bulk_scope(
        edition,
        loci={K.CITY: size, K.REGENCY: size},
        coaching=2 * size,
        objects={Group.REPLIKASI: size},
    )
    bulk_awards(edition, Group.PEMBINAAN, scope.loci[:size])
    bulk_awards(edition, Group.REPLIKASI, scope.objects)
    client = client_for(None)

    with django_assert_num_queries(5):
        assert client.get(STATS).json()["loci"]["total"] == 2 * size
    # Edition, count, the page's keys, its forms and its awards (pkri/domain/results.py).
    with django_assert_num_queries(5):
        assert client.get(RESULTS, {"group": "pembinaan"}).json()["count"] == 2 * size
    with django_assert_num_queries(5):
        assert client.get(RESULTS, {"group": "replikasi"}).json()["count"] == size
