"""Assignment runs from the database: build the solver problem, store runs, deploy one,
and manage pins (kipp.md §10.1; OpenReview-style runs).

`build_problem` reads the stage's subjects and ready assessors with a handful of
`values_list` queries and turns them into `assignment.Problem`:

- demand k: the `demand` parameter, else the edition rule for the stage
  (`desk_evaluation.evaluators_per_proposal`, …), else 3;
- loads: an appointment's own `max_load`/`min_load`, else the `max_load`/`min_load`
  parameters, else the stage's rule `load`; `auto` is ⌈1.2·k·P/E⌉;
- conflicts: the rules `same_institution` (affiliation) and `same_province` (home province
  against subjects with a province, i.e. local institutions) go to the solver as rules so
  its diagnosis names them; declared employment, declared and secretariat-entered
  conflicts and `forbid` pins are explicit pairs;
- pinned: `force` pins, plus live assignments that already have a score sheet, which a
  later run keeps (kipp.md §10.1) unless they now conflict;
- affinity: TF-IDF between subject text and assessor expertise plus a bonus when the
  subject's category is among the assessor's categories, unless given explicitly;
- pools: the `pools` parameter, else the stage's rule (`panel_review.pools`,
  `panel_assessment.pools`); with `by_category` an assessor only takes subjects of their
  own categories (the solver's `outside_pool`), and a subject without a category is refused.

Solver ids are readable labels (``#12 «Judul»``, the assessor's name) because the
solver's diagnosis names them; the maps back to database ids travel with the problem.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.domain.jobs import ProgressCallback, no_progress
from prima.evaluation.domain import assignment as solver
from prima.evaluation.domain.affinity import expertise_affinity
from prima.evaluation.enums import AssessorRole, ConflictKind, PinKind, RunStatus, StageStatus
from prima.evaluation.models import (
    Appointment,
    Assignment,
    AssignmentRun,
    Conflict,
    Edition,
    Pin,
    Stage,
    Subject,
)
from prima.evaluation.queries import conflict_reasons

DEFAULT_DEMAND = 3
AUTO = "auto"
# ⌈AUTO_SLACK·k·P/E⌉: 20 % more than an even share, so the solver has room to match.
AUTO_SLACK_NUM, AUTO_SLACK_DEN = 6, 5
DEFAULT_CATEGORY_BONUS = 1.0
# The edition rule that sets each stage's demand and loads: (section, demand key).
STAGE_RULES: Mapping[str, tuple[str, str]] = {
    "desk_evaluation": ("desk_evaluation", "evaluators_per_proposal"),
    "panel_stage": ("panel_review", "reviewers_per_proposal"),
    "final_stage": ("panel_assessment", "reviewers_per_proposal"),
}
PARAMETERS = frozenset(
    {"demand", "max_load", "min_load", "category_bonus", "affinity_top_k", "keep_scored", "pools"}
)
TITLE_CHARS = 40
MAX_LISTED = 10


def _require_secretariat(actor: Any) -> None:
    access = access_for(actor)
    if not (access.is_secretariat or access.is_superuser):
        raise PermissionDenied(_("Hanya Sekretariat yang dapat mengatur penugasan penilai."))


def _require_workable(stage: Stage) -> None:
    if stage.status in (StageStatus.CLOSED, StageStatus.SKIPPED):
        raise DomainError(
            _("Tahap «%(stage)s» sudah %(status)s; penugasannya tidak dapat diubah.")
            % {"stage": stage.get_code_display(), "status": stage.get_status_display().lower()}
        )
    if not stage.assessor_role:
        raise DomainError(
            _("Tahap «%(stage)s» tidak memiliki peran penilai; tidak ada yang ditugaskan.")
            % {"stage": stage.get_code_display()}
        )


def stage_roles(stage: Stage) -> list[str]:
    """Appointment roles that assess in the stage (the panel chair is also a panelist)."""
    roles = [stage.assessor_role]
    if stage.assessor_role == AssessorRole.PANELIST:
        roles.append(AssessorRole.PANEL_CHAIR)
    return roles


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class Settings:
    """Resolved run parameters (what was asked, or the edition's rule, or the default)."""

    demand: int
    max_load: int | str  # an integer or "auto"
    min_load: int
    category_bonus: float
    affinity_top_k: int | None
    keep_scored: bool
    pools: str | None = None  # None, or "by_category"

    def as_dict(self) -> dict[str, Any]:
        return {
            "demand": self.demand,
            "max_load": self.max_load,
            "min_load": self.min_load,
            "category_bonus": self.category_bonus,
            "affinity_top_k": self.affinity_top_k,
            "keep_scored": self.keep_scored,
            "pools": self.pools,
        }


def _whole(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise DomainError(
            _("Parameter %(name)s harus bilangan bulat ≥ %(min)s; tertulis %(value)r.")
            % {"name": name, "min": minimum, "value": value},
            field=name,
        )
    return value


def _rule_section(stage: Stage) -> Mapping[str, Any]:
    """The edition-rule block that governs the stage's assignment (`STAGE_RULES`)."""
    rules: Mapping[str, Any] = stage.edition.rules or {}
    section_name, _key = STAGE_RULES.get(stage.code, ("desk_evaluation", ""))
    section = rules.get(section_name)
    return section if isinstance(section, Mapping) else {}


def stage_pools(stage: Stage) -> str | None:
    """The stage rule's category pools: "by_category", or None (absent or "none")."""
    pools = _rule_section(stage).get("pools")
    return solver.BY_CATEGORY if pools == solver.BY_CATEGORY else None


def resolve_settings(stage: Stage, parameters: Mapping[str, Any] | None = None) -> Settings:
    """The run settings from `parameters`, falling back to the edition's rules."""
    given = dict(parameters or {})
    unknown = sorted(set(given) - PARAMETERS)
    if unknown:
        raise DomainError(
            _("Parameter tidak dikenal: %(names)s; yang ada: %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(sorted(PARAMETERS))}
        )
    rules: Mapping[str, Any] = stage.edition.rules or {}
    section_name, demand_key = STAGE_RULES.get(
        stage.code, ("desk_evaluation", "evaluators_per_proposal")
    )
    section = rules.get(section_name)
    section = section if isinstance(section, Mapping) else {}
    desk = rules.get("desk_evaluation")
    desk = desk if isinstance(desk, Mapping) else {}
    rule_demand = section.get(demand_key, desk.get("evaluators_per_proposal", DEFAULT_DEMAND))
    load = section.get("load")
    load = load if isinstance(load, Mapping) else {}

    demand = _whole(given.get("demand", rule_demand), "demand", 1)
    max_load = given.get("max_load", load.get("max", AUTO))
    if max_load != AUTO:
        max_load = _whole(max_load, "max_load", 0)
    min_load = _whole(given.get("min_load", load.get("min", 0)), "min_load", 0)
    bonus = given.get("category_bonus", DEFAULT_CATEGORY_BONUS)
    if (
        isinstance(bonus, bool)
        or not isinstance(bonus, int | float)
        or not math.isfinite(bonus)
        or bonus < 0
    ):
        raise DomainError(_("Parameter category_bonus harus bilangan ≥ 0."), field="category_bonus")
    top_k = given.get("affinity_top_k")
    if top_k is not None:
        top_k = _whole(top_k, "affinity_top_k", 1)
    keep = given.get("keep_scored", True)
    if not isinstance(keep, bool):
        raise DomainError(_("Parameter keep_scored harus ya/tidak."), field="keep_scored")
    pools = given["pools"] if "pools" in given else stage_pools(stage)
    if pools is not None and pools not in solver.POOLS:
        raise DomainError(
            _("Parameter pools harus kosong (null) atau %(values)s; tertulis %(value)r.")
            % {"values": ", ".join(solver.POOLS), "value": pools},
            field="pools",
        )
    return Settings(demand, max_load, min_load, float(bonus), top_k, keep, pools)


def auto_max_load(demand: int, subjects: int, assessors: int) -> int:
    """⌈1.2·k·P/E⌉ in exact integer arithmetic (0 when there is no assessor)."""
    if assessors <= 0:
        return 0
    numerator = AUTO_SLACK_NUM * demand * subjects
    denominator = AUTO_SLACK_DEN * assessors
    return -(-numerator // denominator)


# --------------------------------------------------------------------------- conflicts


class ConflictIndex:
    """Every conflict between a set of subjects and appointments, read in a few queries.

    Agrees with `prima.evaluation.queries.conflict_reasons` pair by pair, without a query
    per pair; used where thousands of pairs are checked at once.
    """

    def __init__(
        self,
        subjects: Iterable[tuple[int, int | None, str]],
        appointments: Iterable[tuple[int, int | None, str]],
    ) -> None:
        self.subject_institution: dict[int, int | None] = {}
        self.subject_province: dict[int, str] = {}
        self.by_institution: dict[int, list[int]] = defaultdict(list)
        for pk, institution_id, province in subjects:
            self.subject_institution[pk] = institution_id
            self.subject_province[pk] = province or ""
            if institution_id is not None:
                self.by_institution[institution_id].append(pk)
        self.affiliation: dict[int, int | None] = {}
        self.home_province: dict[int, str] = {}
        for pk, affiliation_id, province in appointments:
            self.affiliation[pk] = affiliation_id
            self.home_province[pk] = province or ""
        ids = list(self.affiliation)
        self.past: dict[int, set[int]] = defaultdict(set)
        through = Appointment.past_institutions.through.objects.filter(appointment_id__in=ids)
        for appointment_id, institution_id in through.values_list(
            "appointment_id", "institution_id"
        ):
            self.past[appointment_id].add(institution_id)
        # (appointment, subject) → kinds; (appointment, institution) → kinds
        self.on_subject: dict[tuple[int, int], set[str]] = defaultdict(set)
        self.on_institution: dict[tuple[int, int], set[str]] = defaultdict(set)
        rows = Conflict.objects.filter(appointment_id__in=ids).values_list(
            "appointment_id", "subject_id", "institution_id", "kind"
        )
        for appointment_id, subject_id, institution_id, kind in rows:
            if subject_id is not None:
                self.on_subject[(appointment_id, subject_id)].add(kind)
            if institution_id is not None:
                self.on_institution[(appointment_id, institution_id)].add(kind)

    @classmethod
    def for_pairs(cls, edition_id: int, pairs: Iterable[tuple[int, int]]) -> ConflictIndex:
        pairs = list(pairs)
        subject_ids = {s for s, _ in pairs}
        appointment_ids = {a for _, a in pairs}
        return cls(
            Subject.objects.filter(edition_id=edition_id, pk__in=subject_ids).values_list(
                "pk", "institution_id", "province"
            ),
            Appointment.objects.filter(edition_id=edition_id, pk__in=appointment_ids).values_list(
                "pk", "affiliation_id", "home_province"
            ),
        )

    def reasons(self, subject_id: int, appointment_id: int) -> list[str]:
        """The conflict codes of one pair, as `queries.conflict_reasons` gives them."""
        found: list[str] = []
        institution = self.subject_institution.get(subject_id)
        if institution is not None and (
            institution == self.affiliation.get(appointment_id)
            or institution in self.past.get(appointment_id, ())
        ):
            found.append(ConflictKind.SAME_INSTITUTION)
        province = self.subject_province.get(subject_id, "")
        if province and province == self.home_province.get(appointment_id, ""):
            found.append(ConflictKind.SAME_PROVINCE_LOCAL)
        kinds = set(self.on_subject.get((appointment_id, subject_id), ()))
        if institution is not None:
            kinds |= self.on_institution.get((appointment_id, institution), set())
        found.extend(sorted(kinds))
        return found

    def explicit_pairs(self) -> set[tuple[int, int]]:
        """(subject, appointment) pairs barred by declared employment or conflict rows —
        everything except the affiliation and province rules."""
        pairs: set[tuple[int, int]] = set()
        for appointment_id, institutions in self.past.items():
            for institution_id in institutions:
                for subject_id in self.by_institution.get(institution_id, ()):
                    pairs.add((subject_id, appointment_id))
        for appointment_id, subject_id in self.on_subject:
            if subject_id in self.subject_institution:
                pairs.add((subject_id, appointment_id))
        for appointment_id, institution_id in self.on_institution:
            for subject_id in self.by_institution.get(institution_id, ()):
                pairs.add((subject_id, appointment_id))
        return pairs


# --------------------------------------------------------------------------- the problem


@dataclass
class BuiltProblem:
    """The solver input and the way back from solver ids to database ids."""

    problem: solver.Problem
    settings: Settings
    subject_pk: dict[str, int]  # solver id → Subject.pk
    appointment_pk: dict[str, int]  # solver id → Appointment.pk
    default_max_load: int
    notes: dict[str, Any] = field(default_factory=dict)


def _subject_label(pk: int, title: str) -> str:
    title = " ".join(title.split())
    if len(title) > TITLE_CHARS:
        title = title[: TITLE_CHARS - 1].rstrip() + "…"
    return f"#{pk} «{title}»" if title else f"#{pk}"


def _assessor_labels(rows: list[tuple[int, str, str]]) -> dict[int, str]:
    """The person's name; an id is added only where two assessors share a name."""
    names = {pk: (full_name or username).strip() or f"#{pk}" for pk, full_name, username in rows}
    counts: dict[str, int] = defaultdict(int)
    for name in names.values():
        counts[name] += 1
    return {pk: name if counts[name] == 1 else f"{name} (#{pk})" for pk, name in names.items()}


def build_problem(
    stage: Stage,
    *,
    parameters: Mapping[str, Any] | None = None,
    subjects: QuerySet[Subject] | None = None,
    affinity: Mapping[tuple[int, int], float] | None = None,
) -> BuiltProblem:
    """The solver problem of a stage: its active subjects (or `subjects`) × its active,
    ready assessors, with demands, loads, conflicts, pins and affinities.

    `affinity` (keyed by (subject pk, appointment pk)) replaces the computed one; pairs
    outside the problem are ignored.
    """
    settings = resolve_settings(stage, parameters)
    edition_id = stage.edition_id
    chosen = (
        Subject.objects.filter(edition_id=edition_id, is_active=True)
        if subjects is None
        else (subjects.filter(edition_id=edition_id))
    )
    subject_rows = list(
        chosen.order_by("pk").values_list(
            "pk", "title", "text", "institution_id", "province", "category"
        )
    )
    candidates = Appointment.objects.filter(
        edition_id=edition_id, role__in=stage_roles(stage), is_active=True
    )
    appointment_rows = list(
        candidates.filter(
            code_of_conduct_accepted_at__isnull=False, conflicts_declared_at__isnull=False
        )
        .order_by("pk")
        .values_list(
            "pk",
            "person__full_name",
            "person__username",
            "affiliation_id",
            "home_province",
            "expertise",
            "categories",
            "min_load",
            "max_load",
        )
    )
    not_ready = candidates.count() - len(appointment_rows)
    if settings.pools == solver.BY_CATEGORY:
        uncategorised = [_subject_label(pk, title) for pk, title, *_r, c in subject_rows if not c]
        if uncategorised:
            raise DomainError(
                _(
                    "Penugasan memakai kelompok kategori, tetapi %(n)s subjek tidak "
                    "berkategori: %(subjects)s. Isi kategorinya atau jalankan tanpa "
                    "kelompok kategori."
                )
                % {"n": len(uncategorised), "subjects": _labels_text(uncategorised)},
                field="pools",
            )

    index = ConflictIndex(
        ((pk, inst, prov) for pk, _t, _x, inst, prov, _c in subject_rows),
        ((row[0], row[3], row[4]) for row in appointment_rows),
    )
    s_label = {pk: _subject_label(pk, title) for pk, title, *_ in subject_rows}
    a_label = _assessor_labels([(row[0], row[1], row[2]) for row in appointment_rows])

    count_s, count_a = len(subject_rows), len(appointment_rows)
    default_max = (
        auto_max_load(settings.demand, count_s, count_a)
        if settings.max_load == AUTO
        else int(settings.max_load)
    )
    problem_subjects = tuple(
        solver.Subject(
            id=s_label[pk],
            demand=settings.demand,
            institution=str(inst) if inst is not None else None,
            province=prov or None,
            category=category or None,
        )
        for pk, _t, _x, inst, prov, category in subject_rows
    )
    assessors: list[solver.Assessor] = []
    pools_of: dict[int, frozenset[str]] = {}
    for pk, _f, _u, affiliation_id, province, _e, categories, own_min, own_max in appointment_rows:
        pools_of[pk] = frozenset(str(c) for c in categories or () if str(c))
        maximum = own_max if own_max is not None else default_max
        minimum = own_min or settings.min_load
        assessors.append(
            solver.Assessor(
                id=a_label[pk],
                min_load=min(minimum, maximum),
                max_load=maximum,
                institution=str(affiliation_id) if affiliation_id is not None else None,
                province=province or None,
                categories=pools_of[pk],
            )
        )
    category_of = {pk: category for pk, *_r, category in subject_rows}

    def outside_pool(subject_id: int, appointment_id: int) -> bool:
        return settings.pools == solver.BY_CATEGORY and (
            category_of[subject_id] not in pools_of[appointment_id]
        )

    # Explicit conflicts: declared employment, conflict rows, forbid pins.
    conflicts = {(s_label[s], a_label[a]) for s, a in index.explicit_pairs()}
    pinned: set[tuple[str, str]] = set()
    ignored_pins: list[list[int]] = []
    kept_out: list[list[int]] = []
    for subject_id, appointment_id, kind in Pin.objects.filter(stage=stage).values_list(
        "subject_id", "appointment_id", "kind"
    ):
        if subject_id not in s_label or appointment_id not in a_label:
            ignored_pins.append([subject_id, appointment_id])
            continue
        pair = (s_label[subject_id], a_label[appointment_id])
        if kind == PinKind.FORBID:
            conflicts.add(pair)
        else:
            pinned.add(pair)
    scored = 0
    if settings.keep_scored:
        for subject_id, appointment_id in Assignment.objects.filter(
            stage=stage, sheet__isnull=False
        ).values_list("subject_id", "appointment_id"):
            if subject_id not in s_label or appointment_id not in a_label:
                kept_out.append([subject_id, appointment_id])
                continue
            pair = (s_label[subject_id], a_label[appointment_id])
            if (
                index.reasons(subject_id, appointment_id)
                or pair in conflicts
                or outside_pool(subject_id, appointment_id)
            ):
                kept_out.append([subject_id, appointment_id])
                continue
            scored += pair not in pinned
            pinned.add(pair)

    # Affinity.
    pair_affinity: dict[tuple[str, str], float] = {}
    if affinity is not None:
        source = "given"
        for (subject_id, appointment_id), value in affinity.items():
            if subject_id in s_label and appointment_id in a_label:
                pair_affinity[(s_label[subject_id], a_label[appointment_id])] = value
    else:
        source = "tfidf"
        texts = {str(pk): text for pk, _t, text, *_ in subject_rows}
        expertise = {str(row[0]): row[5] for row in appointment_rows}
        for (s, a), value in expertise_affinity(
            texts, expertise, top_k=settings.affinity_top_k
        ).items():
            if value > 0:
                pair_affinity[(s_label[int(s)], a_label[int(a)])] = value
        if settings.category_bonus > 0:
            by_category: dict[str, list[int]] = defaultdict(list)
            for pk, _t, _x, _i, _p, category in subject_rows:
                if category:
                    by_category[category].append(pk)
            for row in appointment_rows:
                for category in set(row[6] or ()):
                    for subject_id in by_category.get(category, ()):
                        pair = (s_label[subject_id], a_label[row[0]])
                        pair_affinity[pair] = pair_affinity.get(pair, 0.0) + settings.category_bonus

    try:
        problem = solver.Problem(
            subjects=problem_subjects,
            assessors=tuple(assessors),
            affinity=pair_affinity,
            conflicts=frozenset(conflicts),
            conflict_rules=frozenset({"same_institution", "same_province"}),
            pinned=frozenset(pinned),
            pools=settings.pools,
        )
    except solver.ProblemError as error:
        raise DomainError(
            _("Masukan penugasan tidak sah: %(error)s") % {"error": error}, field=error.field
        ) from error
    notes = {
        "affinity": source,
        "subjects": count_s,
        "assessors": count_a,
        "assessors_not_ready": not_ready,
        "auto_max_load": default_max if settings.max_load == AUTO else None,
        "explicit_conflicts": len(conflicts),
        "pinned": len(pinned),
        "scored_pairs_pinned": scored,
        "ignored_pins": ignored_pins,
        "scored_pairs_not_pinned": kept_out,
    }
    return BuiltProblem(
        problem=problem,
        settings=settings,
        subject_pk={label: pk for pk, label in s_label.items()},
        appointment_pk={label: pk for pk, label in a_label.items()},
        default_max_load=default_max,
        notes=notes,
    )


# --------------------------------------------------------------------------- runs


def check_run_request(
    stage: Stage, *, actor: Any, label: str, parameters: Mapping[str, Any] | None = None
) -> str:
    """Refuse a run that could not start (who asks, the label, the stage, the parameters)
    before any work is queued; returns the cleaned label."""
    _require_secretariat(actor)
    label = label.strip()
    if not label:
        raise DomainError(_("Label proses penugasan wajib diisi."), field="label")
    if len(label) > 120:
        raise DomainError(_("Label paling banyak 120 karakter."), field="label")
    _require_workable(stage)
    resolve_settings(stage, parameters)
    return label


def run_assignment(
    stage: Stage,
    *,
    actor: Any,
    label: str,
    parameters: Mapping[str, Any] | None = None,
    subjects: QuerySet[Subject] | None = None,
    affinity: Mapping[tuple[int, int], float] | None = None,
    progress: ProgressCallback | None = None,
) -> AssignmentRun:
    """Solve the stage's assignment and store the run, optimal or infeasible.

    An infeasible run is stored with the solver's Indonesian diagnosis; nothing live
    changes until a run is deployed (`deploy_run`). `progress` hears of the three steps
    (build the problem, solve, store).
    """
    report = progress or no_progress
    label = check_run_request(stage, actor=actor, label=label, parameters=parameters)
    started = time.perf_counter()
    report(0, 3, _("Menyusun data penugasan"))
    built = build_problem(stage, parameters=parameters, subjects=subjects, affinity=affinity)
    report(1, 3, _("Mencari penugasan optimal"))
    solution = solver.solve(built.problem)
    report(2, 3, _("Menyimpan hasil"))
    duration_ms = round((time.perf_counter() - started) * 1000)
    pairs = [
        [built.subject_pk[s], built.appointment_pk[a], value]
        for s, a, value in solution.assignments
    ]
    with transaction.atomic():
        Edition.objects.select_for_update(of=("self",)).get(pk=stage.edition_id)
        fresh = Stage.objects.get(pk=stage.pk)
        _require_workable(fresh)
        run = AssignmentRun.objects.create(
            stage=fresh,
            label=label,
            parameters={
                "requested": dict(parameters or {}),
                **built.settings.as_dict(),
                **built.notes,
            },
            status=RunStatus.OPTIMAL if solution.status == "optimal" else RunStatus.INFEASIBLE,
            objective=solution.objective,
            diagnosis=list(solution.diagnosis or []),
            pairs=pairs,
            subject_count=len(built.problem.subjects),
            assessor_count=len(built.problem.assessors),
            duration_ms=duration_ms,
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="evaluation.run.create",
            obj=run,
            after={
                "status": run.status,
                "objective": run.objective,
                "subject_count": run.subject_count,
                "assessor_count": run.assessor_count,
                "pairs": len(pairs),
                "duration_ms": duration_ms,
                "diagnosis": run.diagnosis,
                "parameters": run.parameters,
            },
        )
    report(3, 3)
    return run


@dataclass(frozen=True)
class DeployReport:
    """What deploying a run changed in the stage's live assignments."""

    run: AssignmentRun
    created: int
    removed: int
    unchanged: int
    # Scored pairs the run does not contain, kept in addition to the run's pairs.
    kept_scored: list[tuple[int, int]]


def _labels_text(labels: list[str]) -> str:
    text = ", ".join(labels[:MAX_LISTED])
    if len(labels) > MAX_LISTED:
        text += _(" dan %(n)s lainnya") % {"n": len(labels) - MAX_LISTED}
    return text


def _pairs_text(pairs: Iterable[tuple[int, int]]) -> str:
    listed = [f"(subjek #{s}, penugasan #{a})" for s, a in pairs]
    text = ", ".join(listed[:MAX_LISTED])
    if len(listed) > MAX_LISTED:
        text += _(" dan %(n)s lainnya") % {"n": len(listed) - MAX_LISTED}
    return text


def deploy_run(run: AssignmentRun, *, actor: Any) -> DeployReport:
    """Make an optimal run the stage's live assignments, atomically.

    Live assignments outside the run are removed, except those that already have a score
    sheet: they are kept in addition and reported. Refused when the stage is closed, or
    when a pair of the run has since become conflicted or its assessor inactive (run again).
    """
    _require_secretariat(actor)
    if run.status != RunStatus.OPTIMAL:
        raise DomainError(
            _("Hanya proses penugasan yang optimal dapat diterapkan; proses ini tidak layak.")
        )
    with transaction.atomic():
        Edition.objects.select_for_update(of=("self",)).get(pk=run.stage.edition_id)
        stage = Stage.objects.get(pk=run.stage_id)
        _require_workable(stage)
        fresh = AssignmentRun.objects.select_for_update(of=("self",)).get(pk=run.pk)
        wanted: dict[tuple[int, int], float] = {
            (int(s), int(a)): float(value) for s, a, value in fresh.pairs
        }
        active = set(
            Appointment.objects.filter(
                pk__in={a for _, a in wanted}, edition_id=stage.edition_id, is_active=True
            ).values_list("pk", flat=True)
        )
        gone = [pair for pair in wanted if pair[1] not in active]
        existing_subjects = set(
            Subject.objects.filter(
                pk__in={s for s, _ in wanted}, edition_id=stage.edition_id
            ).values_list("pk", flat=True)
        )
        gone += [pair for pair in wanted if pair[0] not in existing_subjects]
        if gone:
            raise DomainError(
                _(
                    "Proses ini memuat pasangan yang penilainya sudah tidak aktif atau "
                    "subjeknya sudah tidak ada: %(pairs)s. Jalankan ulang penugasan."
                )
                % {"pairs": _pairs_text(sorted(set(gone)))}
            )
        index = ConflictIndex.for_pairs(stage.edition_id, wanted)
        conflicted = [pair for pair in wanted if index.reasons(*pair)]
        if conflicted:
            raise DomainError(
                _(
                    "Sejak proses ini dibuat, %(n)s pasangannya menjadi berkonflik: %(pairs)s. "
                    "Jalankan ulang penugasan."
                )
                % {"n": len(conflicted), "pairs": _pairs_text(sorted(conflicted))}
            )

        live = list(
            Assignment.objects.filter(stage=stage).values_list(
                "pk", "subject_id", "appointment_id", "sheet__id"
            )
        )
        remove: list[int] = []
        kept_scored: list[tuple[int, int]] = []
        present: set[tuple[int, int]] = set()
        for pk, subject_id, appointment_id, sheet_id in live:
            pair = (subject_id, appointment_id)
            if pair in wanted:
                present.add(pair)
            elif sheet_id is not None:
                kept_scored.append(pair)
            else:
                remove.append(pk)
        if remove:
            Assignment.objects.filter(pk__in=remove).delete()
        Assignment.objects.filter(stage=stage).filter(
            pk__in=[pk for pk, s, a, _sheet in live if (s, a) in present]
        ).update(run=fresh)
        Assignment.objects.bulk_create(
            [
                Assignment(
                    stage=stage,
                    subject_id=s,
                    appointment_id=a,
                    run=fresh,
                    affinity=value,
                )
                for (s, a), value in wanted.items()
                if (s, a) not in present
            ],
            batch_size=1000,
        )
        now = timezone.now()
        AssignmentRun.objects.filter(stage=stage, deployed_at__isnull=False).exclude(
            pk=fresh.pk
        ).update(deployed_at=None, deployed_by=None)
        fresh.deployed_at = now
        fresh.deployed_by = actor
        fresh.save(update_fields=["deployed_at", "deployed_by"])
        created = len(wanted) - len(present)
        audit.record(
            actor=actor,
            action="evaluation.run.deploy",
            obj=fresh,
            after={
                "created": created,
                "removed": len(remove),
                "unchanged": len(present),
                "kept_scored": [list(p) for p in kept_scored],
            },
        )
    run.deployed_at, run.deployed_by = fresh.deployed_at, fresh.deployed_by
    return DeployReport(
        run=run,
        created=created,
        removed=len(remove),
        unchanged=len(present),
        kept_scored=sorted(kept_scored),
    )


# --------------------------------------------------------------------------- pins


def outside_pool_pairs(stage: Stage, pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """The (subject, appointment) pairs whose subject's category is not among the
    assessor's categories, when the stage's rule pools by category (else none)."""
    pairs = list(pairs)
    if stage_pools(stage) != solver.BY_CATEGORY or not pairs:
        return set()
    category = dict(
        Subject.objects.filter(pk__in={s for s, _a in pairs}).values_list("pk", "category")
    )
    pools = {
        pk: {str(c) for c in categories or ()}
        for pk, categories in Appointment.objects.filter(pk__in={a for _s, a in pairs}).values_list(
            "pk", "categories"
        )
    }
    return {
        (s, a)
        for s, a in pairs
        if not category.get(s) or category.get(s) not in pools.get(a, set())
    }


def require_stage_pair(stage: Stage, subject: Subject, appointment: Appointment) -> None:
    """Refuse a pair from another edition or an assessor of another role than the stage's."""
    if subject.edition_id != stage.edition_id or appointment.edition_id != stage.edition_id:
        raise DomainError(_("Subjek dan penilai harus dari penyelenggaraan tahap ini."))
    if appointment.role not in stage_roles(stage):
        raise DomainError(
            _("%(person)s bukan penilai pada tahap «%(stage)s».")
            % {"person": appointment.person, "stage": stage.get_code_display()},
            field="appointment",
        )


def require_eligible(
    stage: Stage,
    subject: Subject,
    appointment: Appointment,
    *,
    refusal: str = "",
    field: str = "appointment",
) -> None:
    """Refuse a pair the stage may not assign, as a force pin or a hand-added review: an
    inactive assessor, a conflict (naming the codes), or, when the stage pools by category,
    a subject outside the assessor's pool. `refusal` prefixes the message."""
    if not appointment.is_active:
        raise DomainError(
            refusal + _("%(person)s sudah tidak aktif.") % {"person": appointment.person},
            field="appointment",
        )
    reasons = conflict_reasons(appointment, subject)
    if reasons:
        raise DomainError(
            refusal
            + _("%(person)s berkonflik dengan «%(subject)s» (%(codes)s).")
            % {
                "person": appointment.person,
                "subject": subject,
                "codes": ", ".join(str(r) for r in reasons),
            },
            field=field,
        )
    if outside_pool_pairs(stage, [(subject.pk, appointment.pk)]):
        raise DomainError(
            refusal
            + _(
                "«%(subject)s» (kategori %(category)s) di luar kelompok kategori %(person)s "
                "(%(categories)s); tahap ini memakai kelompok kategori."
            )
            % {
                "person": appointment.person,
                "subject": subject,
                "category": subject.category or _("kosong"),
                "categories": ", ".join(str(c) for c in appointment.categories or ())
                or _("tanpa kategori"),
            },
            field=field,
        )


def pin_deployed(stage: Stage, *, actor: Any, reason: str = "") -> int:
    """Force-pin every live assignment of the stage, so the next run keeps it.

    Pairs that already have a pin, that are now conflicted, or that lie outside the
    stage's category pools are left alone; returns the number of pins created.
    """
    _require_secretariat(actor)
    with transaction.atomic():
        Edition.objects.select_for_update(of=("self",)).get(pk=stage.edition_id)
        fresh = Stage.objects.get(pk=stage.pk)
        _require_workable(fresh)
        live = list(
            Assignment.objects.filter(stage=fresh).values_list("subject_id", "appointment_id")
        )
        pinned = set(Pin.objects.filter(stage=fresh).values_list("subject_id", "appointment_id"))
        index = ConflictIndex.for_pairs(fresh.edition_id, live)
        conflicted = [pair for pair in live if pair not in pinned and index.reasons(*pair)]
        outside = sorted(
            outside_pool_pairs(fresh, (p for p in live if p not in pinned)) - set(conflicted)
        )
        skipped = set(conflicted) | set(outside)
        new = [pair for pair in live if pair not in pinned and pair not in skipped]
        Pin.objects.bulk_create(
            [
                Pin(
                    stage=fresh,
                    subject_id=s,
                    appointment_id=a,
                    kind=PinKind.FORCE,
                    reason=reason or _("Dipertahankan dari penugasan yang berlaku."),
                    created_by=actor,
                )
                for s, a in new
            ],
            batch_size=1000,
        )
        audit.record(
            actor=actor,
            action="evaluation.pin.deployed",
            obj=fresh,
            after={
                "created": len(new),
                "already_pinned": len(live) - len(new) - len(skipped),
                "conflicted_skipped": [list(p) for p in conflicted],
                "outside_pool_skipped": [list(p) for p in outside],
            },
            reason=reason,
        )
    return len(new)


def add_pin(
    stage: Stage,
    subject: Subject,
    appointment: Appointment,
    kind: str,
    reason: str = "",
    *,
    actor: Any,
) -> Pin:
    """Pin one pair: `force` keeps it in every run, `forbid` keeps it out.

    A forced pin is refused on entry like a hand-added review (`require_eligible`).
    """
    _require_secretariat(actor)
    if kind not in PinKind.values:
        raise DomainError(_("Jenis pin tidak dikenal: %(kind)s.") % {"kind": kind}, field="kind")
    require_stage_pair(stage, subject, appointment)
    if kind == PinKind.FORCE:
        require_eligible(
            stage, subject, appointment, refusal=_("Pin wajib ditolak: "), field="kind"
        )
    with transaction.atomic():
        Edition.objects.select_for_update(of=("self",)).get(pk=stage.edition_id)
        fresh = Stage.objects.get(pk=stage.pk)
        _require_workable(fresh)
        existing = Pin.objects.filter(stage=fresh, subject=subject, appointment=appointment).first()
        if existing is not None:
            raise DomainError(
                _("Pasangan ini sudah dipin (%(kind)s); hapus pin itu dulu.")
                % {"kind": existing.get_kind_display()}
            )
        pin = Pin.objects.create(
            stage=fresh,
            subject=subject,
            appointment=appointment,
            kind=kind,
            reason=reason.strip()[:300],
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="evaluation.pin.add",
            obj=pin,
            after={
                "stage": fresh.pk,
                "subject": subject.pk,
                "appointment": appointment.pk,
                "kind": kind,
            },
            reason=pin.reason,
        )
    return pin


def remove_pin(pin: Pin, *, actor: Any, reason: str = "") -> None:
    """Delete a pin; later runs no longer force or forbid the pair."""
    _require_secretariat(actor)
    with transaction.atomic():
        Edition.objects.select_for_update(of=("self",)).get(pk=pin.stage.edition_id)
        _require_workable(Stage.objects.get(pk=pin.stage_id))
        before = {
            "stage": pin.stage_id,
            "subject": pin.subject_id,
            "appointment": pin.appointment_id,
            "kind": pin.kind,
            "reason": pin.reason,
        }
        audit.record(
            actor=actor,
            action="evaluation.pin.remove",
            obj=pin,
            before=before,
            reason=reason,
        )
        pin.delete()
