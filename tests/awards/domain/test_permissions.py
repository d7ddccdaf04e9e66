"""When an edition's awards are public: one predicate for awards and PKRI results."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.awards.domain.permissions import results_public
from prima.pkri.domain.results import may_read_results
from tests.awards.helpers import decided_innovation_awards, edition_with_categories
from tests.conftest import client_for
from tests.pkri.factories import PkriEditionFactory


@pytest.mark.parametrize(
    "state, published, public",
    [
        ("plenary", True, False),  # published early (e.g. the shortlist), results not yet
        ("results", False, False),
        ("results", True, True),
        ("decreed", True, True),
        ("closed", True, True),
    ],
)
def test_results_are_public_once_published_in_a_results_state(personas, state, published, public):
    edition = PkriEditionFactory(stages=state, is_published=published)
    for persona in ("public", "nobody", "admin_a", "operator_b"):
        person = personas[persona]
        assert results_public(person, edition) is public
        assert may_read_results(person, edition) is public  # PKRI pages agree
    assert results_public(personas["secretariat"], edition) is True


def test_award_list_of_a_published_edition_before_results_is_not_found(secretariat, personas):
    edition, _coaching, sustained = edition_with_categories(secretariat)
    decided_innovation_awards(sustained, secretariat)
    edition.is_published = True
    edition.state = "plenary"
    edition.save()
    url = reverse("awards_list", args=[edition.code])
    assert client_for(None).get(url).status_code == 404
    assert client_for(None).get(f"/api/v1/awards/editions/{edition.code}/awards").status_code == 404
    assert client_for(personas["secretariat"]).get(url).status_code == 200
