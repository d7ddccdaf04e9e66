"""Scoped PKRI querysets: who sees which editions, loci, objects and forms, everywhere.

Every PKRI page, API operation, export and count starts from one of these (DESIGN.md
§1.5); templates never decide who sees what.

- The secretariat, national analysts/viewers and superusers see everything (including
  excluded rows, which callers filter with ``excluded=False`` / ``state`` as they need),
  unless they are also an appointed assessor of the edition: then they see what an
  assessor sees (their deployed, non-conflicted forms) plus any participant rows.
- An Admin Lokal (``institution_admin``) sees the loci of the institutions they run, with
  every object and form of those loci (coaching forms included).
- A unit operator sees only the objects and object forms of their own units, never a
  coaching form and never another unit's or institution's objects; the loci they see are
  the ones holding such objects.
- Participants see nothing of a scope still being drafted: loci, objects and forms become
  visible once the scope is frozen by announcement (``scope_frozen`` onwards).
- An assessor sees the forms whose engine subject is deployed to them in the open scoring
  stage (conflicts excluded), as in KIPP (`prima.kipp.queries`).
- A provincial coordinator (``viewer`` at a province government, see
  `Access.coordinated_province_codes`) reads the form progress of the loci in its
  province once the scope is frozen (:func:`loci_in_province_for`), never a form.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404

from prima.core.access import Access, access_for
from prima.core.enums import InstitutionKind, Role
from prima.evaluation.enums import EditionState, SheetStatus, StageStatus
from prima.evaluation.models import Appointment, Assignment, Edition, Stage
from prima.evaluation.queries import (
    assignments_for_assessor,
    conflict_condition,
    subjects_for_assessor,
)
from prima.innovations.enums import Programme
from prima.kipp.interfaces.sheet_forms import (
    TODO_DRAFT,
    TODO_EXCUSED,
    TODO_FINAL,
    TODO_OPEN,
    GateClosed,
    assessor_assignment,
)
from prima.pkri.domain.progress import BUCKETS
from prima.pkri.enums import FormKind
from prima.pkri.models import Locus, ScopeObject, SelfAssessment

# Participants see the scope from the freezing announcement onwards (pkri.md §3).
PARTICIPANT_STATES_HIDDEN = (EditionState.PLANNED, EditionState.SCOPE_DRAFT)


def _reads_all(access: Access) -> bool:
    return access.reads_nationally or access.is_superuser


def _appointment(access: Access, edition: Edition) -> Appointment | None:
    """The person's active appointment as an assessor of the edition, if any."""
    if access.person_id is None:
        return None
    return Appointment.objects.filter(
        edition=edition, person_id=access.person_id, is_active=True
    ).first()


def _reads_all_of(access: Access, edition: Edition) -> bool:
    """A national reader sees the whole edition unless they assess in it: an appointed
    assessor (the secretariat included) sees only what the assessor rules give them, so
    conflicted and unassigned forms stay hidden."""
    return _reads_all(access) and _appointment(access, edition) is None


def _admin_ids(access: Access) -> set[int]:
    return access.institutions_with(Role.INSTITUTION_ADMIN)


def _operator_ids(access: Access) -> set[int]:
    return access.units_with(Role.UNIT_OPERATOR)


def _scope_open_to_participants(edition: Edition) -> bool:
    return edition.state not in PARTICIPANT_STATES_HIDDEN


def pkri_editions() -> QuerySet[Edition]:
    return Edition.objects.filter(programme=Programme.PKRI).select_related("instrument")


