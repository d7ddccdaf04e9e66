"""Ranking stage results and the selection runs built on them (kipp.md §10.4, §10.5,
§11.2, §11.3).

- :func:`rank_results` ranks `SubjectResult`s by decision score and the edition's tie
  breakers (Signifikansi section mean, verified replications, earlier submission).
- :func:`propose_selection` runs the composition-constrained Top-N engine
  (`domain/selection.py`) on that ranking and stores a *proposed* `SelectionRun`.
- :func:`threshold_selection` proposes every subject at or above a passing grade.
- :func:`adopt_selection` records what the plenary adopted: a new *adopted* run linked
  to the proposal, each swap a `SelectionOverride` with its justification, constraints
  re-checked and violations saved only when acknowledged.

Runs store the ranking as it was, the engine's output and the instrument hash, so a
decision can be explained later even if scores change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.evaluation.domain import ranking, selection
from prima.evaluation.domain.results import RULES_KEY, SubjectResult, stage_results
from prima.evaluation.domain.sheets import is_secretariat
from prima.evaluation.enums import PickReason, SelectionKind, StageStatus
from prima.evaluation.models import (
    SelectionOverride,
    SelectionRun,
    Stage,
    Subject,
)
from prima.innovations.enums import COUNTED_LINK_STATUSES
from prima.innovations.models import ReplicationLink

MIN_JUSTIFICATION = 20
SECTION_MEAN = "section_mean:"
DEFAULT_TIE_BREAKERS = ("section_mean:signifikansi", "verified_replications", "submitted_at")
REPLICATIONS = "verified_replications"
SUBMITTED_AT = "submitted_at"


# --------------------------------------------------------------------------- ranking


@dataclass(frozen=True)
class RankedResult:
    result: SubjectResult
    score: Decimal  # the score the ranking used
    rank: int  # competition rank within the stratum
    position: int  # place in the deterministic order within the stratum
    stratum: Hashable = None
    tie_values: Mapping[str, ranking.TieValue] = field(default_factory=dict)
    tie_at_cutoff: bool = False

    @property
    def subject_id(self) -> int:
        return self.result.subject_id


def _breaker(name: str) -> tuple[ranking.TieBreaker, str | None]:
    """A configured tie breaker name (kipp.md §6.1) → the ranking breaker and, for a
    section mean, the section code. ``section_mean:signifikansi`` is ``signifikansi_mean``.
    """
    if name.startswith(SECTION_MEAN):
        section = name[len(SECTION_MEAN) :]
        return ranking.TieBreaker(f"{section}_mean", higher_first=True), section
    known = ranking.TIE_BREAKERS.get(name)
    if known is None:
        raise DomainError(
            _("Aturan pemecah nilai sama «%(name)s» tidak dikenal.") % {"name": name},
            field="tie_breakers",
        )
    if known.name.endswith("_mean"):
        return known, known.name[: -len("_mean")]
    return known, None


def tie_breakers_of(stage: Stage) -> list[str]:
    """The stage edition's tie breakers (``desk_evaluation.tie_breakers``), or the default."""
    rules = stage.edition.rules.get(RULES_KEY) if isinstance(stage.edition.rules, dict) else None
    configured = rules.get("tie_breakers") if isinstance(rules, dict) else None
    return list(configured) if configured else list(DEFAULT_TIE_BREAKERS)


def replication_counts(subject_ids: Iterable[int]) -> dict[int, int]:
    """Subject id → number of counted replications (confirmed or verified links, pkri.md §9)
    whose source is the subject's innovation; claimed and rejected links do not count.

    Subjects reach their innovation through the programme record (a KIPP proposal);
    subjects without one count 0.
    """
    ids = list(subject_ids)
    rows = (
        ReplicationLink.objects.filter(
            source__proposals__subject_id__in=ids, status__in=COUNTED_LINK_STATUSES
        )
        .values("source__proposals__subject_id")
        .annotate(n=Count("id"))
        .values_list("source__proposals__subject_id", "n")
    )
    return dict(rows)


