"""Appointing assessors to an edition and recording their conflicts of interest (kipp.md §3,
§4 step 5, §10.1).

An appointment grants nothing beyond itself: the assessor sees proposals only through
the assignment querysets, and only after accepting the code of conduct and declaring
conflicts. Declared conflicts can be added to but never withdrawn. A conflict entered
while the assessor holds a live assignment for the pair removes that assignment, unless
the assessor already finalised a sheet for it (the secretariat must then decide first).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import Institution
from prima.evaluation.enums import (
    AssessorRole,
    ConflictKind,
    ConflictNature,
    EditionState,
    SheetStatus,
    StageStatus,
)
from prima.evaluation.models import (
    Appointment,
    Assignment,
    Conflict,
    Edition,
    ScoreSheet,
    Subject,
)

AUDIT_FIELDS = (
    "edition",
    "person",
    "role",
    "affiliation",
    "home_province",
    "university",
    "expertise",
    "categories",
    "min_load",
    "max_load",
    "is_active",
)


def _require_secretariat(actor: Any, message: str) -> None:
    access = access_for(actor)
    if not (access.is_secretariat or access.is_superuser):
        raise PermissionDenied(message)


def _require_self(appointment: Appointment, actor: Any) -> None:
    if access_for(actor).person_id != appointment.person_id:
        raise PermissionDenied(
            _("Hanya penilai yang bersangkutan yang dapat melakukan ini untuk penugasannya.")
        )


def _require_open_edition(edition: Edition) -> None:
    if edition.state == EditionState.CLOSED:
        raise DomainError(
            _("Penyelenggaraan %(edition)s sudah ditutup; penugasan penilai sudah berakhir.")
            % {"edition": edition}
        )


def _require_active(appointment: Appointment) -> None:
    if not appointment.is_active:
        raise DomainError(_("Penugasan penilai ini sudah tidak aktif."))


def _categories(edition: Edition, categories: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(str(c).strip() for c in categories if str(c).strip()))
    known = [
        item.get("code")
        for item in edition.rules.get("categories", []) or []
        if isinstance(item, Mapping)
    ]
    if known:
        unknown = [c for c in chosen if c not in known]
        if unknown:
            raise DomainError(
                _("Kategori tidak dikenal: %(unknown)s; yang ada: %(known)s.")
                % {"unknown": ", ".join(unknown), "known": ", ".join(map(str, known))},
                field="categories",
            )
    return chosen


def appoint_assessor(
    edition: Edition,
    person: Any,
    role: str,
    *,
    affiliation: Institution | None = None,
    past_institutions: Iterable[Institution] = (),
    home_province: str = "",
    university: str = "",
    expertise: str = "",
    categories: Iterable[str] = (),
    min_load: int = 0,
    max_load: int | None = None,
    actor: Any,
) -> Appointment:
    """Appoint a person as evaluator or panelist of an edition (secretariat only).

    Nobody may hold two roles in one edition, and nobody is appointed to a closed edition.
    """
    _require_secretariat(actor, _("Hanya Sekretariat yang dapat menunjuk penilai."))
    if role not in AssessorRole.values:
        raise DomainError(
            _("Peran penilai tidak dikenal: %(role)s.") % {"role": role}, field="role"
        )
    home_province = home_province.strip()
    if home_province and not (len(home_province) == 2 and home_province.isdigit()):
        raise DomainError(
            _("Provinsi domisili harus kode dua angka (misalnya 35); tertulis %(value)s.")
            % {"value": home_province},
            field="home_province",
        )
    if min_load < 0 or (max_load is not None and max_load < 0):
        raise DomainError(_("Beban penilai tidak boleh negatif."), field="min_load")
    if max_load is not None and min_load > max_load:
        raise DomainError(
            _("Beban minimum %(min)s melebihi beban maksimum %(max)s.")
            % {"min": min_load, "max": max_load},
            field="min_load",
        )
    chosen = _categories(edition, categories)
    with transaction.atomic():
        locked = Edition.objects.select_for_update(of=("self",)).get(pk=edition.pk)
        _require_open_edition(locked)
        existing = Appointment.objects.filter(edition=locked, person=person).first()
        if existing is not None:
            raise DomainError(
                _(
                    "%(person)s sudah ditunjuk sebagai %(role)s di %(edition)s; seseorang tidak "
                    "boleh memegang dua peran dalam satu penyelenggaraan."
                )
                % {
                    "person": person,
                    "role": existing.get_role_display(),
                    "edition": locked,
                },
                field="person",
            )
        appointment = Appointment.objects.create(
            edition=locked,
            person=person,
            role=role,
            affiliation=affiliation,
            home_province=home_province,
            university=university.strip(),
            expertise=expertise.strip(),
            categories=chosen,
            min_load=min_load,
            max_load=max_load,
            appointed_by=actor,
        )
        past = list(past_institutions)
        if past:
            appointment.past_institutions.set(past)
        audit.record(
            actor=actor,
            action="evaluation.appointment.create",
            obj=appointment,
            after={
                **audit.snapshot(appointment, AUDIT_FIELDS),
                "past_institutions": sorted(i.pk for i in past),
            },
        )
    return appointment


def accept_code_of_conduct(appointment: Appointment, *, actor: Any) -> Appointment:
    """The assessor accepts the code of conduct (once; repeating it changes nothing)."""
    _require_self(appointment, actor)
    _require_active(appointment)
    _require_open_edition(appointment.edition)
    if appointment.code_of_conduct_accepted_at is not None:
        return appointment
    with transaction.atomic():
        appointment.code_of_conduct_accepted_at = timezone.now()
        appointment.save(update_fields=["code_of_conduct_accepted_at"])
        audit.record(
            actor=actor,
            action="evaluation.appointment.accept_code",
            obj=appointment,
            after={"code_of_conduct_accepted_at": appointment.code_of_conduct_accepted_at},
        )
    return appointment


@dataclass(frozen=True)
class _Target:
    subject: Subject | None
    institution: Institution | None
    nature: str
    reason: str

    def key(self) -> tuple[int | None, int | None]:
        return (
            self.subject.pk if self.subject else None,
            self.institution.pk if self.institution else None,
        )

    def describe(self) -> str:
        return str(self.subject or self.institution)


def _target(
    edition: Edition,
    *,
    subject: Subject | int | None,
    institution: Institution | int | None,
    nature: str,
    reason: str,
    where: str,
) -> _Target:
    if (subject is None) == (institution is None):
        raise DomainError(
            _("%(where)sisi tepat satu: proposal/subjek atau instansi.") % {"where": where},
            field="subject",
        )
    if nature not in ConflictNature.values:
        raise DomainError(
            _("%(where)ssifat hubungan tidak dikenal: %(nature)s.")
            % {"where": where, "nature": nature},
            field="nature",
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("%(where)sketerangan wajib diisi.") % {"where": where}, field="reason")
    found_subject: Subject | None = None
    found_institution: Institution | None = None
    if subject is not None:
        subject_id = subject.pk if isinstance(subject, Subject) else subject
        found_subject = Subject.objects.filter(pk=subject_id, edition=edition).first()
        if found_subject is None:
            raise DomainError(
                _("%(where)ssubjek tidak ada di penyelenggaraan ini.") % {"where": where},
                field="subject",
            )
    elif institution is not None:
        institution_id = institution.pk if isinstance(institution, Institution) else institution
        found_institution = Institution.objects.filter(pk=institution_id).first()
        if found_institution is None:
            raise DomainError(
                _("%(where)sinstansi tidak ditemukan.") % {"where": where}, field="institution"
            )
    return _Target(found_subject, found_institution, nature, reason)


def _live_assignments(appointment: Appointment, target: _Target) -> list[Assignment]:
    """Live assignments of the appointment in running stages that the conflict hits."""
    pair = (
        Q(subject=target.subject)
        if target.subject is not None
        else Q(subject__institution=target.institution)
    )
    return list(
        Assignment.objects.filter(appointment=appointment, stage__status=StageStatus.OPEN)
        .filter(pair)
        .select_related("subject", "sheet")
    )


def _sheet_of(assignment: Assignment) -> ScoreSheet | None:
    try:
        return assignment.sheet
    except ScoreSheet.DoesNotExist:
        return None


def _drop(assignments: Sequence[Assignment]) -> list[dict[str, Any]]:
    """Delete assignments (and their draft sheets); return what was removed, for the log."""
    removed: list[dict[str, Any]] = []
    for assignment in assignments:
        sheet = _sheet_of(assignment)
        removed.append(
            {
                "stage": assignment.stage_id,
                "subject": assignment.subject_id,
                "draft_sheet": sheet.pk if sheet is not None else None,
            }
        )
        if sheet is not None:
            sheet.delete()
        assignment.delete()
    return removed


def declare_conflicts(
    appointment: Appointment, conflicts: Sequence[Mapping[str, Any]], *, actor: Any
) -> list[Conflict]:
    """The assessor declares conflicts: items `{subject | institution, nature, reason}`.

    Marks the declaration as made even with an empty list; later calls add conflicts,
    none is ever removed; a target already declared is not repeated. A live assignment
    the new conflict hits in a running stage is withdrawn (with its draft sheet); one with a
    final sheet stays, hidden from the assessor, and is recorded for the secretariat.
    """
    _require_self(appointment, actor)
    _require_active(appointment)
    edition = appointment.edition
    _require_open_edition(edition)
    targets: list[_Target] = []
    for index, item in enumerate(conflicts):
        unknown = set(item) - {"subject", "institution", "nature", "reason"}
        where = _("Konflik %(n)s: ") % {"n": index + 1}
        if unknown:
            raise DomainError(
                _("%(where)sisian tidak dikenal: %(names)s.")
                % {"where": where, "names": ", ".join(sorted(unknown))}
            )
        targets.append(
            _target(
                edition,
                subject=item.get("subject"),
                institution=item.get("institution"),
                nature=item.get("nature") or ConflictNature.OTHER,
                reason=item.get("reason", ""),
                where=where,
            )
        )
    created: list[Conflict] = []
    with transaction.atomic():
        locked = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment.pk)
        known: set[tuple[int | None, int | None]] = set(
            Conflict.objects.filter(appointment=locked).values_list("subject_id", "institution_id")
        )
        removed: list[dict[str, Any]] = []
        kept: list[int] = []
        for target in targets:
            if target.key() in known:
                continue
            known.add(target.key())
            created.append(
                Conflict.objects.create(
                    appointment=locked,
                    kind=ConflictKind.DECLARED,
                    nature=target.nature,
                    subject=target.subject,
                    institution=target.institution,
                    reason=target.reason,
                    created_by=actor,
                )
            )
            live = _live_assignments(locked, target)
            final = [a for a in live if _final(a)]
            kept.extend(a.pk for a in final)
            removed.extend(_drop([a for a in live if not _final(a)]))
        first = locked.conflicts_declared_at is None
        if first:
            locked.conflicts_declared_at = timezone.now()
            locked.save(update_fields=["conflicts_declared_at"])
        if first or created:
            audit.record(
                actor=actor,
                action="evaluation.conflict.declare",
                obj=locked,
                after={
                    "conflicts": [_describe(c) for c in created],
                    "conflicts_declared_at": locked.conflicts_declared_at,
                    "assignments_removed": removed,
                    "scored_assignments_kept": kept,
                },
            )
    appointment.conflicts_declared_at = locked.conflicts_declared_at
    return created


def _final(assignment: Assignment) -> bool:
    sheet = _sheet_of(assignment)
    return sheet is not None and sheet.status == SheetStatus.FINAL


def _describe(conflict: Conflict) -> dict[str, Any]:
    return {
        "id": conflict.pk,
        "kind": conflict.kind,
        "nature": conflict.nature,
        "subject": conflict.subject_id,
        "institution": conflict.institution_id,
        "reason": conflict.reason,
    }


def enter_conflict(
    appointment: Appointment,
    *,
    subject: Subject | int | None = None,
    institution: Institution | int | None = None,
    reason: str,
    nature: str = ConflictNature.OTHER,
    actor: Any,
) -> Conflict:
    """The secretariat records a conflict for an assessor (kind `secretariat_entered`).

    Live assignments it hits in a running stage are removed (with any draft sheet); when one
    of them already has a final sheet the entry is refused, naming the subject, so the
    secretariat first decides what happens to that score.
    """
    _require_secretariat(actor, _("Hanya Sekretariat yang dapat mencatat konflik penilai."))
    edition = appointment.edition
    _require_open_edition(edition)
    target = _target(
        edition, subject=subject, institution=institution, nature=nature, reason=reason, where=""
    )
    with transaction.atomic():
        locked = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment.pk)
        if Conflict.objects.filter(
            appointment=locked, subject=target.subject, institution=target.institution
        ).exists():
            raise DomainError(
                _("Konflik %(person)s dengan %(target)s sudah tercatat.")
                % {"person": locked.person, "target": target.describe()}
            )
        live = _live_assignments(locked, target)
        final = [a for a in live if _final(a)]
        if final:
            names = ", ".join(f"«{a.subject}»" for a in final[:10])
            raise DomainError(
                _(
                    "%(person)s sudah memfinalkan lembar nilai untuk %(names)s. Konflik tidak "
                    "dapat dicatat selama nilai itu berlaku; putuskan dulu nasib nilai tersebut "
                    "(misalnya bebaskan penugasannya), lalu catat konfliknya."
                )
                % {"person": locked.person, "names": names}
            )
        conflict = Conflict.objects.create(
            appointment=locked,
            kind=ConflictKind.SECRETARIAT_ENTERED,
            nature=target.nature,
            subject=target.subject,
            institution=target.institution,
            reason=target.reason,
            created_by=actor,
        )
        removed = _drop(live)
        audit.record(
            actor=actor,
            action="evaluation.conflict.enter",
            obj=conflict,
            after={**_describe(conflict), "assignments_removed": removed},
            reason=target.reason,
        )
    return conflict


def deactivate_appointment(
    appointment: Appointment, *, actor: Any, reason: str = ""
) -> Appointment:
    """End an appointment early (secretariat). The assessor stops seeing proposals at once
    and is left out of later assignment runs; existing sheets are kept."""
    _require_secretariat(actor, _("Hanya Sekretariat yang dapat menonaktifkan penilai."))
    if not reason.strip():
        raise DomainError(_("Alasan penonaktifan wajib diisi."), field="reason")
    with transaction.atomic():
        locked = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment.pk)
        if not locked.is_active:
            raise DomainError(_("Penugasan penilai ini sudah tidak aktif."))
        live = Assignment.objects.filter(appointment=locked, stage__status=StageStatus.OPEN).count()
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        audit.record(
            actor=actor,
            action="evaluation.appointment.deactivate",
            obj=locked,
            before={"is_active": True},
            after={"is_active": False, "live_assignments": live},
            reason=reason,
        )
    appointment.is_active = False
    return appointment
