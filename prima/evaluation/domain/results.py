"""Stage results per subject and consolidated scores (kipp.md §10.2, §10.3; DESIGN.md §5).

:func:`stage_results` reads the final sheets of a stage in a constant number of queries
(whatever the number of subjects and sheets) and computes, per subject: each assessor's
total, the aggregate (mean or median per the edition's rules) with the instrument's
rounding, the spread and disagreement flag, the z-score normalised totals shown beside
the raw ones, the consolidated score when the team recorded one (it replaces the
aggregate as the decision score), review counts, pending reviewers and section means
(for the Signifikansi tie breaker).

:func:`record_consolidation` is the secretariat's write for a team's consolidated score.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal, localcontext
from typing import Any, cast

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext as _

from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.evaluation.domain import scoring
from prima.evaluation.domain.catalogue import instrument_of
from prima.evaluation.domain.instruments import ROUNDING_MODES
from prima.evaluation.domain.sheets import is_secretariat
from prima.evaluation.enums import SheetStatus
from prima.evaluation.models import (
    Assignment,
    Consolidation,
    Edition,
    Score,
    ScoreSheet,
    Stage,
    Subject,
)

MIN_JUSTIFICATION = 20
RULES_KEY = "desk_evaluation"


@dataclass(frozen=True)
class AggregationRules:
    """The edition's aggregation settings (kipp.md §6.1 ``desk_evaluation``)."""

    method: scoring.AggregationMethod = "mean"
    disagreement_range: Decimal = scoring.DEFAULT_DISAGREEMENT_RANGE
    min_sample: int = scoring.DEFAULT_MIN_SAMPLE
    use_normalised_for_decisions: bool = False


def aggregation_rules(edition: Edition) -> AggregationRules:
    """Read the aggregation settings from the edition's rules, with the defaults."""
    rules = edition.rules.get(RULES_KEY) if isinstance(edition.rules, Mapping) else None
    if not isinstance(rules, Mapping):
        return AggregationRules()
    method = rules.get("aggregation", "mean")
    if method not in ("mean", "median"):
        raise DomainError(
            _("Aturan agregasi «%(method)s» tidak dikenal; pilih mean atau median.")
            % {"method": method}
        )
    normalisation = rules.get("normalisation")
    normalisation = normalisation if isinstance(normalisation, Mapping) else {}
    return AggregationRules(
        method=cast(scoring.AggregationMethod, method),
        disagreement_range=Decimal(
            str(rules.get("disagreement_range", scoring.DEFAULT_DISAGREEMENT_RANGE))
        ),
        min_sample=int(normalisation.get("min_sample", scoring.DEFAULT_MIN_SAMPLE)),
        use_normalised_for_decisions=bool(normalisation.get("use_for_decisions", False)),
    )


@dataclass(frozen=True)
class Reviewer:
    appointment_id: int
    name: str


@dataclass(frozen=True)
class SubjectResult:
    """One subject's result in a stage; scores are ``Decimal``, None when not computable."""

    subject_id: int
    title: str
    group: str
    category: str
    method: str
    # appointment id → weighted total T_e of its final sheet (exact, unrounded)
    totals: Mapping[int, Decimal] = field(default_factory=dict)
    raw: Decimal | None = None  # mean or median of the totals, unrounded
    official: Decimal | None = None  # `raw` with the instrument's rounding
    spread: Decimal | None = None
    disagreement: bool = False
    # appointment id → normalised total (N, or T flagged not normalised)
    normalised: Mapping[int, scoring.Normalised] = field(default_factory=dict)
    normalised_raw: Decimal | None = None
    normalised_score: Decimal | None = None
    consolidated: Decimal | None = None
    assigned: int = 0
    finalised: int = 0
    excused: int = 0
    pending: tuple[Reviewer, ...] = ()
    # criterion code → mean value over the final sheets (exact to scoring.PRECISION digits)
    section_means: Mapping[str, Decimal] = field(default_factory=dict)
    instrument_hash: str = ""

    @property
    def decision_score(self) -> Decimal | None:
        """The consolidated score if recorded, else the official aggregate."""
        return self.consolidated if self.consolidated is not None else self.official

    def score_for(self, *, use_normalised: bool = False) -> Decimal | None:
        """The score decisions use; a consolidation always wins (kipp.md §10.3)."""
        if self.consolidated is not None:
            return self.consolidated
        return self.normalised_score if use_normalised else self.official

    @property
    def is_complete(self) -> bool:
        """Every review is final or excused."""
        return not self.pending


