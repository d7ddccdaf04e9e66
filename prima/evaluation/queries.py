"""The one place conflicts of interest and assignments scope what an assessor sees.

Every list, page, export, count, notification and API response that shows subjects,
scores or reviewers to an assessor goes through these helpers (kipp.md §10.1): a
conflicted assessor never sees the subject, its scores or its other reviewers, and an
assessor sees only the subjects deployed to them in a stage that lets them score or read.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from prima.core.access import access_for
from prima.evaluation.enums import ConflictKind
from prima.evaluation.models import Appointment, Assignment, Conflict, Stage, Subject


def conflict_condition(appointment: Appointment, *, prefix: str = "") -> Q:
    """A `Q` over subjects (or models reaching a subject through `prefix`) that holds when
    the appointment's assessor is conflicted with the subject.

    Rules: same institution (affiliation or declared employment in the last three years),
    same province for local institutions, and declared or secretariat-entered conflicts
    against the subject or its institution.
    """
    p = prefix
    institution_ids = set(appointment.past_institutions.values_list("pk", flat=True))
    if appointment.affiliation_id is not None:
        institution_ids.add(appointment.affiliation_id)
    condition = Q(pk__in=[])
    if institution_ids:
        condition |= Q(**{f"{p}institution_id__in": institution_ids})
    if appointment.home_province:
        condition |= Q(**{f"{p}province": appointment.home_province})
    declared = Conflict.objects.filter(appointment=appointment)
    subject_ids = [pk for pk in declared.values_list("subject_id", flat=True) if pk]
    declared_institutions = [pk for pk in declared.values_list("institution_id", flat=True) if pk]
    if subject_ids:
        condition |= Q(**{(f"{p}id" if p else "pk") + "__in": subject_ids})
    if declared_institutions:
        condition |= Q(**{f"{p}institution_id__in": declared_institutions})
    return condition


def conflict_reasons(appointment: Appointment, subject: Subject) -> list[str]:
    """The conflict codes that bar this assessor from this subject (empty: no conflict)."""
    reasons: list[str] = []
    past = set(appointment.past_institutions.values_list("pk", flat=True))
    if subject.institution_id is not None and (
        subject.institution_id == appointment.affiliation_id or subject.institution_id in past
    ):
        reasons.append(ConflictKind.SAME_INSTITUTION)
    if subject.province and subject.province == appointment.home_province:
        reasons.append(ConflictKind.SAME_PROVINCE_LOCAL)
    declared = Conflict.objects.filter(appointment=appointment).filter(
        Q(subject=subject) | Q(institution_id=subject.institution_id)
        if subject.institution_id
        else Q(subject=subject)
    )
    reasons.extend(sorted(set(declared.values_list("kind", flat=True))))
    return reasons


def appointment_for(person: Any, edition_id: int) -> Appointment | None:
    """The person's active appointment in the edition, if any."""
    access = access_for(person)
    if access.person_id is None:
        return None
    return (
        Appointment.objects.filter(
            edition_id=edition_id, person_id=access.person_id, is_active=True
        )
        .select_related("edition")
        .first()
    )


def subjects_for_assessor(appointment: Appointment, stage: Stage) -> QuerySet[Subject]:
    """Subjects deployed to the assessor in the stage, minus any they are conflicted with.

    Empty until the assessor has accepted the code of conduct and declared conflicts.
    """
    if not appointment.is_ready or not appointment.is_active:
        return Subject.objects.none()
    assigned = Assignment.objects.filter(
        stage=stage, appointment=appointment, subject=OuterRef("pk")
    )
    return (
        Subject.objects.filter(edition_id=stage.edition_id)
        .filter(Exists(assigned))
        .exclude(conflict_condition(appointment))
    )


def assignments_for_assessor(appointment: Appointment, stage: Stage) -> QuerySet[Assignment]:
    """The assessor's live assignments in the stage, conflicted subjects excluded."""
    if not appointment.is_ready or not appointment.is_active:
        return Assignment.objects.none()
    return Assignment.objects.filter(stage=stage, appointment=appointment).exclude(
        conflict_condition(appointment, prefix="subject__")
    )
