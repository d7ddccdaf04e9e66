"""Hubs (Simpul JIPP, pkri.md §9): the secretariat designates provinces, with a decree, a
year, member institutions of the province and assisting universities; every change is
audited and every refusal leaves the data as it was."""

from __future__ import annotations

import pytest
from django.utils import timezone

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import InstitutionKind
from prima.core.models import AuditEntry
from prima.innovations.domain import hubs
from prima.innovations.models import JippHub
from tests.factories import InstitutionFactory
from tests.innovations.hub_factories import hub, ministry, province, regency

THIS_YEAR = timezone.localdate().year


def _entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


# --------------------------------------------------------------------------- create


def test_the_secretariat_designates_a_province(secretariat, sumbar):
    made = hubs.create_hub(
        sumbar,
        "  KepmenPANRB   94/2020 ",
        2020,
        [" Universitas Andalas ", "Universitas Negeri Padang"],
        actor=secretariat,
    )

    made.refresh_from_db()
    assert (made.province, made.decree_ref, made.year) == (sumbar, "KepmenPANRB 94/2020", 2020)
    assert made.universities == ["Universitas Andalas", "Universitas Negeri Padang"]
    [entry] = _entries("jipp.hub.created")
    assert entry.actor == secretariat
    assert entry.object_id == str(made.pk)
    assert entry.after == {
        "province": sumbar.pk,
        "decree_ref": "KepmenPANRB 94/2020",
        "year": 2020,
        "universities": ["Universitas Andalas", "Universitas Negeri Padang"],
    }


@pytest.mark.parametrize("persona", ["admin_a", "operator_a", "evaluator", "nobody"])
def test_only_the_secretariat_designates(personas, sumbar, persona):
    with pytest.raises(PermissionDenied):
        hubs.create_hub(sumbar, "KepmenPANRB 94/2020", 2020, actor=personas[persona])
    assert not JippHub.objects.exists()
    assert not _entries("jipp.hub.created")


def test_a_region_that_is_not_a_province_is_refused(secretariat, region_a):
    with pytest.raises(DomainError, match="Kota Payakumbuh bukan provinsi") as raised:
        hubs.create_hub(region_a, "KepmenPANRB 94/2020", 2020, actor=secretariat)
    assert raised.value.field == "province"
    assert not JippHub.objects.exists()


def test_one_hub_per_province(secretariat, sumbar):
    hubs.create_hub(sumbar, "KepmenPANRB 94/2020", 2020, actor=secretariat)

    with pytest.raises(DomainError, match="Provinsi Sumatera Barat sudah menjadi simpul JIPP"):
        hubs.create_hub(sumbar, "KepmenPANRB 359/2021", 2021, actor=secretariat)

    assert JippHub.objects.get().decree_ref == "KepmenPANRB 94/2020"
    assert len(_entries("jipp.hub.created")) == 1


@pytest.mark.parametrize("year", [1999, THIS_YEAR + 1, 0])
def test_the_year_lies_between_2000_and_this_year(secretariat, sumbar, year):
    with pytest.raises(DomainError, match=f"antara 2000 dan {THIS_YEAR}") as raised:
        hubs.create_hub(sumbar, "KepmenPANRB 94/2020", year, actor=secretariat)
    assert raised.value.field == "year"
    assert not JippHub.objects.exists()


@pytest.mark.parametrize("year", [2000, THIS_YEAR])
def test_the_year_bounds_are_allowed(secretariat, sumbar, year):
    assert hubs.create_hub(sumbar, "SK", year, actor=secretariat).year == year


@pytest.mark.parametrize("decree", ["", "   ", "x" * 121])
def test_the_decree_is_required_and_bounded(secretariat, sumbar, decree):
    with pytest.raises(DomainError) as raised:
        hubs.create_hub(sumbar, decree, 2020, actor=secretariat)
    assert raised.value.field == "decree_ref"
    assert not JippHub.objects.exists()


@pytest.mark.parametrize(
    ("universities", "message"),
    [
        (["Universitas Andalas", " "], "Nama perguruan tinggi ke-2 kosong"),
        (
            ["Universitas Andalas", "universitas  andalas"],
            "«universitas andalas» tertulis dua kali \\(ke-1 dan ke-2\\)",
        ),
        (["U" * 201], "lebih dari 200 karakter"),
    ],
)
def test_university_names_are_non_empty_and_distinct(secretariat, sumbar, universities, message):
    with pytest.raises(DomainError, match=message) as raised:
        hubs.create_hub(sumbar, "KepmenPANRB 94/2020", 2020, universities, actor=secretariat)
    assert raised.value.field == "universities"
    assert not JippHub.objects.exists()


