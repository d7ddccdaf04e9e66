"""Browsing the audit log: the list with filters, one object's history, verifying the chain.

Readers: the secretariat and national viewers (auditors, leadership). Everyone else: 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.interfaces.export import table_response
from prima.core.interfaces.listing import apply_sort, paginate
from prima.core.models import AuditEntry
from prima.core.views import current_person

AUDIT_SORTS = {"id": ("id",), "action": ("action", "id"), "actor": ("actor_label", "id")}
# Exports are for auditors' spreadsheets; beyond this they should narrow the filters.
EXPORT_LIMIT = 100_000


def _audit_reader(request: HttpRequest) -> None:
    if not access_for(current_person(request)).reads_audit:
        raise PermissionDenied(_("Log audit hanya untuk sekretariat dan pemantau nasional."))


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight in Asia/Jakarta (the configured time zone), as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _filtered(request: HttpRequest) -> tuple[QuerySet[AuditEntry], dict[str, Any]]:
    qs = AuditEntry.objects.all()
    action = request.GET.get("action", "").strip()
    if action:
        # "person" matches every person.* action; "person.created" only that one.
        qs = qs.filter(Q(action=action) | Q(action__startswith=f"{action}."))
    actor = request.GET.get("actor", "").strip()
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    object_type = request.GET.get("object_type", "").strip()
    if object_type:
        qs = qs.filter(object_type=object_type)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(object_repr__icontains=q) | Q(reason__icontains=q))
    errors = []
    date_from_raw = request.GET.get("date_from", "")
    date_to_raw = request.GET.get("date_to", "")
    date_from, date_to = _parse_date(date_from_raw), _parse_date(date_to_raw)
    if date_from_raw and date_from is None:
        errors.append(_("Tanggal awal tidak valid; gunakan format TTTT-BB-HH."))
    if date_to_raw and date_to is None:
        errors.append(_("Tanggal akhir tidak valid; gunakan format TTTT-BB-HH."))
    if date_from:
        qs = qs.filter(created_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(created_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    qs, sort = apply_sort(request, qs, AUDIT_SORTS, "-id")
    return qs, {
        "action": action,
        "actor": actor,
        "object_type": object_type,
        "q": q,
        "date_from": date_from_raw,
        "date_to": date_to_raw,
        "errors": errors,
        "sort": sort,
    }


def _export(fmt: str, qs: QuerySet[AuditEntry]) -> HttpResponse:
    header = [
        "id",
        "waktu",
        "pelaku",
        "aksi",
        "jenis objek",
        "ID objek",
        "objek",
        "alasan",
        "hash",
    ]
    rows = (
        [
            e.pk,
            timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_label,
            e.action,
            e.object_type,
            e.object_id,
            e.object_repr,
            e.reason,
            e.hash,
        ]
        for e in qs[:EXPORT_LIMIT].iterator(chunk_size=2000)
    )
    return table_response(fmt, "log-audit-prima", header, rows)


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    _audit_reader(request)
    qs, filters = _filtered(request)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return _export(fmt, qs)
    object_types = list(
        AuditEntry.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
    )
    return render(
        request,
        "core/audit/list.html",
        {"page": paginate(request, qs), "object_types": object_types, **filters},
    )


def _changes(entry: AuditEntry) -> list[tuple[str, Any, Any]]:
    """Field-by-field differences between an entry's before and after states."""
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    keys = sorted(set(before) | set(after))
    return [
        (key, before.get(key), after.get(key))
        for key in keys
        if key not in before or key not in after or before[key] != after[key]
    ]


@login_required
def audit_object_history(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    """Every entry about one object, oldest first, with what changed each time."""
    _audit_reader(request)
    qs = AuditEntry.objects.filter(object_type=object_type, object_id=object_id).order_by("id")
    page = paginate(request, qs)
    rows = [(entry, _changes(entry)) for entry in page.object_list]
    latest = (
        AuditEntry.objects.filter(object_type=object_type, object_id=object_id)
        .order_by("-id")
        .values_list("object_repr", flat=True)
        .first()
    )
    return render(
        request,
        "core/audit/history.html",
        {
            "page": page,
            "rows": rows,
            "object_type": object_type,
            "object_id": object_id,
            "object_repr": latest or f"{object_type} #{object_id}",
        },
    )


@login_required
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    """Recompute the whole chain now and show whether it is intact."""
    _audit_reader(request)
    report = audit.verify_chain()
    broken = None
    if not report.ok and report.first_broken_id is not None:
        broken = AuditEntry.objects.filter(pk=report.first_broken_id).first()
    return render(
        request,
        "core/audit/verify.html",
        {"report": report, "broken": broken, "checked_at": timezone.now()},
    )