def editions_visible_to(person: Any) -> QuerySet[Edition]:
    """PKRI editions the person may open on staff pages.

    National readers: all. Admin Lokal / unit operators: frozen editions in which their
    institution is a locus / their unit owns an object. Assessors: editions they are
    appointed to. Anyone else (the public included): none; public pages use
    ``edition.is_published`` instead.
    """
    access = access_for(person)
    editions = pkri_editions()
    if _reads_all(access):
        return editions
    participant = Q()
    admin_ids, unit_ids = _admin_ids(access), _operator_ids(access)
    if admin_ids:
        participant |= Q(
            Exists(Locus.objects.filter(edition=OuterRef("pk"), institution_id__in=admin_ids))
        )
    if unit_ids:
        participant |= Q(
            Exists(ScopeObject.objects.filter(edition=OuterRef("pk"), unit_id__in=unit_ids))
        )
    condition = Q()
    if participant:
        condition |= participant & ~Q(state__in=PARTICIPANT_STATES_HIDDEN)
    if access.person_id is not None and access.is_assessor:
        # Assessors are appointed whatever the stage; the appointment is the condition.
        condition |= Q(
            Exists(
                Appointment.objects.filter(
                    edition=OuterRef("pk"), person_id=access.person_id, is_active=True
                )
            )
        )
    if not condition:
        return editions.none()
    return editions.filter(condition)


def loci_visible_to(person: Any, edition: Edition) -> QuerySet[Locus]:
    """The edition's loci the person may see (excluded ones included)."""
    access = access_for(person)
    loci = Locus.objects.filter(edition=edition).select_related(
        "institution", "institution__region"
    )
    if _reads_all_of(access, edition):
        return loci
    if not _scope_open_to_participants(edition):
        return loci.none()
    condition = Q()
    admin_ids, unit_ids = _admin_ids(access), _operator_ids(access)
    if admin_ids:
        condition |= Q(institution_id__in=admin_ids)
    if unit_ids:
        condition |= Q(
            Exists(ScopeObject.objects.filter(locus=OuterRef("pk"), unit_id__in=unit_ids))
        )
    if not condition:
        return loci.none()
    return loci.filter(condition)


def objects_visible_to(person: Any, edition: Edition) -> QuerySet[ScopeObject]:
    """The edition's objects the person may see (excluded ones included)."""
    access = access_for(person)
    objects = ScopeObject.objects.filter(edition=edition).select_related(
        "locus",
        "locus__institution",
        "innovation",
        "unit",
        "original",
    )
    if _reads_all_of(access, edition):
        return objects
    if not _scope_open_to_participants(edition):
        return objects.none()
    condition = Q()
    admin_ids, unit_ids = _admin_ids(access), _operator_ids(access)
    if admin_ids:
        condition |= Q(locus__institution_id__in=admin_ids)
    if unit_ids:
        condition |= Q(unit_id__in=unit_ids)
    if not condition:
        return objects.none()
    return objects.filter(condition)


def _open_scoring_stage(edition: Edition) -> Stage | None:
    return Stage.objects.filter(
        edition=edition, status=StageStatus.OPEN, assessors_score=True
    ).first()


def forms_visible_to(person: Any, edition: Edition) -> QuerySet[SelfAssessment]:
    """The edition's forms the person may see.

    Admin Lokal: every form of its loci (coaching and object forms); unit operator: the
    object forms of its units; assessor: forms deployed to them in the open scoring stage.
    """
    access = access_for(person)
    forms = SelfAssessment.objects.filter(edition=edition).select_related(
        "locus",
        "locus__institution",
        "object",
        "object__innovation",
        "object__unit",
    )
    # One query for whoever may have an appointment: national readers and assessors.
    appointment = (
        _appointment(access, edition) if (_reads_all(access) or access.is_assessor) else None
    )
    if _reads_all(access) and appointment is None:
        return forms
    condition = Q()
    if _scope_open_to_participants(edition):
        admin_ids, unit_ids = _admin_ids(access), _operator_ids(access)
        if admin_ids:
            condition |= Q(locus__institution_id__in=admin_ids)
        if unit_ids:
            condition |= Q(object__unit_id__in=unit_ids) & ~Q(kind=FormKind.COACHING)
    if appointment is not None:
        stage = _open_scoring_stage(edition)
        if stage is not None:
            condition |= Q(subject__in=subjects_for_assessor(appointment, stage))
    if not condition:
        return forms.none()
    return forms.filter(condition)


