"""Scoped proposal querysets: who sees which KIPP proposals, everywhere.

Participants see their own institution's or units' proposals; the secretariat and
national readers see all; an assessor sees only the proposals deployed to them in the
edition's open scoring stage and never one they are conflicted with
(`prima.evaluation.queries`). Lists, pages, exports, counts and the API all start here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from prima.core.access import access_for
from prima.evaluation.enums import StageStatus
from prima.evaluation.models import Edition, Stage
from prima.evaluation.queries import appointment_for, subjects_for_assessor
from prima.kipp.models import Proposal


def _base() -> QuerySet[Proposal]:
    return Proposal.objects.select_related("edition", "institution", "unit", "subject")


def participant_condition(person: Any) -> Q | None:
    """Proposals the person works on as Admin Lokal or unit operator, or None.

    An Admin Lokal of a local government also handles its regional enterprises' (BUMD)
    proposals, which pass through the owner's Admin Lokal (kipp.md §4).
    """
    access = access_for(person)
    condition = Q()
    if access.institutions:
        ids = set(access.institutions)
        condition |= Q(institution_id__in=ids) | Q(institution__parent_id__in=ids)
    if access.units:
        condition |= Q(unit_id__in=set(access.units))
    return condition or None


def proposals_visible_to(person: Any, edition: Edition | None = None) -> QuerySet[Proposal]:
    """Every proposal the person may see (optionally in one edition)."""
    access = access_for(person)
    qs = _base()
    if edition is not None:
        qs = qs.filter(edition=edition)
    if access.reads_nationally:
        return qs
    condition = participant_condition(person)
    if condition is not None:
        return qs.filter(condition)
    if edition is not None:
        return proposals_for_assessor(person, edition)
    return qs.none()


def proposals_for_assessor(person: Any, edition: Edition) -> QuerySet[Proposal]:
    """The proposals deployed to an assessor in the edition's open scoring stage."""
    appointment = appointment_for(person, edition.pk)
    stage = scoring_stage(edition)
    if appointment is None or stage is None:
        return Proposal.objects.none()
    subjects = subjects_for_assessor(appointment, stage)
    return _base().filter(edition=edition, subject__in=subjects)


def scoring_stage(edition: Edition) -> Stage | None:
    """The open stage in which assessors score, if any."""
    return Stage.objects.filter(
        edition=edition, status=StageStatus.OPEN, assessors_score=True
    ).first()


def proposals_editable_by(person: Any) -> QuerySet[Proposal]:
    """Proposals whose content the person may change (operators: their units';
    Admin Lokal: their institution's). State rules are checked by the domain."""
    access = access_for(person)
    condition = Q()
    if access.admin_institution_ids:
        ids = access.admin_institution_ids
        condition |= Q(institution_id__in=ids) | Q(institution__parent_id__in=ids)
    if access.operator_unit_ids:
        condition |= Q(unit_id__in=access.operator_unit_ids)
    if not condition:
        return Proposal.objects.none()
    return _base().filter(condition)
