"""The figures of a hub: members, their published innovations, and counted replication
links whose replica belongs to a member (both sides published)."""

from __future__ import annotations

from prima.innovations.enums import LinkStatus
from prima.innovations.queries_hubs import (
    hub_with_members,
    hubs_with_figures,
    member_candidates,
    member_rows,
)
from tests.factories import (
    InnovationFactory,
    InstitutionFactory,
    ReplicationLinkFactory,
    ServiceUnitFactory,
)
from tests.innovations.hub_factories import hub, ministry, province, regency


def _published(institution, **kwargs):
    return InnovationFactory(
        unit=ServiceUnitFactory(institution=institution), is_published=True, **kwargs
    )


def test_figures_count_only_what_the_public_sees(sumbar, institution_a, institution_b):
    agam = regency("13.06", "Kabupaten Agam")
    outsider = regency("13.07", "Kabupaten Tanah Datar")  # in the province, not a member
    made = hub(sumbar, members=[institution_a, agam])
    source = _published(institution_b)
    counted = [
        _published(institution_a),
        _published(institution_a),
        _published(agam),
    ]
    InnovationFactory(unit=ServiceUnitFactory(institution=agam), is_published=False)
    _published(outsider)
    for replica, status in zip(
        counted, (LinkStatus.CONFIRMED, LinkStatus.VERIFIED, LinkStatus.CONFIRMED), strict=True
    ):
        ReplicationLinkFactory(replica=replica, source=source, status=status)
    # Not counted: a claim, a rejection, an unpublished source, a replica of a non-member.
    claimed = _published(institution_a)
    ReplicationLinkFactory(replica=claimed, source=source, status=LinkStatus.CLAIMED)
    rejected = _published(agam)
    ReplicationLinkFactory(replica=rejected, source=source, status=LinkStatus.REJECTED)
    hidden_source = InnovationFactory(is_published=False)
    ReplicationLinkFactory(replica=counted[0], source=hidden_source, status=LinkStatus.VERIFIED)
    ReplicationLinkFactory(replica=_published(outsider), source=source, status=LinkStatus.VERIFIED)

    figures = hubs_with_figures().get(pk=made.pk)

    assert figures.n_members == 2
    assert figures.n_published == 5  # 3 counted + the claimed + the rejected replica
    assert figures.n_links == 3


def test_a_hub_without_members_has_zeros(sumbar):
    made = hub(sumbar)
    figures = hubs_with_figures().get(pk=made.pk)
    assert (figures.n_members, figures.n_published, figures.n_links) == (0, 0, 0)


def test_hubs_are_listed_by_year_then_province_code(region_a, region_b):
    bali = hub(province("51", "Bali"), year=2021)
    jatim = hub(province("35", "Jawa Timur"), year=2020)
    sumbar = hub(province("13", "Sumatera Barat"), year=2020)
    assert list(hubs_with_figures()) == [sumbar, jatim, bali]


def test_member_rows_give_each_member_its_published_innovations(sumbar, institution_a):
    agam = regency("13.06", "Kabupaten Agam")
    made = hub(sumbar, members=[institution_a, agam])
    shown = _published(institution_a, name="SITARANG")
    InnovationFactory(unit=ServiceUnitFactory(institution=institution_a), is_published=False)

    rows = member_rows(hub_with_members().get(pk=made.pk))

    assert [row.institution for row in rows] == [agam, institution_a]  # by name
    assert [row.innovations for row in rows] == [[], [shown]]


def test_candidates_are_active_local_institutions_of_the_province_not_yet_members(
    sumbar, institution_a, institution_b
):
    agam = regency("13.06", "Kabupaten Agam")
    closed = regency("13.07", "Kabupaten Lama")
    closed.is_active = False
    closed.save()
    ministry()
    province_government = InstitutionFactory(
        kind="province", name="Pemerintah Provinsi Sumatera Barat", region=sumbar
    )
    made = hub(sumbar, members=[institution_a])

    assert list(member_candidates(made)) == [agam, province_government]
