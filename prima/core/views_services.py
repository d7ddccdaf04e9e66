"""Pages of a unit's service catalogue: list, add, rename, (de)activate, import and export.

Whoever sees the unit (`units_visible_to`) reads its catalogue; the secretariat, the
institution's Admin Lokal and the unit's operators change it through
`prima.core.domain.services`, which checks the permission again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from prima.core.domain import services
from prima.core.domain.errors import DomainError
from prima.core.interfaces import service_io
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.interfaces.listing import paginate
from prima.core.interfaces.tabular import TableError
from prima.core.models import Service, ServiceUnit
from prima.core.queries import units_visible_to
from prima.core.views import signed_in_person

EXPORT_FORMATS = ("csv", "xlsx")
STATUSES = ("active", "inactive", "all")


def _unit(request: HttpRequest, pk: int) -> ServiceUnit:
    """The unit, when the person may see it (404 otherwise, never revealing it exists)."""
    return get_object_or_404(units_visible_to(request.user), pk=pk)


def _managed_unit(request: HttpRequest, pk: int) -> ServiceUnit:
    unit = _unit(request, pk)
    if not services.may_manage_services(request.user, unit):
        raise Forbidden
    return unit


def _service(unit: ServiceUnit, service_pk: int) -> Service:
    service = get_object_or_404(Service, pk=service_pk, unit=unit)
    service.unit = unit
    return service


def _listed(request: HttpRequest, unit: ServiceUnit) -> tuple[Any, str, str]:
    status = request.GET.get("status", "all")
    if status not in STATUSES:
        status = "all"
    rows = Service.objects.filter(unit=unit)
    if status == "active":
        rows = rows.filter(is_active=True)
    elif status == "inactive":
        rows = rows.filter(is_active=False)
    q = request.GET.get("q", "").strip()[:100]
    for term in q.split()[:8]:
        rows = rows.filter(Q(code__icontains=term) | Q(name__icontains=term))
    return rows.order_by("-is_active", "code", "pk"), status, q


@login_required
def unit_services(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's services, active first, with search and status filter."""
    unit = _unit(request, pk)
    rows, status, q = _listed(request, unit)
    return render(
        request,
        "core/services/list.html",
        {
            "unit": unit,
            "page": paginate(request, rows),
            "status": status,
            "q": q,
            "can_manage": services.may_manage_services(request.user, unit),
        },
    )


@login_required
def unit_service_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The (filtered) catalogue as CSV or XLSX, in the import columns."""
    unit = _unit(request, pk)
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    rows, _status, _q = _listed(request, unit)
    return service_io.export_services(unit, rows, fmt)


class ServiceForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode layanan"),
        max_length=services.CODE_MAX_LENGTH,
        help_text=gettext_lazy(
            "Huruf besar A–Z, angka, dan tanda hubung, mis. KK-BARU. Unik dalam satu instansi "
            "dan tidak dapat diubah setelah disimpan."
        ),
    )
    name = forms.CharField(label=gettext_lazy("Nama layanan"), max_length=services.NAME_MAX_LENGTH)
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def data_for_domain(self) -> services.ServiceData:
        return services.ServiceData(code=self.cleaned_data["code"], name=self.cleaned_data["name"])


def _add_errors(form: forms.Form, exc: DomainError) -> None:
    problems = exc.problems if isinstance(exc, services.InvalidService) else [exc]
    for problem in problems:
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)


@login_required
def unit_service_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a service to the unit's catalogue."""
    unit = _managed_unit(request, pk)
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.create_service(
                unit, form.data_for_domain(), actor=signed_in_person(request)
            )
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Layanan %(code)s ditambahkan.") % {"code": service.code})
            return redirect("unit_services", pk=unit.pk)
    return render(
        request,
        "core/services/form.html",
        {"form": form, "unit": unit, "title": _("Tambah layanan")},
    )


@login_required
def unit_service_update(request: HttpRequest, pk: int, service_pk: int) -> HttpResponse:
    """Rename a service (its code is fixed); refused if someone saved it meanwhile."""
    unit = _managed_unit(request, pk)
    service = _service(unit, service_pk)
    form = ServiceForm(
        request.POST or None,
        initial={
            "code": service.code,
            "name": service.name,
            "version": service.updated_at.isoformat(),
        },
    )
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data.get("version") or ""
        try:
            changed = services.update_service(
                service,
                form.data_for_domain(),
                actor=signed_in_person(request),
                expected_updated_at=parse_datetime(raw) if raw else None,
            )
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("Perubahan tersimpan.") if changed else _("Tidak ada perubahan.")
            )
            return redirect("unit_services", pk=unit.pk)
    return render(
        request,
        "core/services/form.html",
        {"form": form, "unit": unit, "service": service, "title": _("Ubah layanan")},
    )


def _switch(request: HttpRequest, pk: int, service_pk: int, *, active: bool) -> HttpResponse:
    unit = _managed_unit(request, pk)
    service = _service(unit, service_pk)
    change = services.reactivate_service if active else services.deactivate_service
    try:
        change(service, actor=signed_in_person(request), reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        done = (
            _("Layanan %(code)s diaktifkan kembali.")
            if active
            else _("Layanan %(code)s dinonaktifkan.")
        )
        messages.success(request, done % {"code": service.code})
    return redirect("unit_services", pk=unit.pk)


@login_required
@require_POST
def unit_service_deactivate(request: HttpRequest, pk: int, service_pk: int) -> HttpResponse:
    return _switch(request, pk, service_pk, active=False)


@login_required
@require_POST
def unit_service_reactivate(request: HttpRequest, pk: int, service_pk: int) -> HttpResponse:
    return _switch(request, pk, service_pk, active=True)


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


@login_required
def unit_service_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Create or update the unit's services from a file, all rows or none.

    A catalogue is a few dozen rows, so the file is applied at once (no background job);
    every problem is listed by row and column.
    """
    unit = _managed_unit(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = service_io.import_services(
                unit, form.cleaned_data["file"], actor=signed_in_person(request)
            )
        except TableError as exc:
            problems = [str(error) for error in exc.errors]
        except DomainError as exc:
            problems = [exc.message]
        else:
            messages.success(
                request,
                _(
                    "Berkas diterapkan: %(created)s layanan baru, %(updated)s diperbarui, "
                    "%(unchanged)s tidak berubah."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("unit_services", pk=unit.pk)
    return render(
        request,
        "core/services/import.html",
        {
            "form": form,
            "unit": unit,
            "problems": problems,
            "columns": service_io.SERVICE_COLUMNS,
        },
        status=422 if problems else 200,
    )


@login_required
def unit_service_import_template(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """An empty import file (CSV, or XLSX with a sheet explaining each column)."""
    _unit(request, pk)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return service_io.template_response(fmt)
