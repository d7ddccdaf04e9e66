"""Builders for the PKRI desk-evaluation tests: submitted forms with a frozen snapshot,
ready evaluator appointments and assignments. Plain functions over the factories."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from prima.core.domain.tokens import create_api_token
from prima.core.models import Institution
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Appointment, Assignment, Edition
from prima.pkri.domain.forms import build_snapshot, snapshot_hash
from prima.pkri.enums import FormKind, FormState, Group
from prima.pkri.models import Locus, ScopeObject, SelfAssessment
from tests.factories import InnovationFactory, ServiceUnitFactory
from tests.kipp.factories import AppointmentFactory, AssignmentFactory
from tests.pkri.factories import LocusFactory, ScopeObjectFactory, coaching_form

# A sustainability form of a Top 2019 object, still running (pkri.md §6.1).
SUSTAINABILITY: dict[str, Any] = {
    "still_running": True,
    "running_since": "2019-01-02",
    "interruptions": [],
    "improvements": [
        {
            "year": 2020,
            "type": "feature",
            "description": "Pelacakan berkas daring.",
            "evidence": None,
        },
        {
            "year": 2022,
            "type": "coverage",
            "description": "Diperluas ke 5 kecamatan.",
            "evidence": None,
        },
    ],
    "coverage_expanded": True,
    "coverage_description": "Lima kecamatan baru sejak 2022.",
    "beneficiaries": [
        {"year": year, "count": count, "measure": "people", "source": "laporan tahunan"}
        for year, count in ((2019, 1200), (2020, 1400), (2021, 1600), (2022, 1900), (2023, 2100))
    ],
    "budget": [
        {"year": year, "source": "APBD", "line": "Program pelayanan", "amount": 150_000_000}
        for year in (2021, 2022, 2023)
    ],
    "legal_basis": [
        {"type": "perkada", "number": "12", "date": "2020-03-01", "title": "Perwako", "file": None}
    ],
    "sop": {"exists": True, "number": "SOP/1", "date": "2020-04-01", "file": None},
    "team_decree": {"exists": True, "number": "SK/7", "date": "2020-05-01", "file": None},
    "latest_evaluation": None,
    "replications": [],
    "evidence": [],
    "contact": {"name": "Rina", "position": "Kepala Seksi", "email": "rina@contoh.go.id"},
    "declaration": True,
}

# Levels K1–K6 of acceptance example B4: S = 77.50.
B4_LEVELS = {"k1": 4, "k2": 3, "k3": 3, "k4": 4, "k5": 2, "k6": 2}
NOTE = "Bukti cukup lengkap; data penerima manfaat konsisten."


def locus_of(edition: Edition, institution: Institution) -> Locus:
    locus = Locus.objects.filter(edition=edition, institution=institution).first()
    return locus or LocusFactory(edition=edition, institution=institution)


def scope_object(
    edition: Edition,
    institution: Institution,
    *,
    group: str = Group.KEBERLANJUTAN,
    name: str | None = None,
    **kwargs: Any,
) -> ScopeObject:
    unit = ServiceUnitFactory(institution=institution)
    innovation = InnovationFactory(unit=unit, **({"name": name} if name else {}))
    return ScopeObjectFactory(
        edition=edition,
        locus=locus_of(edition, institution),
        innovation=innovation,
        unit=unit,
        group=group,
        **kwargs,
    )


def freeze(form: SelfAssessment) -> SelfAssessment:
    """Mark the form submitted with its answers frozen, as `submit_form` does."""
    form.state = FormState.SUBMITTED
    form.submitted_at = timezone.make_aware(dt.datetime(2024, 6, 1, 10, 0))
    form.snapshot = build_snapshot(form)
    form.snapshot_hash = snapshot_hash(form.snapshot)
    form.save()
    return form


def submitted_object_form(
    edition: Edition,
    institution: Institution,
    *,
    data: dict[str, Any] | None = None,
    group: str = Group.KEBERLANJUTAN,
    name: str | None = None,
) -> SelfAssessment:
    obj = scope_object(edition, institution, group=group, name=name)
    form = SelfAssessment.objects.create(
        edition=edition,
        locus=obj.locus,
        object=obj,
        kind=FormKind.REPLICATION if group == Group.REPLIKASI else FormKind.SUSTAINABILITY,
        data=dict(SUSTAINABILITY if data is None else data),
    )
    return freeze(form)


def submitted_coaching_form(
    edition: Edition, institution: Institution, data: dict[str, Any] | None = None
) -> SelfAssessment:
    form = coaching_form(locus_of(edition, institution), data=data or {"declaration": True})
    return freeze(form)


def appoint(edition: Edition, person: Any, **kwargs: Any) -> Appointment:
    """A ready evaluator (code of conduct accepted, conflicts declared; province 31)."""
    return AppointmentFactory(edition=edition, person=person, **kwargs)


def assign(form: SelfAssessment, appointment: Appointment) -> Assignment:
    form.refresh_from_db()
    return AssignmentFactory(
        subject=form.subject,
        appointment=appointment,
        stage=form.edition.stages.get(code=EditionState.DESK_EVALUATION),
    )


def token_headers(person: Any) -> dict[str, str]:
    _, key = create_api_token(actor=person, name="uji penilai pkri")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
