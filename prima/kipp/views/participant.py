"""Participant pages of KIPP: "Proposal saya", writing, attachments and the transitions.

Unit operators (UPP) and Admin Lokal work here; national readers see the same pages
read-only (the secretariat also decides withdrawal requests). Every queryset starts from
:mod:`prima.kipp.queries`; every change goes through :mod:`prima.kipp.domain.proposals`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from prima.core.access import access_for
from prima.core.domain.errors import DomainError, StaleVersion
from prima.core.domain.errors import PermissionDenied as DomainPermissionDenied
from prima.core.interfaces.listing import paginate
from prima.core.models import Institution, Person
from prima.core.uploads import EXTENSIONS
from prima.core.views import signed_in_person
from prima.evaluation.enums import StageStatus
from prima.evaluation.models import Edition
from prima.kipp.domain import attachments as attachment_domain
from prima.kipp.domain import extra_forms
from prima.kipp.domain import proposals as domain
from prima.kipp.domain.eligibility import CheckResult
from prima.kipp.domain.invitations import invitations_for
from prima.kipp.domain.wordcount import count_words
from prima.kipp.enums import AttachmentKind, ProposalState
from prima.kipp.interfaces.proposal_forms import (
    AttachmentForm,
    NoteForm,
    OptionalReasonForm,
    ProposalCreateForm,
    ProposalFilterForm,
    ProposalForm,
    ReasonForm,
    SubmitForm,
)
from prima.kipp.models import Proposal, ProposalAttachment, ProposalTransition
from prima.kipp.queries import proposals_visible_to

CONTENT_TYPES = {ext: mime for mime, ext in EXTENSIONS.items()}


def _works_on_proposals(person: Person) -> bool:
    """Participants (institution or unit members) and national readers; not assessors."""
    access = access_for(person)
    return access.reads_nationally or bool(access.institutions or access.units)


def _ip_hash(request: HttpRequest) -> str:
    return domain.keyed_ip_hash(str(request.META.get("REMOTE_ADDR", "")))


def _proposal_for(request: HttpRequest, pk: int) -> Proposal:
    """The proposal if the person may see it here (404 otherwise, assessors included)."""
    person = signed_in_person(request)
    if not _works_on_proposals(person):
        raise Http404
    return get_object_or_404(
        proposals_visible_to(person).select_related("innovation", "institution__parent"), pk=pk
    )


def _add_error(
    form: forms.Form, error: DomainError, field_map: dict[str, str] | None = None
) -> None:
    field = error.field
    if field_map and field in field_map:
        field = field_map[field]
    if field not in form.fields or form.fields[field].widget.is_hidden:
        field = None
    form.add_error(field, error.message)


# --------------------------------------------------------------------------- the list


def _editions() -> list[Edition]:
    return list(Edition.objects.filter(programme="kipp").order_by("-year", "-id"))


def _chosen_edition(request: HttpRequest, editions: list[Edition]) -> Edition | None:
    code = request.GET.get("edition", "")
    for edition in editions:
        if edition.code == code:
            return edition
    open_ids = set(
        Edition.objects.filter(
            programme="kipp", stages__status=StageStatus.OPEN, stages__participants_submit=True
        ).values_list("pk", flat=True)
    )
    for edition in editions:
        if edition.pk in open_ids:
            return edition
    return editions[0] if editions else None


@dataclass(frozen=True)
class Row:
    proposal: Proposal
    label: str


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    """ "Proposal saya": the edition's proposals the person works on, with quota use."""
    person = signed_in_person(request)
    if not _works_on_proposals(person):
        raise PermissionDenied
    access = access_for(person)
    national = access.reads_nationally
    editions = _editions()
    edition = _chosen_edition(request, editions)
    rules = domain.edition_rules(edition) if edition is not None else None
    form = ProposalFilterForm(request.GET or None, rules=rules, national=national)
    qs: QuerySet[Proposal] = Proposal.objects.none()
    quota: list[domain.QuotaUse] = []
    if edition is not None:
        qs = proposals_visible_to(person).filter(edition=edition)
        if form.is_valid():
            state, group = form.cleaned_data["state"], form.cleaned_data["group"]
            if state:
                # Participants filter on what they may see, so hidden results never leak.
                qs = qs.filter(**{"state" if national else "participant_state": state})
            if group:
                qs = qs.filter(group=group)
        admin_ids = access.admin_institution_ids
        if admin_ids:
            institutions = list(
                Institution.objects.filter(
                    Q(pk__in=admin_ids) | Q(parent_id__in=admin_ids)
                ).order_by("name")
            )
            quota = domain.quota_usage(edition, institutions)
    page = paginate(request, qs.order_by("-created_at", "-id"))
    rows = [
        Row(
            p,
            str(ProposalState(p.state).label)
            if national
            else domain.participant_label(p.participant_state),
        )
        for p in page.object_list
    ]
    return render(
        request,
        "kipp/participant/list.html",
        {
            "editions": editions,
            "edition": edition,
            "form": form,
            "page": page,
            "rows": rows,
            "quota": quota,
            "can_create": edition is not None
            and domain.innovations_for_proposal(person).exists()
            and domain.registration_is_open(edition),
        },
    )


