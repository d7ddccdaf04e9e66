"""JIPP demo data: review statuses of the national plan's replication links (pkri.md §9).

The national loader writes the plan's links as claims. Here most become confirmed (by the
original's Admin Lokal) or verified (by the secretariat), some stay claimed awaiting
confirmation, and two are rejected with a reason, as a queue looks after a year of use.
The PKRI demo's own links keep their statuses; those already confirmed or verified get a
reviewer and a review time.

What must not move: PKRI 2024 derives its scope from the non-rejected links of award
holders and reads its replication objects' links (desk levels, statistics), and KIPP's
replication pre-check ignores a rejected link. So links whose replica is a PKRI scope
object stay claimed, and only links whose original holds no award and whose replica has no
KIPP proposal may be rejected. (Counted links of originals with a KIPP proposal feed KIPP's
`verified_replications` tie breaker from now on, as a later review would.)
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from prima.core.demo.accounts import EMAIL_DOMAIN
from prima.core.demo.plan import DemoPlan
from prima.core.enums import Role
from prima.core.models import Membership
from prima.innovations.enums import LinkStatus
from prima.innovations.models import AwardRecord, Innovation, ReplicationLink
from prima.kipp.models import Proposal
from prima.pkri.models import ScopeObject

JAKARTA = ZoneInfo("Asia/Jakarta")
BATCH = 1000
# Reviews happened after the PKRI 2024 desk (its locus indicators read the links as they
# were then) and before the demo's present.
FIRST_REVIEW = dt.date(2025, 1, 13)
LAST_REVIEW = dt.date(2025, 9, 30)
SHARES = ((LinkStatus.VERIFIED, 0.45), (LinkStatus.CONFIRMED, 0.35), (LinkStatus.CLAIMED, 0.20))
REJECTED = 2

CONFIRM_NOTES = (
    "Sesuai dengan catatan kunjungan studi tiru ke instansi kami.",
    "Instansi pereplikasi telah berkoordinasi dengan tim inovasi kami.",
    "",
)
VERIFY_NOTES = (
    "Diverifikasi dengan SK penerapan replikasi dan laporan kunjungan.",
    "Bukti dukung lengkap; cakupan replikasi sesuai uraian.",
    "",
)
REJECT_REASONS = (
    "Inovasi yang disebut berbeda tujuan dan cara kerja; tidak ditemukan bukti adopsi dari "
    "inovasi asal.",
    "Tanggal penerapan dan dokumen pendukung tidak menunjukkan hubungan dengan inovasi asal; "
    "instansi pereplikasi tidak menanggapi permintaan klarifikasi.",
)


def _moment(rng: random.Random) -> dt.datetime:
    span = (LAST_REVIEW - FIRST_REVIEW).days
    day = FIRST_REVIEW + dt.timedelta(days=rng.randint(0, span))
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(rng.randint(8, 15), rng.randint(0, 59)), JAKARTA)


def _status(rng: random.Random) -> str:
    draw, total = rng.random(), 0.0
    for status, share in SHARES:
        total += share
        if draw < total:
            return status
    return LinkStatus.CLAIMED


def load(plan: DemoPlan, innovations: Sequence[Innovation]) -> dict[str, Any]:
    """Give the plan's links their review statuses (bulk update); return the counts."""
    ids = [row.pk for row in innovations]
    links = list(
        ReplicationLink.objects.filter(replica_id__in=ids, source_id__in=ids)
        .select_related("source")
        .order_by("pk")
    )
    in_pkri = set(ScopeObject.objects.values_list("innovation_id", flat=True))
    in_kipp = set(Proposal.objects.values_list("innovation_id", flat=True))
    awarded = set(AwardRecord.objects.values_list("innovation_id", flat=True))
    secretariat = (
        Membership.objects.filter(role=Role.SECRETARIAT, person__email__endswith=f"@{EMAIL_DOMAIN}")
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .first()
    )
    # The demo's Admin Lokal logins confirm the claims on their institution's originals.
    admins = dict(
        Membership.objects.filter(
            role=Role.INSTITUTION_ADMIN, person__email__endswith=f"@{EMAIL_DOMAIN}"
        )
        .order_by("-person_id")
        .values_list("institution_id", "person_id")
    )
    rng = random.Random(plan.seed * 31 + 9)

    def stays_claimed(link: ReplicationLink) -> bool:
        # PKRI's replication objects keep the links its plan gave them (desk, statistics).
        return link.replica_id in in_pkri

    def rejectable(link: ReplicationLink) -> bool:
        # An award-less original is never a PKRI Top object, so scope derivation never reads
        # the link; a replica without a KIPP proposal is in no eligibility check.
        return not (stays_claimed(link) or link.replica_id in in_kipp or link.source_id in awarded)

    rejected = {link.pk for link in [k for k in links if rejectable(k)][:REJECTED]}
    changed: list[ReplicationLink] = []
    for link in links:
        status: str
        if link.pk in rejected:
            status = LinkStatus.REJECTED
        elif stays_claimed(link):
            status = LinkStatus.CLAIMED
        else:
            status = _status(rng)
        if status == LinkStatus.CLAIMED:
            continue
        link.status = status
        link.reviewed_at = _moment(rng)
        if status == LinkStatus.CONFIRMED:
            link.reviewed_by_id = admins.get(link.source.institution_id)
            link.review_note = rng.choice(CONFIRM_NOTES)
        elif status == LinkStatus.VERIFIED:
            link.reviewed_by_id = secretariat
            link.review_note = rng.choice(VERIFY_NOTES)
        else:
            link.reviewed_by_id = secretariat
            link.review_note = REJECT_REASONS[len(rejected & {k.pk for k in changed})]
        changed.append(link)
    # PKRI's confirmed and verified links carry no reviewer yet: give them one, status as is.
    counted = list(
        ReplicationLink.objects.filter(
            status__in=[LinkStatus.CONFIRMED, LinkStatus.VERIFIED], reviewed_at__isnull=True
        )
        .select_related("source")
        .order_by("pk")
    )
    for link in counted:
        link.reviewed_at = _moment(rng)
        if link.status == LinkStatus.VERIFIED:
            link.reviewed_by_id = secretariat
        else:
            link.reviewed_by_id = admins.get(link.source.institution_id)
    fields = ["status", "reviewed_by", "reviewed_at", "review_note"]
    ReplicationLink.objects.bulk_update([*changed, *counted], fields, batch_size=BATCH)
    statuses = [link.status for link in changed]
    return {
        "jipp_links_verified": statuses.count(LinkStatus.VERIFIED),
        "jipp_links_confirmed": statuses.count(LinkStatus.CONFIRMED),
        "jipp_links_rejected": statuses.count(LinkStatus.REJECTED),
        "jipp_links_claimed": len(links) - len(changed),
        "jipp_links_reviewer_added": len(counted),
    }