def rank_results(
    results: Sequence[SubjectResult],
    tie_breakers: Sequence[str],
    stratum_of: Callable[[SubjectResult], Hashable] | None = None,
    *,
    use_normalised: bool = False,
    cutoff: int | Mapping[Hashable, int] | None = None,
) -> list[RankedResult]:
    """Rank results by score, then by ``tie_breakers`` (kipp.md §10.4), within strata.

    The score is the consolidated score if any, else the official (or, with
    ``use_normalised``, the normalised) aggregate; results without a score are left out.
    With ``cutoff``, entries still tied across it are flagged ``tie_at_cutoff``.
    Reads submission times and replication counts in two queries.
    """
    breakers = [_breaker(name) for name in tie_breakers]
    scored = [(r, r.score_for(use_normalised=use_normalised)) for r in results]
    scored = [(r, s) for r, s in scored if s is not None]
    ids = [r.subject_id for r, _score in scored]
    names = {b.name for b, _section in breakers}
    submitted: dict[int, dt.datetime | None] = (
        dict(Subject.objects.filter(pk__in=ids).values_list("pk", "submitted_at"))
        if SUBMITTED_AT in names
        else {}
    )
    replications = replication_counts(ids) if REPLICATIONS in names else {}

    def tie_values(result: SubjectResult) -> dict[str, ranking.TieValue]:
        values: dict[str, ranking.TieValue] = {}
        for breaker, section in breakers:
            if section is not None:
                values[breaker.name] = result.section_means.get(section)
            elif breaker.name == REPLICATIONS:
                values[breaker.name] = replications.get(result.subject_id, 0)
            elif breaker.name == SUBMITTED_AT:
                values[breaker.name] = submitted.get(result.subject_id)
        return values

    entries = [
        ranking.RankEntry(
            id=str(r.subject_id),
            score=cast(Decimal, s),
            stratum=stratum_of(r) if stratum_of else None,
            tie_values=tie_values(r),
        )
        for r, s in scored
    ]
    by_id = {str(r.subject_id): r for r, _score in scored}
    values_by_id = {e.id: e.tie_values for e in entries}
    try:
        ranked = ranking.rank(entries, [b for b, _section in breakers])
        tied = set(ranking.cut(ranked, cutoff).tie_at_cutoff) if cutoff is not None else set()
    except ValueError as error:
        raise DomainError(str(error)) from error
    return [
        RankedResult(
            result=by_id[r.id],
            score=r.score,
            rank=r.rank,
            position=r.position,
            stratum=r.stratum,
            tie_values=values_by_id[r.id],
            tie_at_cutoff=r.id in tied,
        )
        for r in ranked
    ]


# --------------------------------------------------------------------------- candidates


def _attributes(subject: Subject) -> dict[str, Any]:
    """A subject's strata (kipp.md §11.2)."""
    return {
        "category": subject.category or None,
        "group": subject.group or None,
        "institution_type": subject.institution_kind or None,
        "institution": subject.institution_id,
        # `province` is set for local institutions only, so central ones never count.
        "province_local": subject.province or None,
        "region_3t": subject.region_3t,
    }


def _ranking_json(
    ranked: Sequence[RankedResult], subjects: Mapping[int, Subject]
) -> list[dict[str, Any]]:
    """The ranking as stored on a run, with each subject's strata at that moment so the
    plenary re-check judges the same attributes the proposal used."""
    return [
        {
            "subject": r.subject_id,
            "attributes": _attributes(subjects[r.subject_id]),
            "title": r.result.title,
            "score": str(r.score),
            "official": None if r.result.official is None else str(r.result.official),
            "normalised": (
                None if r.result.normalised_score is None else str(r.result.normalised_score)
            ),
            "consolidated": (None if r.result.consolidated is None else str(r.result.consolidated)),
            "rank": r.rank,
            "position": r.position,
            "tie_values": {
                k: (v.isoformat() if isinstance(v, dt.date) else None if v is None else str(v))
                for k, v in r.tie_values.items()
            },
            "tie_at_cutoff": r.tie_at_cutoff,
        }
        for r in ranked
    ]


def _check_secretariat(actor: Any) -> None:
    if not is_secretariat(actor):
        raise PermissionDenied(_("Hanya Sekretariat yang dapat mengelola seleksi."))


def _check_stage(stage: Stage) -> None:
    if not stage.decisions_open or stage.status not in (StageStatus.OPEN, StageStatus.CLOSED):
        raise DomainError(
            _("Tahap «%(stage)s» tidak membuka keputusan seleksi.")
            % {"stage": stage.get_code_display()}
        )


