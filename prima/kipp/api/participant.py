"""KIPP API: participant proposals, mounted at /api/v1/kipp/proposals.

The same scoped querysets (:mod:`prima.kipp.queries`) and domain functions as the pages:
a token sees, counts and changes exactly what its person can on the web. Participants see
the participant state only (announced results appear after their announcement).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from prima.core.access import access_for
from prima.core.api_auth import token_person
from prima.core.models import Person
from prima.evaluation.models import Edition
from prima.innovations.models import Innovation
from prima.kipp.domain import attachments as attachment_domain
from prima.kipp.domain import extra_forms
from prima.kipp.domain import proposals as domain
from prima.kipp.domain.wordcount import count_words
from prima.kipp.enums import AttachmentKind, ProposalState
from prima.kipp.models import Proposal, ProposalAttachment
from prima.kipp.queries import proposals_visible_to

router = Router(tags=["KIPP"])


class ErrorOut(Schema):
    detail: str


class Ref(Schema):
    id: int
    name: str


class AttachmentOut(Schema):
    id: int
    kind: str = Field(description=", ".join(AttachmentKind.values))
    kind_label: str
    original_name: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    download_url: str = Field(description="halaman unduh yang memeriksa hak akses (sesi peramban)")


class AttachmentList(Schema):
    count: int
    items: list[AttachmentOut]


class HistoryOut(Schema):
    from_state: str
    to_state: str
    reason: str
    at: dt.datetime


class ProposalOut(Schema):
    id: int
    edition: str = Field(description="kode penyelenggaraan, mis. kipp-2025")
    innovation: Ref
    title: str
    institution: Ref
    unit: Ref
    group: str
    category: str
    state: str = Field(
        description="status yang boleh Anda lihat: bagi peserta hasil seleksi baru tampak "
        "setelah diumumkan"
    )
    state_label: str
    sdg_goals: list[int]
    video_url: str
    video_minutes: Decimal | None
    declaration: bool
    submitted_at: dt.datetime | None
    snapshot_hash: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class OptionOut(Schema):
    code: str
    label: str


class ConditionOut(Schema):
    question: str
    values: list[str] = Field(description="ditanyakan bila jawaban pertanyaan itu salah satunya")


class QuestionOut(Schema):
    code: str
    label: str
    kind: str = Field(description=", ".join(extra_forms.KINDS))
    options: list[OptionOut]
    required: bool = Field(description="wajib dijawab bila ditanyakan (lihat `when`)")
    when: ConditionOut | None
    max_chars: int | None
    help: str


class ExtraFormOut(Schema):
    code: str = Field(description="kode formulir, mis. spbe")
    label: str
    title: str
    questions: list[QuestionOut]
    missing: list[str] = Field(description="kode pertanyaan wajib yang belum dijawab")


class ProposalDetailOut(ProposalOut):
    answers: dict[str, str]
    extra_answers: dict[str, dict[str, Any]] = Field(
        description="kode formulir tambahan (mis. spbe) → kode pertanyaan → jawaban"
    )
    extra_forms: list[ExtraFormOut] = Field(
        description="formulir tambahan yang diminta penyelenggaraan ini"
    )
    word_counts: dict[str, int]
    word_limits: dict[str, int]
    actions: list[str] = Field(description="tindakan yang dapat Anda lakukan sekarang")
    history: list[HistoryOut]


class SavedOut(ProposalDetailOut):
    warnings: list[str] = Field(description="peringatan, mis. jawaban melebihi batas kata")


class ProposalList(Schema):
    count: int
    items: list[ProposalOut]


class FiltersIn(Schema):
    edition: str = Field("", description="kode penyelenggaraan")
    state: str = Field("", description="kode status (bagi peserta: status yang tampak)")
    group: str = ""
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class ProposalIn(Schema):
    edition: str = Field(description="kode penyelenggaraan")
    innovation: int = Field(description="ID inovasi di registri")
    group: str
    category: str


class AnswersIn(Schema):
    version: int = Field(description="versi yang Anda baca; 409 jika sudah berubah")
    answers: dict[str, str] = Field(description="kode bagian → jawaban; bagian lain dikosongkan")
    sdg_goals: list[int] = Field(default_factory=list)
    category: str
    video_url: str = ""
    video_minutes: Decimal | None = None
    declaration: bool = False
    extra_answers: dict[str, dict[str, Any]] | None = Field(
        None,
        description="kode formulir → kode pertanyaan → jawaban (ya/tidak dan pilihan: kode "
        "pilihan; beberapa pilihan: daftar kode; tahun: angka); menggantikan semua jawaban "
        "formulir tambahan; tanpa kolom ini jawaban tersimpan tidak berubah",
    )


class TransitionIn(Schema):
    action: Literal[
        "send",
        "return",
        "submit",
        "recall",
        "withdraw",
        "approve_withdrawal",
        "reject_withdrawal",
    ]
    note: str = Field("", description="catatan pengembalian/penolakan atau alasan penarikan")
    declaration: bool = Field(False, description="pernyataan kebenaran data (untuk submit)")


def _scoped(person: Person) -> QuerySet[Proposal]:
    """Participants and national readers; assessors have no participant proposals here."""
    access = access_for(person)
    if not (access.reads_nationally or access.institutions or access.units):
        return Proposal.objects.none()
    return proposals_visible_to(person).select_related("innovation")


def _fetch(request: HttpRequest, proposal_id: int) -> Proposal:
    proposal = _scoped(token_person(request)).filter(pk=proposal_id).first()
    if proposal is None:
        raise HttpError(404, _("Proposal tidak ditemukan."))
    return proposal


def _state(person: Person, proposal: Proposal) -> tuple[str, str]:
    if access_for(person).reads_nationally:
        return proposal.state, str(ProposalState(proposal.state).label)
    return proposal.participant_state, domain.participant_label(proposal.participant_state)


def _out(person: Person, proposal: Proposal) -> dict[str, Any]:
    state, label = _state(person, proposal)
    return {
        "id": proposal.pk,
        "edition": proposal.edition.code,
        "innovation": {"id": proposal.innovation_id, "name": proposal.innovation.name},
        "title": proposal.title,
        "institution": {"id": proposal.institution_id, "name": proposal.institution.name},
        "unit": {"id": proposal.unit_id, "name": proposal.unit.name},
        "group": proposal.group,
        "category": proposal.category,
        "state": state,
        "state_label": label,
        "sdg_goals": proposal.sdg_goals,
        "video_url": proposal.video_url,
        "video_minutes": proposal.video_minutes,
        "declaration": proposal.declaration,
        "submitted_at": timezone.localtime(proposal.submitted_at)
        if proposal.submitted_at
        else None,
        "snapshot_hash": proposal.snapshot_hash,
        "version": proposal.version,
        "created_at": timezone.localtime(proposal.created_at),
        "updated_at": timezone.localtime(proposal.updated_at),
    }


def _history(person: Person, proposal: Proposal) -> list[dict[str, Any]]:
    national = access_for(person).reads_nationally
    transitions = list(proposal.transitions.all())
    if not national and proposal.state != proposal.participant_state:
        shown = [i for i, t in enumerate(transitions) if t.to_state == proposal.participant_state]
        transitions = transitions[: shown[-1] + 1] if shown else []
    return [
        {
            "from_state": t.from_state,
            "to_state": t.to_state,
            "reason": t.reason,
            "at": timezone.localtime(t.created_at),
        }
        for t in transitions
    ]


def _form_out(form: extra_forms.ExtraForm, answers: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": form.code,
        "label": str(form.label),
        "title": str(form.title),
        "questions": [
            {
                "code": q.code,
                "label": str(q.label),
                "kind": q.kind,
                "options": [{"code": o.code, "label": str(o.label)} for o in q.options],
                "required": q.required,
                "when": {"question": q.when.question, "values": list(q.when.values)}
                if q.when
                else None,
                "max_chars": q.max_chars,
                "help": str(q.help),
            }
            for q in form.questions
        ],
        "missing": [q.code for q in extra_forms.missing_questions(form, answers)],
    }


def _detail(person: Person, proposal: Proposal) -> dict[str, Any]:
    sections = domain.sections_for(proposal)
    forms = domain.extra_forms_of(proposal)
    extra = proposal.extra_answers or {}
    return {
        **_out(person, proposal),
        "answers": {s.code: str(proposal.answers.get(s.code) or "") for s in sections},
        "extra_answers": {f.code: dict(extra.get(f.code) or {}) for f in forms},
        "extra_forms": [_form_out(f, extra.get(f.code) or {}) for f in forms],
        "word_counts": {s.code: count_words(proposal.answers.get(s.code)) for s in sections},
        "word_limits": {s.code: s.max_words for s in sections},
        "actions": sorted(domain.available_actions(person, proposal)),
        "history": _history(person, proposal),
    }


def _attachment_out(request: HttpRequest, attachment: ProposalAttachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "kind": attachment.kind,
        "kind_label": str(attachment.get_kind_display()),
        "original_name": attachment.original_name,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "uploaded_at": timezone.localtime(attachment.uploaded_at),
        "download_url": request.build_absolute_uri(
            reverse(
                "kipp_proposal_attachment_download", args=[attachment.proposal_id, attachment.pk]
            )
        ),
    }


@router.get(
    "/proposals",
    response={200: ProposalList},
    summary="Daftar proposal KIPP (peserta)",
)
def list_proposals(request: HttpRequest, params: Query[FiltersIn]) -> dict[str, Any]:
    """The proposals the token's person works on (or, for national readers, all)."""
    person = token_person(request)
    qs = _scoped(person)
    if params.edition:
        qs = qs.filter(edition__code=params.edition)
    if params.state:
        field = "state" if access_for(person).reads_nationally else "participant_state"
        qs = qs.filter(**{field: params.state})
    if params.group:
        qs = qs.filter(group=params.group)
    qs = qs.order_by("-created_at", "-id")
    rows = qs[params.offset : params.offset + params.limit]
    return {"count": qs.count(), "items": [_out(person, p) for p in rows]}


