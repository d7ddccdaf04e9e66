"""KIPP pages: the public benefit rating (kipp.md §14) — citizens' pages under the public
edition, the secretariat's monitor under the evaluation desk."""

from django.urls import URLPattern, path

from prima.kipp.views import benefit as views

urlpatterns: list[URLPattern] = [
    path(
        "publik/<slug:code>/kebermanfaatan/",
        views.kipp_benefit_home,
        name="kipp_benefit_home",
    ),
    path(
        "publik/<slug:code>/kebermanfaatan/<int:pk>/nilai/",
        views.kipp_benefit_rate,
        name="kipp_benefit_rate",
    ),
    path(
        "publik/<slug:code>/kebermanfaatan/saya/",
        views.kipp_benefit_mine,
        name="kipp_benefit_mine",
    ),
    path(
        "publik/<slug:code>/kebermanfaatan/hasil/",
        views.kipp_benefit_results,
        name="kipp_benefit_results",
    ),
    path(
        "publik/<slug:code>/kebermanfaatan/hasil/unduh/",
        views.kipp_benefit_results_export,
        name="kipp_benefit_results_export",
    ),
    path(
        "evaluasi/<slug:code>/kebermanfaatan/",
        views.kipp_benefit_monitor,
        name="kipp_benefit_monitor",
    ),
    path(
        "evaluasi/<slug:code>/kebermanfaatan/mencurigakan/",
        views.kipp_benefit_suspects,
        name="kipp_benefit_suspects",
    ),
    path(
        "evaluasi/<slug:code>/kebermanfaatan/ekspor/",
        views.kipp_benefit_export,
        name="kipp_benefit_export",
    ),
]
