"""`python -m bench.pkri`: PKRI results at the 2024 scale (pkri.md §7, DESIGN.md §9).

1. In a throwaway SQLite database under var/bench-pkri/ (never the main one), generates a
   deterministic (fixed seed) PKRI edition of the 2024 size: 631 loci (34 ministries,
   46 agencies, 546 local governments, 5 state enterprises), 979 object forms and 308
   coaching forms submitted (22 coaching forms missing), their engine subjects and three
   evaluator sheets per subject on the desk-evaluation stage, levels stored as
   level × 25 exactly as `prima.evaluation.domain.sheets` leaves a finalised sheet
   (sheet, version 1 with its total and instrument hash, one Score per indicator; a level
   that differs from the suggestion carries a comment). Written with bulk inserts like
   `prima/kipp/demo/loader.py`; the edition itself, its stages and award categories come
   from `prima.pkri.domain.editions.create_edition`.
2. Drives the edition through Prima's own functions: `close_desk_evaluation` (H4),
   `publish_shortlist` (H5 → H1 `shortlist`), interview slots and three panelist sheets
   per shortlisted form (bulk), `open_interviews`, `close_interviews`, then times:
   - the baseline: one plain SQL `GROUP BY` mean (ORM `.values().annotate(Avg)`) of the
     same Score rows the results are computed from (final current versions, both stages);
   - the engine's `stage_results` for the desk stage alone;
   - all results, read-only: `stage_results` of both stages, H1 `shortlist`,
     `final_score`, `rank_within_kind` (coaching, levels = the evaluators' mean level)
     and `rank_group` (object groups);
   - H5 `compute_rankings`, which also writes ranks and proposes the awards through H6
     `propose_awards` (first run for real, then repeated in rolled-back transactions).
   It then decides the awards and publishes the results (`decide_awards`,
   `publish_results`), and builds a tiny edition (year 2019, 12 loci) the same way.
3. Counts the queries of the public programme page `/pkri/{year}/` and results pages
   `/pkri/{year}/hasil/?kelompok=…` at the 2024 scale and for the tiny edition (they
   must be equal), then serves `bench.settings` with gunicorn and loads the pages with
   `bench/loadgen.py` against the bare `bench/ping/` view (before and after).

Prints a Markdown table and records the run in bench/RESULTS.md under "PKRI results"
(``--no-record`` skips it). Independent of bench/run.py (its own database and server).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.common import bench_env, record_section, run_command, timed

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench-pkri"
DATABASE = BENCH_VAR / "bench-pkri.sqlite3"
OUT = Path(__file__).resolve().parent / "out" / "pkri.json"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
JAKARTA = ZoneInfo("Asia/Jakarta")
MARKER = "<!-- pkri runs: newest first, written by bench/pkri.py -->"
SECTION = "## PKRI results"
SEED = 20240417
REPEAT = 3
EDITION_FILE = ROOT / "editions" / "pkri-2024.yaml"
BATCH = 1000


# --------------------------------------------------------------------------- scale


@dataclass(frozen=True)
class Scale:
    """How big an edition is: loci per institution kind, forms, assessors."""

    ministries: int
    agencies: int
    provinces: int
    regencies: int
    cities: int
    state_enterprises: int
    objects: int
    replication_share: float  # share of the objects in the replication group
    coaching_loci: int  # loci in the coaching group (in_pembinaan)
    coaching_submitted: int  # of which submitted a coaching form
    evaluators: int
    panelists: int
    assessors: int = 3  # sheets per subject on each scoring stage

    @property
    def loci(self) -> int:
        return (
            self.ministries
            + self.agencies
            + self.provinces
            + self.regencies
            + self.cities
            + self.state_enterprises
        )


# PKRI 2024 (pkri.md §5.1 expected counts): 631 loci, 979 objects, 308 coaching forms.
FULL = Scale(
    ministries=34,
    agencies=46,
    provinces=38,
    regencies=410,
    cities=98,
    state_enterprises=5,
    objects=979,
    replication_share=0.3,
    coaching_loci=330,
    coaching_submitted=308,
    evaluators=60,
    panelists=9,
)
TINY = Scale(
    ministries=2,
    agencies=2,
    provinces=2,
    regencies=3,
    cities=2,
    state_enterprises=1,
    objects=14,
    replication_share=0.3,
    coaching_loci=9,
    coaching_submitted=8,
    evaluators=6,
    panelists=3,
)


# --------------------------------------------------------------------------- helpers


def _rolled_back(function: Callable[[], Any], repeat: int = REPEAT) -> list[float]:
    """Time `function` `repeat` times, each inside a transaction that is rolled back."""
    from django.db import transaction

    times = []
    for _ in range(repeat):
        with transaction.atomic():
            _, seconds = timed(function)
            times.append(seconds)
            transaction.set_rollback(True)
    return times


def _median(times: Sequence[float]) -> float:
    return round(statistics.median(times), 4)


def _ratio(value: float, base: float) -> float:
    return round(value / base, 2) if base else float("nan")


def _level(rng: random.Random, quality: float, spread: float) -> int:
    return max(0, min(4, round(quality + rng.gauss(0, spread))))


# --------------------------------------------------------------------------- registry


@dataclass
class Registry:
    """The institutions, one unit each, and the innovations the editions draw on."""

    by_kind: dict[str, list[Any]]
    units: dict[int, Any]  # institution id → unit
    innovations: dict[int, list[Any]]  # institution id → innovations
    secretariat: Any


def build_registry(scale: Scale, rng: random.Random) -> Registry:
    """Regions (the reference file), institutions of every kind, one unit per institution,
    and `scale.objects` innovations spread over them (every institution at least one)."""
    from django.contrib.auth.hashers import make_password

    from prima.core.domain.registry import load_regions
    from prima.core.enums import InstitutionKind, Role, Scope, ServiceType, UnitKind
    from prima.core.models import Institution, Membership, Person, Region, ServiceUnit
    from prima.innovations.models import Innovation

    load_regions(actor=None)
    regions = {
        level: list(Region.objects.filter(level=level).order_by("code"))
        for level in ("province", "regency", "city")
    }
    rows: list[Institution] = []
    for i in range(scale.ministries):
        rows.append(Institution(kind=InstitutionKind.MINISTRY, name=f"Kementerian Uji {i + 1:02d}"))
    for i in range(scale.agencies):
        rows.append(Institution(kind=InstitutionKind.AGENCY, name=f"Lembaga Uji {i + 1:02d}"))
    labels = {"province": "Provinsi", "regency": "Kabupaten", "city": "Kota"}
    counts = {"province": scale.provinces, "regency": scale.regencies, "city": scale.cities}
    for level, count in counts.items():
        for region in regions[level][:count]:
            rows.append(
                Institution(
                    kind=level,
                    name=f"Pemerintah {labels[level]} {region.name.title()} ({region.code})",
                    region=region,
                    province_code=region.province_code,
                )
            )
    for i in range(scale.state_enterprises):
        rows.append(
            Institution(kind=InstitutionKind.STATE_ENTERPRISE, name=f"PT Persero Uji {i + 1:02d}")
        )
    Institution.objects.bulk_create(rows, batch_size=BATCH)
    units = [
        ServiceUnit(
            institution=institution,
            name=f"Unit Pelayanan {institution.name}"[:200],
            kind=UnitKind.KANTOR,
            service_type=ServiceType.ADMINISTRATIVE,
            region=institution.region,
        )
        for institution in rows
    ]
    ServiceUnit.objects.bulk_create(units, batch_size=BATCH)
    unit_of = {unit.institution.pk: unit for unit in units}
    owners = list(rows) + [rng.choice(rows) for _ in range(max(0, scale.objects - len(rows)))]
    innovations = [
        Innovation(
            unit=unit_of[owner.pk],
            institution=owner,
            name=f"Inovasi Uji {n + 1:04d}",
            summary="Inovasi pelayanan publik untuk pengujian kinerja PKRI.",
            started_on=dt.date(2014 + n % 9, 1 + n % 12, 1),
            is_published=True,
        )
        for n, owner in enumerate(owners[: scale.objects])
    ]
    Innovation.objects.bulk_create(innovations, batch_size=BATCH)
    secretariat = Person.objects.create(
        username="bench.sekretariat",
        email="bench.sekretariat@contoh.go.id",
        full_name="Sekretariat Uji Kinerja",
        password=make_password(None),
    )
    Membership.objects.create(person=secretariat, role=Role.SECRETARIAT, scope=Scope.NATIONAL)
    by_kind: dict[str, list[Institution]] = defaultdict(list)
    for institution in rows:
        by_kind[institution.kind].append(institution)
    by_owner: dict[int, list[Innovation]] = defaultdict(list)
    for innovation in innovations:
        by_owner[innovation.institution.pk].append(innovation)
    return Registry(dict(by_kind), unit_of, dict(by_owner), secretariat)


# --------------------------------------------------------------------------- edition


def _rules(code: str, year: int, assessors: int) -> dict[str, Any]:
    from prima.pkri.domain.config import read_rules_file

    data = read_rules_file(EDITION_FILE)
    data["edition"]["code"] = code
    data["edition"]["year"] = year
    data["edition"]["title"] = f"PKRI uji kinerja {year}"
    data["desk_evaluation"]["assessors_per_form"] = assessors
    return data


def _open_at(edition: Any, code: str) -> None:
    """Stages before `code` closed, `code` open, the rest pending (the edition at `code`)."""
    from django.utils import timezone

    from prima.evaluation.enums import StageStatus
    from prima.evaluation.models import Stage

    now = timezone.now()
    stages = list(Stage.objects.filter(edition=edition).order_by("position"))
    position = next(s.position for s in stages if s.code == code)
    for stage in stages:
        if stage.position < position:
            stage.status, stage.opened_at, stage.closed_at = StageStatus.CLOSED, now, now
        elif stage.position == position:
            stage.status, stage.opened_at, stage.closed_at = StageStatus.OPEN, now, None
        else:
            stage.status, stage.opened_at, stage.closed_at = StageStatus.PENDING, None, None
    Stage.objects.bulk_update(stages, ["status", "opened_at", "closed_at"])
    edition.state = code
    edition.save(update_fields=["state", "updated_at"])


def _people(edition: Any, role: str, count: int, tag: str) -> list[Any]:
    """`count` persons appointed to the edition in `role`, ready to score."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from prima.core.enums import Scope
    from prima.core.models import Membership, Person
    from prima.evaluation.models import Appointment

    unusable = make_password(None)
    persons = [
        Person(
            username=f"bench.{tag}.{role}.{i + 1:03d}",
            email=f"bench.{tag}.{role}.{i + 1:03d}@contoh.ac.id",
            full_name=f"{role.title()} Uji {i + 1:03d}",
            password=unusable,
            must_complete_profile=False,
            must_change_password=False,
        )
        for i in range(count)
    ]
    Person.objects.bulk_create(persons, batch_size=BATCH)
    Membership.objects.bulk_create(
        [Membership(person=p, role=role, scope=Scope.NATIONAL) for p in persons]
    )
    ready = timezone.now()
    appointments = [
        Appointment(
            edition=edition,
            person=person,
            role=role,
            university="Universitas Uji",
            max_load=10_000,
            code_of_conduct_accepted_at=ready,
            conflicts_declared_at=ready,
        )
        for person in persons
    ]
    Appointment.objects.bulk_create(appointments, batch_size=BATCH)
    return appointments


