"""PKRI self-assessment form pages (pkri.md §6): the unit's and Admin Lokal's forms, the
Admin Lokal's progress page, and the secretariat's national table with reminders.

Every queryset starts from :mod:`prima.pkri.queries`; every change goes through
:mod:`prima.pkri.domain.forms` / :mod:`prima.pkri.domain.evidence`.
"""

from __future__ import annotations

import functools
import operator
from collections import Counter
from collections.abc import Callable
from pathlib import PurePath
from typing import Any, TypeVar

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from prima.core.access import access_for
from prima.core.domain.errors import DomainError, StaleVersion
from prima.core.domain.errors import PermissionDenied as DomainPermissionDenied
from prima.core.enums import InstitutionKind, RegionLevel
from prima.core.interfaces.export import table_response
from prima.core.interfaces.listing import paginate
from prima.core.models import Person, Region
from prima.core.views import signed_in_person
from prima.evaluation.models import Edition
from prima.pkri.domain import evidence as evidence_domain
from prima.pkri.domain import forms as domain
from prima.pkri.domain.reminders import send_form_reminders
from prima.pkri.enums import FormKind, FormState
from prima.pkri.interfaces import form_fields
from prima.pkri.interfaces.form_lookups import (
    LOOKUPS,
    SEARCH_RESULTS,
    FormLookups,
    options_for,
)
from prima.pkri.models import FormEvidence, SelfAssessment
from prima.pkri.queries import editions_visible_to, forms_visible_to, pkri_editions

T = TypeVar("T")


def _works_on_forms(person: Person) -> bool:
    """Participants (institution or unit members) and national readers; not assessors."""
    access = access_for(person)
    return (
        access.reads_nationally or access.is_superuser or bool(access.institutions or access.units)
    )


def my_forms(person: Person) -> QuerySet[SelfAssessment]:
    """The forms the person may see, across every PKRI edition they may open."""
    editions = list(editions_visible_to(person))
    if not editions:
        return SelfAssessment.objects.none()
    scoped = [forms_visible_to(person, edition) for edition in editions]
    return functools.reduce(operator.or_, scoped).select_related("edition")


def _form_for(request: HttpRequest, pk: int) -> SelfAssessment:
    """The form if the person may see it here (404 otherwise, assessors included)."""
    person = signed_in_person(request)
    if not _works_on_forms(person):
        raise Http404
    return get_object_or_404(my_forms(person), pk=pk)


def _state_label(form: SelfAssessment) -> str:
    return str(FormState(form.state).label)


def _perform(request: HttpRequest, change: Callable[[], T], success: Callable[[T], str]) -> None:
    """Run a domain change and report it as a message: a refused permission is a 403,
    another refusal an error message, success the message ``success`` makes of the result."""
    try:
        result = change()
    except DomainPermissionDenied as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success(result))


