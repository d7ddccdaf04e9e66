"""KIPP pages: funnel statistics."""

from django.urls import URLPattern, path

from prima.kipp.views import stats, tier_import

urlpatterns: list[URLPattern] = [
    path("<slug:code>/statistik/", stats.kipp_funnel, name="kipp_funnel"),
    path("<slug:code>/statistik/ekspor/", stats.kipp_funnel_export, name="kipp_funnel_export"),
    path(
        "<slug:code>/statistik/pemenang-daerah/",
        stats.kipp_local_winners_export,
        name="kipp_local_winners_export",
    ),
]

# Award tier history import (kipp.md §17), secretariat only.
urlpatterns += [
    path("riwayat-tier/impor/", tier_import.kipp_tier_import, name="kipp_tier_import"),
    path(
        "riwayat-tier/tinjauan/",
        tier_import.kipp_tier_import_review,
        name="kipp_tier_import_review",
    ),
    path(
        "riwayat-tier/tinjauan/<int:entry>/<int:index>/",
        tier_import.kipp_tier_import_resolve,
        name="kipp_tier_import_resolve",
    ),
]