def _snapshot(edition: Any, form: Any, institution: Any, obj: Any, innovation: Any, unit: Any):
    """What `prima.pkri.domain.forms.build_snapshot` freezes (no evidence files here)."""
    from prima.pkri.domain.forms import canonical_json

    target = None
    if obj is not None:
        target = {
            "id": obj.pk,
            "innovation": {"id": innovation.pk, "name": innovation.name},
            "unit": {"id": unit.pk, "name": unit.name},
            "group": obj.group,
            "award_year": obj.award_year,
            "source_tier": obj.source_tier,
        }
    return {
        "edition": edition.code,
        "kind": form.kind,
        "locus": {
            "id": form.locus_id,
            "institution": {"id": institution.pk, "name": institution.name},
        },
        "object": target,
        "data": json.loads(canonical_json(form.data or {})),
        "files": [],
    }


def _sheets(
    stage: Any,
    subjects: Sequence[Any],
    appointments: Sequence[Any],
    levels_of: Callable[[Any, int], dict[str, int]],
    suggested_of: Callable[[Any], Mapping[str, int]],
    instrument_row: Any,
    step: int,
    assessors: int,
) -> int:
    """Assignments and final sheets (version 1 with total, one Score per criterion) for
    every subject, `assessors` each, round robin over `appointments`. Returns Score rows."""
    from django.utils import timezone

    from prima.evaluation.domain.catalogue import instrument_of
    from prima.evaluation.domain.sheets import criteria_for, total_of
    from prima.evaluation.enums import SheetStatus
    from prima.evaluation.models import Assignment, Score, ScoreSheet, ScoreVersion

    instrument = instrument_of(instrument_row)
    criteria = {
        group: criteria_for(stage.scoring, group, instrument)
        for group in {s.group for s in subjects}
    }
    now = timezone.now()
    assignments, planned = [], []
    for n, subject in enumerate(subjects):
        for k in range(assessors):
            appointment = appointments[(n * assessors + k) % len(appointments)]
            assignments.append(Assignment(stage=stage, subject=subject, appointment=appointment))
            levels = levels_of(subject, k)
            values = {c.code: Decimal(levels[c.code] * step) for c in criteria[subject.group]}
            planned.append((subject, appointment, values, suggested_of(subject)))
    Assignment.objects.bulk_create(assignments, batch_size=BATCH)
    sheets, versions = [], []
    for assignment, (subject, appointment, values, _) in zip(assignments, planned, strict=True):
        total = total_of(values, criteria[subject.group])
        sheets.append(
            ScoreSheet(
                assignment=assignment,
                stage=stage,
                subject=subject,
                appointment=appointment,
                instrument=instrument_row,
                status=SheetStatus.FINAL,
                current_version=1,
                total=total,
                finalised_at=now,
            )
        )
    ScoreSheet.objects.bulk_create(sheets, batch_size=BATCH)
    for sheet, (_, appointment, _, _) in zip(sheets, planned, strict=True):
        versions.append(
            ScoreVersion(
                sheet=sheet,
                number=1,
                note="Penilaian sesuai bukti pada formulir.",
                total=sheet.total,
                instrument_hash=instrument_row.content_hash,
                created_by_id=appointment.person_id,
            )
        )
    ScoreVersion.objects.bulk_create(versions, batch_size=BATCH)
    scores = []
    for version, (_, _, values, suggested) in zip(versions, planned, strict=True):
        for code, value in values.items():
            hint = suggested.get(code)
            differs = hint is not None and int(value) != int(hint) * step
            scores.append(
                Score(
                    version=version,
                    criterion=code,
                    value=value,
                    note="Bukti pendukung tidak sepenuhnya sesuai saran sistem." if differs else "",
                )
            )
    Score.objects.bulk_create(scores, batch_size=BATCH)
    return len(scores)


