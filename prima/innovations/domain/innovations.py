"""Registering and changing innovations: content, status, publication."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypedDict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied, StaleVersion
from prima.core.models import AuditEntry, Person, ServiceUnit
from prima.innovations.domain.permissions import may_edit, may_edit_unit
from prima.innovations.enums import SDG_GOALS, InnovationStatus
from prima.innovations.models import Category, Innovation

AUDIT_FIELDS = (
    "unit",
    "institution",
    "name",
    "acronym",
    "summary",
    "problem",
    "approach",
    "results",
    "beneficiaries",
    "started_on",
    "is_digital",
    "categories",
    "sdg_goals",
    "status",
    "status_reason",
    "status_changed_on",
    "is_published",
    "open_to_replication",
    "replication_contact",
    "version",
)
# The owner's invitation to replicate (pkri.md §9), audited also on its own.
REPLICATION_PROFILE_FIELDS = ("open_to_replication", "replication_contact")
TEXT_FIELDS = (
    "name",
    "acronym",
    "summary",
    "problem",
    "approach",
    "results",
    "beneficiaries",
    "replication_contact",
)
REQUIRED_TEXT = {"name": gettext_lazy("Nama inovasi"), "summary": gettext_lazy("Ringkasan")}
MAX_LENGTHS = {"name": 200, "acronym": 60, "replication_contact": 200}
REASON_REQUIRED = frozenset({InnovationStatus.PAUSED, InnovationStatus.STOPPED})


class InnovationData(TypedDict, total=False):
    """The content of an innovation as forms, the API and importers supply it."""

    name: str
    acronym: str
    summary: str
    problem: str
    approach: str
    results: str
    beneficiaries: str
    started_on: dt.date
    is_digital: bool
    categories: list[str]  # category codes
    sdg_goals: list[int]
    open_to_replication: bool
    replication_contact: str  # the official contact for replication (name, e-mail, phone)


def _today() -> dt.date:
    return timezone.localdate()


def _clean(data: InnovationData, *, partial: bool) -> dict[str, Any]:
    """Validate and normalise the given values; raise DomainError naming the field."""
    raw: dict[str, Any] = dict(data)
    cleaned: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if name in raw:
            value = raw[name]
            cleaned[name] = "" if value is None else str(value).strip()
        elif not partial:
            cleaned[name] = ""
    for name, label in REQUIRED_TEXT.items():
        if name in cleaned and not cleaned[name]:
            raise DomainError(_("%(label)s wajib diisi.") % {"label": label}, field=name)
    for name, limit in MAX_LENGTHS.items():
        if len(cleaned.get(name, "")) > limit:
            raise DomainError(
                _("Isian terlalu panjang (%(length)s karakter); paling banyak %(limit)s.")
                % {"length": len(cleaned[name]), "limit": limit},
                field=name,
            )
    if "started_on" in raw or not partial:
        started_on = raw.get("started_on")
        if not isinstance(started_on, dt.date):
            raise DomainError(_("Tanggal mulai diterapkan wajib diisi."), field="started_on")
        if started_on > _today():
            raise DomainError(
                _("Tanggal mulai diterapkan (%(date)s) tidak boleh di masa depan.")
                % {"date": started_on.strftime("%d-%m-%Y")},
                field="started_on",
            )
        cleaned["started_on"] = started_on
    if "is_digital" in raw or not partial:
        cleaned["is_digital"] = bool(raw.get("is_digital", False))
    if "open_to_replication" in raw or not partial:
        cleaned["open_to_replication"] = bool(raw.get("open_to_replication", False))
    if "sdg_goals" in raw or not partial:
        cleaned["sdg_goals"] = _clean_sdg_goals(raw.get("sdg_goals") or [])
    if "categories" in raw or not partial:
        cleaned["categories"] = _resolve_categories(raw.get("categories") or [])
    return cleaned


def _clean_sdg_goals(goals: Iterable[Any]) -> list[int]:
    result: set[int] = set()
    for goal in goals:
        if isinstance(goal, bool) or not isinstance(goal, int) or goal not in SDG_GOALS:
            raise DomainError(
                _("Tujuan SDGs harus bernomor 1 sampai 17; tertulis %(goal)s.")
                % {"goal": repr(goal)},
                field="sdg_goals",
            )
        result.add(goal)
    return sorted(result)


def _resolve_categories(codes: Iterable[Any]) -> list[Category]:
    wanted = {str(code) for code in codes}
    found = list(Category.objects.filter(code__in=wanted))
    unknown = wanted - {c.code for c in found}
    if unknown:
        raise DomainError(
            _("Kategori tidak dikenal: %(codes)s.") % {"codes": ", ".join(sorted(unknown))},
            field="categories",
        )
    return found


def _check_replication_profile(open_to_replication: bool, contact: str) -> None:
    """An innovation open to replication names whom to contact."""
    if open_to_replication and not contact:
        raise DomainError(
            _(
                "Kontak resmi replikasi wajib diisi bila inovasi dinyatakan terbuka untuk "
                "direplikasi (misalnya nama pejabat, surel dinas, dan nomor telepon kantor)."
            ),
            field="replication_contact",
        )


def _stale_message(innovation: Innovation) -> str:
    last = (
        AuditEntry.objects.filter(
            object_type=innovation._meta.label_lower, object_id=str(innovation.pk)
        )
        .order_by("-id")
        .first()
    )
    if last is None:
        return _(
            "Inovasi ini sudah diubah setelah Anda membukanya. "
            "Muat ulang halaman, periksa perubahan itu, lalu masukkan kembali perubahan Anda."
        )
    when = timezone.localtime(last.created_at).strftime("%d-%m-%Y %H:%M")
    return _(
        "Inovasi ini sudah diubah oleh %(actor)s pada %(when)s WIB setelah Anda membukanya. "
        "Muat ulang halaman, periksa perubahan itu, lalu masukkan kembali perubahan Anda."
    ) % {"actor": last.actor_label, "when": when}


def _locked(innovation: Innovation, expected_version: int | None) -> Innovation:
    """Re-read the row under a lock; refuse if someone saved after `expected_version`."""
    current = Innovation.objects.select_for_update().get(pk=innovation.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(_stale_message(current), field="version")
    return current


def register_innovation(*, actor: Person, unit: ServiceUnit, data: InnovationData) -> Innovation:
    """Register a new innovation owned by `unit` (its institution is copied from the unit).

    The actor must be able to edit the unit's innovations (secretariat, the unit's
    Admin Lokal or operator). Name, summary and a start date that is not in the future
    are required; SDG goals are numbers 1–17; categories are existing category codes.
    """
    if not may_edit_unit(actor, unit):
        raise PermissionDenied(
            _("Anda tidak berwenang mendaftarkan inovasi untuk unit %(unit)s.")
            % {"unit": unit.name},
            field="unit",
        )
    if not unit.is_active:
        raise DomainError(
            _("Unit %(unit)s tidak aktif; inovasi hanya dapat didaftarkan untuk unit aktif.")
            % {"unit": unit.name},
            field="unit",
        )
    cleaned = _clean(data, partial=False)
    categories = cleaned.pop("categories")
    _check_replication_profile(cleaned["open_to_replication"], cleaned["replication_contact"])
    with transaction.atomic():
        innovation = Innovation.objects.create(
            unit=unit, institution_id=unit.institution_id, created_by=actor, **cleaned
        )
        innovation.categories.set(categories)
        audit.record(
            actor=actor,
            action="innovation.registered",
            obj=innovation,
            after=audit.snapshot(innovation, AUDIT_FIELDS),
        )
    return innovation


def update_innovation(
    innovation: Innovation, *, actor: Person, data: InnovationData, expected_version: int
) -> Innovation:
    """Change the given fields of an innovation (fields not in `data` stay as they are).

    An innovation open to replication must name its official replication contact.

    Optimistic locking: `expected_version` is the version the actor loaded; if anyone
    saved since, the change is refused with `StaleVersion` and nothing is written.
    A change bumps the version; a submission that changes nothing writes nothing.
    """
    if not may_edit(actor, innovation):
        raise PermissionDenied(_("Anda tidak berwenang mengubah inovasi ini."))
    with transaction.atomic():
        current = _locked(innovation, expected_version)
        cleaned = _clean(data, partial=True)
        before = audit.snapshot(current, AUDIT_FIELDS)
        categories = cleaned.pop("categories", None)
        for name, value in cleaned.items():
            setattr(current, name, value)
        if cleaned.keys() & set(REPLICATION_PROFILE_FIELDS):
            _check_replication_profile(current.open_to_replication, current.replication_contact)
        if categories is not None:
            current.categories.set(categories)
        after = audit.snapshot(current, AUDIT_FIELDS)
        if after == before:
            return current
        current.version += 1
        current.save()
        after["version"] = current.version
        audit.record(
            actor=actor, action="innovation.updated", obj=current, before=before, after=after
        )
        _record_replication_profile(current, actor=actor, before=before, after=after)
    return current


def _record_replication_profile(
    innovation: Innovation, *, actor: Person, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """A second, searchable entry when the invitation to replicate changed (the JIPP
    catalogue shows it publicly)."""
    old = {name: before[name] for name in REPLICATION_PROFILE_FIELDS}
    new = {name: after[name] for name in REPLICATION_PROFILE_FIELDS}
    if old != new:
        audit.record(
            actor=actor,
            action="innovation.replication_profile_changed",
            obj=innovation,
            before=old,
            after=new,
        )


def change_innovation_status(
    innovation: Innovation,
    *,
    actor: Person,
    status: str,
    reason: str = "",
    changed_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Innovation:
    """Record that an innovation runs, is paused or has stopped, from `changed_on` (today
    if not given). Pausing or stopping needs a reason; the date may be neither in the
    future nor before the innovation started."""
    if not may_edit(actor, innovation):
        raise PermissionDenied(_("Anda tidak berwenang mengubah status inovasi ini."))
    if status not in InnovationStatus.values:
        raise DomainError(
            _("Status tidak dikenal: %(status)s.") % {"status": status}, field="status"
        )
    reason = reason.strip()
    if status in REASON_REQUIRED and not reason:
        label = InnovationStatus(status).label
        raise DomainError(
            _("Alasan wajib diisi untuk status «%(status)s».") % {"status": label}, field="reason"
        )
    changed_on = changed_on or _today()
    if changed_on > _today():
        raise DomainError(
            _("Tanggal perubahan status tidak boleh di masa depan."), field="changed_on"
        )
    with transaction.atomic():
        current = _locked(innovation, expected_version)
        if changed_on < current.started_on:
            raise DomainError(
                _(
                    "Tanggal perubahan status tidak boleh sebelum inovasi mulai diterapkan "
                    "(%(date)s)."
                )
                % {"date": current.started_on.strftime("%d-%m-%Y")},
                field="changed_on",
            )
        if status == current.status:
            raise DomainError(
                _("Status inovasi sudah «%(status)s».") % {"status": current.get_status_display()},
                field="status",
            )
        before = audit.snapshot(current, AUDIT_FIELDS)
        current.status = status
        current.status_reason = reason
        current.status_changed_on = changed_on
        current.version += 1
        current.save()
        audit.record(
            actor=actor,
            action="innovation.status_changed",
            obj=current,
            before=before,
            after=audit.snapshot(current, AUDIT_FIELDS),
            reason=reason,
        )
    return current


def _set_published(innovation: Innovation, *, actor: Person, published: bool) -> Innovation:
    if not may_edit(actor, innovation):
        raise PermissionDenied(_("Anda tidak berwenang mengubah publikasi inovasi ini."))
    with transaction.atomic():
        current = _locked(innovation, None)
        if current.is_published == published:
            raise DomainError(
                _("Inovasi ini sudah dipublikasikan.")
                if published
                else _("Inovasi ini memang belum dipublikasikan.")
            )
        before = audit.snapshot(current, AUDIT_FIELDS)
        current.is_published = published
        current.version += 1
        current.save()
        audit.record(
            actor=actor,
            action="innovation.published" if published else "innovation.unpublished",
            obj=current,
            before=before,
            after=audit.snapshot(current, AUDIT_FIELDS),
        )
    return current


def publish_innovation(innovation: Innovation, *, actor: Person) -> Innovation:
    """Show the innovation in the public catalogue (with its public evidence only)."""
    return _set_published(innovation, actor=actor, published=True)


def unpublish_innovation(innovation: Innovation, *, actor: Person) -> Innovation:
    """Withdraw the innovation from the public catalogue."""
    return _set_published(innovation, actor=actor, published=False)
