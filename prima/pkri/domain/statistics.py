"""Public statistics of a PKRI edition and the generated sentences (pkri.md §8).

`edition_statistics` is the document of the public API and of `prima pkri stats`;
`edition_figures` adds the further figures of §8 the programme page shows. Both come
from a fixed handful of aggregate queries, whatever the size of the edition.

Counting rules (documented in docs/user-guide/pkri-publik.md):
- the scope is the non-excluded loci and the non-excluded objects of non-excluded loci;
- a coaching participant (`coaching_assessed`) is a `pembinaan` locus whose coaching
  form was submitted (any state from `submitted` on);
- an object was interviewed when its form has an interview score or an interview slot,
  or is in state `interviewed`, `awarded` or `not_awarded` (results set `not_awarded`
  only on interviewed object forms, and object awards go to interviewees);
- awards are the decided `Award` rows of the edition, grouped by the category's group
  code (the category code when the group is blank);
- the sentences (T3, T4) exist only once the edition is in `RESULTS_STATES`; before
  that the generator returns nothing (`{}`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q

from prima.awards.enums import AwardStatus
from prima.awards.models import Award
from prima.core.domain.errors import DomainError
from prima.core.enums import InstitutionKind
from prima.evaluation.models import Edition
from prima.innovations.enums import LinkStatus
from prima.innovations.models import ReplicationLink
from prima.pkri.domain import sentences
from prima.pkri.domain.answers import frozen_answers, still_running_q
from prima.pkri.domain.config import RANKED_KINDS, PkriRules, rules_for
from prima.pkri.domain.stages import RESULTS_STATES
from prima.pkri.enums import FORM_OF_GROUP, SUBMITTED_STATES, FormKind, FormState, Group
from prima.pkri.models import Locus, ScopeObject, SelfAssessment

GROUPS: tuple[str, ...] = tuple(Group.values)
OBJECT_GROUP_CODES: tuple[str, ...] = (Group.KEBERLANJUTAN, Group.REPLIKASI)
GROUP_OF_FORM = {str(kind): str(group) for group, kind in FORM_OF_GROUP.items()}
LOCAL_GOVERNMENT_KINDS = (InstitutionKind.PROVINCE, InstitutionKind.REGENCY, InstitutionKind.CITY)
# Link statuses counted in the replication figures (rejected links count nowhere, §9).
LINK_STATUSES: tuple[str, ...] = (LinkStatus.CLAIMED, LinkStatus.CONFIRMED, LinkStatus.VERIFIED)


def display_name(short_name: str | None, name: str) -> str:
    """Institutions appear by their short name when they have one (§8 "Formatting")."""
    return short_name or name


def rate(part: int, whole: int) -> Decimal | None:
    """`part / whole × 100` to 2 decimals, half up; None when there is nothing to divide."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def in_scope_forms(edition: Edition) -> Any:
    """The edition's forms of the current scope: coaching forms of non-excluded
    `pembinaan` loci and object forms of non-excluded objects, none marked excluded."""
    return (
        SelfAssessment.objects.filter(edition=edition, locus__excluded=False)
        .filter(
            Q(kind=FormKind.COACHING, locus__in_pembinaan=True)
            | (~Q(kind=FormKind.COACHING) & Q(object__excluded=False))
        )
        .exclude(state=FormState.EXCLUDED)
    )


def interviewed_q() -> Q:
    """Whether an object form went through the interview (see the module notes)."""
    return (
        Q(interview_score__isnull=False)
        | Q(slot__isnull=False)
        | Q(state__in=[FormState.INTERVIEWED, FormState.AWARDED, FormState.NOT_AWARDED])
    )


def shortlisted_q() -> Q:
    """Shortlisted: still waiting for the interview, or interviewed."""
    return Q(state=FormState.SHORTLISTED) | interviewed_q()


def running_q() -> Q:
    """The frozen answer says the innovation still runs (answers when no snapshot)."""
    return still_running_q(True)


def stopped_q() -> Q:
    return still_running_q(False)


def award_group(category_group: str, category_code: str) -> str:
    return category_group or category_code


