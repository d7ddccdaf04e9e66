"""KIPP 2021 in the demo: a closed edition whose finalists and winners are exactly the
national plan's 2021 tier history (kipp.md §6.2, §11–§15).

About thirty entrants per finalist; the desk, panel and presentation sheets are scored so
that the funnel follows from them: nominated = the top 2·F by desk score, finalists = the
top F by panel score, winners = the top W by final score (§13 components). The rule set's
selection sizes are scaled to the demo's tier sizes (the national plan gives
99·size/30,000 finalists a year); at national scale they are the published ones.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from prima.evaluation.domain import scoring
from prima.kipp.demo import texts
from prima.kipp.demo.common import (
    AWARD_DATE_2021,
    AWARD_EVENT_2021,
    CODE_2021,
    DECREE_2021,
    DECREE_DATE_2021,
    DEPLOYED_REASON,
    DESK_LABEL,
    ENTRANTS_PER_FINALIST_2021,
    FINALISTS_LETTER_2021,
    PANEL_LABEL,
    PANELISTS_2021,
    REGISTERED_2021,
    Context,
    Entry,
    admin_spec,
    admit,
    attachment_kinds,
    between,
    edition_rules_of,
    final_sheet,
    jsonable,
    mean_of,
    proposal_spec,
    rules_data,
    solve_desk,
    stage_specs,
    unique_titles,
    wib_at,
)
from prima.kipp.demo.specs import (
    AnnouncementSpec,
    AppointmentSpec,
    AssignmentSpec,
    AwardEventSpec,
    DecreeSpec,
    EditionSpec,
    EvaluatorEntry,
    KippPlan,
    PersonSpec,
    ProposalSpec,
    RunSpec,
    SheetSpec,
    SlotSpec,
    Transition,
)
from prima.kipp.domain import rules
from prima.kipp.domain.stages import skipped_stages


def _scaled_2021(data: dict[str, Any], finalists: int, winners: int) -> dict[str, Any]:
    """The 2021 rule set with selection sizes scaled to the demo's tier sizes.

    The national plan gives 99·size/30,000 top99 entries a year; with the published sizes
    (99 finalists, 198 nominees) every demo entrant would be nominated. At national scale
    (30,000 innovations) the factor is 1 and the rules are the published ones.
    """
    factor = min(Decimal(1), Decimal(max(finalists, 1)) / 99)
    if factor == 1:
        return data

    def scaled(n: int) -> int:
        return max(1, int((Decimal(n) * factor).to_integral_value()))

    data = copy.deepcopy(data)
    sizes = {"top99": max(finalists, 1), "top45": max(winners, 1)}
    for tier in data["tiers"]:
        if tier.get("size") is not None:
            tier["size"] = sizes.get(tier["code"], scaled(tier["size"]))
    counts = data["desk_evaluation"]["selection"]["n"]
    for group in counts:
        counts[group] = 2 * sizes["top99"] if group == "umum" else scaled(counts[group])
    return data


def _edition_2021(
    ctx: Context, finalists: int, winners: int
) -> tuple[EditionSpec, rules.EditionRules]:
    data = _scaled_2021(rules_data("kipp-2021.yaml"), finalists, winners)
    edition_rules = edition_rules_of(data)
    cal = edition_rules.calendar
    close = rules.effective_close(edition_rules)
    admin = cal.window("admin_selection")
    assert admin is not None
    # Windows the 2021 calendar does not give (kipp.md §6.2): the demo's own.
    day = dt.date

    def span(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
        return (rules.window_open(first), rules.window_close(last))

    windows = {
        "launched": span(cal.registration.start.date(), cal.registration.start.date()),
        "registration_open": (cal.registration.start, close),
        "registration_closed": span(day(2021, 5, 12), day(2021, 5, 16)),
        "admin_selection": (admin.start, admin.end),
        "desk_evaluation": span(day(2021, 5, 24), day(2021, 6, 11)),
        "panel_stage": span(day(2021, 6, 14), day(2021, 6, 25)),
        "objection_window": span(day(2021, 6, 28), day(2021, 7, 2)),
        "final_stage": span(day(2021, 7, 5), day(2021, 7, 23)),
        "results": span(day(2021, 7, 26), day(2021, 7, 29)),
        "decreed": span(DECREE_DATE_2021, AWARD_DATE_2021),
    }
    edition = EditionSpec(
        code=edition_rules.code,
        year=edition_rules.year,
        ordinal=edition_rules.ordinal,
        title=f"KIPP {edition_rules.year}",
        theme=edition_rules.theme or "",
        legal_refs=list(edition_rules.legal_refs),
        state="closed",
        rules=jsonable(data),
        rules_frozen_at=cal.registration.start,
        instrument=edition_rules.proposal_sections,
        region_3t_codes=sorted(ctx.region_3t),
        registration_close=close,
        stages=stage_specs(windows, skipped_stages(jsonable(data)), None),
    )
    return edition, edition_rules


# Desk, panel and presentation score targets per 2021 outcome. Sheets vary by ±2 per
# section around the target, so the bands never cross: nominees' desk scores ≥ 84 > 82 ≥
# the others'; finalists' panel scores ≥ 83 > 80; winners' final scores (desk ≥ 90,
# presentation ≥ 84 with the head or a deputy attending) ≥ 88.2 > 87.5 ≥ the other
# finalists' (desk ≤ 92, presentation ≤ 77). `_check_funnel_2021` verifies it.
DESK_TARGETS = {
    "winner": (92, 96),
    "finalist": (86, 90),
    "nominated": (86, 90),
    "pass": (45, 80),
}
PANEL_TARGETS = {"winner": (85, 95), "finalist": (85, 95), "nominated": (62, 78)}
PRESENTATION_TARGETS = {"winner": (90, 96), "finalist": (65, 78)}


def _entries_2021(
    ctx: Context, rng: random.Random, edition_rules: rules.EditionRules
) -> list[Entry]:
    year = edition_rules.year
    close = rules.effective_close(edition_rules)
    opened = edition_rules.calendar.registration.start
    finalists = sorted(
        index
        for index, held in ctx.awards.items()
        if any(y == year and level == "finalist" for y, _, level in held)
    )
    winners = {
        index
        for index, held in ctx.awards.items()
        if any(y == year and level == "winner" for y, _, level in held)
    }
    total = min(REGISTERED_2021, ENTRANTS_PER_FINALIST_2021 * max(len(finalists), 1))
    pool = [
        index
        for index, spec in enumerate(ctx.demo.innovations)
        if index not in ctx.awards
        and spec.status != "stopped"
        and spec.registered_at is not None
        and spec.registered_at < close - dt.timedelta(days=3)
    ]
    pool = unique_titles(ctx, pool)
    others = sorted(rng.sample(pool, min(len(pool), total - len(finalists))))
    entries = []
    for index in finalists + others:
        spec = ctx.innovation(index)
        if index in winners:
            outcome = "winner"
        elif index in finalists:
            outcome = "finalist"
        else:
            draw = rng.random()
            outcome = "draft" if draw < 0.25 else "fail" if draw < 0.45 else "pass"
        category = spec.categories[0] if spec.categories else "tata_kelola_pemerintahan"
        attachments = attachment_kinds(rng, edition_rules, "umum")
        registered = spec.registered_at or opened
        start = max(opened, min(registered, close - dt.timedelta(days=20)))
        created = between(rng, start, close - dt.timedelta(days=2))
        entries.append(Entry(index, "umum", category, attachments, created, outcome))
    return entries


def _chain_2021(entry: Entry, slot: dt.datetime | None) -> None:
    """The transitions after the admin check, to the entry's final state, with the
    reasons the domain actions record (plenary minutes, announcement, decree, event)."""
    t = entry.transitions
    outcome = entry.outcome
    if t[-1].to_state != "admin_passed":
        return

    def add(to_state: str, when: dt.datetime, reason: str = "") -> None:
        t.append(Transition(t[-1].to_state, to_state, when, True, reason))

    add("desk_review", wib_at(dt.date(2021, 5, 24), 8), DEPLOYED_REASON % DESK_LABEL)
    desk_minutes = "Pleno TE, notulen 07/PLENO-TE/KIPP/2021."
    if outcome == "pass":
        add("not_nominated", wib_at(dt.date(2021, 6, 11), 15), desk_minutes)
        return
    add("nominated", wib_at(dt.date(2021, 6, 11), 15), desk_minutes)
    add("panel_review", wib_at(dt.date(2021, 6, 14), 8), DEPLOYED_REASON % PANEL_LABEL)
    panel_minutes = "Pleno TPI, notulen 03/PLENO-TPI/KIPP/2021."
    if outcome == "nominated":
        add("not_finalist", wib_at(dt.date(2021, 6, 25), 15), panel_minutes)
        return
    add("finalist", wib_at(dt.date(2021, 6, 25), 15), panel_minutes)
    add("under_objection", wib_at(dt.date(2021, 6, 28), 16), FINALISTS_LETTER_2021)
    add("confirmed_finalist", wib_at(dt.date(2021, 7, 3), 0), "Uji publik selesai tanpa sanggahan.")
    assert slot is not None
    add("presented", slot + dt.timedelta(hours=2), "Lembar penilaian akhir sudah final.")
    final_minutes = "Pleno akhir, notulen 05/PLENO-AKHIR/KIPP/2021."
    final_state = "winner" if outcome == "winner" else "finalist_only"
    add(final_state, wib_at(dt.date(2021, 7, 27), 15), final_minutes)
    add("decreed", wib_at(DECREE_DATE_2021, 10), DECREE_2021)
    add("awarded", wib_at(AWARD_DATE_2021, 11), AWARD_EVENT_2021)


def _working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    days = []
    day = first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


HEAD_TITLES = {
    "ministry": ("Menteri", "Sekretaris Jenderal"),
    "agency": ("Kepala", "Sekretaris Utama"),
    "province": ("Gubernur", "Sekretaris Daerah"),
    "regency": ("Bupati", "Sekretaris Daerah"),
    "city": ("Wali Kota", "Sekretaris Daerah"),
    "state_enterprise": ("Direktur Utama", "Direktur"),
    "regional_enterprise": ("Direktur Utama", "Direktur"),
}


def _slots_2021(
    ctx: Context, rng: random.Random, finalists: list[Entry]
) -> dict[int, tuple[SlotSpec, int]]:
    """20-minute online slots on working days; the attendance score follows the presenter."""
    days = _working_days(dt.date(2021, 7, 5), dt.date(2021, 7, 16))
    per_day = max(1, math.ceil(len(finalists) / len(days)))
    result = {}
    for number, entry in enumerate(finalists):
        day = days[min(number // per_day, len(days) - 1)]
        starts = wib_at(day, 9) + dt.timedelta(minutes=20 * (number % per_day))
        institution = ctx.institution(entry.index)
        head, deputy = HEAD_TITLES.get(institution.kind, ("Kepala", "Sekretaris"))
        place = institution.short_name
        # "Bupati Aceh Utara", "Wali Kota Bekasi", but "Sekretaris Daerah Kota Bekasi".
        region = place.removeprefix("Kabupaten ").removeprefix("Kota ").removeprefix("Provinsi ")
        if entry.outcome == "winner" and rng.random() < 0.7:
            attendance, position = 100, f"{head} {region}"
        elif entry.outcome == "winner" or rng.random() < 0.5:
            attendance, position = 50, f"{deputy} {place}"
        else:
            attendance, position = 0, f"Kepala {ctx.innovation(entry.index).unit_name}"
        slot = SlotSpec(
            innovation=entry.index,
            starts_at=starts,
            minutes=20,
            mode="online",
            location="Zoom Meeting Kementerian PANRB",
            presenter_name=texts.person_name(rng, academic=False),
            presenter_position=position,
            confirmed_at=starts - dt.timedelta(days=rng.randint(3, 7)),
        )
        result[entry.index] = (slot, attendance)
    return result


def plan_2021(
    ctx: Context,
    rng: random.Random,
    plan: KippPlan,
    pool: Sequence[EvaluatorEntry],
    panel_pool: Sequence[PersonSpec],
    secretariat: tuple[int | str, str],
) -> None:
    year = 2021
    held = [award for award in ctx.demo.awards if award.year == year]
    finalists_count = sum(1 for award in held if award.level == "finalist")
    winners_count = sum(1 for award in held if award.level == "winner")
    edition, edition_rules = _edition_2021(ctx, finalists_count, winners_count)
    plan.editions.append(edition)
    instrument = plan.instruments[edition.instrument]
    entries = _entries_2021(ctx, rng, edition_rules)
    admin = edition_rules.calendar.window("admin_selection")
    assert admin is not None
    decision = (admin.start + dt.timedelta(hours=8), admin.end - dt.timedelta(hours=7))
    admit(
        ctx,
        rng,
        edition_rules,
        entries,
        decision,
        force=lambda entry: entry.outcome in ("finalist", "winner"),
    )
    # Nominees: the finalists plus as many of the best other passing proposals.
    passing = [e for e in entries if e.outcome == "pass"]
    finalist_entries = [e for e in entries if e.outcome in ("finalist", "winner")]
    for entry in passing[: len(finalist_entries)]:
        entry.outcome = "nominated"
    slots = _slots_2021(ctx, rng, finalist_entries)
    for entry in entries:
        _chain_2021(entry, slots[entry.index][0].starts_at if entry.index in slots else None)

    proposals: dict[int, ProposalSpec] = {}
    for entry in sorted(entries, key=lambda e: e.index):
        record = None
        if entry.outcome != "draft":
            decided = next(t.at for t in entry.transitions if t.from_state == "submitted")
            record, note = admin_spec(
                rng,
                entry.checks,
                decided,
                passed=entry.outcome != "fail",
                secretariat=secretariat,
            )
            if note:
                position = next(
                    i for i, t in enumerate(entry.transitions) if t.from_state == "submitted"
                )
                entry.transitions[position] = dataclasses.replace(
                    entry.transitions[position], reason=note
                )
        careless = bool(record and "careless_content" in record.reasons)
        proposal = proposal_spec(ctx, rng, edition, instrument, entry, careless=careless)
        proposal.admin = record
        # Deciding each stage deactivates the subjects it leaves behind; winners stay.
        proposal.subject_active = entry.outcome == "winner"
        if entry.outcome == "winner":
            proposal.tiers = ["top99", "top45"]
        elif entry.outcome == "finalist":
            proposal.tiers = ["top99"]
        proposals[entry.index] = proposal
    plan.proposals += list(proposals.values())
    plan.slots += [slot for slot, _ in slots.values()]

    outcome = {entry.index: entry.outcome for entry in entries}
    desk = [index for index, o in outcome.items() if o in DESK_TARGETS]
    _reviews_2021(
        ctx, rng, plan, edition, proposals, outcome, sorted(desk), pool, panel_pool, slots
    )
    _publications_2021(plan, edition, proposals, outcome)


def _appoint_2021(
    pool: Sequence[EvaluatorEntry],
    panel_pool: Sequence[PersonSpec],
    desk_count: int,
    rng: random.Random,
) -> tuple[list[AppointmentSpec], list[AppointmentSpec]]:
    count = min(len(pool), max(6, math.ceil(desk_count / 7)))
    ready = wib_at(dt.date(2021, 5, 21), 10)
    evaluators = [
        AppointmentSpec(
            edition=CODE_2021,
            username=person.username,
            role="evaluator",
            university=university.name,
            home_province=province,
            expertise=person.expertise,
            categories=area.categories_2021,
            ready_at=ready + dt.timedelta(minutes=17 * number),
            is_active=False,  # appointments lapse when the edition closes
        )
        for number, (person, university, province, area) in enumerate(pool[:count])
    ]
    panel_provinces = ("31", "32", "33", "34", "35", "51", "73")
    panelists = [
        AppointmentSpec(
            edition=CODE_2021,
            username=person.username,
            role="panel_chair" if number == 1 else "panelist",
            university="",
            home_province=panel_provinces[number % len(panel_provinces)],
            expertise=person.expertise,
            categories=(),
            ready_at=wib_at(dt.date(2021, 6, 10), 10) + dt.timedelta(minutes=9 * number),
            is_active=False,
        )
        for number, person in enumerate(panel_pool[: PANELISTS_2021 + 1])
    ]
    return evaluators, panelists


def _free_pairs(
    ctx: Context,
    subjects: Sequence[int],
    assessors: Sequence[AppointmentSpec],
    demand: int,
) -> list[tuple[int, AppointmentSpec]]:
    """Round-robin pairs (no conflict by institution or province) for small panels."""
    pairs = []
    turn = 0
    for index in subjects:
        institution = ctx.innovation(index).institution_name
        province = ctx.province(index)
        chosen: list[AppointmentSpec] = []
        for step in range(len(assessors)):
            candidate = assessors[(turn + step) % len(assessors)]
            if candidate.affiliation == institution or (
                province and candidate.home_province == province
            ):
                continue
            chosen.append(candidate)
            if len(chosen) == demand:
                break
        turn += demand
        pairs += [(index, a) for a in chosen]
    return pairs


def _scored(
    plan: KippPlan,
    edition: EditionSpec,
    stage: str,
    index: int,
    username: str,
    sheet: SheetSpec,
    created_at: dt.datetime,
    *,
    affinity: float = 0.0,
    from_run: bool = False,
) -> Decimal:
    """Plan an assignment with its final sheet; returns the sheet's total."""
    assert sheet.total is not None
    plan.assignments.append(
        AssignmentSpec(
            edition=edition.code,
            stage=stage,
            innovation=index,
            username=username,
            affinity=affinity,
            created_at=created_at,
            from_run=from_run,
            sheet=sheet,
        )
    )
    return sheet.total


