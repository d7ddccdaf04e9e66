"""Validation of the PKRI self-assessment forms (pkri.md §6; acceptance example B2).

:func:`form_problems` returns *every* problem of a form answer (sustainability,
replication or coaching), each with a code, a dotted field path (``budget.2.amount``) and
an Indonesian message; an empty list means the form may be submitted.
:func:`window_problem` checks the self-assessment window (WIB, both days inclusive).

Checks that need the database are the caller's: that ``original_innovation`` is a Top
object of the edition's source years, that file ids belong to the form, and that linked
institutions and innovations exist.

Pure: no ORM.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from prima.core.dates import full_date
from prima.pkri.domain import form_values as v
from prima.pkri.domain.coaching_rules import coaching_problems
from prima.pkri.domain.form_values import WIB, FormContext, FormProblem, Problems

__all__ = ["WIB", "FormContext", "FormProblem", "form_problems", "window_problem"]

STOP_REASONS = (
    "budget",
    "leadership_change",
    "regulation_change",
    "merged_into_other_system",
    "replaced_by_national_system",
    "need_ended",
    "other",
)
SUCCESSOR_REASONS = ("merged_into_other_system", "replaced_by_national_system")
IMPROVEMENT_TYPES = ("feature", "coverage", "process", "technology", "regulation")
MEASURES = ("people", "households", "businesses", "documents", "transactions", "other")
BUDGET_SOURCES = ("APBN", "APBD", "BUMN", "CSR", "other", "none")
LEGAL_TYPES = (
    "perda",
    "perkada",
    "permen",
    "peraturan_lembaga",
    "sk_kepala",
    "surat_edaran",
    "other",
)
EVALUATION_KINDS = ("internal", "external")
EVALUATORS = ("unit", "parent_office", "inspektorat", "bpk", "university", "other")
FOLLOW_UPS = ("yes", "partly", "no")
SCOPES = ("full", "partial")
RELATIONSHIPS = ("agreement", "study_visit", "mentoring", "none")
BUDGET_YEARS = 3  # "at least one row for each of the last 3 full years"


def form_problems(kind: str, data: Mapping[str, Any], ctx: FormContext) -> list[FormProblem]:
    """Every problem of ``data`` as a form of ``kind`` (sustainability/replication/coaching)."""
    if kind == "coaching":
        return coaching_problems(data, ctx)
    if kind not in ("sustainability", "replication"):
        raise ValueError(f"form_problems: unknown form kind {kind!r}")
    problems: Problems = []
    base_year = ctx.award_year
    if kind == "replication":
        started = _replication_part(problems, data, ctx)
        base_year = started.year if started else ctx.award_year
    _running(problems, data, ctx)
    _interruptions(problems, data, ctx)
    _improvements(problems, data, ctx, base_year)
    _coverage(problems, data)
    _beneficiaries(problems, data, ctx, base_year)
    _budget(problems, data, ctx)
    _legal_basis(problems, data, ctx)
    for key in ("sop", "team_decree"):
        _document(problems, data, key, ctx)
    _latest_evaluation(problems, data, ctx)
    key = "replications" if kind == "sustainability" else "onward_replications"
    _replications(problems, data, key, ctx)
    v.closing_checks(problems, data)
    _contact(problems, data)
    return problems


def window_problem(now: dt.datetime, window: tuple[dt.date, dt.date]) -> FormProblem | None:
    """``window_closed`` unless ``now`` (WIB) falls on a day of ``window`` (both inclusive).

    A naive ``now`` is read as WIB. B2: 2024-06-12 00:00 WIB is outside 29 Apr–11 Jun.
    """
    moment = now.replace(tzinfo=WIB) if now.tzinfo is None else now.astimezone(WIB)
    first, last = window
    if first <= moment.date() <= last:
        return None
    period = {"first": full_date(first), "last": full_date(last)}
    if moment.date() < first:
        message = _("Masa pengisian formulir (%(first)s s.d. %(last)s WIB) belum dibuka.")
    else:
        message = _("Masa pengisian formulir (%(first)s s.d. %(last)s WIB) sudah ditutup.")
    return FormProblem("window_closed", "", message % period)


# --------------------------------------------------------------------------- sections


def _running(problems: Problems, data: Mapping[str, Any], ctx: FormContext) -> dt.date | None:
    running = v.read_bool(problems, data, "still_running", "still_running")
    since = v.read_date(
        problems, data, "running_since", "running_since", need=ctx.running_since_default is None
    )
    v.check_not_after(problems, since, ctx.today, "running_since")
    if since is None:
        since = ctx.running_since_default
    elif (
        ctx.running_since_default is not None
        and since != ctx.running_since_default
        and not data.get("evidence")
    ):
        problems.append(
            FormProblem(
                "evidence_required",
                "running_since",
                _("Tanggal mulai berbeda dari data inovasi; lampirkan bukti perubahannya."),
            )
        )
    stop_fields = ("stopped_on", "stop_reason", "stop_reason_text", "successor_innovation")
    if running is True:
        for key in stop_fields:
            if not v.is_missing(data.get(key)):
                v.not_applicable(problems, key, _("Hanya diisi jika inovasi tidak berjalan lagi."))
        return since
    if running is None:
        return since
    stopped = v.read_date(problems, data, "stopped_on", "stopped_on", need=False)
    if v.is_missing(data.get("stopped_on")):
        problems.append(
            FormProblem(
                "stopped_on_required",
                "stopped_on",
                _("Tanggal berhenti wajib diisi jika inovasi tidak berjalan lagi."),
            )
        )
    elif stopped is not None and (stopped > ctx.today or (since is not None and stopped < since)):
        low = since.isoformat() if since else "…"
        problems.append(
            FormProblem(
                "stopped_on_out_of_range",
                "stopped_on",
                _("Tanggal berhenti harus di antara %(low)s dan %(high)s.")
                % {"low": low, "high": ctx.today.isoformat()},
            )
        )
    reason = v.read_choice(problems, data, "stop_reason", "stop_reason", STOP_REASONS, need=False)
    if v.is_missing(data.get("stop_reason")):
        problems.append(
            FormProblem(
                "stop_reason_required",
                "stop_reason",
                _("Alasan berhenti wajib dipilih jika inovasi tidak berjalan lagi."),
            )
        )
    v.read_text(problems, data, "stop_reason_text", "stop_reason_text", need=False, max_words=150)
    successor = v.read_id(problems, data, "successor_innovation", "successor_innovation")
    if successor is not None and reason is not None and reason not in SUCCESSOR_REASONS:
        v.not_applicable(
            problems,
            "successor_innovation",
            _("Inovasi pengganti hanya diisi jika inovasi digabung atau digantikan sistem lain."),
        )
    return since


def _interruptions(problems: Problems, data: Mapping[str, Any], ctx: FormContext) -> None:
    earliest = dt.date(ctx.award_year, 1, 1) if ctx.award_year else None
    for where, row in v.read_rows(problems, data, "interruptions", "interruptions"):
        start = v.read_date(problems, row, "from", v.path_of(where, "from"))
        end = v.read_date(problems, row, "to", v.path_of(where, "to"))
        v.read_text(problems, row, "reason", v.path_of(where, "reason"))
        v.check_not_after(problems, end, ctx.today, v.path_of(where, "to"))
        if start and end and end < start:
            problems.append(
                FormProblem(
                    "date_order",
                    v.path_of(where, "to"),
                    _("Tanggal akhir tidak boleh sebelum tanggal mulai."),
                )
            )
        if start and earliest and start < earliest:
            problems.append(
                FormProblem(
                    "date_out_of_range",
                    v.path_of(where, "from"),
                    _("Gangguan dicatat sejak tahun penghargaan (%(year)s).")
                    % {"year": ctx.award_year},
                )
            )


def _improvements(
    problems: Problems, data: Mapping[str, Any], ctx: FormContext, base_year: int | None
) -> None:
    for where, row in v.read_rows(problems, data, "improvements", "improvements"):
        v.read_year(
            problems, row, "year", v.path_of(where, "year"), first=base_year, last=ctx.edition_year
        )
        v.read_choice(problems, row, "type", v.path_of(where, "type"), IMPROVEMENT_TYPES)
        v.read_text(problems, row, "description", v.path_of(where, "description"), max_words=150)
        v.read_id(problems, row, "evidence", v.path_of(where, "evidence"))


def _coverage(problems: Problems, data: Mapping[str, Any]) -> None:
    expanded = v.read_bool(problems, data, "coverage_expanded", "coverage_expanded")
    v.read_text(
        problems, data, "coverage_description", "coverage_description", need=expanded is True
    )


def _beneficiaries(
    problems: Problems,
    data: Mapping[str, Any],
    ctx: FormContext,
    base_year: int | None,
) -> None:
    last = ctx.last_full_year
    seen: set[int] = set()
    measures: set[tuple[str, str]] = set()
    for where, row in v.read_rows(problems, data, "beneficiaries", "beneficiaries"):
        year = v.read_year(problems, row, "year", v.path_of(where, "year"), first=None, last=last)
        if year is not None:
            if year in seen:
                v.duplicate_year(problems, year, v.path_of(where, "year"))
            seen.add(year)
        v.read_int(problems, row, "count", v.path_of(where, "count"))
        measure = v.read_choice(problems, row, "measure", v.path_of(where, "measure"), MEASURES)
        other = v.read_text(
            problems,
            row,
            "measure_other",
            v.path_of(where, "measure_other"),
            need=measure == "other",
        )
        v.read_text(problems, row, "source", v.path_of(where, "source"))
        if measure is not None:
            measures.add((measure, other.strip().casefold() if measure == "other" else ""))
    if len(measures) > 1:
        problems.append(
            FormProblem(
                "measure_mixed",
                "beneficiaries",
                _("Satuan penerima manfaat harus sama pada setiap baris."),
            )
        )
    if base_year is None:
        return
    missing = [year for year in range(base_year, last + 1) if year not in seen]
    if missing:
        problems.append(
            FormProblem(
                "beneficiaries_missing_years",
                "beneficiaries",
                _("Jumlah penerima manfaat belum diisi untuk tahun %(years)s.")
                % {"years": v.years_text(missing)},
            )
        )


def _budget(problems: Problems, data: Mapping[str, Any], ctx: FormContext) -> None:
    seen: set[int] = set()
    for where, row in v.read_rows(problems, data, "budget", "budget"):
        year = v.read_year(
            problems, row, "year", v.path_of(where, "year"), first=None, last=ctx.edition_year
        )
        if year is not None:
            seen.add(year)
        source = v.read_choice(problems, row, "source", v.path_of(where, "source"), BUDGET_SOURCES)
        v.read_text(problems, row, "line", v.path_of(where, "line"), need=source != "none")
        amount_field = v.path_of(where, "amount")
        amount = v.read_int(
            problems,
            row,
            "amount",
            amount_field,
            need=source != "none",
            negative_code="amount_negative",
        )
        if source == "none" and amount:
            problems.append(
                FormProblem(
                    "amount_not_zero",
                    amount_field,
                    _("Sumber 'tidak ada anggaran' berarti jumlahnya 0."),
                )
            )
    wanted = range(ctx.last_full_year - BUDGET_YEARS + 1, ctx.last_full_year + 1)
    missing = [year for year in wanted if year not in seen]
    if missing:
        problems.append(
            FormProblem(
                "budget_years_missing",
                "budget",
                _("Anggaran belum diisi untuk tahun %(years)s (pilih 'tidak ada' jika nihil).")
                % {"years": v.years_text(missing)},
            )
        )


def _legal_basis(problems: Problems, data: Mapping[str, Any], ctx: FormContext) -> None:
    for where, row in v.read_rows(problems, data, "legal_basis", "legal_basis"):
        v.legal_row(problems, row, where, ctx.today, LEGAL_TYPES)


def _document(problems: Problems, data: Mapping[str, Any], key: str, ctx: FormContext) -> None:
    doc = v.read_object(problems, data, key, key)
    if doc is None:
        return
    exists = v.read_bool(problems, doc, "exists", v.path_of(key, "exists"))
    day = v.read_date(problems, doc, "date", v.path_of(key, "date"), need=False)
    v.check_not_after(problems, day, ctx.today, v.path_of(key, "date"))
    if exists is not True:
        return
    v.read_text(problems, doc, "number", v.path_of(key, "number"))
    if doc.get("file") is not None:
        v.read_id(problems, doc, "file", v.path_of(key, "file"))
    else:
        v.file_required(problems, v.path_of(key, "file"))


def _latest_evaluation(problems: Problems, data: Mapping[str, Any], ctx: FormContext) -> None:
    found = v.read_object(problems, data, "latest_evaluation", "latest_evaluation", need=False)
    if found is None:
        return
    key = "latest_evaluation"
    day = v.read_date(problems, found, "date", v.path_of(key, "date"))
    v.check_not_after(problems, day, ctx.today, v.path_of(key, "date"))
    v.read_choice(problems, found, "kind", v.path_of(key, "kind"), EVALUATION_KINDS)
    v.read_choice(problems, found, "evaluator", v.path_of(key, "evaluator"), EVALUATORS)
    v.read_text(problems, found, "summary", v.path_of(key, "summary"), max_words=300)
    v.read_choice(problems, found, "follow_up", v.path_of(key, "follow_up"), FOLLOW_UPS)
    v.read_id(problems, found, "file", v.path_of(key, "file"))


def _replications(problems: Problems, data: Mapping[str, Any], key: str, ctx: FormContext) -> None:
    for where, row in v.read_rows(problems, data, key, key):
        v.read_id(problems, row, "institution", v.path_of(where, "institution"), need=True)
        v.read_text(problems, row, "unit", v.path_of(where, "unit"), need=False)
        start = v.read_date(problems, row, "start_date", v.path_of(where, "start_date"))
        v.check_not_after(problems, start, ctx.today, v.path_of(where, "start_date"))
        v.read_choice(problems, row, "scope", v.path_of(where, "scope"), SCOPES)
        v.read_text(
            problems, row, "differences", v.path_of(where, "differences"), need=False, max_words=100
        )
        v.read_id(problems, row, "evidence", v.path_of(where, "evidence"))


def _contact(problems: Problems, data: Mapping[str, Any]) -> None:
    contact = v.read_object(problems, data, "contact", "contact")
    if contact is None:
        return
    v.read_text(problems, contact, "name", "contact.name")
    v.read_text(problems, contact, "position", "contact.position")
    email = v.read_text(problems, contact, "email", "contact.email")
    v.check_email(problems, email, "contact.email")


def _replication_part(
    problems: Problems, data: Mapping[str, Any], ctx: FormContext
) -> dt.date | None:
    """The replication form's own fields (§6.2); returns ``replication_started``."""
    v.read_id(problems, data, "original_innovation", "original_innovation", need=True)
    started = v.read_date(problems, data, "replication_started", "replication_started")
    v.check_not_after(problems, started, ctx.today, "replication_started")
    v.read_choice(problems, data, "scope", "scope", SCOPES)
    v.read_text(problems, data, "adaptation_steps", "adaptation_steps", max_words=200)
    v.read_text(problems, data, "differentiators", "differentiators", max_words=100)
    relationship = data.get("relationship")
    if not isinstance(relationship, list) or not relationship:
        if relationship is None or relationship == []:
            v.required(problems, "relationship")
        else:
            v.invalid(problems, "relationship", _("Harus berupa daftar pilihan."))
        return started
    for index, item in enumerate(relationship):
        if item not in RELATIONSHIPS:
            problems.append(
                FormProblem(
                    "invalid_choice",
                    v.path_of("relationship", index),
                    _("Pilihan %(value)s tidak dikenal.") % {"value": repr(item)},
                )
            )
    if "none" in relationship and len(set(relationship)) > 1:
        problems.append(
            FormProblem(
                "relationship_none_exclusive",
                "relationship",
                _("'Tidak ada' tidak dapat dipilih bersama hubungan lain."),
            )
        )
    return started
