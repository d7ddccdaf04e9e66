"""The secretariat's evaluation decisions for a KIPP edition (kipp.md §8 #7, #8, #9, #11,
#13; §10.5; §11; §13).

- :func:`deploy_assignments` deploys an assignment run (the engine's `deploy_run`), lets
  the proposals enter the stage's review (#7 for the desk, the first half of #9 for the
  panel) and e-mails every assessor their count and deadline.
- :func:`start_desk_review` / :func:`start_panel_review` — #7 and `nominated → panel_review`.
- :func:`propose_nomination`, :func:`propose_finalists`, :func:`propose_winners` — the
  system's proposals per the rule set (threshold or Top-N per group; Top-N per tier under
  its composition; winners ranked by the §13 final score).
- :func:`nominate` — #8 from an adopted selection run of the desk stage.
- :func:`decide_finalists` — #9 from an adopted run (or every nominee, `all_passing`).
- :func:`mark_presented` — #11 once the final-stage sheets are final.
- :func:`final_scores` / :func:`final_score_rows` — §13 `Σ weight · component`.
- :func:`decide_winners` — #13 from one adopted run per winner tier.

Results are hidden from participants until their announcement (`transitions.move` keeps
the participant state), so no decision e-mails an institution; only the secretariat gets
a summary. Every write is atomic and audited; proposal states change only through `move`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as in_indonesian

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.accounts.mail import mail_on_commit, secretariat_emails, site_url
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.evaluation.domain.results import SubjectResult, stage_results
from prima.evaluation.domain.runs import DeployReport, deploy_run, stage_roles
from prima.evaluation.domain.selections import (
    propose_from_ranking,
    propose_selection,
    rank_results,
    threshold_selection,
    tie_breakers_of,
)
from prima.evaluation.enums import EditionState, SelectionKind, StageStatus
from prima.evaluation.models import (
    Appointment,
    Assignment,
    AssignmentRun,
    Edition,
    SelectionRun,
    Stage,
    Subject,
)
from prima.kipp.domain.rules import EditionRules, Tier, build_rules, validate_rules
from prima.kipp.domain.transitions import move
from prima.kipp.enums import ProposalState
from prima.kipp.models import Proposal

S = ProposalState
DESK = EditionState.DESK_EVALUATION
PANEL = EditionState.PANEL_STAGE
FINAL = EditionState.FINAL_STAGE
REVIEW_STAGES = (DESK, PANEL, FINAL)
MAX_LISTED = 10
CENT = Decimal("0.01")
FINALIST_LEVEL = "finalist"
WINNER_LEVEL = "winner"

# Who a stage's assignment run considers: proposals waiting for the stage or in it.
STAGE_CANDIDATES: Mapping[str, tuple[str, ...]] = {
    DESK: (S.ADMIN_PASSED, S.DESK_REVIEW),
    PANEL: (S.NOMINATED, S.PANEL_REVIEW),
    FINAL: (S.CONFIRMED_FINALIST, S.PRESENTED, S.FIELD_VERIFICATION),
}
# Stages whose deployment moves proposals into review: (from, to, audit action).
REVIEW_ENTRY: Mapping[str, tuple[str, str, str]] = {
    DESK: (S.ADMIN_PASSED, S.DESK_REVIEW, "kipp.proposal.desk_review"),
    PANEL: (S.NOMINATED, S.PANEL_REVIEW, "kipp.proposal.panel_review"),
}
# Proposals out of the running once a stage's review starts (their subjects go inactive).
_NEVER_IN = (
    S.DRAFT,
    S.AT_INSTITUTION,
    S.RETURNED,
    S.SUBMITTED,
    S.ADMIN_FAILED,
    S.WITHDRAWN,
    S.DISQUALIFIED,
)
RETIRED_AT: Mapping[str, tuple[str, ...]] = {
    DESK: _NEVER_IN,
    PANEL: (*_NEVER_IN, S.ADMIN_PASSED, S.DESK_REVIEW, S.NOT_NOMINATED),
}
# Calendar entries (kipp.md §6.1) that give a stage's deadline when the stage row has none.
STAGE_CALENDAR: Mapping[str, tuple[str, ...]] = {
    DESK: ("desk_evaluation",),
    PANEL: ("panel_review",),
    FINAL: ("panel_assessment", "presentation"),
}
# Final score components scored in a stage (§13); `desk` is the stored desk score and
# `public_benefit` the mean of the public's valid ratings (`benefit.public_benefit_scores`),
# missing below `min_valid_ratings`.
COMPONENT_STAGE: Mapping[str, str] = {
    "panel_review": PANEL,
    "panel_assessment": FINAL,
    "presentation": FINAL,
}
# Proposals that reached the end of the final stage (they carry a final score).
FINAL_ON = (S.PRESENTED, S.FIELD_VERIFICATION, S.WINNER, S.FINALIST_ONLY, S.DECREED, S.AWARDED)


# --------------------------------------------------------------------------- helpers


def _require_secretariat(actor: Any) -> None:
    access = access_for(actor)
    if not (access.is_secretariat or access.is_superuser):
        raise PermissionDenied(_("Hanya Sekretariat yang dapat mencatat keputusan penilaian."))


def may_read_evaluation(person: Any, edition: Edition) -> bool:
    """Secretariat, or a national reader (analyst, viewer) who assesses nothing in the
    edition: evaluators and panelists never see other reviewers, conflicts or scores."""
    access = access_for(person)
    if access.is_secretariat or access.is_superuser:
        return True
    if not access.reads_nationally or access.person_id is None:
        return False
    return not Appointment.objects.filter(
        edition=edition, person_id=access.person_id, is_active=True
    ).exists()


def may_act(person: Any) -> bool:
    access = access_for(person)
    return access.is_secretariat or access.is_superuser


def edition_rules(edition: Edition) -> EditionRules:
    """The edition's rule set as typed rules; a broken rule set is refused by name."""
    problems = validate_rules(edition.rules)
    if problems:
        listed = "; ".join(f"{p.path}: {p.message}" for p in problems[:3])
        raise DomainError(
            _("Aturan penyelenggaraan %(edition)s tidak sah: %(problems)s")
            % {"edition": edition, "problems": listed}
        )
    return build_rules(edition.rules)