# --------------------------------------------------------------------------- update


def test_update_changes_the_fields_given_and_audits_before_and_after(secretariat, sumbar):
    made = hub(sumbar, universities=["Universitas Andalas"])

    hubs.update_hub(made, decree_ref="KepmenPANRB 359/2021", year=2021, actor=secretariat)

    made.refresh_from_db()
    assert (made.decree_ref, made.year, made.universities) == (
        "KepmenPANRB 359/2021",
        2021,
        ["Universitas Andalas"],
    )
    [entry] = _entries("jipp.hub.updated")
    assert entry.before["decree_ref"] == "KepmenPANRB 94/2020"
    assert entry.before["year"] == 2020
    assert entry.after["decree_ref"] == "KepmenPANRB 359/2021"
    assert entry.after["year"] == 2021


def test_an_update_that_changes_nothing_writes_no_entry(secretariat, sumbar):
    made = hub(sumbar)
    hubs.update_hub(made, decree_ref=" KepmenPANRB 94/2020", actor=secretariat)
    assert not _entries("jipp.hub.updated")


def test_update_refuses_what_create_refuses(secretariat, sumbar, jatim, region_a):
    made = hub(sumbar)
    hub(jatim, year=2020)
    for changes, field in (
        ({"year": 1990}, "year"),
        ({"decree_ref": ""}, "decree_ref"),
        ({"universities": ["A", "a"]}, "universities"),
        ({"province": jatim}, "province"),
        ({"province": region_a}, "province"),
    ):
        with pytest.raises(DomainError) as raised:
            hubs.update_hub(made, **changes, actor=secretariat)
        assert raised.value.field == field
    made.refresh_from_db()
    assert (made.province, made.decree_ref, made.year) == (sumbar, "KepmenPANRB 94/2020", 2020)
    assert not _entries("jipp.hub.updated")


def test_update_is_the_secretariats(personas, sumbar):
    made = hub(sumbar)
    with pytest.raises(PermissionDenied):
        hubs.update_hub(made, year=2021, actor=personas["admin_a"])
    made.refresh_from_db()
    assert made.year == 2020


def test_a_hub_moves_province_only_without_members_elsewhere(
    secretariat, sumbar, region_b, institution_a
):
    made = hub(sumbar, members=[institution_a])
    bali = province("51", "Bali")

    with pytest.raises(
        DomainError, match="Pemerintah Kota Payakumbuh tidak berada di Provinsi Bali"
    ):
        hubs.update_hub(made, province=bali, actor=secretariat)
    made.refresh_from_db()
    assert made.province == sumbar

    hubs.set_hub_members(made, [], actor=secretariat)
    hubs.update_hub(made, province=bali, actor=secretariat)
    made.refresh_from_db()
    assert made.province == bali
    [entry] = _entries("jipp.hub.updated")
    assert (entry.before["province"], entry.after["province"]) == (sumbar.pk, bali.pk)


# --------------------------------------------------------------------------- delete


def test_delete_keeps_the_hub_and_its_members_in_the_audit_trail(
    secretariat, sumbar, institution_a
):
    made = hub(sumbar, members=[institution_a])
    pk = made.pk

    hubs.delete_hub(made, actor=secretariat)

    assert not JippHub.objects.filter(pk=pk).exists()
    institution_a.refresh_from_db()  # the institution stays
    [entry] = _entries("jipp.hub.deleted")
    assert entry.object_id == str(pk)
    assert entry.before["decree_ref"] == "KepmenPANRB 94/2020"
    assert entry.before["members"] == [institution_a.pk]
    assert entry.after is None


def test_delete_is_the_secretariats(personas, sumbar):
    made = hub(sumbar)
    with pytest.raises(PermissionDenied):
        hubs.delete_hub(made, actor=personas["operator_a"])
    assert JippHub.objects.filter(pk=made.pk).exists()
    assert not _entries("jipp.hub.deleted")


# --------------------------------------------------------------------------- members


