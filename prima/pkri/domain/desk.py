"""Desk evaluation of PKRI forms (pkri.md §6.3, §7.1; reuses kipp.md §10 through the engine).

- :func:`start_desk_evaluation` moves the edition from `forms_closed` to `desk_evaluation`
  and turns every submitted form into an engine `Subject` (kind ``pkri_form``), with the
  derived locus indicators (coaching forms) and the suggested level of every indicator
  frozen on the form.
- Evaluators choose a level 0–4 per indicator; :func:`record_levels` checks that a level
  that differs from the suggestion carries a comment, then stores level × points per
  level through the engine's sheets (the instrument's scale has step 25).
- When the evaluators disagree (spread above the range, 15) the team meets and the
  secretariat records a consolidated score with its justification through
  :func:`consolidate_desk_score` (kipp.md §10.3; the engine's `record_consolidation`).
- :func:`close_desk_evaluation` copies the engine's aggregate (mean of the evaluators'
  totals, official rounding; a consolidation, when recorded, replaces it) onto each form
  as `desk_score` and closes the stage, so the sheets are immutable from then on.

Assignment itself (appointments, solver runs, deployment) is the engine's, unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import LOCAL_KINDS
from prima.core.models import Institution
from prima.evaluation.domain.catalogue import instrument_of
from prima.evaluation.domain.instruments import InstrumentError, load_instrument
from prima.evaluation.domain.results import SubjectResult, record_consolidation, stage_results
from prima.evaluation.domain.sheets import criteria_for, finalise_sheet, save_sheet
from prima.evaluation.domain.stages import advance_edition, close_stage
from prima.evaluation.enums import EditionState, SheetStatus, StageStatus
from prima.evaluation.models import (
    Assignment,
    Consolidation,
    Edition,
    ScoreSheet,
    Stage,
    Subject,
)
from prima.innovations.enums import COUNTED_LINK_STATUSES, LinkStatus
from prima.innovations.models import ReplicationLink
from prima.pkri.domain import indicators, levels
from prima.pkri.domain.answers import frozen_answers
from prima.pkri.domain.config import (
    LevelBands,
    LevelRulesError,
    PkriRules,
    level_bands_of,
    rules_of,
)
from prima.pkri.domain.editions import INSTRUMENTS_DIR, require_secretariat
from prima.pkri.enums import FormKind, FormState, Group
from prima.pkri.models import ScopeObject, SelfAssessment

SUBJECT_KIND = "pkri_form"
GROUP_OF_KIND: Mapping[str, str] = {
    FormKind.COACHING: Group.PEMBINAAN,
    FormKind.SUSTAINABILITY: Group.KEBERLANJUTAN,
    FormKind.REPLICATION: Group.REPLIKASI,
}
LEVEL_MIN, LEVEL_MAX = 0, 4
# Free-text answers that describe the form, matched against evaluators' expertise.
TEXT_FIELDS = (
    "stop_reason_text",
    "coverage_description",
    "adaptation_steps",
    "differentiators",
    "strategic_plan_ref",
    "inventory_ref",
    "incentives_ref",
)
TEXT_LIST_FIELDS = (("improvements", "description"), ("creation_programmes", "name"))


# --------------------------------------------------------------------------- helpers


def _require_pkri(edition: Edition) -> None:
    if edition.programme != "pkri":
        raise DomainError(_("Penyelenggaraan ini bukan penyelenggaraan PKRI."))


def desk_stage(edition: Edition) -> Stage:
    """The edition's desk-evaluation stage row."""
    stage = (
        Stage.objects.select_related("edition__instrument")
        .filter(edition=edition, code=EditionState.DESK_EVALUATION)
        .first()
    )
    if stage is None:
        raise DomainError(_("Penyelenggaraan ini tidak memiliki tahap penilaian dokumen."))
    return stage


