"""Writing the KIPP demo plan: bulk inserts inside the national demo's transaction.

Called once by `prima.core.demo.loader.load_demo`, after the registry and innovations are
written and before its single `demo.loaded` audit entry, which then also carries the
KIPP counts. Like the national demo it bypasses the per-record domain functions (no
per-row audit), so every row is written here exactly as those functions would leave it:
state history, admin checks, snapshots with their hashes, assignments from a stored
solver run, score sheets with versions and weighted totals.

Timestamps the models set on insert (`auto_now_add`, `auto_now`) are moved back to the
demo's own dates afterwards, so the history pages show when things happened.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models

from prima.core.demo.plan import DemoPlan
from prima.core.enums import Role, Scope
from prima.core.models import Citizen, Institution, Membership, Person, ServiceUnit
from prima.evaluation.domain.instruments import content_hash, to_data
from prima.evaluation.enums import RunStatus
from prima.evaluation.models import (
    Appointment,
    Assignment,
    AssignmentRun,
    Conflict,
    Edition,
    Instrument,
    Score,
    ScoreSheet,
    ScoreVersion,
    Stage,
    Subject,
)
from prima.innovations.models import AwardRecord, Innovation
from prima.kipp.demo.common import CODE_2021, DECREE_2021, DECREE_DATE_2021, SIGNATORY, wib_at
from prima.kipp.demo.plan import build_kipp_plan
from prima.kipp.demo.specs import KippPlan, ProposalSpec
from prima.kipp.domain.admin_check import status_from
from prima.kipp.domain.announcements import build_listing
from prima.kipp.domain.proposals import snapshot_hash
from prima.kipp.domain.stages import stage_scoring
from prima.kipp.models import (
    AdminCheck,
    Announcement,
    AwardEvent,
    BenefitRating,
    Decree,
    PresentationSlot,
    Proposal,
    ProposalAttachment,
    ProposalTransition,
)

BATCH = 1000
ATTACHMENT_DIR = "kipp/demo"
ATTACHMENT_LABELS = {
    "bukti_mulai_implementasi": "Bukti mulai implementasi",
    "sk_inovator": "SK inovator",
    "pernyataan_kebenaran": "Pernyataan kebenaran data",
    "pernyataan_replikasi": "Pernyataan replikasi",
    "standar_pelayanan": "Standar pelayanan",
    "maklumat_pelayanan": "Maklumat pelayanan",
    "dokumen_evaluasi": "Dokumen evaluasi",
}


def pdf(title: str) -> bytes:
    """A one-page PDF saying it is a demo document (the demo shares one file per kind)."""
    text = f"Dokumen contoh data demo Prima: {title}".encode("latin-1", "replace")
    stream = b"BT /F1 14 Tf 60 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _attachment_files() -> dict[str, tuple[str, int, str]]:
    """kind → (stored name, size, sha256); the files are written once and reused."""
    files = {}
    for kind, label in ATTACHMENT_LABELS.items():
        content = pdf(label)
        name = f"{ATTACHMENT_DIR}/{kind}.pdf"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(content))
        files[kind] = (name, len(content), hashlib.sha256(content).hexdigest())
    return files


@contextmanager
def own_times(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let `bulk_create` keep the times the demo sets on `auto_now`/`auto_now_add` fields.

    Those fields overwrite any value on insert; rewriting them afterwards with
    `bulk_update` costs seconds for the demo's tens of thousands of rows. The switch
    holds only while the demo's own inserts run (one process, one transaction).
    """
    switched = []
    for model_class in model_classes:
        for item in model_class._meta.concrete_fields:
            if isinstance(item, models.DateField) and (item.auto_now or item.auto_now_add):
                switched.append((item, item.auto_now, item.auto_now_add))
                item.auto_now = item.auto_now_add = False
    try:
        yield
    finally:
        for item, auto_now, auto_now_add in switched:
            item.auto_now, item.auto_now_add = auto_now, auto_now_add


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


# --------------------------------------------------------------------------- writers