@dataclass
class Built:
    edition: Any
    counts: dict[str, int]
    quality: dict[int, float]  # subject id → latent quality (drives the levels)
    panelists: list[Any]


def build_edition(
    code: str, year: int, scale: Scale, registry: Registry, rng: random.Random
) -> Built:
    """The edition up to the open desk evaluation with every desk sheet final (bulk)."""
    from prima.evaluation.enums import EditionState
    from prima.evaluation.models import Stage, Subject
    from prima.pkri.domain.desk import SUBJECT_KIND, derived_json
    from prima.pkri.domain.editions import create_edition
    from prima.pkri.domain.forms import snapshot_hash
    from prima.pkri.domain.indicators import ObjectFacts, locus_indicators
    from prima.pkri.enums import FormKind, FormState, Group
    from prima.pkri.models import Locus, ScopeObject, SelfAssessment

    actor = registry.secretariat
    edition = create_edition(_rules(code, year, scale.assessors), actor=actor)
    _open_at(edition, EditionState.DESK_EVALUATION)
    wanted = {
        "ministry": scale.ministries,
        "agency": scale.agencies,
        "province": scale.provinces,
        "regency": scale.regencies,
        "city": scale.cities,
        "state_enterprise": scale.state_enterprises,
    }
    institutions = [i for kind, n in wanted.items() for i in registry.by_kind[kind][:n]]
    # The coaching group: governments only (state enterprises have no coaching slots).
    eligible = [i for i in institutions if i.kind != "state_enterprise"]
    coaching = {i.pk for i in rng.sample(eligible, scale.coaching_loci)}
    loci = [
        Locus(edition=edition, institution=i, in_pembinaan=i.pk in coaching, created_by=actor)
        for i in institutions
    ]
    Locus.objects.bulk_create(loci, batch_size=BATCH)
    locus_of = {locus.institution_id: locus for locus in loci}
    owned = [inv for i in institutions for inv in registry.innovations.get(i.pk, [])]
    owned = owned[: scale.objects]
    if len(owned) < scale.objects:
        raise SystemExit(f"{code}: the registry has {len(owned)} innovations, need {scale.objects}")
    n_replication = round(scale.objects * scale.replication_share)
    replication = {inv.pk for inv in rng.sample(owned, n_replication)}
    sources = [inv for inv in owned if inv.pk not in replication]
    objects = []
    for innovation in owned:
        is_replica = innovation.pk in replication
        award_year = rng.randint(2014, 2023)
        objects.append(
            ScopeObject(
                edition=edition,
                locus=locus_of[innovation.institution_id],
                innovation=innovation,
                unit=registry.units[innovation.institution_id],
                group=Group.REPLIKASI if is_replica else Group.KEBERLANJUTAN,
                source_tier=f"top99@{award_year}",
                award_year=None if is_replica else award_year,
                original=rng.choice(sources) if is_replica else None,
                created_by=actor,
            )
        )
    ScopeObject.objects.bulk_create(objects, batch_size=BATCH)

    # Forms: every object form submitted; `coaching_submitted` of the coaching loci.
    submitted_at = dt.datetime(year, 6, 10, 9, 0, tzinfo=JAKARTA)
    forms: list[SelfAssessment] = []
    facts: dict[int, list[ObjectFacts]] = defaultdict(list)
    quality_of_form: list[float] = []
    suggested: list[dict[str, int]] = []
    codes = {
        FormKind.SUSTAINABILITY: ("k1", "k2", "k3", "k4", "k5", "k6"),
        FormKind.REPLICATION: ("r1", "r3", "r4", "r5"),  # r2 is judgement: no suggestion
        FormKind.COACHING: tuple(f"p{i}" for i in range(1, 10)),
    }
    for obj in objects:
        kind = FormKind.REPLICATION if obj.group == Group.REPLIKASI else FormKind.SUSTAINABILITY
        running = rng.random() < 0.9
        legal, sop = rng.random() < 0.7, rng.random() < 0.6
        facts[obj.locus_id].append(ObjectFacts(running=running, legal_basis=legal, sop=sop))
        data = {
            "still_running": running,
            "running_since": f"{obj.innovation.started_on:%Y-%m-%d}",
            "stopped_on": None if running else f"{year - 1}-12-31",
            "stop_reason": None if running else "budget",
            "coverage_expanded": rng.random() < 0.5,
            "beneficiaries": [
                {
                    "year": y,
                    "count": rng.randint(500, 50_000),
                    "measure": "people",
                    "source": "SIMPel",
                }
                for y in range(year - 3, year)
            ],
            "sop": {"exists": sop, "number": "SOP/01" if sop else "", "date": None, "file": None},
            "declaration": True,
            "contact": {
                "name": "Narahubung",
                "position": "Kepala Unit",
                "email": "unit@contoh.go.id",
            },
        }
        quality = rng.uniform(0.5, 4.0) if running else rng.uniform(0.0, 2.0)
        quality_of_form.append(quality)
        suggested.append({c: _level(rng, quality, 0.5) for c in codes[kind]})
        forms.append(
            SelfAssessment(
                edition=edition,
                kind=kind,
                locus_id=obj.locus_id,
                object=obj,
                state=FormState.DESK_REVIEW,
                data=data,
                submitted_at=submitted_at,
                submitted_by=actor,
                updated_by=actor,
            )
        )
    coaching_loci = [locus for locus in loci if locus.in_pembinaan]
    submitting = {locus.pk for locus in rng.sample(coaching_loci, scale.coaching_submitted)}
    for locus in coaching_loci:
        sent = locus.pk in submitting
        quality = rng.uniform(0.5, 4.0)
        quality_of_form.append(quality)
        suggested.append({c: _level(rng, quality, 0.5) for c in codes[FormKind.COACHING]})
        forms.append(
            SelfAssessment(
                edition=edition,
                kind=FormKind.COACHING,
                locus=locus,
                state=FormState.DESK_REVIEW if sent else FormState.FORM_MISSING,
                data={
                    "in_strategic_plan": rng.random() < 0.6,
                    "inventory_kept": rng.random() < 0.5,
                    "coaching_budget": [
                        {"year": y, "amount": rng.randint(0, 500) * 1_000_000}
                        for y in range(year - 3, year)
                    ],
                    "declaration": True,
                }
                if sent
                else {},
                submitted_at=submitted_at if sent else None,
                submitted_by=actor if sent else None,
                updated_by=actor,
            )
        )
    SelfAssessment.objects.bulk_create(forms, batch_size=BATCH)

    institution_of = {i.pk: i for i in institutions}
    locus_by_pk = {locus.pk: locus for locus in loci}
    sent_forms = [
        (f, q, s)
        for f, q, s in zip(forms, quality_of_form, suggested, strict=True)
        if f.state == FormState.DESK_REVIEW
    ]
    group_of: dict[str, str] = {
        FormKind.COACHING: Group.PEMBINAAN,
        FormKind.SUSTAINABILITY: Group.KEBERLANJUTAN,
        FormKind.REPLICATION: Group.REPLIKASI,
    }
    subjects = []
    for form, _, _ in sent_forms:
        institution = institution_of[locus_by_pk[form.locus_id].institution_id]
        title = institution.name
        if form.object is not None:
            title = f"{form.object.innovation.name} — {institution.name}"
        subjects.append(
            Subject(
                edition=edition,
                kind=SUBJECT_KIND,
                title=title[:300],
                institution=institution,
                group=group_of[form.kind],
                institution_kind=institution.kind,
                province=institution.province_code,
                submitted_at=form.submitted_at,
            )
        )
    Subject.objects.bulk_create(subjects, batch_size=BATCH)
    quality_of: dict[int, float] = {}
    levels: dict[int, dict[str, int]] = {}
    for (form, q, s), subject in zip(sent_forms, subjects, strict=True):
        form.subject = subject
        form.suggested_levels = s
        quality_of[subject.pk] = q
        levels[subject.pk] = s
        if form.kind == FormKind.COACHING:
            derived = locus_indicators(
                facts.get(form.locus_id, []),
                replications_out=rng.randint(0, 3),
                replications_out_claimed=rng.randint(0, 2),
                kipp_registrations={y: rng.randint(0, 6) for y in range(year - 3, year)},
            )
            form.derived = derived_json(derived)
        institution = institution_of[locus_by_pk[form.locus_id].institution_id]
        target = form.object
        form.snapshot = _snapshot(
            edition,
            form,
            institution,
            target,
            target.innovation if target else None,
            registry.units[institution.pk] if target else None,
        )
        form.snapshot_hash = snapshot_hash(form.snapshot)
    SelfAssessment.objects.bulk_update(
        [f for f, _, _ in sent_forms],
        ["subject", "suggested_levels", "derived", "snapshot", "snapshot_hash"],
        batch_size=BATCH,
    )

    evaluators = _people(edition, "evaluator", scale.evaluators, code)
    panelists = _people(edition, "panelist", scale.panelists, code)
    desk = Stage.objects.get(edition=edition, code=EditionState.DESK_EVALUATION)

    def desk_levels(subject: Any, k: int) -> dict[str, int]:
        own = levels[subject.pk]
        result = {}
        for code_ in codes_of_group[subject.group]:
            hint = own.get(code_)
            if hint is not None and rng.random() < 0.75:
                result[code_] = hint
            else:
                result[code_] = _level(rng, quality_of[subject.pk], 0.8)
        return result

    codes_of_group = {
        Group.PEMBINAAN: codes[FormKind.COACHING],
        Group.KEBERLANJUTAN: codes[FormKind.SUSTAINABILITY],
        Group.REPLIKASI: ("r1", "r2", "r3", "r4", "r5"),
    }
    scores = _sheets(
        desk,
        subjects,
        evaluators,
        desk_levels,
        lambda subject: levels[subject.pk],
        edition.instrument,
        25,
        scale.assessors,
    )
    counts = {
        "loci": len(loci),
        "coaching_loci": len(coaching_loci),
        "objects": len(objects),
        "object_forms": len(objects),
        "coaching_forms_submitted": sum(1 for f, _, _ in sent_forms if f.kind == FormKind.COACHING),
        "coaching_forms_missing": len(coaching_loci) - len(submitting),
        "subjects": len(subjects),
        "evaluators": len(evaluators),
        "panelists": len(panelists),
        "desk_sheets": len(subjects) * scale.assessors,
        "desk_scores": scores,
    }
    return Built(edition, counts, quality_of, panelists)