def review_stage(edition: Edition, code: str) -> Stage:
    """The edition's stage with this code (desk, panel or final stage)."""
    stage = (
        Stage.objects.select_related("edition__instrument")
        .filter(edition=edition, code=code)
        .first()
    )
    if stage is None:
        raise DomainError(
            _("Penyelenggaraan ini tidak memiliki tahap «%(stage)s».")
            % {"stage": EditionState(code).label}
        )
    return stage


def stage_candidates(stage: Stage) -> QuerySet[Subject]:
    """The subjects an assignment run of the stage considers (kipp.md §10.1 inputs)."""
    states = STAGE_CANDIDATES.get(stage.code, ())
    return Subject.objects.filter(edition_id=stage.edition_id, proposal__state__in=states).order_by(
        "pk"
    )


def _listed(items: Sequence[str]) -> str:
    text = "; ".join(items[:MAX_LISTED])
    if len(items) > MAX_LISTED:
        text += _(" dan %(n)s lainnya") % {"n": len(items) - MAX_LISTED}
    return text


def _tier(rules: EditionRules, code: str) -> Tier:
    for tier in rules.tiers:
        if tier.code == code:
            return tier
    raise DomainError(_("Tier «%(tier)s» tidak ada di aturan penyelenggaraan.") % {"tier": code})


def _finalist_tier_of_group(rules: EditionRules, group: str) -> str | None:
    for tier in rules.tiers:
        if tier.level == FINALIST_LEVEL and group in tier.groups:
            return tier.code
    return None


def _codes(value: Iterable[Any]) -> list[str]:
    """Tier codes held in `Proposal.tiers` (codes, or `{"code": ...}` items)."""
    codes: list[str] = []
    for item in value or []:
        code = item.get("code") if isinstance(item, Mapping) else item
        if code and str(code) not in codes:
            codes.append(str(code))
    return codes


def _adopted(run: SelectionRun, edition: Edition, stage_code: str, what: str) -> None:
    if run.kind != SelectionKind.ADOPTED:
        raise DomainError(
            _("%(what)s memerlukan daftar yang sudah ditetapkan pleno, bukan usulan sistem.")
            % {"what": what}
        )
    if run.stage.edition_id != edition.pk or run.stage.code != stage_code:
        raise DomainError(
            _("Seleksi ini bukan milik tahap «%(stage)s» penyelenggaraan %(edition)s.")
            % {"stage": EditionState(stage_code).label, "edition": edition}
        )


def incomplete_reviews(results: Iterable[SubjectResult]) -> list[str]:
    """Subjects whose reviews are not all final or excused, with the reviewers pending.

    A subject nobody reviewed (every assignment removed) is incomplete too.
    """
    found: list[str] = []
    for result in results:
        if result.pending:
            names = ", ".join(r.name for r in result.pending)
            found.append(
                _("«%(title)s» menunggu %(names)s") % {"title": result.title, "names": names}
            )
        elif result.finalised == 0 and result.consolidated is None:
            found.append(_("«%(title)s» belum dinilai siapa pun") % {"title": result.title})
    return found


def _require_complete(stage: Stage, results: Sequence[SubjectResult]) -> None:
    pending = incomplete_reviews(results)
    if pending:
        raise DomainError(
            _(
                "Keputusan belum dapat dicatat: %(n)s proposal pada tahap «%(stage)s» masih "
                "memiliki lembar nilai yang belum final atau dibebaskan: %(list)s."
            )
            % {"n": len(pending), "stage": stage.get_code_display(), "list": _listed(pending)}
        )


def _mail_secretariat(edition: Edition, *, step: str, counts: Mapping[str, int], ref: str) -> None:
    mail_on_commit(
        subject=in_indonesian("Keputusan penilaian dicatat: %(step)s") % {"step": step},
        template="kipp/email/evaluation_decision_recorded.txt",
        context={
            "edition": edition,
            "step": step,
            "counts": dict(counts),
            "minutes_ref": ref,
            "link": site_url(reverse("kipp_evaluation_hub", args=[edition.code])),
        },
        bcc=secretariat_emails(),
    )


