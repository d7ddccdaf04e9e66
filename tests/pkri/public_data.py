"""Builders for PKRI public-statistics tests: whole editions made in a few bulk inserts.

`bulk_scope` makes loci of each institution kind, objects spread over them, their forms
and coaching forms; `award` records a decided award. Real rows, no mocks; bulk inserts
keep the 631-locus scenario of pkri.md §10 fast.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from prima.awards.enums import AwardStatus, Recipient
from prima.awards.models import Award, AwardCategory
from prima.core.enums import InstitutionKind, ServiceType, UnitKind
from prima.core.models import Institution, ServiceUnit
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Edition
from prima.innovations.models import Innovation
from prima.pkri.enums import FormKind, FormState, Group
from prima.pkri.models import Locus, ScopeObject, SelfAssessment
from tests.pkri.factories import PkriEditionFactory

_serial = itertools.count(1)
KIND_WORD = {
    InstitutionKind.MINISTRY: "Kementerian",
    InstitutionKind.AGENCY: "Lembaga",
    InstitutionKind.PROVINCE: "Provinsi",
    InstitutionKind.REGENCY: "Kabupaten",
    InstitutionKind.CITY: "Kota",
    InstitutionKind.STATE_ENTERPRISE: "BUMN",
}


def pkri_edition(
    state: str = EditionState.RESULTS, *, published: bool = True, **rules: Any
) -> Edition:
    """A PKRI 2024 edition open at `state`; `rules` override `publication` keys."""
    edition = PkriEditionFactory(stages=state)
    if rules:
        edition.rules = {**edition.rules, "publication": {**edition.rules["publication"], **rules}}
    edition.is_published = published
    edition.save()
    return edition


@dataclass
class Scope:
    edition: Edition
    loci: list[Locus] = field(default_factory=list)
    objects: list[ScopeObject] = field(default_factory=list)
    forms: list[SelfAssessment] = field(default_factory=list)
    coaching: list[SelfAssessment] = field(default_factory=list)

    def loci_of(self, kind: str) -> list[Locus]:
        return [locus for locus in self.loci if locus.institution.kind == kind]

    def objects_of(self, group: str) -> list[ScopeObject]:
        return [obj for obj in self.objects if obj.group == group]


def bulk_institutions(kinds: Mapping[str, int]) -> list[Institution]:
    batch = next(_serial)
    rows = [
        Institution(
            kind=kind,
            name=f"Instansi Uji {batch}-{kind}-{n:04d}",
            short_name=f"{KIND_WORD.get(kind, kind)} Uji {batch}-{n:04d}",
        )
        for kind, count in kinds.items()
        for n in range(count)
    ]
    return Institution.objects.bulk_create(rows)


def bulk_scope(
    edition: Edition,
    *,
    loci: Mapping[str, int] | None = None,
    institutions: Sequence[Institution] = (),
    objects: Mapping[str, int] | None = None,
    coaching: int = 0,
    form_state: str = FormState.SUBMITTED,
    coaching_state: str = FormState.SUBMITTED,
) -> Scope:
    """Loci (new institutions per kind, plus `institutions` given), objects per group
    spread over the loci round-robin with a form each in `form_state`, and coaching forms
    (`coaching_state`) for the first `coaching` loci."""
    members = list(institutions) + bulk_institutions(loci or {})
    batch = next(_serial)
    units = ServiceUnit.objects.bulk_create(
        [
            ServiceUnit(
                institution=i,
                name=f"Unit Uji {batch}-{n}",
                kind=UnitKind.DINAS,
                service_type=ServiceType.ADMINISTRATIVE,
            )
            for n, i in enumerate(members)
        ]
    )
    scope = Scope(edition)
    scope.loci = Locus.objects.bulk_create(
        [
            Locus(edition=edition, institution=i, in_pembinaan=n < coaching)
            for n, i in enumerate(members)
        ]
    )
    for locus, institution in zip(scope.loci, members, strict=True):
        locus.institution = institution
    plan = [group for group, count in (objects or {}).items() for _ in range(count)]
    slots = [(n % len(members)) for n in range(len(plan))] if members else []
    innovations = Innovation.objects.bulk_create(
        [
            Innovation(
                unit=units[slot],
                institution=members[slot],
                name=f"Inovasi Uji {batch}-{n:04d}",
                summary="Layanan uji.",
                started_on=dt.date(2018, 1, 1),
            )
            for n, slot in enumerate(slots)
        ]
    )
    scope.objects = ScopeObject.objects.bulk_create(
        [
            ScopeObject(
                edition=edition,
                locus=scope.loci[slot],
                innovation=innovations[n],
                unit=units[slot],
                group=plan[n],
                source_tier="top99@2019",
                award_year=2019,
            )
            for n, slot in enumerate(slots)
        ]
    )
    for n, obj in enumerate(scope.objects):
        obj.innovation = innovations[n]
        obj.unit = units[slots[n]]
    scope.forms = SelfAssessment.objects.bulk_create(
        [
            SelfAssessment(
                edition=edition,
                locus=obj.locus,
                object=obj,
                kind=(
                    FormKind.REPLICATION
                    if obj.group == Group.REPLIKASI
                    else FormKind.SUSTAINABILITY
                ),
                state=form_state,
            )
            for obj in scope.objects
        ]
    )
    scope.coaching = SelfAssessment.objects.bulk_create(
        [
            SelfAssessment(
                edition=edition, locus=locus, kind=FormKind.COACHING, state=coaching_state
            )
            for locus in scope.loci[:coaching]
        ]
    )
    return scope


def category(edition: Edition, group: str) -> AwardCategory:
    """The edition's award category of a group (code = group code, as editions create it)."""
    rules = edition.rules["groups"][group]
    found, _ = AwardCategory.objects.get_or_create(
        edition=edition,
        code=group,
        defaults={
            "title": rules["award"],
            "recipient": Recipient.INSTITUTION
            if group == Group.PEMBINAAN
            else Recipient.INNOVATION,
            "group": group,
            "count": 0,
            "position": list(edition.rules["groups"]).index(group),
        },
    )
    return found


def award(
    edition: Edition,
    group: str,
    *,
    institution: Institution | None = None,
    obj: ScopeObject | None = None,
    status: str = AwardStatus.DECIDED,
    rank: int | None = None,
    score: Decimal | None = None,
    is_demo_placeholder: bool = False,
) -> Award:
    """A decided award of the group's category to an institution or an object's innovation."""
    if obj is not None:
        institution = obj.locus.institution
    assert institution is not None
    return Award.objects.create(
        category=category(edition, group),
        edition=edition,
        institution=institution,
        innovation=obj.innovation if obj else None,
        unit=obj.unit if obj else None,
        status=status,
        rank=rank,
        score=score,
        is_demo_placeholder=is_demo_placeholder,
    )


def bulk_awards(edition: Edition, group: str, recipients: Sequence[Any]) -> list[Award]:
    """Decided awards of a group to loci (pembinaan) or objects, in one insert."""
    cat = category(edition, group)
    rows = []
    for recipient in recipients:
        if isinstance(recipient, ScopeObject):
            rows.append(
                Award(
                    category=cat,
                    edition=edition,
                    institution_id=recipient.locus.institution_id,
                    innovation_id=recipient.innovation_id,
                    status=AwardStatus.DECIDED,
                )
            )
        else:
            rows.append(
                Award(
                    category=cat,
                    edition=edition,
                    institution_id=recipient.institution_id,
                    status=AwardStatus.DECIDED,
                )
            )
    return Award.objects.bulk_create(rows)
