"""Builders shared by the participant tests (domain, pages, API): editions, answers, files.

Real objects only: proposals are created and moved with the domain functions they test.
This module holds no tests itself.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from prima.core.enums import InstitutionKind, RegionLevel, Role
from prima.kipp.domain import proposals as domain
from prima.kipp.domain.attachments import add_attachment
from prima.kipp.domain.rules import WIB
from prima.kipp.models import Proposal
from tests.factories import (
    InnovationFactory,
    InstitutionFactory,
    RegionFactory,
    ServiceUnitFactory,
    person_with_role,
)
from tests.kipp.factories import EditionFactory, instrument_from_file, rules_from_file

CATEGORY_2025 = "AC4"
CATEGORY_2021 = "kesehatan"


def edition_2025(**kwargs: Any):
    """A 2025-style edition in registration (closes in 30 days unless told otherwise)."""
    return EditionFactory(**kwargs)


def edition_2021(**kwargs: Any):
    """A 2021-style edition (quota 10 umum / 5 replikasi, invited khusus) in registration."""
    return EditionFactory(
        year=2021,
        ordinal=8,
        rules=rules_from_file("kipp-2021.yaml"),
        instrument=instrument_from_file("kipp-2021.yaml"),
        **kwargs,
    )


def wib(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)  # type: ignore[misc]


def words(n: int, word: str = "layanan") -> str:
    return " ".join([word] * n)


def full_answers(proposal: Proposal) -> dict[str, str]:
    """A short, complete answer for every section the proposal's group sees."""
    return {
        s.code: f"Jawaban {s.label} untuk {proposal.title}: layanan warga makin cepat."
        for s in domain.sections_for(proposal)
    }


# A complete SPBE form (kipp-2025 asks for it) for an app-based innovation.
SPBE_APP = {
    "berbasis_elektronik": "ya",
    "nama_aplikasi": "SITARANG Mobile",
    "alamat_akses": "https://sitarang.payakumbuhkota.go.id",
    "platform": ["web", "android"],
    "pengelola": "instansi_sendiri",
    "hosting": "pusat_data_instansi",
    "integrasi": ["splp"],
    "data_pribadi": "ya",
    "pelindungan_data": "Akses berbasis peran, enkripsi basis data dan persetujuan pengguna.",
    "uji_keamanan": "ya",
    "tahun_uji_keamanan": 2021,
}


def full_extra_answers(proposal: Proposal) -> dict[str, dict]:
    """Complete answers to the extra forms the proposal's edition asks for."""
    codes = domain.edition_rules(proposal.edition).extra_forms
    return {"spbe": dict(SPBE_APP)} if "spbe" in codes else {}


def pdf(name: str = "berkas.pdf", tag: str = "") -> SimpleUploadedFile:
    """A small PDF whose bytes differ per name and tag (the same file twice is refused)."""
    body = f"%PDF-1.4\n% {name} {tag}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".encode()
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def save(proposal: Proposal, actor, **changes: Any) -> domain.Saved:
    """Save the proposal's content with some values changed."""
    values: dict[str, Any] = {
        "answers": dict(proposal.answers),
        "sdg_goals": list(proposal.sdg_goals) or [3],
        "category": proposal.category,
        "video_url": proposal.video_url or "https://video.contoh.go.id/inovasi",
        "video_minutes": proposal.video_minutes or Decimal("3"),
        "declaration": proposal.declaration,
        "version": proposal.version,
    }
    values.update(changes)
    return domain.save_answers(proposal, actor=actor, **values)


def attach_required(proposal: Proposal, actor) -> None:
    rules = domain.edition_rules(proposal.edition)
    for kind in rules.attachments.required_for(proposal.group):
        add_attachment(
            proposal, kind=kind, upload=pdf(f"{kind}.pdf", str(proposal.pk)), actor=actor
        )


def ready_draft(
    edition, innovation, operator, *, group: str = "umum", category: str = ""
) -> Proposal:
    """A complete draft: every section answered, SDGs, video, extra forms, required files."""
    category = category or (CATEGORY_2021 if edition.year == 2021 else CATEGORY_2025)
    proposal = domain.create_proposal(
        edition, innovation, group=group, category=category, actor=operator
    )
    save(
        proposal,
        operator,
        answers=full_answers(proposal),
        extra_answers=full_extra_answers(proposal),
    )
    attach_required(proposal, operator)
    return proposal


def at_institution(edition, innovation, operator, **kwargs: Any) -> Proposal:
    proposal = ready_draft(edition, innovation, operator, **kwargs)
    domain.send_to_institution(proposal, actor=operator)
    return proposal


def submitted(edition, innovation, operator, admin, **kwargs: Any) -> Proposal:
    proposal = at_institution(edition, innovation, operator, **kwargs)
    domain.submit_proposal(proposal, declaration=True, actor=admin)
    return proposal


def regency_x():
    """Kabupaten X with one unit, its operator and its Admin Lokal (acceptance A3)."""
    RegionFactory(code="33", name="Jawa Tengah", level=RegionLevel.PROVINCE, province_code="33")
    region = RegionFactory(code="33.01", name="Kabupaten Cilacap", level=RegionLevel.REGENCY)
    institution = InstitutionFactory(
        kind=InstitutionKind.REGENCY, name="Pemerintah Kabupaten X", region=region
    )
    unit = ServiceUnitFactory(institution=institution, name="Dinas Kesehatan Kabupaten X")
    operator = person_with_role(Role.UNIT_OPERATOR, unit=unit)
    admin = person_with_role(Role.INSTITUTION_ADMIN, institution=institution)
    return institution, unit, operator, admin


def innovation_for(unit, name: str = "", started: dt.date | None = None):
    kwargs: dict[str, Any] = {"unit": unit}
    if name:
        kwargs["name"] = name
    if started is not None:
        kwargs["started_on"] = started
    return InnovationFactory(**kwargs)


def now() -> dt.datetime:
    return timezone.now()
