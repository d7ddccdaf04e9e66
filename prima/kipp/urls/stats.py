"""KIPP pages: funnel statistics."""

from django.urls import URLPattern, path

from prima.kipp.views import stats

urlpatterns: list[URLPattern] = [
    path("<slug:code>/statistik/", stats.kipp_funnel, name="kipp_funnel"),
    path("<slug:code>/statistik/ekspor/", stats.kipp_funnel_export, name="kipp_funnel_export"),
    path(
        "<slug:code>/statistik/pemenang-daerah/",
        stats.kipp_local_winners_export,
        name="kipp_local_winners_export",
    ),
]