def _write_instruments(plan: KippPlan) -> dict[str, Instrument]:
    used = {edition.instrument: edition.rules_frozen_at for edition in plan.editions}
    rows = [
        Instrument(
            code=instrument.code,
            version=instrument.version,
            programme=instrument.programme,
            title=instrument.title,
            content=_json(to_data(instrument)),
            content_hash=content_hash(instrument),
            source_name=plan.instrument_files[code],
            used_at=used.get(code),
        )
        for code, instrument in sorted(plan.instruments.items())
    ]
    Instrument.objects.bulk_create(rows)
    return {row.code: row for row in rows}


def _write_editions(
    plan: KippPlan, instruments: dict[str, Instrument], secretariat: Person
) -> tuple[dict[str, Edition], dict[tuple[str, str], Stage]]:
    editions = [
        Edition(
            programme="kipp",
            code=spec.code,
            year=spec.year,
            ordinal=spec.ordinal,
            title=spec.title,
            theme=spec.theme,
            legal_refs=spec.legal_refs,
            state=spec.state,
            rules=spec.rules,
            rules_frozen_at=spec.rules_frozen_at,
            instrument=instruments[spec.instrument],
            region_3t_codes=spec.region_3t_codes,
            registration_close=spec.registration_close,
            is_published=True,
            created_by=secretariat,
        )
        for spec in plan.editions
    ]
    for spec, edition in zip(plan.editions, editions, strict=True):
        edition.created_at = edition.updated_at = spec.rules_frozen_at
    with own_times(Edition):
        Edition.objects.bulk_create(editions)
    stages = []
    for spec, edition in zip(plan.editions, editions, strict=True):
        for stage in spec.stages:
            template = stage.template
            stages.append(
                Stage(
                    edition=edition,
                    code=template.code,
                    position=stage.position,
                    status=stage.status,
                    starts_at=stage.starts_at,
                    ends_at=stage.ends_at,
                    participants_submit=template.participants_submit,
                    assessors_score=template.assessors_score,
                    identities_visible=template.identities_visible,
                    others_scores_visible=template.others_scores_visible,
                    decisions_open=template.decisions_open,
                    objections_open=template.objections_open,
                    scoring=stage_scoring(template, spec.rules),
                    assessor_role=template.assessor_role,
                    opened_at=stage.opened_at,
                    closed_at=stage.closed_at,
                )
            )
    Stage.objects.bulk_create(stages)
    by_code = {edition.code: edition for edition in editions}
    return by_code, {(stage.edition.code, stage.code): stage for stage in stages}


def _write_people(plan: KippPlan) -> dict[str, Person]:
    existing = {
        person.username: person
        for person in Person.objects.filter(
            username__in=[spec.username for spec in plan.persons if spec.exists]
        )
    }
    unusable = make_password(None)  # only the demo logins can sign in
    created = [
        Person(
            username=spec.username,
            email=f"{spec.username}@prima-demo.example",
            full_name=spec.full_name,
            position=spec.position,
            expertise=spec.expertise,
            password=unusable,
            must_complete_profile=False,
            must_change_password=False,
        )
        for spec in plan.persons
        if not spec.exists
    ]
    Person.objects.bulk_create(created, batch_size=BATCH)
    roles = {spec.username: spec.role for spec in plan.persons}
    Membership.objects.bulk_create(
        [
            Membership(person=person, role=roles[person.username], scope=Scope.NATIONAL)
            for person in created
        ],
        batch_size=BATCH,
    )
    for spec in plan.persons:
        if spec.exists and spec.username in existing and spec.expertise:
            existing[spec.username].expertise = spec.expertise
    Person.objects.bulk_update(list(existing.values()), ["expertise"])
    return {**existing, **{person.username: person for person in created}}


def _write_appointments(
    plan: KippPlan,
    editions: dict[str, Edition],
    persons: dict[str, Person],
    institution_ids: dict[str, int],
    secretariat: Person,
) -> dict[tuple[str, str], Appointment]:
    rows = [
        Appointment(
            edition=editions[spec.edition],
            person=persons[spec.username],
            role=spec.role,
            affiliation_id=institution_ids.get(spec.affiliation or ""),
            home_province=spec.home_province,
            university=spec.university,
            expertise=spec.expertise,
            categories=list(spec.categories),
            min_load=spec.min_load,
            max_load=spec.max_load,
            code_of_conduct_accepted_at=spec.ready_at,
            conflicts_declared_at=spec.ready_at,
            is_active=spec.is_active,
            appointed_by=secretariat,
        )
        for spec in plan.appointments
    ]
    for spec, row in zip(plan.appointments, rows, strict=True):
        row.created_at = spec.ready_at
    with own_times(Appointment):
        Appointment.objects.bulk_create(rows, batch_size=BATCH)
    through = Appointment.past_institutions.through
    through.objects.bulk_create(
        [
            through(appointment_id=row.pk, institution_id=institution_ids[name])
            for spec, row in zip(plan.appointments, rows, strict=True)
            for name in spec.past_institutions
        ]
    )
    return {spec.key: row for spec, row in zip(plan.appointments, rows, strict=True)}