def _reviews_2021(
    ctx: Context,
    rng: random.Random,
    plan: KippPlan,
    edition: EditionSpec,
    proposals: dict[int, ProposalSpec],
    outcome: dict[int, str],
    desk: list[int],
    pool: Sequence[EvaluatorEntry],
    panel_pool: Sequence[PersonSpec],
    slots: dict[int, tuple[SlotSpec, int]],
) -> None:
    instrument = plan.instruments[edition.instrument]
    weights = instrument.weights("umum")
    evaluators, panelists = _appoint_2021(pool, panel_pool, len(desk), rng)
    plan.appointments += evaluators + panelists
    if not desk:
        return

    # Desk: the real solver, as `run_assignment` would run it (kipp.md §10.1), then sheets.
    deployed = wib_at(dt.date(2021, 5, 24), 8)
    solution = solve_desk(
        plan,
        RunSpec(
            edition=edition.code,
            stage="desk_evaluation",
            label="Penugasan Tim Evaluasi KIPP 2021",
            created_at=deployed - dt.timedelta(hours=20),
            deployed_at=deployed,
        ),
        [proposals[index] for index in desk],
        evaluators,
        frozenset(),
        k=int(edition.rules["desk_evaluation"]["evaluators_per_proposal"]),
    )
    desk_end = wib_at(dt.date(2021, 6, 10), 9)
    by_subject: dict[int, list[Decimal]] = defaultdict(list)
    for subject, username, value in solution.assignments:
        index = int(subject)
        low, high = DESK_TARGETS.get(outcome[index], DESK_TARGETS["pass"])
        saved = between(rng, deployed + dt.timedelta(hours=2), desk_end)
        sheet = final_sheet(rng, weights, rng.uniform(low, high), 2, saved, instrument.code)
        by_subject[index].append(
            _scored(
                plan,
                edition,
                "desk_evaluation",
                index,
                username,
                sheet,
                deployed,
                affinity=value,
                from_run=True,
            )
        )
    for index, totals in by_subject.items():
        proposals[index].desk_score = scoring.official(mean_of(totals))

    # Panel review in pairs (the nominees) and the presentation (the finalists).
    panel_start = wib_at(dt.date(2021, 6, 14), 8)
    nominees = [i for i in desk if outcome[i] in ("nominated", "finalist", "winner")]
    panel_totals: dict[int, list[Decimal]] = defaultdict(list)
    for index, appointment in _free_pairs(ctx, nominees, panelists, 2):
        low, high = PANEL_TARGETS[outcome[index]]
        saved = between(rng, panel_start + dt.timedelta(hours=3), wib_at(dt.date(2021, 6, 24), 16))
        sheet = final_sheet(rng, weights, rng.uniform(low, high), 2, saved, instrument.code)
        panel_totals[index].append(
            _scored(plan, edition, "panel_stage", index, appointment.username, sheet, panel_start)
        )
    assert instrument.rubric is not None
    rubric = instrument.rubric.weights()
    components = {
        name: Decimal(str(value))
        for name, value in edition.rules["final_score"]["components"].items()
    }
    finalists = [i for i in nominees if outcome[i] in ("finalist", "winner")]
    for index in finalists:
        slot, attendance = slots[index]
        low, high = PRESENTATION_TARGETS[outcome[index]]
        target = rng.uniform(low, high)
        totals = []
        for _, appointment in _free_pairs(ctx, [index], panelists, 3):
            sheet = final_sheet(
                rng,
                rubric,
                target,
                2,
                slot.starts_at + dt.timedelta(minutes=30),
                instrument.code,
                fixed={"kehadiran_pimpinan": attendance},
            )
            started = wib_at(dt.date(2021, 7, 5), 8)
            totals.append(
                _scored(plan, edition, "final_stage", index, appointment.username, sheet, started)
            )
        # §13 as `final_score_rows`: the stored desk score and the stage's official score.
        desk_score = proposals[index].desk_score
        assert desk_score is not None
        presentation = scoring.official(mean_of(totals))
        final = components["desk"] * desk_score + components["presentation"] * presentation
        proposals[index].final_score = scoring.official(final)
    _check_funnel_2021(proposals, outcome, nominees, finalists, panel_totals)