def _problem_map(problems: list[Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in problems:
        found.setdefault(problem.field or "", []).append(problem.message)
    return found


# --------------------------------------------------------------------------- my forms


@login_required
def form_list(request: HttpRequest) -> HttpResponse:
    """ "Formulir saya": every form the person works on, across editions."""
    person = signed_in_person(request)
    if not _works_on_forms(person):
        raise PermissionDenied
    qs = my_forms(person)
    state = request.GET.get("status", "")
    if state in FormState.values:
        qs = qs.filter(state=state)
    page = paginate(
        request, qs.order_by("-edition__year", "kind", "locus__institution__name", "pk")
    )
    return render(
        request,
        "pkri/forms/list.html",
        {"page": page, "states": FormState.choices, "state": state},
    )


# --------------------------------------------------------------------------- one form


class NoteForm(djforms.Form):
    note = djforms.CharField(
        label=gettext_lazy("Catatan untuk unit"),
        widget=djforms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        min_length=domain.MIN_NOTE,
    )


class EvidenceForm(djforms.Form):
    """A PDF for one answer of the form, picked by its label (the stored value is the
    answer's path, e.g. ``sop.file``; the domain still checks it)."""

    field = djforms.ChoiceField(
        label=gettext_lazy("Untuk isian"),
        help_text=gettext_lazy(
            "Baris daftar (mis. dasar hukum) muncul di sini setelah formulir disimpan."
        ),
        error_messages={"invalid_choice": gettext_lazy("Pilih isian dari daftar.")},
        widget=djforms.Select(attrs={"class": "form-select"}),
    )
    file = djforms.FileField(
        label=gettext_lazy("Berkas PDF (≤ 2 MB)"),
        widget=djforms.ClearableFileInput(
            attrs={"class": "form-control", "accept": "application/pdf"}
        ),
    )

    def __init__(self, *args: Any, form: SelfAssessment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["field"]
        assert isinstance(choice, djforms.ChoiceField)
        choice.choices = [("", _("— pilih isian —"))] + [
            (str(section), slots)
            for section, slots in form_fields.file_slots(form.kind, form.data or {})
        ]


def slot_labels(form: SelfAssessment) -> dict[str, str]:
    """Answer path → label of the form's file answers (the evidence table names them)."""
    return {
        path: label
        for _section, slots in form_fields.file_slots(form.kind, form.data or {})
        for path, label in slots
    }


def _render_form(
    request: HttpRequest,
    form: SelfAssessment,
    *,
    data: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    version: int | None = None,
    status: int = 200,
    evidence_form: EvidenceForm | None = None,
    searches: dict[str, str] | None = None,
) -> HttpResponse:
    person = signed_in_person(request)
    actions = domain.available_actions(person, form)
    editable = "edit" in actions
    shown = (
        data if data is not None else (domain.initial_data(form) if editable else form.data or {})
    )
    problems: list[Any] = []
    if errors is None and (actions & {"send", "submit", "edit"}):
        problems = domain.submission_problems(form)
        errors = _problem_map(problems)
    view = form_fields.layout(form.kind, shown, errors)
    FormLookups(form, person).attach(view, editable=editable, searches=searches or {})
    labels = slot_labels(form)
    files = list(form.evidence.select_related("uploaded_by"))
    for f in files:
        f.field_label = labels.get(f.field, f.field)  # type: ignore[attr-defined]
    return render(
        request,
        "pkri/forms/detail.html",
        {
            "form": form,
            "layout": view,
            "editable": editable,
            "actions": actions,
            "state_label": _state_label(form),
            "version": version if version is not None else form.version,
            "files": files,
            "file_choices": [(f.pk, f"#{f.pk} {f.original_name}") for f in files],
            "problem_count": len(problems),
            "evidence_form": evidence_form or EvidenceForm(form=form),
            "window": domain.forms_window(form.edition),
            "forms_open": domain.forms_open(form.edition),
            "stale": status == 409,
            "max_results": SEARCH_RESULTS,
        },
        status=status,
    )


SEARCH_PREFIX = "cari."  # search box of a lookup answer: "cari.<answer path>"


def _searches(post: Any) -> dict[str, str]:
    return {
        key.removeprefix(SEARCH_PREFIX): str(post.get(key, ""))
        for key in post
        if key.startswith(SEARCH_PREFIX) and str(post.get(key, "")).strip()
    }


def _choices_fragment(request: HttpRequest, form: SelfAssessment, path: str) -> HttpResponse:
    """The options of one lookup answer matching the search (``pilihan=<path>``, the
    search box's ``cari.<path>``): the page's search box swaps them in with htmx."""
    person = signed_in_person(request)
    if "edit" not in domain.available_actions(person, form):
        raise PermissionDenied
    field = form_fields.field_at(form.kind, path)
    if field is None or not field.lookup:
        raise Http404
    query = request.GET.get(SEARCH_PREFIX + path, request.GET.get("q", ""))
    selected = [int(v) for v in request.GET.getlist(path) if v.isdigit()]
    options, truncated = options_for(FormLookups(form, person), field.lookup, query, selected)
    return render(
        request,
        "pkri/forms/_options.html",
        {
            "options": options,
            "selected": selected,
            "truncated": truncated,
            "searched": bool(query.strip()),
            "multiple": field.kind == "ids",
            "noun": LOOKUPS[field.lookup].noun,
            "max_results": SEARCH_RESULTS,
        },
    )


@login_required
def form_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Read the form; its holder edits and saves it here while the forms stage is open.

    ``?pilihan=<path>`` answers a lookup's search with its options (htmx); a POST with
    ``_cari=<path>`` (the search button, without JavaScript) shows the page again with
    that search's results and the answers as typed, saving nothing.
    """
    form = _form_for(request, pk)
    person = signed_in_person(request)
    if request.method != "POST":
        if "pilihan" in request.GET:
            return _choices_fragment(request, form, request.GET["pilihan"])
        return _render_form(request, form)
    if "edit" not in domain.available_actions(person, form):
        raise PermissionDenied
    data, unreadable = form_fields.parse(form.kind, request.POST)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    if request.POST.get("_cari"):
        messages.info(
            request,
            _("Hasil pencarian ditampilkan pada pilihan isian; formulir belum disimpan."),
        )
        errors = {path: [message] for path, message in unreadable.items()}
        return _render_form(
            request,
            form,
            data=data,
            errors=errors,
            version=version,
            searches=_searches(request.POST),
        )
    unreadable.update(
        {
            p: m
            for p, m in FormLookups(form, person).refused(form.kind, data).items()
            if p not in unreadable
        }
    )
    if unreadable:
        messages.error(request, _("Sebagian isian tidak dapat dibaca; periksa kolom bertanda."))
        errors = {path: [message] for path, message in unreadable.items()}
        return _render_form(request, form, data=data, errors=errors, version=version, status=422)
    try:
        domain.save_form(form, data, actor=person, version=version)
    except StaleVersion as error:
        messages.error(request, error.message)
        form.refresh_from_db()
        return _render_form(request, form, data=data, errors={}, version=version, status=409)
    except DomainPermissionDenied as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
        errors = {error.field or "": [error.message]}
        return _render_form(request, form, data=data, errors=errors, version=version, status=422)
    messages.success(request, _("Formulir tersimpan sebagai draf."))
    return redirect("pkri_form_detail", pk=form.pk)


@login_required
@require_POST
def form_send(request: HttpRequest, pk: int) -> HttpResponse:
    form = _form_for(request, pk)
    _perform(
        request,
        lambda: domain.send_to_institution(form, actor=signed_in_person(request)),
        lambda _result: _("Formulir telah dikirim ke Admin Lokal."),
    )
    return redirect("pkri_form_detail", pk=form.pk)


@login_required
def form_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Admin Lokal returns an object form to the unit with a note."""
    form = _form_for(request, pk)
    person = signed_in_person(request)
    if "return" not in domain.available_actions(person, form):
        raise PermissionDenied
    note_form = NoteForm(request.POST or None)
    if request.method == "POST" and note_form.is_valid():
        try:
            domain.return_form(form, note=note_form.cleaned_data["note"], actor=person)
        except DomainPermissionDenied as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            note_form.add_error("note" if error.field == "note" else None, error.message)
        else:
            messages.success(request, _("Formulir dikembalikan ke unit dengan catatan Anda."))
            return redirect("pkri_form_detail", pk=form.pk)
    return render(
        request,
        "pkri/forms/return.html",
        {"form": form, "note_form": note_form, "state_label": _state_label(form)},
    )


@login_required
def form_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Admin Lokal's review page: every problem field by field, then submit."""
    form = _form_for(request, pk)
    person = signed_in_person(request)
    if "submit" not in domain.available_actions(person, form):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        try:
            domain.submit_form(form, actor=person)
        except DomainPermissionDenied as refusal:
            raise PermissionDenied(refusal.message) from refusal
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(
                request, _("Formulir telah dikirim ke sekretariat; isiannya terkunci.")
            )
            return redirect("pkri_form_detail", pk=form.pk)
    problems = domain.submission_problems(form)
    layout = form_fields.layout(form.kind, form.data or {}, _problem_map(problems))
    FormLookups(form, person).attach(layout, editable=False, searches={})
    return render(
        request,
        "pkri/forms/submit.html",
        {
            "form": form,
            "layout": layout,
            "problems": problems,
            "error": error,
            "state_label": _state_label(form),
        },
        status=422 if error else 200,
    )


# --------------------------------------------------------------------------- evidence


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    form = _form_for(request, pk)
    person = signed_in_person(request)
    if "attach" not in domain.available_actions(person, form):
        raise PermissionDenied
    upload_form = EvidenceForm(request.POST, request.FILES, form=form)
    if not upload_form.is_valid():
        return _render_form(request, form, evidence_form=upload_form, status=422)
    try:
        evidence = evidence_domain.add_evidence(
            form,
            field=upload_form.cleaned_data["field"],
            upload=upload_form.cleaned_data["file"],
            actor=person,
        )
    except DomainPermissionDenied as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        upload_form.add_error("field" if error.field == "field" else "file", error.message)
        return _render_form(request, form, evidence_form=upload_form, status=422)
    messages.success(request, _("Berkas «%s» telah diunggah.") % evidence.original_name)
    return redirect("pkri_form_detail", pk=form.pk)


def _evidence_for(request: HttpRequest, pk: int, evidence_pk: int) -> FormEvidence:
    form = _form_for(request, pk)
    evidence = get_object_or_404(form.evidence.all(), pk=evidence_pk)
    evidence.form = form
    return evidence


@login_required
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    """Serve an evidence file after the permission check; never through MEDIA_URL."""
    return serve_evidence(_evidence_for(request, pk, evidence_pk))


def serve_evidence(evidence: FormEvidence) -> FileResponse:
    """The file of an evidence row the caller has already been allowed to read."""
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    suffix = PurePath(evidence.file.name or "").suffix.lower()
    response = FileResponse(
        handle,
        content_type="application/pdf" if suffix == ".pdf" else "application/octet-stream",
        as_attachment=suffix != ".pdf",
        filename=evidence.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    evidence = _evidence_for(request, pk, evidence_pk)
    _perform(
        request,
        lambda: evidence_domain.remove_evidence(evidence, actor=signed_in_person(request)),
        lambda _result: _("Berkas «%s» telah dihapus.") % evidence.original_name,
    )
    return redirect("pkri_form_detail", pk=pk)


# --------------------------------------------------------------------------- Admin Lokal


def _edition_for(person: Person, code: str) -> Edition:
    return get_object_or_404(editions_visible_to(person), code=code)


@login_required
def institution_progress(request: HttpRequest, code: str) -> HttpResponse:
    """Admin Lokal: the forms of its locus (units' object forms and its coaching form)."""
    person = signed_in_person(request)
    access = access_for(person)
    if not (access.admin_institution_ids or access.reads_nationally or access.is_superuser):
        raise PermissionDenied
    edition = _edition_for(person, code)
    qs = forms_visible_to(person, edition).exclude(state=FormState.EXCLUDED)
    if access.reads_nationally or access.is_superuser:
        institution = request.GET.get("instansi", "")
        qs = qs.filter(locus__institution_id=int(institution)) if institution.isdigit() else qs
    counts = dict(qs.order_by().values_list("state").annotate(n=Count("pk")))
    page = paginate(
        request, qs.order_by("locus__institution__name", "kind", "object__unit__name", "pk")
    )
    return render(
        request,
        "pkri/forms/institution.html",
        {
            "edition": edition,
            "page": page,
            "counts": [(FormState(s).label, counts[s]) for s in FormState.values if s in counts],
            "window": domain.forms_window(edition),
            "forms_open": domain.forms_open(edition),
        },
    )


# --------------------------------------------------------------------------- secretariat


class TableFilter(djforms.Form):
    provinsi = djforms.ChoiceField(label=gettext_lazy("Provinsi"), required=False)
    jenis_instansi = djforms.ChoiceField(
        label=gettext_lazy("Jenis instansi"),
        required=False,
        choices=[("", gettext_lazy("Semua")), *list(InstitutionKind.choices)],
    )
    formulir = djforms.ChoiceField(
        label=gettext_lazy("Formulir"),
        required=False,
        choices=[("", gettext_lazy("Semua")), *list(FormKind.choices)],
    )
    status = djforms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Semua")), *list(FormState.choices)],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provinces = Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code")
        province = self.fields["provinsi"]
        assert isinstance(province, djforms.ChoiceField)
        province.choices = [("", _("Semua"))] + [
            (r.province_code, f"{r.province_code} {r.name}") for r in provinces
        ]
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-select"


def _require_national(person: Person) -> None:
    access = access_for(person)
    if not (access.reads_nationally or access.is_superuser):
        raise PermissionDenied


def _national_table(
    request: HttpRequest, code: str
) -> tuple[Edition, TableFilter, QuerySet[SelfAssessment]]:
    person = signed_in_person(request)
    _require_national(person)
    edition = get_object_or_404(pkri_editions(), code=code)
    filters = TableFilter(request.GET or None)
    qs = forms_visible_to(person, edition)
    if filters.is_valid():
        cd = filters.cleaned_data
        if cd["provinsi"]:
            qs = qs.filter(locus__institution__province_code=cd["provinsi"])
        if cd["jenis_instansi"]:
            qs = qs.filter(locus__institution__kind=cd["jenis_instansi"])
        if cd["formulir"]:
            qs = qs.filter(kind=cd["formulir"])
    order = ("locus__institution__province_code", "locus__institution__name", "kind", "pk")
    return edition, filters, qs.order_by(*order)


def _by_state(filters: TableFilter, qs: QuerySet[SelfAssessment]) -> QuerySet[SelfAssessment]:
    state = filters.cleaned_data.get("status") if filters.is_valid() else ""
    return qs.filter(state=state) if state else qs


@login_required
def forms_table(request: HttpRequest, code: str) -> HttpResponse:
    """The secretariat's national table: who has not filled in what."""
    edition, filters, qs = _national_table(request, code)
    # The counts per state follow the other filters, so they show where the rest stand.
    counts = Counter(dict(qs.order_by().values_list("state").annotate(n=Count("pk"))))
    page = paginate(request, _by_state(filters, qs))
    return render(
        request,
        "pkri/forms/table.html",
        {
            "edition": edition,
            "filters": filters,
            "page": page,
            "counts": [(s, FormState(s).label, counts[s]) for s in FormState.values if counts[s]],
            "total": sum(counts.values()),
            "forms_open": domain.forms_open(edition),
            "window": domain.forms_window(edition),
            "is_secretariat": access_for(signed_in_person(request)).is_secretariat,
            "extend_form": ExtendForm(),
        },
    )


EXPORT_HEADER = (
    "ID formulir",
    "Formulir",
    "Kode provinsi",
    "Instansi",
    "Jenis instansi",
    "Inovasi",
    "Unit",
    "Status",
    "Dikirim pada",
    "Diperbarui",
)


@login_required
def forms_export(request: HttpRequest, code: str) -> HttpResponse:
    """The national table as CSV or XLSX (same filters as the page)."""
    edition, filters, qs = _national_table(request, code)
    qs = _by_state(filters, qs)
    rows = (
        (
            f.pk,
            f.get_kind_display(),
            f.locus.institution.province_code,
            f.locus.institution.name,
            f.locus.institution.get_kind_display(),
            f.object.innovation.name if f.object else "",
            f.object.unit.name if f.object else "",
            FormState(f.state).label,
            f.submitted_at.strftime("%Y-%m-%d %H:%M") if f.submitted_at else "",
            f.updated_at.strftime("%Y-%m-%d %H:%M"),
        )
        for f in qs
    )
    fmt = request.GET.get("format", "csv")
    return table_response(fmt, f"formulir-{edition.code}", EXPORT_HEADER, rows)


@login_required
@require_POST
def forms_remind(request: HttpRequest, code: str) -> HttpResponse:
    person = signed_in_person(request)
    edition = get_object_or_404(pkri_editions(), code=code)
    try:
        sent = send_form_reminders(edition, actor=person)
    except DomainPermissionDenied as error:
        raise PermissionDenied(error.message) from error
    if not domain.forms_open(edition):
        messages.warning(request, _("Pengisian formulir tidak sedang dibuka; tidak ada pengingat."))
    else:
        messages.success(
            request,
            _("%(n)s pengingat terkirim (penerima yang sudah diingatkan hari ini dilewati).")
            % {"n": sent},
        )
    return redirect("pkri_forms_table", code=edition.code)


@login_required
@require_POST
def forms_close(request: HttpRequest, code: str) -> HttpResponse:
    person = signed_in_person(request)
    edition = get_object_or_404(pkri_editions(), code=code)
    _perform(
        request,
        lambda: domain.close_forms(edition, actor=person),
        lambda report: (
            _("Pengisian formulir ditutup: %(sent)s terkirim, %(missing)s tidak dikirim.")
            % {"sent": report.submitted, "missing": report.missing}
        ),
    )
    return redirect("pkri_forms_table", code=edition.code)


class ExtendForm(djforms.Form):
    until = djforms.DateField(
        label=gettext_lazy("Diperpanjang sampai"),
        widget=djforms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    number = djforms.CharField(
        label=gettext_lazy("Nomor pengumuman"),
        max_length=60,
        widget=djforms.TextInput(attrs={"class": "form-control"}),
    )
    date = djforms.DateField(
        label=gettext_lazy("Tanggal pengumuman"),
        widget=djforms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )


@login_required
@require_POST
def forms_extend(request: HttpRequest, code: str) -> HttpResponse:
    """The secretariat extends the forms window by a numbered announcement (pkri.md §5.2)."""
    person = signed_in_person(request)
    _require_national(person)
    edition = get_object_or_404(pkri_editions(), code=code)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("pkri_forms_table", code=edition.code)
    _perform(
        request,
        lambda: domain.extend_forms_window(
            edition,
            until=form.cleaned_data["until"],
            number=form.cleaned_data["number"],
            date=form.cleaned_data["date"],
            actor=person,
        ),
        lambda announcement: (
            _("Masa pengisian formulir diperpanjang sampai %(until)s (pengumuman %(number)s).")
            % {"until": announcement.listing["until"], "number": announcement.number}
        ),
    )
    return redirect("pkri_forms_table", code=edition.code)