def locked_forms(edition: Edition, state: str, *related: str) -> list[SelfAssessment]:
    """The edition's forms in `state`, locked for the transaction, in id order."""
    forms = SelfAssessment.objects.select_for_update(of=("self",)).filter(
        edition=edition, state=state
    )
    if related:
        forms = forms.select_related(*related)
    return list(forms.order_by("pk"))


def _province(institution: Institution) -> str:
    """The province of a local institution (its owner's for a regional enterprise)."""
    if institution.kind not in LOCAL_KINDS:
        return ""
    if institution.province_code:
        return institution.province_code
    parent = institution.parent
    return parent.province_code if parent is not None else ""


def _subject_text(answers: Mapping[str, Any]) -> str:
    parts: list[str] = []
    for name in TEXT_FIELDS:
        value = answers.get(name)
        if isinstance(value, str) and value.strip():
            parts.append(value.strip())
    for name, key in TEXT_LIST_FIELDS:
        for row in answers.get(name) or ():
            if isinstance(row, Mapping) and isinstance(row.get(key), str) and row[key].strip():
                parts.append(row[key].strip())
    return "\n\n".join(parts)


def _title(form: SelfAssessment) -> str:
    institution = form.locus.institution
    if form.object_id is None:
        return str(institution.name)[:300]
    assert form.object is not None
    return f"{form.object.innovation.name} — {institution.name}"[:300]


def _award_year(obj: ScopeObject, rules: PkriRules) -> int:
    """The year the object's Top award was given: the recorded one, else the year in its
    source tier (``top99@2019``), else the last source year."""
    if obj.award_year:
        return int(obj.award_year)
    _tier, _sep, year = obj.source_tier.partition("@")
    if year.isdigit():
        return int(year)
    return rules.source_years[1]


def _reference_day(form: SelfAssessment) -> dt.date:
    """The day the level rules measure "within 3 years" from: the submission day, so a
    suggestion never changes with the day the desk evaluation starts."""
    if form.submitted_at is not None:
        return timezone.localdate(form.submitted_at)
    return timezone.localdate()


# --------------------------------------------------------------------------- derived indicators


def _object_facts(locus_ids: Sequence[int]) -> dict[int, list[indicators.ObjectFacts]]:
    """Per locus: one `ObjectFacts` per in-scope object (form missing → running None)."""
    facts: dict[int, list[indicators.ObjectFacts]] = defaultdict(list)
    objects = (
        ScopeObject.objects.filter(locus_id__in=locus_ids, excluded=False)
        .select_related("form")
        .order_by("pk")
    )
    for obj in objects:
        form = obj.form if _has_form(obj) else None
        if form is None or form.state not in _ANSWERED:
            facts[obj.locus_id].append(
                indicators.ObjectFacts(running=None, legal_basis=False, sop=False)
            )
            continue
        answers = frozen_answers(form)
        sop = answers.get("sop")
        facts[obj.locus_id].append(
            indicators.ObjectFacts(
                running=answers.get("still_running") is True,
                legal_basis=bool(answers.get("legal_basis")),
                sop=isinstance(sop, Mapping) and sop.get("exists") is True,
            )
        )
    return facts


def _has_form(obj: ScopeObject) -> bool:
    try:
        obj.form  # noqa: B018 - reverse one-to-one: raises when absent
    except SelfAssessment.DoesNotExist:
        return False
    return True


# States in which an object form was submitted (and so counts with its answers).
_ANSWERED = frozenset(
    {
        FormState.SUBMITTED,
        FormState.DESK_REVIEW,
        FormState.DESK_EVALUATED,
        FormState.SHORTLISTED,
        FormState.NOT_SHORTLISTED,
        FormState.INTERVIEWED,
        FormState.RANKED,
        FormState.AWARDED,
        FormState.NOT_AWARDED,
    }
)