def _subject_rows(stage: Stage, subjects: Iterable[Subject | int] | None) -> list[Subject]:
    if subjects is None:
        in_stage = Exists(Assignment.objects.filter(stage=stage, subject=OuterRef("pk"))) | Exists(
            Consolidation.objects.filter(stage=stage, subject=OuterRef("pk"))
        )
        return list(
            Subject.objects.filter(edition_id=stage.edition_id).filter(in_stage).defer("text")
        )
    items = list(subjects)
    if all(isinstance(item, Subject) for item in items):
        return sorted(cast(list[Subject], items), key=lambda s: s.pk)
    ids = [item.pk if isinstance(item, Subject) else int(item) for item in items]
    return list(Subject.objects.filter(pk__in=ids, edition_id=stage.edition_id).defer("text"))


def _mean(values: Sequence[Decimal]) -> Decimal:
    with localcontext(Context(prec=scoring.PRECISION)):
        return sum(values, start=Decimal(0)) / len(values)


def stage_results(
    stage: Stage, *, subjects: Iterable[Subject | int] | None = None
) -> list[SubjectResult]:
    """Per-subject results of a stage from its final sheets, in subject order.

    ``subjects`` restricts the output (rows or ids); by default every subject assigned
    in the stage or consolidated in it. Normalisation always uses every final total of
    the stage. The number of queries does not depend on the number of rows.
    """
    edition = stage.edition
    rules = aggregation_rules(edition)
    instrument = instrument_of(edition.instrument)
    places = instrument.rounding.places
    rounding = ROUNDING_MODES[instrument.rounding.mode]

    rows = _subject_rows(stage, subjects)
    restrict = subjects is not None
    ids = [s.pk for s in rows]
    wanted = set(ids)

    assignments = Assignment.objects.filter(stage=stage)
    if restrict:
        assignments = assignments.filter(subject_id__in=ids)
    assigned: dict[int, int] = defaultdict(int)
    excused: dict[int, int] = defaultdict(int)
    pending: dict[int, list[Reviewer]] = defaultdict(list)
    for subject_id, appointment_id, is_excused, full_name, username, status in assignments.order_by(
        "subject_id", "appointment_id"
    ).values_list(
        "subject_id",
        "appointment_id",
        "is_excused",
        "appointment__person__full_name",
        "appointment__person__username",
        "sheet__status",
    ):
        assigned[subject_id] += 1
        if is_excused:
            excused[subject_id] += 1
        elif status != SheetStatus.FINAL:
            pending[subject_id].append(Reviewer(appointment_id, full_name or username))

    # Every final total of the stage: the normalisation is computed over all of them.
    by_assessor: dict[int, dict[int, Decimal]] = defaultdict(dict)
    totals: dict[int, dict[int, Decimal]] = defaultdict(dict)
    hashes: dict[int, set[str]] = defaultdict(set)
    final_sheets = ScoreSheet.objects.filter(
        stage=stage, status=SheetStatus.FINAL, total__isnull=False
    )
    for subject_id, appointment_id, total, content_hash in final_sheets.order_by(
        "subject_id", "appointment_id"
    ).values_list("subject_id", "appointment_id", "total", "instrument__content_hash"):
        if total is None:  # excluded by the filter; keeps the type checker informed
            continue
        by_assessor[appointment_id][subject_id] = total
        if subject_id in wanted:
            totals[subject_id][appointment_id] = total
            hashes[subject_id].add(content_hash)
    normalised = scoring.normalise(by_assessor, rules.min_sample) if by_assessor else {}

    scores = Score.objects.filter(
        version__sheet__stage=stage,
        version__sheet__status=SheetStatus.FINAL,
        version__number=F("version__sheet__current_version"),
        value__isnull=False,
    )
    if restrict:
        scores = scores.filter(version__sheet__subject_id__in=ids)
    section_values: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for subject_id, criterion, value in scores.values_list(
        "version__sheet__subject_id", "criterion", "value"
    ):
        if value is not None:
            section_values[subject_id][criterion].append(value)

    consolidations = Consolidation.objects.filter(stage=stage)
    if restrict:
        consolidations = consolidations.filter(subject_id__in=ids)
    consolidated = dict(consolidations.values_list("subject_id", "score"))

    results: list[SubjectResult] = []
    for subject in rows:
        own = totals.get(subject.pk, {})
        aggregate = norm_aggregate = None
        own_normalised: dict[int, scoring.Normalised] = {}
        if own:
            aggregate = scoring.aggregate(
                list(own.values()),
                rules.method,
                rules.disagreement_range,
                places=places,
                rounding=rounding,
            )
            own_normalised = {a: normalised[(a, subject.pk)] for a in own}
            norm_aggregate = scoring.aggregate(
                [n.value for n in own_normalised.values()],
                rules.method,
                rules.disagreement_range,
                places=places,
                rounding=rounding,
            )
        results.append(
            SubjectResult(
                subject_id=subject.pk,
                title=subject.title,
                group=subject.group,
                category=subject.category,
                method=rules.method,
                totals=own,
                raw=aggregate.raw if aggregate else None,
                official=aggregate.score if aggregate else None,
                spread=aggregate.spread if aggregate else None,
                disagreement=aggregate.disagreement if aggregate else False,
                normalised=own_normalised,
                normalised_raw=norm_aggregate.raw if norm_aggregate else None,
                normalised_score=norm_aggregate.score if norm_aggregate else None,
                consolidated=consolidated.get(subject.pk),
                assigned=assigned.get(subject.pk, 0),
                finalised=len(own),
                excused=excused.get(subject.pk, 0),
                pending=tuple(pending.get(subject.pk, ())),
                section_means={
                    code: _mean(values)
                    for code, values in section_values.get(subject.pk, {}).items()
                },
                instrument_hash=",".join(sorted(hashes.get(subject.pk, ())))
                or edition.instrument.content_hash,
            )
        )
    return results