# --------------------------------------------------------------------------- review entry


@dataclass(frozen=True)
class ReviewStart:
    """What letting proposals into a stage's review changed."""

    moved: int
    # Proposals still waiting for the stage without any assignment (they stay active).
    waiting: list[str] = field(default_factory=list)
    deactivated: int = 0


def _enter_review(stage: Stage, *, actor: Any) -> ReviewStart:
    """Move the proposals with a live assignment in the stage into its review; the subjects
    of proposals out of the running (`RETIRED_AT`) become inactive. Runs inside the
    caller's atomic."""
    from_state, to_state, action = REVIEW_ENTRY[stage.code]
    assigned = Assignment.objects.filter(stage=stage).values("subject_id")
    entering = list(
        Proposal.objects.select_for_update(of=("self",))
        .filter(edition_id=stage.edition_id, state=from_state, subject_id__in=assigned)
        .order_by("pk")
    )
    reason = _("Penugasan tahap «%(stage)s» diterapkan.") % {"stage": stage.get_code_display()}
    for proposal in entering:
        move(
            proposal,
            to_state,
            actor=actor,
            allowed_from=(from_state,),
            reason=reason,
            action=action,
        )
    waiting = list(
        Proposal.objects.filter(edition_id=stage.edition_id, state=from_state)
        .exclude(subject_id__in=assigned)
        .order_by("title")
        .values_list("title", flat=True)
    )
    deactivated = Subject.objects.filter(
        edition_id=stage.edition_id, is_active=True, proposal__state__in=RETIRED_AT[stage.code]
    ).update(is_active=False)
    audit.record(
        actor=actor,
        action="kipp.evaluation.review_start",
        obj=stage,
        after={"moved": len(entering), "waiting": len(waiting), "deactivated": deactivated},
    )
    return ReviewStart(moved=len(entering), waiting=waiting, deactivated=deactivated)


def _start_review(edition: Edition, code: str, *, actor: Any) -> ReviewStart:
    _require_secretariat(actor)
    stage = review_stage(edition, code)
    if stage.status != StageStatus.OPEN:
        raise DomainError(
            _("Tahap «%(stage)s» tidak sedang berjalan.") % {"stage": stage.get_code_display()}
        )
    if not AssignmentRun.objects.filter(stage=stage, deployed_at__isnull=False).exists():
        raise DomainError(
            _("Belum ada proses penugasan yang diterapkan pada tahap «%(stage)s».")
            % {"stage": stage.get_code_display()}
        )
    with transaction.atomic():
        Edition.objects.select_for_update(of=("self",)).get(pk=edition.pk)
        return _enter_review(stage, actor=actor)


def start_desk_review(edition: Edition, *, actor: Any) -> ReviewStart:
    """#7: `admin_passed` proposals with a deployed desk assignment → `desk_review`.

    The subjects of proposals that failed, were never submitted or were withdrawn become
    inactive, so later runs and selections leave it out. Proposals that passed but have
    no assignment yet stay `admin_passed` and active, and are listed.
    """
    return _start_review(edition, DESK, actor=actor)


def start_panel_review(edition: Edition, *, actor: Any) -> ReviewStart:
    """#9, first half: nominees with a deployed panel assignment → `panel_review`."""
    return _start_review(edition, PANEL, actor=actor)


# --------------------------------------------------------------------------- deployment


@dataclass(frozen=True)
class DeployOutcome:
    report: DeployReport
    review: ReviewStart | None
    notified: int


def stage_deadline(stage: Stage) -> Any:
    """The stage's end: the stage row's, else the edition calendar's (None if neither)."""
    if stage.ends_at is not None:
        return stage.ends_at
    try:
        rules = edition_rules(stage.edition)
    except DomainError:
        return None
    for name in STAGE_CALENDAR.get(stage.code, ()):
        window = rules.calendar.window(name)
        if window is not None:
            return window.end
    return None


def _mail_assessors(stage: Stage) -> int:
    """E-mail every assessor with live assignments in the stage their count and deadline."""
    counts = dict(
        Assignment.objects.filter(stage=stage, is_excused=False)
        .values("appointment_id")
        .annotate(n=Count("pk"))
        .values_list("appointment_id", "n")
    )
    appointments = (
        Appointment.objects.filter(pk__in=counts, role__in=stage_roles(stage), is_active=True)
        .select_related("person")
        .order_by("pk")
    )
    deadline = stage_deadline(stage)
    link = site_url(reverse("kipp_assessor_todo", args=[stage.edition.code]))
    sent = 0
    for appointment in appointments:
        if not appointment.person.email:
            continue
        mail_on_commit(
            subject=in_indonesian("Penugasan penilaian %(edition)s")
            % {"edition": stage.edition.title},
            template="kipp/email/evaluation_assignment_deployed.txt",
            context={
                "person": appointment.person,
                "stage": stage,
                "edition": stage.edition,
                "count": counts[appointment.pk],
                "deadline": deadline,
                "link": link,
                "ready": appointment.is_ready,
            },
            to=[appointment.person.email],
        )
        sent += 1
    return sent


