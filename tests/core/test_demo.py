"""The national demo dataset: what `prima demo` promises the people who try Prima."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import authenticate
from django.test import RequestFactory

from prima.core.access import access_for
from prima.core.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from prima.core.demo.loader import DEMO_ACTION, load_demo
from prima.core.demo.localgov import BORDER_REGIONS
from prima.core.demo.plan import build_plan
from prima.core.domain import audit
from prima.core.enums import InstitutionKind, Role, UnitKind
from prima.core.models import (
    AuditEntry,
    Institution,
    Person,
    Region,
    ServiceUnit,
)
from prima.innovations.models import AwardRecord, Innovation, ReplicationLink
from tests.demo_fixtures import national_demo

SMALL = 200
demo_once = national_demo(SMALL)


def test_the_registry_holds_every_institution_of_the_national_record(demo):
    by_kind = {
        kind: Institution.objects.filter(kind=kind).count() for kind in InstitutionKind.values
    }
    assert by_kind[InstitutionKind.MINISTRY] == 34
    assert by_kind[InstitutionKind.AGENCY] == 46
    assert by_kind[InstitutionKind.PROVINCE] == 38
    assert by_kind[InstitutionKind.REGENCY] == 416
    assert by_kind[InstitutionKind.CITY] == 98
    assert by_kind[InstitutionKind.STATE_ENTERPRISE] == 5
    assert by_kind[InstitutionKind.REGIONAL_ENTERPRISE] >= 5
    assert Region.objects.count() == 552

    assert Institution.objects.filter(
        name="Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
        short_name="KemenPANRB",
    ).exists()
    assert Institution.objects.filter(
        name="Kementerian Investasi/Badan Koordinasi Penanaman Modal", kind="ministry"
    ).exists()
    assert Institution.objects.filter(short_name="BPS", kind="agency").exists()
    assert Institution.objects.filter(name="PT PLN (Persero)", kind="state_enterprise").exists()

    payakumbuh = Institution.objects.get(name="Pemerintah Kota Payakumbuh")
    assert (payakumbuh.kind, payakumbuh.short_name) == ("city", "Kota Payakumbuh")
    assert (payakumbuh.region.code, payakumbuh.province_code) == ("13.76", "13")
    bank_nagari = Institution.objects.get(short_name="Bank Nagari")
    assert bank_nagari.parent.name == "Pemerintah Provinsi Sumatera Barat"
    assert bank_nagari.province_code == "13"


def test_remote_and_border_regions_are_flagged_by_the_documented_rule(demo):
    merauke = Institution.objects.get(name="Pemerintah Kabupaten Merauke")
    assert merauke.is_disadvantaged and merauke.is_border
    jayapura_city = Institution.objects.get(name="Pemerintah Kota Jayapura")
    assert jayapura_city.is_border and not jayapura_city.is_disadvantaged
    assert not Institution.objects.filter(kind="province", is_disadvantaged=True).exists()
    sambas = Institution.objects.get(name="Pemerintah Kabupaten Sambas")
    assert sambas.is_border and not sambas.is_disadvantaged
    assert Institution.objects.filter(is_border=True).count() == len(BORDER_REGIONS)
    # Every regency of NTT, Maluku, Maluku Utara and Papua — and nothing else — is 3T.
    flagged = set(
        Institution.objects.filter(is_disadvantaged=True).values_list("region__code", flat=True)
    )
    expected = set(
        Region.objects.filter(
            level="regency",
            province_code__in=["53", "81", "82", "91", "92", "93", "94", "95", "96"],
        ).values_list("code", flat=True)
    )
    assert flagged == expected


def test_every_institution_has_realistic_service_units(demo):
    assert not Institution.objects.filter(units=None).exists()
    payakumbuh = ServiceUnit.objects.filter(institution__name="Pemerintah Kota Payakumbuh")
    names = set(payakumbuh.values_list("name", flat=True))
    assert {
        "Dinas Pekerjaan Umum dan Penataan Ruang Kota Payakumbuh",
        "Dinas Kependudukan dan Pencatatan Sipil Kota Payakumbuh",
        "Rumah Sakit Umum Daerah Kota Payakumbuh",
        "Puskesmas Ibuh",
        "Puskesmas Padang Karambia",
        "Kecamatan Payakumbuh Barat",
        "Mal Pelayanan Publik Kota Payakumbuh",
    } <= names
    samsat = ServiceUnit.objects.get(name="UPTD Samsat Kota Payakumbuh")
    assert samsat.institution.name == "Pemerintah Provinsi Sumatera Barat"
    assert samsat.kind == UnitKind.SAMSAT and samsat.region.code == "13.76"
    assert ServiceUnit.objects.filter(
        institution__short_name="Kemenag",
        name="Kantor Wilayah Kementerian Agama Provinsi Sumatera Barat",
    ).exists()
    assert ServiceUnit.objects.filter(kind=UnitKind.PUSKESMAS).count() > 5_000
    assert not ServiceUnit.objects.filter(user_population__isnull=True).exists()


def test_payakumbuh_innovations_are_published_under_their_real_units(demo, client):
    expected = {
        "SITARANG": "Dinas Pekerjaan Umum dan Penataan Ruang Kota Payakumbuh",
        "Sipaduko": "Puskesmas Ibuh",
        "Klinik Berhenti Merokok": "Puskesmas Padang Karambia",
    }
    for name, unit in expected.items():
        innovation = Innovation.objects.get(name=name)
        assert innovation.unit.name == unit
        assert innovation.institution.name == "Pemerintah Kota Payakumbuh"
        assert innovation.is_published and innovation.status == "active"
    page = client.get("/inovasi/publik/", {"q": "SITARANG"})
    assert page.status_code == 200
    assert "SITARANG" in page.content.decode()


def test_innovations_follow_the_plan_with_lineage_and_awards(demo):
    plan = build_plan(size=SMALL)
    # The national plan's innovations come first; the PKRI demo adds its synthetic ones after.
    rows = list(Innovation.objects.order_by("id")[:SMALL])
    assert [row.name for row in rows] == [spec.name for spec in plan.innovations]
    pkri = AuditEntry.objects.get(action=DEMO_ACTION).after["pkri_innovations"]
    assert Innovation.objects.count() == SMALL + pkri
    # Award holders started early enough for the 24-month minimum age, back to 2009.
    assert all(dt.date(2009, 1, 1) <= row.started_on <= dt.date(2024, 12, 31) for row in rows)
    assert all(row.institution_id == row.unit.institution_id for row in rows)
    assert all(row.categories.exists() and row.sdg_goals for row in rows[:20])
    # Registration happened after the start, not at load time.
    assert all(row.created_at.date() >= row.started_on for row in rows)

    links = ReplicationLink.objects.select_related("replica", "source")
    assert links.filter(replica__in=rows).count() == len(plan.links) > 0
    for link in links:
        assert link.source.started_on < link.replica.started_on
        assert link.source.institution_id != link.replica.institution_id

    awards = AwardRecord.objects.select_related("innovation")
    # PKRI's stand-ins for unpublished tiers are flagged; the rest is the national plan's.
    assert awards.filter(is_demo_placeholder=False).count() == len(plan.awards) > 0
    assert {a.year for a in awards} <= set(range(2014, 2024))
    for award in awards:
        assert award.programme == "kipp" and award.innovation.is_published
        assert award.innovation.started_on <= dt.date(award.year - 2, 3, 31)
    winners = awards.filter(tier="top45")
    assert all(
        AwardRecord.objects.filter(innovation=a.innovation, year=a.year, tier="top99").exists()
        for a in winners
    )

    entry = AuditEntry.objects.get(action=DEMO_ACTION)
    assert entry.after["innovations"] == SMALL
    assert entry.after["institutions_ministry"] == 34
    assert audit.verify_chain().ok


def test_every_role_has_a_working_demo_login(demo, as_client):
    request = RequestFactory().post("/masuk/")
    roles = set()
    for account in DEMO_ACCOUNTS:
        person = authenticate(request=request, username=account.username, password=DEMO_PASSWORD)
        assert person is not None, account.username
        assert not person.must_complete_profile and not person.must_change_password
        assert person.full_name and person.email.endswith("@prima-demo.example")
        assert account.role in access_for(person).roles
        roles.add(account.role)
        # No first-login gate stands between a demo user and the dashboard.
        assert as_client(person).get("/dasbor/").status_code == 200
    assert roles == set(Role.values)
    assert authenticate(request=request, username="sekretariat", password="salah") is None

    operator = Person.objects.get(username="operator.pupr.payakumbuh")
    access = access_for(operator)
    assert ServiceUnit.objects.get(pk=next(iter(access.operator_unit_ids))).name == (
        "Dinas Pekerjaan Umum dan Penataan Ruang Kota Payakumbuh"
    )
    other = Person.objects.get(username="operator.dukcapil.surabaya")
    assert Institution.objects.get(
        pk=next(iter(access_for(other).member_institution_ids))
    ).name == ("Pemerintah Kota Surabaya")
    admin = Person.objects.get(username="admin.payakumbuh")
    assert Institution.objects.get(pk=next(iter(access_for(admin).admin_institution_ids))).name == (
        "Pemerintah Kota Payakumbuh"
    )


def test_loading_twice_changes_nothing(demo):
    counts = (Institution.objects.count(), ServiceUnit.objects.count(), Innovation.objects.count())
    again = load_demo(actor=None, size=SMALL, force=True)
    assert not again.created
    assert again.entry.pk == demo.entry.pk
    assert again.counts["innovations"] == SMALL
    assert (
        Institution.objects.count(),
        ServiceUnit.objects.count(),
        Innovation.objects.count(),
    ) == counts
    assert AuditEntry.objects.filter(action=DEMO_ACTION).count() == 1
