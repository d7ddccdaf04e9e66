"""Reviewing replication links (pkri.md §9): a claim is confirmed by the Admin Lokal of the
ORIGINAL innovation's institution, verified by the secretariat, rejected (with a reason) by
either, and a rejection is reopened by the secretariat only.

The transitions are data (who may do what from which status), read both by the write
functions below and by the pages and the API to show only the actions a person may take.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.access import Access, access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import Person
from prima.innovations.domain.replication import ReplicationCycle, cycle_message, would_cycle
from prima.innovations.enums import LinkStatus
from prima.innovations.models import ReplicationLink

CONFIRM = "confirm"
VERIFY = "verify"
REJECT = "reject"
REOPEN = "reopen"
ACTIONS = (CONFIRM, VERIFY, REJECT, REOPEN)

REASON_MIN = 20
NOTE_MAX = 2000
BULK_MAX = 500

# Which statuses each action starts from, per kind of reviewer.
SECRETARIAT_FROM: Mapping[str, frozenset[str]] = {
    CONFIRM: frozenset({LinkStatus.CLAIMED}),
    VERIFY: frozenset({LinkStatus.CLAIMED, LinkStatus.CONFIRMED}),
    REJECT: frozenset({LinkStatus.CLAIMED, LinkStatus.CONFIRMED, LinkStatus.VERIFIED}),
    REOPEN: frozenset({LinkStatus.REJECTED}),
}
SOURCE_ADMIN_FROM: Mapping[str, frozenset[str]] = {
    CONFIRM: frozenset({LinkStatus.CLAIMED}),
    REJECT: frozenset({LinkStatus.CLAIMED}),
}
TARGET = {
    CONFIRM: LinkStatus.CONFIRMED,
    VERIFY: LinkStatus.VERIFIED,
    REJECT: LinkStatus.REJECTED,
    REOPEN: LinkStatus.CLAIMED,
}
AUDIT_ACTIONS = {
    CONFIRM: "replication.confirmed",
    VERIFY: "replication.verified",
    REJECT: "replication.rejected",
    REOPEN: "replication.reopened",
}


def _transitions(access: Access, source_institution_id: int) -> Mapping[str, frozenset[str]]:
    if access.is_secretariat:
        return SECRETARIAT_FROM
    if source_institution_id in access.admin_institution_ids:
        return SOURCE_ADMIN_FROM
    return {}


def allowed_actions(person: Any, link: ReplicationLink) -> list[str]:
    """The review actions the person may take on the link in its current status.

    Reads only the person's (cached) access and the link's source institution, so a list
    page may call it per row without queries (the source must be loaded).
    """
    transitions = _transitions(access_for(person), link.source.institution_id)
    return [action for action in ACTIONS if link.status in transitions.get(action, ())]


def _label(status: str) -> str:
    return str(LinkStatus(status).label)


def _labels(statuses: Iterable[str]) -> str:
    ordered = [s for s in LinkStatus.values if s in set(statuses)]
    return f" {_('atau')} ".join(f"«{_label(s)}»" for s in ordered)


def _refuse_actor(action: str) -> PermissionDenied:
    messages = {
        CONFIRM: _(
            "Hanya Admin Lokal instansi pemilik inovasi asal atau Sekretariat yang dapat "
            "mengonfirmasi klaim replikasi ini."
        ),
        VERIFY: _("Hanya Sekretariat yang dapat memverifikasi tautan replikasi."),
        REJECT: _(
            "Hanya Admin Lokal instansi pemilik inovasi asal atau Sekretariat yang dapat "
            "menolak klaim replikasi ini."
        ),
        REOPEN: _("Hanya Sekretariat yang dapat membuka kembali tautan replikasi yang ditolak."),
    }
    return PermissionDenied(messages[action])


def _refuse_state(action: str, status: str, allowed: frozenset[str], *, secretariat: bool) -> str:
    values = {"status": _label(status), "allowed": _labels(allowed)}
    if action == REJECT and not secretariat:
        return (
            _(
                "Tautan replikasi ini berstatus «%(status)s». Admin Lokal hanya dapat menolak "
                "klaim berstatus %(allowed)s; tautan yang sudah dikonfirmasi atau diverifikasi "
                "hanya dapat ditolak oleh Sekretariat."
            )
            % values
        )
    messages = {
        CONFIRM: _(
            "Tautan replikasi ini berstatus «%(status)s», sehingga tidak dapat dikonfirmasi; "
            "hanya tautan berstatus %(allowed)s yang dapat dikonfirmasi."
        ),
        VERIFY: _(
            "Tautan replikasi ini berstatus «%(status)s», sehingga tidak dapat diverifikasi; "
            "hanya tautan berstatus %(allowed)s yang dapat diverifikasi."
        ),
        REJECT: _(
            "Tautan replikasi ini berstatus «%(status)s», sehingga tidak dapat ditolak; "
            "hanya tautan berstatus %(allowed)s yang dapat ditolak."
        ),
        REOPEN: _(
            "Tautan replikasi ini berstatus «%(status)s», sehingga tidak dapat dibuka kembali; "
            "hanya tautan berstatus %(allowed)s yang dapat dibuka kembali."
        ),
    }
    return messages[action] % values


def _clean_note(text: str, *, required: bool) -> str:
    note = (text or "").strip()
    if required and len(note) < REASON_MIN:
        raise DomainError(
            _("Alasan wajib diisi, minimal %(min)s karakter (tertulis %(n)s karakter).")
            % {"min": REASON_MIN, "n": len(note)},
            field="reason",
        )
    if len(note) > NOTE_MAX:
        raise DomainError(
            _("Catatan paling panjang %(max)s karakter (tertulis %(n)s karakter).")
            % {"max": f"{NOTE_MAX:,}".replace(",", "."), "n": len(note)},
            field="reason" if required else "note",
        )
    return note


def _apply(link: ReplicationLink, action: str, note: str, actor: Person, now: Any) -> str:
    """Move the (locked) link to the action's target status; return the status before."""
    before = link.status
    link.status = TARGET[action]
    link.reviewed_by = actor
    link.reviewed_at = now
    link.review_note = note
    return before


