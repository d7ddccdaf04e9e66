"""Builders for the PKRI decision tests: desk-evaluated forms with their engine subject,
ready panelists, award categories and panel sheets. Plain functions over the factories."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from prima.awards.domain.categories import CategorySpec, create_categories
from prima.awards.enums import Recipient
from prima.awards.models import AwardCategory
from prima.core.enums import Role
from prima.core.models import Institution
from prima.evaluation.domain.sheets import finalise_sheet, save_sheet
from prima.evaluation.enums import AssessorRole, EditionState
from prima.evaluation.models import Appointment, Assignment, Edition, Subject
from prima.pkri.domain.config import rules_of
from prima.pkri.domain.interviews import schedule_interview
from prima.pkri.enums import FORM_OF_GROUP, FormKind, FormState, Group
from prima.pkri.models import InterviewSlot, SelfAssessment
from tests.factories import InstitutionFactory, person_with_role
from tests.kipp.factories import AppointmentFactory
from tests.pkri.desk_factories import locus_of, scope_object
from tests.pkri.factories import PkriEditionFactory, coaching_form, pkri_rules

WIB = dt.timezone(dt.timedelta(hours=7))
NOTE = "Penyaji menjawab lugas dan menunjukkan bukti."


def edition_at(state: str, **rules_changes: Any) -> Edition:
    """A PKRI edition with `state`'s stage open; `rules_changes` are dotted-path overrides
    (`{"interview.panelists_per_slot": 5}`)."""
    rules = pkri_rules()
    for path, value in rules_changes.items():
        node = rules
        *parents, leaf = path.split(".")
        for name in parents:
            node = node.setdefault(name, {})
        node[leaf] = value
    return PkriEditionFactory(stages=state, rules=rules)


def _subject(form: SelfAssessment) -> Subject:
    institution = form.locus.institution
    group = next(str(g) for g, kind in FORM_OF_GROUP.items() if kind == form.kind)
    local = institution.kind in ("province", "regency", "city")
    return Subject.objects.create(
        edition=form.edition,
        kind="pkri_form",
        title=str(form.object.innovation.name if form.object else institution.name),
        institution=institution,
        group=group,
        institution_kind=institution.kind,
        province=(institution.province_code or "") if local else "",
    )


def evaluated_form(
    edition: Edition,
    *,
    desk: str,
    institution: Institution | None = None,
    group: str = Group.KEBERLANJUTAN,
    running: bool = True,
    state: str = FormState.DESK_EVALUATED,
    name: str | None = None,
) -> SelfAssessment:
    """An object form after the desk evaluation: snapshot, subject and desk score."""
    institution = institution or InstitutionFactory()
    obj = scope_object(edition, institution, group=group, name=name)
    kind = FormKind.REPLICATION if group == Group.REPLIKASI else FormKind.SUSTAINABILITY
    form = SelfAssessment.objects.create(
        edition=edition,
        kind=kind,
        locus=obj.locus,
        object=obj,
        state=state,
        snapshot={"kind": kind, "data": {"still_running": running}},
        submitted_at=timezone.now(),
        desk_score=Decimal(desk),
    )
    form.subject = _subject(form)
    form.save(update_fields=["subject"])
    return form


def evaluated_coaching(
    edition: Edition,
    institution: Institution,
    *,
    desk: str,
    levels: dict[str, int] | None = None,
) -> SelfAssessment:
    """A coaching form after the desk evaluation (final = desk, suggested levels)."""
    form = coaching_form(
        locus_of(edition, institution),
        state=FormState.DESK_EVALUATED,
        snapshot={"kind": FormKind.COACHING, "data": {"declaration": True}},
        submitted_at=timezone.now(),
        desk_score=Decimal(desk),
        final_score=Decimal(desk),
        suggested_levels=levels or {},
    )
    form.subject = _subject(form)
    form.save(update_fields=["subject"])
    return form


def panelist(edition: Edition, **kwargs: Any) -> Appointment:
    """A ready panelist (code of conduct accepted, conflicts declared) of the edition."""
    person = person_with_role(Role.PANELIST)
    return AppointmentFactory(edition=edition, person=person, role=AssessorRole.PANELIST, **kwargs)


def categories(edition: Edition, actor: Any) -> list[AwardCategory]:
    """One award category per group of the rules (code = group code)."""
    rules = rules_of(edition.rules)
    specs = [
        CategorySpec(
            code=code,
            title=group.award_title,
            recipient=Recipient.INSTITUTION if group.award_slots else Recipient.INNOVATION,
            group=code,
            count=group.award_count,
            slots=dict(group.award_slots),
            min_score=group.min_final_score,
            position=position,
        )
        for position, (code, group) in enumerate(rules.groups.items())
    ]
    return create_categories(edition, specs, actor=actor)


def score_interview(assignment: Assignment, values: dict[str, int]) -> None:
    """The panelist fills in and finalises the interview sheet."""
    sheet = save_sheet(assignment, values, note=NOTE, actor=assignment.appointment.person)
    finalise_sheet(sheet, actor=assignment.appointment.person)


def interview_day(hour: int = 9, minute: int = 0, day: int = 12) -> dt.datetime:
    """A start inside the 2024 interview dates (12–16 Jul 2024, WIB)."""
    return dt.datetime(2024, 7, day, hour, minute, tzinfo=WIB)


INTERVIEWS = EditionState.INTERVIEWS


def scheduled_slot(actor: Any, institution: Institution, **slot_fields: Any) -> InterviewSlot:
    """An interview slot at 09:00 WIB on the interview day for a shortlisted form of
    `institution` (desk score 80.00), with three panelists."""
    edition = edition_at(EditionState.SHORTLIST_PUBLISHED)
    form = evaluated_form(
        edition, desk="80.00", institution=institution, state=FormState.SHORTLISTED
    )
    return schedule_interview(
        form,
        starts_at=interview_day(9),
        panelists=[panelist(edition) for _ in range(3)],
        actor=actor,
        **slot_fields,
    )
