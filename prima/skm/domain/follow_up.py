"""Follow-up plans (rencana tindak lanjut, RTL) of a calculated survey (skm.md §8).

After a survey is calculated the unit drafts a plan: Prima proposes the three elements
with the lowest NRR as priorities, the unit writes items (element codes, problem, action,
owner, planned dates), tracks their status with realised dates and evidence, and adopts the
plan (date and decree number). Only an adopted plan counts for the metrics that PEKPPP
indicators 8 and 9 read through :func:`rtl_metrics_for`.

Every write here checks that the actor runs the survey, runs in one transaction with its
audit entry, and refuses stale versions of items (optimistic locking).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied, StaleVersion
from prima.core.models import Person, ServiceUnit
from prima.core.uploads import check_upload, delete_on_commit, stored_upload
from prima.skm.domain.instruments import SkmInstrument
from prima.skm.domain.permissions import may_run_survey
from prima.skm.domain.rtl import Item, rtl_completed_date, rtl_realised_pct
from prima.skm.domain.versions import instrument as instrument_of
from prima.skm.enums import RtlStatus, SurveyState
from prima.skm.models import FollowUpItem, FollowUpPlan, Survey

PRIORITY_COUNT = 3
# Items proposed from the priorities get this long to run (PEKPPP ind 9 rewards 3 months).
DRAFT_DURATION = dt.timedelta(days=90)
PLANNABLE_STATES = (SurveyState.CALCULATED, SurveyState.PUBLISHED)
TEXT_LIMIT = 4000
OWNER_LIMIT = 200
DECREE_LIMIT = 120
ITEM_AUDIT_FIELDS = (
    "position",
    "elements",
    "service_code",
    "problem",
    "action",
    "owner",
    "planned_start",
    "planned_end",
    "status",
    "cancel_reason",
    "realised_on",
    "evidence_note",
    "evidence",
)


# --------------------------------------------------------------------------- priorities


@dataclass(frozen=True)
class Priority:
    """An element proposed as a priority: its rank (1 = lowest NRR), code, name and NRR."""

    rank: int
    code: str
    name: str
    nrr: Decimal


def lowest_elements(
    nrr: dict[str, Any], element_order: Sequence[str], count: int = PRIORITY_COUNT
) -> list[tuple[str, Decimal]]:
    """The ``count`` element codes with the lowest NRR; ties go to the earlier element.

    ``nrr`` is the frozen result's mapping (code → decimal text, or None for an element
    nobody answered, which cannot be ranked). Pure.
    """
    ranked: list[tuple[Decimal, int, str]] = []
    for index, code in enumerate(element_order):
        value = nrr.get(code)
        if value is None or value == "":
            continue
        try:
            ranked.append((Decimal(str(value)), index, code))
        except InvalidOperation:
            continue
    ranked.sort()
    return [(code, value) for value, _index, code in ranked[:count]]


def priority_elements(survey: Survey) -> list[Priority]:
    """The elements Prima proposes as priorities, from the survey's frozen result."""
    result = survey.result or {}
    nrr = result.get("nrr") or {}
    version = instrument_of(survey.instrument)
    names = {element.code: element.name for element in version.elements}
    return [
        Priority(rank=rank, code=code, name=names.get(code, code), nrr=value)
        for rank, (code, value) in enumerate(lowest_elements(nrr, version.element_codes), start=1)
    ]


# --------------------------------------------------------------------------- validation


@dataclass(frozen=True)
class ItemInput:
    """The content of a plan item as entered (status is changed separately)."""

    elements: Sequence[str]
    problem: str
    action: str
    owner: str
    planned_start: dt.date
    planned_end: dt.date
    service_code: str = ""


def service_codes_of(survey: Survey) -> list[str]:
    """The service codes an item may name: the survey's services, else the unit catalogue."""
    restricted = sorted(service.code for service in survey.services.all())
    if restricted:
        return restricted
    return sorted(survey.unit.services.filter(is_active=True).values_list("code", flat=True))


