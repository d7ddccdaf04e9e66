"""KIPP 2024 in the demo: the finalists only, with the public benefit rating (kipp.md §14).

A small edition on the 2025 rules shifted one year back: its finalists were announced,
the public rating window (1–7 August 2024) has closed and the final stage is open, so the
public finalist list, the rating results, the secretariat's monitor and its suspect list
all have data. The finalists pass the real §9 checks; the earlier funnel (drafts,
admin failures, desk sheets) is not loaded.

Demo citizens carry numbers in +62 840…, a range no Indonesian operator uses, so nobody
can sign in as one. Each rating is stored as `submit_rating` would have stored it: value
and exclusion from the domain's own functions, no addresses (the hashes are deleted after
the edition, §14 rule 8). Rule 4 fired once: a night-time burst on one finalist, part of it
released by the secretariat with a reason.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from typing import Any

from prima.core.dates import full_date
from prima.kipp.demo import people
from prima.kipp.demo.common import (
    DEPLOYED_REASON,
    DESK_LABEL,
    Context,
    Entry,
    admin_spec,
    admit,
    attachment_kinds,
    between,
    jsonable,
    proposal_spec,
    replication_group,
    rules_data,
    unique_titles,
    wib_at,
)
from prima.kipp.demo.edition_2025 import edition_spec
from prima.kipp.demo.specs import (
    AnnouncementSpec,
    CitizenSpec,
    KippPlan,
    ProposalSpec,
    RatingSpec,
    Transition,
)
from prima.kipp.domain import rules
from prima.kipp.domain.benefit import DEFAULT_DAILY_CAP, exclusion_of, rating_value
from prima.kipp.models import RatingRelationship, RatingSuspicion

CODE_2024 = "kipp-2024"
FINALISTS_2024 = 45
CITIZENS_2024 = 1_200
BELOW_MINIMUM_2024 = 4  # finalists with fewer valid ratings than the minimum (no score)
BURST_2024 = 60  # ratings in 40 minutes on one finalist: more than rule 4's floor of 50
RELEASED_2024 = 8
FINALISTS_LETTER_2024 = "B/214/PP.00.05/2024"
RELEASE_REASON_2024 = (
    "Dicek sekretariat: delapan akun ini warga yang mengikuti sosialisasi layanan di balai "
    "desa malam itu; nomor ponsel berbeda dan terverifikasi, penilaiannya wajar."
)
RELATIONSHIPS = (
    RatingRelationship.USED_MYSELF,
    RatingRelationship.FAMILY_OR_COMMUNITY,
    RatingRelationship.KNOW_OF_IT,
    RatingRelationship.NOT_FAMILIAR,
)
RELATIONSHIP_WEIGHTS = (45, 30, 19, 6)
SHARE_AFFILIATED = 0.04
SHARE_COMMENTED = 0.25
COMMENTS = (
    "Pelayanannya jauh lebih cepat, tidak perlu bolak-balik ke kantor.",
    "Sangat membantu warga di desa kami.",
    "Bagus, tapi informasinya belum banyak diketahui warga.",
    "Petugasnya ramah dan prosesnya jelas.",
    "Layak ditiru daerah lain, terutama daerah terpencil.",
    "Aplikasinya kadang lambat saat jam sibuk.",
    "Keluarga saya terbantu saat mengurus dokumen.",
    "Semoga terus berjalan walaupun pimpinan berganti.",
    "Perlu sosialisasi lebih luas sampai tingkat RT.",
    "Biayanya gratis dan syaratnya sederhana.",
)


def _shifted(value: Any) -> Any:
    """Calendar values one year back (ISO text, as `jsonable` gives them)."""
    if isinstance(value, str) and value.startswith("2025-"):
        return "2024-" + value[5:]
    if isinstance(value, dict):
        return {key: _shifted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shifted(item) for item in value]
    return value


def rules_2024() -> dict[str, Any]:
    """The 2025 rules with the code, year, calendar and finalist tier moved to 2024."""
    data: dict[str, Any] = jsonable(rules_data("kipp-2025.yaml"))
    data["edition"].update(
        code=CODE_2024,
        year=2024,
        ordinal=10,
        legal_refs=["PermenPANRB 7/2021", "PermenPANRB 91/2021"],
    )
    data["calendar"] = _shifted(data["calendar"])
    data["finalists"]["tier"] = "finalis_2024"
    for tier in data["tiers"]:
        if tier["code"] == "finalis_2025":
            tier["code"] = "finalis_2024"
    return data


def _entries_2024(
    ctx: Context, rng: random.Random, edition_rules: rules.EditionRules
) -> list[Entry]:
    close = rules.effective_close(edition_rules)
    opened = edition_rules.calendar.registration.start
    pool = [
        index
        for index, spec in enumerate(ctx.demo.innovations)
        if spec.status != "stopped"
        and spec.registered_at is not None
        and spec.registered_at < close - dt.timedelta(days=3)
    ]
    pool = unique_titles(ctx, pool)
    candidates = sorted(rng.sample(pool, min(len(pool), 3 * FINALISTS_2024)))
    entries = []
    for index in candidates:
        spec = ctx.innovation(index)
        group = replication_group(ctx, index, edition_rules.year, edition_rules)
        assert spec.registered_at is not None
        start = max(opened, spec.registered_at + dt.timedelta(days=1))
        entries.append(
            Entry(
                index,
                group,
                people.asta_cita(spec.theme, spec.categories),
                attachment_kinds(rng, edition_rules, group),
                between(rng, start, close - dt.timedelta(days=2)),
                "pass",
            )
        )
    return entries


def _finalist_path(entry: Entry) -> None:
    """After the admin check: desk review, nomination, finalist, the objection period."""
    t = entry.transitions

    def add(to_state: str, when: dt.datetime, reason: str = "") -> None:
        t.append(Transition(t[-1].to_state, to_state, when, True, reason))

    add("desk_review", wib_at(dt.date(2024, 6, 30), 8), DEPLOYED_REASON % DESK_LABEL)
    add("nominated", wib_at(dt.date(2024, 7, 14), 15), "Pleno TE, notulen 06/PLENO-TE/KIPP/2024.")
    add("finalist", wib_at(dt.date(2024, 7, 15), 10), "Penetapan finalis (pleno Tim Evaluasi).")
    add("under_objection", wib_at(dt.date(2024, 7, 15), 16), FINALISTS_LETTER_2024)
    add(
        "confirmed_finalist", wib_at(dt.date(2024, 7, 21), 0), "Uji publik selesai tanpa sanggahan."
    )


def plan_2024(
    ctx: Context, rng: random.Random, plan: KippPlan, secretariat: tuple[int | str, str]
) -> list[ProposalSpec]:
    edition, edition_rules = edition_spec(ctx, rules_2024(), "final_stage")
    plan.editions.append(edition)
    instrument = plan.instruments[edition.instrument]
    entries = _entries_2024(ctx, rng, edition_rules)
    admin = edition_rules.calendar.window("admin_selection")
    assert admin is not None
    admit(ctx, rng, edition_rules, entries, (admin.start, admin.end - dt.timedelta(hours=9)))
    finalists = [entry for entry in entries if entry.outcome == "pass"][:FINALISTS_2024]
    proposals = []
    for entry in finalists:
        record, _note = admin_spec(
            rng, entry.checks, entry.transitions[-1].at, passed=True, secretariat=secretariat
        )
        _finalist_path(entry)
        proposal = proposal_spec(ctx, rng, edition, instrument, entry)
        proposal.admin = record
        proposal.tiers = ["finalis_2024"]
        proposals.append(proposal)
    plan.proposals += proposals
    window = edition_rules.calendar.window("public_benefit_rating")
    assert window is not None
    announced = dt.date(2024, 7, 15)
    plan.announcements.append(
        AnnouncementSpec(
            edition=edition.code,
            kind="finalists",
            number=FINALISTS_LETTER_2024,
            date=announced,
            title=f"Finalis Kompetisi Inovasi Pelayanan Publik Tahun {edition.year}",
            body=(
                f"Sebanyak {len(proposals)} inovasi ditetapkan sebagai finalis. Masyarakat "
                "dapat menyampaikan sanggahan selama lima hari dan menilai kebermanfaatan "
                f"finalis pada {full_date(window.start.date())}–"
                f"{full_date(window.end.date())}."
            ),
            published_at=wib_at(announced, 16),
        )
    )
    _ratings_2024(rng, plan, [p.innovation for p in proposals], window.start.date())
    return proposals


def _ratings_2024(
    rng: random.Random, plan: KippPlan, finalists: Sequence[int], first_day: dt.date
) -> None:
    """Ratings over the seven window days, daytime; most finalists above the minimum."""
    base = len(plan.citizens)
    plan.citizens += [
        CitizenSpec(
            phone=f"+62840{number:07d}",
            verified_at=between(rng, wib_at(dt.date(2024, 7, 16)), wib_at(first_day, 20)),
        )
        for number in range(1, CITIZENS_2024 + 1)
    ]
    below = set(rng.sample(list(finalists), min(BELOW_MINIMUM_2024, len(finalists))))
    others = [index for index in finalists if index not in below]
    burst_target = rng.choice(others) if others else None
    per_day: Counter[tuple[int, dt.date]] = Counter()
    for innovation in finalists:
        valid_target = rng.randint(8, 26) if innovation in below else rng.randint(32, 95)
        quality = rng.uniform(3.2, 4.6)
        valid = 0
        raters = iter(rng.sample(range(CITIZENS_2024), CITIZENS_2024))
        while valid < valid_target:
            citizen = base + next(raters)
            relationship = rng.choices(RELATIONSHIPS, weights=RELATIONSHIP_WEIGHTS)[0]
            affiliated = rng.random() < SHARE_AFFILIATED
            benefit = min(5, max(1, round(rng.gauss(quality, 0.8))))
            adoption = min(5, max(1, round(rng.gauss(benefit - 0.2, 0.7))))
            # Demo citizens have no verified e-mail, so the official-domain rule never applies.
            exclusion = exclusion_of(
                relationship=relationship,
                affiliated=affiliated,
                email_domain="",
                official_domain="",
            )
            valid += not exclusion
            day = first_day + dt.timedelta(days=rng.randrange(7))
            per_day[(citizen, day)] += 1
            plan.ratings.append(
                RatingSpec(
                    edition=CODE_2024,
                    innovation=innovation,
                    citizen=citizen,
                    relationship=relationship,
                    benefit=benefit,
                    adoption=adoption,
                    affiliated=affiliated,
                    comment=rng.choice(COMMENTS) if rng.random() < SHARE_COMMENTED else "",
                    value=rating_value(benefit, adoption),
                    exclusion=exclusion,
                    rated_at=wib_at(day, rng.randint(7, 21), rng.randint(0, 59)),
                )
            )
    if burst_target is not None:
        _burst(rng, plan, burst_target, base, first_day + dt.timedelta(days=2), per_day)
    assert max(per_day.values(), default=0) <= DEFAULT_DAILY_CAP  # rule 2 held for every account


def _burst(
    rng: random.Random,
    plan: KippPlan,
    innovation: int,
    base: int,
    day: dt.date,
    per_day: Counter[tuple[int, dt.date]],
) -> None:
    """Rule 4: at night, far from the finalist's daytime ratings, so the 60 minutes around
    it hold only the burst; every burst rating is marked, the first few later released."""
    taken = {r.citizen for r in plan.ratings if r.innovation == innovation}
    fresh = [base + n for n in range(CITIZENS_2024) if base + n not in taken]
    start = wib_at(day, 1, 10)
    released_at = wib_at(day + dt.timedelta(days=2), 10, 30)
    for number, citizen in enumerate(rng.sample(fresh, BURST_2024)):
        per_day[(citizen, day)] += 1
        released = number < RELEASED_2024
        plan.ratings.append(
            RatingSpec(
                edition=CODE_2024,
                innovation=innovation,
                citizen=citizen,
                relationship=RatingRelationship.USED_MYSELF,
                benefit=5,
                adoption=5,
                affiliated=False,
                comment="",
                value=rating_value(5, 5),
                exclusion=exclusion_of(
                    relationship=RatingRelationship.USED_MYSELF,
                    affiliated=False,
                    email_domain="",
                    official_domain="",
                ),
                rated_at=start + dt.timedelta(seconds=40 * number),
                suspicion=RatingSuspicion.BURST,
                released_at=released_at if released else None,
                release_reason=RELEASE_REASON_2024 if released else "",
            )
        )