def _replications(
    institution_ids: Sequence[int], lookback: tuple[int, int]
) -> dict[int, tuple[int, int]]:
    """Institution id → (confirmed + verified, claimed) replication links out of its
    innovations, replicated within the lookback years; rejected links never count."""
    counted: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    rows = (
        ReplicationLink.objects.filter(
            source__institution_id__in=institution_ids,
            replicated_on__year__gte=lookback[0],
            replicated_on__year__lte=lookback[1],
        )
        .values_list("source__institution_id", "status")
        .annotate(n=Count("pk"))
    )
    for institution_id, status, n in rows:
        if status in COUNTED_LINK_STATUSES:
            counted[institution_id][0] += n
        elif status == LinkStatus.CLAIMED:
            counted[institution_id][1] += n
    return {pk: (c[0], c[1]) for pk, c in counted.items()}


def kipp_registrations(
    institution_ids: Sequence[int], lookback: tuple[int, int]
) -> dict[int, dict[int, int]]:
    """Institution id → year → submitted KIPP proposals, for every lookback year.

    The one count of "innovations registered in KIPP" (pkri.md §6.3 P4): the coaching
    form shows it read-only and the desk stage freezes it on the form."""
    from prima.kipp.models import Proposal

    years = range(lookback[0], lookback[1] + 1)
    found: dict[int, dict[int, int]] = {pk: dict.fromkeys(years, 0) for pk in institution_ids}
    rows = (
        Proposal.objects.filter(
            institution_id__in=institution_ids,
            edition__programme="kipp",
            edition__year__gte=lookback[0],
            edition__year__lte=lookback[1],
            submitted_at__isnull=False,
        )
        .values_list("institution_id", "edition__year")
        .annotate(n=Count("pk"))
    )
    for institution_id, year, n in rows:
        found[institution_id][int(year)] = n
    return found


def derived_json(derived: indicators.LocusIndicators) -> dict[str, Any]:
    """The locus indicators as stored on the form (`SelfAssessment.derived`)."""
    return {
        "objects_total": derived.objects_total,
        "sustained_share": str(derived.sustained_share),
        "institutionalised_share": str(derived.institutionalised_share),
        "replications_out": derived.replications_out,
        "replications_out_claimed": derived.replications_out_claimed,
        "kipp_registrations": {
            str(year): n for year, n in sorted(derived.kipp_registrations.items())
        },
    }


def locus_indicators_of(forms: Sequence[SelfAssessment], rules: PkriRules) -> dict[int, Any]:
    """Form id → `LocusIndicators` of the locus, for the coaching forms among `forms`."""
    coaching = [f for f in forms if f.kind == FormKind.COACHING]
    if not coaching:
        return {}
    locus_ids = [f.locus_id for f in coaching]
    institution_ids = [f.locus.institution_id for f in coaching]
    facts = _object_facts(locus_ids)
    replications = _replications(institution_ids, rules.lookback_years)
    registrations = kipp_registrations(institution_ids, rules.lookback_years)
    result: dict[int, Any] = {}
    for form in coaching:
        institution_id = form.locus.institution_id
        out, claimed = replications.get(institution_id, (0, 0))
        result[form.pk] = indicators.locus_indicators(
            facts.get(form.locus_id, []),
            out,
            claimed,
            registrations.get(institution_id, {}),
        )
    return result


def original_link_statuses(forms: Sequence[SelfAssessment]) -> dict[int, str]:
    """Form id → status of the replication link from the replica (the form's innovation)
    to its original, for the replication forms among `forms` (one query)."""
    wanted: dict[tuple[int, int], int] = {}
    for form in forms:
        if form.kind != FormKind.REPLICATION or form.object is None:
            continue
        original = frozen_answers(form).get("original_innovation") or form.object.original_id
        if isinstance(original, int) and not isinstance(original, bool):
            wanted[(form.object.innovation_id, original)] = form.pk
    if not wanted:
        return {}
    rows = ReplicationLink.objects.filter(
        replica_id__in={r for r, _o in wanted}, source_id__in={o for _r, o in wanted}
    ).values_list("replica_id", "source_id", "status")
    return {wanted[(r, o)]: status for r, o, status in rows if (r, o) in wanted}