def is_secretariat(person: Any) -> bool:
    """The secretariat (or a superuser): the one PKRI test for secretariat work."""
    access = access_for(person)
    return access.is_secretariat or access.is_superuser


def may_manage_scope(person: Any) -> bool:
    """Deriving, editing, freezing and amending the scope is the secretariat's work."""
    return is_secretariat(person)


def panel_assignments(person: Any) -> QuerySet[Assignment]:
    """The person's interview assignments over PKRI editions, conflicted ones excluded
    (:mod:`prima.evaluation.queries` rules), with their slot; soonest first."""
    person_id = access_for(person).person_id
    if person_id is None:
        return Assignment.objects.none()
    appointments = list(
        Appointment.objects.filter(
            person_id=person_id,
            is_active=True,
            edition__programme="pkri",
            code_of_conduct_accepted_at__isnull=False,
            conflicts_declared_at__isnull=False,
        )
    )
    if not appointments:
        return Assignment.objects.none()
    qs = Assignment.objects.filter(
        stage__code=EditionState.INTERVIEWS,
        appointment__in=appointments,
        subject__pkri_form__isnull=False,
    )
    for appointment in appointments:
        qs = qs.exclude(
            Exists(
                Assignment.objects.filter(pk=OuterRef("pk"), appointment=appointment).filter(
                    conflict_condition(appointment, prefix="subject__")
                )
            )
        )
    return qs.select_related(
        "stage__edition",
        "subject__pkri_form__slot",
        "subject__pkri_form__object__innovation",
        "subject__pkri_form__locus__institution",
        "sheet",
    ).order_by("subject__pkri_form__slot__starts_at", "pk")


# --------------------------------------------------------------------------- province progress


def progress_provinces(person: Any) -> set[str] | None:
    """Province codes whose PKRI progress the person may read: ``None`` means every
    province (national readers, superusers); a coordinator gets its provinces; anyone
    else an empty set."""
    access = access_for(person)
    if _reads_all(access):
        return None
    return access.coordinated_province_codes


def province_progress_editions(person: Any) -> QuerySet[Edition]:
    """PKRI editions whose province progress the person may open.

    National readers: every edition. A coordinator: editions whose scope is frozen
    (``scope_frozen`` onwards) with a locus in one of its provinces. Anyone else: none.
    """
    provinces = progress_provinces(person)
    editions = pkri_editions()
    if provinces is None:
        return editions
    if not provinces:
        return editions.none()
    in_province = Locus.objects.filter(
        edition=OuterRef("pk"),
        excluded=False,
        institution__region__province_code__in=provinces,
    )
    return editions.exclude(state__in=PARTICIPANT_STATES_HIDDEN).filter(Exists(in_province))


