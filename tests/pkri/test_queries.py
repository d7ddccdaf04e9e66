"""Who sees which PKRI editions, loci, objects and forms (prima.pkri.queries)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.core.enums import Role
from prima.evaluation.enums import EditionState
from prima.pkri.domain.desk import start_desk_evaluation
from prima.pkri.enums import FormKind
from prima.pkri.queries import (
    editions_visible_to,
    forms_visible_to,
    loci_visible_to,
    objects_visible_to,
)
from tests.conftest import client_for
from tests.factories import InnovationFactory, ServiceUnitFactory, person_with_role
from tests.pkri.desk_factories import appoint, assign, submitted_object_form, token_headers
from tests.pkri.factories import (
    LocusFactory,
    PkriEditionFactory,
    ScopeObjectFactory,
    SelfAssessmentFactory,
    coaching_form,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(institution_a, institution_b, unit_a, unit_b):
    """A frozen edition: Payakumbuh (two units) and Surabaya, each with objects and forms."""
    edition = PkriEditionFactory(stages="forms_open")
    other_unit_a = ServiceUnitFactory(institution=institution_a, name="Puskesmas Ibuh")
    locus_a = LocusFactory(edition=edition, institution=institution_a)
    locus_b = LocusFactory(edition=edition, institution=institution_b)
    obj_a1 = ScopeObjectFactory(
        edition=edition, locus=locus_a, innovation=InnovationFactory(unit=unit_a)
    )
    obj_a2 = ScopeObjectFactory(
        edition=edition, locus=locus_a, innovation=InnovationFactory(unit=other_unit_a)
    )
    obj_b = ScopeObjectFactory(
        edition=edition, locus=locus_b, innovation=InnovationFactory(unit=unit_b)
    )
    forms = {
        "a1": SelfAssessmentFactory(object=obj_a1),
        "a2": SelfAssessmentFactory(object=obj_a2),
        "b": SelfAssessmentFactory(object=obj_b),
        "coach_a": coaching_form(locus_a),
        "coach_b": coaching_form(locus_b),
    }
    return {
        "edition": edition,
        "loci": {"a": locus_a, "b": locus_b},
        "objects": {"a1": obj_a1, "a2": obj_a2, "b": obj_b},
        "forms": forms,
    }


def _ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_secretariat_and_national_viewer_see_everything(world, secretariat):
    viewer = person_with_role(Role.VIEWER)
    edition = world["edition"]
    for person in (secretariat, viewer):
        assert edition in editions_visible_to(person)
        assert _ids(loci_visible_to(person, edition)) == {
            locus.pk for locus in world["loci"].values()
        }
        assert _ids(objects_visible_to(person, edition)) == {
            o.pk for o in world["objects"].values()
        }
        assert _ids(forms_visible_to(person, edition)) == {f.pk for f in world["forms"].values()}


def test_admin_lokal_sees_its_institution_only(world, admin_a):
    edition = world["edition"]
    assert list(editions_visible_to(admin_a)) == [edition]
    assert _ids(loci_visible_to(admin_a, edition)) == {world["loci"]["a"].pk}
    assert _ids(objects_visible_to(admin_a, edition)) == {
        world["objects"]["a1"].pk,
        world["objects"]["a2"].pk,
    }
    forms = world["forms"]
    assert _ids(forms_visible_to(admin_a, edition)) == {
        forms["a1"].pk,
        forms["a2"].pk,
        forms["coach_a"].pk,
    }


def test_operator_sees_own_unit_objects_and_never_coaching_forms(world, operator_a):
    edition = world["edition"]
    assert list(editions_visible_to(operator_a)) == [edition]
    assert _ids(objects_visible_to(operator_a, edition)) == {world["objects"]["a1"].pk}
    visible_forms = forms_visible_to(operator_a, edition)
    assert _ids(visible_forms) == {world["forms"]["a1"].pk}
    assert not visible_forms.filter(kind=FormKind.COACHING).exists()
    # The locus holding the operator's object, not the other institution's.
    assert _ids(loci_visible_to(operator_a, edition)) == {world["loci"]["a"].pk}


def test_operator_of_other_institution_never_sees_payakumbuh(world, operator_b):
    edition = world["edition"]
    assert _ids(objects_visible_to(operator_b, edition)) == {world["objects"]["b"].pk}
    assert _ids(forms_visible_to(operator_b, edition)) == {world["forms"]["b"].pk}
    assert _ids(loci_visible_to(operator_b, edition)) == {world["loci"]["b"].pk}


def test_people_without_role_and_public_see_nothing(world, nobody, evaluator):
    edition = world["edition"]
    for person in (nobody, None, evaluator):
        assert not editions_visible_to(person).exists()
        assert not loci_visible_to(person, edition).exists()
        assert not objects_visible_to(person, edition).exists()
        assert not forms_visible_to(person, edition).exists()


def test_draft_scope_is_hidden_from_participants(
    institution_a, unit_a, admin_a, operator_a, secretariat
):
    edition = PkriEditionFactory(stages="scope_draft")
    locus = LocusFactory(edition=edition, institution=institution_a)
    ScopeObjectFactory(edition=edition, locus=locus, innovation=InnovationFactory(unit=unit_a))
    for person in (admin_a, operator_a):
        assert not editions_visible_to(person).exists()
        assert not loci_visible_to(person, edition).exists()
        assert not objects_visible_to(person, edition).exists()
    assert loci_visible_to(secretariat, edition).count() == 1


def test_other_editions_do_not_leak(world, secretariat):
    other = PkriEditionFactory(stages="forms_open")
    LocusFactory(edition=other)
    assert loci_visible_to(secretariat, world["edition"]).count() == 2
    assert loci_visible_to(secretariat, other).count() == 1


@pytest.fixture
def desk_world(db, secretariat, institution_a, institution_b):
    """A desk evaluation: a Payakumbuh form (province 13), a Surabaya form and one more."""
    edition = PkriEditionFactory(stages=EditionState.FORMS_CLOSED)
    local = submitted_object_form(edition, institution_a, name="Inovasi Payakumbuh")
    other = submitted_object_form(edition, institution_b, name="Inovasi Surabaya")
    unassigned = submitted_object_form(edition, institution_b, name="Inovasi Lain")
    start_desk_evaluation(edition, actor=secretariat)
    return edition, local, other, unassigned


def _seen(person, form_ids):
    """Which of the forms the person finds on the list page, the detail page and the API."""
    client = client_for(person)
    listing = client.get(reverse("pkri_form_list")).content.decode()
    auth = token_headers(person)
    api_ids = {item["id"] for item in client.get("/api/v1/pkri/forms", **auth).json()["items"]}
    seen = {}
    for pk in form_ids:
        detail = client.get(reverse("pkri_form_detail", args=[pk])).status_code
        api = client.get(f"/api/v1/pkri/forms/{pk}", **auth).status_code
        seen[pk] = (
            reverse("pkri_form_detail", args=[pk]) in listing,
            detail == 200,
            pk in api_ids,
            api == 200,
        )
    return seen


@pytest.mark.parametrize("role", [Role.VIEWER, Role.SECRETARIAT])
def test_a_national_reader_appointed_as_evaluator_sees_only_what_an_evaluator_sees(
    desk_world, role
):
    edition, local, other, unassigned = desk_world
    reader = person_with_role(role)
    ids = [local.pk, other.pk, unassigned.pk]
    assert _ids(forms_visible_to(reader, edition)) == set(ids)

    appointment = appoint(edition, reader, home_province="13")  # Payakumbuh's province
    assign(local, appointment)
    assign(other, appointment)
    reader = type(reader).objects.get(pk=reader.pk)  # a fresh request's person

    assert _ids(forms_visible_to(reader, edition)) == {other.pk}
    assert not loci_visible_to(reader, edition).exists()
    assert not objects_visible_to(reader, edition).exists()
    seen = _seen(reader, ids)
    assert seen[local.pk] == (False, False, False, False)
    assert seen[unassigned.pk] == (False, False, False, False)


def test_a_national_viewer_without_an_appointment_sees_every_form_everywhere(desk_world):
    _edition, local, other, unassigned = desk_world
    viewer = person_with_role(Role.VIEWER)
    ids = [local.pk, other.pk, unassigned.pk]

    seen = _seen(viewer, ids)

    assert all(seen[pk] == (True, True, True, True) for pk in ids)