def _instrument_in_folder(code: str, version: int) -> Any:
    """The instrument file of instruments/ declaring this code and version, built."""
    for path in sorted(INSTRUMENTS_DIR.glob("*.y*ml")):
        try:
            found = load_instrument(path)
        except InstrumentError:
            continue
        if (found.code, found.version) == (code, version):
            return found
    return None


def level_bands_for(edition: Edition) -> LevelBands:
    """The level bands of the edition's instrument (its ``level_rules``, pkri.md §7.1).

    An instrument stored before the bands were instrument data has none: they are read
    from its file in instruments/ (same code and version). Unusable rules are refused by
    path.
    """
    instrument = instrument_of(edition.instrument)
    if instrument.level_rules is None:
        instrument = _instrument_in_folder(instrument.code, instrument.version) or instrument
    try:
        return level_bands_of(instrument)
    except LevelRulesError as error:
        raise DomainError(
            _("Aturan level instrumen %(code)s versi %(version)s tidak sah: %(problems)s")
            % {
                "code": instrument.code,
                "version": instrument.version,
                "problems": "; ".join(str(p) for p in error.problems),
            },
            field="instrument",
        ) from error


def suggested_levels(
    form: SelfAssessment,
    rules: PkriRules,
    derived: indicators.LocusIndicators | None,
    *,
    link_status: str | None = None,
    bands: LevelBands | None = None,
) -> dict[str, int]:
    """The level the rules of pkri.md §7.1 suggest per indicator (judgement ones absent).

    ``link_status`` (replication forms) is the status of the link to the original;
    ``bands`` the level bands of the edition's instrument (:func:`level_bands_for`).
    """
    answers = frozen_answers(form)
    today = _reference_day(form)
    if form.kind == FormKind.COACHING:
        assert derived is not None
        return dict(
            levels.coaching_levels(answers, derived, lookback=rules.lookback_years, bands=bands)
        )
    if form.kind == FormKind.SUSTAINABILITY:
        assert form.object is not None
        return dict(
            levels.sustainability_levels(
                answers,
                award_year=_award_year(form.object, rules),
                edition_year=rules.year,
                today=today,
                bands=bands,
            )
        )
    return dict(
        levels.replication_levels(
            answers, edition_year=rules.year, today=today, link_status=link_status, bands=bands
        )
    )


# --------------------------------------------------------------------------- start


@dataclass(frozen=True)
class DeskStart:
    """What starting the desk evaluation did."""

    forms: int
    by_group: Mapping[str, int]
    # Forms whose answers the level rules could not read: no suggestions, named here.
    without_suggestions: tuple[int, ...]


