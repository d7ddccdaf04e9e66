"""Builders shared by the assessor tests: submitted proposals with a frozen snapshot,
ready appointments and assignments. Plain functions over the factories; no tests here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from prima.core.domain.tokens import create_api_token
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Appointment, Assignment, Edition, Stage
from prima.kipp.domain.proposals import build_snapshot, snapshot_hash
from prima.kipp.enums import ProposalState
from prima.kipp.models import Proposal
from tests.factories import InnovationFactory
from tests.kipp.factories import AppointmentFactory, AssignmentFactory, ProposalFactory

# Answers of every umum section (kipp-default-v1); none names the proposer.
UMUM_ANSWERS = {
    "ringkasan": "Layanan kesehatan keliling menjangkau desa terpencil setiap pekan.",
    "latar_belakang": "Warga desa jauh dari puskesmas; target 90 persen balita terlayani.",
    "kebaruan": "Jadwal kunjungan disusun dari data kehamilan dan imunisasi.",
    "implementasi": "Uji coba 2022, perluasan 2023 ke seluruh kecamatan.",
    "signifikansi": "Cakupan imunisasi naik dari 61 menjadi 93 persen.",
    "adaptabilitas": "Sudah ditiru dua daerah lain dengan penyesuaian jadwal.",
    "sumber_daya": "Dua mobil layanan, enam tenaga kesehatan, anggaran daerah.",
    "keberlanjutan": "Diatur peraturan kepala daerah dan masuk rencana kerja tahunan.",
}
# kipp.md §18 A5, evaluator E1 (umum) plus Ringkasan: T_e = 78.50.
E1 = {
    "ringkasan": 75,
    "latar_belakang": 80,
    "kebaruan": 70,
    "implementasi": 90,
    "signifikansi": 85,
    "adaptabilitas": 75,
    "sumber_daya": 60,
    "keberlanjutan": 80,
}
NOTE = "Inovasi relevan dan bukti dampaknya cukup kuat."
RUBRIC = {"penyampaian": 80, "substansi": 90, "video": 70, "kehadiran_pimpinan": 100}


def stage_of(edition: Edition, code: str = EditionState.DESK_EVALUATION) -> Stage:
    return edition.stages.get(code=code)


def submitted(edition: Edition, unit: Any, *, title: str | None = None, **kwargs: Any) -> Proposal:
    """A proposal submitted to the edition, its content frozen as at submission."""
    innovation = InnovationFactory(unit=unit, **({"name": title} if title else {}))
    kwargs.setdefault("answers", dict(UMUM_ANSWERS))
    kwargs.setdefault("state", ProposalState.DESK_REVIEW)
    kwargs.setdefault("video_url", "https://video.contoh.id/layanan-keliling")
    proposal: Proposal = ProposalFactory(edition=edition, innovation=innovation, **kwargs)
    proposal.submitted_at = timezone.now() - dt.timedelta(days=30)
    proposal.snapshot = build_snapshot(proposal)
    proposal.snapshot_hash = snapshot_hash(proposal.snapshot)
    proposal.save(update_fields=["submitted_at", "snapshot", "snapshot_hash"])
    return proposal


def appoint(edition: Edition, person: Any, **kwargs: Any) -> Appointment:
    """An appointment that has passed the code of conduct and the declaration (province 31)."""
    return AppointmentFactory(edition=edition, person=person, **kwargs)


def assign(
    proposal: Proposal, appointment: Appointment, code: str = EditionState.DESK_EVALUATION
) -> Assignment:
    return AssignmentFactory(
        subject=proposal.subject,
        appointment=appointment,
        stage=stage_of(proposal.edition, code),
    )


def token_headers(person: Any) -> dict[str, str]:
    _, key = create_api_token(actor=person, name="uji penilai")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def api(person: Any) -> tuple[Client, dict[str, str]]:
    """A client without a session and the person's bearer token headers."""
    return Client(), token_headers(person)