def _ranked_for(
    stage: Stage,
    candidates: Iterable[Subject | int] | None,
    *,
    use_normalised: bool,
    cutoff: int | None,
) -> tuple[list[RankedResult], dict[int, Subject], str]:
    """The stage's active candidates ranked, their rows, and the instrument hash."""
    if candidates is None:
        rows = list(
            Subject.objects.filter(edition_id=stage.edition_id, is_active=True).defer("text")
        )
    else:
        items = list(candidates)
        ids = [c.pk if isinstance(c, Subject) else int(c) for c in items]
        rows = list(Subject.objects.filter(pk__in=ids, edition_id=stage.edition_id).defer("text"))
        if len(rows) != len(set(ids)):
            raise DomainError(
                _("Sebagian kandidat bukan subjek penyelenggaraan ini."), field="candidates"
            )
    results = stage_results(stage, subjects=rows)
    ranked = rank_results(
        results, tie_breakers_of(stage), use_normalised=use_normalised, cutoff=cutoff
    )
    hashes = sorted({h for r in ranked for h in r.result.instrument_hash.split(",") if h})
    return ranked, {s.pk: s for s in rows}, ",".join(hashes)


# --------------------------------------------------------------------------- proposals


def propose_selection(
    stage: Stage,
    tier: str,
    *,
    n: int,
    constraints: Sequence[Mapping[str, Any]],
    candidates: Iterable[Subject | int] | None = None,
    use_normalised: bool = False,
    actor: Any,
) -> SelectionRun:
    """Propose the Top-N of the stage's ranking under composition constraints (§11.2).

    ``candidates`` restricts the pool (e.g. the nominees of one group); by default every
    active subject with a score. Subjects tied across position ``n`` are flagged
    ``tie_at_cutoff`` in the stored ranking for the plenary.
    """
    _check_secretariat(actor)
    _check_stage(stage)
    tier = (tier or "").strip()
    if not tier:
        raise DomainError(_("Tier seleksi wajib diisi."), field="tier")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise DomainError(_("Jumlah yang dipilih harus bilangan bulat ≥ 1."), field="n")
    try:  # refuse bad constraints before the (costlier) ranking
        selection.parse_constraints([dict(c) for c in constraints])
    except ValueError as error:
        raise DomainError(str(error), field="constraints") from error
    ranked, subjects, instrument_hash = _ranked_for(
        stage, candidates, use_normalised=use_normalised, cutoff=n
    )
    return propose_from_ranking(
        stage,
        tier,
        ranked=ranked,
        subjects=subjects,
        n=n,
        constraints=constraints,
        instrument_hash=instrument_hash,
        use_normalised=use_normalised,
        actor=actor,
    )


def propose_from_ranking(
    stage: Stage,
    tier: str,
    *,
    ranked: Sequence[RankedResult],
    subjects: Mapping[int, Subject],
    n: int,
    constraints: Sequence[Mapping[str, Any]],
    instrument_hash: str,
    use_normalised: bool = False,
    ranked_by: str = "",
    actor: Any,
) -> SelectionRun:
    """Store the Top-N proposal (§11.2) of a ranking made by the caller, e.g. by the
    final score of §13 rather than by one stage's scores. Same checks and shape as
    `propose_selection`, so `adopt_selection` re-checks it the same way."""
    _check_secretariat(actor)
    try:
        parsed = selection.parse_constraints([dict(c) for c in constraints])
    except ValueError as error:
        raise DomainError(str(error), field="constraints") from error
    pool = [
        selection.Candidate(
            id=str(r.subject_id), rank=r.position, attributes=_attributes(subjects[r.subject_id])
        )
        for r in ranked
    ]
    try:
        outcome = selection.select(pool, n, parsed)
    except ValueError as error:
        raise DomainError(str(error), field="constraints") from error
    if outcome.status != "ok":
        raise DomainError(
            _("Batasan komposisi saling bertentangan: %(conflicts)s")
            % {"conflicts": " ".join(c.message for c in outcome.conflicts)},
            field="constraints",
        )
    result = _selection_json(outcome)
    result["tie_at_cutoff"] = [r.subject_id for r in ranked if r.tie_at_cutoff]
    if ranked_by:
        result["ranked_by"] = ranked_by
    with transaction.atomic():
        run = SelectionRun.objects.create(
            stage=stage,
            tier=tier,
            kind=SelectionKind.PROPOSED,
            n=n,
            constraints=[dict(c) for c in constraints],
            ranking=_ranking_json(ranked, subjects),
            result=result,
            use_normalised=use_normalised,
            instrument_hash=instrument_hash,
            created_by=actor,
        )
        after: dict[str, Any] = {
            "tier": tier,
            "n": n,
            "constraints": run.constraints,
            "selected": run.selected_ids,
            "use_normalised": use_normalised,
            "instrument_hash": instrument_hash,
        }
        if ranked_by:
            after["ranked_by"] = ranked_by
        audit.record(actor=actor, action="evaluation.selection.propose", obj=run, after=after)
    return run


