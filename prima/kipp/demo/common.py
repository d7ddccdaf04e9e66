"""What both demo editions share: constants, the context over the national plan, and
the planning of proposals (eligibility, submission, the admin check, answers), score sheets
and the desk assignment.

Everything here mirrors what the domain actions would have written (the transitions and
their reasons, `AdminCheck` contents, the subject's strata and text, the assignment run's
parameters), so the demo reads like an edition run through Prima.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from prima.core.demo.plan import JAKARTA, DemoPlan, InnovationSpec, InstitutionSpec
from prima.core.demo.themes import THEMES
from prima.evaluation.domain import assignment, scoring
from prima.evaluation.domain.affinity import expertise_affinity
from prima.evaluation.domain.instruments import Instrument, parse
from prima.kipp.demo import texts
from prima.kipp.demo.specs import (
    AdminSpec,
    AppointmentSpec,
    EditionSpec,
    KippPlan,
    ProposalSpec,
    RunSpec,
    SheetSpec,
    StageSpec,
    Transition,
)
from prima.kipp.domain import eligibility, extra_forms, rules
from prima.kipp.domain.stages import KIPP_STAGES

ROOT = Path(__file__).resolve().parents[3]
INSTRUMENT_FILES = ("kipp-2021.yaml", "kipp-2025.yaml")
CODE_2021 = "kipp-2021"
CODE_2025 = "kipp-2025"
# Published funnel sizes (kipp.md §16): the demo never registers more than these.
REGISTERED_2021 = 3_178
REGISTERED_2025 = 3_051
# 2021 entrants per finalist (≈ 300 at the default demo size of 3,000 innovations).
ENTRANTS_PER_FINALIST_2021 = 30
EVALUATORS_2025 = 120
PANELISTS_2021 = 6
PANELISTS_2025 = 8
# The demo's "today" in KIPP 2025: one week into the desk evaluation.
NOW_2025 = dt.datetime(2025, 7, 7, 10, 0, tzinfo=JAKARTA)
DESK_DEPLOYED_2025 = dt.datetime(2025, 6, 30, 8, 0, tzinfo=JAKARTA)
SHARE_FINAL = 0.4
SHARE_DRAFT = 0.1
CATEGORY_BONUS = 1.0  # as prima.evaluation.domain.runs.DEFAULT_CATEGORY_BONUS
# Transition reasons as the domain writes them (prima.kipp.domain.decisions).
DEPLOYED_REASON = "Penugasan tahap «%s» diterapkan."
DESK_LABEL = "Penilaian Tim Evaluasi"
PANEL_LABEL = "Penilaian Tim Panel Independen"
# Announcement signatory and decree of the demo (illustrative names and numbers).
SIGNATORY = ("Dra. Rini Hapsari, M.Si.", "Deputi Bidang Pelayanan Publik")
DECREE_2021 = "Keputusan Menteri PANRB Nomor 1090 Tahun 2021"
DECREE_DATE_2021 = dt.date(2021, 9, 20)
AWARD_DATE_2021 = dt.date(2021, 11, 9)
AWARD_EVENT_2021 = "Penganugerahan Top 45 Inovasi Pelayanan Publik Terpuji Tahun 2021"
FINALISTS_LETTER_2021 = "B/131/PP.00.05/2021"
VIDEO_HOST = "https://video.prima-demo.example"
ATTACHMENT_EXTRAS = ("standar_pelayanan", "maklumat_pelayanan", "dokumen_evaluasi")
RETURN_NOTES = (
    "Lengkapi bukti mulai implementasi dan tambahkan angka pembanding pada Signifikansi.",
    "SK inovator belum ditandatangani; unggah ulang versi yang sudah ditandatangani.",
    "Uraian Kebaruan masih menyalin ringkasan; jelaskan apa yang baru.",
)
# Reasons the secretariat records when it fails a proposal whose automatic checks passed
# (kipp.md §9: reason codes, "other" with a note): (codes, note).
ADMIN_FAILURES: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("careless_content",),
        "Isian beberapa bagian menyalin ringkasan dan tidak menjawab pertanyaan bagian.",
    ),
    (
        ("careless_content",),
        "Isian bagian Signifikansi dan Keberlanjutan tidak relevan dengan inovasi.",
    ),
    (("incomplete",), "SK inovator tidak ditandatangani pejabat yang berwenang."),
    (("incomplete",), "Pernyataan kebenaran data tidak bermeterai dan tidak bertanda tangan."),
    (
        ("age_unproven",),
        "Bukti mulai implementasi tidak mencantumkan tanggal; usia inovasi tidak terbukti.",
    ),
    (
        ("age_unproven", "incomplete"),
        "Bukti mulai implementasi berupa foto kegiatan tanpa tanggal dan dokumen resmi.",
    ),
    (("category_mismatch",), "Substansi inovasi tidak sesuai dengan kategori yang dipilih."),
    (("other",), "Usulan merupakan pelaksanaan program nasional tanpa pembaruan oleh instansi."),
)
ADMIN_FAILURE_WEIGHTS = (20, 15, 15, 10, 12, 6, 12, 10)
# The note of the secretariat's override on an imported finalist whose check failed.
IMPORTED_OVERRIDE = (
    "Dikonfirmasi sekretariat: bukti uji coba terbatas menunjukkan usia inovasi memenuhi syarat."
)


def wib_at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """That day at that time in Jakarta (WIB)."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=JAKARTA)