def interview(built: Built, rng: random.Random, assessors: int) -> dict[str, int]:
    """Slots and final panelist sheets for every shortlisted form (bulk), between
    `open_interviews` and `close_interviews` (both Prima's)."""
    from prima.evaluation.enums import EditionState
    from prima.evaluation.models import Stage, Subject
    from prima.pkri.domain.interviews import open_interviews
    from prima.pkri.enums import FormState
    from prima.pkri.models import InterviewSlot, SelfAssessment

    edition = built.edition
    actor = edition.created_by
    shortlisted = list(
        SelfAssessment.objects.filter(edition=edition, state=FormState.SHORTLISTED).order_by("pk")
    )
    start = dt.datetime(edition.year, 7, 12, 8, 0, tzinfo=JAKARTA)
    InterviewSlot.objects.bulk_create(
        [
            InterviewSlot(
                form=form,
                starts_at=start + dt.timedelta(days=n // 20, minutes=20 * (n % 20)),
                minutes=20,
                link=f"https://rapat.contoh.go.id/pkri/{form.pk}",
                presenter_name="Kepala Unit",
                presenter_position="Kepala",
                created_by=actor,
            )
            for n, form in enumerate(shortlisted)
        ]
    )
    open_interviews(edition, actor=actor)
    stage = Stage.objects.get(edition=edition, code=EditionState.INTERVIEWS)
    subjects = list(
        Subject.objects.filter(pk__in=[f.subject_id for f in shortlisted]).order_by("pk")
    )
    items = ("substansi_bukti", "strategi_keberlanjutan", "replikasi_penyebaran", "penyampaian")

    def panel_levels(subject: Any, k: int) -> dict[str, int]:
        return {code: _level(rng, built.quality[subject.pk], 0.7) for code in items}

    scores = _sheets(
        stage,
        subjects,
        built.panelists,
        panel_levels,
        lambda subject: {},
        edition.instrument,
        25,
        assessors,
    )
    return {
        "shortlisted": len(shortlisted),
        "interview_sheets": len(subjects) * assessors,
        "interview_scores": scores,
    }


# --------------------------------------------------------------------------- measurements


def baseline_means(edition: Any) -> int:
    """The baseline: one `GROUP BY` mean of the Score rows the results are computed from."""
    from django.db.models import Avg, F

    from prima.evaluation.enums import SheetStatus
    from prima.evaluation.models import Score

    rows = list(
        Score.objects.filter(
            version__sheet__stage__edition=edition,
            version__sheet__status=SheetStatus.FINAL,
            version__number=F("version__sheet__current_version"),
            value__isnull=False,
        )
        .values("version__sheet__stage_id", "version__sheet__subject_id", "criterion")
        .annotate(mean=Avg("value"))
        .order_by()
    )
    return len(rows)


def _score(value: Decimal | None) -> Decimal:
    if value is None:  # every subject here has final sheets
        raise AssertionError("a subject without a score")
    return value


def all_results(edition: Any) -> dict[str, Any]:
    """Every result of the edition, read-only: the engine's stage results of both stages,
    H1's shortlist, final score and rankings (what `compute_rankings` builds on)."""
    from prima.evaluation.domain.results import stage_results
    from prima.evaluation.enums import EditionState
    from prima.evaluation.models import Stage
    from prima.pkri.domain.config import rules_of
    from prima.pkri.domain.ranking import Entry, rank_group, rank_within_kind, shortlist
    from prima.pkri.domain.scores import final_score
    from prima.pkri.enums import FormKind, Group
    from prima.pkri.models import SelfAssessment

    rules = rules_of(edition.rules)
    stages = {s.code: s for s in Stage.objects.filter(edition=edition)}
    desk = {r.subject_id: r for r in stage_results(stages[EditionState.DESK_EVALUATION])}
    panel = {r.subject_id: r for r in stage_results(stages[EditionState.INTERVIEWS])}
    forms = list(
        SelfAssessment.objects.filter(edition=edition, subject__isnull=False)
        .order_by("pk")
        .values_list(
            "pk", "kind", "subject_id", "locus__institution__kind", "snapshot__data__still_running"
        )
    )
    kinds = {
        Group.PEMBINAAN: FormKind.COACHING,
        Group.KEBERLANJUTAN: FormKind.SUSTAINABILITY,
        Group.REPLIKASI: FormKind.REPLICATION,
    }
    step = Decimal(rules.points_per_level)
    out: dict[str, Any] = {}
    for code, group in rules.groups.items():
        mine = [f for f in forms if f[1] == kinds[Group(code)]]
        if not group.interview:
            entries = []
            for pk, _, subject_id, kind, _ in mine:
                result = desk[subject_id]
                levels = {
                    c: int((m / step).quantize(Decimal(1), rounding=ROUND_HALF_UP))
                    for c, m in result.section_means.items()
                }
                entries.append(Entry(pk, _score(result.decision_score), kind, levels))
            ranked = rank_within_kind(
                entries, group.award_slots, group.min_final_score, group.tie_breakers
            )
        else:
            assert group.shortlist is not None
            scored = {pk: _score(desk[s].decision_score) for pk, _, s, _, _ in mine}
            # SQLite returns a JSON boolean as 1/0.
            chosen = shortlist(
                [Entry(pk, scored[pk], running=bool(run)) for pk, _, _, _, run in mine],
                group.shortlist.size,
                group.shortlist.min_desk_score,
                group.shortlist.require_running,
            )
            subject_of = {pk: s for pk, _, s, _, _ in mine}
            finals = [
                Entry(
                    pk,
                    final_score(
                        scored[pk],
                        _score(panel[subject_of[pk]].official),
                        rules.final_with_interview,
                    ),
                )
                for pk in chosen.selected
                if subject_of[pk] in panel
            ]
            ranked = rank_group(finals, group.awards or 0)
            out[code] = {"shortlisted": len(chosen.selected)}
        out.setdefault(code, {}).update(
            ranked=len(ranked), awarded=sorted(e.id for e in ranked if e.awarded)
        )
    return out


def _query_count(client: Any, path: str) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}")
    return len(queries.captured_queries), len(response.content)