def threshold_selection(
    stage: Stage,
    passing_grade: int | Decimal,
    *,
    tier: str = "",
    candidates: Iterable[Subject | int] | None = None,
    use_normalised: bool = False,
    actor: Any,
) -> SelectionRun:
    """Propose every subject whose decision score is at least ``passing_grade`` (§10.5).

    The official score is compared, already rounded: 84.98 does not pass 85.
    """
    _check_secretariat(actor)
    _check_stage(stage)
    if isinstance(passing_grade, bool) or not isinstance(passing_grade, int | Decimal):
        raise DomainError(_("Nilai batas lulus harus berupa angka."), field="passing_grade")
    grade = Decimal(passing_grade)
    ranked, subjects, instrument_hash = _ranked_for(
        stage, candidates, use_normalised=use_normalised, cutoff=None
    )
    selected = [r for r in ranked if r.score >= grade]
    result: dict[str, Any] = {
        "selected": [{"subject": r.subject_id, "reason": PickReason.MERIT} for r in selected],
        "displaced": [],
        "summary": [],
        "shortfalls": [],
        "conflicts": [],
        "passing_grade": str(grade),
        "tie_at_cutoff": [],
    }
    with transaction.atomic():
        run = SelectionRun.objects.create(
            stage=stage,
            tier=tier.strip(),
            kind=SelectionKind.PROPOSED,
            n=len(selected),
            constraints=[],
            ranking=_ranking_json(ranked, subjects),
            result=result,
            use_normalised=use_normalised,
            instrument_hash=instrument_hash,
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="evaluation.selection.propose",
            obj=run,
            after={
                "tier": run.tier,
                "passing_grade": str(grade),
                "selected": run.selected_ids,
                "use_normalised": use_normalised,
                "instrument_hash": instrument_hash,
            },
        )
    return run


# --------------------------------------------------------------------------- adoption