def deploy_assignments(run: AssignmentRun, *, actor: Any) -> DeployOutcome:
    """Deploy a run (`runs.deploy_run`), let its proposals enter review and notify assessors.

    All in one transaction: the e-mails go out only once everything committed.
    """
    _require_secretariat(actor)
    with transaction.atomic():
        report = deploy_run(run, actor=actor)
        stage = Stage.objects.select_related("edition").get(pk=run.stage_id)
        review = _enter_review(stage, actor=actor) if stage.code in REVIEW_ENTRY else None
        notified = _mail_assessors(stage)
    return DeployOutcome(report=report, review=review, notified=notified)


# --------------------------------------------------------------------------- proposals


NOMINATION_TIER = "nominasi"


def nomination_tier(group: str | None = None) -> str:
    """The tier code of a nomination run: one run, or one per group in `top_n` mode."""
    return f"{NOMINATION_TIER}_{group}" if group else NOMINATION_TIER


def _subjects_in(
    edition: Edition, state: str, groups: Iterable[str] | None = None
) -> list[Subject]:
    qs = Subject.objects.filter(edition=edition, proposal__state=state)
    if groups is not None:
        qs = qs.filter(group__in=list(groups))
    return list(qs.order_by("pk"))


def propose_nomination(edition: Edition, *, actor: Any) -> list[SelectionRun]:
    """§10.5: the system's nomination proposal from the desk results, per the rules.

    `threshold`: one run of every `desk_review` proposal at or above the passing grade.
    `top_n`: one run per group with `n[group]`, ties at the cut-off flagged for the plenary.
    """
    _require_secretariat(actor)
    rules = edition_rules(edition)
    desk = rules.desk_evaluation
    stage = review_stage(edition, DESK)
    use_normalised = desk.normalisation.use_for_decisions
    if desk.selection.mode == "threshold":
        grade = desk.selection.passing_grade
        if grade is None:
            raise DomainError(_("Aturan seleksi ambang batas tidak memuat nilai batas lulus."))
        candidates = _subjects_in(edition, S.DESK_REVIEW)
        if not candidates:
            raise DomainError(_("Tidak ada proposal dalam penilaian Tim Evaluasi."))
        return [
            threshold_selection(
                stage,
                grade,
                tier=nomination_tier(),
                candidates=candidates,
                use_normalised=use_normalised,
                actor=actor,
            )
        ]
    runs: list[SelectionRun] = []
    for group, n in desk.selection.n.items():
        candidates = _subjects_in(edition, S.DESK_REVIEW, [group])
        if not candidates or n < 1:
            continue
        runs.append(
            propose_selection(
                stage,
                nomination_tier(group),
                n=n,
                constraints=[],
                candidates=candidates,
                use_normalised=use_normalised,
                actor=actor,
            )
        )
    if not runs:
        raise DomainError(_("Tidak ada proposal dalam penilaian Tim Evaluasi untuk diusulkan."))
    return runs


def composition_for(rules: EditionRules, edition: Edition, tier: str) -> list[dict[str, Any]]:
    """The composition constraints (as configured) that apply to a tier, else none."""
    if rules.composition is None or tier not in rules.composition.applies_to:
        return []
    block = edition.rules.get("composition") or {}
    return [dict(c) for c in block.get("constraints") or []]


def propose_finalists(edition: Edition, tier: str, *, actor: Any) -> SelectionRun:
    """§11.2: the Top-N proposal of one sized finalist tier under its composition."""
    _require_secretariat(actor)
    rules = edition_rules(edition)
    if rules.finalists.mode != "top_n" or tier not in rules.finalists.tiers:
        raise DomainError(
            _("Tier «%(tier)s» tidak dipilih dengan Top-N pada penyelenggaraan ini.")
            % {"tier": tier}
        )
    found = _tier(rules, tier)
    if found.size is None:
        raise DomainError(_("Tier «%(tier)s» tidak memiliki ukuran.") % {"tier": tier})
    from_state, stage_code = finalist_source(rules)
    candidates = _subjects_in(edition, from_state, found.groups)
    if not candidates:
        raise DomainError(
            _("Tidak ada proposal berstatus «%(state)s» untuk tier %(tier)s.")
            % {"state": S(from_state).label, "tier": tier}
        )
    return propose_selection(
        review_stage(edition, stage_code),
        tier,
        n=found.size,
        constraints=composition_for(rules, edition, tier),
        candidates=candidates,
        use_normalised=rules.desk_evaluation.normalisation.use_for_decisions,
        actor=actor,
    )


# --------------------------------------------------------------------------- nomination


@dataclass(frozen=True)
class Decision:
    """Subject ids that passed and that did not, in one decision."""

    passed: list[int]
    failed: list[int]


def _scope_groups(run: SelectionRun) -> set[str]:
    ids = [int(item["subject"]) for item in run.ranking]
    return set(Subject.objects.filter(pk__in=ids).values_list("group", flat=True))