# --- collection ---------------------------------------------------------------------


def _loci_by_kind(edition: Edition) -> dict[str, int]:
    rows = (
        Locus.objects.filter(edition=edition, excluded=False)
        .values("institution__kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys(RANKED_KINDS, 0)
    for row in rows:
        counts[row["institution__kind"]] = counts.get(row["institution__kind"], 0) + row["n"]
    return counts


def _objects_by_group(edition: Edition) -> dict[str, int]:
    rows = (
        ScopeObject.objects.filter(edition=edition, excluded=False, locus__excluded=False)
        .values("group")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys(OBJECT_GROUP_CODES, 0)
    for row in rows:
        counts[row["group"]] = counts.get(row["group"], 0) + row["n"]
    return counts


def _form_rows(edition: Edition) -> list[dict[str, Any]]:
    """Per form kind and institution kind: expected, submitted, missing, shortlisted,
    interviewed (one aggregate query)."""
    submitted = Q(state__in=list(SUBMITTED_STATES))
    return list(
        in_scope_forms(edition)
        .values("kind", "locus__institution__kind")
        .annotate(
            expected=Count("id"),
            submitted=Count("id", filter=submitted),
            missing=Count("id", filter=Q(state=FormState.FORM_MISSING)),
            shortlisted=Count("id", filter=shortlisted_q(), distinct=True),
            interviewed=Count("id", filter=interviewed_q(), distinct=True),
        )
        .order_by()
    )


def _award_rows(edition: Edition) -> list[dict[str, Any]]:
    rows = (
        Award.objects.filter(edition=edition, status=AwardStatus.DECIDED)
        .values("category__group", "category__code", "institution__kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [dict(row) for row in rows]


def _running_rows(edition: Edition) -> list[dict[str, Any]]:
    """Monitored Top objects by source tier and award year: running, stopped, no answer."""
    return list(
        in_scope_forms(edition)
        .filter(kind=FormKind.SUSTAINABILITY)
        .values("object__source_tier", "object__award_year")
        .annotate(
            total=Count("id"),
            running=Count("id", filter=Q(state__in=list(SUBMITTED_STATES)) & running_q()),
            stopped=Count("id", filter=Q(state__in=list(SUBMITTED_STATES)) & stopped_q()),
        )
        .order_by()
    )


def _replication_rows(edition: Edition) -> dict[str, int]:
    replicas = ScopeObject.objects.filter(
        edition=edition, excluded=False, locus__excluded=False, group=Group.REPLIKASI
    ).values("innovation_id")
    rows = (
        ReplicationLink.objects.filter(replica_id__in=replicas, status__in=list(LINK_STATUSES))
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys(LINK_STATUSES, 0)
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


# --- the document -------------------------------------------------------------------


def _document(
    edition: Edition,
    rules: PkriRules | None,
    loci: Mapping[str, int],
    objects: Mapping[str, int],
    forms: Iterable[Mapping[str, Any]],
    awards: Iterable[Mapping[str, Any]],
) -> dict[str, Any]:
    interviewed = dict.fromkeys(OBJECT_GROUP_CODES, 0)
    coaching_assessed = 0
    for row in forms:
        group = GROUP_OF_FORM.get(row["kind"], "")
        if group == Group.PEMBINAAN:
            coaching_assessed += row["submitted"]
        elif group in interviewed:
            interviewed[group] += row["interviewed"]
    award_groups = dict.fromkeys(GROUPS, 0)
    for row in awards:
        group = award_group(row["category__group"], row["category__code"])
        award_groups[group] = award_groups.get(group, 0) + row["n"]
    n_awards = sum(award_groups.values())
    n_loci = sum(loci.values())
    n_objects = sum(objects.values())
    texts: dict[str, str] = {}
    if edition.state in RESULTS_STATES:
        texts["T3"] = sentences.t3(
            edition.year,
            n_objects,
            n_loci,
            loci.get(InstitutionKind.MINISTRY, 0),
            loci.get(InstitutionKind.AGENCY, 0),
            sum(loci.get(kind, 0) for kind in LOCAL_GOVERNMENT_KINDS),
            loci.get(InstitutionKind.STATE_ENTERPRISE, 0),
        )
        event = rules.award_event if rules else None
        if event is not None:
            texts["T4"] = sentences.t4(edition.year, n_awards, event.name, event.date)
    return {
        "year": edition.year,
        "loci": {"total": n_loci, "by_kind": dict(loci)},
        "objects": {"total": n_objects, "by_group": dict(objects)},
        "interviewed": interviewed,
        "coaching_assessed": coaching_assessed,
        "awards": {"total": n_awards, "by_group": award_groups},
        "sentences": texts,
    }


def edition_rules(edition: Edition) -> PkriRules | None:
    """The typed rule set (`config.rules_for`), or None when the edition holds none."""
    try:
        return rules_for(edition)
    except DomainError:
        return None


def edition_statistics(edition: Edition) -> dict[str, Any]:
    """The public statistics document of an edition (the API's `/editions/{year}`)."""
    return _document(
        edition,
        edition_rules(edition),
        _loci_by_kind(edition),
        _objects_by_group(edition),
        _form_rows(edition),
        _award_rows(edition),
    )


def _share_rows(rows: Iterable[Mapping[str, Any]], key: str) -> list[dict[str, Any]]:
    table: dict[Any, Counter[str]] = defaultdict(Counter)
    for row in rows:
        table[row[key]].update(
            {"total": row["total"], "running": row["running"], "stopped": row["stopped"]}
        )
    return [
        _share(label, counts)
        for label, counts in sorted(table.items(), key=lambda item: (item[0] is None, item[0]))
    ]


def _share(label: Any, counts: Mapping[str, int]) -> dict[str, Any]:
    total, running, stopped = counts["total"], counts["running"], counts["stopped"]
    return {
        "label": label,
        "total": total,
        "running": running,
        "stopped": stopped,
        "no_response": total - running - stopped,
        # Of the objects whose form answered the question; no response is shown apart.
        "share": rate(running, running + stopped),
    }


def edition_figures(edition: Edition) -> dict[str, Any]:
    """The statistics document plus the further figures of §8 for the programme page.

    Keys besides the document's: `responses` (per group: expected, submitted, missing,
    rate), `running` (overall, `by_tier`, `by_cohort`), `replications` (by link status),
    `shortlist` (per object group: shortlisted, interviewed), `coaching_by_kind`
    (participants and awardees per institution kind).
    """
    rules = edition_rules(edition)
    loci = _loci_by_kind(edition)
    objects = _objects_by_group(edition)
    forms = _form_rows(edition)
    awards = _award_rows(edition)
    document = _document(edition, rules, loci, objects, forms, awards)

    responses: dict[str, Counter[str]] = {group: Counter() for group in GROUPS}
    coaching: dict[str, Counter[str]] = {kind: Counter() for kind in RANKED_KINDS}
    for row in forms:
        group = GROUP_OF_FORM.get(row["kind"], "")
        if group not in responses:
            continue
        responses[group].update(
            {
                key: row[key]
                for key in ("expected", "submitted", "missing", "shortlisted", "interviewed")
            }
        )
        if group == Group.PEMBINAAN:
            coaching.setdefault(row["locus__institution__kind"], Counter())["participants"] += row[
                "submitted"
            ]
    for row in awards:
        if award_group(row["category__group"], row["category__code"]) == Group.PEMBINAAN:
            coaching.setdefault(row["institution__kind"], Counter())["awardees"] += row["n"]

    running_rows = _running_rows(edition)
    overall: Counter[str] = Counter()
    for row in running_rows:
        overall.update(
            {"total": row["total"], "running": row["running"], "stopped": row["stopped"]}
        )
    for key in ("total", "running", "stopped"):
        overall.setdefault(key, 0)
    tiers = [
        {**row, "tier": (row["object__source_tier"] or "").partition("@")[0]}
        for row in running_rows
    ]
    return {
        **document,
        "responses": {
            group: {
                "expected": counts["expected"],
                "submitted": counts["submitted"],
                "missing": counts["missing"],
                "pending": counts["expected"] - counts["submitted"] - counts["missing"],
                "rate": rate(counts["submitted"], counts["expected"]),
            }
            for group, counts in responses.items()
        },
        "shortlist": {
            group: {
                "shortlisted": responses[group]["shortlisted"],
                "interviewed": responses[group]["interviewed"],
            }
            for group in OBJECT_GROUP_CODES
        },
        "running": {
            "overall": _share(None, overall),
            "by_tier": _share_rows(tiers, "tier"),
            "by_cohort": _share_rows(running_rows, "object__award_year"),
        },
        "replications": _replication_rows(edition),
        "coaching_by_kind": {
            kind: {
                "participants": counts["participants"],
                "awardees": counts["awardees"],
            }
            for kind, counts in coaching.items()
        },
    }


# --- one institution ----------------------------------------------------------------


def _latest_beneficiaries(answers: Mapping[str, Any]) -> Mapping[str, Any] | None:
    rows = [
        row
        for row in answers.get("beneficiaries") or []
        if isinstance(row, Mapping) and row.get("year") is not None and row.get("count") is not None
    ]
    return max(rows, key=lambda row: int(row["year"])) if rows else None


def _since_year(answers: Mapping[str, Any], fallback: Any) -> int | None:
    since = answers.get("running_since")
    if isinstance(since, str) and len(since) >= 4 and since[:4].isdigit():
        return int(since[:4])
    return fallback.year if fallback is not None else None


def institution_sentences(edition: Edition, institution: Any) -> dict[str, Any]:
    """The sentences of one institution's page (§8, §10).

    `T1` and `T2` when it holds a decided coaching award of the edition; `T5` a list of
    `{"object", "innovation", "text"}` for each of its objects whose submitted
    sustainability form says it still runs (with at least one beneficiary row). Empty
    before the edition reaches `results`. A fixed number of queries.
    """
    if edition.state not in RESULTS_STATES:
        return {}
    name = display_name(institution.short_name, institution.name)
    texts: dict[str, Any] = {}
    coaching = Award.objects.filter(edition=edition, status=AwardStatus.DECIDED).filter(
        Q(category__group=Group.PEMBINAAN) | Q(category__group="", category__code=Group.PEMBINAAN)
    )
    counts = coaching.aggregate(
        total=Count("id"),
        of_kind=Count("id", filter=Q(institution__kind=institution.kind)),
        mine=Count("id", filter=Q(institution=institution)),
    )
    if counts["mine"]:
        participants = (
            in_scope_forms(edition)
            .filter(kind=FormKind.COACHING, state__in=list(SUBMITTED_STATES))
            .count()
        )
        texts["T1"] = sentences.t1(name, counts["total"], participants)
        if institution.kind in sentences.KIND_LABELS:
            texts["T2"] = sentences.t2(name, counts["of_kind"], institution.kind, edition.year)
    running = (
        in_scope_forms(edition)
        .filter(
            kind=FormKind.SUSTAINABILITY,
            locus__institution=institution,
            state__in=list(SUBMITTED_STATES),
        )
        .filter(running_q())
        .select_related("object__innovation", "object__unit")
        .order_by("object__innovation__name", "pk")
    )
    t5: list[dict[str, Any]] = []
    for form in running:
        answers = frozen_answers(form)
        latest = _latest_beneficiaries(answers or {})
        obj = form.object
        assert obj is not None
        since = _since_year(answers or {}, obj.innovation.started_on)
        if latest is None or since is None:
            continue
        measure = str(latest.get("measure") or "")
        other = str(latest.get("measure_other") or "")
        if measure not in sentences.MEASURE_LABELS and not (measure == "other" and other.strip()):
            continue  # no unit to state the count in
        text = sentences.t5(
            obj.innovation.name,
            obj.unit.name,
            name,
            since,
            int(latest["count"]),
            measure,
            other,
            int(latest["year"]),
        )
        t5.append({"object": obj.pk, "innovation": obj.innovation_id, "text": text})
    if t5:
        texts["T5"] = t5
    return texts
