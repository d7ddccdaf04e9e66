"""PKRI editions and scope pages (pkri.md §3, §5).

- ``/pkri/``: the editions the person may see (`queries.editions_visible_to`).
- ``/pkri/{kode}/``: dashboard: stage windows, scope counts against ``expected_counts``.
- ``/pkri/{kode}/lingkup/``: loci and objects with filters; the secretariat derives, adds,
  excludes, sets ``in_pembinaan``, freezes, amends, imports and exports; national readers
  see it read-only.
- ``/pkri/{kode}/objek/``: the objects the person may see; Admin Lokal reassigns an
  object's unit from ``/pkri/{kode}/objek/{id}/unit/``.

Every list comes from `prima.pkri.queries`; every write goes through `prima.pkri.domain`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from prima.core.access import access_for
from prima.core.domain.errors import DomainError
from prima.core.enums import InstitutionKind
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.interfaces.listing import paginate
from prima.core.interfaces.tabular import TableError
from prima.core.models import Institution, ServiceUnit
from prima.core.views import signed_in_person
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Edition
from prima.innovations.models import Innovation
from prima.pkri.domain import scope as domain
from prima.pkri.domain.config import rules_of
from prima.pkri.enums import OBJECT_GROUPS, Group
from prima.pkri.interfaces import scope_io
from prima.pkri.models import Announcement, Locus, ScopeObject
from prima.pkri.queries import (
    editions_visible_to,
    loci_visible_to,
    may_manage_scope,
    objects_visible_to,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
GROUP_CHOICES = [(str(g.value), g.label) for g in OBJECT_GROUPS]
LOCI_PAGE = 50
OBJECTS_PAGE = 50


# --------------------------------------------------------------------------- access


def _reads_all(person: Any) -> bool:
    access = access_for(person)
    return access.reads_nationally or access.is_superuser


def edition_for(request: HttpRequest, code: str, *, manage: bool = False) -> Edition:
    """The visible PKRI edition with this code: 404 unknown, 403 not visible/manageable."""
    if manage and not may_manage_scope(request.user):
        raise PermissionDenied
    edition = editions_visible_to(request.user).filter(code=code).first()
    if edition is None:
        get_object_or_404(Edition, code=code, programme="pkri")
        raise PermissionDenied
    return edition


def _add_error(form: forms.Form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _flash_errors(request: HttpRequest, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


def _institution(text: str) -> Institution:
    text = (text or "").strip()
    found = Institution.objects.filter(name__iexact=text).first()
    if found is None and text.isdigit():
        found = Institution.objects.filter(pk=int(text)).first()
    if found is None:
        raise DomainError(
            _("Instansi «%(name)s» tidak ditemukan di registri.") % {"name": text},
            field="institution",
        )
    return found


def _innovation(pk: int | None) -> Innovation:
    found = (
        Innovation.objects.select_related("institution").filter(pk=pk).first()
        if pk is not None
        else None
    )
    if found is None:
        raise DomainError(
            _("Inovasi nomor %(id)s tidak ada di katalog.") % {"id": pk}, field="innovation"
        )
    return found


# --------------------------------------------------------------------------- forms


class ReasonField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Alasan"))
        kwargs.setdefault("max_length", 1000)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(**kwargs)


class AddLocusForm(StyledFormMixin, forms.Form):
    institution = forms.CharField(
        label=gettext_lazy("Instansi"),
        max_length=200,
        help_text=gettext_lazy("Nama persis seperti di registri, atau nomor id instansi."),
    )
    in_pembinaan = forms.BooleanField(
        label=gettext_lazy("Ikut kelompok pembinaan"), required=False, initial=True
    )
    reason = ReasonField()


class AddObjectForm(StyledFormMixin, forms.Form):
    innovation = forms.IntegerField(label=gettext_lazy("Nomor id inovasi"), min_value=1)
    group = forms.ChoiceField(label=gettext_lazy("Kelompok"), choices=GROUP_CHOICES)
    original = forms.IntegerField(
        label=gettext_lazy("Nomor id inovasi asal (replikasi)"), required=False, min_value=1
    )
    reason = ReasonField()


class ExcludeForm(StyledFormMixin, forms.Form):
    target = forms.ChoiceField(
        choices=[("locus", gettext_lazy("Lokus")), ("object", gettext_lazy("Objek"))]
    )
    pk = forms.IntegerField(widget=forms.HiddenInput)
    reason = ReasonField(label=gettext_lazy("Alasan dikeluarkan"))


class PembinaanForm(StyledFormMixin, forms.Form):
    in_pembinaan = forms.BooleanField(required=False)


class AnnouncementForm(StyledFormMixin, forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Nomor pengumuman"),
        max_length=60,
        help_text=gettext_lazy("Contoh: B/241/PP.00.05/2024."),
    )
    date = forms.DateField(label=gettext_lazy("Tanggal pengumuman"), widget=DATE_INPUT)
    title = forms.CharField(label=gettext_lazy("Judul (opsional)"), max_length=200, required=False)


CHANGE_CHOICES = [
    ("", gettext_lazy("— lewat berkas —")),
    ("add_locus", gettext_lazy("Tambah lokus")),
    ("add_object", gettext_lazy("Tambah objek")),
    ("exclude_locus", gettext_lazy("Keluarkan lokus")),
    ("exclude_object", gettext_lazy("Keluarkan objek")),
]


class AmendmentForm(AnnouncementForm):
    amends = forms.ModelChoiceField(
        label=gettext_lazy("Pengumuman yang diubah"), queryset=Announcement.objects.none()
    )
    change = forms.ChoiceField(
        label=gettext_lazy("Perubahan"), choices=CHANGE_CHOICES, required=False
    )
    institution = forms.CharField(
        label=gettext_lazy("Instansi (lokus)"), max_length=200, required=False
    )
    in_pembinaan = forms.BooleanField(label=gettext_lazy("Ikut kelompok pembinaan"), required=False)
    innovation = forms.IntegerField(
        label=gettext_lazy("Nomor id inovasi (objek)"), required=False, min_value=1
    )
    group = forms.ChoiceField(
        label=gettext_lazy("Kelompok objek"), choices=GROUP_CHOICES, required=False
    )
    reason = forms.CharField(
        label=gettext_lazy("Alasan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(
        label=gettext_lazy("atau berkas perubahan (CSV/XLSX, kolom seperti impor)"),
        required=False,
    )

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["amends"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = domain.scope_announcements(edition)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("change")) == bool(data.get("file")):
            raise forms.ValidationError(_("Pilih satu perubahan atau unggah satu berkas."))
        return data


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas lingkup (CSV atau XLSX)"))


class ReassignForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit pengganti"), queryset=ServiceUnit.objects.none()
    )

    def __init__(self, *args: Any, obj: ScopeObject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ServiceUnit.objects.filter(
            institution_id=obj.locus.institution_id, is_active=True
        ).exclude(pk=obj.unit_id)


# --------------------------------------------------------------------------- filters


def filter_loci(loci: QuerySet[Locus], params: Any) -> QuerySet[Locus]:
    """Shared by the page, the export and the API: kind, province, pembinaan, excluded."""
    kind = params.get("jenis", "")
    if kind in InstitutionKind.values:
        loci = loci.filter(institution__kind=kind)
    province = params.get("provinsi", "")
    if province:
        loci = loci.filter(institution__province_code=province)
    if params.get("pembinaan") in ("ya", "1", "true"):
        loci = loci.filter(in_pembinaan=True)
    if params.get("dikeluarkan") not in ("ya", "1", "true"):
        loci = loci.filter(excluded=False)
    query = params.get("q", "")
    for term in query.split()[:6]:
        loci = loci.filter(
            Q(institution__name__icontains=term) | Q(institution__short_name__icontains=term)
        )
    return loci


def filter_objects(objects: QuerySet[ScopeObject], params: Any) -> QuerySet[ScopeObject]:
    """Shared by the page, the export and the API: group, kind, province, excluded."""
    group = params.get("kelompok", "")
    if group in [str(g) for g in OBJECT_GROUPS]:
        objects = objects.filter(group=group)
    kind = params.get("jenis", "")
    if kind in InstitutionKind.values:
        objects = objects.filter(locus__institution__kind=kind)
    province = params.get("provinsi", "")
    if province:
        objects = objects.filter(locus__institution__province_code=province)
    if params.get("dikeluarkan") not in ("ya", "1", "true"):
        objects = objects.filter(excluded=False)
    query = params.get("q", "")
    for term in query.split()[:6]:
        objects = objects.filter(
            Q(innovation__name__icontains=term) | Q(locus__institution__name__icontains=term)
        )
    return objects


# --------------------------------------------------------------------------- pages


@login_required
def pkri_edition_list(request: HttpRequest) -> HttpResponse:
    editions = editions_visible_to(request.user).order_by("-year", "code")
    access = access_for(request.user)
    if not (_reads_all(request.user) or access.institutions or access.units or access.is_assessor):
        raise PermissionDenied
    page = paginate(request, editions)
    return render(
        request,
        "pkri/scope/edition_list.html",
        {"page": page, "can_manage": may_manage_scope(request.user)},
    )


@login_required
def pkri_edition_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    edition = edition_for(request, code)
    full = _reads_all(request.user)
    stages = list(edition.stages.order_by("position"))
    context: dict[str, Any] = {
        "edition": edition,
        "rules": rules_of(edition.rules),
        "stages": stages,
        "full": full,
        "can_manage": may_manage_scope(request.user),
    }
    if full:
        counts = domain.scope_counts(edition)
        context["counts"] = counts
        context["expected"] = domain.expected_vs_actual(edition, counts)
        context["announcements"] = list(domain.scope_announcements(edition))
    else:
        context["my_loci"] = list(loci_visible_to(request.user, edition).filter(excluded=False))
        context["my_objects"] = (
            objects_visible_to(request.user, edition).filter(excluded=False).count()
        )
    return render(request, "pkri/scope/dashboard.html", context)


@login_required
def pkri_scope(request: HttpRequest, code: str) -> HttpResponse:
    edition = edition_for(request, code)
    if not _reads_all(request.user):
        raise PermissionDenied
    loci = filter_loci(loci_visible_to(request.user, edition), request.GET).annotate(
        n_objects=Count("scope_objects", filter=Q(scope_objects__excluded=False))
    )
    objects = filter_objects(objects_visible_to(request.user, edition), request.GET)
    draft = edition.state == EditionState.SCOPE_DRAFT
    amendable = edition.state in domain.AMENDABLE_STATES
    manage = may_manage_scope(request.user)
    provinces = sorted(
        {
            code
            for code in Locus.objects.filter(edition=edition).values_list(
                "institution__province_code", flat=True
            )
            if code
        }
    )
    return render(
        request,
        "pkri/scope/scope.html",
        {
            "edition": edition,
            "loci_page": paginate(request, loci.order_by("institution__name"), LOCI_PAGE),
            "objects_page": Paginator(
                objects.order_by("group", "innovation__name"), OBJECTS_PAGE
            ).get_page(request.GET.get("halaman_objek")),
            "counts": domain.scope_counts(edition),
            "expected": domain.expected_vs_actual(edition),
            "filters": request.GET,
            "kinds": [(k, label) for k, label in InstitutionKind.choices],
            "groups": GROUP_CHOICES,
            "provinces": provinces,
            "draft": draft,
            "amendable": amendable,
            "can_manage": manage,
            "announcements": list(domain.scope_announcements(edition)),
            "add_locus_form": AddLocusForm(),
            "add_object_form": AddObjectForm(),
            "freeze_form": AnnouncementForm(),
            "amend_form": AmendmentForm(edition=edition) if amendable else None,
            "import_form": ImportForm(),
            "querystring": request.GET.urlencode(),
        },
    )


def _back(code: str) -> HttpResponse:
    return redirect("pkri_scope", code=code)


def _attempt(request: HttpRequest, action: Callable[[], str]) -> None:
    """Run a domain write; flash its success message, or the refusal."""
    try:
        message = action()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)


def _submit(
    request: HttpRequest, code: str, form: forms.Form, action: Callable[[dict[str, Any]], str]
) -> HttpResponse:
    """Validate a scope-page form and run ``action`` on its data; back to the scope page."""
    if form.is_valid():
        _attempt(request, lambda: action(form.cleaned_data))
    else:
        _flash_errors(request, form)
    return _back(code)


@login_required
@require_POST
def pkri_scope_derive(request: HttpRequest, code: str) -> HttpResponse:
    edition = edition_for(request, code, manage=True)

    def derive() -> str:
        report = domain.derive_scope(edition, actor=signed_in_person(request))
        return _(
            "Lingkup diturunkan: %(k)s kandidat keberlanjutan, %(r)s kandidat replikasi; "
            "%(new)s objek baru, %(gone)s objek tidak memenuhi syarat lagi."
        ) % {
            "k": report.candidates.get(Group.KEBERLANJUTAN, 0),
            "r": report.candidates.get(Group.REPLIKASI, 0),
            "new": report.objects_created,
            "gone": report.objects_removed,
        }

    _attempt(request, derive)
    return _back(code)


@login_required
@require_POST
def pkri_scope_add_locus(request: HttpRequest, code: str) -> HttpResponse:
    edition = edition_for(request, code, manage=True)

    def add(data: dict[str, Any]) -> str:
        locus = domain.add_locus(
            edition,
            _institution(data["institution"]),
            in_pembinaan=data["in_pembinaan"],
            reason=data["reason"],
            actor=signed_in_person(request),
        )
        return _("Lokus %(name)s ditambahkan.") % {"name": locus}

    return _submit(request, code, AddLocusForm(request.POST), add)


@login_required
@require_POST
def pkri_scope_add_object(request: HttpRequest, code: str) -> HttpResponse:
    edition = edition_for(request, code, manage=True)

    def add(data: dict[str, Any]) -> str:
        obj = domain.add_object(
            edition,
            _innovation(data["innovation"]),
            data["group"],
            original=_innovation(data["original"]) if data.get("original") else None,
            reason=data["reason"],
            actor=signed_in_person(request),
        )
        return _("Objek %(name)s ditambahkan.") % {"name": obj}

    return _submit(request, code, AddObjectForm(request.POST), add)


@login_required
@require_POST
def pkri_scope_exclude(request: HttpRequest, code: str) -> HttpResponse:
    edition = edition_for(request, code, manage=True)

    def exclude(data: dict[str, Any]) -> str:
        if data["target"] == "locus":
            locus = get_object_or_404(Locus, edition=edition, pk=data["pk"])
            domain.exclude_locus(locus, reason=data["reason"], actor=signed_in_person(request))
            name = str(locus)
        else:
            obj = get_object_or_404(ScopeObject, edition=edition, pk=data["pk"])
            domain.exclude_object(obj, reason=data["reason"], actor=signed_in_person(request))
            name = str(obj)
        return _("%(name)s dikeluarkan dari lingkup.") % {"name": name}

    return _submit(request, code, ExcludeForm(request.POST), exclude)


@login_required
@require_POST
def pkri_scope_pembinaan(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    edition = edition_for(request, code, manage=True)
    locus = get_object_or_404(Locus, edition=edition, pk=pk)
    form = PembinaanForm(request.POST)
    form.is_valid()
    try:
        domain.set_in_pembinaan(
            locus, bool(form.cleaned_data.get("in_pembinaan")), actor=signed_in_person(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
    return _back(code)


@login_required
@require_POST
def pkri_scope_freeze(request: HttpRequest, code: str) -> HttpResponse:
    edition = edition_for(request, code, manage=True)

    def freeze(data: dict[str, Any]) -> str:
        announcement = domain.freeze_scope(
            edition,
            number=data["number"],
            date=data["date"],
            title=data["title"],
            actor=signed_in_person(request),
        )
        return _("Lingkup ditetapkan dengan pengumuman %(number)s; formulir dibuat.") % {
            "number": announcement.number
        }

    return _submit(request, code, AnnouncementForm(request.POST), freeze)


def _single_change(
    edition: Edition, data: dict[str, Any]
) -> tuple[list[domain.Addition], list[domain.Exclusion]]:
    change, reason = data["change"], data.get("reason") or ""
    if change == "add_locus":
        institution = _institution(data.get("institution") or "")
        return [domain.LocusAddition(institution, reason, bool(data.get("in_pembinaan")))], []
    if change == "add_object":
        innovation = _innovation(data.get("innovation"))
        return [domain.ObjectAddition(innovation, data.get("group") or "", reason)], []
    if change == "exclude_locus":
        institution = _institution(data.get("institution") or "")
        locus = Locus.objects.filter(edition=edition, institution=institution).first()
        if locus is None:
            raise DomainError(
                _("Instansi itu bukan lokus penyelenggaraan ini."), field="institution"
            )
        return [], [domain.Exclusion(locus, reason)]
    innovation = _innovation(data.get("innovation"))
    obj = ScopeObject.objects.filter(edition=edition, innovation=innovation).first()
    if obj is None:
        raise DomainError(_("Inovasi itu bukan objek penyelenggaraan ini."), field="innovation")
    return [], [domain.Exclusion(obj, reason)]


@login_required
@require_POST
def pkri_scope_amend(request: HttpRequest, code: str) -> HttpResponse:
    edition = edition_for(request, code, manage=True)
    form = AmendmentForm(request.POST, request.FILES, edition=edition)
    if not form.is_valid():
        _flash_errors(request, form)
        return _back(code)
    data = form.cleaned_data
    actor = signed_in_person(request)
    try:
        if data.get("file"):
            summary = scope_io.import_scope(
                edition,
                data["file"],
                actor=actor,
                amendment=scope_io.Amendment(
                    number=data["number"],
                    date=data["date"],
                    amends=data["amends"],
                    title=data["title"],
                ),
            )
            number = summary.announcement.number if summary.announcement else data["number"]
        else:
            additions, exclusions = _single_change(edition, data)
            number = domain.amend_scope(
                edition,
                number=data["number"],
                date=data["date"],
                amends=data["amends"],
                title=data["title"],
                additions=additions,
                exclusions=exclusions,
                actor=actor,
            ).number
    except TableError as error:
        for problem in error.errors:
            messages.error(request, str(problem))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Pengumuman perubahan %(number)s diterbitkan.") % {"number": number}
        )
    return _back(code)


@login_required
@require_POST
def pkri_scope_import(request: HttpRequest, code: str) -> HttpResponse:
    edition = edition_for(request, code, manage=True)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        _flash_errors(request, form)
        return _back(code)
    try:
        summary = scope_io.import_scope(
            edition, form.cleaned_data["file"], actor=signed_in_person(request)
        )
    except TableError as error:
        messages.error(request, _("Berkas tidak diterapkan; perbaiki masalah berikut:"))
        for problem in error.errors[:50]:
            messages.error(request, str(problem))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Berkas diterapkan: %(la)s lokus dan %(oa)s objek ditambahkan, %(le)s lokus dan "
                "%(oe)s objek dikeluarkan."
            )
            % {
                "la": summary.loci_added,
                "oa": summary.objects_added,
                "le": summary.loci_excluded,
                "oe": summary.objects_excluded,
            },
        )
    return _back(code)


@login_required
def pkri_scope_export(request: HttpRequest, code: str) -> HttpResponse:
    edition = edition_for(request, code)
    if not _reads_all(request.user):
        raise PermissionDenied
    loci = filter_loci(loci_visible_to(request.user, edition), request.GET)
    objects = filter_objects(objects_visible_to(request.user, edition), request.GET)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return scope_io.export_scope(edition, loci, objects, fmt)


@login_required
@require_POST
def pkri_open_forms(request: HttpRequest, code: str) -> HttpResponse:
    edition = edition_for(request, code, manage=True)

    def open_forms() -> str:
        domain.open_forms(edition, actor=signed_in_person(request))
        return _("Pengisian formulir dibuka.")

    _attempt(request, open_forms)
    return redirect("pkri_edition_dashboard", code=code)


# --------------------------------------------------------------------------- Admin Lokal


@login_required
def pkri_objects(request: HttpRequest, code: str) -> HttpResponse:
    """The objects the person may see, with their unit; Admin Lokal may move them."""
    edition = edition_for(request, code)
    objects = filter_objects(objects_visible_to(request.user, edition), request.GET)
    page = paginate(request, objects.order_by("locus__institution__name", "innovation__name"))
    for obj in page.object_list:
        obj.may_reassign = domain.may_reassign(request.user, obj)
    return render(
        request,
        "pkri/scope/objects.html",
        {
            "edition": edition,
            "page": page,
            "reassign_open": edition.state in domain.REASSIGNABLE_STATES,
        },
    )


@login_required
def pkri_object_unit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    edition = edition_for(request, code)
    obj = objects_visible_to(request.user, edition).filter(pk=pk).first()
    if obj is None:
        if not ScopeObject.objects.filter(edition=edition, pk=pk).exists():
            raise Http404
        raise PermissionDenied
    if not domain.may_reassign(request.user, obj):
        raise PermissionDenied
    form = ReassignForm(request.POST or None, obj=obj)
    if request.method == "POST" and form.is_valid():
        try:
            domain.reassign_object_unit(
                obj, form.cleaned_data["unit"], actor=signed_in_person(request)
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                _("Objek %(name)s kini milik %(unit)s.")
                % {"name": obj.innovation.name, "unit": form.cleaned_data["unit"].name},
            )
            return redirect("pkri_objects", code=code)
    return render(
        request,
        "pkri/scope/object_unit.html",
        {"edition": edition, "obj": obj, "form": form},
    )