@router.post(
    "/proposals",
    response={201: ProposalDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Buat proposal KIPP (draf)",
)
def create_proposal(request: HttpRequest, payload: ProposalIn) -> tuple[int, dict[str, Any]]:
    person = token_person(request)
    edition = Edition.objects.filter(programme="kipp", code=payload.edition).first()
    if edition is None:
        raise HttpError(404, _("Penyelenggaraan «%s» tidak ditemukan.") % payload.edition)
    innovation = domain.innovations_for_proposal(person).filter(pk=payload.innovation).first()
    if innovation is None:
        if Innovation.objects.filter(pk=payload.innovation).exists():
            raise HttpError(403, _("Anda tidak berwenang mengusulkan inovasi ini."))
        raise HttpError(404, _("Inovasi tidak ditemukan."))
    proposal = domain.create_proposal(
        edition, innovation, group=payload.group, category=payload.category, actor=person
    )
    return 201, _detail(person, _fetch(request, proposal.pk))


@router.get(
    "/proposals/{proposal_id}",
    response={200: ProposalDetailOut, 404: ErrorOut},
    summary="Satu proposal KIPP",
)
def get_proposal(request: HttpRequest, proposal_id: int) -> dict[str, Any]:
    return _detail(token_person(request), _fetch(request, proposal_id))


@router.put(
    "/proposals/{proposal_id}/answers",
    response={200: SavedOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Simpan isian proposal",
)
def put_answers(request: HttpRequest, proposal_id: int, payload: AnswersIn) -> dict[str, Any]:
    """Replace the content; over-limit answers are saved and listed in `warnings`.
    `extra_answers`, when given, replaces the answers of the extra forms (e.g. SPBE)."""
    person = token_person(request)
    proposal = _fetch(request, proposal_id)
    saved = domain.save_answers(
        proposal,
        answers=payload.answers,
        sdg_goals=payload.sdg_goals,
        category=payload.category,
        video_url=payload.video_url,
        video_minutes=payload.video_minutes,
        declaration=payload.declaration,
        version=payload.version,
        actor=person,
        extra_answers=payload.extra_answers,
    )
    return {**_detail(person, _fetch(request, proposal_id)), "warnings": list(saved.warnings)}


@router.post(
    "/proposals/{proposal_id}/transition",
    response={200: ProposalDetailOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Pindahkan status proposal",
)
def transition(request: HttpRequest, proposal_id: int, payload: TransitionIn) -> dict[str, Any]:
    """send (UPP → Admin Lokal), return (with `note`), submit (with `declaration`), recall,
    withdraw (with `note` as the reason), approve_withdrawal / reject_withdrawal
    (secretariat). A refused guard answers 422 with every reason."""
    person = token_person(request)
    proposal = _fetch(request, proposal_id)
    ip_hash = domain.keyed_ip_hash(str(request.META.get("REMOTE_ADDR", "")))
    note = payload.note
    match payload.action:
        case "send":
            domain.send_to_institution(proposal, actor=person, ip_hash=ip_hash)
        case "return":
            domain.return_to_unit(proposal, note=note, actor=person, ip_hash=ip_hash)
        case "submit":
            domain.submit_proposal(
                proposal, declaration=payload.declaration, actor=person, ip_hash=ip_hash
            )
        case "recall":
            domain.recall_proposal(proposal, reason=note, actor=person, ip_hash=ip_hash)
        case "withdraw":
            domain.withdraw_proposal(proposal, reason=note, actor=person, ip_hash=ip_hash)
        case "approve_withdrawal":
            domain.approve_withdrawal(proposal, note=note, actor=person, ip_hash=ip_hash)
        case "reject_withdrawal":
            domain.reject_withdrawal(proposal, note=note, actor=person)
    return _detail(person, _fetch(request, proposal_id))


@router.get(
    "/proposals/{proposal_id}/attachments",
    response={200: AttachmentList, 404: ErrorOut},
    summary="Lampiran proposal",
)
def list_attachments(request: HttpRequest, proposal_id: int) -> dict[str, Any]:
    proposal = _fetch(request, proposal_id)
    rows = list(proposal.attachments.all())
    return {"count": len(rows), "items": [_attachment_out(request, a) for a in rows]}


@router.post(
    "/proposals/{proposal_id}/attachments",
    response={201: AttachmentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Unggah lampiran proposal",
)
def upload_attachment(
    request: HttpRequest,
    proposal_id: int,
    file: File[UploadedFile],
    kind: Form[str],
) -> tuple[int, dict[str, Any]]:
    """Multipart upload; the type is read from the content, limits come from the edition."""
    proposal = _fetch(request, proposal_id)
    attachment = attachment_domain.add_attachment(
        proposal, kind=kind, upload=file, actor=token_person(request)
    )
    return 201, _attachment_out(request, attachment)


@router.delete(
    "/proposals/{proposal_id}/attachments/{attachment_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut},
    summary="Hapus lampiran proposal",
)
def delete_attachment(
    request: HttpRequest, proposal_id: int, attachment_id: int
) -> tuple[int, None]:
    proposal = _fetch(request, proposal_id)
    attachment = proposal.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise HttpError(404, _("Lampiran tidak ditemukan."))
    attachment.proposal = proposal
    attachment_domain.remove_attachment(attachment, actor=token_person(request))
    return 204, None
