"""Replication lineage: which innovations adapted which (a directed acyclic graph)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import Person
from prima.innovations.domain.permissions import may_edit, may_see
from prima.innovations.enums import LinkOrigin, LinkStatus
from prima.innovations.models import Innovation, ReplicationLink

AUDIT_FIELDS = ("replica", "source", "replicated_on", "adaptation", "differences")
CLAIM_AUDIT_FIELDS = (*AUDIT_FIELDS, "status", "origin")


def _derives_from(innovation_id: int, ancestor_id: int) -> bool:
    """Whether `innovation_id` already replicates `ancestor_id`, directly or through others.

    Rejected links are no part of the lineage (pkri.md §9), so they close no cycle; a
    rejected link that is reopened is checked again (`link_review`). Walks the sources one
    generation per query.
    """
    seen: set[int] = set()
    frontier = {innovation_id}
    while frontier:
        sources = set(
            ReplicationLink.objects.filter(replica_id__in=frontier)
            .exclude(status=LinkStatus.REJECTED)
            .values_list("source_id", flat=True)
        )
        if ancestor_id in sources:
            return True
        seen |= frontier
        frontier = sources - seen
    return False


def link_replication(
    replica: Innovation,
    source: Innovation,
    replicated_on: dt.date,
    adaptation: str,
    differences: str = "",
    *,
    actor: Person,
) -> ReplicationLink:
    """Record that `replica` adapted `source` on `replicated_on`.

    The actor must be able to edit the replica and see the source (or the source is
    published). Refused: a self-link, a link that already exists, a link that would make
    the lineage circular, and a date before the source started or in the future.
    """
    if not may_edit(actor, replica):
        raise PermissionDenied(_("Anda tidak berwenang mengubah silsilah replikasi inovasi ini."))
    if not (source.is_published or may_see(actor, source)):
        raise DomainError(_("Inovasi sumber tidak ditemukan."), field="source")
    if source.pk == replica.pk:
        raise DomainError(_("Inovasi tidak dapat mereplikasi dirinya sendiri."), field="source")
    adaptation = adaptation.strip()
    differences = differences.strip()
    if not adaptation:
        raise DomainError(
            _("Jelaskan apa yang diadaptasi dari inovasi sumber."), field="adaptation"
        )
    if replicated_on > timezone.localdate():
        raise DomainError(_("Tanggal replikasi tidak boleh di masa depan."), field="replicated_on")
    if replicated_on < source.started_on:
        raise DomainError(
            _(
                "Tanggal replikasi (%(date)s) tidak boleh sebelum «%(source)s» "
                "mulai diterapkan (%(started_on)s)."
            )
            % {
                "date": replicated_on.strftime("%d-%m-%Y"),
                "source": source.name,
                "started_on": source.started_on.strftime("%d-%m-%Y"),
            },
            field="replicated_on",
        )
    with transaction.atomic():
        existing = (
            ReplicationLink.objects.filter(replica=replica, source=source)
            .values_list("status", "review_note")
            .first()
        )
        if existing is not None and existing[0] == LinkStatus.REJECTED:
            raise DomainError(
                _(
                    "Tautan «%(replica)s» ← «%(source)s» pernah dicatat dan telah ditolak "
                    "(alasan: %(reason)s). Tautan yang ditolak tidak dapat dicatat ulang; "
                    "hubungi Sekretariat bila penolakan perlu ditinjau kembali."
                )
                % {
                    "replica": replica.name,
                    "source": source.name,
                    "reason": existing[1] or "-",
                },
                field="source",
            )
        if existing is not None:
            raise DomainError(
                _("«%(replica)s» sudah tercatat mereplikasi «%(source)s».")
                % {"replica": replica.name, "source": source.name},
                field="source",
            )
        if _derives_from(source.pk, replica.pk):
            raise DomainError(
                _(
                    "Silsilah akan berputar: «%(source)s» sudah (langsung atau melalui inovasi "
                    "lain) mereplikasi «%(replica)s»."
                )
                % {"source": source.name, "replica": replica.name},
                field="source",
            )
        link = ReplicationLink.objects.create(
            replica=replica,
            source=source,
            replicated_on=replicated_on,
            adaptation=adaptation,
            differences=differences,
        )
        audit.record(
            actor=actor,
            action="replication.linked",
            obj=link,
            after=audit.snapshot(link, AUDIT_FIELDS),
        )
    return link


class ReplicationCycle(DomainError):
    """The link would make the lineage circular."""

    code = "cycle"


def would_cycle(replica: Innovation, source: Innovation) -> bool:
    """Whether recording `replica` ← `source` would make the lineage circular."""
    return replica.pk == source.pk or _derives_from(source.pk, replica.pk)


def cycle_message(replica: Innovation, source: Innovation) -> str:
    return _(
        "Silsilah akan berputar: «%(source)s» sudah (langsung atau melalui inovasi "
        "lain) mereplikasi «%(replica)s»."
    ) % {"source": source.name, "replica": replica.name}


def claim_replication(
    replica: Innovation,
    source: Innovation,
    *,
    replicated_on: dt.date,
    adaptation: str,
    differences: str = "",
    origin: str,
    actor: Person,
) -> ReplicationLink | None:
    """Record a *claimed* link `replica` ← `source` stated by someone who may edit either
    side (typically the source's owner listing who replicated it, pkri.md §6.1, §9).

    Returns None when the pair is already linked (either direction is left alone).
    Refused: a self-link, a date in the future and a link that would make the lineage
    circular (`ReplicationCycle`).
    """
    if not (may_edit(actor, source) or may_edit(actor, replica)):
        raise PermissionDenied(_("Anda tidak berwenang mengubah silsilah replikasi inovasi ini."))
    if origin not in LinkOrigin.values:
        raise ValueError(f"claim_replication: unknown origin {origin!r}")
    if source.pk == replica.pk:
        raise DomainError(_("Inovasi tidak dapat mereplikasi dirinya sendiri."), field="source")
    if replicated_on > timezone.localdate():
        raise DomainError(_("Tanggal replikasi tidak boleh di masa depan."), field="replicated_on")
    adaptation = adaptation.strip() or "-"
    with transaction.atomic():
        if ReplicationLink.objects.filter(
            replica__in=(replica, source), source__in=(replica, source)
        ).exists():
            return None
        if _derives_from(source.pk, replica.pk):
            raise ReplicationCycle(cycle_message(replica, source), field="source")
        link = ReplicationLink.objects.create(
            replica=replica,
            source=source,
            replicated_on=replicated_on,
            adaptation=adaptation,
            differences=differences.strip(),
            status=LinkStatus.CLAIMED,
            origin=origin,
        )
        audit.record(
            actor=actor,
            action="replication.claimed",
            obj=link,
            after=audit.snapshot(link, CLAIM_AUDIT_FIELDS),
        )
    return link


def unlink_replication(link: ReplicationLink, *, actor: Person) -> None:
    """Remove a replication link; only someone who may edit the replica may do so.

    A rejected link stays (it keeps the pair from being recorded again) unless the
    secretariat removes it.
    """
    if not may_edit(actor, link.replica):
        raise PermissionDenied(_("Anda tidak berwenang mengubah silsilah replikasi inovasi ini."))
    if link.status == LinkStatus.REJECTED and not access_for(actor).is_secretariat:
        raise PermissionDenied(
            _(
                "Tautan replikasi yang ditolak hanya dapat dihapus oleh Sekretariat; hubungi "
                "Sekretariat bila penolakan perlu ditinjau kembali."
            )
        )
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="replication.unlinked",
            obj=link,
            before=audit.snapshot(link, AUDIT_FIELDS),
        )
        link.delete()