def _snapshot(
    spec: ProposalSpec,
    innovation: Innovation,
    instrument: Instrument,
    names: dict[str, dict[int, str]],
    files: dict[str, tuple[str, int, str]],
) -> dict[str, Any]:
    """The content frozen at submission, in the shape `build_snapshot` gives it."""
    snapshot: dict[str, Any] = {
        "edition": spec.edition,
        "instrument": {
            "code": instrument.code,
            "version": instrument.version,
            "hash": instrument.content_hash,
        },
        "innovation": innovation.pk,
        "title": spec.title,
        "group": spec.group,
        "category": spec.category,
        "sdg_goals": list(spec.sdg_goals),
        "answers": dict(spec.answers),
        "video_url": spec.video_url,
        "video_minutes": None if spec.video_minutes is None else str(spec.video_minutes),
        "declaration": spec.declaration,
        "unit": {"id": innovation.unit_id, "name": names["unit"][innovation.unit_id]},
        "institution": {
            "id": innovation.institution_id,
            "name": names["institution"][innovation.institution_id],
        },
        "attachments": [
            {
                "kind": kind,
                "name": _file_name(kind),
                "size": files[kind][1],
                "sha256": files[kind][2],
            }
            for kind in sorted(spec.attachments)
        ],
    }
    if spec.extra_answers:
        snapshot["extra_answers"] = dict(spec.extra_answers)
    return snapshot


def _file_name(kind: str) -> str:
    return f"{kind.replace('_', '-')}.pdf"


def _write_proposals(
    plan: KippPlan,
    editions: dict[str, Edition],
    innovations: Sequence[Innovation],
    institution_ids: dict[str, int],
    files: dict[str, tuple[str, int, str]],
) -> dict[tuple[str, int], Proposal]:
    units = {innovations[spec.innovation].unit_id for spec in plan.proposals}
    names = {
        "unit": dict(ServiceUnit.objects.filter(pk__in=units).values_list("pk", "name")),
        "institution": {pk: name for name, pk in institution_ids.items()},
    }
    subjects = [
        Subject(
            edition=editions[spec.edition],
            kind="proposal",
            title=spec.title,
            text=spec.text,
            institution_id=institution_ids[spec.institution],
            group=spec.group,
            category=spec.category,
            institution_kind=spec.institution_kind,
            province=spec.province,
            region_3t=spec.region_3t,
            submitted_at=spec.submitted_at,
            is_active=spec.subject_active,
        )
        for spec in plan.proposals
    ]
    Subject.objects.bulk_create(subjects, batch_size=BATCH)
    proposals = []
    for spec, subject in zip(plan.proposals, subjects, strict=True):
        innovation = innovations[spec.innovation]
        edition = editions[spec.edition]
        snapshot = (
            _snapshot(spec, innovation, edition.instrument, names, files)
            if spec.submitted_at
            else None
        )
        proposals.append(
            Proposal(
                edition=editions[spec.edition],
                subject=subject,
                innovation=innovation,
                unit_id=innovation.unit_id,
                institution_id=innovation.institution_id,
                title=spec.title,
                group=spec.group,
                category=spec.category,
                sdg_goals=spec.sdg_goals,
                answers=spec.answers,
                extra_answers=spec.extra_answers,
                video_url=spec.video_url,
                video_minutes=spec.video_minutes,
                declaration=spec.declaration,
                state=spec.state,
                # Every result of both editions has been announced (§8): nothing is hidden.
                participant_state=spec.state,
                state_reason=spec.state_reason,
                state_changed_at=spec.state_changed_at,
                submitted_at=spec.submitted_at,
                snapshot=snapshot,
                snapshot_hash=snapshot_hash(snapshot) if snapshot else "",
                desk_score=spec.desk_score,
                final_score=spec.final_score,
                tiers=spec.tiers,
                version=len(spec.transitions),
            )
        )
    for spec, proposal in zip(plan.proposals, proposals, strict=True):
        proposal.created_at = spec.created_at
        proposal.updated_at = spec.state_changed_at
    with own_times(Proposal):
        Proposal.objects.bulk_create(proposals, batch_size=BATCH)
    return {spec.key: row for spec, row in zip(plan.proposals, proposals, strict=True)}


