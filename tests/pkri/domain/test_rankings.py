"""Final ranking and award proposals (pkri.md §7.4, §7.5; B7)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from prima.awards.enums import AwardStatus
from prima.awards.models import Award
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import InstitutionKind
from prima.evaluation.enums import EditionState
from prima.pkri.domain.rankings import compute_rankings, consolidated_levels
from prima.pkri.enums import FormState, Group
from tests.factories import InstitutionFactory
from tests.pkri.decision_factories import categories, edition_at, evaluated_coaching, evaluated_form

pytestmark = pytest.mark.django_db

# B7: kota loci with their synthetic final scores and P8 levels.
B7 = [
    ("Kota Surabaya", "91.25", 2),
    ("Kota Balikpapan", "88.50", 2),
    ("Kota Payakumbuh", "85.00", 4),
    ("Kota Sawahlunto", "85.00", 3),
    ("Kota Mataram", "83.75", 2),
    ("Kota Demo 1", "83.00", 2),
    ("Kota Demo 2", "79.50", 2),
]


def _city(name):
    return InstitutionFactory(kind=InstitutionKind.CITY, short_name=name, name=f"Pemerintah {name}")


@pytest.fixture
def b7_edition(secretariat):
    edition = edition_at(EditionState.PLENARY)
    categories(edition, secretariat)
    forms = {}
    # Sawahlunto is created before Payakumbuh so that only P8 can put Payakumbuh ahead.
    for name, final, p8 in sorted(B7, key=lambda row: row[0] != "Kota Sawahlunto"):
        forms[name] = evaluated_coaching(
            edition, _city(name), desk=final, levels={"p8": p8, "p7": 3, "p1": 3}
        )
    return edition, forms


def test_b7_ranking_within_kota_through_the_database(secretariat, b7_edition):
    edition, forms = b7_edition

    compute_rankings(edition, actor=secretariat)

    ranks = dict(forms)
    for form in ranks.values():
        form.refresh_from_db()
    assert [name for name, _final, _p8 in B7] == sorted(ranks, key=lambda n: ranks[n].rank)
    assert ranks["Kota Payakumbuh"].rank == 3
    assert ranks["Kota Sawahlunto"].rank == 4
    assert not any(f.tie_at_cutoff for f in ranks.values())
    assert all(f.state == FormState.RANKED for f in ranks.values())
    assert ranks["Kota Payakumbuh"].final_score == Decimal("85.00")
    awarded = Award.objects.filter(edition=edition, category__code=Group.PEMBINAAN)
    assert {a.institution.short_name for a in awarded} == {
        "Kota Surabaya",
        "Kota Balikpapan",
        "Kota Payakumbuh",
        "Kota Sawahlunto",
        "Kota Mataram",
    }
    assert {a.status for a in awarded} == {AwardStatus.PROPOSED}
    assert {a.stratum for a in awarded} == {InstitutionKind.CITY}
    assert awarded.get(institution=ranks["Kota Payakumbuh"].locus.institution).rank == 3


def test_a_tie_that_remains_at_the_cut_off_is_flagged(secretariat):
    edition = edition_at(EditionState.PLENARY)
    categories(edition, secretariat)
    rows = [
        ("A", "90.00"),
        ("B", "88.00"),
        ("C", "86.00"),
        ("D", "84.00"),
        ("E", "80.00"),
        ("F", "80.00"),
    ]
    forms = [
        evaluated_coaching(edition, _city(f"Kota {name}"), desk=score, levels={"p8": 3})
        for name, score in rows
    ]

    compute_rankings(edition, actor=secretariat)

    for form in forms:
        form.refresh_from_db()
    assert [f.tie_at_cutoff for f in forms] == [False, False, False, False, True, True]
    assert [f.rank for f in forms] == [1, 2, 3, 4, 5, 5]


def test_below_the_minimum_final_score_nobody_is_proposed(secretariat):
    edition = edition_at(EditionState.PLENARY)
    categories(edition, secretariat)
    form = evaluated_coaching(edition, _city("Kota Rendah"), desk="69.99")

    compute_rankings(edition, actor=secretariat)

    form.refresh_from_db()
    assert form.rank == 1
    assert not Award.objects.filter(edition=edition).exists()


def test_object_groups_are_ranked_among_the_interviewed_by_final_score(secretariat):
    edition = edition_at(
        EditionState.PLENARY, **{"groups.keberlanjutan.awards": 2, "totals_check.awards": 39}
    )
    categories(edition, secretariat)
    scores = ["80.00", "92.10", "85.40"]
    forms = []
    for score in scores:
        form = evaluated_form(edition, desk="70.00", state=FormState.INTERVIEWED)
        form.final_score = Decimal(score)
        form.save(update_fields=["final_score"])
        forms.append(form)
    not_interviewed = evaluated_form(edition, desk="99.00", state=FormState.NOT_SHORTLISTED)

    compute_rankings(edition, actor=secretariat)

    for form in (*forms, not_interviewed):
        form.refresh_from_db()
    assert [f.rank for f in forms] == [3, 1, 2]
    assert not_interviewed.rank is None
    assert all(f.state == FormState.INTERVIEWED for f in forms)
    proposed = Award.objects.filter(category__code=Group.KEBERLANJUTAN).order_by("rank")
    assert [a.innovation_id for a in proposed] == [
        forms[1].object.innovation_id,
        forms[2].object.innovation_id,
    ]


def test_ranking_moves_the_edition_from_interviews_to_plenary(secretariat):
    edition = edition_at(EditionState.INTERVIEWS)
    stage = edition.stages.get(code=EditionState.INTERVIEWS)
    stage.status = "closed"
    stage.save(update_fields=["status"])
    categories(edition, secretariat)

    compute_rankings(edition, actor=secretariat)

    edition.refresh_from_db()
    assert edition.state == EditionState.PLENARY


def test_ranking_waits_for_the_interviews_to_close(secretariat):
    edition = edition_at(EditionState.INTERVIEWS)
    categories(edition, secretariat)

    with pytest.raises(DomainError, match="Tutup wawancara"):
        compute_rankings(edition, actor=secretariat)


def test_a_group_without_an_award_category_is_refused(secretariat):
    edition = edition_at(EditionState.PLENARY)

    with pytest.raises(DomainError, match="kategori penghargaan"):
        compute_rankings(edition, actor=secretariat)


def test_only_the_secretariat_ranks(admin_a):
    edition = edition_at(EditionState.PLENARY)

    with pytest.raises(PermissionDenied):
        compute_rankings(edition, actor=admin_a)


def test_consolidated_levels_round_the_evaluators_mean_half_up():
    # Evaluators gave P8 levels 3 and 4 (75, 100 → mean 87.5 = level 3.5 → 4) and P7 2, 2.
    means = {"p8": Decimal("87.5"), "p7": Decimal("50")}
    assert consolidated_levels(means, {"p8": 1, "p1": 3}) == {"p8": 4, "p7": 2, "p1": 3}
    # 2 and 3 → 62.5 → 2.5 → 3; one evaluator's 1 and another's 2 → 37.5 → 1.5 → 2.
    assert consolidated_levels({"p1": Decimal("62.5"), "p2": Decimal("37.5")}, {}) == {
        "p1": 3,
        "p2": 2,
    }
