"""The public innovation catalogue (pkri.md §9): no login, published innovations only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from prima.core.interfaces.listing import paginate
from prima.innovations.domain.catalogue import MAX_GENERATIONS, generations_wanted
from prima.innovations.domain.staleness import is_stale
from prima.innovations.enums import SDG_NAMES
from prima.innovations.interfaces.forms import CatalogueFilterForm
from prima.innovations.queries import (
    apply_filters,
    public_awards,
    published_innovations,
    with_catalogue_relations,
)
from prima.innovations.queries_catalogue import catalogue_lineage, catalogue_rows


def public_innovation_list(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET)
    qs = with_catalogue_relations(apply_filters(published_innovations(), form.filters()))
    page = paginate(request, qs)
    rows = catalogue_rows(page.object_list, timezone.localdate())
    return render(
        request, "innovations/public_list.html", {"form": form, "page": page, "rows": rows}
    )


def public_innovation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = get_object_or_404(
        published_innovations().select_related("institution", "unit", "unit__region"), pk=pk
    )
    generations = generations_wanted(request.GET.get("generasi", ""))
    lineage = catalogue_lineage(innovation, generations=generations)
    return render(
        request,
        "innovations/public_detail.html",
        {
            "innovation": innovation,
            "categories": list(innovation.categories.order_by("position", "name")),
            "sdgs": [(goal, SDG_NAMES.get(goal, "")) for goal in innovation.sdg_goals],
            "evidence": list(innovation.evidence.filter(is_public=True)),
            "awards": list(public_awards().filter(innovation=innovation)),
            "lineage": lineage,
            "stale": is_stale(innovation.updated_at, timezone.localdate()),
            "more_generations": min(generations + 2, MAX_GENERATIONS),
            "can_show_more": lineage.deeper and generations < MAX_GENERATIONS,
        },
    )
