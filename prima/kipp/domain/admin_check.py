"""The administrative check (seleksi administrasi, kipp.md §8 #6, §9).

When the check starts, the §9 pre-checks run again for every submitted proposal over its
frozen snapshot and the registry (tier history, replication links and their tiers,
invitations, the institution's earlier submissions), plus the ``possible_reentry`` warning:
a title that, normalised, is at least 90 % similar to the name of another innovation that
has entered KIPP before or holds a tier. The warning never rejects on its own.

The secretariat confirms or overrides each result (an override needs a note) and decides:
pass, or fail with one or more reason codes (``other`` needs a note). The decision is
transition #6; participants see it only when the ``admin_result`` announcement reveals it.

Copies (§9 ``careless_content``): when the check starts, and whenever the secretariat asks
for it again, every proposal in the check gets its most similar proposals of the edition
(TF-IDF over the submitted snapshots, all computed in one pass by
``affinity.nearest_neighbours``) stored in ``AdminCheck.similar``. A pair at or above the
copy threshold (``settings.KIPP_COPY_THRESHOLD``, 0.8 by default) adds a
``careless_content`` warning to both proposals' automatic results; like every warning it
never fails a proposal on its own. ``AdminCheck.status`` stores the automatic result with
the overrides applied, so the queue filters in the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.domain.jobs import ProgressCallback, no_progress
from prima.evaluation.domain.affinity import nearest_neighbours
from prima.evaluation.enums import EditionState, StageStatus
from prima.evaluation.models import Edition, Stage
from prima.innovations.enums import LinkStatus
from prima.innovations.models import AwardRecord, Innovation, ReplicationLink
from prima.kipp.domain import eligibility, extra_forms
from prima.kipp.domain.editions import rules_for
from prima.kipp.domain.rules import age_reference_close, effective_close
from prima.kipp.domain.transitions import move
from prima.kipp.enums import (
    PARTICIPANT_STATES,
    AdminReason,
    AttachmentKind,
    ProposalState,
)
from prima.kipp.models import AdminCheck, Invitation, Proposal, ProposalAttachment

S = ProposalState

# Proposals that are in, or have been through, the administrative check.
CHECKED_STATES = (S.SUBMITTED, S.ADMIN_PASSED, S.ADMIN_FAILED)
DECIDED_STATES = (S.ADMIN_PASSED, S.ADMIN_FAILED)
# Submitted or any later state, withdrawn excluded (§9.4): earlier submissions count here.
SUBMITTED_OR_LATER = tuple(sorted(frozenset(S) - PARTICIPANT_STATES - {S.WITHDRAWN}))

REENTRY = "possible_reentry"
REENTRY_THRESHOLD = 0.9
# Cells (query × pool × characters) of one chunk of the title bound.
CHUNK_CELLS = 20_000_000
MIN_NOTE = 10

# Similar proposals: each proposal keeps its MAX_KEPT most similar ones at or above the
# floor; a pair at or above the copy threshold is a careless_content warning on both.
SIMILAR_FLOOR = 0.5
MAX_KEPT = 10
DEFAULT_COPY_THRESHOLD = 0.8
SIMILAR_RULE = "similar_content"
# Pairs named in the warning's message; the row lists every one.
NAMED_COPIES = 3

STATUS_PENDING = AdminCheck.Status.PENDING.value
STATUS_FAILED = AdminCheck.Status.FAILED.value
STATUS_WARNING = AdminCheck.Status.WARNING.value
STATUS_PASSED = AdminCheck.Status.PASSED.value
STATUSES = (STATUS_FAILED, STATUS_WARNING, STATUS_PASSED, STATUS_PENDING)
# The queue and API once called a clean result "clean".
STATUS_ALIASES = {"clean": STATUS_PASSED}


def copy_threshold() -> float:
    """Similarity from which two proposals are flagged as possible copies (0–1)."""
    value = float(getattr(settings, "KIPP_COPY_THRESHOLD", DEFAULT_COPY_THRESHOLD))
    return min(1.0, max(0.0, value))


# --------------------------------------------------------------------------- who


def may_read_admin_checks(person: Any) -> bool:
    """The secretariat and national readers (analysts, auditors); never participants or
    assessors, who see results only through the announcement."""
    return access_for(person).reads_nationally


def may_decide(person: Any) -> bool:
    access = access_for(person)
    return access.is_secretariat or access.is_superuser


def _require_secretariat(actor: Any) -> None:
    if actor is None:
        return
    if not may_decide(actor):
        raise PermissionDenied(_("Hanya Sekretariat yang dapat menjalankan seleksi administrasi."))


def admin_stage(edition: Edition) -> Stage | None:
    return Stage.objects.filter(edition=edition, code=EditionState.ADMIN_SELECTION).first()


def decisions_open(edition: Edition) -> bool:
    stage = admin_stage(edition)
    return stage is not None and stage.status == StageStatus.OPEN and stage.decisions_open


def _require_open(edition: Edition) -> None:
    stage = admin_stage(edition)
    if stage is None or stage.status != StageStatus.OPEN:
        raise DomainError(
            _("Tahap seleksi administrasi %(edition)s tidak sedang berjalan.")
            % {"edition": edition}
        )
    if not stage.decisions_open:
        raise DomainError(_("Keputusan seleksi administrasi sedang dikunci."))


# --------------------------------------------------------------------------- reading


def snapshot_of(proposal: Proposal) -> dict[str, Any]:
    """The frozen content; the live fields stand in for a proposal without a snapshot."""
    if isinstance(proposal.snapshot, dict):
        return proposal.snapshot
    return {
        "title": proposal.title,
        "group": proposal.group,
        "category": proposal.category,
        "sdg_goals": list(proposal.sdg_goals),
        "answers": dict(proposal.answers),
        "extra_answers": dict(proposal.extra_answers or {}),
        "video_url": proposal.video_url,
        "attachments": None,
    }


def snapshot_text(snapshot: Mapping[str, Any]) -> str:
    """Title and answers, one paragraph each: the text compared between proposals."""
    answers = snapshot.get("answers") or {}
    parts = [str(snapshot.get("title") or "")]
    parts += [str(text) for text in answers.values() if text]
    return "\n".join(parts)


def _snapshot_kinds(snapshot: Mapping[str, Any]) -> set[str] | None:
    items = snapshot.get("attachments")
    if not isinstance(items, list):
        return None
    kinds = set()
    for item in items:
        kind = item.get("kind") if isinstance(item, dict) else item
        if isinstance(kind, str):
            kinds.add(kind)
    return kinds


# --------------------------------------------------------------------------- titles


def _char_counts(texts: Sequence[str], alphabet: Mapping[str, int]) -> np.ndarray:
    counts = np.zeros((len(texts), len(alphabet)), dtype=np.int16)
    for row, text in enumerate(texts):
        for char in text:
            counts[row, alphabet[char]] += 1
    return counts


def title_matches(
    queries: Mapping[int, str],
    pool: Mapping[int, str],
    *,
    threshold: float = REENTRY_THRESHOLD,
) -> dict[int, list[tuple[int, float]]]:
    """For each query title, the pool titles whose normalised similarity ≥ ``threshold``.

    Similarity is difflib's ratio of the normalised titles (NFKC, case-folded, punctuation
    dropped). The exact ratio is computed only for pairs whose character-multiset bound
    (difflib's ``quick_ratio``, an upper bound of the ratio) reaches the threshold; the
    bound is computed for all pairs at once with NumPy, in chunks. Best match first.
    """
    q_ids = [key for key in queries if eligibility.normalise_title(queries[key])]
    p_ids = [key for key in pool if eligibility.normalise_title(pool[key])]
    if not q_ids or not p_ids:
        return {}
    q_norm = [eligibility.normalise_title(queries[key]) for key in q_ids]
    p_norm = [eligibility.normalise_title(pool[key]) for key in p_ids]
    alphabet = {char: i for i, char in enumerate(sorted(set("".join(q_norm + p_norm))))}
    q_counts, p_counts = _char_counts(q_norm, alphabet), _char_counts(p_norm, alphabet)
    q_len = q_counts.sum(axis=1, dtype=np.int32)
    p_len = p_counts.sum(axis=1, dtype=np.int32)
    found: dict[int, list[tuple[int, float]]] = {}
    step = max(1, CHUNK_CELLS // (len(p_ids) * len(alphabet)))
    for start in range(0, len(q_ids), step):
        stop = start + step
        overlap = np.minimum(q_counts[start:stop, None, :], p_counts[None, :, :]).sum(
            axis=2, dtype=np.int32
        )
        bound = 2 * overlap / (q_len[start:stop, None] + p_len[None, :])
        rows, cols = np.nonzero(bound >= threshold)
        for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
            a, b = q_norm[start + row], p_norm[col]
            ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
            if ratio >= threshold:
                found.setdefault(q_ids[start + row], []).append((p_ids[col], round(ratio, 4)))
    for matches in found.values():
        matches.sort(key=lambda item: (-item[1], item[0]))
    return found


# --------------------------------------------------------------------------- automatic


@dataclass
class _Context:
    """Registry facts for a batch of proposals, gathered in a fixed number of queries."""

    tiers: dict[int, list[eligibility.TierHeld]] = field(default_factory=dict)
    sources: dict[int, list[tuple[int, str, int | None]]] = field(default_factory=dict)
    kinds: dict[int, set[str]] = field(default_factory=dict)
    invited: set[tuple[int, str]] = field(default_factory=set)
    # institution id → [(submitted_at, pk, group, title)] of submitted-or-later proposals
    siblings: dict[int, list[tuple[datetime | None, int, str, str]]] = field(default_factory=dict)
    reentry: dict[int, list[tuple[int, float]]] = field(default_factory=dict)
    pool_names: dict[int, tuple[str, str]] = field(default_factory=dict)


def _order_key(submitted_at: datetime | None, pk: int) -> tuple[float, int]:
    return (submitted_at.timestamp() if submitted_at else float("inf"), pk)


def _context(edition: Edition, proposals: Sequence[Proposal]) -> _Context:
    context = _Context()
    innovation_ids = {p.innovation_id for p in proposals}
    # A rejected link (pkri.md §9) never satisfies `replication_link: required`.
    for replica, source, unit, name in (
        ReplicationLink.objects.filter(replica_id__in=innovation_ids)
        .exclude(status=LinkStatus.REJECTED)
        .values_list("replica_id", "source_id", "source__unit_id", "source__name")
    ):
        context.sources.setdefault(replica, []).append((source, name, unit))
    source_ids = {s[0] for links in context.sources.values() for s in links}
    for innovation, tier, year, level, revoked in AwardRecord.objects.filter(
        innovation_id__in=innovation_ids | source_ids, programme="kipp"
    ).values_list("innovation_id", "tier", "year", "level", "revoked"):
        context.tiers.setdefault(innovation, []).append(
            eligibility.TierHeld(tier, year, level, None, revoked)
        )
    missing = [p.pk for p in proposals if _snapshot_kinds(snapshot_of(p)) is None]
    for proposal_id, kind in ProposalAttachment.objects.filter(proposal_id__in=missing).values_list(
        "proposal_id", "kind"
    ):
        context.kinds.setdefault(proposal_id, set()).add(kind)
    context.invited = set(
        Invitation.objects.filter(edition=edition).values_list("innovation_id", "group")
    )
    for pk, institution, group, submitted_at, title in Proposal.objects.filter(
        edition=edition, state__in=SUBMITTED_OR_LATER
    ).values_list("pk", "institution_id", "group", "submitted_at", "title"):
        context.siblings.setdefault(institution, []).append((submitted_at, pk, group, title))
    # Innovations that entered KIPP before or hold a KIPP tier: a near-identical title on
    # another record may be the same innovation entering again (§9.2).
    pool = Innovation.objects.filter(
        Exists(AwardRecord.objects.filter(innovation=OuterRef("pk"), programme="kipp"))
        | Exists(
            Proposal.objects.filter(
                innovation=OuterRef("pk"), state__in=SUBMITTED_OR_LATER
            ).exclude(edition=edition)
        )
    ).values_list("pk", "name", "institution__name")
    names = {pk: (name, institution) for pk, name, institution in pool}
    context.pool_names = names
    titles = {p.pk: str(snapshot_of(p).get("title") or p.title) for p in proposals}
    context.reentry = title_matches(titles, {pk: value[0] for pk, value in names.items()})
    return context


def _candidate(proposal: Proposal, context: _Context) -> eligibility.Candidate:
    snapshot = snapshot_of(proposal)
    kinds = _snapshot_kinds(snapshot)
    if kinds is None:
        kinds = context.kinds.get(proposal.pk, set())
    group = str(snapshot.get("group") or proposal.group)
    mine = _order_key(proposal.submitted_at, proposal.pk)
    earlier = [
        (group_code, title)
        for submitted_at, pk, group_code, title in context.siblings.get(proposal.institution_id, [])
        if pk != proposal.pk and _order_key(submitted_at, pk) < mine
    ]
    innovation = proposal.innovation
    return eligibility.Candidate(
        group=group,
        category=str(snapshot.get("category") or proposal.category) or None,
        implementation_start=innovation.started_on,
        has_start_evidence=AttachmentKind.START_EVIDENCE in kinds,
        unit_id=proposal.unit_id,
        tiers=tuple(context.tiers.get(proposal.innovation_id, ())),
        sources=tuple(
            eligibility.SourceInnovation(
                id=name, unit_id=unit, tiers=tuple(context.tiers.get(source, ()))
            )
            for source, name, unit in context.sources.get(proposal.innovation_id, [])
        ),
        has_replication_statement=AttachmentKind.REPLICATION_STATEMENT in kinds,
        institution_submitted_in_group=sum(1 for g, _t in earlier if g == group),
        invited=(proposal.innovation_id, group) in context.invited,
        sdg_goals=frozenset(int(g) for g in snapshot.get("sdg_goals") or () if str(g).isdigit()),
        attachments=frozenset(kinds),
        title=str(snapshot.get("title") or proposal.title),
        other_titles_in_institution=tuple(title for _g, title in earlier),
    )


def extra_form_rows(
    forms: Sequence[extra_forms.ExtraForm], snapshot: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """One result per extra form of the edition (rule ``form_<code>``): failed with
    ``incomplete`` and the unanswered questions named («SPBE belum lengkap: …»)."""
    stored = snapshot.get("extra_answers")
    answers = stored if isinstance(stored, Mapping) else {}
    rows: list[dict[str, Any]] = []
    # Stored results are read by the secretariat in Indonesian, like the eligibility ones.
    with translation.override("id"):
        for form in forms:
            form_answers = answers.get(form.code)
            missing = extra_forms.missing_questions(
                form, form_answers if isinstance(form_answers, Mapping) else {}
            )
            rows.append(
                {
                    "rule": f"form_{form.code}",
                    "passed": not missing,
                    "code": AdminReason.INCOMPLETE.value if missing else None,
                    "message": extra_forms.missing_message(form, missing)
                    if missing
                    else _("Formulir %(form)s lengkap.") % {"form": form.label},
                }
            )
    return rows


def _reference_close(edition: Edition) -> datetime:
    rules = rules_for(edition)
    if rules.eligibility.age_reference == "registration_close_original":
        return age_reference_close(rules)
    return edition.registration_close or effective_close(rules)


def _results(
    edition: Edition, proposals: Sequence[Proposal], report: ProgressCallback = no_progress
) -> dict[int, list[dict[str, Any]]]:
    """The automatic results of each proposal, as stored in ``AdminCheck.automatic``."""
    if not proposals:
        return {}
    rules = rules_for(edition)
    reference = _reference_close(edition)
    context = _context(edition, proposals)
    forms = extra_forms.forms_for(rules.extra_forms)
    results: dict[int, list[dict[str, Any]]] = {}
    for checked, proposal in enumerate(proposals):
        report(checked)
        candidate = _candidate(proposal, context)
        try:
            checks = eligibility.check_eligibility(rules, candidate, reference_close=reference)
            rows: list[dict[str, Any]] = [
                {"rule": c.rule, "passed": c.passed, "code": c.code, "message": c.message}
                for c in checks
            ]
        except KeyError:
            rows = [
                {
                    "rule": "group",
                    "passed": False,
                    "code": AdminReason.OTHER.value,
                    "message": f"Kelompok {candidate.group!r} tidak ada di edisi {rules.code}.",
                }
            ]
        rows += extra_form_rows(forms, snapshot_of(proposal))
        own_sources = {s[0] for s in context.sources.get(proposal.innovation_id, [])}
        for other, ratio in context.reentry.get(proposal.pk, []):
            if other == proposal.innovation_id or other in own_sources:
                continue
            name, institution = context.pool_names[other]
            rows.append(
                {
                    "rule": REENTRY,
                    "passed": True,
                    "warning": True,
                    "code": REENTRY,
                    "innovation": other,
                    "message": (
                        f"Judul mirip {ratio * 100:.0f}% dengan inovasi «{name}» ({institution}) "
                        "yang pernah mengikuti KIPP atau meraih peringkat; periksa apakah "
                        "inovasi yang sama didaftarkan ulang."
                    ),
                }
            )
        results[proposal.pk] = rows
    return results


def _checked_queryset(edition: Edition) -> Any:
    return Proposal.objects.filter(edition=edition, state__in=CHECKED_STATES).select_related(
        "innovation", "institution"
    )


# --------------------------------------------------------------------------- similarity


@dataclass(frozen=True)
class _Similarity:
    """Similar proposals of one edition, from one pass over every text."""

    # proposal id → [(other id, similarity)], best first, at most MAX_KEPT
    neighbours: dict[int, list[tuple[int, float]]]
    # proposal id → {other id: similarity} of the pairs at or above the threshold, both ways
    copies: dict[int, dict[int, float]]
    threshold: float

    @property
    def pairs(self) -> int:
        return sum(len(others) for others in self.copies.values()) // 2


def _similarity(texts: Mapping[int, str], threshold: float) -> _Similarity:
    """Each text's most similar texts and the pairs at or above ``threshold``.

    A pair at the threshold is in the top list of at least one of the two, unless both
    already have MAX_KEPT others at least as similar (then both are flagged anyway); it is
    recorded on both sides.
    """
    neighbours = nearest_neighbours(
        texts, top_k=MAX_KEPT, min_similarity=min(SIMILAR_FLOOR, threshold)
    )
    copies: dict[int, dict[int, float]] = {}
    for pk, items in neighbours.items():
        for other, value in items:
            if value >= threshold:
                for a, b in ((pk, other), (other, pk)):
                    mine = copies.setdefault(a, {})
                    mine[b] = max(value, mine.get(b, 0.0))
    return _Similarity(
        neighbours={
            pk: [(o, v) for o, v in items if v >= SIMILAR_FLOOR] for pk, items in neighbours.items()
        },
        copies=copies,
        threshold=threshold,
    )


def _similarity_row(
    copies: Mapping[int, float], names: Mapping[int, tuple[str, str]]
) -> dict[str, Any] | None:
    """The ``careless_content`` warning of a proposal with possible copies, or None."""
    if not copies:
        return None
    ranked = sorted(copies.items(), key=lambda item: (-item[1], item[0]))
    shown = []
    for pk, value in ranked[:NAMED_COPIES]:
        title, institution = names.get(pk, (f"#{pk}", "—"))
        shown.append(f"«{title}» ({institution}) {value * 100:.0f}%")
    named = "; ".join(shown)
    if len(ranked) > NAMED_COPIES:
        named += _(" dan %(n)s lainnya") % {"n": len(ranked) - NAMED_COPIES}
    return {
        "rule": SIMILAR_RULE,
        "passed": True,
        "warning": True,
        "code": AdminReason.CARELESS_CONTENT.value,
        "proposals": [pk for pk, _value in ranked],
        "message": _(
            "Isi proposal sangat mirip dengan %(count)s proposal lain: %(named)s. Periksa "
            "kemungkinan salinan (alasan «careless_content»)."
        )
        % {"count": len(ranked), "named": named},
    }


def _with_similarity(
    rows: Sequence[Mapping[str, Any]],
    similarity_row: Mapping[str, Any] | None,
    before: Sequence[Mapping[str, Any]],
    overrides: Sequence[Mapping[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``rows`` with the similarity warning replaced, and the overrides still valid.

    An override of the similarity warning holds only while the same proposals are named:
    a new possible copy needs a new look.
    """
    old = next((row for row in before if row.get("rule") == SIMILAR_RULE), None)
    automatic = [dict(row) for row in rows if row.get("rule") != SIMILAR_RULE]
    if similarity_row is not None:
        automatic.append(dict(similarity_row))
    same = (
        old is not None
        and similarity_row is not None
        and sorted(old.get("proposals") or []) == sorted(similarity_row["proposals"])
    )
    kept = [dict(item) for item in overrides if same or item.get("rule") != SIMILAR_RULE]
    return automatic, kept


def _stored(items: Sequence[tuple[int, float]]) -> list[dict[str, Any]]:
    return [{"proposal": pk, "similarity": value} for pk, value in items]


def _proposal_text(snapshot: Any, title: str, answers: Any) -> str:
    if isinstance(snapshot, dict):
        return snapshot_text(snapshot)
    return snapshot_text({"title": title, "answers": answers if isinstance(answers, dict) else {}})


_RESULT_FIELDS = ("automatic", "overrides", "status")


def _stored_values(check: AdminCheck) -> tuple[Any, ...]:
    """The values of a check that a run may change: results fields, then the list."""
    return (*(getattr(check, name) for name in _RESULT_FIELDS), check.similar)


def _update(
    checks: Mapping[int, AdminCheck],
    before: Mapping[int, tuple[Any, ...]],
    stamps: Mapping[str, datetime],
) -> None:
    """Store what a run changed on existing checks: the results and the similar lists only
    where they differ (``bulk_update`` builds a CASE per row and field, seconds for
    thousands of rows), and the time stamps of all of them in one UPDATE."""
    changed = [c for pk, c in checks.items() if _stored_values(c)[:-1] != before[pk][:-1]]
    moved = [c for pk, c in checks.items() if c.similar != before[pk][-1]]
    AdminCheck.objects.bulk_update(changed, list(_RESULT_FIELDS), batch_size=500)
    AdminCheck.objects.bulk_update(moved, ["similar"], batch_size=500)
    if checks:
        AdminCheck.objects.filter(pk__in=[c.pk for c in checks.values()]).update(**stamps)


# --------------------------------------------------------------------------- runs


def run_automatic_checks(proposal: Proposal, *, actor: Any = None) -> AdminCheck:
    """Run the automatic checks of one proposal again and store them. Overrides and the
    stored similarity warning are kept: similarity is an edition-wide pass
    (:func:`start_admin_check`, :func:`recompute_similarity`)."""
    _require_secretariat(actor)
    results = _results(proposal.edition, [proposal])[proposal.pk]
    with transaction.atomic():
        locked = (
            AdminCheck.objects.select_for_update(of=("self",)).filter(proposal=proposal).first()
        )
        check = locked or AdminCheck(proposal=proposal)
        before = list(check.automatic or [])
        kept = next((row for row in before if row.get("rule") == SIMILAR_RULE), None)
        check.automatic, check.overrides = _with_similarity(
            results, kept, before, check.overrides or []
        )
        check.status = status_from(check.automatic, check.overrides)
        check.save()
        audit.record(
            actor=actor,
            action="kipp.admin_check.run",
            obj=proposal,
            after={"failed": [r["rule"] for r in results if not r["passed"]]},
        )
    return check


@dataclass(frozen=True)
class CheckRunSummary:
    checked: int
    failed: int
    warnings: int
    clean: int
    # Pairs of proposals at or above the copy threshold.
    similar_pairs: int = 0


def check_admin_check_startable(edition: Edition, *, actor: Any) -> None:
    """Refuse a run of the automatic checks that could not start (who asks, the stage)
    before any work is queued."""
    _require_secretariat(actor)
    stage = admin_stage(edition)
    if stage is None or stage.status != StageStatus.OPEN:
        raise DomainError(
            _("Pemeriksaan otomatis dijalankan saat tahap seleksi administrasi berjalan.")
        )


def start_admin_check(
    edition: Edition, *, actor: Any, progress: ProgressCallback | None = None
) -> CheckRunSummary:
    """Run the automatic checks of every proposal in the check, in bulk (§9: "again when
    the admin check starts"), and store every proposal's similar proposals from one pass
    over the edition. Decisions and overrides are kept. Proposals submitted since the last
    run (after an extension) are checked and compared too. `progress` counts the
    proposals checked, then the similarity pass and the write as one step each."""
    check_admin_check_startable(edition, actor=actor)
    report = progress or no_progress
    proposals = list(_checked_queryset(edition))
    steps = len(proposals) + 2
    report(0, steps, _("Memeriksa proposal"))
    results = _results(edition, proposals, report)
    report(len(proposals), steps, _("Menghitung kemiripan proposal"))
    texts, names = {}, {}
    for proposal in proposals:
        snapshot = snapshot_of(proposal)
        texts[proposal.pk] = snapshot_text(snapshot)
        names[proposal.pk] = (
            str(snapshot.get("title") or proposal.title),
            proposal.institution.name,
        )
    similarity = _similarity(texts, copy_threshold())
    report(len(proposals) + 1, steps, _("Menyimpan hasil pemeriksaan"))
    now = timezone.now()
    with transaction.atomic():
        existing = {
            check.proposal_id: check
            for check in AdminCheck.objects.select_for_update(of=("self",)).filter(
                proposal__in=[p.pk for p in proposals]
            )
        }
        before = {pk: _stored_values(check) for pk, check in existing.items()}
        new: list[AdminCheck] = []
        for proposal in proposals:
            check = existing.get(proposal.pk)
            if check is None:
                check = AdminCheck(proposal=proposal)
                new.append(check)
            check.automatic, check.overrides = _with_similarity(
                results[proposal.pk],
                _similarity_row(similarity.copies.get(proposal.pk, {}), names),
                check.automatic or [],
                check.overrides or [],
            )
            check.status = status_from(check.automatic, check.overrides)
            check.similar = _stored(similarity.neighbours.get(proposal.pk, []))
            check.similar_computed_at = now
            check.checked_at = now
        AdminCheck.objects.bulk_create(new, batch_size=500)
        _update(existing, before, {"similar_computed_at": now, "checked_at": now})
        statuses = [check.status for check in (*new, *existing.values())]
        summary = CheckRunSummary(
            checked=len(statuses),
            failed=statuses.count(STATUS_FAILED),
            warnings=statuses.count(STATUS_WARNING),
            clean=statuses.count(STATUS_PASSED),
            similar_pairs=similarity.pairs,
        )
        audit.record(
            actor=actor,
            action="kipp.admin_check.start",
            obj=edition,
            after={
                "checked": summary.checked,
                "failed": summary.failed,
                "warnings": summary.warnings,
                "clean": summary.clean,
                "similar_pairs": summary.similar_pairs,
                "copy_threshold": similarity.threshold,
            },
        )
    report(steps, steps)
    return summary


@dataclass(frozen=True)
class SimilarityRunSummary:
    proposals: int
    # Pairs at or above the copy threshold, and the threshold used.
    pairs: int
    threshold: float
    # Proposals whose automatic checks have not run yet (no warning row until they do).
    unchecked: int


def check_similarity_recomputable(edition: Edition, *, actor: Any) -> None:
    """Refuse a similarity pass that could not start, before any work is queued."""
    _require_secretariat(actor)
    stage = admin_stage(edition)
    if stage is None or stage.status != StageStatus.OPEN:
        raise DomainError(
            _("Kemiripan proposal dihitung saat tahap seleksi administrasi berjalan.")
        )


def recompute_similarity(
    edition: Edition, *, actor: Any, progress: ProgressCallback | None = None
) -> SimilarityRunSummary:
    """Recompute the similar proposals of every proposal in the check ("hitung ulang"),
    in one pass over the edition, and refresh the ``careless_content`` warnings.

    The other automatic results, the overrides (except a similarity override whose named
    proposals changed) and the decisions are kept. Needs the administrative selection
    running, like the automatic checks. `progress` hears of the two steps (compute,
    store).
    """
    check_similarity_recomputable(edition, actor=actor)
    report = progress or no_progress
    report(0, 2, _("Menghitung kemiripan proposal"))
    texts, names = {}, {}
    for pk, snapshot, title, answers, institution in Proposal.objects.filter(
        edition=edition, state__in=CHECKED_STATES
    ).values_list("pk", "snapshot", "title", "answers", "institution__name"):
        texts[pk] = _proposal_text(snapshot, title, answers)
        shown = snapshot.get("title") if isinstance(snapshot, dict) else None
        names[pk] = (str(shown or title), institution)
    similarity = _similarity(texts, copy_threshold())
    report(1, 2, _("Menyimpan hasil"))
    now = timezone.now()
    with transaction.atomic():
        checks = {
            check.proposal_id: check
            for check in AdminCheck.objects.select_for_update(of=("self",)).filter(
                proposal_id__in=list(texts)
            )
        }
        before = {pk: _stored_values(check) for pk, check in checks.items()}
        new = [AdminCheck(proposal_id=pk) for pk in texts if pk not in checks]
        unchecked = 0
        for check in (*checks.values(), *new):
            if check.automatic:
                check.automatic, check.overrides = _with_similarity(
                    check.automatic,
                    _similarity_row(similarity.copies.get(check.proposal_id, {}), names),
                    check.automatic,
                    check.overrides or [],
                )
                check.status = status_from(check.automatic, check.overrides)
            else:
                unchecked += 1
            check.similar = _stored(similarity.neighbours.get(check.proposal_id, []))
            check.similar_computed_at = now
        AdminCheck.objects.bulk_create(new, batch_size=500)
        _update(checks, before, {"similar_computed_at": now})
        summary = SimilarityRunSummary(
            proposals=len(texts),
            pairs=similarity.pairs,
            threshold=similarity.threshold,
            unchecked=unchecked,
        )
        audit.record(
            actor=actor,
            action="kipp.admin_check.similarity",
            obj=edition,
            after={
                "proposals": summary.proposals,
                "pairs": summary.pairs,
                "threshold": summary.threshold,
                "unchecked": summary.unchecked,
            },
        )
    report(2, 2)
    return summary


# --------------------------------------------------------------------------- results view


@dataclass(frozen=True)
class CheckRow:
    """One automatic result with the secretariat's override, if any."""

    rule: str
    passed: bool
    code: str | None
    message: str
    warning: bool
    innovation: int | None
    override: Mapping[str, Any] | None

    @property
    def failed(self) -> bool:
        """Failed and not overridden."""
        return not self.passed and self.override is None

    @property
    def open_warning(self) -> bool:
        return self.warning and self.override is None

    @property
    def can_override(self) -> bool:
        return not self.passed or self.warning


def check_rows(check: AdminCheck | None) -> list[CheckRow]:
    if check is None:
        return []
    overrides = {item.get("rule"): item for item in check.overrides or []}
    return [
        CheckRow(
            rule=str(row.get("rule", "")),
            passed=bool(row.get("passed")),
            code=row.get("code"),
            message=str(row.get("message", "")),
            warning=bool(row.get("warning")),
            innovation=row.get("innovation"),
            override=overrides.get(row.get("rule")),
        )
        for row in check.automatic or []
    ]


def status_from(
    automatic: Sequence[Mapping[str, Any]], overrides: Iterable[Mapping[str, Any]]
) -> str:
    """``failed`` (a failed check not overridden), ``warning`` (an open warning),
    ``passed``, or ``pending`` (not yet checked): what ``AdminCheck.status`` stores."""
    if not automatic:
        return STATUS_PENDING
    overridden = {item.get("rule") for item in overrides}
    failed = warned = False
    for row in automatic:
        if row.get("rule") in overridden:
            continue
        failed |= not row.get("passed")
        warned |= bool(row.get("warning"))
    if failed:
        return STATUS_FAILED
    return STATUS_WARNING if warned else STATUS_PASSED


def status_of(check: AdminCheck | None) -> str:
    """The stored automatic status; ``pending`` without a check."""
    if check is None:
        return STATUS_PENDING
    return str(check.status)


def status_counts(edition: Edition) -> dict[str, int]:
    """Automatic status → number of proposals in the check (one query)."""
    counts = dict.fromkeys(STATUSES, 0)
    for status, count in (
        Proposal.objects.filter(edition=edition, state__in=CHECKED_STATES)
        .values_list("admin_check__status")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        counts[status or STATUS_PENDING] += count
    return counts


def similarity_computed_at(edition: Edition) -> datetime | None:
    """When the similar proposals of the edition were last computed (one query)."""
    latest: datetime | None = AdminCheck.objects.filter(
        proposal__edition=edition, proposal__state__in=CHECKED_STATES
    ).aggregate(latest=Max("similar_computed_at"))["latest"]
    return latest


@dataclass(frozen=True)
class QueueFilters:
    """The queue's filters; empty values filter nothing."""

    automatic: str = ""  # one of STATUSES (or an alias)
    decision: str = ""  # one of DECISIONS
    group: str = ""
    category: str = ""
    province: str = ""  # two-digit province code of the proposing institution
    q: str = ""  # words of the title or the institution's name


DECISIONS = {"undecided": S.SUBMITTED, "passed": S.ADMIN_PASSED, "failed": S.ADMIN_FAILED}


def filter_queue(
    proposals: QuerySet[Proposal], edition: Edition, filters: QueueFilters
) -> QuerySet[Proposal]:
    """Narrow a scoped queryset to the check queue of ``edition`` and the filters."""
    proposals = proposals.filter(edition=edition, state__in=CHECKED_STATES)
    status = STATUS_ALIASES.get(filters.automatic, filters.automatic)
    if status == STATUS_PENDING:
        proposals = proposals.filter(
            Q(admin_check__isnull=True) | Q(admin_check__status=STATUS_PENDING)
        )
    elif status in STATUSES:
        proposals = proposals.filter(admin_check__status=status)
    if filters.decision in DECISIONS:
        proposals = proposals.filter(state=DECISIONS[filters.decision])
    if filters.group:
        proposals = proposals.filter(group=filters.group)
    if filters.category:
        proposals = proposals.filter(category=filters.category)
    if filters.province:
        proposals = proposals.filter(institution__province_code=filters.province)
    for word in filters.q.split():
        proposals = proposals.filter(
            Q(title__icontains=word) | Q(institution__name__icontains=word)
        )
    return proposals


# --------------------------------------------------------------------------- overrides


def override_check(proposal: Proposal, code: str, note: str, *, actor: Any) -> AdminCheck:
    """Override a failed check or a warning of the proposal, named by its rule (e.g.
    ``age``) or by its code (every open result with that code); the note is required."""
    _require_secretariat(actor)
    note = (note or "").strip()
    if len(note) < MIN_NOTE:
        raise DomainError(
            _("Tuliskan catatan alasan penyimpangan (minimal %(n)s karakter).") % {"n": MIN_NOTE},
            field="note",
        )
    _require_open(proposal.edition)
    with transaction.atomic():
        check = AdminCheck.objects.select_for_update(of=("self",)).filter(proposal=proposal).first()
        rows = check_rows(check)
        targets = [r for r in rows if r.rule == code and r.can_override]
        if not targets:
            targets = [r for r in rows if r.code == code and r.can_override]
        if check is None or not targets:
            raise DomainError(
                _("Tidak ada hasil pemeriksaan «%(code)s» yang gagal atau berisi peringatan.")
                % {"code": code},
                field="code",
            )
        ruled = {r.rule for r in targets}
        kept = [item for item in check.overrides or [] if item.get("rule") not in ruled]
        now = timezone.now().isoformat()
        added = [
            {
                "rule": r.rule,
                "code": r.code,
                "note": note,
                "by": getattr(actor, "pk", None),
                "by_name": str(actor) if actor is not None else "sistem",
                "at": now,
            }
            for r in targets
        ]
        before = list(check.overrides or [])
        check.overrides = kept + added
        check.status = status_from(check.automatic or [], check.overrides)
        check.save(update_fields=["overrides", "status", "checked_at"])
        audit.record(
            actor=actor,
            action="kipp.admin_check.override",
            obj=proposal,
            before={"overrides": [item.get("rule") for item in before]},
            after={"rules": sorted(ruled), "code": code},
            reason=note,
        )
    return check


# --------------------------------------------------------------------------- decisions


def _clean_reasons(passed: bool, reasons: Iterable[str], note: str) -> list[str]:
    codes: list[str] = []
    for reason in reasons:
        value = str(reason)
        if value not in AdminReason.values:
            raise DomainError(
                _("Kode alasan tidak dikenal: %(code)s.") % {"code": value}, field="reasons"
            )
        if value not in codes:
            codes.append(value)
    if passed and codes:
        raise DomainError(_("Proposal yang lolos tidak diberi alasan gagal."), field="reasons")
    if not passed and not codes:
        raise DomainError(
            _("Proposal yang tidak lolos memerlukan minimal satu kode alasan."), field="reasons"
        )
    if AdminReason.OTHER in codes and not note.strip():
        raise DomainError(_("Alasan «Lainnya» memerlukan catatan."), field="note")
    return codes


def _decide(
    proposal: Proposal, *, passed: bool, codes: list[str], note: str, actor: Any
) -> AdminCheck:
    """Record a decision on a locked proposal inside the caller's transaction."""
    if proposal.participant_state in DECIDED_STATES:
        raise DomainError(
            _(
                "Hasil seleksi administrasi proposal ini sudah diumumkan; koreksi memerlukan "
                "pengumuman baru."
            )
        )
    target = S.ADMIN_PASSED if passed else S.ADMIN_FAILED
    check, _created = AdminCheck.objects.get_or_create(proposal=proposal)
    before = {"passed": check.passed, "reasons": list(check.reasons), "note": check.note}
    check.passed = passed
    check.reasons = codes
    check.note = note
    check.decided_by = actor
    check.decided_at = timezone.now()
    check.save(
        update_fields=["passed", "reasons", "note", "decided_by", "decided_at", "checked_at"]
    )
    reason = ", ".join(codes) + (f" — {note}" if note else "") if codes else note
    if proposal.state == target:
        audit.record(
            actor=actor,
            action="kipp.admin_check.decide",
            obj=proposal,
            before=before,
            after={"passed": passed, "reasons": codes, "note": note},
            reason=reason,
        )
    else:
        move(
            proposal,
            target,
            actor=actor,
            allowed_from=CHECKED_STATES,
            reason=reason,
            action="kipp.admin_check.decide",
        )
    return check


def decide_admin_check(
    proposal: Proposal,
    *,
    passed: bool,
    reasons: Iterable[str] = (),
    note: str = "",
    actor: Any,
) -> AdminCheck:
    """Transition #6: the secretariat passes or fails a submitted proposal.

    Needs the administrative selection running with decisions open. A fail needs at least
    one reason code; ``other`` needs a note. Until the announcement reveals it,
    participants keep seeing "Diajukan". A decision may be changed while decisions are open
    and the result is not yet announced.
    """
    _require_secretariat(actor)
    note = (note or "").strip()
    codes = _clean_reasons(passed, reasons, note)
    _require_open(proposal.edition)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
        if locked.state not in CHECKED_STATES:
            raise DomainError(
                _("Proposal berstatus «%(state)s» tidak berada dalam seleksi administrasi.")
                % {"state": locked.get_state_display()}
            )
        check = _decide(locked, passed=passed, codes=codes, note=note, actor=actor)
    for name in ("state", "state_reason", "state_changed_at", "participant_state", "version"):
        setattr(proposal, name, getattr(locked, name))
    return check


def pass_clean_proposals(edition: Edition, *, actor: Any, note: str = "") -> int:
    """Pass every undecided proposal whose automatic checks all passed (or were overridden)
    and that carries no open warning; returns how many were passed."""
    _require_secretariat(actor)
    _require_open(edition)
    note = (note or "").strip()
    passed = 0
    with transaction.atomic():
        proposals = list(
            Proposal.objects.select_for_update(of=("self",))
            .filter(edition=edition, state=S.SUBMITTED, admin_check__status=STATUS_PASSED)
            .order_by("pk")
        )
        for proposal in proposals:
            _decide(proposal, passed=True, codes=[], note=note, actor=actor)
            passed += 1
        audit.record(
            actor=actor,
            action="kipp.admin_check.pass_clean",
            obj=edition,
            after={"passed": passed},
            reason=note,
        )
    return passed


# --------------------------------------------------------------------------- similar list


@dataclass(frozen=True)
class SimilarProposal:
    proposal: Proposal
    similarity: float
    threshold: float

    @property
    def percent(self) -> int:
        return round(self.similarity * 100)

    @property
    def is_copy(self) -> bool:
        return self.similarity >= self.threshold


def similar_proposals(
    check: AdminCheck | None, limit: int = MAX_KEPT
) -> list[SimilarProposal] | None:
    """The stored most similar proposals of a check (similarity ≥ 0.5), best first, with
    their institutions (one query); None while similarity has not been computed."""
    if check is None or check.similar_computed_at is None:
        return None
    best = [
        (int(item["proposal"]), float(item["similarity"]))
        for item in (check.similar or [])[:limit]
        if isinstance(item, dict) and "proposal" in item
    ]
    found = (
        Proposal.objects.filter(state__in=SUBMITTED_OR_LATER)
        .select_related("institution")
        .in_bulk([pk for pk, _value in best])
    )
    threshold = copy_threshold()
    return [SimilarProposal(found[pk], value, threshold) for pk, value in best if pk in found]