REVIEW_FIELDS = ["status", "reviewed_by", "reviewed_at", "review_note"]


def _audit(link: ReplicationLink, action: str, before: str, note: str, actor: Person) -> None:
    audit.record(
        actor=actor,
        action=AUDIT_ACTIONS[action],
        obj=link,
        before={"status": before},
        after={"status": link.status, "review_note": note},
        reason=note,
    )


def _review(link: ReplicationLink, action: str, *, actor: Person, note: str) -> ReplicationLink:
    access = access_for(actor)
    if action not in _transitions(access, link.source.institution_id):
        raise _refuse_actor(action)
    note = _clean_note(note, required=action in (REJECT, REOPEN))
    with transaction.atomic():
        locked = (
            ReplicationLink.objects.select_for_update(of=("self",))
            .select_related("source", "replica")
            .get(pk=link.pk)
        )
        allowed = _transitions(access, locked.source.institution_id).get(action, frozenset())
        if locked.status not in allowed:
            raise DomainError(
                _refuse_state(action, locked.status, allowed, secretariat=access.is_secretariat),
                field="status",
            )
        if action == REOPEN and would_cycle(locked.replica, locked.source):
            # A rejected link is no part of the lineage: others may have closed the circle.
            raise ReplicationCycle(cycle_message(locked.replica, locked.source), field="status")
        before = _apply(locked, action, note, actor, timezone.now())
        locked.save(update_fields=REVIEW_FIELDS)
        _audit(locked, action, before, note, actor)
    for name in REVIEW_FIELDS:
        setattr(link, name, getattr(locked, name))
    return locked