PAGES = (
    ("programme", "Halaman program `/pkri/{year}/`", "/pkri/{year}/"),
    (
        "results_pembinaan",
        "Hasil kelompok pembinaan `/pkri/{year}/hasil/?kelompok=pembinaan`",
        "/pkri/{year}/hasil/?kelompok=pembinaan",
    ),
    (
        "results_keberlanjutan",
        "Hasil kelompok keberlanjutan `/pkri/{year}/hasil/?kelompok=keberlanjutan`",
        "/pkri/{year}/hasil/?kelompok=keberlanjutan",
    ),
)


def _finish(edition: Any) -> dict[str, Any]:
    """Decide every proposal and publish the results (Prima's functions)."""
    from prima.awards.domain.proposals import decide_awards
    from prima.awards.enums import AwardStatus
    from prima.awards.models import Award, AwardCategory
    from prima.pkri.domain.decisions import publish_results

    actor = edition.created_by
    for category in AwardCategory.objects.filter(edition=edition).order_by("position"):
        if Award.objects.filter(category=category, status=AwardStatus.PROPOSED).exists():
            decide_awards(category, actor=actor)
    publish_results(
        edition,
        number=f"B/{edition.year}/HASIL/PKRI",
        date=dt.date(edition.year, 9, 2),
        actor=actor,
    )
    decided = Award.objects.filter(edition=edition, status=AwardStatus.DECIDED)
    return {
        "awards": decided.count(),
        "by_category": {
            c: decided.filter(category__code=c).count()
            for c in AwardCategory.objects.filter(edition=edition).values_list("code", flat=True)
        },
    }