def nominate(edition: Edition, *, run: SelectionRun, actor: Any) -> Decision:
    """#8: the TE plenary's adopted list → `nominated`, the rest → `not_nominated`.

    The run covers the groups of its ranking (one run for a threshold, or one per group in
    `top_n` mode); every `desk_review` proposal of those groups is decided. Refused while
    any of them has a sheet that is neither final nor excused (the message lists them).
    Each proposal's decision score (consolidated, else official) becomes its `desk_score`.
    """
    _require_secretariat(actor)
    _adopted(run, edition, DESK, _("Nominasi"))
    groups = _scope_groups(run)
    if not groups:
        raise DomainError(_("Seleksi ini tidak memuat satu proposal pun."))
    scope = list(
        Proposal.objects.filter(edition=edition, state=S.DESK_REVIEW, group__in=groups)
        .select_related("subject")
        .order_by("pk")
    )
    if not scope:
        raise DomainError(_("Tidak ada proposal dalam penilaian Tim Evaluasi untuk diputuskan."))
    stage = review_stage(edition, DESK)
    results = {r.subject_id: r for r in stage_results(stage, subjects=[p.subject for p in scope])}
    _require_complete(stage, list(results.values()))
    return _decide(
        edition,
        run=run,
        scope=scope,
        selected=set(run.selected_ids),
        passed_state=S.NOMINATED,
        failed_state=S.NOT_NOMINATED,
        allowed_from=(S.DESK_REVIEW,),
        action="kipp.proposal.nominate",
        step=in_indonesian("Nominasi (pleno Tim Evaluasi)"),
        desk_scores={
            pk: r.score_for(use_normalised=run.use_normalised) for pk, r in results.items()
        },
        actor=actor,
    )


def _decide(
    edition: Edition,
    *,
    run: SelectionRun | None,
    scope: Sequence[Proposal],
    selected: set[int],
    passed_state: str,
    failed_state: str,
    allowed_from: tuple[str, ...],
    action: str,
    step: str,
    actor: Any,
    desk_scores: Mapping[int, Decimal | None] | None = None,
    tier: str | None = None,
) -> Decision:
    """Split `scope` by `selected` subject ids and move both halves, atomically."""
    in_scope = {p.subject_id for p in scope}
    outside = sorted(selected - in_scope)
    if outside:
        titles = list(Subject.objects.filter(pk__in=outside).values_list("title", flat=True))
        raise DomainError(
            _("Daftar memuat proposal yang tidak sedang menunggu keputusan ini: %(list)s.")
            % {"list": _listed([f"«{t}»" for t in titles])}
        )
    minutes = run.minutes_ref if run is not None else ""
    reason = _("Pleno, notulen %(ref)s.") % {"ref": minutes} if minutes else _("Keputusan pleno.")
    passed: list[int] = []
    failed: list[int] = []
    with transaction.atomic():
        Edition.objects.select_for_update(of=("self",)).get(pk=edition.pk)
        locked = list(
            Proposal.objects.select_for_update(of=("self",))
            .filter(pk__in=[p.pk for p in scope])
            .order_by("pk")
        )
        for proposal in locked:
            extra: list[str] = []
            if desk_scores is not None:
                proposal.desk_score = desk_scores.get(proposal.subject_id)
                extra.append("desk_score")
            chosen = proposal.subject_id in selected
            if chosen and tier:
                codes = _codes(proposal.tiers)
                if tier not in codes:
                    codes.append(tier)
                proposal.tiers = codes
                extra.append("tiers")
            move(
                proposal,
                passed_state if chosen else failed_state,
                actor=actor,
                allowed_from=allowed_from,
                reason=reason,
                action=action,
                extra_fields=extra,
            )
            (passed if chosen else failed).append(proposal.subject_id)
        Subject.objects.filter(pk__in=failed).update(is_active=False)
        audit.record(
            actor=actor,
            action=f"kipp.evaluation.{passed_state}",
            obj=run if run is not None else edition,
            after={
                "passed": passed,
                "failed": failed,
                "tier": tier,
                "minutes_ref": minutes,
            },
            reason=reason,
        )
        _mail_secretariat(
            edition,
            step=step,
            counts={"passed": len(passed), "failed": len(failed)},
            ref=minutes,
        )
    return Decision(passed=passed, failed=failed)


# --------------------------------------------------------------------------- finalists


def finalist_source(rules: EditionRules) -> tuple[str, str]:
    """(state the candidates are in, stage whose results rank them) for #9."""
    if rules.panel_review.enabled:
        return S.PANEL_REVIEW, PANEL
    return S.NOMINATED, DESK


