"""The registry API: public regions and institutions, token-scoped service units."""

from __future__ import annotations

import pytest
from django.test import Client

from prima.core.api_auth import digest_of
from prima.core.enums import InstitutionKind, RegionLevel
from prima.core.models import ApiToken, Institution
from tests.factories import InstitutionFactory, RegionFactory, ServiceUnitFactory

pytestmark = pytest.mark.django_db


def token_for(person, key: str = "prima_test_key_0123456789") -> dict[str, str]:
    ApiToken.objects.create(person=person, name="integrasi", prefix=key[:8], digest=digest_of(key))
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def get(path: str, params=None, **headers):
    return Client().get(f"/api/v1{path}", params or {}, **headers)


# --------------------------------------------------------------------------- regions


def test_regions_filter_by_level_and_page(region_a, region_b):
    RegionFactory(code="35.15", name="Kabupaten Sidoarjo", level=RegionLevel.REGENCY)
    body = get("/regions", {"level": "province"}).json()
    assert body["count"] == 2
    assert [r["code"] for r in body["items"]] == ["13", "35"]
    assert body["items"][0] == {
        "code": "13",
        "name": "Sumatera Barat",
        "level": "province",
        "level_label": "Provinsi",
        "province_code": "13",
        "population": 250000,
    }
    body = get("/regions", {"province": "35", "limit": 1, "offset": 1}).json()
    assert body["count"] == 3
    assert [r["code"] for r in body["items"]] == ["35.15"]


def test_regions_refuse_an_unknown_level_with_a_detail(region_a):
    response = get("/regions", {"level": "kota"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Parameter level 'kota' tidak dikenal; pilih salah satu: province, regency, city."
    }
    assert get("/regions", {"limit": 501}).status_code == 422
    assert "detail" in get("/regions", {"limit": 501}).json()


def test_one_region_by_code(region_a):
    assert get("/regions/13.76").json()["name"] == "Kota Payakumbuh"
    response = get("/regions/99.99")
    assert response.status_code == 404
    assert response.json() == {"detail": "Wilayah dengan kode 99.99 tidak ditemukan."}


# ---------------------------------------------------------------------- institutions


def test_institutions_filter_by_kind_province_and_query(institution_a, institution_b, unit_a):
    Institution.objects.create(kind=InstitutionKind.MINISTRY, name="Kementerian Kesehatan")
    body = get("/institutions", {"province": "13"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["name"] == "Pemerintah Kota Payakumbuh"
    assert item["kind"] == "city"
    assert item["region_code"] == "13.76"
    assert item["province_code"] == "13"
    assert item["active_units"] == 1
    assert item["parent"] is None
    assert [i["name"] for i in get("/institutions", {"kind": "ministry"}).json()["items"]] == [
        "Kementerian Kesehatan"
    ]
    assert get("/institutions", {"q": "surabaya"}).json()["count"] == 1
    names = [i["name"] for i in get("/institutions", {"sort": "-name"}).json()["items"]]
    assert names == sorted(names, reverse=True)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"province": "13.76"}, "harus kode provinsi dua digit"),
        ({"kind": "kementerian"}, "Parameter kind 'kementerian' tidak dikenal"),
        ({"sort": "population"}, "Parameter sort 'population' tidak dikenal"),
    ],
)
def test_institution_filters_are_validated(params, message):
    response = get("/institutions", params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_inactive_institutions_only_for_national_readers(institution_a, secretariat):
    Institution.objects.filter(pk=institution_a.pk).update(is_active=False)
    assert get("/institutions").json()["count"] == 0
    assert get(f"/institutions/{institution_a.pk}").status_code == 404
    headers = token_for(secretariat)
    assert get("/institutions", **headers).json()["count"] == 1
    assert get(f"/institutions/{institution_a.pk}", **headers).json()["is_active"] is False


def test_a_wrong_token_is_refused_even_on_public_endpoints(institution_a):
    response = get("/institutions", HTTP_AUTHORIZATION="Bearer salah")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_regional_enterprise_names_its_parent(institution_a):
    pdam = InstitutionFactory(
        kind=InstitutionKind.REGIONAL_ENTERPRISE,
        name="Perumda Air Minum Payakumbuh",
        parent=institution_a,
        region=institution_a.region,
    )
    item = get(f"/institutions/{pdam.pk}").json()
    assert item["parent"] == {"id": institution_a.pk, "name": "Pemerintah Kota Payakumbuh"}
    assert item["kind_label"] == "BUMD"


# --------------------------------------------------------------------- service units


def test_units_need_a_token_and_are_scoped(operator_a, unit_a, unit_b):
    assert get("/units").status_code == 401
    headers = token_for(operator_a)
    body = get("/units", **headers).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["name"] == "Dinas PUPR Kota Payakumbuh"
    assert item["institution"] == {
        "id": unit_a.institution_id,
        "name": "Pemerintah Kota Payakumbuh",
    }
    assert item["region_code"] == "13.76"
    assert item["service_type"] == "administrative"
    assert get(f"/units/{unit_a.pk}", **headers).status_code == 200
    response = get(f"/units/{unit_b.pk}", **headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Unit pelayanan tidak ditemukan."}


def test_units_filter_for_national_readers(secretariat, institution_a, unit_a, unit_b):
    ServiceUnitFactory(institution=institution_a, name="Puskesmas Ibuh", kind="puskesmas")
    ServiceUnitFactory(
        institution=institution_a, name="Puskesmas Tutup", kind="puskesmas", is_active=False
    )
    headers = token_for(secretariat)
    assert get("/units", **headers).json()["count"] == 3
    body = get("/units", {"institution": institution_a.pk, "kind": "puskesmas"}, **headers).json()
    assert [u["name"] for u in body["items"]] == ["Puskesmas Ibuh"]
    body = get("/units", {"kind": "puskesmas", "status": "all"}, **headers).json()
    assert body["count"] == 2
    assert get("/units", {"province": "35"}, **headers).json()["items"][0]["name"] == (
        "Dinas Kependudukan Kota Surabaya"
    )
    assert get("/units", {"status": "tutup"}, **headers).status_code == 400


def test_units_for_someone_without_a_role_are_empty(nobody, unit_a):
    assert get("/units", **token_for(nobody)).json() == {"count": 0, "items": []}


# -------------------------------------------------------------------- query counts


def test_list_endpoints_cost_the_same_for_one_row_or_many(
    secretariat, unit_a, django_assert_num_queries
):
    headers = token_for(secretariat)
    with django_assert_num_queries(2):
        assert get("/institutions").json()["count"] == 1
    with django_assert_num_queries(2):
        assert get("/regions").json()["count"] == 2
    get("/units", **headers)  # first use stamps the token once a minute
    with django_assert_num_queries(4):  # token, memberships, count, page
        assert get("/units", **headers).json()["count"] == 1
    for n in range(6):
        ServiceUnitFactory(name=f"Kantor Uji {n}")
    with django_assert_num_queries(2):
        assert get("/institutions").json()["count"] == 7
    with django_assert_num_queries(2):
        assert get("/regions").json()["count"] == 8
    with django_assert_num_queries(4):
        assert get("/units", **headers).json()["count"] == 7
