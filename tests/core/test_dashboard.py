"""The dashboard: one panel per role held, every number counted from the database."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.core.domain import accounts
from prima.core.enums import Role
from tests.core.domain.test_accounts import submit
from tests.factories import InnovationFactory, ServiceUnitFactory, person_with_role


def text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_secretariat_sees_pending_requests_registry_counts_and_recent_activity(
    as_client, secretariat, institution_a, institution_b, unit_a, unit_b
):
    submit(institution_a)
    InnovationFactory(unit=unit_a)
    InnovationFactory(unit=unit_b)
    response = as_client(secretariat).get(reverse("dashboard"))
    panel = response.context["secretariat"]
    assert panel["pending_count"] == 1
    assert panel["institution_count"] == 2
    assert panel["unit_count"] == 2
    assert panel["innovation_count"] == 2
    page = text(response)
    assert "Permohonan akun menunggu" in page
    assert "Pemerintah Kota Payakumbuh" in page
    assert "account_request.submitted" in page


@pytest.mark.django_db
def test_admin_lokal_sees_their_units_operators_and_innovations_only(
    as_client, admin_a, operator_a, operator_b, unit_a, unit_b, institution_a
):
    empty_unit = ServiceUnitFactory(institution=institution_a, name="Puskesmas Tarok")
    InnovationFactory(unit=unit_a, name="SITARANG")
    InnovationFactory(unit=unit_b, name="Surabaya Single Window")
    response = as_client(admin_a).get(reverse("dashboard"))
    panel = response.context["institution_admin"]
    assert panel["unit_count"] == 2
    assert panel["operator_count"] == 1
    assert panel["innovation_count"] == 1
    units = {u.name: (u.operator_count, u.innovation_count) for u in panel["units"]}
    assert units == {unit_a.name: (1, 1), empty_unit.name: (0, 0)}
    page = text(response)
    assert "belum ada operator" in page
    assert f"{reverse('operator_create')}?unit={empty_unit.pk}" in page
    assert "Dinas Kependudukan Kota Surabaya" not in page


@pytest.mark.django_db
def test_deactivated_operators_are_not_counted(as_client, admin_a, operator_a):
    accounts.deactivate_person(operator_a, actor=admin_a, reason="Mutasi")
    panel = as_client(admin_a).get(reverse("dashboard")).context["institution_admin"]
    assert panel["operator_count"] == 0


@pytest.mark.django_db
def test_operator_sees_their_units_innovations_and_the_register_button(
    as_client, operator_a, unit_a, unit_b
):
    InnovationFactory(unit=unit_a, name="Klinik Berhenti Merokok")
    InnovationFactory(unit=unit_b, name="Surabaya Single Window")
    response = as_client(operator_a).get(reverse("dashboard"))
    page = text(response)
    assert response.context["operator"]["innovation_count"] == 1
    assert "Klinik Berhenti Merokok" in page
    assert "Surabaya Single Window" not in page
    assert f'href="{reverse("innovation_create")}"' in page
    assert "Daftarkan inovasi" in page
    assert "secretariat" not in response.context


@pytest.mark.django_db
def test_evaluator_is_told_tasks_come_with_an_assignment(as_client, evaluator):
    page = text(as_client(evaluator).get(reverse("dashboard")))
    assert "Tim Evaluasi" in page
    assert "setelah sekretariat membuka sebuah edisi program dan menugaskan Anda" in page
    assert "Permohonan akun menunggu" not in page


@pytest.mark.django_db
def test_a_person_with_two_roles_sees_both_panels(as_client, operator_a, secretariat, unit_a):
    accounts.grant_membership(operator_a, actor=secretariat, role=Role.PANELIST)
    page = text(as_client(operator_a).get(reverse("dashboard")))
    assert "Daftarkan inovasi" in page and "Tim Panel Independen" in page


@pytest.mark.django_db
def test_secretariat_dashboard_query_count_does_not_grow_with_data(
    as_client, secretariat, unit_a, django_assert_num_queries
):
    client = as_client(secretariat)
    InnovationFactory(unit=unit_a)
    # Nine for the panels of core, one each for the running KIPP and PKRI editions (none),
    # one for the replication claims awaiting review, two for SKM (surveys per state and
    # units without a calculated survey last year).
    with django_assert_num_queries(14):
        client.get(reverse("dashboard"))
    for _ in range(5):
        unit = ServiceUnitFactory()
        InnovationFactory(unit=unit)
        person_with_role(Role.UNIT_OPERATOR, unit=unit)
    with django_assert_num_queries(14):
        client.get(reverse("dashboard"))