def _check_funnel_2021(
    proposals: dict[int, ProposalSpec],
    outcome: dict[int, str],
    nominees: list[int],
    finalists: list[int],
    panel_totals: dict[int, list[Decimal]],
) -> None:
    """The scores must explain the funnel; fail loudly if the bands ever overlap."""

    def top(indexes: Iterable[int], key: Callable[[int], Decimal], n: int) -> set[int]:
        return set(sorted(indexes, key=lambda i: (-key(i), i))[:n])

    desk = [i for i, p in proposals.items() if p.desk_score is not None]
    nominated = top(desk, lambda i: proposals[i].desk_score or Decimal(0), len(nominees))
    chosen = top(nominees, lambda i: mean_of(panel_totals[i]), len(finalists))
    winners = {i for i in finalists if outcome[i] == "winner"}
    best = top(finalists, lambda i: proposals[i].final_score or Decimal(0), len(winners))
    if nominated != set(nominees) or chosen != set(finalists) or best != winners:
        raise RuntimeError("demo 2021: skor tidak sesuai dengan hasil seleksi")


def _publications_2021(
    plan: KippPlan,
    edition: EditionSpec,
    proposals: dict[int, ProposalSpec],
    outcome: dict[int, str],
) -> None:
    passed = sorted(i for i, p in proposals.items() if p.admin and p.admin.passed)
    finalists = sorted(i for i, o in outcome.items() if o in ("finalist", "winner"))
    winners = sorted(i for i, o in outcome.items() if o == "winner")
    year = edition.year

    def announcement(
        kind: str, number: str, day: dt.date, title: str, body: str
    ) -> AnnouncementSpec:
        return AnnouncementSpec(edition.code, kind, number, day, title, body, wib_at(day, 16))

    plan.announcements += [
        announcement(
            "launch",
            "B/41/PP.00.05/2021",
            dt.date(2021, 3, 17),
            f"Peluncuran Kompetisi Inovasi Pelayanan Publik Tahun {year}",
            "Kompetisi Inovasi Pelayanan Publik Tahun 2021 dibuka untuk kelompok umum, "
            "replikasi, dan khusus. Pendaftaran berlangsung sampai 11 Mei 2021 pukul 23.59 WIB.",
        ),
        announcement(
            "admin_result",
            "B/88/PP.00.05/2021",
            dt.date(2021, 5, 19),
            f"Hasil Seleksi Administrasi KIPP Tahun {year}",
            f"Sebanyak {len(passed)} proposal lolos seleksi administrasi.",
        ),
        announcement(
            "finalists",
            FINALISTS_LETTER_2021,
            dt.date(2021, 6, 28),
            f"Top 99 Inovasi Pelayanan Publik Tahun {year}",
            f"Sebanyak {len(finalists)} inovasi ditetapkan sebagai finalis (Top 99). "
            "Masyarakat dapat menyampaikan sanggahan selama lima hari.",
        ),
        announcement(
            "winners",
            "B/176/PP.00.05/2021",
            dt.date(2021, 7, 29),
            f"Top 45 Inovasi Pelayanan Publik Terpuji Tahun {year}",
            f"Sebanyak {len(winners)} inovasi ditetapkan sebagai Top 45 Inovasi Pelayanan "
            "Publik Terpuji.",
        ),
    ]
    tier_lists = {"top99": finalists}
    if winners:
        tier_lists["top45"] = winners
    plan.decrees.append(
        DecreeSpec(
            edition.code,
            DECREE_2021,
            DECREE_DATE_2021,
            "Top 99 Inovasi Pelayanan Publik dan Top 45 Inovasi Pelayanan Publik Terpuji "
            "Tahun 2021",
            tier_lists,
        )
    )
    plan.award_events.append(
        AwardEventSpec(
            AWARD_EVENT_2021,
            AWARD_DATE_2021,
            "Kementerian PANRB, Jakarta (hibrida)",
            (edition.code,),
        )
    )
