"""The provincial coordinator's scoped querysets (`prima.pkri.queries`, pkri.md §2)."""

from __future__ import annotations

import pytest

from prima.evaluation.enums import EditionState
from prima.pkri.queries import (
    editions_visible_to,
    forms_visible_to,
    loci_in_province_for,
    province_progress_editions,
)
from tests.pkri.factories import PkriEditionFactory
from tests.pkri.province_factories import coordinator, province_government, province_world

pytestmark = pytest.mark.django_db


def _names(loci):
    return [locus.institution.name for locus in loci]


def test_the_coordinator_sees_the_loci_of_its_province_with_their_progress(
    institution_a, institution_b
):
    world = province_world(institution_a, institution_b)

    loci = list(loci_in_province_for(world.coordinator, world.edition))

    # The province government first, then its regencies and cities by name.
    assert _names(loci) == [
        "Pemerintah Provinsi Jawa Timur",
        "Pemerintah Kabupaten Malang",
        "Pemerintah Kota Surabaya",
    ]
    jatim, kab, surabaya = loci
    assert (jatim.n_objects, jatim.n_submitted, jatim.n_returned) == (2, 1, 1)
    assert jatim.coaching_state == "submitted"
    # The excluded object counts nowhere.
    assert (kab.n_objects, kab.n_announced, kab.coaching_state) == (1, 1, "draft")
    assert (surabaya.n_draft, surabaya.n_missing, surabaya.coaching_state) == (1, 1, None)


def test_the_coordinator_never_sees_another_province_nor_a_form(institution_a, institution_b):
    world = province_world(institution_a, institution_b)

    assert not loci_in_province_for(world.coordinator, world.edition, "13").exists()
    assert not forms_visible_to(world.coordinator, world.edition).exists()
    # Coordinating is not taking part: the participant pages stay closed.
    assert not editions_visible_to(world.coordinator).exists()


def test_a_draft_scope_is_hidden_from_the_coordinator(institution_a, institution_b):
    world = province_world(institution_a, institution_b, state=EditionState.SCOPE_DRAFT)

    assert not loci_in_province_for(world.coordinator, world.edition).exists()
    assert not province_progress_editions(world.coordinator).exists()


def test_national_readers_pick_any_province(institution_a, institution_b, secretariat):
    world = province_world(institution_a, institution_b)

    assert _names(loci_in_province_for(secretariat, world.edition, "13")) == [
        "Pemerintah Kota Payakumbuh"
    ]
    assert loci_in_province_for(secretariat, world.edition).count() == 4


def test_progress_editions_are_those_with_a_locus_in_the_province(
    institution_a, institution_b, nobody, admin_a
):
    world = province_world(institution_a, institution_b)
    PkriEditionFactory(stages=EditionState.FORMS_OPEN)  # no locus in Jawa Timur
    bali = coordinator(province_government("51", "Bali"))

    assert list(province_progress_editions(world.coordinator)) == [world.edition]
    assert not province_progress_editions(bali).exists()
    assert not province_progress_editions(nobody).exists()
    assert not province_progress_editions(admin_a).exists()
    assert not loci_in_province_for(admin_a, world.edition).exists()
