"""The hub API (/api/v1/jipp/hubs): public reads, the secretariat's writes."""

from __future__ import annotations

import pytest

from prima.core.domain.tokens import create_api_token
from prima.core.models import AuditEntry
from prima.innovations.models import JippHub
from tests.conftest import client_for
from tests.factories import InnovationFactory, ServiceUnitFactory
from tests.innovations.hub_factories import hub, province, regency

BASE = "/api/v1/jipp/hubs"


@pytest.fixture
def api_as():
    def make(person):
        key = create_api_token(actor=person, name="uji")[1]
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return make


def _send(method, url, person_headers, body=None):
    client = client_for(None)
    call = getattr(client, method)
    if body is None:
        return call(url, **person_headers)
    return call(url, data=body, content_type="application/json", **person_headers)


def test_anyone_reads_the_hub_list_with_figures(sumbar, institution_a):
    hub(sumbar, members=[institution_a], universities=["Universitas Andalas"])
    InnovationFactory(unit=ServiceUnitFactory(institution=institution_a), is_published=True)

    body = client_for(None).get(BASE).json()

    assert body["count"] == 1
    assert body["items"][0] == {
        "id": JippHub.objects.get().pk,
        "province": {"code": "13", "name": "Sumatera Barat"},
        "decree_ref": "KepmenPANRB 94/2020",
        "year": 2020,
        "universities": ["Universitas Andalas"],
        "members": 1,
        "published_innovations": 1,
        "counted_replications": 0,
    }


def test_the_list_takes_a_fixed_number_of_queries(django_assert_num_queries, sumbar):
    hub(sumbar)
    client = client_for(None)
    with django_assert_num_queries(2):  # count, page
        client.get(BASE)
    for code, name in (("35", "Jawa Timur"), ("51", "Bali"), ("81", "Maluku")):
        hub(province(code, name), members=[regency(f"{code}.01", f"Kabupaten {name}")])
    with django_assert_num_queries(2):
        assert client.get(BASE).json()["count"] == 4


def test_the_list_pages(sumbar):
    hub(sumbar)
    hub(province("35", "Jawa Timur"))
    body = client_for(None).get(BASE + "?limit=1&offset=1").json()
    assert body["count"] == 2
    assert [item["province"]["name"] for item in body["items"]] == ["Jawa Timur"]


def test_anyone_reads_one_hub_with_members_and_innovations(
    django_assert_num_queries, sumbar, institution_a
):
    made = hub(sumbar, members=[institution_a])
    shown = InnovationFactory(
        unit=ServiceUnitFactory(institution=institution_a, name="Dinas PUPR"),
        name="SITARANG",
        is_published=True,
    )
    InnovationFactory(unit=ServiceUnitFactory(institution=institution_a), is_published=False)
    client = client_for(None)

    with django_assert_num_queries(3):
        body = client.get(f"{BASE}/{made.pk}").json()

    assert body["member_list"] == [
        {
            "id": institution_a.pk,
            "name": "Pemerintah Kota Payakumbuh",
            "kind": "city",
            "region_code": "13.76",
            "published_innovations": [{"id": shown.pk, "name": "SITARANG", "unit": "Dinas PUPR"}],
        }
    ]
    for code in ("13.06", "13.07"):
        member = regency(code, f"Kabupaten {code}")
        made.members.add(member)
        InnovationFactory(unit=ServiceUnitFactory(institution=member), is_published=True)
    with django_assert_num_queries(3):
        assert len(client.get(f"{BASE}/{made.pk}").json()["member_list"]) == 3


def test_an_unknown_hub_is_404(db):
    assert client_for(None).get(f"{BASE}/999").status_code == 404


def test_the_secretariat_creates_a_hub(secretariat, sumbar, api_as):
    response = _send(
        "post",
        BASE,
        api_as(secretariat),
        {"province": "13", "decree_ref": "KepmenPANRB 94/2020", "year": 2020},
    )
    assert response.status_code == 201
    assert response.json()["province"] == {"code": "13", "name": "Sumatera Barat"}
    assert response.json()["member_list"] == []
    assert AuditEntry.objects.filter(action="jipp.hub.created").count() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"province": "99", "decree_ref": "SK", "year": 2020}, "kode 99 tidak ada"),
        ({"province": "13.76", "decree_ref": "SK", "year": 2020}, "bukan provinsi"),
        ({"province": "13", "decree_ref": " ", "year": 2020}, "kolom: decree_ref"),
        ({"province": "13", "decree_ref": "SK", "year": 1990}, "kolom: year"),
        (
            {"province": "13", "decree_ref": "SK", "year": 2020, "universities": ["A", ""]},
            "ke-2 kosong",
        ),
    ],
)
def test_a_refused_create_is_422_and_writes_nothing(secretariat, sumbar, api_as, body, message):
    response = _send("post", BASE, api_as(secretariat), body)
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert not JippHub.objects.exists()


def test_patch_changes_only_the_fields_sent(secretariat, sumbar, api_as):
    made = hub(sumbar, universities=["Universitas Andalas"])
    response = _send("patch", f"{BASE}/{made.pk}", api_as(secretariat), {"year": 2021})
    assert response.status_code == 200
    made.refresh_from_db()
    assert (made.year, made.decree_ref, made.universities) == (
        2021,
        "KepmenPANRB 94/2020",
        ["Universitas Andalas"],
    )
    assert AuditEntry.objects.filter(action="jipp.hub.updated").count() == 1


def test_patch_moves_a_hub_to_a_free_province(secretariat, sumbar, api_as):
    made = hub(sumbar)
    province("51", "Bali")
    response = _send("patch", f"{BASE}/{made.pk}", api_as(secretariat), {"province": "51"})
    assert response.json()["province"]["name"] == "Bali"


def test_delete_removes_the_hub(secretariat, sumbar, api_as):
    made = hub(sumbar)
    assert _send("delete", f"{BASE}/{made.pk}", api_as(secretariat)).status_code == 204
    assert not JippHub.objects.exists()
    assert AuditEntry.objects.filter(action="jipp.hub.deleted").count() == 1


def test_put_members_replaces_the_list(secretariat, sumbar, institution_a, api_as):
    agam = regency("13.06", "Kabupaten Agam")
    made = hub(sumbar, members=[institution_a])
    response = _send(
        "put", f"{BASE}/{made.pk}/members", api_as(secretariat), {"institutions": [agam.pk]}
    )
    assert response.status_code == 200
    assert [m["id"] for m in response.json()["member_list"]] == [agam.pk]
    assert response.json()["members"] == 1


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (lambda a, b: [a.pk, 99999], "nomor id 99999 tidak ada"),
        (lambda a, b: [a.pk, b.pk], "Pemerintah Kota Surabaya tidak berada di Provinsi"),
    ],
)
def test_put_members_refuses_unknown_or_outside_institutions(
    secretariat, sumbar, institution_a, institution_b, api_as, ids, message
):
    made = hub(sumbar)
    response = _send(
        "put",
        f"{BASE}/{made.pk}/members",
        api_as(secretariat),
        {"institutions": ids(institution_a, institution_b)},
    )
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert not made.members.exists()
