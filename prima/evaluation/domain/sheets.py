"""Score sheets: saving drafts, finalising and correcting them (kipp.md §10.2; DESIGN.md §5).

A sheet is one assessor's scores for one subject in one stage. While it is a draft,
version 1 is edited in place; finalising stores the weighted total ``T_e`` (exact, never
rounded here); after that every change is a correction, i.e. a new `ScoreVersion` with a
reason. Once the stage closes, sheets are immutable. Every version records the content
hash of the instrument it was scored with.

The criteria of a sheet depend on the stage: ``scoring == "sections"`` scores the
instrument sections visible to the subject's group (zero-weight ones included),
``scoring == "rubric:<name>"`` scores the items of the instrument's rubric of that name
(``rubric:feasibility``, ``rubric:presentation``); a plain ``"rubric"`` is the presentation
rubric. The stage records which rubric it uses when it is created, and the weights come
from the instrument, whose content hash every version records.

:func:`recompute_stage_totals` is the one path that recomputes stored totals (used when
an amended instrument replaces the edition's instrument).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.evaluation.domain import instruments as pure
from prima.evaluation.domain.catalogue import instrument_of, mark_used
from prima.evaluation.domain.scoring import weighted_total
from prima.evaluation.enums import SheetStatus, StageStatus
from prima.evaluation.models import (
    Assignment,
    Score,
    ScoreSheet,
    ScoreVersion,
    Stage,
)
from prima.evaluation.queries import conflict_reasons

MIN_CORRECTION_REASON = 10
EVIDENCE_MAX = 300
SCORING_SECTIONS = "sections"
SCORING_RUBRIC = "rubric"  # the presentation rubric (stages created before named rubrics)
RUBRIC_PREFIX = "rubric:"
RUBRIC_PRESENTATION = pure.PRESENTATION_RUBRIC
RUBRIC_FEASIBILITY = "feasibility"
RUBRIC_INTERVIEW = "interview"
SCORING_PRESENTATION = RUBRIC_PREFIX + RUBRIC_PRESENTATION
SCORING_FEASIBILITY = RUBRIC_PREFIX + RUBRIC_FEASIBILITY

Value = int | Decimal | None


@dataclass(frozen=True)
class Criterion:
    """What an assessor scores: a section or a rubric item, with its weight in percent."""

    code: str
    label: str
    weight: Decimal


# --------------------------------------------------------------------------- criteria


def rubric_scoring(name: str) -> str:
    """The stage ``scoring`` value that scores the rubric ``name`` (``rubric:feasibility``)."""
    return RUBRIC_PREFIX + name


def rubric_name(scoring: str) -> str | None:
    """The rubric a stage's ``scoring`` names, or None when it does not score a rubric."""
    if scoring == SCORING_RUBRIC:
        return RUBRIC_PRESENTATION
    if scoring.startswith(RUBRIC_PREFIX) and len(scoring) > len(RUBRIC_PREFIX):
        return scoring.removeprefix(RUBRIC_PREFIX)
    return None


def rubric_label(name: str) -> str:
    """The Indonesian name of a rubric (``kelayakan``), or the name itself when unknown."""
    labels = {
        RUBRIC_PRESENTATION: _("presentasi"),
        RUBRIC_FEASIBILITY: _("kelayakan"),
        RUBRIC_INTERVIEW: _("wawancara"),
    }
    return labels.get(name, name)


def is_rubric(scoring: str) -> bool:
    """Whether a stage with this ``scoring`` scores a rubric (not the proposal sections)."""
    return rubric_name(scoring) is not None


def scale_for(scoring: str, instrument: pure.Instrument) -> pure.Scale:
    """The scale values are entered on: the instrument's, except that a scale step (PKRI
    levels stored as multiples of 25) binds section scores only, never rubric items,
    which are 0–100 per panelist (pkri.md §7.3)."""
    if is_rubric(scoring) and instrument.scale.step is not None:
        return dataclasses.replace(instrument.scale, step=None)
    return instrument.scale


