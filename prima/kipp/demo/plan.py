"""The KIPP part of the demo as plain values: three editions, their proposals and reviews.

Built on top of the national demo plan (`prima.core.demo.plan.DemoPlan`), so the same
seed always gives the same KIPP data; nothing here touches the database.

- **KIPP 2021** (closed, `edition_2021`): the national plan's 2021 KIPP tier holders are
  the finalists and winners; about thirty entrants per finalist stopped earlier.
- **KIPP 2024** (final stage, `edition_2024`): only its 45 finalists, announced, and the
  public benefit rating after its window closed: demo citizens' ratings, a few finalists
  below the minimum, exclusions, and one burst of suspect ratings partly released.
- **KIPP 2025** (desk evaluation open, `edition_2025`): up to the real 3,051 registered
  proposals, about two thirds in desk review with three evaluators each, assigned by the
  real solver; about 40 % of the reviews final and 10 % drafts.

Eligibility is the real one (`prima.kipp.domain.eligibility`) over each innovation's tier
history and replication links, totals the real `weighted_total`, the assignment the real
`solve`. The 120 evaluators come from ten universities (kipp.md §3); the demo logins
`evaluator` and `panelis` are among the assessors. Every date is fixed, so the plan does
not depend on the clock.
"""

from __future__ import annotations

import math
import random
import time

from prima.core.demo.plan import DemoPlan
from prima.evaluation.domain.instruments import load_instrument
from prima.kipp.demo import people, texts
from prima.kipp.demo.common import (
    EVALUATORS_2025,
    INSTRUMENT_FILES,
    PANELISTS_2021,
    PANELISTS_2025,
    ROOT,
    build_context,
)
from prima.kipp.demo.edition_2021 import plan_2021
from prima.kipp.demo.edition_2024 import plan_2024
from prima.kipp.demo.edition_2025 import appoint_panel_2025, plan_2025, reviews_2025
from prima.kipp.demo.specs import EvaluatorEntry, KippPlan, PersonSpec


def _evaluator_pool(rng: random.Random, count: int) -> list[EvaluatorEntry]:
    """`count` evaluators, the demo login first; universities in turn, two areas each."""
    result = []
    names: set[str] = set()
    login_area = people.EXPERTISE_AREAS[6]
    login_university = next(u for u in people.UNIVERSITIES if u.name == people.LOGIN_UNIVERSITY)
    result.append(
        (
            PersonSpec(
                "evaluator",
                "Dr. Hendra Wijaya",
                "Dosen Administrasi Publik",
                "evaluator",
                people.LOGIN_EXPERTISE,
                exists=True,
            ),
            login_university,
            people.LOGIN_PROVINCE,
            login_area,
        )
    )
    for number in range(1, count):
        university = people.UNIVERSITIES[number % len(people.UNIVERSITIES)]
        first, second = rng.sample(people.EXPERTISE_AREAS, 2)
        name = texts.person_name(rng, academic=True)
        while name in names:
            name = texts.person_name(rng, academic=True)
        names.add(name)
        provinces = university.provinces
        province = provinces[0] if rng.random() < 0.75 else rng.choice(provinces)
        person = PersonSpec(
            username=f"penilai.{number:03d}",
            full_name=name,
            position=f"Dosen {university.name}",
            role="evaluator",
            expertise=f"{first.keywords}, {second.keywords}",
        )
        merged = people.ExpertiseArea(
            person.expertise,
            tuple(dict.fromkeys(first.categories_2021 + second.categories_2021)),
            tuple(dict.fromkeys(first.categories_2025 + second.categories_2025)),
        )
        result.append((person, university, province, merged))
    return result


def _panel_pool(rng: random.Random) -> list[PersonSpec]:
    """The demo login `panelis` first, then independent panelists."""
    result = [
        PersonSpec(
            "panelis",
            "Prof. Sri Handayani",
            "Anggota Tim Panel Independen",
            "panelist",
            "kebijakan publik, inovasi pelayanan, tata kelola",
            exists=True,
        )
    ]
    count = max(PANELISTS_2021, PANELISTS_2025) + 1
    for number in range(1, count):
        result.append(
            PersonSpec(
                username=f"panelis.{number:02d}",
                full_name=texts.person_name(rng, academic=number % 2 == 0),
                position=texts.PANEL_POSITIONS[number % len(texts.PANEL_POSITIONS)],
                role="panelist",
                expertise="inovasi pelayanan publik, kebijakan publik",
            )
        )
    return result


def _instruments(plan: KippPlan) -> None:
    for name in INSTRUMENT_FILES:
        instrument = load_instrument(ROOT / "instruments" / name)
        plan.instruments[instrument.code] = instrument
        plan.instrument_files[instrument.code] = name


def build_kipp_plan(
    demo: DemoPlan, *, secretariat: tuple[int | str, str] = ("sekretariat", "Sekretariat")
) -> KippPlan:
    """The KIPP demo for this national plan; the same plan always gives the same result.

    `secretariat` (id, name) is who the admin-check overrides name (the demo login).
    """
    ctx = build_context(demo)
    plan = KippPlan()
    _instruments(plan)
    rng_2025 = random.Random(f"kipp-2025-{demo.seed}")
    rng_2021 = random.Random(f"kipp-2021-{demo.seed}")
    rng_people = random.Random(f"kipp-people-{demo.seed}")

    started = time.perf_counter()
    rules_2025, proposals_2025 = plan_2025(ctx, rng_2025, plan, secretariat)
    desk = [p for p in proposals_2025 if p.state == "desk_review"]
    count = min(EVALUATORS_2025, max(12, math.ceil(len(desk) / 15)))
    pool = _evaluator_pool(rng_people, count)
    panel_pool = _panel_pool(rng_people)
    plan.persons = [person for person, *_ in pool] + panel_pool
    plan.timings["proposals_2025"] = time.perf_counter() - started

    reviews_2025(ctx, rng_2025, plan, rules_2025, desk, pool)
    plan.appointments += appoint_panel_2025(ctx, panel_pool)

    started = time.perf_counter()
    plan_2021(ctx, rng_2021, plan, pool, panel_pool, secretariat)
    plan.timings["edition_2021"] = time.perf_counter() - started

    started = time.perf_counter()
    plan_2024(ctx, random.Random(f"kipp-2024-{demo.seed}"), plan, secretariat)
    plan.timings["edition_2024"] = time.perf_counter() - started
    plan.editions.sort(key=lambda edition: edition.year)
    return plan