def _write_history(
    plan: KippPlan,
    proposals: dict[tuple[str, int], Proposal],
    files: dict[str, tuple[str, int, str]],
    secretariat: Person,
) -> None:
    attachments = [
        ProposalAttachment(
            proposal=proposals[spec.key],
            kind=kind,
            file=files[kind][0],
            original_name=_file_name(kind),
            size=files[kind][1],
            sha256=files[kind][2],
            uploaded_at=spec.created_at,
        )
        for spec in plan.proposals
        for kind in spec.attachments
    ]
    with own_times(ProposalAttachment):
        ProposalAttachment.objects.bulk_create(attachments, batch_size=BATCH)
    transitions = [
        ProposalTransition(
            proposal=proposals[spec.key],
            from_state=step.from_state,
            to_state=step.to_state,
            actor=secretariat if step.by_secretariat else None,
            reason=step.reason,
            created_at=step.at,
        )
        for spec in plan.proposals
        for step in spec.transitions
    ]
    with own_times(ProposalTransition):
        ProposalTransition.objects.bulk_create(transitions, batch_size=BATCH)
    checks = [
        AdminCheck(
            proposal=proposals[spec.key],
            automatic=spec.admin.automatic,
            overrides=spec.admin.overrides,
            status=status_from(spec.admin.automatic, spec.admin.overrides),
            passed=spec.admin.passed,
            reasons=spec.admin.reasons,
            note=spec.admin.note,
            decided_by=secretariat,
            decided_at=spec.admin.decided_at,
            checked_at=spec.admin.decided_at,
        )
        for spec in plan.proposals
        if spec.admin is not None
    ]
    with own_times(AdminCheck):
        AdminCheck.objects.bulk_create(checks, batch_size=BATCH)


def _write_conflicts(
    plan: KippPlan,
    appointments: dict[tuple[str, str], Appointment],
    proposals: dict[tuple[str, int], Proposal],
    institution_ids: dict[str, int],
    persons: dict[str, Person],
    secretariat: Person,
) -> None:
    rows = [
        Conflict(
            appointment=appointments[(spec.edition, spec.username)],
            kind=spec.kind,
            nature=spec.nature,
            subject_id=proposals[(spec.edition, spec.innovation)].subject_id
            if spec.innovation is not None
            else None,
            institution_id=institution_ids[spec.institution] if spec.institution else None,
            reason=spec.reason,
            created_by=secretariat
            if spec.kind == "secretariat_entered"
            else persons[spec.username],
            created_at=spec.created_at,
        )
        for spec in plan.conflicts
    ]
    with own_times(Conflict):
        Conflict.objects.bulk_create(rows)