def between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    """A moment in [start, end], to the minute, during office hours when the span allows."""
    if end <= start:
        return start
    moment = (start + (end - start) * rng.random()).replace(second=0, microsecond=0)
    office = moment.replace(hour=rng.randint(8, 16), minute=rng.randint(0, 59))
    if start <= office <= end:
        return office
    return max(start, moment)


def jsonable(value: Any) -> Any:
    """Plain JSON data: Decimals become int/float, dates ISO text (as the YAML reads)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def check_rows(results: Iterable[eligibility.CheckResult]) -> list[dict[str, Any]]:
    return [
        {"rule": r.rule, "passed": r.passed, "code": r.code, "message": r.message} for r in results
    ]


def clamp(value: float) -> int:
    return max(0, min(100, round(value)))


def section_limits(instrument: Instrument, group: str) -> dict[str, int]:
    return {s.code: s.max_words for s in instrument.visible_sections(group)}


def weighted(values: Mapping[str, int], weights: Mapping[str, Decimal]) -> Decimal:
    return scoring.weighted_total(values, weights)


def mean_of(values: Sequence[Decimal]) -> Decimal:
    return sum(values, start=Decimal(0)) / len(values)


@dataclass
class Context:
    """The national plan, indexed for the KIPP planner."""

    demo: DemoPlan
    institutions: dict[str, InstitutionSpec]
    themes: dict[str, Any]
    awards: dict[int, list[tuple[int, str, str]]]  # innovation → [(year, tier, level)]
    sources_of: dict[int, list[int]]  # replica → its sources
    link_of: dict[tuple[int, int], Any]  # (replica, source) → LinkSpec
    replicas_of: dict[int, list[int]]  # source → its replicas
    region_3t: set[str]

    def innovation(self, index: int) -> InnovationSpec:
        return self.demo.innovations[index]

    def institution(self, index: int) -> InstitutionSpec:
        return self.institutions[self.innovation(index).institution_name]

    def unit_key(self, index: int) -> str:
        spec = self.innovation(index)
        return f"{spec.institution_name}|{spec.unit_name}"

    def tiers_before(self, index: int, year: int) -> tuple[eligibility.TierHeld, ...]:
        return tuple(
            eligibility.TierHeld(tier=tier, year=held, level=level)
            for held, tier, level in self.awards.get(index, [])
            if held < year
        )

    def province(self, index: int) -> str:
        """The province for conflicts and strata: local institutions only (kipp.md §11.2)."""
        spec = self.institution(index)
        return spec.province_code if spec.region_code else ""

    def is_3t(self, index: int) -> bool:
        return self.institution(index).region_code in self.region_3t

    def answer_context(self, index: int, year: int) -> texts.AnswerContext:
        spec = self.innovation(index)
        institution = self.institution(index)
        theme = self.themes.get(spec.theme)
        if institution.region_code:
            funding = f"APBD {institution.short_name}"
        elif institution.kind in ("state_enterprise", "regional_enterprise"):
            funding = "anggaran perusahaan"
        else:
            funding = "APBN"
        replicated_by = tuple(
            dict.fromkeys(
                self.institution(replica).short_name
                for replica in self.replicas_of.get(index, [])
                if self.innovation(replica).started_on.year < year
            )
        )
        source = None
        for source_index in self.sources_of.get(index, []):
            link = self.link_of[(index, source_index)]
            held = self.tiers_before(source_index, year)
            tier = f"{held[0].tier} KIPP {held[0].year}" if held else ""
            original = self.innovation(source_index)
            source = texts.SourceText(
                name=original.name,
                institution=self.institution(source_index).short_name,
                tier=tier.replace("top99", "Top 99").replace("top45", "Top 45"),
                adaptation=link.adaptation,
                differences=link.differences,
            )
            if held:
                break
        return texts.AnswerContext(
            name=spec.name,
            unit=spec.unit_name,
            institution=institution.short_name,
            summary=spec.summary,
            problem=spec.problem,
            approach=spec.approach,
            results=spec.results,
            beneficiaries=spec.beneficiaries,
            adaptation=theme.adaptation if theme else "",
            started_on=spec.started_on,
            is_digital=spec.is_digital,
            sdg_goals=spec.sdg_goals,
            funding=funding,
            replicated_by=replicated_by,
            source=source,
        )


def build_context(demo: DemoPlan) -> Context:
    awards: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for award in demo.awards:
        awards[award.innovation].append((award.year, award.tier, award.level))
    sources_of: dict[int, list[int]] = defaultdict(list)
    replicas_of: dict[int, list[int]] = defaultdict(list)
    link_of = {}
    for link in demo.links:
        sources_of[link.replica].append(link.source)
        replicas_of[link.source].append(link.replica)
        link_of[(link.replica, link.source)] = link
    region_3t = {
        spec.region_code
        for spec in demo.institutions
        if spec.region_code and (spec.is_disadvantaged or spec.is_border)
    }
    return Context(
        demo=demo,
        institutions={spec.name: spec for spec in demo.institutions},
        themes={theme.key: theme for theme in THEMES},
        awards=dict(awards),
        sources_of=dict(sources_of),
        link_of=link_of,
        replicas_of=dict(replicas_of),
        region_3t=region_3t,
    )


def rules_data(name: str) -> Any:
    return parse(ROOT / "editions" / name)


def edition_rules_of(data: dict[str, Any]) -> rules.EditionRules:
    problems = rules.validate_rules(data)
    if problems:
        raise rules.RulesError(problems)
    return rules.build_rules(data)


def stage_specs(
    windows: Mapping[str, tuple[dt.datetime | None, dt.datetime | None]],
    skipped: set[str],
    open_code: str | None,
) -> list[StageSpec]:
    """One stage per KIPP_STAGES template: closed before `open_code`, pending after."""
    codes = [template.code for template in KIPP_STAGES]
    open_at = codes.index(open_code) if open_code else len(codes)
    result = []
    for position, template in enumerate(KIPP_STAGES):
        starts, ends = windows.get(template.code, (None, None))
        if template.code in skipped:
            status, opened, closed = "skipped", None, None
            starts = ends = None
        elif position < open_at:
            status, opened, closed = "closed", starts, ends
        elif position == open_at:
            status, opened, closed = "open", starts, None
        else:
            status, opened, closed = "pending", None, None
        result.append(StageSpec(template, position, status, starts, ends, opened, closed))
    return result


def attachment_kinds(
    rng: random.Random, edition_rules: rules.EditionRules, group: str
) -> tuple[str, ...]:
    kinds = list(edition_rules.attachments.required_for(group))
    kinds += [kind for kind in ATTACHMENT_EXTRAS if rng.random() < 0.5]
    return tuple(dict.fromkeys(kinds))


def video_link(rng: random.Random, code: str, index: int) -> tuple[str, Decimal]:
    minutes = Decimal(rng.choice(("1.5", "2.0", "2.5", "3.0")))
    return f"{VIDEO_HOST}/{code}/{index:05d}", minutes


def spbe_answers(
    index: int, innovation: InnovationSpec, institution: InstitutionSpec, year: int
) -> dict[str, Any]:
    """The SPBE form of a demo proposal (editions from 2023): «tidak» for an innovation
    that is not digital, otherwise a complete form. Drawn from a random stream of its own
    (seeded by the innovation) so that adding it left every other demo number unchanged."""
    if not innovation.is_digital:
        return {"berbasis_elektronik": extra_forms.NO}
    rng = random.Random(f"spbe-{index}")
    name = innovation.acronym or innovation.name
    host = "".join(ch for ch in name.lower() if ch.isalnum())[:24] or f"layanan{index}"
    domain = institution.email_domain or "prima-demo.example"
    platforms = [p for p in ("web", "android", "ios") if p == "web" or rng.random() < 0.5]
    answers: dict[str, Any] = {
        "berbasis_elektronik": extra_forms.YES,
        "nama_aplikasi": name[:100],
        "alamat_akses": f"https://{host}.{domain}",
        "platform": platforms,
        "pengelola": rng.choices(
            ("instansi_sendiri", "instansi_pemerintah_lain", "pihak_ketiga"), (7, 2, 1)
        )[0],
        "hosting": rng.choices(("pdn", "pusat_data_instansi", "cloud_pihak_ketiga"), (3, 5, 2))[0],
        "integrasi": [c for c in ("splp", "satu_data", "identitas_digital") if rng.random() < 0.3],
        "data_pribadi": extra_forms.YES if rng.random() < 0.7 else extra_forms.NO,
        "uji_keamanan": extra_forms.YES if rng.random() < 0.5 else extra_forms.NO,
    }
    if answers["data_pribadi"] == extra_forms.YES:
        answers["pelindungan_data"] = rng.choice(texts.DATA_PROTECTION)
    if answers["uji_keamanan"] == extra_forms.YES:
        answers["tahun_uji_keamanan"] = year - rng.randint(0, 2)
    return {code: value for code, value in answers.items() if value != []}


def eligibility_candidate(
    ctx: Context,
    index: int,
    year: int,
    group: str,
    category: str,
    attachments: tuple[str, ...],
    submitted_in_group: int,
    other_titles: tuple[str, ...],
) -> eligibility.Candidate:
    spec = ctx.innovation(index)
    sources = tuple(
        eligibility.SourceInnovation(
            id=source, unit_id=ctx.unit_key(source), tiers=ctx.tiers_before(source, year)
        )
        for source in ctx.sources_of.get(index, [])
    )
    return eligibility.Candidate(
        group=group,
        category=category,
        implementation_start=spec.started_on,
        has_start_evidence="bukti_mulai_implementasi" in attachments,
        unit_id=ctx.unit_key(index),
        tiers=ctx.tiers_before(index, year),
        sources=sources,
        has_replication_statement="pernyataan_replikasi" in attachments,
        institution_submitted_in_group=submitted_in_group,
        sdg_goals=frozenset(spec.sdg_goals),
        attachments=frozenset(attachments),
        title=spec.name,
        other_titles_in_institution=other_titles,
    )


def replication_group(
    ctx: Context, index: int, year: int, edition_rules: rules.EditionRules
) -> str:
    """`replikasi` for a replica of an original holding an admitted tier, else `umum`."""
    group = edition_rules.groups.get("replikasi")
    if group is None or group.replication_sources is None:
        return "umum"
    for source in ctx.sources_of.get(index, []):
        for held in ctx.tiers_before(source, year):
            if group.replication_sources.admits(held.tier, held.level, held.year):
                return "replikasi"
    return "umum"


def unique_titles(ctx: Context, indexes: Iterable[int]) -> list[int]:
    """Keep one innovation per normalised title and institution (no duplicate entries)."""
    seen: set[tuple[str, str]] = set()
    result = []
    for index in indexes:
        spec = ctx.innovation(index)
        key = (spec.institution_name, eligibility.normalise_title(spec.name))
        if key not in seen:
            seen.add(key)
            result.append(index)
    return result


def draft_path(rng: random.Random, created: dt.datetime, close: dt.datetime) -> list[Transition]:
    """A proposal still with the participant at close: draft, at Admin Lokal or returned."""
    path = [Transition("", "draft", created)]
    draw = rng.random()
    if draw < 0.55:
        return path
    sent = between(rng, created + dt.timedelta(days=1), close - dt.timedelta(hours=6))
    path.append(Transition("draft", "at_institution", sent))
    if draw < 0.8:
        return path
    back = between(rng, sent + dt.timedelta(hours=4), close - dt.timedelta(hours=2))
    path.append(Transition("at_institution", "returned", back, reason=rng.choice(RETURN_NOTES)))
    return path


def submit_path(rng: random.Random, created: dt.datetime, close: dt.datetime) -> list[Transition]:
    sent = between(rng, created + dt.timedelta(days=1), close - dt.timedelta(days=2))
    submitted = between(rng, sent + dt.timedelta(hours=3), close - dt.timedelta(hours=2))
    return [
        Transition("", "draft", created),
        Transition("draft", "at_institution", sent),
        Transition("at_institution", "submitted", submitted),
    ]


@dataclass
class Entry:
    """A proposal being planned: its innovation, group, category and planned outcome."""

    index: int
    group: str
    category: str
    attachments: tuple[str, ...]
    created_at: dt.datetime
    outcome: str  # draft | fail | pass | finalist | winner | nominated
    transitions: list[Transition] = field(default_factory=list)
    checks: list[eligibility.CheckResult] = field(default_factory=list)


def admin_spec(
    rng: random.Random,
    checks: list[eligibility.CheckResult],
    decided_at: dt.datetime,
    *,
    passed: bool,
    secretariat: tuple[int | str, str],
) -> tuple[AdminSpec, str]:
    """The admin check record and the reason of its transition (as `decide_admin_check`).

    A failure carries the secretariat's reason codes and note; a pass over a failed
    automatic check (only imported 2021 finalists) carries the secretariat's override.
    """
    automatic = check_rows(checks)
    if passed:
        overrides = [
            {
                "rule": check.rule,
                "code": check.code,
                "note": IMPORTED_OVERRIDE,
                "by": secretariat[0],
                "by_name": secretariat[1],
                "at": decided_at.isoformat(),
            }
            for check in checks
            if not check.passed
        ]
        return AdminSpec(automatic, overrides, True, [], "", decided_at), ""
    codes, note = rng.choices(ADMIN_FAILURES, weights=ADMIN_FAILURE_WEIGHTS)[0]
    reason = f"{', '.join(codes)} — {note}"
    return AdminSpec(automatic, [], False, list(codes), note, decided_at), reason


def proposal_spec(
    ctx: Context,
    rng: random.Random,
    edition: EditionSpec,
    instrument: Instrument,
    entry: Entry,
    *,
    careless: bool = False,
) -> ProposalSpec:
    spec = ctx.innovation(entry.index)
    institution = ctx.institution(entry.index)
    limits = section_limits(instrument, entry.group)
    submitted = any(t.to_state == "submitted" for t in entry.transitions)
    if not submitted and rng.random() < 0.5:
        # A draft still being written: its last sections are empty.
        limits = dict(list(limits.items())[: rng.randint(2, len(limits))])
    answers = texts.answers(
        rng, ctx.answer_context(entry.index, edition.year), limits, careless=careless
    )
    video_url, minutes = video_link(rng, edition.code, entry.index)
    has_video = submitted or rng.random() < 0.6
    extra: dict[str, Any] = {}
    if "spbe" in (edition.rules.get("extra_forms") or ()):
        extra["spbe"] = spbe_answers(entry.index, spec, institution, edition.year)
    return ProposalSpec(
        edition=edition.code,
        innovation=entry.index,
        title=spec.name,
        group=entry.group,
        category=entry.category,
        sdg_goals=list(spec.sdg_goals),
        answers=answers,
        video_url=video_url if has_video else "",
        video_minutes=minutes if has_video else None,
        declaration=submitted,
        state=entry.transitions[-1].to_state,
        created_at=entry.created_at,
        transitions=entry.transitions,
        attachments=entry.attachments,
        institution=institution.name,
        institution_kind=institution.kind,
        province=ctx.province(entry.index),
        region_3t=ctx.is_3t(entry.index),
        # As `_sync_subject` writes it: the answers, one paragraph each.
        text="\n\n".join(text for text in answers.values() if text),
        submitted_at=next((t.at for t in entry.transitions if t.to_state == "submitted"), None),
        extra_answers=extra,
    )


def admit(
    ctx: Context,
    rng: random.Random,
    edition_rules: rules.EditionRules,
    entries: list[Entry],
    decision: tuple[dt.datetime, dt.datetime],
    *,
    force: Callable[[Entry], bool] = lambda entry: False,
) -> None:
    """Submission (only when every §9 pre-check passes) and the admin-check outcome.

    Proposals go in by their planned submission time, so quotas count the institution's
    proposals submitted before; one that fails a pre-check stays with the participant.
    `force` marks entries that were submitted whatever the checks said (imported history).
    """
    close = rules.effective_close(edition_rules)
    reference = rules.age_reference_close(edition_rules)
    titles: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        titles[ctx.innovation(entry.index).institution_name].append(
            ctx.innovation(entry.index).name
        )
    planned = {
        id(entry): submit_path(rng, entry.created_at, close)
        for entry in entries
        if entry.outcome != "draft"
    }
    submitted: Counter[tuple[str, str]] = Counter()
    order = sorted(entries, key=lambda e: planned[id(e)][-1].at if id(e) in planned else close)
    for entry in order:
        spec = ctx.innovation(entry.index)
        others = list(titles[spec.institution_name])
        others.remove(spec.name)
        candidate = eligibility_candidate(
            ctx,
            entry.index,
            edition_rules.year,
            entry.group,
            entry.category,
            entry.attachments,
            submitted[(spec.institution_name, entry.group)],
            tuple(others),
        )
        entry.checks = eligibility.check_eligibility(
            edition_rules, candidate, reference_close=reference
        )
        eligible = not eligibility.failures(entry.checks)
        if entry.outcome == "draft" or not (eligible or force(entry)):
            entry.outcome = "draft"
            entry.transitions = draft_path(rng, entry.created_at, close)
            continue
        submitted[(spec.institution_name, entry.group)] += 1
        entry.transitions = planned[id(entry)]
        decided = between(rng, *decision)
        entry.transitions.append(
            Transition(
                "submitted",
                "admin_failed" if entry.outcome == "fail" else "admin_passed",
                decided,
                by_secretariat=True,
            )
        )


def final_sheet(
    rng: random.Random,
    weights: Mapping[str, Decimal],
    target: float,
    spread: float,
    saved_at: dt.datetime,
    instrument: str,
    *,
    fixed: Mapping[str, int] | None = None,
) -> SheetSpec:
    values = {code: clamp(target + rng.uniform(-spread, spread)) for code in weights}
    values.update(fixed or {})
    total = weighted(values, weights)
    comments = {code: texts.section_comment(rng) for code in values if rng.random() < 0.2}
    return SheetSpec(
        status="final",
        values=values,
        comments=comments,
        note=texts.review_note(rng, float(total)),
        total=total,
        saved_at=saved_at,
        finalised_at=saved_at,
        instrument=instrument,
    )


def solve_desk(
    plan: KippPlan,
    run: RunSpec,
    subjects: Sequence[ProposalSpec],
    assessors: Sequence[AppointmentSpec],
    conflicts: frozenset[tuple[str, str]],
    *,
    k: int,
) -> assignment.Solution:
    """The desk assignment as `prima.evaluation.domain.runs.build_problem` sets it up:
    demand k, loads [min, auto], the rules same_institution and same_province, explicit
    conflict pairs, TF-IDF affinity plus a bonus when the proposal's category is one of
    the evaluator's; solved by the real solver. Stores `run` with the outcome."""
    max_load = rules.auto_max_load(k, len(subjects), len(assessors))
    started = time.perf_counter()
    affinity: dict[tuple[str, str], float] = {
        pair: value
        for pair, value in expertise_affinity(
            {str(p.innovation): p.text for p in subjects},
            {a.username: a.expertise for a in assessors},
        ).items()
        if value > 0
    }
    plan.timings[f"affinity_{run.edition}"] = time.perf_counter() - started
    for proposal in subjects:
        for assessor in assessors:
            if proposal.category in assessor.categories:
                pair = (str(proposal.innovation), assessor.username)
                affinity[pair] = affinity.get(pair, 0.0) + CATEGORY_BONUS
    problem = assignment.Problem(
        subjects=tuple(
            assignment.Subject(
                str(p.innovation), k, institution=p.institution, province=p.province or None
            )
            for p in subjects
        ),
        assessors=tuple(
            assignment.Assessor(
                id=a.username,
                min_load=min(a.min_load, max_load),
                max_load=max_load,
                institution=a.affiliation,
                province=a.home_province or None,
            )
            for a in assessors
        ),
        affinity=affinity,
        conflicts=conflicts,
        conflict_rules=frozenset({"same_institution", "same_province"}),
    )
    solution = assignment.solve(problem)
    duration = time.perf_counter() - started
    plan.timings[f"solve_{run.edition}"] = duration
    if solution.status != "optimal":
        raise RuntimeError(f"demo {run.edition}: penugasan tidak layak: {solution.diagnosis}")
    plan.runs.append(
        dataclasses.replace(
            run,
            # The shape `run_assignment` stores: the settings and the problem's notes.
            parameters={
                "requested": {},
                "demand": k,
                "max_load": "auto",
                "min_load": 0,
                "category_bonus": CATEGORY_BONUS,
                "affinity_top_k": None,
                "keep_scored": True,
                "pools": None,
                "affinity": "tfidf",
                "subjects": len(subjects),
                "assessors": len(assessors),
                "assessors_not_ready": 0,
                "auto_max_load": max_load,
                "explicit_conflicts": len(conflicts),
                "pinned": 0,
                "scored_pairs_pinned": 0,
                "ignored_pins": [],
                "scored_pairs_not_pinned": [],
            },
            objective=float(solution.objective or 0),
            duration_ms=round(duration * 1000),
            subject_count=len(subjects),
            assessor_count=len(assessors),
        )
    )
    return solution