# --------------------------------------------------------------------------- creating


@login_required
def proposal_create(request: HttpRequest) -> HttpResponse:
    person = signed_in_person(request)
    access = access_for(person)
    # Operators and Admin Lokal only; with no innovation yet the page says how to add one.
    if not (access.operator_unit_ids or access.admin_institution_ids):
        raise PermissionDenied
    innovations = domain.innovations_for_proposal(person)
    editions = _editions()
    edition = _chosen_edition(request, editions)
    if edition is None:
        raise Http404
    rules = domain.edition_rules(edition)
    taken = Proposal.objects.filter(edition=edition).exclude(state=ProposalState.WITHDRAWN)
    available = innovations.exclude(pk__in=taken.values("innovation_id")).order_by("name")
    # Invitation-only groups (khusus) are offered only to those the secretariat invited.
    invited = list(invitations_for(person, edition))
    groups = [
        code
        for code, group in rules.groups.items()
        if not group.invitation_only or any(i.group == code for i in invited)
    ]
    form = ProposalCreateForm(
        request.POST or None, rules=rules, innovations=available, groups=groups
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            proposal = domain.create_proposal(
                edition, cd["innovation"], group=cd["group"], category=cd["category"], actor=person
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(
                request, _("Proposal «%s» telah dibuat sebagai draf.") % proposal.title
            )
            return redirect("kipp_proposal_edit", pk=proposal.pk)
    return render(
        request,
        "kipp/participant/create.html",
        {
            "form": form,
            "edition": edition,
            "open": domain.registration_is_open(edition),
            "close": domain.registration_close(edition),
            "has_choices": available.exists(),
            "invitations": [
                (
                    i.innovation.name,
                    rules.groups[i.group].label if i.group in rules.groups else i.group,
                )
                for i in invited
            ],
        },
    )


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class SectionView:
    code: str
    label: str
    max_words: int
    answer: str
    words: int

    @property
    def over(self) -> bool:
        return self.words > self.max_words


@dataclass(frozen=True)
class HistoryRow:
    transition: ProposalTransition
    from_label: str
    to_label: str


def _history(proposal: Proposal, national: bool) -> list[HistoryRow]:
    """The state history; participants do not see results before their announcement."""
    transitions = list(proposal.transitions.select_related("actor"))
    if not national and proposal.state != proposal.participant_state:
        shown = [i for i, t in enumerate(transitions) if t.to_state == proposal.participant_state]
        transitions = transitions[: shown[-1] + 1] if shown else []

    def label(state: str) -> str:
        if not state:
            return ""
        return str(ProposalState(state).label) if national else domain.participant_label(state)

    return [HistoryRow(t, label(t.from_state), label(t.to_state)) for t in transitions]


def _sections(proposal: Proposal) -> list[SectionView]:
    return [
        SectionView(
            s.code,
            s.label,
            s.max_words,
            str(proposal.answers.get(s.code) or ""),
            count_words(proposal.answers.get(s.code)),
        )
        for s in domain.sections_for(proposal)
    ]


def _extra(proposal: Proposal) -> list[tuple[extra_forms.ExtraForm, list[extra_forms.AnswerLine]]]:
    """The edition's extra forms (e.g. SPBE) with the proposal's answers, as read."""
    stored = proposal.extra_answers or {}
    return [
        (form, extra_forms.answer_lines(form, stored.get(form.code) or {}))
        for form in domain.extra_forms_of(proposal)
    ]


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_for(request, pk)
    person = signed_in_person(request)
    national = access_for(person).reads_nationally
    actions = domain.available_actions(person, proposal)
    issues: list[domain.Issue] = []
    if actions & {"send", "submit"}:
        issues = domain.readiness_issues(proposal)
    return render(
        request,
        "kipp/participant/detail.html",
        {
            "proposal": proposal,
            "rules": domain.edition_rules(proposal.edition),
            "state_label": str(ProposalState(proposal.state).label)
            if national
            else domain.participant_label(proposal.participant_state),
            "national": national,
            "sections": _sections(proposal),
            "extra": _extra(proposal),
            "attachments": list(proposal.attachments.select_related("uploaded_by")),
            "history": _history(proposal, national),
            "actions": actions,
            "issues": issues,
            "pending_withdrawal": domain.pending_withdrawal(proposal),
            "close": domain.registration_close(proposal.edition),
        },
    )


# --------------------------------------------------------------------------- writing


def _initial(proposal: Proposal) -> dict[str, Any]:
    initial: dict[str, Any] = {f"answer_{code}": text for code, text in proposal.answers.items()}
    initial.update(
        category=proposal.category,
        sdg_goals=proposal.sdg_goals,
        video_url=proposal.video_url,
        video_minutes=proposal.video_minutes,
        declaration=proposal.declaration,
        version=proposal.version,
    )
    return initial


@login_required
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_for(request, pk)
    person = signed_in_person(request)
    if "edit" not in domain.available_actions(person, proposal):
        raise PermissionDenied
    rules = domain.edition_rules(proposal.edition)
    sections = domain.sections_for(proposal)
    extra = domain.extra_forms_of(proposal)
    initial = {**_initial(proposal), **ProposalForm.initial_extra(extra, proposal.extra_answers)}
    form = ProposalForm(
        request.POST or None, rules=rules, sections=sections, extra=extra, initial=initial
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            saved = domain.save_answers(
                proposal,
                answers=form.answers(),
                sdg_goals=cd["sdg_goals"],
                category=cd["category"],
                video_url=cd["video_url"],
                video_minutes=cd["video_minutes"],
                declaration=cd["declaration"],
                version=cd["version"],
                actor=person,
                extra_answers=form.extra_answers(),
            )
        except StaleVersion as error:
            _add_error(form, error)
            status = 409
        except DomainPermissionDenied as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            field = ProposalForm.field_for(error.field, sections, extra)
            _add_error(form, error, {error.field: field} if error.field and field else None)
        else:
            for warning in saved.warnings:
                messages.warning(request, warning)
            if saved.changed:
                messages.success(request, _("Proposal tersimpan."))
            else:
                messages.info(request, _("Tidak ada perubahan."))
            return redirect("kipp_proposal_detail", pk=proposal.pk)
    return render(
        request,
        "kipp/participant/edit.html",
        {"form": form, "proposal": proposal, "stale": status == 409},
        status=status,
    )


# --------------------------------------------------------------------------- attachments


@login_required
def proposal_attachments(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_for(request, pk)
    person = signed_in_person(request)
    can_attach = "attach" in domain.available_actions(person, proposal)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_attach:
            raise PermissionDenied
        if form.is_valid():
            try:
                attachment = attachment_domain.add_attachment(
                    proposal,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    actor=person,
                )
            except DomainPermissionDenied as error:
                raise PermissionDenied(error.message) from error
            except DomainError as error:
                _add_error(form, error)
            else:
                messages.success(
                    request, _("Lampiran «%s» telah diunggah.") % attachment.original_name
                )
                return redirect("kipp_proposal_attachments", pk=proposal.pk)
    rules = domain.edition_rules(proposal.edition)
    allowed, max_bytes = attachment_domain.upload_limits(proposal)
    present = {a.kind for a in proposal.attachments.all()}
    required = [
        (
            kind,
            AttachmentKind(kind).label if kind in AttachmentKind.values else kind,
            kind in present,
        )
        for kind in rules.attachments.required_for(proposal.group)
    ]
    return render(
        request,
        "kipp/participant/attachments.html",
        {
            "proposal": proposal,
            "form": form,
            "can_attach": can_attach,
            "attachments": list(proposal.attachments.select_related("uploaded_by")),
            "required": required,
            "types": ", ".join(sorted({CONTENT_TYPES.get(t, t).upper() for t in allowed})),
            "max_bytes": max_bytes,
        },
    )


def _attachment_for(request: HttpRequest, pk: int, attachment_pk: int) -> ProposalAttachment:
    proposal = _proposal_for(request, pk)
    attachment = get_object_or_404(proposal.attachments.all(), pk=attachment_pk)
    attachment.proposal = proposal
    return attachment


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Serve a proposal file after the permission check; never through MEDIA_URL."""
    attachment = _attachment_for(request, pk, attachment_pk)
    suffix = PurePath(attachment.file.name or "").suffix.lstrip(".").lower()
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
        as_attachment=suffix not in CONTENT_TYPES,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    attachment = _attachment_for(request, pk, attachment_pk)
    person = signed_in_person(request)
    if "attach" not in domain.available_actions(person, attachment.proposal):
        raise PermissionDenied
    try:
        attachment_domain.remove_attachment(attachment, actor=person)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Lampiran «%s» telah dihapus.") % attachment.original_name)
    return redirect("kipp_proposal_attachments", pk=pk)


# --------------------------------------------------------------------------- transitions


@dataclass(frozen=True)
class Transition:
    title: Any
    button: Any
    done: Any
    form: type[forms.Form] | None
    run: Callable[[Proposal, dict[str, Any], Person, str], Any]
    danger: bool = False


TRANSITIONS: dict[str, Transition] = {
    "send": Transition(
        gettext_lazy("Kirim ke Admin Lokal"),
        gettext_lazy("Kirim"),
        gettext_lazy("Proposal telah dikirim ke Admin Lokal."),
        None,
        lambda p, cd, who, ip: domain.send_to_institution(p, actor=who, ip_hash=ip),
    ),
    "return": Transition(
        gettext_lazy("Kembalikan ke UPP"),
        gettext_lazy("Kembalikan"),
        gettext_lazy("Proposal telah dikembalikan ke unit dengan catatan Anda."),
        NoteForm,
        lambda p, cd, who, ip: domain.return_to_unit(p, note=cd["note"], actor=who, ip_hash=ip),
    ),
    "submit": Transition(
        gettext_lazy("Ajukan ke sekretariat"),
        gettext_lazy("Ajukan"),
        gettext_lazy("Proposal telah diajukan; isinya kini terkunci."),
        SubmitForm,
        lambda p, cd, who, ip: domain.submit_proposal(
            p, declaration=cd["declaration"], actor=who, ip_hash=ip
        ),
    ),
    "recall": Transition(
        gettext_lazy("Tarik kembali pengajuan"),
        gettext_lazy("Tarik kembali"),
        gettext_lazy("Pengajuan telah ditarik kembali; kuota kelompok ini bertambah satu."),
        OptionalReasonForm,
        lambda p, cd, who, ip: domain.recall_proposal(
            p, reason=cd["reason"], actor=who, ip_hash=ip
        ),
    ),
    "withdraw": Transition(
        gettext_lazy("Tarik proposal dari kompetisi"),
        gettext_lazy("Tarik proposal"),
        gettext_lazy("Penarikan tercatat."),
        ReasonForm,
        lambda p, cd, who, ip: domain.withdraw_proposal(
            p, reason=cd["reason"], actor=who, ip_hash=ip
        ),
        danger=True,
    ),
    "approve_withdrawal": Transition(
        gettext_lazy("Setujui penarikan proposal"),
        gettext_lazy("Setujui penarikan"),
        gettext_lazy("Penarikan disetujui; proposal berstatus ditarik."),
        OptionalReasonForm,
        lambda p, cd, who, ip: domain.approve_withdrawal(
            p, note=cd["reason"], actor=who, ip_hash=ip
        ),
        danger=True,
    ),
    "reject_withdrawal": Transition(
        gettext_lazy("Tolak permohonan penarikan"),
        gettext_lazy("Tolak"),
        gettext_lazy("Permohonan penarikan ditolak; proposal tetap dalam kompetisi."),
        NoteForm,
        lambda p, cd, who, ip: domain.reject_withdrawal(p, note=cd["note"], actor=who),
    ),
}


def _transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    proposal = _proposal_for(request, pk)
    person = signed_in_person(request)
    spec = TRANSITIONS[action]
    if action not in domain.available_actions(person, proposal):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = spec.form(data) if spec.form is not None else None
    if action == "submit":
        form = SubmitForm(data, initial={"declaration": proposal.declaration})
    error: str | None = None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            spec.run(proposal, form.cleaned_data if form else {}, person, _ip_hash(request))
        except DomainPermissionDenied as refusal:
            raise PermissionDenied(refusal.message) from refusal
        except DomainError as refusal:
            if form is not None and refusal.field in form.fields:
                form.add_error(refusal.field, refusal.message)
            else:
                error = refusal.message
        else:
            if action == "withdraw" and proposal.state != ProposalState.WITHDRAWN:
                messages.success(
                    request, _("Permohonan penarikan dikirim ke sekretariat untuk disetujui.")
                )
            else:
                messages.success(request, str(spec.done))
            return redirect("kipp_proposal_detail", pk=proposal.pk)
    issues: list[domain.Issue] = []
    checks: list[CheckResult] = []
    if action in ("send", "submit"):
        issues = domain.readiness_issues(proposal)
    if action == "submit":
        checks = domain.eligibility_results(proposal)
    return render(
        request,
        "kipp/participant/confirm.html",
        {
            "proposal": proposal,
            "spec": spec,
            "action": action,
            "form": form,
            "error": error,
            "issues": issues,
            "checks": checks,
        },
        status=422 if error else 200,
    )


def _transition_view(action: str) -> Callable[[HttpRequest, int], HttpResponse]:
    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _transition(request, pk, action)

    view.__name__ = f"proposal_{action}"
    view.__doc__ = f"Confirm and perform the '{action}' transition."
    return view


proposal_send = _transition_view("send")
proposal_return = _transition_view("return")
proposal_submit = _transition_view("submit")
proposal_recall = _transition_view("recall")
proposal_withdraw = _transition_view("withdraw")
proposal_withdrawal_approve = _transition_view("approve_withdrawal")
proposal_withdrawal_reject = _transition_view("reject_withdrawal")
