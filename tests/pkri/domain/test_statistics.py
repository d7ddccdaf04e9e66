"""Public statistics and generated sentences of a PKRI edition (pkri.md §8, §10, B8)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from prima.awards.enums import AwardStatus
from prima.core.enums import InstitutionKind as K
from prima.evaluation.enums import EditionState
from prima.innovations.enums import LinkStatus
from prima.pkri.domain.statistics import (
    edition_figures,
    edition_statistics,
    institution_sentences,
)
from prima.pkri.enums import FormState, Group
from prima.pkri.models import InterviewSlot, SelfAssessment
from tests.factories import ReplicationLinkFactory
from tests.pkri.public_data import award, bulk_awards, bulk_scope, pkri_edition

T1 = "Kota Payakumbuh masuk 14 instansi terbaik dari 308 instansi yang berpartisipasi"
T2 = "Kota Payakumbuh menjadi salah satu dari 5 pemerintah kota terbaik pada PKRI 2024"
T3 = (
    "PKRI 2024 memantau 979 inovasi pada 631 instansi: 34 kementerian, 46 lembaga, "
    "546 pemerintah daerah, dan 5 BUMN"
)
T4 = "Sebanyak 75 penghargaan PKRI 2024 diserahkan pada Gebyar Pelayanan Prima 2024, 8 Oktober 2024"


def _set_states(forms, states):
    """Give the first forms the listed states in order (a list of (state, n))."""
    ids = [f.pk for f in forms]
    start = 0
    for state, n in states:
        SelfAssessment.objects.filter(pk__in=ids[start : start + n]).update(state=state)
        start += n


def build_2024(edition, payakumbuh):
    """The published counts of PKRI 2024 (§10): 631 loci, 979 objects, 308 coaching
    participants, 58 + 36 interviewees, 14 coaching awards (5 cities), 75 awards."""
    scope = bulk_scope(
        edition,
        institutions=[payakumbuh],
        # Cities first so that every city awardee is among the 308 participants.
        loci={
            K.CITY: 91,
            K.MINISTRY: 34,
            K.AGENCY: 46,
            K.PROVINCE: 38,
            K.REGENCY: 416,
            K.STATE_ENTERPRISE: 5,
        },
        objects={Group.KEBERLANJUTAN: 700, Group.REPLIKASI: 279},
        coaching=308,
        form_state=FormState.NOT_SHORTLISTED,
        coaching_state=FormState.NOT_AWARDED,
    )
    sustained = scope.objects_of(Group.KEBERLANJUTAN)
    replicas = scope.objects_of(Group.REPLIKASI)
    _set_states([o.form for o in sustained], [(FormState.AWARDED, 38), (FormState.NOT_AWARDED, 20)])
    _set_states([o.form for o in replicas], [(FormState.AWARDED, 23), (FormState.NOT_AWARDED, 13)])
    cities = scope.loci_of(K.CITY)
    assert cities[0].institution == payakumbuh
    coached = (
        cities[:5]
        + scope.loci_of(K.MINISTRY)[:2]
        + scope.loci_of(K.AGENCY)[:2]
        + scope.loci_of(K.PROVINCE)[:2]
        + scope.loci_of(K.REGENCY)[:3]
    )
    bulk_awards(edition, Group.PEMBINAAN, coached)
    bulk_awards(edition, Group.KEBERLANJUTAN, sustained[:38])
    bulk_awards(edition, Group.REPLIKASI, replicas[:23])
    return scope


@pytest.mark.django_db
def test_the_2024_scenario_produces_the_required_sentences(institution_a):
    edition = pkri_edition(EditionState.AWARDED)
    build_2024(edition, institution_a)

    document = edition_statistics(edition)

    assert document == {
        "year": 2024,
        "loci": {
            "total": 631,
            "by_kind": {
                "ministry": 34,
                "agency": 46,
                "province": 38,
                "regency": 416,
                "city": 92,
                "state_enterprise": 5,
            },
        },
        "objects": {"total": 979, "by_group": {"keberlanjutan": 700, "replikasi": 279}},
        "interviewed": {"keberlanjutan": 58, "replikasi": 36},
        "coaching_assessed": 308,
        "awards": {
            "total": 75,
            "by_group": {"pembinaan": 14, "keberlanjutan": 38, "replikasi": 23},
        },
        "sentences": {"T3": T3, "T4": T4},
    }
    mine = institution_sentences(edition, institution_a)
    assert mine["T1"] == T1
    assert mine["T2"] == T2


@pytest.mark.django_db
def test_every_sentence_is_empty_while_the_edition_is_in_interviews(institution_a):
    edition = pkri_edition(EditionState.INTERVIEWS, published=False)
    scope = bulk_scope(
        edition,
        institutions=[institution_a],
        loci={K.MINISTRY: 2},
        coaching=3,
        objects={Group.KEBERLANJUTAN: 3},
    )
    award(edition, Group.PEMBINAAN, institution=institution_a)
    SelfAssessment.objects.filter(pk=scope.objects[0].form.pk).update(
        snapshot={
            "data": {
                "still_running": True,
                "beneficiaries": [{"year": 2023, "count": 10, "measure": "people"}],
            }
        }
    )

    document = edition_statistics(edition)

    assert document["sentences"] == {}
    assert document["loci"]["total"] == 3
    assert institution_sentences(edition, institution_a) == {}


@pytest.mark.django_db
def test_a_small_edition_counts_only_its_non_excluded_scope(institution_a, institution_b):
    edition = pkri_edition()
    scope = bulk_scope(
        edition,
        institutions=[institution_a, institution_b],
        loci={K.MINISTRY: 1},
        objects={Group.KEBERLANJUTAN: 4, Group.REPLIKASI: 2},
        coaching=3,
    )
    # Kota Surabaya leaves the scope: its locus, its objects and its coaching form go.
    surabaya = scope.loci[1]
    surabaya.excluded = True
    surabaya.save()
    # One object of Payakumbuh is excluded; one coaching form was never submitted.
    dropped = scope.objects_of(Group.KEBERLANJUTAN)[0]
    dropped.excluded = True
    dropped.save()
    SelfAssessment.objects.filter(pk=scope.coaching[2].pk).update(state=FormState.FORM_MISSING)
    award(edition, Group.PEMBINAAN, institution=institution_a)
    award(
        edition, Group.PEMBINAAN, institution=scope.loci[2].institution, status=AwardStatus.PROPOSED
    )

    document = edition_statistics(edition)

    assert document["loci"]["total"] == 2
    assert document["loci"]["by_kind"]["city"] == 1
    kept = [o for o in scope.objects if o.locus_id != surabaya.pk and o.pk != dropped.pk]
    assert document["objects"]["total"] == len(kept)
    assert document["coaching_assessed"] == 1  # Payakumbuh; Surabaya excluded, third missing
    assert document["awards"] == {
        "total": 1,
        "by_group": {"pembinaan": 1, "keberlanjutan": 0, "replikasi": 0},
    }
    assert document["sentences"]["T3"] == (
        f"PKRI 2024 memantau {len(kept)} inovasi pada 2 instansi: 1 kementerian, 0 lembaga, "
        "1 pemerintah daerah, dan 0 BUMN"
    )
    assert document["sentences"]["T4"] == (
        "Sebanyak 1 penghargaan PKRI 2024 diserahkan pada Gebyar Pelayanan Prima 2024, "
        "8 Oktober 2024"
    )
    assert institution_sentences(edition, institution_a)["T1"] == (
        "Kota Payakumbuh masuk 1 instansi terbaik dari 1 instansi yang berpartisipasi"
    )


@pytest.mark.django_db
def test_interviewees_are_counted_by_score_slot_or_state():
    edition = pkri_edition()
    scope = bulk_scope(edition, loci={K.CITY: 2}, objects={Group.KEBERLANJUTAN: 6})
    forms = [o.form for o in scope.objects]
    SelfAssessment.objects.filter(pk=forms[0].pk).update(interview_score=Decimal("80.00"))
    InterviewSlot.objects.create(
        form=forms[1], starts_at=dt.datetime(2024, 7, 12, 1, tzinfo=dt.UTC)
    )
    _set_states(
        forms[2:],
        [
            (FormState.INTERVIEWED, 1),
            (FormState.NOT_AWARDED, 1),
            (FormState.NOT_SHORTLISTED, 1),
            (FormState.SHORTLISTED, 1),
        ],
    )

    figures = edition_figures(edition)

    assert figures["interviewed"] == {"keberlanjutan": 4, "replikasi": 0}
    assert figures["shortlist"]["keberlanjutan"] == {"shortlisted": 5, "interviewed": 4}


@pytest.mark.django_db
def test_figures_give_response_rates_running_shares_and_coaching_by_kind():
    edition = pkri_edition()
    scope = bulk_scope(
        edition,
        loci={K.CITY: 2, K.REGENCY: 1},
        objects={Group.KEBERLANJUTAN: 3, Group.REPLIKASI: 1},
        coaching=3,
    )
    top = [o.form for o in scope.objects_of(Group.KEBERLANJUTAN)]
    SelfAssessment.objects.filter(pk=top[0].pk).update(snapshot={"data": {"still_running": True}})
    SelfAssessment.objects.filter(pk=top[1].pk).update(snapshot={"data": {"still_running": False}})
    SelfAssessment.objects.filter(pk=top[2].pk).update(state=FormState.FORM_MISSING)
    SelfAssessment.objects.filter(pk=scope.coaching[2].pk).update(state=FormState.FORM_MISSING)
    award(edition, Group.PEMBINAAN, institution=scope.loci_of(K.CITY)[0].institution)
    ReplicationLinkFactory(
        replica=scope.objects_of(Group.REPLIKASI)[0].innovation, status=LinkStatus.CONFIRMED
    )

    figures = edition_figures(edition)

    assert figures["responses"]["keberlanjutan"] == {
        "expected": 3,
        "submitted": 2,
        "missing": 1,
        "pending": 0,
        "rate": Decimal("66.67"),
    }
    assert figures["responses"]["pembinaan"]["rate"] == Decimal("66.67")
    assert figures["running"]["overall"] == {
        "label": None,
        "total": 3,
        "running": 1,
        "stopped": 1,
        "no_response": 1,
        "share": Decimal("50.00"),
    }
    assert figures["running"]["by_cohort"] == [
        {
            "label": 2019,
            "total": 3,
            "running": 1,
            "stopped": 1,
            "no_response": 1,
            "share": Decimal("50.00"),
        }
    ]
    assert [row["label"] for row in figures["running"]["by_tier"]] == ["top99"]
    assert figures["coaching_by_kind"]["city"] == {"participants": 2, "awardees": 1}
    assert figures["coaching_by_kind"]["regency"] == {"participants": 0, "awardees": 0}
    assert figures["replications"] == {"claimed": 0, "confirmed": 1, "verified": 0}


@pytest.mark.django_db
def test_t5_states_each_running_object_from_its_submitted_form(institution_a, unit_a):
    edition = pkri_edition()
    scope = bulk_scope(edition, institutions=[institution_a], objects={Group.KEBERLANJUTAN: 2})
    running, stopped = scope.objects
    running.innovation.name = "SITARANG"
    running.innovation.save()
    running.unit = unit_a
    running.save()
    SelfAssessment.objects.filter(pk=running.form.pk).update(
        snapshot={
            "data": {
                "still_running": True,
                "running_since": "2019-02-01",
                "beneficiaries": [
                    {"year": 2022, "count": 900, "measure": "households"},
                    {"year": 2023, "count": 1065, "measure": "households"},
                ],
            }
        }
    )
    SelfAssessment.objects.filter(pk=stopped.form.pk).update(
        snapshot={
            "data": {
                "still_running": False,
                "beneficiaries": [{"year": 2023, "count": 5, "measure": "people"}],
            }
        }
    )

    texts = institution_sentences(edition, institution_a)

    assert "T1" not in texts  # no coaching award
    assert texts["T5"] == [
        {
            "object": running.pk,
            "innovation": running.innovation_id,
            "text": "SITARANG (Dinas PUPR Kota Payakumbuh, Kota Payakumbuh) masih berjalan "
            "sejak 2019 dan melayani 1.065 rumah tangga pada 2023",
        }
    ]


def _grow(edition, n):
    scope = bulk_scope(
        edition,
        loci={K.CITY: n, K.MINISTRY: n},
        objects={Group.KEBERLANJUTAN: 2 * n, Group.REPLIKASI: n},
        coaching=n,
    )
    bulk_awards(edition, Group.PEMBINAAN, scope.loci[:n])
    bulk_awards(edition, Group.REPLIKASI, scope.objects_of(Group.REPLIKASI))
    return scope


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 12])
def test_statistics_cost_the_same_queries_at_any_size(size, django_assert_num_queries):
    edition = pkri_edition()
    scope = _grow(edition, size)
    institution = scope.loci[0].institution

    with django_assert_num_queries(4):
        edition_statistics(edition)
    with django_assert_num_queries(6):
        edition_figures(edition)
    with django_assert_num_queries(3):
        institution_sentences(edition, institution)