def criteria_for(scoring: str, group: str, instrument: pure.Instrument) -> tuple[Criterion, ...]:
    """The criteria of a sheet, in instrument order.

    ``scoring`` is the stage's ``scoring`` field; ``group`` the subject's entry group
    (rubric items are the same for every group).
    """
    if scoring == SCORING_SECTIONS:
        try:
            sections = instrument.visible_sections(group)
        except KeyError as error:
            raise DomainError(
                _("Kelompok «%(group)s» tidak dikenal oleh instrumen %(code)s.")
                % {"group": group, "code": instrument.code}
            ) from error
        return tuple(Criterion(s.code, s.label, s.weights[group] or Decimal(0)) for s in sections)
    name = rubric_name(scoring)
    if name is not None:
        rubric = instrument.rubric_for(name)
        if rubric is None:
            raise DomainError(
                _(
                    "Instrumen %(code)s versi %(version)s tidak memiliki rubrik %(label)s "
                    "(«%(name)s») yang dinilai pada tahap ini."
                )
                % {
                    "code": instrument.code,
                    "version": instrument.version,
                    "label": rubric_label(name),
                    "name": name,
                }
            )
        return tuple(Criterion(i.code, i.label, i.weight) for i in rubric.items)
    raise DomainError(_("Tahap ini tidak memakai lembar nilai."))


def sheet_criteria(sheet: ScoreSheet) -> tuple[Criterion, ...]:
    """The criteria of an existing sheet, read from the instrument it is scored with."""
    return criteria_for(sheet.stage.scoring, sheet.subject.group, instrument_of(sheet.instrument))


def _weights(criteria: tuple[Criterion, ...]) -> dict[str, Decimal]:
    return {c.code: c.weight for c in criteria}


def total_of(values: Mapping[str, Decimal], criteria: tuple[Criterion, ...]) -> Decimal:
    """The weighted total ``T_e`` of complete values (exact, unrounded)."""
    return weighted_total(values, _weights(criteria))


# --------------------------------------------------------------------------- reading


def version_values(version: ScoreVersion) -> dict[str, Score]:
    """Criterion code → Score row of one version."""
    return {score.criterion: score for score in version.scores.all()}


def current_version(sheet: ScoreSheet) -> ScoreVersion:
    return sheet.versions.get(number=sheet.current_version)


def sheet_values(sheet: ScoreSheet) -> dict[str, Decimal | None]:
    """Criterion code → value of the sheet's current version (None = not yet scored)."""
    return {code: s.value for code, s in version_values(current_version(sheet)).items()}


def _payload(sheet: ScoreSheet, version: ScoreVersion) -> dict[str, Any]:
    scores = version_values(version)
    return {
        "status": sheet.status,
        "version": version.number,
        "values": {code: s.value for code, s in sorted(scores.items())},
        "note": version.note,
        "total": sheet.total,
        "instrument_hash": version.instrument_hash,
    }


# --------------------------------------------------------------------------- validation


def _format(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)