def loci_in_province_for(
    person: Any, edition: Edition, province_code: str | None = None
) -> QuerySet[Locus]:
    """The edition's loci (excluded ones left out) in a province the person may follow,
    each annotated with its form progress; province government first, then by name.

    The province is the institution's region (``Region.province_code``): the province
    government and its regencies and cities. Without ``province_code`` every province
    the person may follow (national readers: all). A coordinator sees nothing before the
    scope is frozen, nor a province it does not coordinate.

    Annotations (no form contents, no scores): ``n_objects`` (objects in scope),
    ``n_<bucket>`` object forms per progress bucket (`prima.pkri.domain.progress`) and
    ``coaching_state`` (the coaching form's state, None without one). One query.
    """
    provinces = progress_provinces(person)
    loci = Locus.objects.filter(edition=edition, excluded=False)
    if provinces is not None:
        if not _scope_open_to_participants(edition):
            return loci.none()
        allowed = provinces if province_code is None else provinces & {province_code}
        if not allowed:
            return loci.none()
        loci = loci.filter(institution__region__province_code__in=allowed)
    elif province_code is not None:
        loci = loci.filter(institution__region__province_code=province_code)
    object_forms = ~Q(forms__kind=FormKind.COACHING)
    counts = {
        f"n_{bucket.code}": Count(
            "forms", filter=object_forms & Q(forms__state__in=bucket.states), distinct=True
        )
        for bucket in BUCKETS
    }
    coaching = SelfAssessment.objects.filter(locus=OuterRef("pk"), kind=FormKind.COACHING)
    return (
        loci.select_related("institution", "institution__region")
        .annotate(
            n_objects=Count(
                "scope_objects", filter=Q(scope_objects__excluded=False), distinct=True
            ),
            coaching_state=Subquery(coaching.values("state")[:1]),
            province_first=Case(
                When(institution__kind=InstitutionKind.PROVINCE, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            **counts,
        )
        .order_by("institution__region__province_code", "province_first", "institution__name")
    )


# --------------------------------------------------------------------------- desk evaluators


def pkri_appointments(person: Any) -> list[Appointment]:
    """The person's active, ready evaluator appointments in PKRI editions."""
    access = access_for(person)
    if access.person_id is None:
        return []
    return [
        a
        for a in Appointment.objects.filter(
            person_id=access.person_id, is_active=True, edition__programme="pkri"
        )
        .select_related("edition")
        .order_by("-edition__year", "-edition_id")
        if a.is_ready
    ]


def desk_stages(appointments: Sequence[Appointment]) -> list[Stage]:
    return list(
        Stage.objects.filter(
            edition_id__in=[a.edition_id for a in appointments],
            code=EditionState.DESK_EVALUATION,
            assessors_score=True,
            status__in=[StageStatus.OPEN, StageStatus.CLOSED],
        ).select_related("edition")
    )


def todo_queryset(person: Any) -> QuerySet[Assignment]:
    """The person's desk assignments across PKRI editions, conflicted ones left out:
    drafts first, then unscored, then final."""
    appointments = pkri_appointments(person)
    by_edition = {a.edition_id: a for a in appointments}
    ids = Q()
    for stage in desk_stages(appointments):
        scope = assignments_for_assessor(by_edition[stage.edition_id], stage)
        ids |= Q(pk__in=scope.values("pk"))
    if not ids:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(ids)
        .select_related("subject", "stage__edition")
        .annotate(
            todo=Case(
                When(is_excused=True, then=Value(TODO_EXCUSED)),
                When(sheet__status=SheetStatus.DRAFT, then=Value(TODO_DRAFT)),
                When(sheet__status=SheetStatus.FINAL, then=Value(TODO_FINAL)),
                default=Value(TODO_OPEN),
                output_field=CharField(),
            ),
            todo_rank=Case(
                When(is_excused=True, then=Value(3)),
                When(sheet__status=SheetStatus.DRAFT, then=Value(0)),
                When(sheet__status=SheetStatus.FINAL, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("-stage__edition__year", "todo_rank", "subject__title", "pk")
    )


def desk_assignment(person: Any, pk: int) -> Assignment:
    """One of the person's PKRI desk assignments (404 when not theirs, conflicted, not a
    PKRI desk assignment, or the appointment is not yet ready)."""
    try:
        assignment = assessor_assignment(person, pk)
    except GateClosed as closed:
        raise Http404 from closed
    stage = assignment.stage
    if stage.edition.programme != "pkri" or stage.code != EditionState.DESK_EVALUATION:
        raise Http404
    return assignment


__all__ = [
    "desk_assignment",
    "desk_stages",
    "editions_visible_to",
    "forms_visible_to",
    "is_secretariat",
    "loci_in_province_for",
    "loci_visible_to",
    "may_manage_scope",
    "objects_visible_to",
    "panel_assignments",
    "pkri_appointments",
    "progress_provinces",
    "province_progress_editions",
    "todo_queryset",
]
