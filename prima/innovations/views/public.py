"""The public innovation catalogue: no login, published innovations only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from prima.core.interfaces.listing import paginate
from prima.innovations.enums import SDG_NAMES
from prima.innovations.interfaces.forms import PublicFilterForm
from prima.innovations.queries import (
    apply_filters,
    lineage_for,
    public_awards,
    published_innovations,
    with_list_relations,
)


def public_innovation_list(request: HttpRequest) -> HttpResponse:
    form = PublicFilterForm(request.GET)
    qs = with_list_relations(apply_filters(published_innovations(), form.filters()))
    page = paginate(request, qs)
    return render(request, "innovations/public_list.html", {"form": form, "page": page})


def public_innovation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = get_object_or_404(
        published_innovations().select_related("institution", "unit", "unit__region"), pk=pk
    )
    return render(
        request,
        "innovations/public_detail.html",
        {
            "innovation": innovation,
            "categories": list(innovation.categories.order_by("position", "name")),
            "sdgs": [(goal, SDG_NAMES.get(goal, "")) for goal in innovation.sdg_goals],
            "evidence": list(innovation.evidence.filter(is_public=True)),
            "awards": list(public_awards().filter(innovation=innovation)),
            "lineage": lineage_for(innovation, None, public=True),
        },
    )