def confirm_replication_link(
    link: ReplicationLink, *, actor: Person, note: str = ""
) -> ReplicationLink:
    """The original's Admin Lokal (or the secretariat) confirms a claimed link.

    Only from `claimed`; the optional note is kept as the review note.
    """
    return _review(link, CONFIRM, actor=actor, note=note)


def verify_replication_link(
    link: ReplicationLink, *, actor: Person, note: str = ""
) -> ReplicationLink:
    """The secretariat verifies a claimed or confirmed link."""
    return _review(link, VERIFY, actor=actor, note=note)


def reject_replication_link(
    link: ReplicationLink, *, reason: str, actor: Person
) -> ReplicationLink:
    """Reject a link with a reason of at least 20 characters.

    The original's Admin Lokal may reject a claim; the secretariat a claimed, confirmed or
    verified link. A rejected link counts nowhere (lineage, scope, KIPP eligibility).
    """
    return _review(link, REJECT, actor=actor, note=reason)


def reopen_replication_link(
    link: ReplicationLink, *, reason: str, actor: Person
) -> ReplicationLink:
    """The secretariat turns a rejected link back into a claim, with a reason.

    Refused (`cycle`) when links recorded since the rejection would make it circular."""
    return _review(link, REOPEN, actor=actor, note=reason)


def _describe(link: ReplicationLink) -> str:
    return _("«%(replica)s» ← «%(source)s» (%(status)s)") % {
        "replica": link.replica.name,
        "source": link.source.name,
        "status": _label(link.status),
    }


def verify_links(ids: Sequence[int], *, actor: Person, note: str = "") -> list[ReplicationLink]:
    """The secretariat verifies several links at once: all of them, or none.

    Refused as a whole when an id is unknown or a link is neither claimed nor confirmed;
    the message names the links concerned. One audit entry per link.
    """
    if not access_for(actor).is_secretariat:
        raise _refuse_actor(VERIFY)
    wanted = sorted(set(ids))
    if not wanted:
        raise DomainError(_("Pilih minimal satu tautan replikasi untuk diverifikasi."))
    if len(wanted) > BULK_MAX:
        raise DomainError(
            _("Paling banyak %(max)s tautan sekali verifikasi (dipilih %(n)s).")
            % {"max": BULK_MAX, "n": len(wanted)}
        )
    note = _clean_note(note, required=False)
    allowed = SECRETARIAT_FROM[VERIFY]
    with transaction.atomic():
        links = list(
            ReplicationLink.objects.select_for_update(of=("self",))
            .select_related("source", "replica")
            .filter(pk__in=wanted)
            .order_by("pk")
        )
        missing = sorted(set(wanted) - {link.pk for link in links})
        if missing:
            raise DomainError(
                _("Tautan replikasi tidak ditemukan: %(ids)s. Tidak ada yang diverifikasi.")
                % {"ids": ", ".join(f"#{pk}" for pk in missing)}
            )
        wrong = [link for link in links if link.status not in allowed]
        if wrong:
            shown = "; ".join(_describe(link) for link in wrong[:5])
            more = len(wrong) - 5
            raise DomainError(
                _(
                    "Hanya tautan berstatus %(allowed)s yang dapat diverifikasi; %(n)s tautan "
                    "terpilih tidak: %(links)s%(more)s. Tidak ada yang diverifikasi."
                )
                % {
                    "allowed": _labels(allowed),
                    "n": len(wrong),
                    "links": shown,
                    "more": _(" dan %(n)s lainnya") % {"n": more} if more > 0 else "",
                }
            )
        now = timezone.now()
        befores = [_apply(link, VERIFY, note, actor, now) for link in links]
        ReplicationLink.objects.bulk_update(links, REVIEW_FIELDS)
        for link, before in zip(links, befores, strict=True):
            _audit(link, VERIFY, before, note, actor)
    return links
