"""Award tier history import (kipp.md §17): matching, writing, review queue, summary.

Rows arrive already checked (see `prima.kipp.interfaces.tier_import`). Each row is matched
on the normalised innovation title within its institution: one innovation → its tier is
attached; none → a new imported innovation; several → a review-queue item the secretariat
resolves by hand, never an automatic merge.

The review queue needs no table of its own: the queued rows are kept in the import's
audit entry, and each resolution is an audit entry naming `<import entry id>:<index>`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.domain.jobs import ProgressCallback, no_progress
from prima.core.enums import ServiceType, UnitKind
from prima.core.models import AuditEntry, Institution, Person, ServiceUnit
from prima.innovations.enums import AwardLevel, Programme
from prima.innovations.models import AwardRecord, Category, Innovation
from prima.kipp.domain.eligibility import normalise_title

IMPORTED = "kipp.tiers.imported"
RESOLVED = "kipp.tiers.review_resolved"
# The published cumulative count of finalist-level ("Top Inovasi") entries, kipp.md §16.
PUBLISHED_FIRST_YEAR = 2014
PUBLISHED_LAST_YEAR = 2023
PUBLISHED_FINALIST_TOTAL = 1065


@dataclass(frozen=True)
class TierRow:
    """One checked line of a tier-history file."""

    row: int
    year: int
    tier: str
    level: str
    group: str
    title: str
    unit_name: str
    institution_id: int
    institution_name: str
    category: str
    decree_no: str


@dataclass
class ImportResult:
    attached: int = 0
    created_innovations: int = 0
    created_units: int = 0
    duplicates: list[int] = field(default_factory=list)  # row numbers skipped
    queued: list[int] = field(default_factory=list)  # row numbers sent to review
    entry_id: int | None = None

    @property
    def created_records(self) -> int:
        return self.attached + self.created_innovations


@dataclass(frozen=True)
class ReviewItem:
    """A queued row: the import entry and position that name it, the row and its candidates."""

    entry_id: int
    index: int
    row: dict[str, Any]
    candidates: list[int]

    @property
    def key(self) -> str:
        return f"{self.entry_id}:{self.index}"


# ----------------------------------------------------------------- pure summary


@dataclass(frozen=True)
class TierCount:
    year: int
    tier: str
    level: str
    count: int


@dataclass(frozen=True)
class Summary:
    """Entries per year and tier, and the 2014–2023 finalist-level total against 1,065."""

    counts: list[TierCount]
    finalist_total: int
    published_total: int = PUBLISHED_FINALIST_TOTAL

    @property
    def difference(self) -> int:
        return self.finalist_total - self.published_total

    @property
    def matches(self) -> bool:
        return self.difference == 0

    @property
    def verdict(self) -> str:
        if self.matches:
            return _("sama")
        return _("berbeda: %(difference)s") % {"difference": f"{self.difference:+d}"}


def summarise(counts: Iterable[TierCount]) -> Summary:
    """Order the counts by year and tier and total the finalist level of 2014–2023."""
    ordered = sorted(counts, key=lambda c: (c.year, c.level != AwardLevel.FINALIST, c.tier))
    total = sum(
        c.count
        for c in ordered
        if c.level == AwardLevel.FINALIST and PUBLISHED_FIRST_YEAR <= c.year <= PUBLISHED_LAST_YEAR
    )
    return Summary(counts=ordered, finalist_total=total)


def history_summary() -> Summary:
    """The summary of every KIPP tier entry stored now (imported or decreed in Prima)."""
    rows = (
        AwardRecord.objects.filter(programme=Programme.KIPP)
        .values("year", "tier", "level")
        .annotate(n=Count("id"))
        .order_by()
    )
    return summarise(TierCount(r["year"], r["tier"], r["level"], r["n"]) for r in rows)


# ----------------------------------------------------------------- writing


def require_secretariat(actor: Any) -> None:
    access = access_for(actor)
    if not (access.is_secretariat or access.is_superuser):
        raise PermissionDenied(_("Hanya Sekretariat yang dapat mengimpor riwayat tier KIPP."))


def _index_key(institution_id: int, title: str) -> tuple[int, str]:
    return institution_id, normalise_title(title)


def _unit_for(row: TierRow, institution: Institution, result: ImportResult) -> ServiceUnit:
    unit = ServiceUnit.objects.filter(institution=institution, name__iexact=row.unit_name).first()
    if unit is None:
        # History lists name the unit only; its kind and service type are not known.
        unit = ServiceUnit.objects.create(
            institution=institution,
            name=row.unit_name,
            kind=UnitKind.LAINNYA,
            service_type=ServiceType.SERVICES,
            region=institution.region,
        )
        result.created_units += 1
    return unit


def _create_innovation(
    row: TierRow, institution: Institution, actor: Person, result: ImportResult
) -> Innovation:
    unit = _unit_for(row, institution, result)
    innovation = Innovation.objects.create(
        unit=unit,
        institution=institution,
        name=row.title,
        summary=_("Diimpor dari riwayat tier KIPP %(year)s (%(tier)s).")
        % {"year": row.year, "tier": row.tier},
        # The lists do not give a start date; the innovation ran by its award year at latest.
        started_on=dt.date(row.year, 1, 1),
        imported=True,
        created_by=actor,
    )
    if row.category:
        category = Category.objects.filter(code__iexact=row.category).first() or (
            Category.objects.filter(name__iexact=row.category).first()
        )
        if category is not None:
            innovation.categories.add(category)
    result.created_innovations += 1
    return innovation


def _award(innovation_id: int, row: TierRow | dict[str, Any]) -> AwardRecord:
    data = row if isinstance(row, dict) else asdict(row)
    return AwardRecord(
        innovation_id=innovation_id,
        programme=Programme.KIPP,
        year=data["year"],
        tier=data["tier"],
        level=data["level"],
        group=data.get("group") or "",
        decree_ref=data["decree_no"],
    )


def _pending_keys() -> set[tuple[int, str, int, str]]:
    """(institution, normalised title, year, tier) of every unresolved queue item."""
    return {
        (
            item.row["institution_id"],
            normalise_title(item.row["title"]),
            item.row["year"],
            item.row["tier"],
        )
        for item in pending_review()
    }


def record_tier_history(
    rows: Sequence[TierRow], *, actor: Person, progress: ProgressCallback | None = None
) -> ImportResult:
    """Write checked tier-history rows in one transaction with one audit entry.

    A row whose tier the matched innovation already holds is skipped and reported; a row
    with several candidate innovations goes to the review queue (once, however often the
    same file is imported). `progress` hears of each row written.
    """
    require_secretariat(actor)
    report = progress or no_progress
    result = ImportResult()
    with transaction.atomic():
        institutions = Institution.objects.in_bulk({r.institution_id for r in rows})
        index: dict[tuple[int, str], list[int]] = defaultdict(list)
        for pk, inst_id, name in Innovation.objects.filter(
            institution_id__in=institutions
        ).values_list("pk", "institution_id", "name"):
            index[_index_key(inst_id, name)].append(pk)
        held = set(
            AwardRecord.objects.filter(
                programme=Programme.KIPP, innovation__institution_id__in=institutions
            ).values_list("innovation_id", "year", "tier")
        )
        pending = _pending_keys()
        queue: list[dict[str, Any]] = []
        awards: list[AwardRecord] = []
        report(0, len(rows), _("Mencatat riwayat tier"))
        for written, row in enumerate(rows):
            report(written, len(rows))
            key = _index_key(row.institution_id, row.title)
            candidates = index.get(key, [])
            if any((pk, row.year, row.tier) in held for pk in candidates):
                result.duplicates.append(row.row)
                continue
            if len(candidates) > 1:
                if (*key, row.year, row.tier) not in pending:
                    queue.append({**asdict(row), "candidates": sorted(candidates)})
                    pending.add((*key, row.year, row.tier))
                result.queued.append(row.row)
                continue
            if candidates:
                innovation_id = candidates[0]
                result.attached += 1
            else:
                innovation = _create_innovation(
                    row, institutions[row.institution_id], actor, result
                )
                innovation_id = innovation.pk
                index[key].append(innovation_id)
            awards.append(_award(innovation_id, row))
            held.add((innovation_id, row.year, row.tier))
        AwardRecord.objects.bulk_create(awards)
        entry = audit.record(
            actor=actor,
            action=IMPORTED,
            object_type="innovations.awardrecord",
            object_repr=_("Impor riwayat tier KIPP"),
            after={
                "rows": len(rows),
                "records_created": len(awards),
                "attached": result.attached,
                "innovations_created": result.created_innovations,
                "units_created": result.created_units,
                "duplicates": len(result.duplicates),
                "queued": len(result.queued),
                "review": queue,
            },
        )
        result.entry_id = entry.pk
    report(len(rows), len(rows))
    return result


# ----------------------------------------------------------------- review queue


def pending_review() -> list[ReviewItem]:
    """Queued rows not yet resolved, oldest import first."""
    resolved = set(AuditEntry.objects.filter(action=RESOLVED).values_list("object_id", flat=True))
    items: list[ReviewItem] = []
    for entry_id, after in (
        AuditEntry.objects.filter(action=IMPORTED).order_by("id").values_list("id", "after")
    ):
        for position, row in enumerate((after or {}).get("review") or []):
            item = ReviewItem(entry_id, position, row, list(row.get("candidates") or []))
            if item.key not in resolved:
                items.append(item)
    return items


def review_item(entry_id: int, index: int) -> ReviewItem:
    """One pending queue item; DomainError when it does not exist or was resolved."""
    for item in pending_review():
        if item.entry_id == entry_id and item.index == index:
            return item
    raise DomainError(_("Baris antrean tinjauan ini tidak ada atau sudah diselesaikan."))


def resolve_review_item(
    entry_id: int, index: int, *, innovation_id: int | None, actor: Person
) -> AwardRecord:
    """Settle a queued row: attach its tier to one candidate, or (None) to a new innovation."""
    require_secretariat(actor)
    with transaction.atomic():
        item = review_item(entry_id, index)
        row = item.row
        result = ImportResult()
        if innovation_id is None:
            institution = Institution.objects.get(pk=row["institution_id"])
            innovation = _create_innovation(
                TierRow(**{k: v for k, v in row.items() if k != "candidates"}),
                institution,
                actor,
                result,
            )
        else:
            if innovation_id not in item.candidates:
                raise DomainError(
                    _("Pilih salah satu inovasi kandidat atau «buat inovasi baru»."),
                    field="innovation",
                )
            innovation = Innovation.objects.get(pk=innovation_id)
            if AwardRecord.objects.filter(
                innovation=innovation, programme=Programme.KIPP, year=row["year"], tier=row["tier"]
            ).exists():
                raise DomainError(
                    _("Inovasi «%(name)s» sudah memegang tier %(tier)s %(year)s.")
                    % {"name": innovation.name, "tier": row["tier"], "year": row["year"]},
                    field="innovation",
                )
        award = _award(innovation.pk, row)
        award.save()
        audit.record(
            actor=actor,
            action=RESOLVED,
            object_type="core.auditentry",
            object_id=item.key,
            object_repr=_("Tinjauan impor tier: %(title)s") % {"title": row["title"]},
            after={
                "award": award.pk,
                "innovation": innovation.pk,
                "created_innovation": innovation_id is None,
                "year": row["year"],
                "tier": row["tier"],
            },
        )
    return award


def candidates_of(items: Sequence[ReviewItem]) -> dict[int, Innovation]:
    """The candidate innovations of the given items, fetched in one query."""
    ids = {pk for item in items for pk in item.candidates}
    return {
        i.pk: i for i in Innovation.objects.filter(pk__in=ids).select_related("unit", "institution")
    }