def test_members_are_set_and_audited(secretariat, sumbar, institution_a):
    made = hub(sumbar)
    province_government = InstitutionFactory(
        kind=InstitutionKind.PROVINCE, name="Pemerintah Provinsi Sumatera Barat", region=sumbar
    )
    agam = regency("13.06", "Kabupaten Agam")
    enterprise = InstitutionFactory(
        kind=InstitutionKind.REGIONAL_ENTERPRISE,
        name="PT Bank Nagari",
        region=sumbar,
        parent=province_government,
    )

    hubs.set_hub_members(made, [institution_a, province_government, agam], actor=secretariat)
    hubs.set_hub_members(made, [institution_a, enterprise], actor=secretariat)

    assert set(made.members.all()) == {institution_a, enterprise}
    first, second = _entries("jipp.hub.members_changed")
    assert first.before == {"members": []}
    assert first.after["members"] == sorted([institution_a.pk, province_government.pk, agam.pk])
    assert second.after["added"] == [enterprise.pk]
    assert second.after["removed"] == sorted([province_government.pk, agam.pk])


def test_setting_the_same_members_writes_no_entry(secretariat, sumbar, institution_a):
    made = hub(sumbar, members=[institution_a])
    hubs.set_hub_members(made, [institution_a], actor=secretariat)
    assert not _entries("jipp.hub.members_changed")


def test_a_member_outside_the_province_is_refused_by_name(
    secretariat, sumbar, institution_a, institution_b
):
    made = hub(sumbar, members=[institution_a])

    with pytest.raises(
        DomainError, match="Pemerintah Kota Surabaya tidak berada di Provinsi Sumatera Barat"
    ):
        hubs.set_hub_members(made, [institution_a, institution_b], actor=secretariat)

    assert list(made.members.all()) == [institution_a]
    assert not _entries("jipp.hub.members_changed")


@pytest.mark.parametrize(
    "kind", [InstitutionKind.MINISTRY, InstitutionKind.AGENCY, InstitutionKind.STATE_ENTERPRISE]
)
def test_a_central_institution_cannot_be_a_member(secretariat, sumbar, kind):
    made = hub(sumbar)
    central = ministry("Badan Pusat Contoh")
    central.kind = kind
    central.save()

    with pytest.raises(DomainError, match="Badan Pusat Contoh adalah instansi pusat"):
        hubs.set_hub_members(made, [central], actor=secretariat)
    assert not made.members.exists()


def test_members_are_the_secretariats(personas, sumbar, institution_a):
    made = hub(sumbar)
    for persona in ("admin_a", "operator_a", "nobody", "public"):
        with pytest.raises(PermissionDenied):
            hubs.set_hub_members(made, [institution_a], actor=personas[persona])
        with pytest.raises(PermissionDenied):
            hubs.add_hub_member(made, institution_a, actor=personas[persona])
    assert not made.members.exists()


def test_add_and_remove_one_member(secretariat, sumbar, institution_a):
    made = hub(sumbar)
    agam = regency("13.06", "Kabupaten Agam")

    hubs.add_hub_member(made, institution_a, actor=secretariat)
    hubs.add_hub_member(made, agam, actor=secretariat)
    hubs.remove_hub_member(made, institution_a, actor=secretariat)

    assert list(made.members.all()) == [agam]
    entries = _entries("jipp.hub.members_changed")
    assert [e.after["added"] for e in entries] == [[institution_a.pk], [agam.pk], []]
    assert entries[-1].after["removed"] == [institution_a.pk]


def test_add_and_remove_refuse_with_the_institution_named(
    secretariat, sumbar, institution_a, institution_b
):
    made = hub(sumbar, members=[institution_a])
    agam = regency("13.06", "Kabupaten Agam")

    with pytest.raises(DomainError, match="Kota Payakumbuh sudah menjadi anggota") as raised:
        hubs.add_hub_member(made, institution_a, actor=secretariat)
    assert raised.value.field == "institution"
    with pytest.raises(DomainError, match="Kota Surabaya tidak berada di Provinsi Sumatera Barat"):
        hubs.add_hub_member(made, institution_b, actor=secretariat)
    with pytest.raises(DomainError, match="Kabupaten Agam bukan anggota"):
        hubs.remove_hub_member(made, agam, actor=secretariat)

    assert list(made.members.all()) == [institution_a]
    assert not _entries("jipp.hub.members_changed")
