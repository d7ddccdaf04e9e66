"""KIPP 2025 in the demo: registration closed, the admin check announced, the desk
evaluation open with the real solver's assignment deployed and about 40 % of the reviews
final (kipp.md §6.1, §8–§10).

Up to the real 3,051 registered proposals come from the national plan's innovations; those
that pass the §9 pre-checks were submitted (the others stay with the participant), most of
those passed the administrative check, the rest failed with the secretariat's reason codes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from prima.core.dates import full_date
from prima.evaluation.domain import assignment
from prima.kipp.demo import people, texts
from prima.kipp.demo.common import (
    CODE_2025,
    DEPLOYED_REASON,
    DESK_DEPLOYED_2025,
    DESK_LABEL,
    NOW_2025,
    PANELISTS_2025,
    REGISTERED_2025,
    SHARE_DRAFT,
    SHARE_FINAL,
    Context,
    Entry,
    admin_spec,
    admit,
    attachment_kinds,
    between,
    clamp,
    edition_rules_of,
    jsonable,
    proposal_spec,
    replication_group,
    rules_data,
    solve_desk,
    stage_specs,
    unique_titles,
    weighted,
    wib_at,
)
from prima.kipp.demo.specs import (
    AnnouncementSpec,
    AppointmentSpec,
    AssignmentSpec,
    ConflictSpec,
    EditionSpec,
    EvaluatorEntry,
    KippPlan,
    PersonSpec,
    ProposalSpec,
    RunSpec,
    SheetSpec,
    Transition,
)
from prima.kipp.domain import extra_forms, rules
from prima.kipp.domain.admin_check import extra_form_rows
from prima.kipp.domain.stages import skipped_stages


def _edition_2025(ctx: Context) -> tuple[EditionSpec, rules.EditionRules]:
    return edition_spec(ctx, rules_data("kipp-2025.yaml"), "desk_evaluation")


def edition_spec(
    ctx: Context, data: dict[str, Any], state: str
) -> tuple[EditionSpec, rules.EditionRules]:
    """An edition run on the 2025-style calendar, `state` its open stage (also for 2024)."""
    edition_rules = edition_rules_of(data)
    cal = edition_rules.calendar
    close = rules.effective_close(edition_rules)

    def window(name: str) -> tuple[dt.datetime | None, dt.datetime | None]:
        span = cal.window(name)
        return (span.start, span.end) if span else (None, None)

    pre = cal.window("pre_announcement")
    admin = window("admin_selection")
    desk = window("desk_evaluation")
    windows = {
        "launched": (pre.start if pre else cal.registration.start, cal.registration.start),
        "registration_open": (cal.registration.start, close),
        "registration_closed": (close, admin[0]),
        "admin_selection": admin,
        "desk_evaluation": desk,
        "final_stage": window("panel_assessment"),
        "results": window("final_plenary"),
    }
    if desk[1] is not None:
        days = edition_rules.objection_window.days or 5
        start = wib_at(desk[1].date() + dt.timedelta(days=3), 0)
        windows["objection_window"] = (start, start + dt.timedelta(days=days, seconds=-1))
    edition = EditionSpec(
        code=edition_rules.code,
        year=edition_rules.year,
        ordinal=edition_rules.ordinal,
        title=f"KIPP {edition_rules.year}",
        theme=edition_rules.theme or "",
        legal_refs=list(edition_rules.legal_refs),
        state=state,
        rules=jsonable(data),
        rules_frozen_at=cal.registration.start,
        instrument=edition_rules.proposal_sections,
        region_3t_codes=sorted(ctx.region_3t),
        registration_close=close,
        stages=stage_specs(windows, skipped_stages(jsonable(data)), state),
    )
    return edition, edition_rules


def _entries_2025(
    ctx: Context, rng: random.Random, edition_rules: rules.EditionRules
) -> list[Entry]:
    close = rules.effective_close(edition_rules)
    opened = edition_rules.calendar.registration.start
    first_known = 3  # the three real Payakumbuh innovations always take part
    pool = [
        index
        for index, spec in enumerate(ctx.demo.innovations)
        if spec.status != "stopped"
        and spec.registered_at is not None
        and spec.registered_at < close - dt.timedelta(days=3)
    ]
    pool = unique_titles(ctx, pool)
    known = [index for index in pool if index < first_known]
    others = [index for index in pool if index >= first_known]
    if len(pool) > REGISTERED_2025:
        others = sorted(rng.sample(others, REGISTERED_2025 - len(known)))
    entries = []
    for index in known + others:
        spec = ctx.innovation(index)
        group = replication_group(ctx, index, edition_rules.year, edition_rules)
        category = people.asta_cita(spec.theme, spec.categories)
        attachments = attachment_kinds(rng, edition_rules, group)
        assert spec.registered_at is not None
        start = max(opened, spec.registered_at + dt.timedelta(days=1))
        created = between(rng, start, close - dt.timedelta(days=2))
        draw = rng.random()
        if index < first_known:
            outcome = "pass"
        elif draw < 0.05:
            outcome = "draft"
        elif draw < 0.13:
            outcome = "fail"
        else:
            outcome = "pass"
        entries.append(Entry(index, group, category, attachments, created, outcome))
    return entries


def plan_2025(
    ctx: Context, rng: random.Random, plan: KippPlan, secretariat: tuple[int | str, str]
) -> tuple[rules.EditionRules, list[ProposalSpec]]:
    edition, edition_rules = _edition_2025(ctx)
    plan.editions.append(edition)
    instrument = plan.instruments[edition.instrument]
    spbe_form = extra_forms.forms_for(edition_rules.extra_forms)
    entries = _entries_2025(ctx, rng, edition_rules)
    admin = edition_rules.calendar.window("admin_selection")
    assert admin is not None
    decision = (admin.start + dt.timedelta(hours=8), admin.end - dt.timedelta(hours=9))
    admit(ctx, rng, edition_rules, entries, decision)
    proposals: list[ProposalSpec] = []
    for entry in sorted(entries, key=lambda e: e.index):
        record = None
        careless = False
        if entry.outcome in ("pass", "fail"):
            decided = entry.transitions[-1].at
            record, note = admin_spec(
                rng,
                entry.checks,
                decided,
                passed=entry.outcome == "pass",
                secretariat=secretariat,
            )
            careless = "careless_content" in record.reasons
            if note:
                last = entry.transitions[-1]
                entry.transitions[-1] = dataclasses.replace(last, reason=note)
            if entry.outcome == "pass":
                deployed = DESK_DEPLOYED_2025 + dt.timedelta(seconds=len(proposals))
                entry.transitions.append(
                    Transition(
                        "admin_passed", "desk_review", deployed, True, DEPLOYED_REASON % DESK_LABEL
                    )
                )
        proposal = proposal_spec(ctx, rng, edition, instrument, entry, careless=careless)
        if record is not None:
            # The automatic checks also read the frozen SPBE form (admin_check.extra_form_rows).
            record.automatic.extend(
                extra_form_rows(spbe_form, {"extra_answers": proposal.extra_answers})
            )
        proposal.admin = record
        proposal.subject_active = proposal.state == "desk_review"
        proposals.append(proposal)
    plan.proposals += proposals
    passed = [p.innovation for p in proposals if p.admin and p.admin.passed]
    admin_end = admin.end.date()
    plan.announcements += [
        AnnouncementSpec(
            edition=edition.code,
            kind="launch",
            number="B/27/PP.00.05/2025",
            date=edition_rules.calendar.registration.start.date(),
            title=f"Peluncuran Kompetisi Inovasi Pelayanan Publik Tahun {edition.year}",
            body=(
                f"Kompetisi Inovasi Pelayanan Publik Tahun {edition.year} dengan tema "
                f"«{edition.theme}» dibuka. Pendaftaran proposal berlangsung sampai "
                f"{full_date(edition.registration_close.date())} pukul 23.59 WIB."
            ),
            published_at=wib_at(edition_rules.calendar.registration.start.date(), 10),
        ),
        AnnouncementSpec(
            edition=edition.code,
            kind="admin_result",
            number="B/152/PP.00.05/2025",
            date=admin_end,
            title=f"Hasil Seleksi Administrasi KIPP Tahun {edition.year}",
            body=(
                f"Sebanyak {len(passed)} proposal dinyatakan lolos seleksi administrasi dan "
                "dilanjutkan ke penilaian Tim Evaluasi. Alasan ketidaklolosan dapat dilihat "
                "oleh masing-masing instansi."
            ),
            published_at=wib_at(admin_end, 16),
        ),
    ]
    return edition_rules, proposals


# Ministries whose representatives join the 2025 panel, one Asta Cita pool each.
PANEL_MINISTRIES_2025 = (
    ("Kementerian Kesehatan", ("AC4",)),
    ("Kementerian Dalam Negeri", ("AC7", "AC1")),
    ("Kementerian Pertanian", ("AC2",)),
    ("Kementerian Perindustrian", ("AC5", "AC3")),
    ("Kementerian Sosial", ("AC6",)),
    ("Kementerian Lingkungan Hidup dan Kehutanan", ("AC8",)),
)


def appoint_panel_2025(ctx: Context, panel_pool: Sequence[PersonSpec]) -> list[AppointmentSpec]:
    ready = wib_at(dt.date(2025, 7, 1), 10)
    result = []
    for number, person in enumerate(panel_pool[: PANELISTS_2025 + 1]):
        affiliation: str | None = None
        categories: tuple[str, ...] = ("AC1", "AC2", "AC3", "AC4", "AC5", "AC6", "AC7", "AC8")
        if 1 <= number <= len(PANEL_MINISTRIES_2025):
            name, categories = PANEL_MINISTRIES_2025[number - 1]
            affiliation = name if name in ctx.institutions else None
        result.append(
            AppointmentSpec(
                edition=CODE_2025,
                username=person.username,
                role="panel_chair" if number == len(PANEL_MINISTRIES_2025) + 1 else "panelist",
                university="",
                home_province="31",
                expertise=person.expertise,
                categories=categories,
                ready_at=ready + dt.timedelta(minutes=11 * number),
                is_active=True,
                affiliation=affiliation,
            )
        )
    return result


def _conflicts_2025(
    ctx: Context,
    rng: random.Random,
    evaluators: list[AppointmentSpec],
    desk: list[ProposalSpec],
) -> tuple[list[AppointmentSpec], list[ConflictSpec]]:
    """A few evaluators worked for an institution in the last three years; a few declared
    a family tie or consultancy; the secretariat entered one conflict."""
    institutions = sorted({p.institution for p in desk})
    declared_at = wib_at(dt.date(2025, 6, 25), 11)
    result = list(evaluators)
    conflicts = []
    others = list(range(1, len(evaluators)))
    rng.shuffle(others)
    n = len(evaluators)
    cuts = (max(1, n // 15), max(1, n // 30), max(1, n // 40))
    past = others[: cuts[0]]
    institution_conflicts = others[cuts[0] : cuts[0] + cuts[1]]
    subject_conflicts = others[cuts[0] + cuts[1] : sum(cuts)]
    for position in past:
        result[position] = dataclasses.replace(
            result[position], past_institutions=(rng.choice(institutions),)
        )
    natures = (
        ("consultancy", "Menjadi narasumber pendamping penyusunan inovasi instansi ini."),
        ("employment", "Pernah menjadi tenaga ahli di instansi ini (2023–2024)."),
    )

    def declared(
        position: int,
        nature: str,
        reason: str,
        *,
        institution: str | None = None,
        innovation: int | None = None,
    ) -> ConflictSpec:
        return ConflictSpec(
            edition=CODE_2025,
            username=result[position].username,
            kind="declared",
            nature=nature,
            reason=reason,
            created_at=declared_at,
            institution=institution,
            innovation=innovation,
        )

    for position in institution_conflicts:
        nature, reason = rng.choice(natures)
        conflicts.append(declared(position, nature, reason, institution=rng.choice(institutions)))
    family = (
        ("family", "Saudara kandung saya adalah anggota tim inovator."),
        ("coauthorship", "Menulis artikel ilmiah bersama inovator pada tahun 2024."),
    )
    for position in subject_conflicts:
        nature, reason = rng.choice(family)
        conflicts.append(declared(position, nature, reason, innovation=rng.choice(desk).innovation))
    if len(others) > sum(cuts):
        conflicts.append(
            ConflictSpec(
                CODE_2025,
                result[others[sum(cuts)]].username,
                "secretariat_entered",
                "other",
                "Tercatat sebagai anggota tim penilai internal instansi pada tahun berjalan.",
                declared_at + dt.timedelta(days=1),
                institution=rng.choice(institutions),
            )
        )
    return result, conflicts


def _problem_conflicts(
    evaluators: Sequence[AppointmentSpec],
    conflicts: Sequence[ConflictSpec],
    desk: Sequence[ProposalSpec],
) -> frozenset[tuple[str, str]]:
    """Explicit (subject, assessor) pairs: past employment and declared conflicts."""
    by_institution: dict[str, list[int]] = defaultdict(list)
    for proposal in desk:
        by_institution[proposal.institution].append(proposal.innovation)
    pairs: set[tuple[str, str]] = set()
    for appointment in evaluators:
        for name in appointment.past_institutions:
            pairs |= {(str(i), appointment.username) for i in by_institution.get(name, [])}
    for conflict in conflicts:
        if conflict.institution:
            pairs |= {(str(i), conflict.username) for i in by_institution[conflict.institution]}
        if conflict.innovation is not None:
            pairs.add((str(conflict.innovation), conflict.username))
    return frozenset(pairs)


def reviews_2025(
    ctx: Context,
    rng: random.Random,
    plan: KippPlan,
    edition_rules: rules.EditionRules,
    desk: list[ProposalSpec],
    pool: Sequence[EvaluatorEntry],
) -> None:
    ready = wib_at(dt.date(2025, 6, 23), 9)
    evaluators = [
        AppointmentSpec(
            edition=CODE_2025,
            username=person.username,
            role="evaluator",
            university=university.name,
            home_province=province,
            expertise=person.expertise,
            categories=area.categories_2025,
            ready_at=ready + dt.timedelta(minutes=13 * number),
            is_active=True,
            min_load=edition_rules.desk_evaluation.load.min,
        )
        for number, (person, university, province, area) in enumerate(pool)
    ]
    plan.appointments += evaluators
    if not desk:
        return
    evaluators, conflicts = _conflicts_2025(ctx, rng, evaluators, desk)
    plan.appointments[-len(evaluators) :] = evaluators
    plan.conflicts += conflicts

    solution = solve_desk(
        plan,
        RunSpec(
            edition=CODE_2025,
            stage="desk_evaluation",
            label="Penugasan Tim Evaluasi KIPP 2025",
            created_at=DESK_DEPLOYED_2025 - dt.timedelta(hours=18),
            deployed_at=DESK_DEPLOYED_2025,
        ),
        desk,
        evaluators,
        _problem_conflicts(evaluators, conflicts, desk),
        k=edition_rules.desk_evaluation.evaluators_per_proposal,
    )
    _sheets_2025(rng, plan, desk, solution)


def _sheets_2025(
    rng: random.Random,
    plan: KippPlan,
    desk: list[ProposalSpec],
    solution: assignment.Solution,
) -> None:
    """About 40 % of the reviews final, 10 % drafts; evaluators differ in pace and rigour."""
    instrument = plan.instruments["kipp-default-v1"]
    by_index = {p.innovation: p for p in desk}
    quality = {p.innovation: min(97.0, max(40.0, rng.gauss(76, 7))) for p in desk}
    usernames = sorted(solution.loads)
    pace = {u: rng.uniform(SHARE_FINAL - 0.25, SHARE_FINAL + 0.25) for u in usernames}
    bias = {u: rng.gauss(0, 3) for u in usernames}
    start = DESK_DEPLOYED_2025 + dt.timedelta(hours=2)
    for subject, username, value in solution.assignments:
        index = int(subject)
        proposal = by_index[index]
        weights = instrument.weights(proposal.group)
        draw = rng.random()
        sheet = None
        saved = between(rng, start, NOW_2025)
        center = quality[index] + bias[username]
        if draw < pace[username]:
            values = {code: clamp(center + rng.gauss(0, 5)) for code in weights}
            total = weighted(values, weights)
            sheet = SheetSpec(
                status="final",
                values=values,
                comments={c: texts.section_comment(rng) for c in values if rng.random() < 0.2},
                note=texts.review_note(rng, float(total)),
                total=total,
                saved_at=saved,
                finalised_at=saved,
                instrument=instrument.code,
            )
        elif draw < pace[username] + SHARE_DRAFT:
            codes = list(weights)[: rng.randint(1, len(weights) - 1)]
            sheet = SheetSpec(
                status="draft",
                values={code: clamp(center + rng.gauss(0, 5)) for code in codes},
                comments={},
                note="",
                total=None,
                saved_at=saved,
                finalised_at=None,
                instrument=instrument.code,
            )
        plan.assignments.append(
            AssignmentSpec(
                edition=CODE_2025,
                stage="desk_evaluation",
                innovation=index,
                username=username,
                affinity=value,
                created_at=DESK_DEPLOYED_2025,
                from_run=True,
                sheet=sheet,
            )
        )