def _clean_value(criterion: Criterion, value: object, scale: pure.Scale) -> Decimal:
    """One entered value as a Decimal on the instrument's scale, or a DomainError."""
    bounds = {"criterion": criterion.label, "min": _format(scale.min), "max": _format(scale.max)}
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise DomainError(
            _("Nilai «%(criterion)s» harus berupa angka %(min)s–%(max)s.") % bounds,
            field=criterion.code,
        )
    number = Decimal(value)
    if not number.is_finite():
        raise DomainError(
            _("Nilai «%(criterion)s» harus berupa angka %(min)s–%(max)s.") % bounds,
            field=criterion.code,
        )
    shown = {**bounds, "value": str(value)}
    if scale.type == "integer" and number != number.to_integral_value():
        raise DomainError(
            _("Nilai «%(criterion)s» harus bilangan bulat %(min)s–%(max)s, tertulis %(value)s.")
            % shown,
            field=criterion.code,
        )
    if not scale.min <= number <= scale.max:
        raise DomainError(
            _("Nilai «%(criterion)s» harus %(min)s–%(max)s, tertulis %(value)s.") % shown,
            field=criterion.code,
        )
    if scale.step is not None and (number - scale.min) % scale.step != 0:
        raise DomainError(
            _("Nilai «%(criterion)s» harus kelipatan %(step)s dari %(min)s, tertulis %(value)s.")
            % {**shown, "step": _format(scale.step)},
            field=criterion.code,
        )
    if number != number.quantize(Decimal("0.01")):
        raise DomainError(
            _("Nilai «%(criterion)s» paling banyak dua angka desimal, tertulis %(value)s.") % shown,
            field=criterion.code,
        )
    return number


def _check_keys(keys: Mapping[str, Any], criteria: tuple[Criterion, ...], field: str) -> None:
    known = {c.code for c in criteria}
    unknown = sorted(str(k) for k in keys if k not in known)
    if unknown:
        raise DomainError(
            _("Kriteria «%(codes)s» tidak ada di lembar nilai ini.")
            % {"codes": ", ".join(unknown)},
            field=field,
        )


def _clean_values(
    values: Mapping[str, Value], criteria: tuple[Criterion, ...], scale: pure.Scale
) -> dict[str, Decimal | None]:
    _check_keys(values, criteria, "values")
    cleaned: dict[str, Decimal | None] = {}
    for criterion in criteria:
        value = values.get(criterion.code)
        cleaned[criterion.code] = None if value is None else _clean_value(criterion, value, scale)
    return cleaned


def _clean_texts(
    texts: Mapping[str, str] | None,
    criteria: tuple[Criterion, ...],
    field: str,
    max_length: int | None = None,
) -> dict[str, str]:
    texts = texts or {}
    _check_keys(texts, criteria, field)
    cleaned = {code: (text or "").strip() for code, text in texts.items()}
    if max_length is not None:
        labels = {c.code: c.label for c in criteria}
        for code, text in cleaned.items():
            if len(text) > max_length:
                raise DomainError(
                    _("Rujukan bukti «%(criterion)s» paling panjang %(max)d karakter.")
                    % {"criterion": labels[code], "max": max_length},
                    field=code,
                )
    return cleaned


def _missing(values: Mapping[str, Decimal | None], criteria: tuple[Criterion, ...]) -> list[str]:
    return [c.label for c in criteria if values.get(c.code) is None]


# --------------------------------------------------------------------------- guards


def _check_assessor(assignment: Assignment, actor: Any) -> None:
    """The actor is the assignment's ready assessor, the stage lets them score, no conflict."""
    appointment = assignment.appointment
    if actor is None or getattr(actor, "pk", None) != appointment.person_id:
        raise PermissionDenied(_("Hanya penilai yang ditugaskan yang dapat mengisi lembar ini."))
    if not appointment.is_active:
        raise PermissionDenied(_("Penugasan Anda sebagai penilai tidak aktif."))
    if not appointment.is_ready:
        raise PermissionDenied(
            _("Setujui kode etik dan nyatakan konflik kepentingan terlebih dahulu sebelum menilai.")
        )
    _check_stage_scoring(assignment.stage)
    if assignment.is_excused:
        raise DomainError(_("Penilaian ini telah dibebaskan oleh sekretariat."))
    if conflict_reasons(appointment, assignment.subject):
        raise PermissionDenied(
            _(
                "Anda memiliki konflik kepentingan dengan subjek ini; "
                "penilaian tidak dapat disimpan."
            )
        )


