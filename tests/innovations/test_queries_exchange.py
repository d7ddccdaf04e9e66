"""The stale list and the open requests: the 24-month boundary, filters, answering."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from prima.core.dates import add_months
from prima.core.enums import InstitutionKind
from prima.innovations.domain.innovations import update_innovation
from prima.innovations.models import Innovation
from prima.innovations.queries_exchange import (
    StaleFilters,
    open_update_requests,
    stale_innovations,
    start_of,
)
from tests.factories import InnovationFactory
from tests.innovations.exchange_helpers import asked, make_stale

pytestmark = pytest.mark.django_db


def set_updated(innovation, when: dt.datetime) -> None:
    Innovation.objects.filter(pk=innovation.pk).update(updated_at=when)


def test_exactly_24_months_old_is_not_listed_one_day_more_is(secretariat, unit_a):
    today = dt.date(2024, 6, 15)
    boundary = InnovationFactory(unit=unit_a, name="Tepat 24 bulan")
    older = InnovationFactory(unit=unit_a, name="24 bulan dan sehari")
    set_updated(boundary, start_of(add_months(today, -24)))  # 15 June 2022 00:00 WIB
    set_updated(older, start_of(add_months(today, -24)) - dt.timedelta(seconds=1))

    listed = list(stale_innovations(secretariat, today))

    assert listed == [older]


def test_filters_narrow_the_stale_list(secretariat, innovation_a, innovation_b):
    make_stale(innovation_a)
    make_stale(innovation_b)
    asked(innovation_b, secretariat, days_ago=30)
    today = timezone.localdate()

    def names(**filters):
        return [i.name for i in stale_innovations(secretariat, today, StaleFilters(**filters))]

    assert names() == ["SITARANG", "Klampid New Generation"]  # oldest update first
    assert names(institution=innovation_b.institution_id) == ["Klampid New Generation"]
    assert names(province="13") == ["SITARANG"]
    assert names(kind=InstitutionKind.CITY) == ["SITARANG", "Klampid New Generation"]
    assert names(kind=InstitutionKind.MINISTRY) == []
    assert names(requested="belum") == ["SITARANG"]
    assert names(requested="sudah") == ["Klampid New Generation"]
    listed = {i.name: i.last_requested_at for i in stale_innovations(secretariat, today)}
    assert listed["SITARANG"] is None
    assert listed["Klampid New Generation"] is not None


def test_the_stale_list_is_scoped_to_what_the_person_sees(operator_b, innovation_a, innovation_b):
    make_stale(innovation_a)
    make_stale(innovation_b)
    listed = list(stale_innovations(operator_b, timezone.localdate()))
    assert listed == [innovation_b]


def test_an_owner_edit_answers_the_request_and_leaves_the_stale_list(
    secretariat, operator_a, innovation_a
):
    make_stale(innovation_a)
    asked(innovation_a, secretariat, days_ago=1, message="Mohon perbarui")
    assert list(open_update_requests(operator_a)) == [innovation_a]
    assert list(stale_innovations(secretariat, timezone.localdate())) == [innovation_a]
    row = open_update_requests(operator_a).get()
    assert row.last_request_message == "Mohon perbarui"

    innovation_a.refresh_from_db()
    update_innovation(
        innovation_a,
        actor=operator_a,
        data={"summary": "Ringkasan yang diperbarui."},
        expected_version=innovation_a.version,
    )

    assert list(open_update_requests(operator_a)) == []
    assert list(stale_innovations(secretariat, timezone.localdate())) == []


def test_a_request_older_than_the_last_update_is_not_open(secretariat, admin_a, innovation_a):
    asked(innovation_a, secretariat, days_ago=3)  # the factory row was saved just now
    assert list(open_update_requests(admin_a)) == []


def test_open_requests_are_the_owners(secretariat, admin_a, operator_b, innovation_a):
    make_stale(innovation_a)
    asked(innovation_a, secretariat, days_ago=1)
    assert list(open_update_requests(admin_a)) == [innovation_a]
    assert list(open_update_requests(operator_b)) == []
