"""Browsing the audit log, one object's history, and verifying the chain from the page."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from prima.core.domain import accounts, audit
from prima.core.enums import Role
from prima.core.models import AuditEntry
from tests.factories import person_with_role


@pytest.fixture
def national_viewer(db):
    return person_with_role(Role.VIEWER, username="pemantau")


def record(actor, action="test.changed", object_id="1", **kwargs):
    with transaction.atomic():
        return audit.record(
            actor=actor,
            action=action,
            object_type=kwargs.pop("object_type", "innovations.innovation"),
            object_id=object_id,
            object_repr=kwargs.pop("object_repr", f"Inovasi {object_id}"),
            **kwargs,
        )


@pytest.mark.django_db
def test_secretariat_and_national_viewers_read_the_log(
    as_client, secretariat, national_viewer, operator_a
):
    accounts.deactivate_person(operator_a, actor=secretariat, reason="Mutasi ke Dinas Kesehatan")
    for reader in (secretariat, national_viewer):
        page = as_client(reader).get(reverse("audit_list")).content.decode()
        assert "person.deactivated" in page
        assert "Mutasi ke Dinas Kesehatan" in page


@pytest.mark.django_db
def test_institution_scoped_viewer_may_not_read_the_log(as_client, institution_a, admin_a):
    local_viewer = person_with_role(Role.VIEWER, institution=institution_a)
    for person in (local_viewer, admin_a):
        assert as_client(person).get(reverse("audit_list")).status_code == 403


@pytest.mark.django_db
def test_filters_by_action_actor_object_type_and_dates(as_client, secretariat, operator_a):
    record(operator_a, action="innovation.created", object_id="7")
    record(secretariat, action="institution.updated", object_type="core.institution")
    old = record(secretariat, action="innovation.published", object_id="8")
    AuditEntry.objects.filter(pk=old.pk).update(
        created_at=timezone.make_aware(dt.datetime(2024, 3, 1, 23, 30))
    )
    client = as_client(secretariat)

    def shown(**params):
        response = client.get(reverse("audit_list"), params)
        return {e.action for e in response.context["page"].object_list}

    assert shown(action="innovation") == {"innovation.created", "innovation.published"}
    assert shown(action="innovation.created") == {"innovation.created"}
    assert shown(actor="operator_a") == {"innovation.created"}
    assert shown(object_type="core.institution") == {"institution.updated"}
    # 23:30 on 1 March in Jakarta belongs to that day, whatever UTC says.
    assert shown(date_from="2024-03-01", date_to="2024-03-01") == {"innovation.published"}
    assert "innovation.published" not in shown(date_from="2024-03-02")
    bad = client.get(reverse("audit_list"), {"date_from": "01/03/2024"}).content.decode()
    assert "Tanggal awal tidak valid" in bad


@pytest.mark.django_db
def test_audit_list_costs_the_same_queries_for_1_and_6_rows(
    as_client, secretariat, django_assert_num_queries
):
    record(secretariat)
    client = as_client(secretariat)
    with django_assert_num_queries(6):
        client.get(reverse("audit_list"))
    for n in range(5):
        record(secretariat, object_id=str(n + 10), object_type=f"type.{n}")
    with django_assert_num_queries(6):
        response = client.get(reverse("audit_list"))
    assert response.context["page"].paginator.count == 6


@pytest.mark.django_db
def test_object_history_shows_what_changed_each_time(as_client, secretariat):
    record(secretariat, action="innovation.created", object_id="5", after={"name": "SITARANG"})
    record(
        secretariat,
        action="innovation.updated",
        object_id="5",
        before={"name": "SITARANG", "status": "active"},
        after={"name": "SITARANG", "status": "paused"},
        reason="Server pindah ke pusat data daerah",
    )
    record(secretariat, action="innovation.updated", object_id="6")
    response = as_client(secretariat).get(
        reverse("audit_object_history", args=["innovations.innovation", "5"])
    )
    rows = response.context["rows"]
    assert [entry.action for entry, _changes in rows] == [
        "innovation.created",
        "innovation.updated",
    ]
    assert rows[1][1] == [("status", "active", "paused")]
    page = response.content.decode()
    assert "Server pindah ke pusat data daerah" in page
    assert "paused" in page


@pytest.mark.django_db
def test_object_history_query_count_is_fixed(as_client, secretariat, django_assert_num_queries):
    record(secretariat, object_id="5")
    client = as_client(secretariat)
    url = reverse("audit_object_history", args=["innovations.innovation", "5"])
    with django_assert_num_queries(6):
        client.get(url)
    for _ in range(5):
        record(secretariat, object_id="5")
    with django_assert_num_queries(6):
        client.get(url)


@pytest.mark.django_db
def test_verify_button_reports_an_intact_chain_and_then_a_tampered_one(as_client, secretariat):
    first = record(secretariat)
    record(secretariat)
    client = as_client(secretariat)
    ok = client.post(reverse("audit_verify")).content.decode()
    assert "Rantai utuh" in ok and "2 catatan diperiksa" in ok

    AuditEntry.objects.filter(pk=first.pk).update(reason="diubah diam-diam")
    broken = client.post(reverse("audit_verify")).content.decode()
    assert "Rantai rusak" in broken
    assert f"#{first.pk}" in broken
    assert "isi catatan telah berubah" in broken


@pytest.mark.django_db
def test_verify_needs_post(as_client, secretariat):
    assert as_client(secretariat).get(reverse("audit_verify")).status_code == 405


@pytest.mark.django_db
def test_export_csv_holds_the_filtered_entries_with_jakarta_times(as_client, secretariat):
    entry = record(secretariat, action="innovation.created")
    AuditEntry.objects.filter(pk=entry.pk).update(
        created_at=dt.datetime(2025, 1, 1, 17, 0, tzinfo=dt.UTC)
    )
    record(secretariat, action="institution.updated")
    response = as_client(secretariat).get(
        reverse("audit_list"), {"format": "csv", "action": "innovation"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][1] == "2025-01-02 00:00:00"
    assert rows[1][3] == "innovation.created"


# --- authorisation matrix ------------------------------------------------------------

AUDIT_PAGES = [
    ("audit_list", "get", ()),
    ("audit_object_history", "get", ("core.person", "1")),
    ("audit_verify", "post", ()),
]
ALLOWED = {"secretariat", "national_viewer"}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "args"), AUDIT_PAGES)
def test_audit_authorisation_matrix(as_client, personas, national_viewer, name, method, args):
    url = reverse(name, args=args)
    cast = {**personas, "national_viewer": national_viewer}
    for persona, person in cast.items():
        response = getattr(as_client(person), method)(url)
        if person is None:
            expected = 302
        elif persona in ALLOWED:
            expected = 200
        else:
            expected = 403
        assert response.status_code == expected, (persona, name)