def _pipeline(
    built: Built, rng: random.Random, scale: Scale, timings: dict[str, Any]
) -> dict[str, Any]:
    """Desk close → shortlist → interviews → rankings, timing the steps (full scale only
    when `timings` is given a dict to fill)."""
    from prima.pkri.domain.decisions import publish_shortlist
    from prima.pkri.domain.desk import close_desk_evaluation
    from prima.pkri.domain.interviews import close_interviews
    from prima.pkri.domain.rankings import compute_rankings

    edition = built.edition
    actor = edition.created_by
    _, timings["close_desk_evaluation"] = timed(lambda: close_desk_evaluation(edition, actor=actor))
    _, timings["publish_shortlist"] = timed(
        lambda: publish_shortlist(
            edition,
            number=f"B/{edition.year}/WAWANCARA/PKRI",
            date=dt.date(edition.year, 7, 8),
            actor=actor,
        )
    )
    counts: dict[str, Any] = dict(interview(built, rng, scale.assessors))
    _, timings["close_interviews"] = timed(lambda: close_interviews(edition, actor=actor))
    report, timings["compute_rankings_first"] = timed(
        lambda: compute_rankings(edition, actor=actor)
    )
    counts["proposed"] = {code: g.proposed for code, g in report.groups.items()}
    return counts