def adopt_selection(
    proposed_run: SelectionRun,
    *,
    overrides: Sequence[Mapping[str, Any]] = (),
    minutes_ref: str,
    acknowledge_violations: bool = False,
    actor: Any,
) -> SelectionRun:
    """Record the list the plenary adopted from a proposed run (kipp.md §11.3).

    Each override ``{"removed", "added", "justification"}`` swaps one subject out and/or
    one in (subject rows or ids; either may be None), with a justification of at least
    20 characters. The adopted list is re-checked against the run's constraints; a
    violating list is saved only with ``acknowledge_violations``.
    """
    _check_secretariat(actor)
    _check_stage(proposed_run.stage)
    if proposed_run.kind != SelectionKind.PROPOSED:
        raise DomainError(_("Hanya usulan sistem yang dapat ditetapkan pleno."))
    minutes_ref = (minutes_ref or "").strip()
    if not minutes_ref:
        raise DomainError(_("Nomor notulen pleno wajib diisi."), field="minutes_ref")

    ranked_ids = [int(item["subject"]) for item in proposed_run.ranking]
    reasons: dict[int, str] = {
        int(item["subject"]): str(item.get("reason", PickReason.MERIT))
        for item in proposed_run.result.get("selected", [])
    }
    chosen = list(reasons)
    swaps: list[tuple[int | None, int | None, str]] = []
    for index, override in enumerate(overrides, start=1):
        removed = _subject_id(override.get("removed"))
        added = _subject_id(override.get("added"))
        justification = str(override.get("justification") or "").strip()
        where = {"n": index}
        if removed is None and added is None:
            raise DomainError(
                _("Perubahan %(n)d: sebutkan subjek yang dikeluarkan atau dimasukkan.") % where,
                field="overrides",
            )
        if len(justification) < MIN_JUSTIFICATION:
            raise DomainError(
                _("Perubahan %(n)d: justifikasi minimal %(min)d karakter.")
                % {**where, "min": MIN_JUSTIFICATION},
                field="overrides",
            )
        if removed is not None and removed not in chosen:
            raise DomainError(
                _("Perubahan %(n)d: subjek #%(id)d tidak ada dalam daftar terpilih.")
                % {**where, "id": removed},
                field="overrides",
            )
        if added is not None and added not in ranked_ids:
            raise DomainError(
                _("Perubahan %(n)d: subjek #%(id)d tidak ada dalam peringkat seleksi ini.")
                % {**where, "id": added},
                field="overrides",
            )
        if added is not None and added in chosen and added != removed:
            raise DomainError(
                _("Perubahan %(n)d: subjek #%(id)d sudah terpilih.") % {**where, "id": added},
                field="overrides",
            )
        if removed is not None:
            chosen.remove(removed)
        if added is not None:
            chosen.append(added)
            reasons[added] = PickReason.OVERRIDE
        swaps.append((removed, added, justification))

    order = {subject_id: i for i, subject_id in enumerate(ranked_ids)}
    chosen.sort(key=lambda s: order[s])
    violations = _violations(proposed_run, chosen)
    if violations and not acknowledge_violations:
        raise DomainError(
            _(
                "Daftar melanggar komposisi: %(violations)s. Centang persetujuan untuk "
                "tetap menyimpan."
            )
            % {"violations": "; ".join(v["message"] for v in violations)},
            field="overrides",
        )

    with transaction.atomic():
        result = {
            **proposed_run.result,
            "selected": [{"subject": s, "reason": reasons[s]} for s in chosen],
        }
        run = SelectionRun.objects.create(
            stage=proposed_run.stage,
            tier=proposed_run.tier,
            kind=SelectionKind.ADOPTED,
            proposed=proposed_run,
            n=proposed_run.n,
            constraints=proposed_run.constraints,
            ranking=proposed_run.ranking,
            result=result,
            violations=violations,
            violations_acknowledged=bool(violations) and acknowledge_violations,
            use_normalised=proposed_run.use_normalised,
            instrument_hash=proposed_run.instrument_hash,
            minutes_ref=minutes_ref,
            created_by=actor,
        )
        SelectionOverride.objects.bulk_create(
            [
                SelectionOverride(
                    run=run,
                    removed_id=removed,
                    added_id=added,
                    justification=justification,
                    minutes_ref=minutes_ref,
                    decided_by=actor,
                )
                for removed, added, justification in swaps
            ]
        )
        audit.record(
            actor=actor,
            action="evaluation.selection.adopt",
            obj=run,
            before={"proposed": proposed_run.pk, "selected": proposed_run.selected_ids},
            after={
                "selected": chosen,
                "overrides": [{"removed": r, "added": a, "justification": j} for r, a, j in swaps],
                "violations": violations,
                "minutes_ref": minutes_ref,
            },
            reason="; ".join(j for _r, _a, j in swaps),
        )
    return run


def _selection_json(outcome: selection.Selection) -> dict[str, Any]:
    return {
        "status": outcome.status,
        "selected": [{"subject": int(p.id), "reason": p.reason} for p in outcome.selected],
        "displaced": [
            {"subject": int(d.id), "constraint": d.constraint} for d in outcome.displaced
        ],
        "summary": [
            {
                "stratum": row.stratum,
                "value": row.value,
                "count": row.count,
                "eligible": row.eligible,
                "min": row.min,
                "max": row.max,
                "constraint": row.constraint,
            }
            for row in outcome.summary
        ],
        "shortfalls": [
            {"stratum": s.stratum, "value": s.value, "needed": s.needed, "available": s.available}
            for s in outcome.shortfalls
        ],
        "conflicts": [
            {"minimum": c.minimum, "blocking": c.blocking, "message": c.message}
            for c in outcome.conflicts
        ],
    }


def _violations(run: SelectionRun, chosen: Sequence[int]) -> list[dict[str, Any]]:
    """Re-check an adopted list against the run's N and constraints, with the strata
    stored on the run's ranking. A threshold run has no N: only its constraints count."""
    pool = [
        selection.Candidate(
            id=str(item["subject"]), rank=index, attributes=item.get("attributes", {})
        )
        for index, item in enumerate(run.ranking, start=1)
    ]
    is_threshold = "passing_grade" in run.result
    n = len(chosen) if is_threshold or run.n is None else run.n
    try:
        parsed = selection.parse_constraints([dict(c) for c in run.constraints])
        found = selection.check([str(s) for s in chosen], pool, n, parsed)
    except ValueError as error:
        raise DomainError(str(error), field="overrides") from error
    return [
        {
            "kind": v.kind,
            "stratum": v.stratum,
            "value": v.value,
            "count": v.count,
            "limit": v.limit,
            "message": v.message,
        }
        for v in found
    ]


def _subject_id(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, Subject):
        return value.pk
    return int(value)
