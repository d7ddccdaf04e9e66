"""Edition pages: list, create, dashboard with stages, advance, stage settings, extension,
amendments (kipp.md §5, §6, §15).

The secretariat manages; national readers (analysts, auditors) see the same pages read-only;
Admin Lokal and unit operators see a read-only edition page with its calendar once the
edition is launched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import yaml
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from prima.core.access import access_for
from prima.core.domain.errors import DomainError
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.interfaces.listing import paginate
from prima.core.models import AuditEntry, Person
from prima.core.views import signed_in_person
from prima.evaluation.domain.catalogue import load_instrument_file
from prima.evaluation.domain.instruments import InstrumentError, parse
from prima.evaluation.domain.stages import BOOLEAN_FLAGS, EDITABLE_STATUSES
from prima.evaluation.enums import AssessorRole, EditionState, StageStatus
from prima.evaluation.models import Edition, Instrument, Stage
from prima.kipp.domain import editions as domain

LIFECYCLE_ACTIONS = (
    "kipp.edition.create",
    "kipp.edition.freeze_rules",
    "kipp.edition.edit_rules",
    "kipp.edition.amend_rules",
    "kipp.edition.extend_registration",
)
FLAG_LABELS = {
    "participants_submit": gettext_lazy("Peserta boleh mengirim"),
    "assessors_score": gettext_lazy("Penilai boleh menilai"),
    "identities_visible": gettext_lazy("Identitas pengusul terlihat"),
    "others_scores_visible": gettext_lazy("Nilai penilai lain terlihat"),
    "decisions_open": gettext_lazy("Keputusan boleh diubah"),
    "objections_open": gettext_lazy("Sanggahan publik dibuka"),
}


# --------------------------------------------------------------------------- access


def may_manage(person: Any) -> bool:
    access = access_for(person)
    return access.is_secretariat or access.is_superuser


def _is_participant(person: Any) -> bool:
    access = access_for(person)
    return bool(access.institutions or access.units)


def editions_visible_to(person: Any) -> QuerySet[Edition]:
    """National readers see every KIPP edition; participants the launched ones."""
    editions = Edition.objects.filter(programme="kipp").select_related("instrument")
    access = access_for(person)
    if access.reads_nationally or access.is_superuser:
        return editions
    if _is_participant(person):
        return editions.exclude(state=EditionState.PLANNED)
    return editions.none()


def _edition_for(request: HttpRequest, code: str, *, manage: bool = False) -> Edition:
    if manage and not may_manage(request.user):
        raise PermissionDenied
    visible = editions_visible_to(request.user)
    edition = visible.filter(code=code).first()
    if edition is None:
        get_object_or_404(Edition, code=code, programme="kipp")
        raise PermissionDenied
    return edition


def _add_error(form: forms.Form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


# --------------------------------------------------------------------------- forms


def _choices(directory: Path) -> list[tuple[str, str]]:
    return [("", _("— pilih berkas —"))] + [(name, name) for name in domain.rule_files(directory)]


class EditionCreateForm(StyledFormMixin, forms.Form):
    rules_file = forms.ChoiceField(label=gettext_lazy("Berkas aturan (editions/)"), required=False)
    rules_upload = forms.FileField(
        label=gettext_lazy("atau unggah berkas aturan YAML"), required=False
    )
    rules_text = forms.CharField(
        label=gettext_lazy("atau tempel teks aturan YAML"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )
    instrument = forms.ChoiceField(label=gettext_lazy("Instrumen proposal"))
    title = forms.CharField(
        label=gettext_lazy("Nama tampilan"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Kosongkan untuk «KIPP <tahun>»."),
    )
    region_3t = forms.CharField(
        label=gettext_lazy("Kode wilayah daerah 3T"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Pisahkan dengan spasi, koma atau baris baru. Kosongkan untuk memakai wilayah "
            "pemerintah daerah yang ditandai 3T di registri."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["rules_file"]).choices = _choices(domain.EDITIONS_DIR)
        stored = [
            (
                f"db:{row.pk}",
                _("%(code)s versi %(version)s (tersimpan)")
                % {"code": row.code, "version": row.version},
            )
            for row in Instrument.objects.filter(programme="kipp")
        ]
        files = [(f"file:{name}", name) for name in domain.rule_files(domain.INSTRUMENTS_DIR)]
        cast(forms.ChoiceField, self.fields["instrument"]).choices = [
            ("", _("— pilih instrumen —")),
            *files,
            *stored,
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        sources = [bool(data.get(k)) for k in ("rules_file", "rules_upload", "rules_text")]
        if sum(sources) != 1:
            raise forms.ValidationError(
                _("Pilih satu sumber aturan: berkas di editions/, unggahan, atau teks.")
            )
        return data

    def rules_source(self) -> str | Path:
        data = self.cleaned_data
        if data.get("rules_file"):
            return domain.EDITIONS_DIR / Path(data["rules_file"]).name
        if data.get("rules_upload"):
            raw = data["rules_upload"].read()
            try:
                return str(raw.decode("utf-8"))
            except UnicodeDecodeError as error:
                raise DomainError(
                    _("Berkas aturan harus teks UTF-8."), field="rules_upload"
                ) from error
        return str(data["rules_text"])

    def region_codes(self) -> list[str] | None:
        text = self.cleaned_data.get("region_3t", "")
        codes = [c for c in text.replace(",", " ").split() if c]
        return codes or None


class AdvanceForm(StyledFormMixin, forms.Form):
    seen_state = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Alasan / dasar perpindahan tahap"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    force = forms.BooleanField(
        label=gettext_lazy("Tutup paksa walau masih ada lembar nilai draf"), required=False
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("Saya memahami bahwa tahap yang berjalan akan ditutup."), required=True
    )


WIB_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class StageForm(StyledFormMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Mulai (WIB)"), required=False, widget=WIB_INPUT
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("Selesai (WIB)"), required=False, widget=WIB_INPUT
    )
    participants_submit = forms.BooleanField(
        label=FLAG_LABELS["participants_submit"], required=False
    )
    assessors_score = forms.BooleanField(label=FLAG_LABELS["assessors_score"], required=False)
    identities_visible = forms.BooleanField(label=FLAG_LABELS["identities_visible"], required=False)
    others_scores_visible = forms.BooleanField(
        label=FLAG_LABELS["others_scores_visible"], required=False
    )
    decisions_open = forms.BooleanField(label=FLAG_LABELS["decisions_open"], required=False)
    objections_open = forms.BooleanField(label=FLAG_LABELS["objections_open"], required=False)
    scoring = forms.ChoiceField(
        label=gettext_lazy("Bagian yang dinilai"),
        required=False,
        choices=[
            ("", gettext_lazy("Tidak ada penilaian")),
            ("sections", gettext_lazy("Bagian proposal")),
            ("rubric", gettext_lazy("Rubrik presentasi")),
            ("rubric:presentation", gettext_lazy("Rubrik presentasi (bernama)")),
            ("rubric:feasibility", gettext_lazy("Rubrik kelayakan")),
        ],
    )
    assessor_role = forms.ChoiceField(
        label=gettext_lazy("Peran penilai"),
        required=False,
        choices=[("", gettext_lazy("Tidak ada")), *AssessorRole.choices],
    )
    reason = forms.CharField(label=gettext_lazy("Alasan perubahan"), max_length=500, required=False)


class ExtensionForm(StyledFormMixin, forms.Form):
    new_close = forms.DateTimeField(
        label=gettext_lazy("Batas pendaftaran baru (WIB)"), widget=WIB_INPUT
    )
    letter_no = forms.CharField(
        label=gettext_lazy("Nomor surat pengumuman"),
        max_length=60,
        help_text=gettext_lazy("Contoh: B/188/PP.00.05/2023."),
    )
    letter_date = forms.DateField(
        label=gettext_lazy("Tanggal surat"), widget=forms.DateInput(attrs={"type": "date"})
    )


class AmendForm(StyledFormMixin, forms.Form):
    changes = forms.CharField(
        label=gettext_lazy("Perubahan (YAML: alamat: nilai baru)"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "Satu baris per nilai, mis. «desk_evaluation.selection.passing_grade: 80» atau "
            "«tiers[1].size: 40»."
        ),
    )
    reason = forms.CharField(
        label=gettext_lazy("Alasan amandemen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Wajib setelah pendaftaran dibuka (aturan sudah dibekukan)."),
    )

    def parsed(self) -> dict[str, Any]:
        try:
            data = parse(self.cleaned_data["changes"])
        except InstrumentError as error:
            raise DomainError(
                "; ".join(f"{p.path}: {p.message}" for p in error.problems), field="changes"
            ) from error
        if not isinstance(data, dict) or not data:
            raise DomainError(
                _("Tuliskan perubahan sebagai pasangan «alamat: nilai», satu per baris."),
                field="changes",
            )
        return {str(key): value for key, value in data.items()}


# --------------------------------------------------------------------------- pages


@login_required
def kipp_edition_list(request: HttpRequest) -> HttpResponse:
    if not (access_for(request.user).reads_nationally or _is_participant(request.user)):
        raise PermissionDenied
    editions = editions_visible_to(request.user).order_by("-year", "code")
    page = paginate(request, editions)
    return render(
        request,
        "kipp/editions/list.html",
        {"page": page, "can_manage": may_manage(request.user)},
    )


def _instrument_from(choice: str, actor: Person) -> Instrument:
    kind, _sep, value = choice.partition(":")
    if kind == "db":
        row = Instrument.objects.filter(pk=int(value), programme="kipp").first()
        if row is None:
            raise DomainError(_("Instrumen tidak ditemukan."), field="instrument")
        return row
    return load_instrument_file(domain.INSTRUMENTS_DIR / Path(value).name, actor=actor)


@login_required
def kipp_edition_create(request: HttpRequest) -> HttpResponse:
    if not may_manage(request.user):
        raise PermissionDenied
    form = EditionCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        actor = signed_in_person(request)
        try:
            edition = domain.create_edition(
                rules_source=form.rules_source(),
                instrument=_instrument_from(form.cleaned_data["instrument"], actor),
                actor=actor,
                region_3t_codes=form.region_codes(),
                title=form.cleaned_data.get("title", ""),
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(
                request, _("Penyelenggaraan %(code)s dibuat.") % {"code": edition.code}
            )
            return redirect("kipp_edition_detail", code=edition.code)
    return render(request, "kipp/editions/create.html", {"form": form})


def _history(edition: Edition) -> list[dict[str, Any]]:
    """Creation, freezing, amendments and extensions, oldest first, with changed values."""
    entries = AuditEntry.objects.filter(
        object_type="evaluation.edition",
        object_id=str(edition.pk),
        action__in=LIFECYCLE_ACTIONS,
    ).order_by("created_at", "id")
    rows = []
    for entry in entries:
        changes = []
        if entry.action in ("kipp.edition.amend_rules", "kipp.edition.edit_rules"):
            before = entry.before or {}
            changes = [
                (path, before.get(path), value) for path, value in (entry.after or {}).items()
            ]
        rows.append({"entry": entry, "changes": changes})
    return rows


def _flags(stage: Stage) -> list[str]:
    return [str(FLAG_LABELS[name]) for name in BOOLEAN_FLAGS if getattr(stage, name)]


def _next_stage(edition: Edition, stages: list[Stage]) -> Stage | None:
    current = next((s for s in stages if s.status == StageStatus.OPEN), None)
    position = current.position if current else -1
    return next(
        (s for s in stages if s.status == StageStatus.PENDING and s.position > position), None
    )


@login_required
def kipp_edition_detail(request: HttpRequest, code: str) -> HttpResponse:
    edition = _edition_for(request, code)
    access = access_for(request.user)
    full = access.reads_nationally or access.is_superuser
    stages = list(edition.stages.order_by("position"))
    rows = [
        {
            "stage": stage,
            "flags": _flags(stage),
            "editable": stage.status in EDITABLE_STATUSES,
        }
        for stage in stages
    ]
    rules = domain.rules_for(edition)
    context: dict[str, Any] = {
        "edition": edition,
        "rules": rules,
        "rows": rows,
        "full": full,
        "can_manage": may_manage(request.user),
        "extensions": domain.extensions_of(edition),
        "original_close": rules.calendar.registration.end,
        "next_stage": _next_stage(edition, stages),
        "can_extend": edition.state
        in (EditionState.REGISTRATION_OPEN, EditionState.REGISTRATION_CLOSED),
        "admin_check_open": domain.position_of(edition.state)
        >= domain.position_of(EditionState.ADMIN_SELECTION),
        "invitation_groups": any(g.invitation_only for g in rules.groups.values()),
    }
    if full:
        context["history"] = _history(edition)
        context["rules_yaml"] = yaml.safe_dump(edition.rules, allow_unicode=True, sort_keys=False)
    return render(request, "kipp/editions/detail.html", context)


@login_required
def kipp_edition_advance(request: HttpRequest, code: str) -> HttpResponse:
    edition = _edition_for(request, code, manage=True)
    stages = list(edition.stages.order_by("position"))
    current = next((s for s in stages if s.status == StageStatus.OPEN), None)
    upcoming = _next_stage(edition, stages)
    form = AdvanceForm(request.POST or None, initial={"seen_state": edition.state})
    if request.method == "POST" and form.is_valid():
        edition.state = form.cleaned_data["seen_state"]
        try:
            opened = domain.advance_kipp_edition(
                edition,
                actor=signed_in_person(request),
                reason=form.cleaned_data["reason"],
                force=form.cleaned_data["force"],
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            if opened is None:
                messages.success(request, _("Penyelenggaraan ditutup."))
            else:
                messages.success(
                    request,
                    _("Tahap «%(stage)s» dibuka.") % {"stage": opened.get_code_display()},
                )
            return redirect("kipp_edition_detail", code=edition.code)
    return render(
        request,
        "kipp/editions/advance.html",
        {"edition": edition, "form": form, "current": current, "upcoming": upcoming},
    )


@login_required
def kipp_edition_stage(request: HttpRequest, code: str, stage_code: str) -> HttpResponse:
    edition = _edition_for(request, code, manage=True)
    stage = get_object_or_404(Stage, edition=edition, code=stage_code)
    initial = {
        "starts_at": timezone.localtime(stage.starts_at) if stage.starts_at else None,
        "ends_at": timezone.localtime(stage.ends_at) if stage.ends_at else None,
        "scoring": stage.scoring,
        "assessor_role": stage.assessor_role,
        **{name: getattr(stage, name) for name in BOOLEAN_FLAGS},
    }
    form = StageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        flags: dict[str, Any] = {name: data[name] for name in BOOLEAN_FLAGS}
        flags["scoring"] = data["scoring"]
        flags["assessor_role"] = data["assessor_role"]
        try:
            domain.configure_stage(
                stage,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                flags=flags,
                reason=data["reason"],
                actor=signed_in_person(request),
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(
                request, _("Tahap «%(stage)s» diperbarui.") % {"stage": stage.get_code_display()}
            )
            return redirect("kipp_edition_detail", code=edition.code)
    return render(
        request,
        "kipp/editions/stage.html",
        {
            "edition": edition,
            "stage": stage,
            "form": form,
            "editable": stage.status in EDITABLE_STATUSES,
        },
    )


@login_required
def kipp_edition_extend(request: HttpRequest, code: str) -> HttpResponse:
    edition = _edition_for(request, code, manage=True)
    today = timezone.localdate()
    form = ExtensionForm(request.POST or None, initial={"letter_date": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            domain.extend_registration(
                edition,
                new_close=data["new_close"],
                letter_no=data["letter_no"],
                letter_date=data["letter_date"],
                actor=signed_in_person(request),
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            close = timezone.localtime(edition.registration_close or data["new_close"])
            messages.success(
                request,
                _("Pendaftaran diperpanjang sampai %(close)s WIB.")
                % {"close": close.strftime("%d-%m-%Y %H:%M")},
            )
            return redirect("kipp_edition_detail", code=edition.code)
    return render(
        request,
        "kipp/editions/extend.html",
        {"edition": edition, "form": form, "extensions": domain.extensions_of(edition)},
    )


@login_required
def kipp_edition_amend(request: HttpRequest, code: str) -> HttpResponse:
    edition = _edition_for(request, code, manage=True)
    form = AmendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.amend_rules(
                edition,
                form.parsed(),
                reason=form.cleaned_data["reason"],
                actor=signed_in_person(request),
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Aturan penyelenggaraan diperbarui."))
            return redirect("kipp_edition_detail", code=edition.code)
    return render(
        request,
        "kipp/editions/amend.html",
        {
            "edition": edition,
            "form": form,
            "rules_yaml": yaml.safe_dump(edition.rules, allow_unicode=True, sort_keys=False),
        },
    )


@login_required
@require_POST
def kipp_edition_publish(request: HttpRequest, code: str) -> HttpResponse:
    """Secretariat: show the edition on the public pages, or take it off."""
    edition = _edition_for(request, code, manage=True)
    published = request.POST.get("published") == "1"
    domain.set_edition_published(edition, published=published, actor=signed_in_person(request))
    messages.success(
        request,
        _("Penyelenggaraan ditampilkan di halaman publik.")
        if published
        else _("Penyelenggaraan tidak lagi ditampilkan di halaman publik."),
    )
    return redirect("kipp_edition_detail", code=edition.code)