def item_problems(
    instrument: SkmInstrument, data: ItemInput, service_codes: Sequence[str]
) -> dict[str, str]:
    """Every problem of an item's content (field → Indonesian message); empty when valid."""
    problems: dict[str, str] = {}
    codes = [code.strip() for code in data.elements if code.strip()]
    if not codes:
        problems["elements"] = _("Pilih paling sedikit satu unsur yang ditindaklanjuti.")
    else:
        unknown = [code for code in codes if code not in instrument.element_codes]
        if unknown:
            problems["elements"] = _(
                "Unsur %(codes)s tidak ada pada instrumen %(instrument)s; pilih dari %(known)s."
            ) % {
                "codes": ", ".join(unknown),
                "instrument": instrument.code,
                "known": ", ".join(instrument.element_codes),
            }
    if data.service_code and data.service_code not in service_codes:
        problems["service_code"] = _(
            "Layanan %(code)s tidak termasuk survei ini; kosongkan untuk seluruh unit."
        ) % {"code": data.service_code}
    for name, label in (("problem", _("Masalah")), ("action", _("Rencana aksi"))):
        text = getattr(data, name).strip()
        if not text:
            problems[name] = _("%(label)s wajib diisi.") % {"label": label}
        elif len(text) > TEXT_LIMIT:
            problems[name] = _("%(label)s paling banyak %(limit)s karakter.") % {
                "label": label,
                "limit": TEXT_LIMIT,
            }
    owner = data.owner.strip()
    if not owner:
        problems["owner"] = _("Penanggung jawab wajib diisi.")
    elif len(owner) > OWNER_LIMIT:
        problems["owner"] = _("Penanggung jawab paling banyak %(limit)s karakter.") % {
            "limit": OWNER_LIMIT
        }
    if data.planned_start > data.planned_end:
        problems["planned_end"] = _(
            "Rencana selesai (%(end)s) tidak boleh sebelum rencana mulai (%(start)s)."
        ) % {"end": data.planned_end.isoformat(), "start": data.planned_start.isoformat()}
    return problems


def _ordered(codes: Sequence[str], instrument: SkmInstrument) -> list[str]:
    chosen = {code.strip() for code in codes}
    return [code for code in instrument.element_codes if code in chosen]


def _raise_first(problems: dict[str, str]) -> None:
    if problems:
        field, message = next(iter(problems.items()))
        raise DomainError(message, field=field)


def _check_runs(actor: Person, survey: Survey) -> None:
    if not may_run_survey(actor, survey):
        raise PermissionDenied(
            _("Anda tidak berwenang mengubah rencana tindak lanjut survei unit ini.")
        )


def _stale(item: FollowUpItem) -> StaleVersion:
    return StaleVersion(
        _(
            "Butir ini telah diubah orang lain sejak Anda membukanya (versi %(version)s). "
            "Muat ulang halaman dan ulangi perubahan Anda."
        )
        % {"version": item.version},
        field="version",
    )


def _locked_item(item: FollowUpItem, version: int) -> FollowUpItem:
    locked = FollowUpItem.objects.select_for_update().select_related("plan").get(pk=item.pk)
    if locked.version != version:
        raise _stale(locked)
    return locked


def _today() -> dt.date:
    return timezone.localdate()


# --------------------------------------------------------------------------- writes


def start_plan(
    survey: Survey, *, actor: Person, note: str = "", draft_priorities: bool = False
) -> FollowUpPlan:
    """Start the survey's follow-up plan (once it is calculated or published).

    With ``draft_priorities`` one draft item per proposed priority element is written
    (problem prefilled with the element's NRR, owner and action left for the unit); a draft
    item must be completed before the plan can be adopted.
    """
    _check_runs(actor, survey)
    with transaction.atomic():
        locked = Survey.objects.select_for_update().select_related("unit").get(pk=survey.pk)
        if locked.state not in PLANNABLE_STATES:
            raise DomainError(
                _(
                    "Rencana tindak lanjut dibuat setelah hasil survei dihitung "
                    "(status sekarang: %(state)s)."
                )
                % {"state": locked.get_state_display()}
            )
        if FollowUpPlan.objects.filter(survey=locked).exists():
            raise DomainError(_("Survei ini sudah memiliki rencana tindak lanjut."))
        plan = FollowUpPlan.objects.create(survey=locked, note=note.strip())
        drafted = []
        if draft_priorities:
            start = _today()
            for priority in priority_elements(locked):
                drafted.append(
                    FollowUpItem(
                        plan=plan,
                        position=priority.rank,
                        elements=[priority.code],
                        problem=_(
                            "Nilai rata-rata unsur %(code)s (%(name)s) %(nrr)s, "
                            "terendah ke-%(rank)s."
                        )
                        % {
                            "code": priority.code,
                            "name": priority.name,
                            "nrr": priority.nrr,
                            "rank": priority.rank,
                        },
                        action="",
                        owner="",
                        planned_start=start,
                        planned_end=start + DRAFT_DURATION,
                        updated_by=actor,
                    )
                )
            FollowUpItem.objects.bulk_create(drafted)
        audit.record(
            actor=actor,
            action="skm.follow_up.started",
            obj=plan,
            after={
                "survey": locked.pk,
                "note": plan.note,
                "drafted": [item.elements[0] for item in drafted],
            },
        )
    return plan