def _check_stage_scoring(stage: Stage) -> None:
    if not stage.is_open:
        raise DomainError(
            _("Tahap «%(stage)s» tidak sedang berjalan; lembar nilai tidak dapat diubah.")
            % {"stage": stage.get_code_display()}
        )
    if not stage.assessors_score:
        raise DomainError(
            _("Tahap «%(stage)s» tidak membuka penilaian.") % {"stage": stage.get_code_display()}
        )


def _check_not_closed(stage: Stage) -> None:
    if stage.status != StageStatus.OPEN:
        raise DomainError(
            _("Tahap «%(stage)s» sudah ditutup; lembar nilai tidak dapat diubah lagi.")
            % {"stage": stage.get_code_display()}
        )


def _locked(sheet: ScoreSheet) -> ScoreSheet:
    """The sheet re-read under a row lock, with the relations the checks need."""
    return (
        ScoreSheet.objects.select_for_update(of=("self",))
        .select_related("stage", "subject", "appointment", "instrument", "assignment")
        .get(pk=sheet.pk)
    )


def _write_scores(
    version: ScoreVersion,
    values: Mapping[str, Decimal | None],
    comments: Mapping[str, str],
    evidence: Mapping[str, str],
    criteria: tuple[Criterion, ...],
) -> None:
    Score.objects.bulk_create(
        [
            Score(
                version=version,
                criterion=c.code,
                value=values.get(c.code),
                note=comments.get(c.code, ""),
                evidence_ref=evidence.get(c.code, ""),
            )
            for c in criteria
            if values.get(c.code) is not None or comments.get(c.code) or evidence.get(c.code)
        ]
    )


def is_secretariat(actor: Any) -> bool:
    access = access_for(actor)
    return access.is_secretariat or access.is_superuser


# --------------------------------------------------------------------------- actions


def save_sheet(
    assignment: Assignment,
    values: Mapping[str, Value],
    *,
    note: str = "",
    comments: Mapping[str, str] | None = None,
    evidence: Mapping[str, str] | None = None,
    actor: Any,
) -> ScoreSheet:
    """Save the assessor's draft for an assignment (creating the sheet on first save).

    ``values`` is the whole draft: criteria left out or None are not yet scored. Values
    must be on the instrument's scale (integers 0–100 for KIPP). A draft may be
    incomplete; :func:`finalise_sheet` requires every criterion and the overall note.
    A final sheet is changed only through :func:`correct_sheet`.
    """
    _check_assessor(assignment, actor)
    stage = assignment.stage
    subject = assignment.subject
    instrument_row = stage.edition.instrument
    instrument = instrument_of(instrument_row)
    criteria = criteria_for(stage.scoring, subject.group, instrument)
    cleaned = _clean_values(values, criteria, scale_for(stage.scoring, instrument))
    cleaned_comments = _clean_texts(comments, criteria, "comments")
    cleaned_evidence = _clean_texts(evidence, criteria, "evidence", EVIDENCE_MAX)
    note = (note or "").strip()

    with transaction.atomic():
        sheet = (
            ScoreSheet.objects.select_for_update(of=("self",)).filter(assignment=assignment).first()
        )
        before: dict[str, Any] | None = None
        if sheet is None:
            sheet = ScoreSheet.objects.create(
                assignment=assignment,
                stage=stage,
                subject=subject,
                appointment=assignment.appointment,
                instrument=instrument_row,
                status=SheetStatus.DRAFT,
                current_version=1,
            )
            version = ScoreVersion.objects.create(
                sheet=sheet,
                number=1,
                note=note,
                instrument_hash=instrument_row.content_hash,
                created_by=actor,
            )
        else:
            if sheet.status == SheetStatus.FINAL:
                raise DomainError(
                    _("Lembar nilai ini sudah final; perubahan harus melalui koreksi beralasan.")
                )
            version = sheet.versions.get(number=1)
            before = _payload(sheet, version)
            version.scores.all().delete()
            version.note = note
            version.instrument_hash = instrument_row.content_hash
            version.created_by = actor
            version.save(update_fields=["note", "instrument_hash", "created_by"])
            if sheet.instrument_id != instrument_row.pk:
                sheet.instrument = instrument_row
            sheet.save(update_fields=["instrument", "updated_at"])
        _write_scores(version, cleaned, cleaned_comments, cleaned_evidence, criteria)
        if instrument_row.used_at is None:
            mark_used(instrument_row, actor=actor)
        audit.record(
            actor=actor,
            action="evaluation.sheet.save",
            obj=sheet,
            before=before,
            after=_payload(sheet, version),
        )
    return sheet


