"""Appending to and verifying the hash-chained audit log.

Every domain write calls `record` inside its own transaction, so the entry commits
or rolls back with the change it describes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from prima.core.models import AuditEntry, AuditHead, Person

GENESIS_HASH = "0" * 64


def _json_default(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def normalise(payload: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Reduce a payload to plain JSON types so it hashes the same before and after storage."""
    if payload is None:
        return None
    result: dict[str, Any] = json.loads(json.dumps(payload, default=_json_default))
    return result


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The audited state of an object: the named fields, foreign keys as ids."""
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            data[name] = sorted(str(pk) for pk in getattr(obj, name).values_list("pk", flat=True))
        elif field.is_relation:
            data[name] = getattr(obj, f"{name}_id")
        else:
            data[name] = getattr(obj, name)
    return normalise(data) or {}


def entry_hash(
    *,
    prev_hash: str,
    created_at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    before: Any,
    after: Any,
    reason: str,
) -> str:
    content = json.dumps(
        {
            "prev": prev_hash,
            "at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": actor_id,
            "actor_label": actor_label,
            "action": action,
            "type": object_type,
            "id": object_id,
            "repr": object_repr,
            "before": before,
            "after": after,
            "reason": reason,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def record(
    *,
    actor: Person | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry to the chain. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside transaction.atomic()")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:250]
    # Locking the head row serialises appends so two writers never chain to the same tip.
    head, _ = AuditHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_hash": GENESIS_HASH}
    )
    created_at = timezone.now()
    actor_label = (actor.get_username() if actor is not None else "sistem")[:150]
    before_n, after_n = normalise(before), normalise(after)
    digest = entry_hash(
        prev_hash=head.last_hash,
        created_at=created_at,
        actor_id=actor.pk if actor is not None else None,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        before=before_n,
        after=after_n,
        reason=reason,
    )
    entry = AuditEntry.objects.create(
        created_at=created_at,
        actor=actor,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        before=before_n,
        after=after_n,
        reason=reason,
        prev_hash=head.last_hash,
        hash=digest,
    )
    head.last_hash = digest
    head.last_entry_id = entry.pk
    head.save(update_fields=["last_hash", "last_entry_id"])
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Recompute every hash in order; name the first entry whose content or link is wrong."""
    prev = GENESIS_HASH
    checked = 0
    entries = AuditEntry.objects.order_by("id").iterator(chunk_size=batch_size)
    for entry in entries:
        if entry.prev_hash != prev:
            return ChainReport(
                checked, entry.pk, gettext("tautan ke catatan sebelumnya tidak cocok")
            )
        expected = entry_hash(
            prev_hash=entry.prev_hash,
            created_at=entry.created_at,
            actor_id=entry.actor_id,
            actor_label=entry.actor_label,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            object_repr=entry.object_repr,
            before=entry.before,
            after=entry.after,
            reason=entry.reason,
        )
        if expected != entry.hash:
            return ChainReport(checked, entry.pk, gettext("isi catatan telah berubah"))
        prev = entry.hash
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        return ChainReport(checked, head.last_entry_id, gettext("catatan terakhir telah dihapus"))
    return ChainReport(checked, None, "")
