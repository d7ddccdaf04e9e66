"""A small replication graph for the public catalogue tests (pkri.md §9).

        U → T → S → ROOT → B → F → G          (→ = "replicated by")
                    ROOT → C  (verified, replica not published)
                    ROOT → D  (claimed)
                    ROOT → E  (rejected)

Counted below ROOT: B, C, F, G in four institutions of three provinces (35, 35, 52, 61);
D is only claimed (+1); E never appears.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from prima.core.enums import InstitutionKind
from prima.innovations.enums import LinkScope, LinkStatus
from prima.innovations.models import Innovation, ReplicationLink
from tests.factories import (
    AwardRecordFactory,
    InnovationFactory,
    InstitutionFactory,
    ReplicationLinkFactory,
    ServiceUnitFactory,
)


def owned_innovation(
    name: str,
    *,
    province: str,
    kind: str = InstitutionKind.REGENCY,
    published: bool = True,
    **fields,
) -> Innovation:
    institution = InstitutionFactory(
        name=f"Pemerintah {name}", short_name=name, kind=kind, province_code=province
    )
    return InnovationFactory(
        unit=ServiceUnitFactory(institution=institution),
        name=name,
        is_published=published,
        started_on=dt.date(2018, 1, 1),
        **fields,
    )


def link(source, replica, status, **fields) -> ReplicationLink:
    return ReplicationLinkFactory(source=source, replica=replica, status=status, **fields)


@dataclass
class Graph:
    root: Innovation
    b: Innovation
    c: Innovation
    d: Innovation
    e: Innovation
    f: Innovation
    g: Innovation
    s: Innovation
    t: Innovation
    u: Innovation


def build_graph(root: Innovation) -> Graph:
    """The graph above around `root` (published by the caller)."""
    b = owned_innovation("Replika Batu", province="35")
    c = owned_innovation("Replika Cianjur", province="35", published=False)
    d = owned_innovation("Replika Dompu", province="52")
    e = owned_innovation("Replika Ende", province="53")
    f = owned_innovation("Replika Flores", province="52", kind=InstitutionKind.CITY)
    g = owned_innovation("Replika Gowa", province="61")
    s = owned_innovation("Asal Sleman", province="34")
    t = owned_innovation("Asal Tegal", province="33")
    u = owned_innovation("Asal Ubud", province="51")
    link(
        root,
        b,
        LinkStatus.CONFIRMED,
        differences="Ditambah layanan jemput bola di kecamatan.",
        scope=LinkScope.PARTIAL,
    )
    link(root, c, LinkStatus.VERIFIED)
    link(root, d, LinkStatus.CLAIMED, differences="Memakai aplikasi WhatsApp.")
    link(root, e, LinkStatus.REJECTED, differences="Klaim ditolak sekretariat.")
    link(b, f, LinkStatus.CONFIRMED)
    link(f, g, LinkStatus.VERIFIED)
    link(s, root, LinkStatus.CONFIRMED)
    link(t, s, LinkStatus.VERIFIED)
    link(u, t, LinkStatus.CONFIRMED)
    return Graph(root=root, b=b, c=c, d=d, e=e, f=f, g=g, s=s, t=t, u=u)


def award(innovation: Innovation, *, tier: str, year: int, revoked: bool = False):
    return AwardRecordFactory(innovation=innovation, tier=tier, year=year, revoked=revoked)
