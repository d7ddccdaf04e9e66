"""Eligibility pre-checks of a KIPP proposal over plain values (kipp.md §9).

They run when Admin Lokal submits (transition #4) and again when the administrative check
starts. :func:`check_eligibility` returns one :class:`CheckResult` per rule that applies:
``rule`` names the check, ``code`` is the admin-check reason code of a failure (None when
passed) and ``message`` says in Indonesian what was found. The secretariat confirms or
overrides each result.

1. **Age** — eligible iff ``implementation_start ≤ ref − min_age_months`` in calendar
   months, the target day clamped to the month's last day (31 March − 1 month = 28 or
   29 February). Age is shown in completed months. ``ref`` is the reference close that
   the caller passes (see :func:`prima.kipp.domain.rules.age_reference_close`).
2. **History** — each exclusion rule of the group over the non-revoked tiers, and the
   group's ``requires`` (a tier held long enough before ``ref``).
3. **Replication link** — for ``replication_link: required`` only: an eligible original
   from another unit, and the replication statement.
4. **Quota** — blocked when the institution already has ``quota`` proposals in the group;
   invitation-only groups are exempt but need the invitation.
5. **Other** — category, SDG goals, required attachments, duplicate title.

This module is pure: no ORM, no Django.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from prima.core.dates import add_months, full_date
from prima.kipp.domain.rules import (
    ATTACHMENT_KINDS,
    SDG_GOALS,
    WIB,
    EditionRules,
    ExclusionRule,
    GroupRule,
    ReplicationSources,
    Requirement,
)

LEVEL_LABELS = {"finalist": "finalis", "winner": "pemenang"}
REPLICATION_STATEMENT = "pernyataan_replikasi"
# Not an admin-check reason code: without an invitation a khusus proposal cannot even be
# created (§9.4), so this only guards the domain action.
NOT_INVITED = "not_invited"


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class TierHeld:
    """One ``TierEntry`` of an innovation (imported history included)."""

    tier: str
    year: int
    level: str  # finalist | winner
    decree_date: date | None = None
    revoked: bool = False


@dataclass(frozen=True)
class SourceInnovation:
    """An original that the candidate's innovation is ``derived_from``."""

    id: int | str
    unit_id: int | str | None
    tiers: tuple[TierHeld, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """What the checks need to know about one proposal.

    ``institution_submitted_in_group`` counts the institution's *other* proposals in the
    group that are ``submitted`` or later, without withdrawn or recalled ones.
    ``other_titles_in_institution`` are the titles of the institution's other proposals in
    the edition.
    """

    group: str
    category: str | None
    implementation_start: date | None
    has_start_evidence: bool
    unit_id: int | str | None
    tiers: tuple[TierHeld, ...] = ()
    sources: tuple[SourceInnovation, ...] = ()
    has_replication_statement: bool = False
    institution_submitted_in_group: int = 0
    invited: bool = False
    sdg_goals: frozenset[int] = frozenset()
    attachments: frozenset[str] = frozenset()
    title: str = ""
    other_titles_in_institution: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckResult:
    rule: str  # age, category, the exclusion rule's name, requires, quota, …
    passed: bool
    code: str | None  # the reason code of a failure; None when passed
    message: str


def _ok(rule: str, message: str) -> CheckResult:
    return CheckResult(rule, True, None, message)


def _fail(rule: str, code: str, message: str) -> CheckResult:
    return CheckResult(rule, False, code, message)


def failures(results: Iterable[CheckResult]) -> list[CheckResult]:
    """The failed results, in order."""
    return [result for result in results if not result.passed]


# --------------------------------------------------------------------------- months


def months_between(start: date, end: date) -> int:
    """Completed calendar months from ``start`` to ``end``, counted back from ``end``.

    The largest ``m`` with ``start ≤ add_months(end, -m)``, so that "at least ``n`` months
    old at ``end``" is exactly ``months_between(start, end) ≥ n`` (§9.1). Negative when
    ``end`` is before ``start``.
    """
    if end < start:
        return -months_between(end, start)
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(end, -months) < start:
        months -= 1
    return months


def age_in_months(start: date, reference: date) -> int:
    """The age shown to users: completed months, 0 before the start."""
    return max(0, months_between(start, reference))


def format_date(day: date) -> str:
    """``3 Juni 2025``."""
    return full_date(day)


def _reference_day(reference_close: date | datetime) -> date:
    if isinstance(reference_close, datetime):
        if reference_close.tzinfo is not None:
            return reference_close.astimezone(WIB).date()
        return reference_close.date()
    return reference_close


# --------------------------------------------------------------------------- the checks


def check_eligibility(
    rules: EditionRules, candidate: Candidate, *, reference_close: date | datetime
) -> list[CheckResult]:
    """Every §9 pre-check that applies to ``candidate``, passed or failed, in §9 order.

    ``reference_close`` is the moment the age and ``requires`` rules count back from
    (:func:`prima.kipp.domain.rules.age_reference_close`); a datetime is taken in WIB.
    Raises KeyError for a group the edition does not have.
    """
    group = rules.group(candidate.group)
    ref = _reference_day(reference_close)
    results = [
        check_category(rules, candidate),
        check_age(group, candidate, ref),
        *check_history(rules, group, candidate, ref),
        *check_replication(group, candidate),
        *check_quota(group, candidate),
    ]
    if rules.eligibility.require_sdg:
        results.append(check_sdg(candidate))
    results.append(check_attachments(rules, group, candidate))
    if rules.eligibility.duplicate_title == "block_within_institution":
        results.append(check_duplicate_title(candidate))
    return results


def check_category(rules: EditionRules, candidate: Candidate) -> CheckResult:
    """Exactly one category, and one of the edition's."""
    labels = {category.code: category.label for category in rules.categories}
    if not candidate.category:
        return _fail("category", "incomplete", "Kategori belum dipilih; pilih satu kategori.")
    if candidate.category not in labels:
        return _fail(
            "category",
            "category_mismatch",
            f"Kategori {candidate.category!r} bukan kategori edisi {rules.code}.",
        )
    return _ok("category", f"Kategori: {labels[candidate.category]}.")


def check_age(group: GroupRule, candidate: Candidate, ref: date) -> CheckResult:
    """§9.1: implementation age at ``ref`` against the group's (or category's) minimum."""
    minimum = group.min_age_for(candidate.category)
    if candidate.implementation_start is None:
        return _fail("age", "age_unproven", "Tanggal mulai implementasi belum diisi.")
    if not candidate.has_start_evidence:
        return _fail(
            "age",
            "age_unproven",
            "Bukti mulai implementasi belum diunggah; usia inovasi tidak dapat dibuktikan.",
        )
    start = candidate.implementation_start
    latest = add_months(ref, -minimum)
    age = age_in_months(start, ref)
    exception = minimum != group.min_age_months
    rule = (
        f"minimal {minimum} bulan"
        + (f" untuk kategori {candidate.category}" if exception else "")
        + f", yaitu mulai paling lambat {format_date(latest)}"
    )
    if start <= latest:
        return _ok(
            "age",
            f"Usia implementasi {age} bulan pada {format_date(ref)} ({rule}).",
        )
    return _fail(
        "age",
        "age_below_minimum",
        f"Usia implementasi baru {age} bulan pada {format_date(ref)} "
        f"(mulai {format_date(start)}); syaratnya {rule}.",
    )


def _active(tiers: Iterable[TierHeld]) -> list[TierHeld]:
    return [tier for tier in tiers if not tier.revoked]


def _tiers_text(tiers: Sequence[TierHeld]) -> str:
    return ", ".join(f"{tier.tier} {tier.year}" for tier in tiers)


def check_history(
    rules: EditionRules, group: GroupRule, candidate: Candidate, ref: date
) -> list[CheckResult]:
    """§9.2: each exclusion rule of the group, then the group's ``requires``."""
    held = _active(candidate.tiers)
    results = [_check_exclusion(rules.exclusion_rules[name], held) for name in group.exclusions]
    if group.requires is not None:
        results.append(_check_requirement(group, group.requires, held, ref))
    return results


def _check_exclusion(rule: ExclusionRule, held: Sequence[TierHeld]) -> CheckResult:
    if rule.type == "held_tier_level":
        level = LEVEL_LABELS.get(rule.level or "", rule.level or "")
        hits = [tier for tier in held if tier.level == rule.level]
        if hits:
            return _fail(
                rule.name,
                rule.code,
                f"Inovasi pernah meraih peringkat tingkat {level}: {_tiers_text(hits)}.",
            )
        return _ok(rule.name, f"Inovasi belum pernah meraih peringkat tingkat {level}.")
    if rule.type == "held_tiers":
        barred = set(rule.tier_years)
        hits = [tier for tier in held if (tier.tier, tier.year) in barred]
        listed = ", ".join(f"{tier} {year}" for tier, year in rule.tier_years)
        if hits:
            return _fail(
                rule.name,
                rule.code,
                f"Inovasi pernah meraih {_tiers_text(hits)}; peringkat berikut menghalangi "
                f"pendaftaran: {listed}.",
            )
        return _ok(rule.name, f"Inovasi tidak memegang peringkat yang menghalangi ({listed}).")
    # tier_count_at_least: distinct editions holding a listed tier, consecutive or not.
    count = rule.count or 0
    years = sorted({tier.year for tier in held if tier.tier in rule.tiers})
    names = "/".join(rule.tiers)
    if len(years) >= count:
        return _fail(
            rule.name,
            rule.code,
            f"Inovasi sudah {len(years)} kali masuk {names} "
            f"({', '.join(map(str, years))}); batasnya kurang dari {count} kali.",
        )
    return _ok(rule.name, f"Inovasi masuk {names} {len(years)} kali (batas: kurang dari {count}).")


def _check_requirement(
    group: GroupRule, requires: Requirement, held: Sequence[TierHeld], ref: date
) -> CheckResult:
    level = LEVEL_LABELS.get(requires.held_tier_level, requires.held_tier_level)
    months = requires.min_months_since_decree
    latest = add_months(ref, -months)
    for tier in held:
        if tier.level != requires.held_tier_level:
            continue
        # Without a recorded decree date, assume the latest possible one, the last day of
        # the tier's year: a tier that qualifies even then surely qualifies.
        decree = tier.decree_date or date(tier.year, 12, 31)
        if decree <= latest:
            when = (
                format_date(tier.decree_date)
                if tier.decree_date
                else f"tanggal tidak tercatat, dianggap {format_date(decree)}"
            )
            return _ok(
                "requires",
                f"Memenuhi syarat {group.label}: {tier.tier} {tier.year} (keputusan {when}).",
            )
    return _fail(
        "requires",
        "required_tier_missing",
        f"{group.label} mensyaratkan peringkat tingkat {level} yang ditetapkan paling lambat "
        f"{format_date(latest)} ({months} bulan sebelum {format_date(ref)}); "
        "inovasi ini tidak memilikinya.",
    )


def _sources_text(sources: ReplicationSources) -> str:
    parts = []
    if sources.tiers:
        parts.append("/".join(sources.tiers))
    if sources.levels:
        parts.append("tingkat " + "/".join(LEVEL_LABELS.get(v, v) for v in sources.levels))
    if sources.years:
        parts.append(f"tahun {sources.years[0]}–{sources.years[1]}")
    return ", ".join(parts)


def _check_link(group: GroupRule, sources: ReplicationSources, candidate: Candidate) -> CheckResult:
    wanted = _sources_text(sources)
    if not candidate.sources:
        return _fail(
            "replication_link",
            "replication_link_missing",
            f"{group.label} wajib menautkan inovasi asal yang direplikasi ({wanted}).",
        )
    reasons = []
    for source in candidate.sources:
        if source.unit_id is not None and source.unit_id == candidate.unit_id:
            reasons.append(f"{source.id}: unit pelayanan yang sama dengan unit pereplikasi")
            continue
        hits = [
            tier
            for tier in _active(source.tiers)
            if sources.admits(tier.tier, tier.level, tier.year)
        ]
        if hits:
            return _ok(
                "replication_link",
                f"Inovasi asal {source.id} memenuhi syarat: {_tiers_text(hits)}.",
            )
        reasons.append(f"{source.id}: tidak memegang peringkat yang memenuhi syarat")
    return _fail(
        "replication_link",
        "replication_source_not_eligible",
        f"Tidak ada inovasi asal yang memenuhi syarat ({wanted}): {'; '.join(reasons)}.",
    )


def check_replication(group: GroupRule, candidate: Candidate) -> list[CheckResult]:
    """§9.3 for ``replication_link: required``; a forbidden or optional link has no effect."""
    if group.replication_link != "required":
        return []
    link = _check_link(
        group, group.replication_sources or ReplicationSources((), (), None), candidate
    )
    if candidate.has_replication_statement:
        statement = _ok("replication_statement", "Surat pernyataan replikasi sudah diunggah.")
    else:
        statement = _fail(
            "replication_statement",
            "incomplete",
            "Surat pernyataan replikasi belum diunggah.",
        )
    return [link, statement]


def check_quota(group: GroupRule, candidate: Candidate) -> list[CheckResult]:
    """§9.4: the institution's quota in the group; invitation-only groups need an invitation."""
    if group.invitation_only:
        if candidate.invited:
            return [_ok("invitation", f"{group.label}: ada undangan; tidak berlaku kuota.")]
        return [
            _fail(
                "invitation",
                NOT_INVITED,
                f"{group.label} hanya untuk inovasi yang diundang; undangan tidak ditemukan.",
            )
        ]
    quota = group.quota_per_institution
    if quota is None:
        return [_ok("quota", f"{group.label} tidak dibatasi kuota per instansi.")]
    count = candidate.institution_submitted_in_group
    if count >= quota:
        return [
            _fail(
                "quota",
                "quota_exceeded",
                f"Kuota {group.label} instansi ini sudah penuh ({count}/{quota} usulan diajukan).",
            )
        ]
    return [_ok("quota", f"Kuota {group.label}: usulan ini menjadi {count + 1}/{quota}.")]


def check_sdg(candidate: Candidate) -> CheckResult:
    """At least one SDG goal, each 1–17."""
    unknown = sorted(goal for goal in candidate.sdg_goals if goal not in SDG_GOALS)
    if unknown:
        return _fail(
            "sdg",
            "incomplete",
            f"Tujuan SDGs tidak dikenal: {', '.join(map(str, unknown))} (pilih 1–17).",
        )
    if not candidate.sdg_goals:
        return _fail("sdg", "incomplete", "Pilih minimal satu tujuan SDGs (1–17).")
    goals = ", ".join(map(str, sorted(candidate.sdg_goals)))
    return _ok("sdg", f"Tujuan SDGs: {goals}.")


def check_attachments(rules: EditionRules, group: GroupRule, candidate: Candidate) -> CheckResult:
    """The group's required attachment kinds are all present."""
    missing = [
        kind
        for kind in rules.attachments.required_for(group.code)
        if kind not in candidate.attachments
    ]
    if missing:
        names = ", ".join(ATTACHMENT_KINDS.get(kind, kind) for kind in missing)
        return _fail("attachments", "incomplete", f"Lampiran wajib belum diunggah: {names}.")
    return _ok("attachments", "Semua lampiran wajib sudah diunggah.")


def normalise_title(title: str) -> str:
    """Title for comparison: NFKC, case-folded, punctuation dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKC", title).casefold()
    text = "".join(char if unicodedata.category(char)[0] in "LN" else " " for char in text)
    return re.sub(r"\s+", " ", text).strip()


def check_duplicate_title(candidate: Candidate) -> CheckResult:
    """No other proposal of the institution in the edition with the same normalised title."""
    own = normalise_title(candidate.title)
    for other in candidate.other_titles_in_institution:
        if own and normalise_title(other) == own:
            return _fail(
                "duplicate_title",
                "duplicate_title",
                f"Instansi ini sudah mempunyai usulan berjudul {other!r} di edisi ini.",
            )
    return _ok("duplicate_title", "Tidak ada judul yang sama dalam instansi.")
