"""Administrative check pages (kipp.md §8 #6, §9): queue, proposal check, decisions, export.

The secretariat works here; national readers (analysts, auditors) see the same pages
read-only. Participants and assessors never see the check: results reach participants only
through the ``admin_result`` announcement.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from prima.core.domain.errors import DomainError
from prima.core.interfaces.export import table_response
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.interfaces.listing import apply_sort, paginate
from prima.core.models import Region
from prima.core.views import signed_in_person
from prima.evaluation.domain.catalogue import instrument_of
from prima.evaluation.models import Edition
from prima.kipp.domain import admin_check as domain
from prima.kipp.domain import extra_forms
from prima.kipp.domain.editions import rules_for
from prima.kipp.domain.wordcount import count_words
from prima.kipp.enums import AdminReason, ProposalState
from prima.kipp.jobs import start_admin_check_job, start_similarity_job
from prima.kipp.models import AdminCheck, Proposal
from prima.kipp.queries import proposals_visible_to

STATUS_LABELS = {
    domain.STATUS_FAILED: gettext_lazy("Ada yang gagal"),
    domain.STATUS_WARNING: gettext_lazy("Ada peringatan"),
    domain.STATUS_PASSED: gettext_lazy("Semua terpenuhi"),
    domain.STATUS_PENDING: gettext_lazy("Belum diperiksa"),
}
DECISION_LABELS = {
    "undecided": gettext_lazy("Belum diputuskan"),
    "passed": gettext_lazy("Lolos"),
    "failed": gettext_lazy("Tidak lolos"),
}
SORT_COLUMNS = {
    "submitted": ("submitted_at",),
    "title": ("title",),
    "institution": ("institution__name",),
}


# --------------------------------------------------------------------------- access


def _edition_for(request: HttpRequest, code: str, *, decide: bool = False) -> Edition:
    edition = get_object_or_404(Edition, code=code, programme="kipp")
    allowed = (
        domain.may_decide(request.user) if decide else domain.may_read_admin_checks(request.user)
    )
    if not allowed:
        raise PermissionDenied
    return edition


def _proposal_for(request: HttpRequest, edition: Edition, pk: int) -> Proposal:
    return get_object_or_404(
        proposals_visible_to(request.user, edition)
        .filter(state__in=domain.CHECKED_STATES)
        .select_related("innovation", "institution__region"),
        pk=pk,
    )


# --------------------------------------------------------------------------- forms


class QueueFilterForm(forms.Form):
    automatic = forms.ChoiceField(label=gettext_lazy("Hasil otomatis"), required=False)
    decision = forms.ChoiceField(label=gettext_lazy("Keputusan"), required=False)
    group = forms.ChoiceField(label=gettext_lazy("Kelompok"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("Kategori"), required=False)
    province = forms.ChoiceField(label=gettext_lazy("Provinsi"), required=False)
    q = forms.CharField(label=gettext_lazy("Cari judul/instansi"), required=False, max_length=100)

    def __init__(self, data: Any = None, *args: Any, edition: Edition, **kwargs: Any) -> None:
        if data is not None and data.get("automatic") in domain.STATUS_ALIASES:
            data = data.copy()  # an old link (?automatic=clean) still filters
            data["automatic"] = domain.STATUS_ALIASES[data["automatic"]]
        super().__init__(data, *args, **kwargs)
        rules = rules_for(edition)
        every = [("", _("Semua"))]
        provinces = Region.objects.filter(level="province").order_by("code")
        choices = {
            "automatic": [(k, str(v)) for k, v in STATUS_LABELS.items()],
            "decision": [(k, str(v)) for k, v in DECISION_LABELS.items()],
            "group": [(c, g.label) for c, g in rules.groups.items()],
            "category": [(c.code, c.label) for c in rules.categories],
            "province": [(r.code, r.name) for r in provinces],
        }
        for name, options in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = every + options
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css

    def filters(self) -> domain.QueueFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return domain.QueueFilters(**{name: data.get(name) or "" for name in self.fields})


class DecisionForm(StyledFormMixin, forms.Form):
    result = forms.ChoiceField(
        label=gettext_lazy("Keputusan"),
        choices=[("pass", gettext_lazy("Lolos")), ("fail", gettext_lazy("Tidak lolos"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.MultipleChoiceField(
        label=gettext_lazy("Alasan tidak lolos"),
        choices=AdminReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=gettext_lazy("Catatan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Wajib bila alasan «Lainnya» dipilih."),
    )


class OverrideForm(forms.Form):
    rule = forms.CharField(max_length=60)
    note = forms.CharField(max_length=1000)


class PassCleanForm(forms.Form):
    confirm = forms.BooleanField()
    note = forms.CharField(required=False, max_length=500)


# --------------------------------------------------------------------------- queue


def _row(proposal: Proposal) -> dict[str, Any]:
    check: AdminCheck | None = getattr(proposal, "admin_check", None)
    rows = domain.check_rows(check)
    top = check.similar[0] if check and check.similar else None
    status = domain.status_of(check)
    return {
        "proposal": proposal,
        "status": status,
        "status_label": STATUS_LABELS[status],
        "failed": [r.code or r.rule for r in rows if r.failed],
        "warnings": [r.code or r.rule for r in rows if r.open_warning],
        "top": round(float(top["similarity"]) * 100) if top else None,
        "check": check,
    }


def _queue(request: HttpRequest, edition: Edition) -> tuple[QueueFilterForm, Any]:
    form = QueueFilterForm(request.GET or None, edition=edition)
    proposals = domain.filter_queue(
        proposals_visible_to(request.user, edition), edition, form.filters()
    ).select_related("admin_check", "institution__region")
    return form, proposals


@login_required
def kipp_admin_check_queue(request: HttpRequest, code: str) -> HttpResponse:
    edition = _edition_for(request, code)
    form, proposals = _queue(request, edition)
    proposals, sort = apply_sort(request, proposals, SORT_COLUMNS, "submitted")
    page = paginate(request, proposals)
    counts = domain.status_counts(edition)
    decided = dict.fromkeys(DECISION_LABELS, 0)
    by_state = {str(state): key for key, state in domain.DECISIONS.items()}
    for state in Proposal.objects.filter(
        edition=edition, state__in=domain.CHECKED_STATES
    ).values_list("state", flat=True):
        decided[by_state[state]] += 1
    return render(
        request,
        "kipp/admin_check/queue.html",
        {
            "edition": edition,
            "form": form,
            "page": page,
            "rows": [_row(proposal) for proposal in page.object_list],
            "sort": sort,
            "counts": [(label, counts[key], key) for key, label in STATUS_LABELS.items()],
            "decided": [(DECISION_LABELS[k], v, k) for k, v in decided.items()],
            "can_decide": domain.may_decide(request.user),
            "decisions_open": domain.decisions_open(edition),
            "similarity_at": domain.similarity_computed_at(edition),
            "copy_threshold": round(domain.copy_threshold() * 100),
        },
    )


@login_required
def kipp_admin_check_export(request: HttpRequest, code: str) -> HttpResponse:
    edition = _edition_for(request, code)
    _form, proposals = _queue(request, edition)
    proposals = proposals.select_related("admin_check__decided_by").order_by("submitted_at", "pk")
    # One column per question of the edition's extra forms (e.g. «SPBE: Platform»).
    extra = [
        (form, question)
        for form in extra_forms.forms_for(rules_for(edition).extra_forms)
        for question in form.questions
    ]
    header = [
        _("ID"),
        _("Judul inovasi"),
        _("Instansi"),
        _("Jenis instansi"),
        _("Provinsi"),
        _("Unit"),
        _("Kelompok"),
        _("Kategori"),
        _("Diajukan"),
        _("Hasil otomatis"),
        _("Pemeriksaan gagal"),
        _("Peringatan"),
        _("Keputusan"),
        _("Alasan"),
        _("Catatan"),
        _("Diputuskan oleh"),
        _("Diputuskan pada"),
        _("Kemiripan tertinggi (%)"),
        _("Proposal paling mirip (ID)"),
        *(f"{form.label}: {question.label}" for form, question in extra),
    ]
    rows = []
    for proposal in proposals:
        row = _row(proposal)
        check = row["check"]
        decision = {
            ProposalState.ADMIN_PASSED: _("Lolos"),
            ProposalState.ADMIN_FAILED: _("Tidak lolos"),
        }.get(proposal.state, _("Belum diputuskan"))
        rows.append(
            [
                proposal.pk,
                proposal.title,
                proposal.institution.name,
                proposal.institution.get_kind_display(),
                proposal.institution.province_code,
                proposal.unit.name,
                proposal.group,
                proposal.category,
                timezone.localtime(proposal.submitted_at).strftime("%Y-%m-%d %H:%M")
                if proposal.submitted_at
                else "",
                str(STATUS_LABELS[row["status"]]),
                ", ".join(row["failed"]),
                ", ".join(row["warnings"]),
                decision,
                ", ".join(check.reasons) if check else "",
                check.note if check else "",
                str(check.decided_by) if check and check.decided_by else "",
                timezone.localtime(check.decided_at).strftime("%Y-%m-%d %H:%M")
                if check and check.decided_at
                else "",
                row["top"] if row["top"] is not None else "",
                check.similar[0]["proposal"] if check and check.similar else "",
                *_extra_cells(extra, domain.snapshot_of(proposal)),
            ]
        )
    return table_response(
        request.GET.get("format", "xlsx"), f"{edition.code}-seleksi-administrasi", header, rows
    )


def _extra_answers(snapshot: dict[str, Any]) -> dict[str, Any]:
    stored = snapshot.get("extra_answers")
    return stored if isinstance(stored, dict) else {}


def _extra_cells(
    columns: list[tuple[extra_forms.ExtraForm, extra_forms.Question]], snapshot: dict[str, Any]
) -> list[Any]:
    """The frozen extra-form answers in words, one cell per question (years as numbers)."""
    answers = _extra_answers(snapshot)
    cells: list[Any] = []
    for form, question in columns:
        value = (answers.get(form.code) or {}).get(question.code)
        cells.append(value if isinstance(value, int) else extra_forms.answer_text(question, value))
    return cells


# --------------------------------------------------------------------------- one proposal


def _sections(edition: Edition, snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    answers = snapshot.get("answers") or {}
    try:
        sections = instrument_of(edition.instrument).visible_sections(str(snapshot.get("group")))
    except KeyError:
        return [
            {"label": code, "text": text, "words": count_words(str(text)), "limit": None}
            for code, text in answers.items()
        ]
    return [
        {
            "label": section.label,
            "text": answers.get(section.code, ""),
            "words": count_words(str(answers.get(section.code, ""))),
            "limit": section.max_words,
        }
        for section in sections
    ]


def _next_undecided(edition: Edition, after: int) -> Proposal | None:
    undecided = Proposal.objects.filter(edition=edition, state=ProposalState.SUBMITTED).order_by(
        "pk"
    )
    return undecided.filter(pk__gt=after).first() or undecided.exclude(pk=after).first()


def _render_detail(
    request: HttpRequest,
    edition: Edition,
    proposal: Proposal,
    decision_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    check = AdminCheck.objects.select_related("decided_by").filter(proposal=proposal).first()
    rows = domain.check_rows(check)
    if decision_form is None:
        # Failed checks and open warnings (a possible copy: careless_content) suggest reasons.
        suggested = list(
            dict.fromkeys(
                r.code
                for r in rows
                if (r.failed or r.open_warning) and r.code in AdminReason.values
            )
        )
        initial: dict[str, Any] = {
            "reasons": check.reasons if check and check.reasons else suggested
        }
        if check and check.passed is not None:
            initial["result"] = "pass" if check.passed else "fail"
            initial["note"] = check.note
        decision_form = DecisionForm(initial=initial)
    snapshot = domain.snapshot_of(proposal)
    similar = domain.similar_proposals(check)
    can_decide = domain.may_decide(request.user)
    return render(
        request,
        "kipp/admin_check/detail.html",
        {
            "edition": edition,
            "proposal": proposal,
            "check": check,
            "rows": rows,
            "status": domain.status_of(check),
            "status_label": STATUS_LABELS[domain.status_of(check)],
            "snapshot": snapshot,
            "sections": _sections(edition, snapshot),
            "extra": [
                (
                    form,
                    extra_forms.answer_lines(form, _extra_answers(snapshot).get(form.code) or {}),
                )
                for form in extra_forms.forms_for(rules_for(edition).extra_forms)
            ],
            "attachments": snapshot.get("attachments") or [],
            "similar": similar,
            "copy_threshold": round(domain.copy_threshold() * 100),
            "form": decision_form,
            "can_decide": can_decide and domain.decisions_open(edition),
            "can_decide_role": can_decide,
            "announced": proposal.participant_state in domain.DECIDED_STATES,
        },
        status=status,
    )


@login_required
def kipp_admin_check_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    edition = _edition_for(request, code)
    return _render_detail(request, edition, _proposal_for(request, edition, pk))


@login_required
@require_POST
def kipp_admin_check_decide(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    edition = _edition_for(request, code, decide=True)
    proposal = _proposal_for(request, edition, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            domain.decide_admin_check(
                proposal,
                passed=data["result"] == "pass",
                reasons=data["reasons"] if data["result"] == "fail" else [],
                note=data["note"],
                actor=signed_in_person(request),
            )
        except DomainError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
        else:
            label = _("lolos") if data["result"] == "pass" else _("tidak lolos")
            messages.success(
                request,
                _("«%(title)s» dicatat %(result)s (belum terlihat peserta sampai diumumkan).")
                % {"title": proposal.title, "result": label},
            )
            upcoming = _next_undecided(edition, proposal.pk)
            if upcoming is not None:
                return redirect("kipp_admin_check_detail", code=edition.code, pk=upcoming.pk)
            return redirect("kipp_admin_check_queue", code=edition.code)
    return _render_detail(request, edition, proposal, form, status=422)


@login_required
@require_POST
def kipp_admin_check_override(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    edition = _edition_for(request, code, decide=True)
    proposal = _proposal_for(request, edition, pk)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan catatan penyimpangan."))
    else:
        try:
            domain.override_check(
                proposal,
                form.cleaned_data["rule"],
                form.cleaned_data["note"],
                actor=signed_in_person(request),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Hasil pemeriksaan disimpangi dengan catatan."))
    return redirect(
        reverse("kipp_admin_check_detail", args=[edition.code, proposal.pk]) + "#otomatis"
    )


# --------------------------------------------------------------------------- bulk actions


@login_required
@require_POST
def kipp_admin_check_start(request: HttpRequest, code: str) -> HttpResponse:
    """Run the automatic checks of every proposal as a job; its page shows the counts."""
    edition = _edition_for(request, code, decide=True)
    try:
        job = start_admin_check_job(edition, actor=signed_in_person(request))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("kipp_admin_check_queue", code=edition.code)
    return redirect("job_detail", pk=job.pk)


@login_required
@require_POST
def kipp_admin_check_pass_clean(request: HttpRequest, code: str) -> HttpResponse:
    edition = _edition_for(request, code, decide=True)
    form = PassCleanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Centang konfirmasi untuk meloloskan proposal sekaligus."))
        return redirect("kipp_admin_check_queue", code=edition.code)
    try:
        count = domain.pass_clean_proposals(
            edition, actor=signed_in_person(request), note=form.cleaned_data["note"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(count)s proposal tanpa pemeriksaan gagal dan tanpa peringatan dicatat lolos.")
            % {"count": count},
        )
    return redirect("kipp_admin_check_queue", code=edition.code)


@login_required
@require_POST
def kipp_admin_check_similarity(request: HttpRequest, code: str) -> HttpResponse:
    """ "Hitung ulang": recompute the similar proposals of the whole edition, as a job."""
    edition = _edition_for(request, code, decide=True)
    try:
        job = start_similarity_job(edition, actor=signed_in_person(request))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("kipp_admin_check_queue", code=edition.code)
    return redirect("job_detail", pk=job.pk)