def start_desk_evaluation(edition: Edition, *, actor: Any) -> DeskStart:
    """Open the desk evaluation: `forms_closed` → `desk_evaluation`.

    Every submitted form becomes an engine subject of kind ``pkri_form`` in its group, with
    the institution, its kind and (for local governments) its province, so the engine's
    conflict rules apply; its state becomes `desk_review`. Coaching forms get the derived
    locus indicators; every form gets its suggested levels.
    """
    require_secretariat(actor, _("Hanya Sekretariat yang dapat memulai penilaian dokumen."))
    _require_pkri(edition)
    if edition.state != EditionState.FORMS_CLOSED:
        raise DomainError(
            _(
                "Penilaian dokumen hanya dapat dimulai setelah pengisian formulir ditutup; "
                "tahap sekarang «%(state)s»."
            )
            % {"state": edition.get_state_display()}
        )
    rules = rules_of(edition.rules)
    bands = level_bands_for(edition)
    with transaction.atomic():
        advance_edition(edition, actor=actor, reason=_("Penilaian dokumen PKRI dimulai."))
        forms = locked_forms(
            edition,
            FormState.SUBMITTED,
            "locus__institution__parent",
            "object__innovation",
            "object__unit",
        )
        derived = locus_indicators_of(forms, rules)
        link_statuses = original_link_statuses(forms)
        by_group: dict[str, int] = defaultdict(int)
        failed: list[int] = []
        for form in forms:
            group = GROUP_OF_KIND[form.kind]
            institution = form.locus.institution
            answers = frozen_answers(form)
            subject = form.subject or Subject(edition=edition, kind=SUBJECT_KIND)
            subject.title = _title(form)
            subject.text = _subject_text(answers)
            subject.institution = institution
            subject.group = group
            subject.institution_kind = institution.kind
            subject.province = _province(institution)
            subject.submitted_at = form.submitted_at
            subject.is_active = True
            subject.save()
            locus_facts = derived.get(form.pk)
            try:
                suggestions = suggested_levels(
                    form, rules, locus_facts, link_status=link_statuses.get(form.pk), bands=bands
                )
            except (KeyError, TypeError, ValueError, ArithmeticError):
                suggestions = {}
                failed.append(form.pk)
            form.subject = subject
            form.state = FormState.DESK_REVIEW
            form.derived = derived_json(locus_facts) if locus_facts is not None else {}
            form.suggested_levels = suggestions
            form.updated_by = actor
            form.save(
                update_fields=[
                    "subject",
                    "state",
                    "derived",
                    "suggested_levels",
                    "updated_by",
                    "updated_at",
                ]
            )
            by_group[group] += 1
        audit.record(
            actor=actor,
            action="pkri.desk.start",
            obj=edition,
            after={
                "forms": len(forms),
                "by_group": dict(by_group),
                "without_suggestions": failed,
            },
        )
    return DeskStart(forms=len(forms), by_group=dict(by_group), without_suggestions=tuple(failed))


# --------------------------------------------------------------------------- levels


def form_of(assignment: Assignment) -> SelfAssessment:
    """The PKRI form behind an assignment (DomainError when it is not a PKRI form)."""
    form = (
        SelfAssessment.objects.filter(subject_id=assignment.subject_id)
        .select_related("edition")
        .first()
    )
    if form is None:
        raise DomainError(_("Penugasan ini bukan penilaian formulir PKRI."))
    return form


def points_per_level(edition: Edition) -> int:
    return rules_of(edition.rules).points_per_level