def decide_finalists(edition: Edition, *, run: SelectionRun | None = None, actor: Any) -> Decision:
    """#9: nominees (after the panel review when enabled) → `finalist` / `not_finalist`.

    `finalists.mode: top_n`: `run` is the adopted list of one finalist tier; that tier's
    groups are decided and the tier code is added to each finalist's `tiers`.
    `all_passing` (2025): every nominee becomes a finalist of `finalists.tier`, unless an
    adopted `run` narrows the list. With the panel review enabled, every panel sheet of the
    decided proposals must be final or excused.
    """
    _require_secretariat(actor)
    rules = edition_rules(edition)
    from_state, stage_code = finalist_source(rules)
    mode = rules.finalists.mode
    if run is None:
        if mode != "all_passing":
            raise DomainError(
                _("Penetapan finalis memerlukan daftar yang ditetapkan pleno untuk satu tier.")
            )
        tier = _tier(rules, rules.finalists.tiers[0])
    else:
        _adopted(run, edition, stage_code, _("Penetapan finalis"))
        if run.tier not in rules.finalists.tiers:
            raise DomainError(
                _("Tier «%(tier)s» bukan tier finalis penyelenggaraan ini (%(known)s).")
                % {"tier": run.tier, "known": ", ".join(rules.finalists.tiers)}
            )
        tier = _tier(rules, run.tier)
    scope = list(
        Proposal.objects.filter(edition=edition, state=from_state, group__in=tier.groups)
        .select_related("subject")
        .order_by("pk")
    )
    if not scope:
        raise DomainError(
            _("Tidak ada proposal berstatus «%(state)s» untuk tier %(tier)s.")
            % {"state": S(from_state).label, "tier": tier.code}
        )
    if stage_code == PANEL:
        stage = review_stage(edition, PANEL)
        _require_complete(stage, stage_results(stage, subjects=[p.subject for p in scope]))
    selected = set(run.selected_ids) if run is not None else {p.subject_id for p in scope}
    return _decide(
        edition,
        run=run,
        scope=scope,
        selected=selected,
        passed_state=S.FINALIST,
        failed_state=S.NOT_FINALIST,
        allowed_from=(from_state,),
        action="kipp.proposal.finalist",
        step=in_indonesian("Penetapan finalis"),
        tier=tier.code,
        actor=actor,
    )


# --------------------------------------------------------------------------- final stage


def final_stage_results(
    edition: Edition, proposals: Sequence[Proposal]
) -> dict[int, SubjectResult]:
    """Proposal id → its final-stage result (empty when the edition has no final stage)."""
    stage = (
        Stage.objects.select_related("edition__instrument")
        .filter(edition=edition, code=FINAL)
        .exclude(status=StageStatus.SKIPPED)
        .first()
    )
    if stage is None or not proposals:
        return {}
    by_subject = {
        r.subject_id: r for r in stage_results(stage, subjects=[p.subject for p in proposals])
    }
    return {p.pk: by_subject[p.subject_id] for p in proposals if p.subject_id in by_subject}


def final_stage_result(proposal: Proposal) -> SubjectResult | None:
    """The proposal's result in the final stage (None when the edition has no final stage)."""
    return final_stage_results(proposal.edition, [proposal]).get(proposal.pk)


def mark_presented(proposal: Proposal, *, actor: Any) -> Proposal:
    """#11: a confirmed finalist → `presented` once its final-stage sheets are all final
    (or excused) and at least one is final."""
    _require_secretariat(actor)
    if proposal.state != S.CONFIRMED_FINALIST:
        raise DomainError(
            _("Hanya finalis terkonfirmasi yang dapat ditandai sudah dinilai; status kini «%(s)s».")
            % {"s": proposal.get_state_display()}
        )
    result = final_stage_result(proposal)
    if result is None:
        raise DomainError(_("Penyelenggaraan ini tidak memiliki tahap presentasi/penilaian akhir."))
    pending = incomplete_reviews([result])
    if pending:
        raise DomainError(
            _("Penilaian akhir belum selesai: %(list)s.") % {"list": _listed(pending)}
        )
    with transaction.atomic():
        locked = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
        move(
            locked,
            S.PRESENTED,
            actor=actor,
            allowed_from=(S.CONFIRMED_FINALIST,),
            reason=_("Lembar penilaian akhir sudah final."),
            action="kipp.proposal.presented",
        )
    proposal.refresh_from_db()
    return proposal


def combine_components(
    weights: Mapping[str, Decimal],
    scores: Mapping[str, Decimal | None],
    *,
    missing: str = "redistribute",
) -> tuple[Decimal | None, dict[str, Decimal]]:
    """§13: `Σ weight · score`, rounded ROUND_HALF_UP to 2 decimals, and the weights used.

    With `redistribute` a missing component's weight is spread over the present ones in
    proportion (0.6/0.3/0.1 with the last missing → 2/3, 1/3); otherwise a missing
    component counts as 0. None when no component is present. Pure.
    """
    present = {name: scores[name] for name in weights if scores.get(name) is not None}
    if not present:
        return None, {}
    with localcontext() as context:
        context.prec = 34
        if missing == "redistribute":
            total = sum((weights[name] for name in present), start=Decimal(0))
            used = {name: weights[name] / total for name in present}
        else:
            used = dict(weights)
        value = sum(
            (used[name] * (present.get(name) or Decimal(0)) for name in used),
            start=Decimal(0),
        )
    return value.quantize(CENT, rounding=ROUND_HALF_UP), used