# --------------------------------------------------------------------------- consolidation

CONSOLIDATION_FIELDS = ("score", "justification", "attendees", "minutes_ref", "created_by")


def record_consolidation(
    stage: Stage,
    subject: Subject,
    score: int | Decimal,
    *,
    justification: str,
    attendees: str | Sequence[str],
    minutes_ref: str,
    actor: Any,
) -> Consolidation:
    """Record the team's consolidated score for a subject (kipp.md §10.3).

    Secretariat only, while the stage is open and allows decisions. The consolidated
    score replaces the aggregate for decisions; the raw sheets stay as they are. A later
    consolidation of the same subject replaces the earlier one (audited before/after).
    """
    if not is_secretariat(actor):
        raise PermissionDenied(_("Hanya Sekretariat yang dapat mencatat nilai konsolidasi."))
    if not (stage.is_open and stage.decisions_open):
        raise DomainError(
            _("Tahap «%(stage)s» tidak sedang membuka keputusan.")
            % {"stage": stage.get_code_display()}
        )
    if subject.edition_id != stage.edition_id:
        raise DomainError(_("Subjek bukan bagian dari penyelenggaraan ini."), field="subject")
    instrument = instrument_of(stage.edition.instrument)
    scale = instrument.scale
    if isinstance(score, bool) or not isinstance(score, int | Decimal):
        raise DomainError(_("Nilai konsolidasi harus berupa angka."), field="score")
    value = Decimal(score)
    if not value.is_finite() or not scale.min <= value <= scale.max:
        raise DomainError(
            _("Nilai konsolidasi harus %(min)s–%(max)s, tertulis %(value)s.")
            % {"min": scale.min, "max": scale.max, "value": score},
            field="score",
        )
    quantum = Decimal(1).scaleb(-instrument.rounding.places)
    if value != value.quantize(quantum):
        raise DomainError(
            _("Nilai konsolidasi paling banyak %(places)d angka desimal, tertulis %(value)s.")
            % {"places": instrument.rounding.places, "value": score},
            field="score",
        )
    justification = (justification or "").strip()
    if len(justification) < MIN_JUSTIFICATION:
        raise DomainError(
            _("Justifikasi wajib diisi, minimal %(n)d karakter.") % {"n": MIN_JUSTIFICATION},
            field="justification",
        )
    if isinstance(attendees, str):
        attendee_text = attendees.strip()
    else:
        attendee_text = "\n".join(a.strip() for a in attendees if a and a.strip())
    if not attendee_text:
        raise DomainError(_("Daftar peserta rapat wajib diisi."), field="attendees")
    minutes_ref = (minutes_ref or "").strip()
    if not minutes_ref:
        raise DomainError(_("Nomor notulen wajib diisi."), field="minutes_ref")

    with transaction.atomic():
        existing = (
            Consolidation.objects.select_for_update(of=("self",))
            .filter(stage=stage, subject=subject)
            .first()
        )
        before = audit.snapshot(existing, CONSOLIDATION_FIELDS) if existing else None
        consolidation = existing or Consolidation(stage=stage, subject=subject)
        consolidation.score = value.quantize(quantum)
        consolidation.justification = justification
        consolidation.attendees = attendee_text
        consolidation.minutes_ref = minutes_ref
        consolidation.created_by = actor
        consolidation.save()
        audit.record(
            actor=actor,
            action="evaluation.consolidation.record",
            obj=consolidation,
            before=before,
            after=audit.snapshot(consolidation, CONSOLIDATION_FIELDS),
            reason=justification,
        )
    return consolidation