def finalise_sheet(sheet: ScoreSheet, *, actor: Any) -> ScoreSheet:
    """Finalise a draft: every criterion scored and the overall note written.

    Stores the exact weighted total on the sheet and its version, and ``finalised_at``.
    """
    with transaction.atomic():
        sheet = _locked(sheet)
        _check_assessor(sheet.assignment, actor)
        if sheet.status == SheetStatus.FINAL:
            raise DomainError(_("Lembar nilai ini sudah final."))
        criteria = sheet_criteria(sheet)
        version = current_version(sheet)
        values = {code: s.value for code, s in version_values(version).items()}
        missing = _missing(values, criteria)
        if missing:
            raise DomainError(
                _("Lembar belum lengkap; beri nilai untuk: %(criteria)s.")
                % {"criteria": ", ".join(missing)},
                field="values",
            )
        if not version.note.strip():
            raise DomainError(_("Catatan umum wajib diisi sebelum finalisasi."), field="note")
        before = _payload(sheet, version)
        total = total_of({k: v for k, v in values.items() if v is not None}, criteria)
        version.total = total
        version.save(update_fields=["total"])
        sheet.total = total
        sheet.status = SheetStatus.FINAL
        sheet.finalised_at = timezone.now()
        sheet.save(update_fields=["total", "status", "finalised_at", "updated_at"])
        audit.record(
            actor=actor,
            action="evaluation.sheet.finalise",
            obj=sheet,
            before=before,
            after=_payload(sheet, version),
        )
    return sheet


