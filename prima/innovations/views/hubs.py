"""Replication-network hub pages (Simpul JIPP, pkri.md §9), under /inovasi/jipp/simpul/.

- ``/inovasi/jipp/simpul/``: the hubs with their figures, for everyone (CSV/XLSX from
  ``ekspor/``); ``{id}/`` one hub, its members and their published innovations.
- The secretariat creates, edits and deletes hubs and manages members (add from the
  institutions of the province, remove, import a file) on the other pages.

Reads come from `prima.innovations.queries_hubs`; writes go through
`prima.innovations.domain.hubs`, which refuses anyone but the secretariat again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.core.domain.errors import DomainError
from prima.core.interfaces.tabular import TableError
from prima.core.models import Institution
from prima.core.views import signed_in_person
from prima.innovations.domain import hubs as domain
from prima.innovations.interfaces import hubs_io
from prima.innovations.interfaces.hub_forms import HubForm, MemberAddForm, MemberImportForm
from prima.innovations.models import JippHub
from prima.innovations.queries_hubs import hub_with_members, hubs_with_figures, member_rows
from prima.innovations.views.common import add_domain_error

MAX_IMPORT_MESSAGES = 50
HUB_FIELDS = ("province", "decree_ref", "year", "universities")


def _manage(request: HttpRequest) -> None:
    if not domain.may_manage_hubs(request.user):
        raise PermissionDenied


def _hub(pk: int) -> JippHub:
    return get_object_or_404(JippHub.objects.select_related("province"), pk=pk)


# --------------------------------------------------------------------------- public


def jipp_hub_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "innovations/jipp/hubs/list.html",
        {"hubs": list(hubs_with_figures()), "can_manage": domain.may_manage_hubs(request.user)},
    )


def jipp_hub_export(request: HttpRequest) -> HttpResponse:
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return hubs_io.export_hubs(hubs_with_figures(), fmt)


def jipp_hub_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hub = get_object_or_404(hub_with_members(), pk=pk)
    return render(
        request,
        "innovations/jipp/hubs/detail.html",
        {
            "hub": hub,
            "members": member_rows(hub),
            "can_manage": domain.may_manage_hubs(request.user),
        },
    )


# --------------------------------------------------------------------------- secretariat


def _hub_form(request: HttpRequest, hub: JippHub | None) -> HttpResponse:
    """The create (no `hub`) and edit form: the same fields, the domain decides."""
    form = HubForm(request.POST or None, hub=hub)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in HUB_FIELDS}
        try:
            if hub is None:
                saved = domain.create_hub(**fields, actor=signed_in_person(request))
            else:
                saved = domain.update_hub(hub, **fields, actor=signed_in_person(request))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if hub is None:
                messages.success(
                    request,
                    _("Simpul JIPP Provinsi %(name)s dibuat.") % {"name": saved.province.name},
                )
                return redirect("jipp_hub_members", pk=saved.pk)
            messages.success(request, _("Simpul JIPP disimpan."))
            return redirect("jipp_hub_detail", pk=saved.pk)
    title = _("Tambah simpul JIPP") if hub is None else _("Ubah simpul JIPP")
    return render(
        request, "innovations/jipp/hubs/form.html", {"form": form, "title": title, "hub": hub}
    )


@login_required
def jipp_hub_create(request: HttpRequest) -> HttpResponse:
    _manage(request)
    return _hub_form(request, None)


@login_required
def jipp_hub_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _manage(request)
    return _hub_form(request, _hub(pk))


@login_required
def jipp_hub_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _manage(request)
    hub = get_object_or_404(hubs_with_figures(), pk=pk)
    if request.method == "POST":
        try:
            domain.delete_hub(hub, actor=signed_in_person(request))
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("jipp_hub_detail", pk=hub.pk)
        messages.success(
            request, _("Simpul JIPP Provinsi %(name)s dihapus.") % {"name": hub.province.name}
        )
        return redirect("jipp_hub_list")
    return render(request, "innovations/jipp/hubs/delete.html", {"hub": hub})


def _members_page(
    request: HttpRequest,
    hub: JippHub,
    add_form: MemberAddForm | None = None,
    import_form: MemberImportForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "innovations/jipp/hubs/members.html",
        {
            "hub": hub,
            "members": list(hub.members.select_related("region").order_by("name")),
            "add_form": add_form or MemberAddForm(hub=hub),
            "import_form": import_form or MemberImportForm(),
        },
    )


@login_required
def jipp_hub_members(request: HttpRequest, pk: int) -> HttpResponse:
    _manage(request)
    return _members_page(request, _hub(pk))


@login_required
@require_POST
def jipp_hub_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    _manage(request)
    hub = _hub(pk)
    form = MemberAddForm(request.POST, hub=hub)
    if form.is_valid():
        institution = form.cleaned_data["institution"]
        try:
            domain.add_hub_member(hub, institution, actor=signed_in_person(request))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s menjadi anggota simpul %(hub)s.")
                % {"name": institution.name, "hub": hub.province.name},
            )
            return redirect("jipp_hub_members", pk=hub.pk)
    return _members_page(request, hub, add_form=form)


@login_required
@require_POST
def jipp_hub_member_remove(request: HttpRequest, pk: int, institution_pk: int) -> HttpResponse:
    _manage(request)
    hub = _hub(pk)
    institution = get_object_or_404(Institution, pk=institution_pk)
    try:
        domain.remove_hub_member(hub, institution, actor=signed_in_person(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s dikeluarkan dari simpul %(hub)s.")
            % {"name": institution.name, "hub": hub.province.name},
        )
    return redirect("jipp_hub_members", pk=hub.pk)


@login_required
@require_POST
def jipp_hub_members_import(request: HttpRequest, pk: int) -> HttpResponse:
    _manage(request)
    hub = _hub(pk)
    form = MemberImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _members_page(request, hub, import_form=form)
    try:
        result = hubs_io.import_members(
            hub,
            form.cleaned_data["file"],
            replace=form.cleaned_data["replace"],
            actor=signed_in_person(request),
        )
    except TableError as error:
        messages.error(request, _("Berkas tidak diterapkan; perbaiki masalah berikut:"))
        for problem in error.errors[:MAX_IMPORT_MESSAGES]:
            messages.error(request, str(problem))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Berkas diterapkan: %(added)s instansi ditambahkan, %(removed)s dikeluarkan, "
                "%(kept)s tetap."
            )
            % {"added": result.added, "removed": result.removed, "kept": result.kept},
        )
    return redirect("jipp_hub_members", pk=hub.pk)
