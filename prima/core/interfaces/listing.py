"""List-page helpers shared by every app: the page size, the requested page, sorting."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 50


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int = PAGE_SIZE) -> Page[Any]:
    """The requested page (bad or out-of-range numbers fall back to the nearest page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def apply_sort(
    request: HttpRequest,
    queryset: QuerySet[Any],
    columns: Mapping[str, Sequence[str]],
    default: str,
) -> tuple[QuerySet[Any], str]:
    """Order by the `sort` parameter (a column key, "-" for descending) from an allow-list."""
    wanted = request.GET.get("sort", default)
    key = wanted.removeprefix("-")
    if key not in columns:
        wanted, key = default, default.removeprefix("-")
    fields = list(columns[key])
    if wanted.startswith("-"):
        fields = [f[1:] if f.startswith("-") else f"-{f}" for f in fields]
    # The primary key last keeps pages stable when sort values tie.
    return queryset.order_by(*fields, "pk"), wanted
