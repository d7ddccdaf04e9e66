"""Final ranking and award proposals (pkri.md §7.4, §7.5).

:func:`compute_rankings` ranks every group and proposes its awards to the awards app:

- **Coaching** (`award_slots` per institution kind): final score = desk score; ranked
  within institution kind with H1's `rank_within_kind` — the top `award_slots[kind]`
  loci scoring at least `min_final_score` are proposed; ties are broken by the
  indicator levels named in `tie_breakers` (P8, P7, P1). The levels are the **consolidated
  levels** of the desk evaluation: for each indicator, the mean of the evaluators' final
  levels (sheet value / 25), rounded half up; an indicator nobody scored falls back to
  the form's suggested level. A tie that remains is flagged `tie_at_cutoff`.
- **Object groups** (`awards`): the interviewed forms ranked by final score across the
  whole group with `rank_group`; the first `awards` are proposed.

`rank` and `tie_at_cutoff` are stored on each form (coaching forms become `ranked`);
the awarded entries go to `propose_awards` of each group's category, which replaces
the category's earlier proposal. The edition moves from `interviews` to `plenary`; in
the plenary the ranking may be recomputed (e.g. after a corrected score) and proposed
again. The plenary's overrides go through the awards app.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.domain import audit
from prima.core.domain.errors import DomainError
from prima.evaluation.domain.results import stage_results
from prima.evaluation.domain.stages import advance_edition
from prima.evaluation.enums import EditionState, StageStatus
from prima.evaluation.models import Edition, Stage
from prima.pkri.domain.config import GroupRules, PkriRules, rules_for
from prima.pkri.domain.decisions import (
    category_of_group,
    kind_of_group,
    lock_edition,
    require_state,
)
from prima.pkri.domain.editions import require_secretariat
from prima.pkri.domain.ranking import Entry, RankedEntry, rank_group, rank_within_kind
from prima.pkri.enums import FormState
from prima.pkri.models import SelfAssessment

E = EditionState
F = FormState


@dataclass(frozen=True)
class GroupRanking:
    group: str
    ranked: tuple[RankedEntry, ...]
    proposed: int
    category: str = ""


@dataclass(frozen=True)
class RankingReport:
    groups: Mapping[str, GroupRanking] = field(default_factory=dict)


def consolidated_levels(
    section_means: Mapping[str, Decimal],
    suggested: Mapping[str, Any] | None,
    points_per_level: int = 25,
) -> dict[str, int]:
    """Indicator → level: the evaluators' mean level rounded half up, else the suggestion."""
    levels: dict[str, int] = {}
    for code, value in (suggested or {}).items():
        if isinstance(value, int) and not isinstance(value, bool):
            levels[str(code)] = value
    step = Decimal(points_per_level)
    for code, mean in section_means.items():
        levels[code] = int((mean / step).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return levels


def _ranked_forms(edition: Edition, code: str, group: GroupRules) -> list[SelfAssessment]:
    states = (F.INTERVIEWED,) if group.interview else (F.DESK_EVALUATED, F.RANKED)
    return list(
        SelfAssessment.objects.select_for_update(of=("self",))
        .filter(edition=edition, kind=kind_of_group(code), state__in=states)
        .select_related("locus__institution", "object__innovation", "object__unit")
        .order_by("pk")
    )


def _desk_levels(edition: Edition, forms: Sequence[SelfAssessment], rules: PkriRules) -> dict:
    """Form id → consolidated levels (one `stage_results` call for all forms)."""
    stage = Stage.objects.filter(edition=edition, code=E.DESK_EVALUATION).first()
    subject_ids = [f.subject_id for f in forms if f.subject_id is not None]
    means: dict[int, Mapping[str, Decimal]] = {}
    if stage is not None and subject_ids:
        means = {r.subject_id: r.section_means for r in stage_results(stage, subjects=subject_ids)}
    return {
        f.pk: consolidated_levels(
            means.get(f.subject_id, {}) if f.subject_id else {},
            f.suggested_levels,
            rules.points_per_level,
        )
        for f in forms
    }


def rank_forms(
    edition: Edition, code: str, rules: PkriRules, forms: list[SelfAssessment]
) -> list[RankedEntry]:
    """The group's ranking (pure over the given rows; sets `final_score` of desk-only forms)."""
    group = rules.group(code)
    if not group.interview:
        for form in forms:
            form.final_score = form.desk_score
    scored = [(f, f.final_score) for f in forms if f.final_score is not None]
    if group.award_slots:
        levels = _desk_levels(edition, [f for f, _score in scored], rules)
        entries = [
            Entry(id=f.pk, score=score, kind=f.locus.institution.kind, levels=levels[f.pk])
            for f, score in scored
        ]
        return rank_within_kind(
            entries,
            slots=group.award_slots,
            min_score=group.min_final_score,
            tie_breakers=group.tie_breakers,
        )
    entries = [Entry(id=f.pk, score=score) for f, score in scored]
    return rank_group(entries, awards=group.awards or 0)


def _proposals(forms: Mapping[int, SelfAssessment], ranked: Sequence[RankedEntry]) -> list[Any]:
    from prima.awards.domain.proposals import ProposedRecipient

    proposals = []
    for entry in ranked:
        if not entry.awarded:
            continue
        form = forms[entry.id]
        obj = form.object
        proposals.append(
            ProposedRecipient(
                institution_id=form.locus.institution_id,
                innovation_id=obj.innovation_id if obj is not None else None,
                unit_id=obj.unit_id if obj is not None else None,
                stratum=entry.kind,
                rank=entry.rank,
                score=form.final_score,
            )
        )
    return proposals


def compute_rankings(edition: Edition, *, actor: Any) -> RankingReport:
    """Rank every group, store ranks and ties, and propose the awards (see module doc).

    Allowed once the interviews stage is closed (:func:`close_interviews`), and again
    during the plenary. Refused when a group has no award category.
    """
    from prima.awards.domain.proposals import propose_awards

    require_secretariat(actor, _("Hanya Sekretariat yang dapat menyusun peringkat."))
    require_state(edition, (E.INTERVIEWS, E.PLENARY), _("Penyusunan peringkat"))
    rules = rules_for(edition)
    report: dict[str, GroupRanking] = {}
    with transaction.atomic():
        locked = lock_edition(edition)
        if locked.state == E.INTERVIEWS:
            stage = Stage.objects.filter(edition=locked, code=E.INTERVIEWS).first()
            if stage is not None and stage.status == StageStatus.OPEN:
                raise DomainError(
                    _("Tutup wawancara terlebih dahulu agar nilai wawancara tersimpan.")
                )
        for code in rules.groups:
            category = category_of_group(locked, code)
            if category is None:
                raise DomainError(
                    _("Kelompok «%(group)s» belum memiliki kategori penghargaan.") % {"group": code}
                )
            group = rules.group(code)
            forms = _ranked_forms(locked, code, group)
            ranked = rank_forms(locked, code, rules, forms)
            by_id = {f.pk: f for f in forms}
            for form in forms:
                form.rank = None
                form.tie_at_cutoff = False
            for entry in ranked:
                form = by_id[entry.id]
                form.rank = entry.rank
                form.tie_at_cutoff = entry.tie_at_cutoff
                if not group.interview:
                    form.state = F.RANKED
            now = timezone.now()
            for form in forms:
                form.updated_at = now
            SelfAssessment.objects.bulk_update(
                forms, ["final_score", "rank", "tie_at_cutoff", "state", "updated_at"]
            )
            proposals = _proposals(by_id, ranked)
            propose_awards(category, proposals, actor=actor)
            report[code] = GroupRanking(code, tuple(ranked), len(proposals), category.code)
        audit.record(
            actor=actor,
            action="pkri.rankings.compute",
            obj=locked,
            after={
                code: {
                    "ranked": len(g.ranked),
                    "proposed": g.proposed,
                    "ties": [e.id for e in g.ranked if e.tie_at_cutoff],
                }
                for code, g in report.items()
            },
        )
        if locked.state == E.INTERVIEWS:
            advance_edition(locked, actor=actor, reason=_("Peringkat disusun; pleno dimulai"))
    edition.state = locked.state
    return RankingReport(groups=report)