def correct_sheet(
    sheet: ScoreSheet,
    values: Mapping[str, int | Decimal],
    *,
    reason: str,
    note: str | None = None,
    actor: Any,
) -> ScoreSheet:
    """Correct a final sheet: a new version with the changed values and a reason.

    ``values`` holds only the criteria that change; the others are copied from the
    current version, as are comments and evidence. The assessor may correct while the
    stage lets them score; the secretariat may correct while the stage is open. After
    the stage closes, sheets are immutable.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        sheet = _locked(sheet)
        _check_not_closed(sheet.stage)
        if not is_secretariat(actor):
            _check_assessor(sheet.assignment, actor)
        if sheet.status != SheetStatus.FINAL:
            raise DomainError(
                _("Hanya lembar nilai final yang dikoreksi; draf dapat langsung diubah.")
            )
        if len(reason) < MIN_CORRECTION_REASON:
            raise DomainError(
                _("Alasan koreksi wajib diisi, minimal %(n)d karakter.")
                % {"n": MIN_CORRECTION_REASON},
                field="reason",
            )
        instrument = instrument_of(sheet.instrument)
        criteria = sheet_criteria(sheet)
        previous = current_version(sheet)
        old_scores = version_values(previous)
        changes = _clean_values(values, criteria, scale_for(sheet.stage.scoring, instrument))
        if any(code in values and values[code] is None for code in changes):
            raise DomainError(_("Lembar final tidak boleh memiliki nilai kosong."), field="values")
        old_values: dict[str, Decimal | None] = {code: s.value for code, s in old_scores.items()}
        merged = {**old_values, **{code: v for code, v in changes.items() if v is not None}}
        new_note = previous.note if note is None else note.strip()
        if not new_note:
            raise DomainError(_("Catatan umum wajib diisi."), field="note")
        if merged == old_values and new_note == previous.note:
            raise DomainError(_("Koreksi tidak mengubah nilai apa pun."), field="values")
        missing = _missing(merged, criteria)
        if missing:
            raise DomainError(
                _("Lembar belum lengkap; beri nilai untuk: %(criteria)s.")
                % {"criteria": ", ".join(missing)},
                field="values",
            )
        before = _payload(sheet, previous)
        total = total_of({k: v for k, v in merged.items() if v is not None}, criteria)
        version = ScoreVersion.objects.create(
            sheet=sheet,
            number=previous.number + 1,
            note=new_note,
            reason=reason,
            total=total,
            instrument_hash=sheet.instrument.content_hash,
            created_by=actor,
        )
        _write_scores(
            version,
            merged,
            {code: s.note for code, s in old_scores.items()},
            {code: s.evidence_ref for code, s in old_scores.items()},
            criteria,
        )
        sheet.current_version = version.number
        sheet.total = total
        sheet.save(update_fields=["current_version", "total", "updated_at"])
        audit.record(
            actor=actor,
            action="evaluation.sheet.correct",
            obj=sheet,
            before=before,
            after=_payload(sheet, version),
            reason=reason,
        )
    return sheet


def recompute_stage_totals(stage: Stage, *, actor: Any = None) -> int:
    """Recompute the stored total of every final sheet in the stage with the edition's
    current instrument; returns how many totals changed.

    This is the one recompute path: run it after an amendment replaced the edition's
    instrument (e.g. new weights). Sheets move to that instrument; their versions keep
    the hash and total they were scored with. Fails as a whole, changing nothing, if a
    sheet lacks a criterion the new instrument weights.
    """
    if stage.status != StageStatus.OPEN:
        raise DomainError(
            _("Tahap «%(stage)s» sudah ditutup; nilai tidak dapat dihitung ulang.")
            % {"stage": stage.get_code_display()}
        )
    instrument_row = stage.edition.instrument
    instrument = instrument_of(instrument_row)
    changed = 0
    with transaction.atomic():
        sheets = list(
            ScoreSheet.objects.select_for_update(of=("self",))
            .filter(stage=stage)
            .select_related("subject")
            .order_by("pk")
        )
        current = {(s.pk, s.current_version) for s in sheets}
        values: dict[int, dict[str, Decimal]] = {s.pk: {} for s in sheets}
        rows = Score.objects.filter(version__sheet__stage=stage).values_list(
            "version__sheet_id", "version__number", "criterion", "value"
        )
        for sheet_id, number, criterion, value in rows:
            if (sheet_id, number) in current and value is not None:
                values[sheet_id][criterion] = value
        problems: list[str] = []
        updated: list[ScoreSheet] = []
        for sheet in sheets:
            moved = sheet.instrument_id != instrument_row.pk
            sheet.instrument = instrument_row
            if sheet.status == SheetStatus.FINAL:
                criteria = criteria_for(stage.scoring, sheet.subject.group, instrument)
                try:
                    total = total_of(values[sheet.pk], criteria)
                except ValueError as error:
                    problems.append(f"{sheet.subject} — {sheet.appointment_id}: {error}")
                    continue
                if total != sheet.total:
                    sheet.total = total
                    changed += 1
                    moved = True
            if moved:
                updated.append(sheet)
        if problems:
            raise DomainError(
                _("Nilai tidak dapat dihitung ulang dengan instrumen %(code)s: %(problems)s")
                % {"code": str(instrument_row), "problems": "; ".join(problems[:5])}
            )
        ScoreSheet.objects.bulk_update(updated, ["instrument", "total"], batch_size=500)
        if updated:
            audit.record(
                actor=actor,
                action="evaluation.sheet.recompute",
                obj=stage,
                after={
                    "instrument_hash": instrument_row.content_hash,
                    "sheets": len(updated),
                    "totals_changed": changed,
                },
            )
    return changed