def _clean_level(label: str, code: str, value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise DomainError(
            _("Level «%(indicator)s» harus bilangan bulat 0–4.") % {"indicator": label},
            field=code,
        )
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError as error:
        raise DomainError(
            _("Level «%(indicator)s» harus bilangan bulat 0–4, tertulis %(value)s.")
            % {"indicator": label, "value": value},
            field=code,
        ) from error
    if not number.is_finite() or number != number.to_integral_value():
        raise DomainError(
            _("Level «%(indicator)s» harus bilangan bulat 0–4, tertulis %(value)s.")
            % {"indicator": label, "value": value},
            field=code,
        )
    level = int(number)
    if not LEVEL_MIN <= level <= LEVEL_MAX:
        raise DomainError(
            _("Level «%(indicator)s» harus 0–4, tertulis %(value)s.")
            % {"indicator": label, "value": value},
            field=code,
        )
    return level


def record_levels(
    target: Assignment | ScoreSheet,
    levels_by_code: Mapping[str, object],
    comments: Mapping[str, str] | None = None,
    *,
    note: str = "",
    actor: Any,
    finalise: bool = False,
) -> ScoreSheet:
    """Save (and optionally finalise) an evaluator's levels for one PKRI form.

    ``levels_by_code`` maps indicator code → level 0–4 (None/absent: not yet chosen). A
    level that differs from the system's suggestion needs a comment; the refusal names
    the indicator. Each level is stored as level × points per level (25) through the
    engine's :func:`save_sheet`, which also checks that the actor is the assigned, ready,
    non-conflicted evaluator and that the stage is open. With ``finalise`` every level
    and the overall note are required and the sheet becomes final, atomically.
    """
    assignment = target.assignment if isinstance(target, ScoreSheet) else target
    if actor is None or getattr(actor, "pk", None) != assignment.appointment.person_id:
        raise PermissionDenied(_("Hanya penilai yang ditugaskan yang dapat mengisi lembar ini."))
    form = form_of(assignment)
    edition = form.edition
    rules = rules_of(edition.rules)
    instrument = instrument_of(edition.instrument)
    criteria = criteria_for(assignment.stage.scoring, assignment.subject.group, instrument)
    labels = {c.code: c.label for c in criteria}
    unknown = sorted(str(code) for code in levels_by_code if code not in labels)
    unknown += sorted(str(code) for code in (comments or {}) if code not in labels)
    if unknown:
        raise DomainError(
            _("Indikator «%(codes)s» tidak ada di lembar nilai ini.")
            % {"codes": ", ".join(sorted(set(unknown)))},
            field="levels",
        )
    cleaned = {c.code: _clean_level(c.label, c.code, levels_by_code.get(c.code)) for c in criteria}
    texts = {code: (text or "").strip() for code, text in (comments or {}).items()}
    suggested = form.suggested_levels or {}
    changed: dict[str, dict[str, int]] = {}
    for criterion in criteria:
        level = cleaned[criterion.code]
        hint = suggested.get(criterion.code)
        if level is None or hint is None or level == int(hint):
            continue
        if not texts.get(criterion.code):
            raise DomainError(
                _(
                    "Level «%(indicator)s» (%(level)s) berbeda dari saran sistem (%(hint)s); "
                    "tulis komentar yang menjelaskan alasannya."
                )
                % {"indicator": criterion.label, "level": level, "hint": hint},
                field=criterion.code,
            )
        changed[criterion.code] = {"suggested": int(hint), "chosen": level}
    step = rules.points_per_level
    values: dict[str, int | None] = {
        code: None if level is None else level * step for code, level in cleaned.items()
    }
    with transaction.atomic():
        sheet = save_sheet(
            assignment,
            values,
            note=note,
            comments={code: text for code, text in texts.items() if text},
            actor=actor,
        )
        if finalise:
            sheet = finalise_sheet(sheet, actor=actor)
        audit.record(
            actor=actor,
            action="pkri.desk.levels",
            obj=form,
            after={
                "sheet": sheet.pk,
                "levels": cleaned,
                "differs_from_suggestion": changed,
                "finalised": finalise,
            },
        )
    return sheet


def sheet_levels(values: Mapping[str, Decimal | None], step: int) -> dict[str, int | None]:
    """Stored sheet values (level × step) back to levels."""
    return {code: None if v is None else int(Decimal(v) / step) for code, v in values.items()}


# --------------------------------------------------------------------------- close


@dataclass(frozen=True)
class DeskClose:
    forms: int
    by_group: Mapping[str, int]


def _not_final(stage: Stage) -> int:
    return (
        Assignment.objects.filter(stage=stage, is_excused=False)
        .exclude(sheet__status=SheetStatus.FINAL)
        .count()
    )


def consolidate_desk_score(
    form: SelfAssessment,
    *,
    score: int | Decimal,
    justification: str,
    attendees: str | Sequence[str],
    minutes_ref: str,
    actor: Any,
) -> Consolidation:
    """Record the team's consolidated desk score of a form in review (kipp.md §10.3).

    Secretariat only, while the desk evaluation is open. The engine checks the score (on
    the instrument's scale, at most two decimals), the justification (at least 20
    characters), the attendees and the minutes number, writes the consolidation (a later
    one replaces it) and audits it; :func:`close_desk_evaluation` then uses it as the
    form's `desk_score` instead of the mean. The evaluators' sheets stay as they are.
    """
    require_secretariat(actor, _("Hanya Sekretariat yang dapat mencatat nilai konsolidasi."))
    edition = form.edition
    _require_pkri(edition)
    with transaction.atomic():
        # The same lock as closing, so a consolidation never lands after the close.
        Edition.objects.select_for_update(of=("self",)).get(pk=edition.pk)
        current = (
            SelfAssessment.objects.select_for_update(of=("self",))
            .select_related("subject")
            .get(pk=form.pk)
        )
        if current.state != FormState.DESK_REVIEW or current.subject is None:
            raise DomainError(
                _(
                    "Nilai konsolidasi hanya dapat dicatat untuk formulir yang sedang dinilai; "
                    "status formulir #%(form)s «%(state)s»."
                )
                % {"form": current.pk, "state": current.get_state_display()}
            )
        return record_consolidation(
            desk_stage(edition),
            current.subject,
            score,
            justification=justification,
            attendees=attendees,
            minutes_ref=minutes_ref,
            actor=actor,
        )


def close_desk_evaluation(edition: Edition, *, actor: Any) -> DeskClose:
    """Close the desk evaluation: every sheet final, then each form's `desk_score`.

    Refused while any non-excused review is not final (naming how many), or while a form
    in review has no final sheet at all. `desk_score` is the engine's decision score
    (the official mean of the evaluators' totals, or the consolidated score); forms of a
    group without interview get `final_score` = `desk_score`. The stage is closed, so the
    sheets can no longer change; the edition stays at `desk_evaluation` until the
    shortlist is published.
    """
    require_secretariat(actor, _("Hanya Sekretariat yang dapat menutup penilaian dokumen."))
    _require_pkri(edition)
    if edition.state != EditionState.DESK_EVALUATION:
        raise DomainError(
            _("Penilaian dokumen tidak sedang berjalan; tahap sekarang «%(state)s».")
            % {"state": edition.get_state_display()}
        )
    stage = desk_stage(edition)
    if stage.status != StageStatus.OPEN:
        raise DomainError(_("Penilaian dokumen sudah ditutup."))
    rules = rules_of(edition.rules)
    with transaction.atomic():
        Edition.objects.select_for_update(of=("self",)).get(pk=edition.pk)
        pending = _not_final(stage)
        if pending:
            raise DomainError(
                _(
                    "Penilaian dokumen belum dapat ditutup: %(n)s lembar nilai belum final. "
                    "Minta penilai memfinalkannya atau bebaskan penugasannya."
                )
                % {"n": pending}
            )
        forms = locked_forms(edition, FormState.DESK_REVIEW)
        results: dict[int, SubjectResult] = {
            r.subject_id: r
            for r in stage_results(stage, subjects=[f.subject_id for f in forms if f.subject_id])
        }
        unscored = [
            f
            for f in forms
            if f.subject_id is None
            or results.get(f.subject_id) is None
            or results[f.subject_id].decision_score is None
        ]
        if unscored:
            raise DomainError(
                _(
                    "Penilaian dokumen belum dapat ditutup: %(n)s formulir belum memiliki "
                    "lembar nilai final (mis. #%(first)s). Tugaskan penilai untuk formulir itu."
                )
                % {"n": len(unscored), "first": unscored[0].pk}
            )
        by_group: dict[str, int] = defaultdict(int)
        now = timezone.now()
        for form in forms:
            assert form.subject_id is not None
            score = results[form.subject_id].decision_score
            group = GROUP_OF_KIND[form.kind]
            form.desk_score = score
            form.state = FormState.DESK_EVALUATED
            group_rules = rules.groups.get(group)
            if group_rules is not None and not group_rules.interview:
                form.final_score = score
            form.updated_by = actor
            form.updated_at = now
            by_group[group] += 1
        SelfAssessment.objects.bulk_update(
            forms,
            ["desk_score", "state", "final_score", "updated_by", "updated_at"],
            batch_size=500,
        )
        close_stage(stage, actor=actor, reason=_("Penilaian dokumen PKRI selesai."))
        audit.record(
            actor=actor,
            action="pkri.desk.close",
            obj=edition,
            after={
                "forms": len(forms),
                "by_group": dict(by_group),
                "scores": {str(f.pk): str(f.desk_score) for f in forms},
            },
        )
    return DeskClose(forms=len(forms), by_group=dict(by_group))
