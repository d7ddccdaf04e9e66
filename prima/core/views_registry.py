"""Registry pages: regions, institutions (public) and service units (members), with import/export.

Every list reads a scoped queryset from `prima.core.queries`, so pages, exports and
counts show exactly what the person may see; every write calls `prima.core.domain.registry`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from prima.core.access import access_for
from prima.core.domain import registry
from prima.core.domain.errors import DomainError
from prima.core.enums import (
    GOVERNMENT_REGION_LEVEL,
    InstitutionKind,
    RegionLevel,
    ServiceType,
    UnitKind,
)
from prima.core.interfaces import registry_io
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.interfaces.listing import PAGE_SIZE, paginate
from prima.core.jobs import start_institution_import, start_unit_import
from prima.core.models import Institution, Region, ServiceUnit
from prima.core.queries import (
    institutions_visible_to,
    units_visible_to,
    with_active_unit_counts,
)
from prima.core.views import signed_in_person
from prima.core.views_jobs import start_upload_job

EXPORT_FORMATS = ("csv", "xlsx")
_ALL = [("", gettext_lazy("Semua"))]


def _name_provinces(page: Page[Any], provinces: dict[str, str], attr: str) -> Page[Any]:
    """Give each row of the page its province name (read from `attr`, a two-digit code)."""
    page.object_list = list(page.object_list)
    for obj in page.object_list:
        code = obj
        for part in attr.split("."):
            code = getattr(code, part, None) if code is not None else None
        obj.province_name = provinces.get(code or "", "")
    return page


def _provinces() -> dict[str, str]:
    return dict(
        Region.objects.filter(level=RegionLevel.PROVINCE)
        .order_by("code")
        .values_list("code", "name")
    )


def _add_domain_errors(form: forms.Form, exc: DomainError) -> None:
    problems = exc.problems if isinstance(exc, registry.InvalidRecord) else [exc]
    for problem in problems:
        target = problem.field if problem.field in form.fields else None
        form.add_error(target, problem.message)


def _version(form: forms.Form) -> Any:
    raw = form.cleaned_data.get("version") or ""
    return parse_datetime(raw) if raw else None


def _sort_links(current: str, keys: list[str]) -> dict[str, dict[str, str]]:
    """For each sortable column: the sort value its header link sets and its aria-sort."""
    links: dict[str, dict[str, str]] = {}
    for key in keys:
        if current == key:
            links[key] = {"next": f"-{key}", "aria": "ascending"}
        elif current == f"-{key}":
            links[key] = {"next": key, "aria": "descending"}
        else:
            links[key] = {"next": key, "aria": "none"}
    return links


class _OptionsForm(forms.Form):
    """Sets run-time choices and querysets before StyledFormMixin reads `errors`.

    The mixin validates a bound form inside its __init__, so options set after it would
    be too late; as the mixin's next class in the MRO, this runs first.
    """

    def __init__(
        self,
        *args: Any,
        choices: dict[str, list[tuple[Any, Any]]] | None = None,
        querysets: dict[str, QuerySet[Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, options in (choices or {}).items():
            self.fields[name].choices = options  # type: ignore[attr-defined]
        for name, queryset in (querysets or {}).items():
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- regions


class RegionFilterForm(StyledFormMixin, _OptionsForm):
    q = forms.CharField(label=gettext_lazy("Cari nama atau kode"), required=False, max_length=100)
    level = forms.ChoiceField(
        label=gettext_lazy("Tingkat"), required=False, choices=_ALL + list(RegionLevel.choices)
    )
    province = forms.ChoiceField(label=gettext_lazy("Provinsi"), required=False)


def region_list(request: HttpRequest) -> HttpResponse:
    """Public reference list of provinces, regencies and cities with their Kemendagri codes."""
    provinces = _provinces()
    form = RegionFilterForm(
        request.GET or None, choices={"province": _ALL + list(provinces.items())}
    )
    regions = Region.objects.all()
    params = form.cleaned_data if form.is_valid() else {}
    if params.get("level"):
        regions = regions.filter(level=params["level"])
    if params.get("province"):
        regions = regions.filter(province_code=params["province"])
    for term in (params.get("q") or "").split()[:8]:
        regions = regions.filter(Q(name__icontains=term) | Q(code__startswith=term))
    sort = request.GET.get("sort", "code")
    order = {
        "code": ["code"],
        "-code": ["-code"],
        "name": ["name", "code"],
        "-name": ["-name", "code"],
        "population": ["population", "code"],
        "-population": ["-population", "code"],
    }.get(sort, ["code"])
    page = _name_provinces(paginate(request, regions.order_by(*order)), provinces, "province_code")
    return render(
        request,
        "core/registry/region_list.html",
        {
            "form": form,
            "page": page,
            "provinces": provinces,
            "sort": _sort_links(sort, ["code", "name", "population"]),
        },
    )


# ---------------------------------------------------------------------- institutions


class InstitutionFilterForm(StyledFormMixin, _OptionsForm):
    q = forms.CharField(label=gettext_lazy("Cari nama"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis"), required=False, choices=_ALL + list(InstitutionKind.choices)
    )
    province = forms.ChoiceField(label=gettext_lazy("Provinsi"), required=False)
    disadvantaged = forms.BooleanField(label=gettext_lazy("Hanya daerah 3T"), required=False)
    border = forms.BooleanField(label=gettext_lazy("Hanya daerah perbatasan"), required=False)


def _institution_queryset(request: HttpRequest, provinces: dict[str, str]) -> tuple[Any, Any, str]:
    form = InstitutionFilterForm(
        request.GET or None, choices={"province": _ALL + list(provinces.items())}
    )
    params = form.cleaned_data if form.is_valid() else {}
    institutions = registry_io.filter_institutions(
        institutions_visible_to(request.user),
        kind=params.get("kind", ""),
        province=params.get("province", ""),
        q=params.get("q", ""),
        disadvantaged=True if params.get("disadvantaged") else None,
        border=True if params.get("border") else None,
    )
    sort = request.GET.get("sort", "name")
    ordering = registry_io.sort_fields(registry_io.INSTITUTION_SORTS, sort, "name")
    return form, institutions.order_by(*ordering), sort


def institution_list(request: HttpRequest) -> HttpResponse:
    """Public list of institutions with filters, search, sort and pagination."""
    provinces = _provinces()
    form, institutions, sort = _institution_queryset(request, provinces)
    institutions = with_active_unit_counts(institutions)
    access = access_for(request.user)
    return render(
        request,
        "core/registry/institution_list.html",
        {
            "form": form,
            "page": _name_provinces(paginate(request, institutions), provinces, "province_code"),
            "provinces": provinces,
            "sort": _sort_links(sort, ["name", "kind", "province"]),
            "can_create": access.is_secretariat,
        },
    )


def institution_export(request: HttpRequest) -> HttpResponse:
    """The filtered institution list as CSV or XLSX, in the import columns."""
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    _form, institutions, _sort = _institution_queryset(request, _provinces())
    return registry_io.export_institutions(institutions, fmt)


def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Public facts of an institution; its units for its members and national readers."""
    institution = get_object_or_404(
        with_active_unit_counts(institutions_visible_to(request.user)),
        pk=pk,
    )
    access = access_for(request.user)
    sees_units = access.reads_nationally or institution.pk in access.member_institution_ids
    units: list[ServiceUnit] = []
    unit_count = 0
    if sees_units:
        visible = units_visible_to(request.user).filter(institution=institution)
        unit_count = visible.count()
        units = list(visible.order_by("-is_active", "name")[:PAGE_SIZE])
    province = (
        Region.objects.filter(code=institution.province_code).first()
        if institution.province_code
        else None
    )
    return render(
        request,
        "core/registry/institution_detail.html",
        {
            "institution": institution,
            "province": province,
            "children": institution.children.filter(is_active=True).order_by("name"),
            "sees_units": sees_units,
            "units": units,
            "unit_count": unit_count,
            "can_edit": access.is_secretariat,
            "can_manage_units": registry.may_manage_units_of(request.user, institution),
        },
    )


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {obj.name}"


class InstitutionForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama resmi"), max_length=200)
    short_name = forms.CharField(label=gettext_lazy("Nama singkat"), max_length=60, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Jenis instansi"), choices=InstitutionKind.choices)
    region = RegionChoiceField(
        label=gettext_lazy("Wilayah"),
        queryset=Region.objects.order_by("code"),
        required=False,
        help_text=gettext_lazy(
            "Wajib untuk pemerintah provinsi, kabupaten, dan kota; kosong untuk instansi "
            "pusat dan BUMN. BUMD mengikuti wilayah induknya."
        ),
    )
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Instansi induk (khusus BUMD)"),
        queryset=Institution.objects.filter(
            kind__in=list(GOVERNMENT_REGION_LEVEL), is_active=True
        ).order_by("name"),
        required=False,
    )
    is_disadvantaged = forms.BooleanField(label=gettext_lazy("Daerah 3T"), required=False)
    is_border = forms.BooleanField(label=gettext_lazy("Daerah perbatasan"), required=False)
    official_email_domain = forms.CharField(
        label=gettext_lazy("Domain surel resmi"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Tanpa '@', mis. payakumbuhkota.go.id."),
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def data_for_domain(self) -> registry.InstitutionData:
        d = self.cleaned_data
        return registry.InstitutionData(
            kind=d["kind"],
            name=d["name"],
            short_name=d["short_name"],
            region=d["region"],
            parent=d["parent"],
            is_disadvantaged=d["is_disadvantaged"],
            is_border=d["is_border"],
            official_email_domain=d["official_email_domain"],
        )


def _require_secretariat(request: HttpRequest) -> None:
    if not access_for(request.user).is_secretariat:
        raise Forbidden


@login_required
def institution_create(request: HttpRequest) -> HttpResponse:
    """Secretariat: register an institution."""
    _require_secretariat(request)
    form = InstitutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            institution = registry.create_institution(
                form.data_for_domain(), actor=signed_in_person(request)
            )
        except DomainError as exc:
            _add_domain_errors(form, exc)
        else:
            messages.success(request, _("Instansi %(name)s terdaftar.") % {"name": institution})
            return redirect("institution_detail", pk=institution.pk)
    return render(
        request,
        "core/registry/institution_form.html",
        {"form": form, "title": _("Tambah instansi")},
    )


def _save_edit(request: HttpRequest, form: Any, update: Callable[..., bool], obj: Any) -> bool:
    """Apply a valid edit form through its domain update (optimistic lock on updated_at).

    True when saved (a message says whether anything changed); False when the form must be
    shown again, with the domain's refusal attached to it.
    """
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        changed = update(
            obj,
            form.data_for_domain(),
            actor=signed_in_person(request),
            expected_updated_at=_version(form),
        )
    except DomainError as exc:
        _add_domain_errors(form, exc)
        return False
    messages.success(request, _("Perubahan tersimpan.") if changed else _("Tidak ada perubahan."))
    return True


@login_required
def institution_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Secretariat: change an institution (refused if someone saved it in the meantime)."""
    institution = get_object_or_404(institutions_visible_to(request.user), pk=pk)
    _require_secretariat(request)
    initial = {
        **registry.InstitutionData.of(institution).__dict__,
        "version": institution.updated_at.isoformat(),
    }
    form = InstitutionForm(request.POST or None, initial=initial)
    if _save_edit(request, form, registry.update_institution, institution):
        return redirect("institution_detail", pk=institution.pk)
    return render(
        request,
        "core/registry/institution_form.html",
        {"form": form, "institution": institution, "title": _("Ubah instansi")},
    )


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


@login_required
@require_POST
def institution_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Secretariat: deactivate an institution and its active units."""
    institution = get_object_or_404(institutions_visible_to(request.user), pk=pk)
    _require_secretariat(request)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Alasan penonaktifan wajib diisi."))
        return redirect("institution_detail", pk=pk)
    try:
        closed = registry.deactivate_institution(
            institution, actor=signed_in_person(request), reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Instansi dinonaktifkan; %(count)d unit aktif ikut dinonaktifkan.")
            % {"count": closed},
        )
    return redirect("institution_detail", pk=pk)


@login_required
@require_POST
def institution_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Secretariat: make an institution active again."""
    institution = get_object_or_404(institutions_visible_to(request.user), pk=pk)
    _require_secretariat(request)
    try:
        registry.reactivate_institution(
            institution, actor=signed_in_person(request), reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Instansi diaktifkan kembali."))
    return redirect("institution_detail", pk=pk)


# --------------------------------------------------------------------- service units


class UnitFilterForm(StyledFormMixin, _OptionsForm):
    q = forms.CharField(
        label=gettext_lazy("Cari nama unit, instansi, atau alamat"), required=False, max_length=100
    )
    institution = forms.TypedChoiceField(
        label=gettext_lazy("Instansi"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis unit"), required=False, choices=_ALL + list(UnitKind.choices)
    )
    service_type = forms.ChoiceField(
        label=gettext_lazy("Jenis layanan"),
        required=False,
        choices=_ALL + list(ServiceType.choices),
    )
    province = forms.ChoiceField(label=gettext_lazy("Provinsi"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[
            ("active", gettext_lazy("Aktif")),
            ("inactive", gettext_lazy("Nonaktif")),
            ("all", gettext_lazy("Semua")),
        ],
    )


def _unit_institution_choices(request: HttpRequest) -> list[tuple[int, str]]:
    access = access_for(request.user)
    institutions = Institution.objects.order_by("name")
    if not access.reads_nationally:
        institutions = institutions.filter(pk__in=access.member_institution_ids)
    return list(institutions.values_list("pk", "name"))


def _unit_queryset(
    request: HttpRequest, provinces: dict[str, str], choices: list[tuple[int, str]]
) -> tuple[UnitFilterForm, QuerySet[ServiceUnit], str]:
    form = UnitFilterForm(
        request.GET or None,
        choices={"province": _ALL + list(provinces.items()), "institution": _ALL + choices},
    )
    params = form.cleaned_data if form.is_valid() else {}
    units = registry_io.filter_units(
        units_visible_to(request.user),
        institution=params.get("institution"),
        kind=params.get("kind", ""),
        service_type=params.get("service_type", ""),
        province=params.get("province", ""),
        q=params.get("q", ""),
        status=params.get("status") or "active",
    )
    sort = request.GET.get("sort", "institution")
    ordering = registry_io.sort_fields(registry_io.UNIT_SORTS, sort, "institution")
    return form, units.order_by(*ordering), sort


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    """Service units the person may see, with filters, search, sort and pagination."""
    provinces = _provinces()
    form, units, sort = _unit_queryset(request, provinces, _unit_institution_choices(request))
    access = access_for(request.user)
    return render(
        request,
        "core/registry/unit_list.html",
        {
            "form": form,
            "page": _name_provinces(paginate(request, units), provinces, "region.province_code"),
            "sort": _sort_links(sort, ["name", "institution", "kind", "province"]),
            "can_manage": access.is_secretariat or bool(access.admin_institution_ids),
        },
    )


@login_required
def unit_export(request: HttpRequest) -> HttpResponse:
    """The filtered unit list as CSV or XLSX, in the import columns."""
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    _form, units, _sort = _unit_queryset(request, _provinces(), _unit_institution_choices(request))
    return registry_io.export_units(units, fmt)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(units_visible_to(request.user), pk=pk)
    return render(
        request,
        "core/registry/unit_detail.html",
        {"unit": unit, "can_manage": registry.may_manage_units_of(request.user, unit.institution)},
    )


class UnitForm(StyledFormMixin, _OptionsForm):
    institution = forms.ModelChoiceField(
        label=gettext_lazy("Instansi"), queryset=Institution.objects.none()
    )
    name = forms.CharField(label=gettext_lazy("Nama unit"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Jenis unit"), choices=UnitKind.choices)
    service_type = forms.ChoiceField(
        label=gettext_lazy("Jenis layanan"), choices=ServiceType.choices
    )
    region = RegionChoiceField(
        label=gettext_lazy("Wilayah"),
        queryset=Region.objects.order_by("code"),
        required=False,
        help_text=gettext_lazy("Kosongkan bila unit berada di wilayah instansinya."),
    )
    user_population = forms.IntegerField(
        label=gettext_lazy("Populasi pengguna layanan per tahun"), min_value=0, required=False
    )
    address = forms.CharField(label=gettext_lazy("Alamat"), max_length=300, required=False)
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def data_for_domain(self) -> registry.ServiceUnitData:
        d = self.cleaned_data
        return registry.ServiceUnitData(
            institution=d["institution"],
            name=d["name"],
            kind=d["kind"],
            service_type=d["service_type"],
            region=d["region"],
            user_population=d["user_population"],
            address=d["address"],
        )


def _manageable_institutions(request: HttpRequest) -> QuerySet[Institution]:
    access = access_for(request.user)
    institutions = Institution.objects.filter(is_active=True).order_by("name")
    if access.is_secretariat:
        return institutions
    return institutions.filter(pk__in=access.admin_institution_ids)


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    """Secretariat or Admin Lokal: register a service unit."""
    access = access_for(request.user)
    if not (access.is_secretariat or access.admin_institution_ids):
        raise Forbidden
    institutions = _manageable_institutions(request)
    initial: dict[str, Any] = {}
    if request.GET.get("institution", "").isdigit():
        initial["institution"] = int(request.GET["institution"])
    elif len(access.admin_institution_ids) == 1 and not access.is_secretariat:
        initial["institution"] = next(iter(access.admin_institution_ids))
    form = UnitForm(request.POST or None, querysets={"institution": institutions}, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = registry.create_service_unit(
                form.data_for_domain(), actor=signed_in_person(request)
            )
        except DomainError as exc:
            _add_domain_errors(form, exc)
        else:
            messages.success(request, _("Unit %(name)s terdaftar.") % {"name": unit.name})
            return redirect("unit_detail", pk=unit.pk)
    return render(
        request, "core/registry/unit_form.html", {"form": form, "title": _("Tambah unit pelayanan")}
    )


@login_required
def unit_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Secretariat or the unit's Admin Lokal: change a service unit."""
    unit = get_object_or_404(units_visible_to(request.user), pk=pk)
    if not registry.may_manage_units_of(request.user, unit.institution):
        raise Forbidden
    initial = {
        **registry.ServiceUnitData.of(unit).__dict__,
        "version": unit.updated_at.isoformat(),
    }
    institutions = _manageable_institutions(request) | Institution.objects.filter(
        pk=unit.institution_id
    )
    form = UnitForm(request.POST or None, querysets={"institution": institutions}, initial=initial)
    if _save_edit(request, form, registry.update_service_unit, unit):
        return redirect("unit_detail", pk=unit.pk)
    return render(
        request,
        "core/registry/unit_form.html",
        {"form": form, "unit": unit, "title": _("Ubah unit pelayanan")},
    )


@login_required
@require_POST
def unit_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(units_visible_to(request.user), pk=pk)
    if not registry.may_manage_units_of(request.user, unit.institution):
        raise Forbidden
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Alasan penonaktifan wajib diisi."))
        return redirect("unit_detail", pk=pk)
    try:
        registry.deactivate_service_unit(
            unit, actor=signed_in_person(request), reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Unit dinonaktifkan."))
    return redirect("unit_detail", pk=pk)


@login_required
@require_POST
def unit_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(units_visible_to(request.user), pk=pk)
    if not registry.may_manage_units_of(request.user, unit.institution):
        raise Forbidden
    try:
        registry.reactivate_service_unit(unit, actor=signed_in_person(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Unit diaktifkan kembali."))
    return redirect("unit_detail", pk=pk)


# -------------------------------------------------------------------------- imports


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas CSV atau XLSX"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


def _import_page(
    request: HttpRequest,
    *,
    which: str,
    start: Callable[..., Any],
    columns: tuple[registry_io.Column, ...],
    list_url: str,
    noun: str,
) -> HttpResponse:
    """The upload form; a valid upload is stored and imported as a job, whose page shows
    the counts or every problem by row and column."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        started = start_upload_job(request, form, start)
        if started is not None:
            return started
    return render(
        request,
        "core/registry/import.html",
        {
            "form": form,
            "which": which,
            "noun": noun,
            "columns": columns,
            "list_url": list_url,
            "template_url": f"{which}_import_template",
        },
    )


@login_required
def institution_import(request: HttpRequest) -> HttpResponse:
    """Secretariat: create or update institutions from a file, all rows or none."""
    _require_secretariat(request)
    return _import_page(
        request,
        which="institution",
        start=start_institution_import,
        columns=registry_io.INSTITUTION_COLUMNS,
        list_url="institution_list",
        noun=_("instansi"),
    )


@login_required
def unit_import(request: HttpRequest) -> HttpResponse:
    """Secretariat or Admin Lokal: create or update service units from a file."""
    access = access_for(request.user)
    if not (access.is_secretariat or access.admin_institution_ids):
        raise Forbidden
    return _import_page(
        request,
        which="unit",
        start=start_unit_import,
        columns=registry_io.UNIT_COLUMNS,
        list_url="unit_list",
        noun=_("unit pelayanan"),
    )


def institution_import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return registry_io.template_response("instansi", fmt)


def unit_import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return registry_io.template_response("unit", fmt)