def _write_reviews(
    plan: KippPlan,
    stages: dict[tuple[str, str], Stage],
    appointments: dict[tuple[str, str], Appointment],
    proposals: dict[tuple[str, int], Proposal],
    instruments: dict[str, Instrument],
    persons: dict[str, Person],
    secretariat: Person,
) -> dict[str, int]:
    runs = {}
    for spec in plan.runs:
        runs[(spec.edition, spec.stage)] = AssignmentRun(
            stage=stages[(spec.edition, spec.stage)],
            label=spec.label,
            parameters=spec.parameters,
            status=RunStatus.OPTIMAL,
            objective=spec.objective,
            subject_count=spec.subject_count,
            assessor_count=spec.assessor_count,
            duration_ms=spec.duration_ms,
            created_by=secretariat,
            deployed_at=spec.deployed_at,
            deployed_by=secretariat,
            created_at=spec.created_at,
        )
    for (edition, stage), run in runs.items():
        run.pairs = [
            [
                proposals[(edition, item.innovation)].subject_id,
                appointments[(edition, item.username)].pk,
                item.affinity,
            ]
            for item in plan.assignments
            if item.from_run and (item.edition, item.stage) == (edition, stage)
        ]
    with own_times(AssignmentRun):
        AssignmentRun.objects.bulk_create(list(runs.values()))

    rows = [
        Assignment(
            stage=stages[(item.edition, item.stage)],
            subject_id=proposals[(item.edition, item.innovation)].subject_id,
            appointment=appointments[(item.edition, item.username)],
            run=runs.get((item.edition, item.stage)) if item.from_run else None,
            affinity=item.affinity,
            created_at=item.created_at,
        )
        for item in plan.assignments
    ]
    with own_times(Assignment):
        Assignment.objects.bulk_create(rows, batch_size=BATCH)

    hashes = {code: row.content_hash for code, row in instruments.items()}
    reviewed = [(item, row) for item, row in zip(plan.assignments, rows, strict=True) if item.sheet]
    sheets = []
    for item, row in reviewed:
        assert item.sheet is not None
        sheets.append(
            ScoreSheet(
                assignment=row,
                stage=row.stage,
                subject_id=row.subject_id,
                appointment=row.appointment,
                instrument=instruments[item.sheet.instrument],
                status=item.sheet.status,
                current_version=1,
                total=item.sheet.total,
                finalised_at=item.sheet.finalised_at,
                updated_at=item.sheet.saved_at,
            )
        )
    with own_times(ScoreSheet):
        ScoreSheet.objects.bulk_create(sheets, batch_size=BATCH)
    versions = []
    for (item, _), sheet in zip(reviewed, sheets, strict=True):
        assert item.sheet is not None
        versions.append(
            ScoreVersion(
                sheet=sheet,
                number=1,
                note=item.sheet.note,
                total=item.sheet.total,
                instrument_hash=hashes[item.sheet.instrument],
                created_by=persons[item.username],
                created_at=item.sheet.saved_at,
            )
        )
    with own_times(ScoreVersion):
        ScoreVersion.objects.bulk_create(versions, batch_size=BATCH)
    scores = []
    for (item, _), version in zip(reviewed, versions, strict=True):
        assert item.sheet is not None
        scores += [
            Score(
                version=version,
                criterion=code,
                value=Decimal(value),
                note=item.sheet.comments.get(code, ""),
            )
            for code, value in item.sheet.values.items()
        ]
    Score.objects.bulk_create(scores, batch_size=BATCH)
    return {
        "kipp_assignments": len(rows),
        "kipp_sheets": len(sheets),
        "kipp_sheets_final": sum(1 for sheet in sheets if sheet.status == "final"),
    }


def _write_publications(
    plan: KippPlan,
    editions: dict[str, Edition],
    proposals: dict[tuple[str, int], Proposal],
    secretariat: Person,
) -> None:
    announcements = [
        Announcement(
            edition=editions[spec.edition],
            kind=spec.kind,
            number=spec.number,
            date=spec.date,
            title=spec.title,
            body=spec.body,
            signatory_name=SIGNATORY[0],
            signatory_position=SIGNATORY[1],
            # The list as publishing generates it from the proposals' states.
            listing=build_listing(editions[spec.edition], spec.kind),
            published_at=spec.published_at,
            created_by=secretariat,
            created_at=spec.published_at,
        )
        for spec in plan.announcements
    ]
    with own_times(Announcement):
        Announcement.objects.bulk_create(announcements)
    decrees = [
        Decree(
            edition=editions[spec.edition],
            number=spec.number,
            date=spec.date,
            title=spec.title,
            tier_lists={
                tier: [proposals[(spec.edition, index)].pk for index in indexes]
                for tier, indexes in spec.tier_lists.items()
            },
            recorded_by=secretariat,
            created_at=wib_at(spec.date, 10),
        )
        for spec in plan.decrees
    ]
    with own_times(Decree):
        Decree.objects.bulk_create(decrees)
    for spec_event in plan.award_events:
        with own_times(AwardEvent):
            event = AwardEvent.objects.create(
                name=spec_event.name,
                date=spec_event.date,
                venue=spec_event.venue,
                recorded_by=secretariat,
                created_at=wib_at(spec_event.date, 12),
            )
        event.editions.set([editions[code] for code in spec_event.editions])
    PresentationSlot.objects.bulk_create(
        [
            PresentationSlot(
                proposal=proposals[(CODE_2021, slot.innovation)],
                starts_at=slot.starts_at,
                minutes=slot.minutes,
                mode=slot.mode,
                location=slot.location,
                presenter_name=slot.presenter_name,
                presenter_position=slot.presenter_position,
                confirmed_at=slot.confirmed_at,
            )
            for slot in plan.slots
        ]
    )
    # The tier history the national demo wrote for 2021 is what this decree named.
    AwardRecord.objects.filter(programme="kipp", year=2021).update(
        decree_ref=DECREE_2021, decree_date=DECREE_DATE_2021
    )