def add_item(plan: FollowUpPlan, *, actor: Person, data: ItemInput) -> FollowUpItem:
    """Add an item to the plan (status PLANNED); DomainError naming the first bad field."""
    survey = plan.survey
    _check_runs(actor, survey)
    version = instrument_of(survey.instrument)
    _raise_first(item_problems(version, data, service_codes_of(survey)))
    with transaction.atomic():
        locked = FollowUpPlan.objects.select_for_update().get(pk=plan.pk)
        last = locked.items.aggregate(last=Max("position"))["last"] or 0
        item = FollowUpItem.objects.create(
            plan=locked,
            position=last + 1,
            elements=_ordered(data.elements, version),
            service_code=data.service_code,
            problem=data.problem.strip(),
            action=data.action.strip(),
            owner=data.owner.strip(),
            planned_start=data.planned_start,
            planned_end=data.planned_end,
            updated_by=actor,
        )
        audit.record(
            actor=actor,
            action="skm.follow_up.item_added",
            obj=item,
            after=audit.snapshot(item, ITEM_AUDIT_FIELDS),
        )
    return item


def update_item(
    item: FollowUpItem, *, actor: Person, version: int, data: ItemInput
) -> FollowUpItem:
    """Change an item's content; a version other than the stored one raises StaleVersion."""
    survey = item.plan.survey
    _check_runs(actor, survey)
    instrument = instrument_of(survey.instrument)
    _raise_first(item_problems(instrument, data, service_codes_of(survey)))
    with transaction.atomic():
        locked = _locked_item(item, version)
        before = audit.snapshot(locked, ITEM_AUDIT_FIELDS)
        locked.elements = _ordered(data.elements, instrument)
        locked.service_code = data.service_code
        locked.problem = data.problem.strip()
        locked.action = data.action.strip()
        locked.owner = data.owner.strip()
        locked.planned_start = data.planned_start
        locked.planned_end = data.planned_end
        locked.version += 1
        locked.updated_by = actor
        locked.save()
        audit.record(
            actor=actor,
            action="skm.follow_up.item_updated",
            obj=locked,
            before=before,
            after=audit.snapshot(locked, ITEM_AUDIT_FIELDS),
        )
    return locked


def status_problems(
    status: str, realised_on: dt.date | None, reason: str, today: dt.date
) -> dict[str, str]:
    """Problems of a status change (skm.md §8). Pure."""
    problems: dict[str, str] = {}
    if status not in RtlStatus.values:
        problems["status"] = _("Status %(status)s tidak dikenal; pilih salah satu: %(known)s.") % {
            "status": status,
            "known": ", ".join(RtlStatus.values),
        }
        return problems
    if status == RtlStatus.DONE and realised_on is None:
        problems["realised_on"] = _("Isi tanggal terealisasi untuk butir yang selesai.")
    if realised_on is not None and realised_on > today:
        problems["realised_on"] = _("Tanggal terealisasi (%(day)s) tidak boleh di masa depan.") % {
            "day": realised_on.isoformat()
        }
    if status == RtlStatus.CANCELLED and not reason.strip():
        problems["cancel_reason"] = _("Tulis alasan pembatalan butir ini.")
    return problems