@dataclass(frozen=True)
class FinalScoreRow:
    proposal: Proposal
    components: Mapping[str, Decimal | None]
    weights: Mapping[str, Decimal]  # the weights actually used (after redistribution)
    score: Decimal | None


def final_score_rows(edition: Edition, *, states: Sequence[str] = FINAL_ON) -> list[FinalScoreRow]:
    """Each finalist's components and final score (§13), best first; constant queries."""
    rules = edition_rules(edition)
    weights = dict(rules.final_score.components)
    proposals = list(
        Proposal.objects.filter(edition=edition, state__in=states)
        .select_related("subject", "institution")
        .order_by("pk")
    )
    subjects = [p.subject for p in proposals]
    by_stage: dict[str, dict[int, SubjectResult]] = {}
    for code in {COMPONENT_STAGE[n] for n in weights if n in COMPONENT_STAGE} | {DESK}:
        stage = (
            Stage.objects.select_related("edition__instrument")
            .filter(edition=edition, code=code)
            .first()
        )
        if stage is None or stage.status == StageStatus.SKIPPED or not subjects:
            by_stage[code] = {}
            continue
        by_stage[code] = {r.subject_id: r for r in stage_results(stage, subjects=subjects)}
    public: Mapping[int, Decimal] = {}
    if "public_benefit" in weights and proposals:
        # benefit.py builds on this module's rule helpers, hence the local import.
        from prima.kipp.domain.benefit import public_benefit_scores

        public = public_benefit_scores(edition)
    rows: list[FinalScoreRow] = []
    for proposal in proposals:
        components: dict[str, Decimal | None] = {}
        for name in weights:
            if name == "desk":
                desk = by_stage[DESK].get(proposal.subject_id)
                components[name] = (
                    proposal.desk_score
                    if proposal.desk_score is not None
                    else (desk.decision_score if desk else None)
                )
            elif name in COMPONENT_STAGE:
                result = by_stage[COMPONENT_STAGE[name]].get(proposal.subject_id)
                components[name] = result.decision_score if result else None
            elif name == "public_benefit":
                components[name] = public.get(proposal.pk)
            else:
                components[name] = None
        score, used = combine_components(
            weights, components, missing=rules.final_score.missing_component
        )
        rows.append(FinalScoreRow(proposal, components, used, score))
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.proposal.pk))
    return rows


def final_scores(edition: Edition) -> dict[int, Decimal]:
    """Subject id → final score (§13) of every proposal that finished the final stage."""
    return {
        row.proposal.subject_id: row.score
        for row in final_score_rows(edition)
        if row.score is not None
    }


def propose_winners(edition: Edition, tier: str, *, actor: Any) -> SelectionRun:
    """§13 + §11.2: the Top-N proposal of one winner tier, ranked by the final score.

    Candidates are the tier's groups' `presented` finalists; ties on the final score are
    broken by the edition's tie breakers (desk section means, replications, submission).
    The engine's ranking (`rank_results`) and composition engine (`selection.select`) do
    the work; the run is stored in the shape `adopt_selection` re-checks.
    """
    _require_secretariat(actor)
    rules = edition_rules(edition)
    found = _tier(rules, tier)
    if found.level != WINNER_LEVEL or found.size is None:
        raise DomainError(
            _("Tier «%(tier)s» bukan tier pemenang berukuran.") % {"tier": tier}, field="tier"
        )
    stage = Stage.objects.select_related("edition__instrument").filter(
        edition=edition, code=FINAL
    ).exclude(status=StageStatus.SKIPPED).first() or review_stage(edition, DESK)
    if not stage.decisions_open or stage.status not in (StageStatus.OPEN, StageStatus.CLOSED):
        raise DomainError(
            _("Tahap «%(stage)s» tidak membuka keputusan seleksi.")
            % {"stage": stage.get_code_display()}
        )
    rows = [
        row
        for row in final_score_rows(edition, states=(S.PRESENTED,))
        if row.proposal.group in found.groups and row.score is not None
    ]
    if not rows:
        raise DomainError(
            _("Belum ada finalis bernilai akhir untuk tier %(tier)s.") % {"tier": tier}
        )
    subjects = {row.proposal.subject_id: row.proposal.subject for row in rows}
    desk = {
        r.subject_id: r
        for r in stage_results(review_stage(edition, DESK), subjects=list(subjects.values()))
    }
    results = [
        SubjectResult(
            subject_id=row.proposal.subject_id,
            title=row.proposal.subject.title,
            group=row.proposal.subject.group,
            category=row.proposal.subject.category,
            method="final_score",
            official=row.score,
            section_means=(
                desk[row.proposal.subject_id].section_means
                if row.proposal.subject_id in desk
                else {}
            ),
        )
        for row in rows
    ]
    try:
        ranked = rank_results(results, tie_breakers_of(stage), cutoff=found.size)
    except ValueError as error:
        raise DomainError(str(error), field="tie_breakers") from error
    return propose_from_ranking(
        stage,
        tier,
        ranked=ranked,
        subjects=subjects,
        n=found.size,
        constraints=composition_for(rules, edition, tier),
        instrument_hash=edition.instrument.content_hash,
        ranked_by="final_score",
        actor=actor,
    )


