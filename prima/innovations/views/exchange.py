"""JIPPNas data exchange pages (pkri.md §9).

- ``/inovasi/jipp/data/``: the secretariat's page: export links, the import form, and the
  stale innovations (profile older than 24 months) with the form that asks their owners
  to update them.
- ``/inovasi/jipp/data/ekspor/``: the secretariat's export (full, or the public part).
- ``/inovasi/jipp/data/impor/``: upload a JIPPNas file; the page lists every problem or
  what was imported.
- ``/inovasi/jipp/data/permintaan/`` (POST): send the update requests.
- ``/inovasi/jipp/permintaan/``: owners (Admin Lokal, operators) see the requests not
  yet answered for their innovations.
- ``/inovasi/jipp/data/publik.json`` and ``publik-nodes.csv`` / ``publik-edges.csv``:
  the open data, for anyone.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from prima.core.domain.errors import DomainError
from prima.core.enums import InstitutionKind, RegionLevel
from prima.core.interfaces.forms import StyledFormMixin
from prima.core.interfaces.listing import paginate
from prima.core.interfaces.tabular import TableError
from prima.core.models import Institution, Region
from prima.core.views import signed_in_person
from prima.innovations.domain.exchange import EDGES, NODES
from prima.innovations.domain.update_requests import MAX_MESSAGE, request_profile_updates
from prima.innovations.interfaces import jipp_exchange
from prima.innovations.queries_exchange import (
    REQUESTED_CHOICES,
    StaleFilters,
    may_manage_exchange,
    may_see_update_requests,
    network_edges,
    network_nodes,
    open_update_requests,
    stale_innovations,
)

STALE_PAGE = 50
FILTER_KEYS = ("instansi", "provinsi", "jenis", "permintaan")


class RequestForm(StyledFormMixin, forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Pesan untuk pemilik inovasi (boleh kosong)"),
        required=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _require_secretariat(request: HttpRequest) -> None:
    if not may_manage_exchange(request.user):
        raise PermissionDenied


def stale_filters(params: Any) -> StaleFilters:
    """The stale list's filters from a query string or form (unknown values ignored)."""
    institution = str(params.get("instansi", "")).strip()
    kind = str(params.get("jenis", "")).strip()
    requested = str(params.get("permintaan", "")).strip()
    return StaleFilters(
        institution=int(institution) if institution.isdigit() else None,
        province=str(params.get("provinsi", "")).strip()[:2],
        kind=kind if kind in InstitutionKind.values else "",
        requested=requested if requested in REQUESTED_CHOICES else "",
    )


def _filter_query(params: Any) -> str:
    return urlencode({key: params.get(key) for key in FILTER_KEYS if params.get(key)})


@login_required
def jipp_data(request: HttpRequest) -> HttpResponse:
    _require_secretariat(request)
    today = timezone.localdate()
    filters = stale_filters(request.GET)
    stale = stale_innovations(request.user, today, filters)
    page = paginate(request, stale, STALE_PAGE)
    return render(
        request,
        "innovations/jipp/exchange/data.html",
        {
            "page": page,
            "filters": filters,
            "filter_query": _filter_query(request.GET),
            "institutions": Institution.objects.filter(
                pk__in=stale_innovations(request.user, today).values("institution_id")
            ).order_by("name"),
            "provinces": Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code"),
            "kinds": InstitutionKind.choices,
            "requested_choices": [
                ("belum", _("belum pernah diminta")),
                ("sudah", _("sudah pernah diminta")),
            ],
            "counts": {
                "nodes": network_nodes(public=False).count(),
                "edges": network_edges(public=False).count(),
                "public_nodes": network_nodes(public=True).count(),
                "public_edges": network_edges(public=True).count(),
            },
            "request_form": RequestForm(),
            "import_form": jipp_exchange.ImportForm(),
        },
    )


@login_required
def jipp_export(request: HttpRequest) -> StreamingHttpResponse:
    """?format=json|csv, ?part=nodes|edges (CSV), ?public=1 for the public part."""
    _require_secretariat(request)
    fmt = "csv" if request.GET.get("format") == "csv" else "json"
    public = request.GET.get("public") in ("1", "ya", "true")
    return jipp_exchange.export_response(fmt, public=public, part=request.GET.get("part", ""))


def jipp_open_data(request: HttpRequest) -> StreamingHttpResponse:
    """The public part of the network as JSON, for anyone."""
    return jipp_exchange.export_response("json", public=True)


def jipp_open_data_nodes(request: HttpRequest) -> StreamingHttpResponse:
    """The public innovations as CSV, for anyone."""
    return jipp_exchange.export_response("csv", public=True, part=NODES)


def jipp_open_data_edges(request: HttpRequest) -> StreamingHttpResponse:
    """The public links as CSV, for anyone."""
    return jipp_exchange.export_response("csv", public=True, part=EDGES)


@login_required
def jipp_import(request: HttpRequest) -> HttpResponse:
    _require_secretariat(request)
    form = jipp_exchange.ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {
        "form": form,
        "node_columns": jipp_exchange.NODE_COLUMNS,
        "edge_columns": jipp_exchange.EDGE_COLUMNS,
    }
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            context["result"] = jipp_exchange.import_network_file(
                form.cleaned_data["file"],
                actor=signed_in_person(request),
                update=form.cleaned_data["update"],
            )
        except TableError as error:
            context["problems"] = [str(problem) for problem in error.errors]
            status = 422
        except DomainError as error:
            context["problems"] = [error.message]
            status = 422
        else:
            context["form"] = jipp_exchange.ImportForm()
    elif request.method == "POST":
        status = 422
    return render(request, "innovations/jipp/exchange/import.html", context, status=status)


@login_required
@require_POST
def jipp_request_updates(request: HttpRequest) -> HttpResponse:
    _require_secretariat(request)
    back = reverse("jipp_data")
    query = _filter_query(request.POST)
    if query:
        back += "?" + query
    form = RequestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    stale = stale_innovations(request.user, timezone.localdate(), stale_filters(request.POST))
    if request.POST.get("semua") != "1":
        ids = [int(v) for v in request.POST.getlist("innovation") if v.isdigit()]
        stale = stale.filter(pk__in=ids)
    try:
        result = request_profile_updates(
            list(stale), message=form.cleaned_data["message"], actor=signed_in_person(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(
        request,
        _("Permintaan pembaruan dikirim untuk %(count)s inovasi (%(emails)s surel ke pemilik).")
        % {"count": len(result.requests), "emails": result.emails},
    )
    if result.skipped:
        messages.warning(
            request,
            _("%(count)s inovasi dilewati karena sudah diminta dalam 7 hari terakhir: %(names)s.")
            % {
                "count": len(result.skipped),
                "names": "; ".join(
                    f"{innovation.name} ({timezone.localtime(when):%d-%m-%Y})"
                    for innovation, when in result.skipped[:20]
                ),
            },
        )
    if result.without_recipients:
        messages.warning(
            request,
            _(
                "%(count)s inovasi tidak memiliki operator atau Admin Lokal dengan alamat surel; "
                "permintaannya tercatat tetapi tidak ada surel terkirim: %(names)s."
            )
            % {
                "count": len(result.without_recipients),
                "names": "; ".join(i.name for i in result.without_recipients[:20]),
            },
        )
    return redirect(back)


@login_required
def jipp_update_requests(request: HttpRequest) -> HttpResponse:
    if not may_see_update_requests(request.user):
        raise PermissionDenied
    page = paginate(request, open_update_requests(request.user))
    return render(request, "innovations/jipp/exchange/requests.html", {"page": page})