def set_item_status(
    item: FollowUpItem,
    *,
    actor: Person,
    version: int,
    status: str,
    realised_on: dt.date | None = None,
    reason: str = "",
    evidence_note: str | None = None,
    evidence: UploadedFile | None = None,
) -> FollowUpItem:
    """Record an item's progress: DONE needs the realised date (not in the future),
    CANCELLED a reason. The evidence note and file (PDF or image, checked from the content)
    are kept; a new file replaces the old one. A stale version raises StaleVersion."""
    _check_runs(actor, item.plan.survey)
    _raise_first(status_problems(status, realised_on, reason, _today()))
    if evidence_note is not None and len(evidence_note.strip()) > TEXT_LIMIT:
        raise DomainError(
            _("Keterangan bukti paling banyak %(limit)s karakter.") % {"limit": TEXT_LIMIT},
            field="evidence_note",
        )
    checked = check_upload(evidence) if evidence is not None else None
    with transaction.atomic():
        locked = _locked_item(item, version)
        before = audit.snapshot(locked, ITEM_AUDIT_FIELDS)
        old_name = locked.evidence.name or ""
        old_storage = locked.evidence.storage
        locked.status = status
        locked.realised_on = realised_on if status == RtlStatus.DONE else None
        locked.cancel_reason = reason.strip() if status == RtlStatus.CANCELLED else ""
        if evidence_note is not None:
            locked.evidence_note = evidence_note.strip()
        locked.version += 1
        locked.updated_by = actor
        if checked is None or evidence is None:
            locked.save()
            _audit_status(actor, locked, before)
        else:
            with stored_upload(locked.evidence, checked, evidence):
                locked.save()
                _audit_status(actor, locked, before)
            if old_name:
                # The replaced file goes once the new one is committed.
                transaction.on_commit(lambda: old_storage.delete(old_name))
    return locked


def _audit_status(actor: Person, item: FollowUpItem, before: dict[str, Any]) -> None:
    audit.record(
        actor=actor,
        action="skm.follow_up.item_status",
        obj=item,
        before=before,
        after=audit.snapshot(item, ITEM_AUDIT_FIELDS),
        reason=item.cancel_reason,
    )


def remove_item(item: FollowUpItem, *, actor: Person, version: int) -> None:
    """Delete an item of a plan not yet adopted (an adopted plan keeps its items; cancel
    them instead). Its evidence file is deleted once the deletion commits."""
    _check_runs(actor, item.plan.survey)
    with transaction.atomic():
        locked = _locked_item(item, version)
        plan = FollowUpPlan.objects.select_for_update().get(pk=locked.plan_id)
        if plan.adopted_on is not None:
            raise DomainError(
                _(
                    "Rencana sudah ditetapkan; butirnya tidak dapat dihapus. "
                    "Ubah statusnya menjadi Dibatalkan dengan alasan."
                )
            )
        audit.record(
            actor=actor,
            action="skm.follow_up.item_removed",
            obj=locked,
            before=audit.snapshot(locked, ITEM_AUDIT_FIELDS),
        )
        locked.delete()
        delete_on_commit(locked.evidence)