def decide_winners(
    edition: Edition, *, runs_by_tier: Mapping[str, SelectionRun], actor: Any
) -> Decision:
    """#13: the final plenary's adopted list per winner tier → `winner`, others →
    `finalist_only`; every decided proposal stores its final score.

    A winner gets its tier appended to `tiers` and keeps its finalist tier (added from
    the rules when missing). Every winner tier whose groups have a presented proposal
    needs an adopted run; a proposal may win one tier only; nobody may still be in field
    verification.
    """
    _require_secretariat(actor)
    rules = edition_rules(edition)
    winner_tiers = {t.code: t for t in rules.tiers if t.level == WINNER_LEVEL}
    if Proposal.objects.filter(edition=edition, state=S.FIELD_VERIFICATION).exists():
        raise DomainError(
            _("Masih ada finalis dalam verifikasi lapangan; selesaikan dulu verifikasinya.")
        )
    presented = list(
        Proposal.objects.filter(edition=edition, state=S.PRESENTED)
        .select_related("subject")
        .order_by("pk")
    )
    if not presented:
        raise DomainError(_("Belum ada finalis yang selesai dinilai pada tahap akhir."))
    groups = {p.group for p in presented}
    needed = [c for c, t in winner_tiers.items() if groups & set(t.groups)]
    missing = [c for c in needed if c not in runs_by_tier]
    if missing:
        raise DomainError(
            _("Daftar pemenang yang ditetapkan pleno belum ada untuk tier: %(tiers)s.")
            % {"tiers": ", ".join(missing)}
        )
    by_subject = {p.subject_id: p for p in presented}
    winner_of: dict[int, str] = {}
    for code, run in runs_by_tier.items():
        if code not in winner_tiers:
            raise DomainError(
                _("Tier «%(tier)s» bukan tier pemenang penyelenggaraan ini.") % {"tier": code}
            )
        _adopted(run, edition, run.stage.code, _("Penetapan pemenang"))
        if run.tier != code:
            raise DomainError(
                _("Seleksi #%(id)s untuk tier «%(run)s», bukan «%(tier)s».")
                % {"id": run.pk, "run": run.tier, "tier": code}
            )
        for subject_id in run.selected_ids:
            proposal = by_subject.get(subject_id)
            if proposal is None or proposal.group not in winner_tiers[code].groups:
                title = Subject.objects.filter(pk=subject_id).values_list("title", flat=True)
                raise DomainError(
                    _("«%(title)s» tidak dapat menjadi pemenang tier %(tier)s.")
                    % {"title": title.first() or subject_id, "tier": code}
                )
            if subject_id in winner_of:
                raise DomainError(
                    _("«%(title)s» terpilih pada dua tier (%(a)s dan %(b)s).")
                    % {"title": proposal.title, "a": winner_of[subject_id], "b": code}
                )
            winner_of[subject_id] = code
    scores = final_scores(edition)
    minutes = sorted({run.minutes_ref for run in runs_by_tier.values() if run.minutes_ref})
    reason = _("Pleno akhir, notulen %(ref)s.") % {"ref": ", ".join(minutes)}
    passed: list[int] = []
    failed: list[int] = []
    with transaction.atomic():
        Edition.objects.select_for_update(of=("self",)).get(pk=edition.pk)
        locked = list(
            Proposal.objects.select_for_update(of=("self",))
            .filter(pk__in=[p.pk for p in presented])
            .order_by("pk")
        )
        for proposal in locked:
            codes = _codes(proposal.tiers)
            finalist = _finalist_tier_of_group(rules, proposal.group)
            if finalist and not any(_tier_level(rules, c) == FINALIST_LEVEL for c in codes):
                codes.insert(0, finalist)
            won = winner_of.get(proposal.subject_id)
            if won and won not in codes:
                codes.append(won)
            proposal.tiers = codes
            proposal.final_score = scores.get(proposal.subject_id)
            move(
                proposal,
                S.WINNER if won else S.FINALIST_ONLY,
                actor=actor,
                allowed_from=(S.PRESENTED,),
                reason=reason,
                action="kipp.proposal.winner",
                extra_fields=("tiers", "final_score"),
            )
            (passed if won else failed).append(proposal.subject_id)
        audit.record(
            actor=actor,
            action="kipp.evaluation.winner",
            obj=edition,
            after={
                "winners": {str(k): v for k, v in winner_of.items()},
                "finalist_only": failed,
                "runs": {code: run.pk for code, run in runs_by_tier.items()},
                "final_scores": {str(k): str(v) for k, v in scores.items()},
            },
            reason=reason,
        )
        _mail_secretariat(
            edition,
            step=in_indonesian("Penetapan pemenang (pleno akhir)"),
            counts={"passed": len(passed), "failed": len(failed)},
            ref=", ".join(minutes),
        )
    return Decision(passed=passed, failed=failed)


def _tier_level(rules: EditionRules, code: str) -> str | None:
    for tier in rules.tiers:
        if tier.code == code:
            return tier.level
    return None
