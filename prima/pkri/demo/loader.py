"""Writing the PKRI demo plan inside the national demo's transaction (pkri.md §10).

Called once by `prima.core.demo.loader.load_demo` after the KIPP demo and before its single
`demo.loaded` audit entry, which then also carries the PKRI counts.

What is written directly (bulk, as the domain functions would leave it): the synthetic
innovations with their placeholder tier records and replication links, the scope (loci
and objects exactly as `derive_scope` plus the secretariat's additions and exclusions
leave them, and the scope announcement), the forms with their answers, evidence files,
snapshots and hashes (`prima.pkri.domain.forms.snapshot_hash`), the desk scores (H1
`desk_score` of the demo's levels, stored as the assessors' levels in
`suggested_levels`; Kota Balikpapan's is the team's consolidated 88.50, listed with its
justification, attendees and minutes reference under `pkri_consolidations_2024` in the
`demo.loaded` audit entry, since the demo's forms have no engine subject to hang a
`Consolidation` on), the interview slots and interview/final scores (H1 `final_score`).

What Prima computes through its own functions: the editions, stage rows and award
categories (`create_edition`), the shortlist (`publish_shortlist` → H1 `shortlist`),
the rankings and award proposals (`compute_rankings` → H1 `rank_within_kind` /
`rank_group` → `propose_awards`), the decisions (`decide_awards`) and the results
(`publish_results`: form outcomes, `is_published`). Afterwards the times those functions
stamp on their rows are moved back to the edition's calendar. Their audit entries keep
the load time: the audit chain's `entry_hash` covers `created_at`, so moving it would
break the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Max
from django.utils import timezone

from prima.awards.domain.proposals import decide_awards
from prima.awards.enums import AwardStatus
from prima.awards.models import Award, AwardCategory
from prima.core.demo.plan import DemoPlan
from prima.core.models import Institution, Person, ServiceUnit
from prima.evaluation.domain.stages import close_stage
from prima.evaluation.enums import EditionState, StageStatus
from prima.evaluation.models import Edition, Stage
from prima.innovations.enums import LinkOrigin
from prima.innovations.models import AwardRecord, Category, Innovation, ReplicationLink
from prima.kipp.demo.loader import own_times, pdf
from prima.pkri.demo.plan import (
    CODE_2024,
    CODE_2025,
    DATE_RESULTS_2024,
    DATE_SHORTLIST_2024,
    LETTER_RESULTS_2024,
    LETTER_SHORTLIST_2024,
    PAYAKUMBUH,
    WINDOW_2025,
    FormSpec,
    PkriPlan,
    build_pkri_plan,
    wib,
)
from prima.pkri.domain.config import rules_of
from prima.pkri.domain.decisions import publish_results, publish_shortlist
from prima.pkri.domain.editions import create_edition
from prima.pkri.domain.forms import canonical_json, snapshot_hash
from prima.pkri.domain.interviews import open_interviews
from prima.pkri.domain.rankings import compute_rankings
from prima.pkri.enums import AnnouncementKind, FormState
from prima.pkri.models import (
    Announcement,
    FormEvidence,
    InterviewSlot,
    Locus,
    ScopeObject,
    SelfAssessment,
)

BATCH = 1000
EVIDENCE_DIR = "pkri/demo"
E = EditionState
# Awards whose membership is the published record (pkri.md §7.5, §10); the rest are
# synthetic placeholders.
PUBLISHED_COACHING = {
    "Pemerintah Kota Balikpapan",
    "Pemerintah Kota Mataram",
    PAYAKUMBUH,
    "Pemerintah Kota Surabaya",
    "Pemerintah Kota Sawahlunto",
    "Pemerintah Provinsi Jawa Timur",
}
PUBLISHED_OBJECTS = {"Klinik BUM Desa"}
# When each stage of PKRI 2024 opened and closed (WIB), after the calendar of §5.1.
TIMELINE_2024: dict[str, tuple[dt.date, dt.date]] = {
    E.SCOPE_DRAFT: (dt.date(2024, 3, 18), dt.date(2024, 4, 17)),
    E.SCOPE_FROZEN: (dt.date(2024, 4, 17), dt.date(2024, 4, 29)),
    E.FORMS_OPEN: (dt.date(2024, 4, 29), dt.date(2024, 6, 12)),
    E.FORMS_CLOSED: (dt.date(2024, 6, 12), dt.date(2024, 6, 12)),
    E.DESK_EVALUATION: (dt.date(2024, 6, 12), dt.date(2024, 7, 9)),
    E.SHORTLIST_PUBLISHED: (dt.date(2024, 7, 9), dt.date(2024, 7, 12)),
    E.INTERVIEWS: (dt.date(2024, 7, 12), dt.date(2024, 7, 16)),
    E.PLENARY: (dt.date(2024, 7, 23), dt.date(2024, 9, 30)),
    E.RESULTS: (dt.date(2024, 9, 30), dt.date(2024, 10, 8)),
    E.AWARDED: (dt.date(2024, 10, 8), dt.date(2024, 10, 8)),
    E.CLOSED: (dt.date(2024, 10, 8), dt.date(2024, 12, 31)),
}
SKIPPED_2024 = {E.DECREED}  # the 2024 results decree number is not published
TIMELINE_2025: dict[str, tuple[dt.date, dt.date | None]] = {
    E.SCOPE_DRAFT: (dt.date(2025, 5, 12), dt.date(2025, 6, 5)),
    E.SCOPE_FROZEN: (dt.date(2025, 6, 5), dt.date(2025, 6, 16)),
    E.FORMS_OPEN: (dt.date(2025, 6, 16), None),
}


# --------------------------------------------------------------------------- registry


def _unit_ids(
    names: set[tuple[str, str]], institution_ids: dict[str, int]
) -> dict[tuple[str, str], int]:
    by_id = {pk: name for name, pk in institution_ids.items()}
    rows = ServiceUnit.objects.filter(
        institution_id__in={institution_ids[i] for i, _ in names},
        name__in={u for _, u in names},
    ).values_list("institution_id", "name", "pk")
    return {(by_id[i], name): pk for i, name, pk in rows}


def _write_registry(
    plan: PkriPlan, national: Sequence[Innovation], institution_ids: dict[str, int]
) -> list[Innovation]:
    """New units, the synthetic innovations, their tier records and replication links;
    returns every innovation row (national first), indexable like the plan."""
    ServiceUnit.objects.bulk_create(
        [
            ServiceUnit(
                institution_id=institution_ids[u.institution_name],
                name=u.name,
                kind=u.kind,
                service_type=u.service_type,
                user_population=u.user_population,
                address=u.address,
            )
            for u in plan.units
        ]
    )
    unit_ids = _unit_ids(
        {(s.institution_name, s.unit_name) for s in plan.innovations}, institution_ids
    )
    rows = [
        Innovation(
            unit_id=unit_ids[(s.institution_name, s.unit_name)],
            institution_id=institution_ids[s.institution_name],
            name=s.name,
            acronym=s.acronym,
            summary=s.summary,
            problem=s.problem,
            approach=s.approach,
            results=s.results,
            beneficiaries=s.beneficiaries,
            started_on=s.started_on,
            is_digital=s.is_digital,
            sdg_goals=list(s.sdg_goals),
            status=s.status,
            is_published=s.is_published,
            created_at=s.registered_at or wib(s.started_on),
            updated_at=s.registered_at or wib(s.started_on),
        )
        for s in plan.innovations
    ]
    with own_times(Innovation):
        Innovation.objects.bulk_create(rows, batch_size=BATCH)
    category_ids = dict(Category.objects.values_list("code", "id"))
    through = Innovation.categories.through
    through.objects.bulk_create(
        [
            through(innovation_id=row.pk, category_id=category_ids[code])
            for spec, row in zip(plan.innovations, rows, strict=True)
            for code in spec.categories
            if code in category_ids
        ],
        batch_size=BATCH,
    )
    every = [*national, *rows]
    AwardRecord.objects.bulk_create(
        [
            AwardRecord(
                innovation_id=every[t.innovation].pk,
                programme="kipp",
                year=t.year,
                tier=t.tier,
                level=t.level,
                is_demo_placeholder=True,
            )
            for t in plan.tiers
        ],
        batch_size=BATCH,
    )
    ReplicationLink.objects.bulk_create(
        [
            ReplicationLink(
                replica_id=every[k.replica].pk,
                source_id=every[k.source].pk,
                replicated_on=k.replicated_on,
                adaptation=k.adaptation,
                differences=k.differences,
                status=k.status,
                origin=LinkOrigin.MANUAL,
            )
            for k in plan.links
        ],
        batch_size=BATCH,
    )
    return every


# --------------------------------------------------------------------------- scope and forms


def _evidence_files() -> dict[str, tuple[str, int, str]]:
    """field root → (stored name, size, sha256): one shared demo PDF per kind of answer."""
    labels = {
        "legal_basis": "Dasar hukum inovasi",
        "sop": "Standar operasional prosedur",
        "team_decree": "SK tim inovasi",
        "latest_evaluation": "Laporan evaluasi",
        "evidence": "Bukti pendukung",
        "declaration_file": "Surat pernyataan kebenaran data",
        "coaching_policy": "Kebijakan pembinaan inovasi",
        "coaching_team": "SK tim pembina inovasi",
        "internal_competition": "Keputusan kompetisi inovasi internal",
    }
    files = {}
    for root, label in labels.items():
        content = pdf(label)
        name = f"{EVIDENCE_DIR}/{root}.pdf"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(content))
        files[root] = (name, len(content), hashlib.sha256(content).hexdigest())
    return files


def _set_path(data: dict[str, Any], path: str, value: int) -> None:
    parts = path.split(".")
    target: Any = data
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target[part]
    last = parts[-1]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value


def _write_edition_scope(
    plan: PkriPlan,
    edition: Edition,
    every: Sequence[Innovation],
    institution_ids: dict[str, int],
    people: dict[str, Person],
    secretariat: Person,
) -> dict[str, int]:
    code = edition.code
    loci_specs, object_specs, form_specs = plan.of(code)
    created = wib(
        TIMELINE_2024[E.SCOPE_DRAFT][0] if code == CODE_2024 else TIMELINE_2025[E.SCOPE_DRAFT][0],
        10,
    )
    loci = [
        Locus(
            edition=edition,
            institution_id=institution_ids[s.institution],
            in_pembinaan=s.in_pembinaan,
            origin=s.origin,
            reason=s.reason,
            excluded=s.excluded,
            excluded_reason=s.excluded_reason,
            is_demo_placeholder=s.is_demo_placeholder,
            created_by=secretariat if s.origin != "derived" else None,
            created_at=created,
            updated_at=created,
        )
        for s in loci_specs
    ]
    with own_times(Locus):
        Locus.objects.bulk_create(loci, batch_size=BATCH)
    locus_of = {s.institution: row for s, row in zip(loci_specs, loci, strict=True)}
    objects = [
        ScopeObject(
            edition=edition,
            locus=locus_of[s.institution],
            innovation_id=every[s.innovation].pk,
            unit_id=every[s.innovation].unit_id,
            group=s.group,
            source_tier=s.source_tier,
            award_year=s.award_year,
            original_id=every[s.original].pk if s.original is not None else None,
            excluded=s.excluded,
            excluded_reason=s.excluded_reason,
            is_demo_placeholder=True,
            created_at=created,
            updated_at=created,
        )
        for s in object_specs
    ]
    with own_times(ScopeObject):
        ScopeObject.objects.bulk_create(objects, batch_size=BATCH)
    object_rows = {}
    numbers = [n for n, s in enumerate(plan.objects) if s.edition == code]
    for number, row in zip(numbers, objects, strict=True):
        object_rows[number] = row
    forms = _write_forms(
        plan, edition, form_specs, locus_of, object_rows, every, people, institution_ids
    )
    kept_loci = [loc for loc in loci if not loc.excluded]
    kept_objects = [obj for obj in objects if not obj.excluded]
    rules = rules_of(edition.rules)
    if rules.announcement_date is None:
        raise ValueError(f"{code}: the rules carry no scope announcement date")
    Announcement.objects.create(
        edition=edition,
        kind=AnnouncementKind.SCOPE,
        number=rules.announcement_number,
        date=rules.announcement_date,
        title=f"Penetapan Lokus dan Objek PKRI {edition.year}",
        body=(
            f"Sebanyak {len(kept_objects)} inovasi pada {len(kept_loci)} instansi ditetapkan "
            f"sebagai objek dan lokus PKRI {edition.year}."
        ),
        listing={
            "loci": len(kept_loci),
            "objects": len(kept_objects),
            "locus_ids": [loc.pk for loc in kept_loci],
            "object_ids": [obj.pk for obj in kept_objects],
        },
        published_at=wib(rules.announcement_date, 15),
        created_by=secretariat,
    )
    return {
        f"pkri_loci_{code[-4:]}": len(kept_loci),
        f"pkri_objects_{code[-4:]}": len(kept_objects),
        f"pkri_forms_{code[-4:]}": len(forms),
    }


def _write_forms(
    plan: PkriPlan,
    edition: Edition,
    specs: list[FormSpec],
    locus_of: dict[str, Locus],
    object_rows: dict[int, ScopeObject],
    every: Sequence[Innovation],
    people: dict[str, Person],
    institution_ids: dict[str, int],
) -> list[SelfAssessment]:
    files = _evidence_files()
    created = wib(TIMELINE_2024[E.FORMS_OPEN][0] if edition.code == CODE_2024 else WINDOW_2025[0])
    admin = people.get("admin.payakumbuh")
    operator = people.get("operator.pupr.payakumbuh")
    rows = []
    for spec in specs:
        data = json.loads(json.dumps(spec.data))
        if "original_innovation" in data and isinstance(data["original_innovation"], int):
            data["original_innovation"] = every[data["original_innovation"]].pk
        payakumbuh = spec.institution == PAYAKUMBUH
        rows.append(
            SelfAssessment(
                edition=edition,
                kind=spec.kind,
                locus=locus_of[spec.institution],
                object=object_rows[spec.object] if spec.object is not None else None,
                state=spec.state,
                data=data,
                return_note=spec.return_note,
                submitted_at=spec.submitted_at,
                submitted_by=admin if payakumbuh and spec.submitted_at else None,
                suggested_levels=dict(spec.levels),
                derived=spec.derived,
                desk_score=spec.desk_score,
                is_demo_placeholder=True,
                version=1 if spec.state == FormState.ANNOUNCED else 2,
                updated_by=(operator if spec.by_operator else admin) if payakumbuh else None,
                created_at=spec.created_at or created,
                updated_at=spec.updated_at or created,
            )
        )
    with own_times(SelfAssessment):
        SelfAssessment.objects.bulk_create(rows, batch_size=BATCH)
    evidence = []
    for spec, row in zip(specs, rows, strict=True):
        moment = spec.submitted_at or spec.updated_at or created
        for path in spec.files:
            name, size, sha = files[path.split(".")[0]]
            evidence.append(
                FormEvidence(
                    form=row,
                    field=path,
                    file=name,
                    original_name=f"{path.split('.')[0].replace('_', '-')}.pdf",
                    content_type="application/pdf",
                    size=size,
                    sha256=sha,
                    uploaded_at=moment,
                )
            )
    with own_times(FormEvidence):
        FormEvidence.objects.bulk_create(evidence, batch_size=BATCH)
    unit_ids = {row.object.unit_id for row in rows if row.object is not None}
    names = {
        "innovation": {i.pk: i.name for i in every},
        "unit": dict(ServiceUnit.objects.filter(pk__in=unit_ids).values_list("pk", "name")),
        "institution": {pk: name for name, pk in institution_ids.items()},
    }
    by_form: dict[int, list[FormEvidence]] = {}
    for item in evidence:
        by_form.setdefault(item.form_id, []).append(item)
    for spec, row in zip(specs, rows, strict=True):
        for item in by_form.get(row.pk, []):
            _set_path(row.data, item.field, item.pk)
        if spec.submitted_at is not None:
            row.snapshot = _snapshot(row, by_form.get(row.pk, []), names)
            row.snapshot_hash = snapshot_hash(row.snapshot)
    # One UPDATE per answered form: much cheaper than `bulk_update`'s CASE expressions.
    for row in rows:
        if row.pk in by_form:
            SelfAssessment.objects.filter(pk=row.pk).update(
                data=row.data, snapshot=row.snapshot, snapshot_hash=row.snapshot_hash
            )
    return rows


def _snapshot(
    form: SelfAssessment,
    evidence: list[FormEvidence],
    names: dict[str, dict[int, str]],
) -> dict[str, Any]:
    """The content `submit_form` freezes (`prima.pkri.domain.forms.build_snapshot`)."""
    target = None
    if form.object is not None:
        obj = form.object
        target = {
            "id": obj.pk,
            "innovation": {"id": obj.innovation_id, "name": names["innovation"][obj.innovation_id]},
            "unit": {"id": obj.unit_id, "name": names["unit"][obj.unit_id]},
            "group": obj.group,
            "award_year": obj.award_year,
            "source_tier": obj.source_tier,
        }
    institution_id = form.locus.institution_id
    return {
        "edition": form.edition.code,
        "kind": form.kind,
        "locus": {
            "id": form.locus_id,
            "institution": {"id": institution_id, "name": names["institution"][institution_id]},
        },
        "object": target,
        "data": json.loads(canonical_json(form.data or {})),
        "files": [
            {
                "id": e.pk,
                "field": e.field,
                "name": e.original_name,
                "size": e.size,
                "sha256": e.sha256,
            }
            for e in sorted(evidence, key=lambda e: e.pk)
        ],
    }


# --------------------------------------------------------------------------- 2024 run


def _stage_rows(edition: Edition) -> dict[str, Stage]:
    return {s.code: s for s in Stage.objects.filter(edition=edition)}


def _open_at(edition: Edition, code: str) -> None:
    """Close every stage before `code` and open it (the edition's state follows)."""
    stages = _stage_rows(edition)
    position = stages[code].position
    for stage in stages.values():
        if stage.position < position:
            stage.status = StageStatus.CLOSED
        elif stage.position == position:
            stage.status = StageStatus.OPEN
    Stage.objects.bulk_update(list(stages.values()), ["status"])
    edition.state = code
    Edition.objects.filter(pk=edition.pk).update(state=code)


def _slots(edition: Edition, secretariat: Person) -> int:
    """Online slots of 20 minutes over the interview days for every shortlisted form."""
    forms = list(
        SelfAssessment.objects.filter(edition=edition, state=FormState.SHORTLISTED).order_by(
            "kind", "pk"
        )
    )
    first, last = TIMELINE_2024[E.INTERVIEWS]
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    per_day = -(-len(forms) // len(days))
    slots = []
    for number, form in enumerate(forms):
        day = days[number // per_day]
        start = wib(day, 8) + dt.timedelta(minutes=20 * (number % per_day))
        slots.append(
            InterviewSlot(
                form=form,
                starts_at=start,
                minutes=20,
                link=f"https://rapat.prima-demo.example/pkri-2024/{form.pk}",
                presenter_name="Kepala unit pemilik inovasi",
                presenter_position="Kepala Unit",
                created_by=secretariat,
                created_at=wib(TIMELINE_2024[E.SHORTLIST_PUBLISHED][0], 16),
            )
        )
    with own_times(InterviewSlot):
        InterviewSlot.objects.bulk_create(slots)
    return len(slots)


def _interviewed(edition: Edition, plan: PkriPlan) -> None:
    """The panel's scores, as `close_interviews` stores them (the demo has no panel sheets)."""
    specs = [f for f in plan.forms if f.edition == CODE_2024]
    ids = list(
        SelfAssessment.objects.filter(edition=edition).order_by("pk").values_list("pk", "state")
    )
    for spec, (pk, state) in zip(specs, ids, strict=True):
        if state == FormState.SHORTLISTED:
            if spec.interview_score is None or spec.final_score is None:
                raise ValueError(f"shortlisted form {pk} has no planned interview/final score")
            SelfAssessment.objects.filter(pk=pk).update(
                interview_score=spec.interview_score,
                final_score=spec.final_score,
                state=FormState.INTERVIEWED,
            )


def _run_2024(edition: Edition, plan: PkriPlan, secretariat: Person) -> dict[str, int]:
    _open_at(edition, E.DESK_EVALUATION)
    publish_shortlist(
        edition, number=LETTER_SHORTLIST_2024, date=DATE_SHORTLIST_2024, actor=secretariat
    )
    slots = _slots(edition, secretariat)
    open_interviews(edition, actor=secretariat)
    _interviewed(edition, plan)
    close_stage(_stage_rows(edition)[E.INTERVIEWS], actor=secretariat)
    compute_rankings(edition, actor=secretariat)
    for category in AwardCategory.objects.filter(edition=edition).order_by("position"):
        if Award.objects.filter(category=category, status=AwardStatus.PROPOSED).exists():
            decide_awards(category, actor=secretariat)
    publish_results(edition, number=LETTER_RESULTS_2024, date=DATE_RESULTS_2024, actor=secretariat)
    _finish_2024(edition)
    return {"pkri_interview_slots_2024": slots}


def _finish_2024(edition: Edition) -> None:
    """After the results: no decree recorded, the award event held, the edition closed;
    every time the functions stamped moved back to the 2024 calendar."""
    stages = _stage_rows(edition)
    for code, stage in stages.items():
        if code in SKIPPED_2024:
            stage.status = StageStatus.SKIPPED
            stage.opened_at = stage.closed_at = None
            continue
        first, last = TIMELINE_2024[code]
        stage.status = StageStatus.CLOSED
        stage.opened_at = wib(first, 8)
        stage.closed_at = wib(last, 17)
    Stage.objects.bulk_update(list(stages.values()), ["status", "opened_at", "closed_at"])
    Edition.objects.filter(pk=edition.pk).update(
        state=E.CLOSED,
        is_published=True,
        created_at=wib(TIMELINE_2024[E.SCOPE_DRAFT][0], 10),
        updated_at=wib(TIMELINE_2024[E.CLOSED][0], 17),
    )
    Announcement.objects.filter(edition=edition, kind=AnnouncementKind.SHORTLIST).update(
        published_at=wib(DATE_SHORTLIST_2024, 15)
    )
    Announcement.objects.filter(edition=edition, kind=AnnouncementKind.RESULTS).update(
        published_at=wib(DATE_RESULTS_2024, 15)
    )
    decided = wib(TIMELINE_2024[E.PLENARY][1], 14)
    Award.objects.filter(edition=edition).update(
        decided_at=decided, created_at=decided, updated_at=decided, is_demo_placeholder=True
    )
    Award.objects.filter(
        edition=edition, innovation__isnull=True, institution__name__in=PUBLISHED_COACHING
    ).update(is_demo_placeholder=False)
    Award.objects.filter(edition=edition, innovation__name__in=PUBLISHED_OBJECTS).update(
        is_demo_placeholder=False
    )
    SelfAssessment.objects.filter(edition=edition).exclude(
        state__in=(FormState.FORM_MISSING,)
    ).update(updated_at=wib(DATE_RESULTS_2024, 15))


def _open_2025(edition: Edition) -> None:
    stages = _stage_rows(edition)
    for code, (first, last) in TIMELINE_2025.items():
        stage = stages[code]
        stage.status = StageStatus.OPEN if last is None else StageStatus.CLOSED
        stage.opened_at = wib(first, 8)
        stage.closed_at = wib(last, 17) if last else None
    Stage.objects.bulk_update(list(stages.values()), ["status", "opened_at", "closed_at"])
    Edition.objects.filter(pk=edition.pk).update(
        state=E.FORMS_OPEN,
        created_at=wib(TIMELINE_2025[E.SCOPE_DRAFT][0], 10),
        updated_at=wib(TIMELINE_2025[E.FORMS_OPEN][0], 8),
    )


# --------------------------------------------------------------------------- entry point


def _status_confirmations() -> int:
    """Each innovation's latest submitted object form confirms its status that day, as
    `confirm_innovation_status` does on submission (the demo writes forms as rows)."""
    latest = (
        SelfAssessment.objects.filter(submitted_at__isnull=False, object__isnull=False)
        .values("object__innovation_id")
        .annotate(last=Max("submitted_at"))
        .order_by()
    )
    by_day: dict[dt.date, list[int]] = {}
    for row in latest:
        by_day.setdefault(timezone.localdate(row["last"]), []).append(row["object__innovation_id"])
    for day, ids in sorted(by_day.items()):
        # A queryset update leaves `updated_at` alone: a confirmation is no profile edit.
        Innovation.objects.filter(pk__in=ids).update(status_confirmed_on=day)
    return sum(len(ids) for ids in by_day.values())


def load_pkri_demo(demo: DemoPlan, innovations: Sequence[Innovation]) -> dict[str, Any]:
    """Write the PKRI demo for the national plan just written; returns counts for the audit.

    `innovations` are the national plan's rows, in plan order. Must run inside the
    national demo's transaction, after the KIPP demo.
    """
    secretariat = Person.objects.get(username="sekretariat")
    people = {
        p.username: p
        for p in Person.objects.filter(
            username__in=("admin.payakumbuh", "operator.pupr.payakumbuh")
        )
    }
    plan = build_pkri_plan(demo)
    names = {s.institution for s in plan.loci} | {u.institution_name for u in plan.units}
    names |= {s.institution_name for s in plan.innovations}
    institution_ids = dict(Institution.objects.filter(name__in=names).values_list("name", "id"))
    every = _write_registry(plan, innovations, institution_ids)
    counts: dict[str, Any] = {
        "pkri_innovations": len(plan.innovations),
        "pkri_placeholder_tiers": len(plan.tiers),
        "pkri_replication_links": len(plan.links),
    }
    edition_2024 = create_edition(plan.rules[CODE_2024], actor=secretariat)
    edition_2025 = create_edition(plan.rules[CODE_2025], actor=secretariat)
    for edition in (edition_2024, edition_2025):
        counts.update(
            _write_edition_scope(plan, edition, every, institution_ids, people, secretariat)
        )
    counts.update(_run_2024(edition_2024, plan, secretariat))
    _open_2025(edition_2025)
    counts["pkri_status_confirmed"] = _status_confirmations()
    counts["pkri_awards_2024"] = Award.objects.filter(
        edition=edition_2024, status=AwardStatus.DECIDED
    ).count()
    counts["pkri_consolidations_2024"] = [
        {
            "institution": f.institution,
            "stage": E.DESK_EVALUATION,
            "score": str(f.consolidation.score),
            "justification": f.consolidation.justification,
            "attendees": f.consolidation.attendees,
            "minutes_ref": f.consolidation.minutes_ref,
        }
        for f in plan.forms
        if f.edition == CODE_2024 and f.consolidation is not None
    ]
    counts["pkri_coaching_submitted_2024"] = sum(
        1
        for f in plan.forms
        if f.edition == CODE_2024 and f.kind == "coaching" and f.submitted_at is not None
    )
    return counts