def adopt_plan(
    plan: FollowUpPlan, *, actor: Person, adopted_on: dt.date, decree_number: str
) -> FollowUpPlan:
    """Adopt the plan (date and decree number); from then on it counts for the metrics.

    Refused when already adopted, when it has no item, when an item lacks its action or
    owner (a draft), or when the date is in the future or before the calculation.
    """
    survey = plan.survey
    _check_runs(actor, survey)
    decree_number = " ".join(decree_number.split())
    if not decree_number:
        raise DomainError(_("Isi nomor penetapan (keputusan) rencana."), field="decree_number")
    if len(decree_number) > DECREE_LIMIT:
        raise DomainError(
            _("Nomor penetapan paling banyak %(limit)s karakter.") % {"limit": DECREE_LIMIT},
            field="decree_number",
        )
    if adopted_on > _today():
        raise DomainError(
            _("Tanggal penetapan (%(day)s) tidak boleh di masa depan.")
            % {"day": adopted_on.isoformat()},
            field="adopted_on",
        )
    calculated = survey.calculated_at
    if calculated is not None and adopted_on < timezone.localtime(calculated).date():
        raise DomainError(
            _("Tanggal penetapan tidak boleh sebelum hasil survei dihitung (%(day)s).")
            % {"day": timezone.localtime(calculated).date().isoformat()},
            field="adopted_on",
        )
    with transaction.atomic():
        locked = FollowUpPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.adopted_on is not None:
            raise DomainError(
                _("Rencana ini sudah ditetapkan pada %(day)s (nomor %(number)s).")
                % {"day": locked.adopted_on.isoformat(), "number": locked.decree_number}
            )
        items = list(locked.items.all())
        if not items:
            raise DomainError(_("Tambahkan paling sedikit satu butir sebelum menetapkan rencana."))
        drafts = [str(item.position) for item in items if not item.action or not item.owner]
        if drafts:
            raise DomainError(
                _(
                    "Lengkapi rencana aksi dan penanggung jawab butir %(items)s "
                    "sebelum menetapkan rencana."
                )
                % {"items": ", ".join(drafts)}
            )
        locked.adopted_on = adopted_on
        locked.decree_number = decree_number
        locked.adopted_by = actor
        locked.version += 1
        locked.save()
        audit.record(
            actor=actor,
            action="skm.follow_up.adopted",
            obj=locked,
            after={
                "survey": survey.pk,
                "adopted_on": adopted_on,
                "decree_number": decree_number,
                "items": len(items),
            },
        )
    return locked


# --------------------------------------------------------------------------- metrics


@dataclass(frozen=True)
class RtlMetrics:
    """The skm.md §8 metrics of a unit's reference survey (None where there is none).

    ``rtl_realised_pct`` and ``rtl_completed_date`` count only an adopted plan;
    ``rtl_report_date`` is the date the result was published.
    """

    survey_id: int | None
    rtl_realised_pct: Decimal | None
    rtl_completed_date: dt.date | None
    rtl_report_date: dt.date | None


NO_METRICS = RtlMetrics(None, None, None, None)


def metrics_from(
    survey_id: int | None,
    published_on: dt.date | None,
    adopted: bool,
    items: Sequence[Item],
) -> RtlMetrics:
    """The metrics from plain values (pure; items as ``(status, realised_on)``)."""
    counted: Sequence[Item] = items if adopted else ()
    return RtlMetrics(
        survey_id=survey_id,
        rtl_realised_pct=rtl_realised_pct(counted),
        rtl_completed_date=rtl_completed_date(counted),
        rtl_report_date=published_on,
    )


def plan_metrics(plan: FollowUpPlan, items: Sequence[FollowUpItem] | None = None) -> RtlMetrics:
    """The metrics of a plan; pass its items when already loaded (no further query)."""
    rows = list(plan.items.all()) if items is None else items
    return metrics_from(
        plan.survey_id,
        plan.survey.published_on,
        plan.adopted_on is not None,
        [(RtlStatus(row.status), row.realised_on) for row in rows],
    )


def reference_survey(unit: ServiceUnit | int, year: int) -> Survey | None:
    """The unit's latest PUBLISHED survey whose period ends in ``year`` − 1 (skm.md §8:
    the reference SKM of a PEKPPP edition of ``year``)."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    return (
        Survey.objects.filter(
            unit_id=unit_id, state=SurveyState.PUBLISHED, period_end__year=year - 1
        )
        .order_by("-period_end", "-published_on", "-pk")
        .first()
    )


def rtl_metrics_for(unit: ServiceUnit | int, year: int) -> RtlMetrics:
    """The RTL metrics PEKPPP indicators 8 and 9 read for a unit's edition of ``year``.

    All values are None when the unit has no reference survey; the survey id is set and
    the two plan metrics are None when its plan is missing or not adopted.
    """
    survey = reference_survey(unit, year)
    if survey is None:
        return NO_METRICS
    plan = FollowUpPlan.objects.filter(survey=survey).first()
    if plan is None:
        return metrics_from(survey.pk, survey.published_on, False, ())
    plan.survey = survey
    return plan_metrics(plan, list(plan.items.only("status", "realised_on")))