def _write_ratings(
    plan: KippPlan,
    editions: dict[str, Edition],
    proposals: dict[tuple[str, int], Proposal],
    secretariat: Person,
) -> int:
    """The demo citizens and their public benefit ratings, as `submit_rating` and
    `release_ratings` leave them (no address hashes: deleted after the edition)."""
    citizens = [
        Citizen(phone=spec.phone, phone_verified_at=spec.verified_at, created_at=spec.verified_at)
        for spec in plan.citizens
    ]
    with own_times(Citizen):
        Citizen.objects.bulk_create(citizens, batch_size=BATCH)
    BenefitRating.objects.bulk_create(
        [
            BenefitRating(
                edition=editions[spec.edition],
                proposal=proposals[(spec.edition, spec.innovation)],
                citizen=citizens[spec.citizen],
                relationship=spec.relationship,
                benefit=spec.benefit,
                adoption=spec.adoption,
                affiliated=spec.affiliated,
                comment=spec.comment,
                value=spec.value,
                exclusion=spec.exclusion,
                suspicion=spec.suspicion,
                released_at=spec.released_at,
                released_by=secretariat if spec.released_at else None,
                release_reason=spec.release_reason,
                created_at=spec.rated_at,
                rated_at=spec.rated_at,
            )
            for spec in plan.ratings
        ],
        batch_size=BATCH,
    )
    return len(plan.ratings)


def _ids(names: Iterable[str]) -> dict[str, int]:
    return dict(Institution.objects.filter(name__in=set(names)).values_list("name", "id"))


def load_kipp_demo(demo: DemoPlan, innovations: Sequence[Innovation]) -> dict[str, Any]:
    """Write the KIPP demo for the national plan just written; returns counts for the audit.

    `innovations` are the national plan's rows, in plan order. Must run inside the
    national demo's transaction.
    """
    secretariat = Person.objects.get(username="sekretariat")
    plan = build_kipp_plan(demo, secretariat=(secretariat.pk, str(secretariat)))
    instruments = _write_instruments(plan)
    editions, stages = _write_editions(plan, instruments, secretariat)
    persons = _write_people(plan)
    institution_ids = _ids(
        [spec.institution for spec in plan.proposals]
        + [name for spec in plan.appointments for name in spec.past_institutions]
        + [spec.affiliation for spec in plan.appointments if spec.affiliation]
        + [spec.institution for spec in plan.conflicts if spec.institution]
    )
    appointments = _write_appointments(plan, editions, persons, institution_ids, secretariat)
    files = _attachment_files()
    proposals = _write_proposals(plan, editions, innovations, institution_ids, files)
    _write_history(plan, proposals, files, secretariat)
    _write_conflicts(plan, appointments, proposals, institution_ids, persons, secretariat)
    review_counts = _write_reviews(
        plan, stages, appointments, proposals, instruments, persons, secretariat
    )
    _write_publications(plan, editions, proposals, secretariat)
    ratings = _write_ratings(plan, editions, proposals, secretariat)
    by_edition = {
        code: [spec for spec in plan.proposals if spec.edition == code] for code in editions
    }
    return {
        "kipp_editions": len(editions),
        **{f"kipp_proposals_{code[-4:]}": len(rows) for code, rows in by_edition.items()},
        "kipp_desk_review_2025": sum(
            1 for spec in by_edition.get("kipp-2025", []) if spec.state == "desk_review"
        ),
        "kipp_evaluators_2025": sum(
            1
            for spec in plan.appointments
            if spec.edition == "kipp-2025" and spec.role == Role.EVALUATOR
        ),
        **review_counts,
        "kipp_citizens": len(plan.citizens),
        "kipp_ratings_2024": ratings,
    }