def build_and_measure() -> dict[str, Any]:
    """The child process: generate, drive, time and count queries; returns the report."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.test import Client

    from prima.awards.enums import AwardStatus
    from prima.awards.models import Award
    from prima.evaluation.domain.results import stage_results
    from prima.evaluation.enums import EditionState
    from prima.evaluation.models import Score, Stage
    from prima.pkri.domain.rankings import compute_rankings
    from prima.pkri.enums import FORM_OF_GROUP, FormState, Group
    from prima.pkri.models import SelfAssessment

    rng = random.Random(SEED)
    began = time.perf_counter()
    registry = build_registry(FULL, rng)
    built, generate_seconds = timed(lambda: build_edition("pkri-2024", 2024, FULL, registry, rng))
    registry_seconds = time.perf_counter() - began - generate_seconds
    edition = built.edition
    timings: dict[str, Any] = {}
    counts = dict(built.counts)
    counts.update(_pipeline(built, rng, FULL, timings))
    counts["score_rows"] = Score.objects.filter(version__sheet__stage__edition=edition).count()

    # Timings on the closed interviews / open plenary: every sheet final, nothing changes.
    desk = Stage.objects.get(edition=edition, code=EditionState.DESK_EVALUATION)
    base_times, engine_times, all_times = [], [], []
    for _ in range(5):
        groups, seconds = timed(lambda: baseline_means(edition))
        base_times.append(seconds)
    for _ in range(REPEAT):
        _, seconds = timed(lambda: stage_results(desk))
        engine_times.append(seconds)
        computed, seconds = timed(lambda: all_results(edition))
        all_times.append(seconds)
    actor = edition.created_by
    ranking_times = _rolled_back(lambda: compute_rankings(edition, actor=actor))

    # Does the read-only computation agree with what compute_rankings proposed?
    proposed = defaultdict(set)
    for code, innovation_id, institution_id in Award.objects.filter(
        edition=edition, status=AwardStatus.PROPOSED
    ).values_list("category__code", "innovation_id", "institution_id"):
        proposed[code].add(innovation_id or institution_id)
    agreement: dict[str, dict[str, Any]] = {}

    key_of = {
        pk: (innovation or institution)
        for pk, innovation, institution in SelfAssessment.objects.filter(
            edition=edition
        ).values_list("pk", "object__innovation_id", "locus__institution_id")
    }
    interviewed = Counter(
        SelfAssessment.objects.filter(edition=edition, state=FormState.INTERVIEWED).values_list(
            "kind", flat=True
        )
    )
    for code, result in computed.items():
        mine = {key_of[pk] for pk in result["awarded"]}
        agreement[code] = {
            "computed": len(mine),
            "proposed": len(proposed[code]),
            "same": mine == proposed[code],
        }
        if "shortlisted" in result:
            published = interviewed[FORM_OF_GROUP[Group(code)]]
            agreement[code].update(
                shortlist_computed=result["shortlisted"],
                shortlist_published=published,
                shortlist_same=result["shortlisted"] == published,
            )
    finished = _finish(edition)

    # The tiny edition, the same way, for the constant-query check.
    tiny_rng = random.Random(SEED + 1)
    tiny = build_edition("pkri-2019", 2019, TINY, registry, tiny_rng)
    tiny_counts = dict(tiny.counts)
    tiny_counts.update(_pipeline(tiny, tiny_rng, TINY, {}))
    tiny_counts.update(_finish(tiny.edition))

    client = Client()
    queries = {}
    for key, label, pattern in PAGES:
        big, big_bytes = _query_count(client, pattern.format(year=2024))
        small, small_bytes = _query_count(client, pattern.format(year=2019))
        queries[key] = {
            "label": label,
            "path": pattern.format(year=2024),
            "queries_2024": big,
            "queries_tiny": small,
            "bytes_2024": big_bytes,
            "bytes_tiny": small_bytes,
            "equal": big == small,
        }
    base = statistics.median(base_times)
    return {
        "seed": SEED,
        "counts": counts,
        "tiny_counts": tiny_counts,
        "finished": finished,
        "generate_seconds": round(generate_seconds, 2),
        "registry_seconds": round(registry_seconds, 2),
        "steps": {k: round(v, 4) for k, v in timings.items()},
        "baseline": {"seconds": _median(base_times), "groups": groups, "runs": base_times},
        "stage_results_desk": {
            "seconds": _median(engine_times),
            "ratio": _ratio(statistics.median(engine_times), base),
        },
        "all_results": {
            "seconds": _median(all_times),
            "ratio": _ratio(statistics.median(all_times), base),
        },
        "compute_rankings": {
            "seconds": _median(ranking_times),
            "ratio": _ratio(statistics.median(ranking_times), base),
        },
        "agreement": agreement,
        "queries": queries,
    }


# --------------------------------------------------------------------------- orchestration


def _probe(port: int, path: str, n: int = 7) -> float:
    """Median seconds of `n` sequential GETs (after one unmeasured request)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    times = []
    try:
        for i in range(n + 1):
            began = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"GET {path} answered {response.status}")
            if i:
                times.append(time.perf_counter() - began)
    finally:
        connection.close()
    return statistics.median(times)


def _load(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    from bench.loadgen import run_load
    from bench.run import free_port, gunicorn, wait_ready

    port = free_port()
    load = {"requests": args.requests, "concurrency": args.concurrency}
    results = {}
    with gunicorn(port, args, env, BENCH_VAR / "gunicorn.log") as server:
        wait_ready(port, server)
        print(f"· gunicorn on 127.0.0.1:{port}; {load}", flush=True)
        results["baseline_before"] = run_load("127.0.0.1", port, "/bench/ping/", **load)
        for key, _, pattern in PAGES:
            path = pattern.format(year=2024)
            # Bounded by time: about `page_seconds` of load at the rate a probe suggests.
            # One request at a time per CPU left over by the load generator: conservative.
            latency = _probe(port, path)
            estimate = 1 / latency
            requests = int(
                min(args.requests, max(args.concurrency * 10, estimate * args.page_seconds))
            )
            print(f"  {path}: probe {latency * 1000:.0f} ms → {requests} requests", flush=True)
            results[key] = run_load(
                "127.0.0.1",
                port,
                path,
                requests=requests,
                concurrency=args.concurrency,
                warmup=5,
            )
        results["baseline_after"] = run_load("127.0.0.1", port, "/bench/ping/", **load)
    before, after = results["baseline_before"], results["baseline_after"]
    base_rps = (before.rps + after.rps) / 2
    base_p50 = (before.p50_ms + after.p50_ms) / 2
    base_p99 = (before.p99_ms + after.p99_ms) / 2
    return {
        "server": {"workers": args.workers, "threads": args.threads, "database": "SQLite (WAL)"},
        "baseline": {
            "before": before.as_dict(),
            "after": after.as_dict(),
            "rps": round(base_rps, 1),
            "p50_ms": round(base_p50, 2),
            "p99_ms": round(base_p99, 2),
        },
        "pages": {
            key: {
                "label": label.format(year=2024),
                **results[key].as_dict(),
                "rps_ratio": round(results[key].rps / base_rps, 3),
                "p50_ratio": round(results[key].p50_ms / base_p50, 2),
                "p99_ratio": round(results[key].p99_ms / base_p99, 2),
            }
            for key, label, _ in PAGES
        },
    }


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from bench.run import machine

    if BENCH_VAR.exists():
        shutil.rmtree(BENCH_VAR)
    BENCH_VAR.mkdir(parents=True)
    env = bench_env(DATABASE, BENCH_VAR, demo=False)
    print(f"· migrate {DATABASE.relative_to(ROOT)}", flush=True)
    run_command([sys.executable, "-m", "django", "migrate", "--noinput", "-v0"], env)
    run_command([sys.executable, "-m", "django", "collectstatic", "--noinput", "-v0"], env)
    print("· generate the 2024-scale edition, compute its results, count queries", flush=True)
    began = time.perf_counter()
    output = run_command([sys.executable, "-m", "bench.pkri", "--child"], env)
    compute: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    print(f"  {time.perf_counter() - began:.1f} s", flush=True)
    http = _load(args, env)
    return {
        "date": dt.datetime.now(JAKARTA).isoformat(timespec="seconds"),
        "command": " ".join(["python -m bench.pkri", *sys.argv[1:]]),
        "machine": machine(),
        **compute,
        "http": http,
    }


# --------------------------------------------------------------------------- report


def _agreement(code: str, a: Mapping[str, Any]) -> str:
    def same(flag: bool) -> str:
        return "same" if flag else "**different**"

    text = f"{code} awards {a['computed']} / {a['proposed']} ({same(a['same'])})"
    if "shortlist_computed" in a:
        text += (
            f", shortlist {a['shortlist_computed']} / {a['shortlist_published']} "
            f"({same(a['shortlist_same'])})"
        )
    return text


def markdown(report: dict[str, Any]) -> str:
    c, tc = report["counts"], report["tiny_counts"]
    steps, base = report["steps"], report["baseline"]
    lines = [
        f"### {report['date']}",
        "",
        f"- Command: `{report['command']}`",
        f"- Machine: {report['machine']['nproc']} CPUs (`nproc`), Python "
        f"{report['machine']['python']}, {report['machine']['platform']}",
        f"- Edition (seed {report['seed']}): {c['loci']} loci ({c['coaching_loci']} in the "
        f"coaching group), {c['object_forms']} object forms and "
        f"{c['coaching_forms_submitted']} coaching forms submitted "
        f"({c['coaching_forms_missing']} missing); {c['subjects']} subjects × 3 desk sheets "
        f"by {c['evaluators']} evaluators; {c['shortlisted']} shortlisted × 3 interview "
        f"sheets by {c['panelists']} panelists; {c['score_rows']} Score rows. Generated in "
        f"{report['generate_seconds']} s (registry {report['registry_seconds']} s).",
        f"- Tiny edition (constant-query check): {tc['loci']} loci, {tc['subjects']} subjects, "
        f"{tc['shortlisted']} shortlisted, {tc['awards']} awards.",
        "",
        "| Computing results (2024 scale) | Seconds | vs baseline |",
        "|---|---:|---:|",
        f"| Baseline: one `GROUP BY` mean of the same Score rows ({base['groups']} groups), "
        f"median of 5 | {base['seconds']} | 1 |",
        f"| Engine `stage_results` of the desk stage ({c['subjects']} subjects), median of 3 | "
        f"{report['stage_results_desk']['seconds']} | ×{report['stage_results_desk']['ratio']} |",
        "| All results, read-only: `stage_results` of both stages + H1 `shortlist`, "
        "`final_score`, `rank_within_kind`, `rank_group`, median of 3 | "
        f"{report['all_results']['seconds']} | ×{report['all_results']['ratio']} |",
        "| H5 `compute_rankings` (ranks stored, H6 `propose_awards` for every category), "
        f"median of 3 rolled back | {report['compute_rankings']['seconds']} | "
        f"×{report['compute_rankings']['ratio']} |",
        "",
        f"Single runs while driving the edition: `close_desk_evaluation` "
        f"{steps['close_desk_evaluation']} s, `publish_shortlist` {steps['publish_shortlist']} s, "
        f"`close_interviews` {steps['close_interviews']} s, first `compute_rankings` "
        f"{steps['compute_rankings_first']} s. Awards decided: {report['finished']['awards']} "
        f"({', '.join(f'{k} {v}' for k, v in report['finished']['by_category'].items())}).",
        "",
        "Read-only computation vs Prima's own (awards computed / proposed by "
        "`compute_rankings`; shortlist computed from the frozen `data.still_running` / "
        "published by `publish_shortlist`): "
        + "; ".join(_agreement(code, a) for code, a in report["agreement"].items())
        + ".",
        "",
        "| Page (anonymous) | Queries, 2024 scale | Queries, tiny edition | Equal |",
        "|---|---:|---:|---|",
    ]
    for row in report["queries"].values():
        lines.append(
            f"| {row['label']} | {row['queries_2024']} | {row['queries_tiny']} | "
            f"{'yes' if row['equal'] else '**no**'} |"
        )
    http = report["http"]
    hb = http["baseline"]
    lines += [
        "",
        f"Server: gunicorn {http['server']['workers']} workers × {http['server']['threads']} "
        f"threads, {http['server']['database']}; load generator on the same machine.",
        "",
        "| Endpoint | Requests × concurrency | req/s | p50 ms | p99 ms | req/s vs baseline | "
        "p50 vs baseline | p99 vs baseline |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
        f"| Baseline `bench/ping/` (mean of before/after) | {hb['before']['requests']} × "
        f"{hb['before']['concurrency']} | {hb['rps']} | {hb['p50_ms']} | {hb['p99_ms']} | "
        "1 | 1 | 1 |",
    ]
    for row in http["pages"].values():
        lines.append(
            f"| {row['label']} | {row['requests']} × {row['concurrency']} | {row['rps']} | "
            f"{row['p50_ms']} | {row['p99_ms']} | {row['rps_ratio']} | {row['p50_ratio']} | "
            f"{row['p99_ratio']} |"
        )
    return "\n".join(lines) + "\n"


def record(text_block: str, path: Path = RESULTS) -> None:
    """Insert the run under the PKRI section (created before "## Runs" if missing)."""
    record_section(
        text_block,
        path,
        marker=MARKER,
        section=(
            f"{SECTION}\n\n"
            "Recorded by `python -m bench.pkri` (`make bench-pkri`; not part of `make bench`): "
            "a generated PKRI edition of the 2024 size (631 loci, 979 object forms, 308 "
            "coaching forms, three sheets per subject) in its own SQLite database. Computing "
            "the results is timed against one plain `GROUP BY` mean of the same Score rows; "
            "the public programme and results pages are loaded over HTTP against the bare "
            "`bench/ping/` view, and their query counts compared with a tiny edition's. See "
            "the module docstring of `bench/pkri.py`.\n\n"
            f"{MARKER}\n"
        ),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pkri", description=__doc__)
    parser.add_argument(
        "--requests", type=int, default=2_000, help="requests to the baseline; most per page"
    )
    parser.add_argument(
        "--page-seconds",
        type=float,
        default=15,
        help="aim for about this long a load per page (at least 10 requests per connection)",
    )
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--no-record", action="store_true", help="do not write RESULTS.md")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(build_and_measure(), default=str))
        return 0
    report = measure(args)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    text = markdown(report)
    print()
    print(text)
    if not args.no_record:
        record(text)
        print("recorded in bench/RESULTS.md")
    print(f"JSON: {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
