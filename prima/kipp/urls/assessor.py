"""KIPP pages: assessors (Tim Evaluasi and Tim Panel Independen)."""

from django.urls import URLPattern, path

from prima.kipp.views import assessor as views

urlpatterns: list[URLPattern] = [
    path("penilai/", views.assessor_home, name="kipp_assessor_home"),
    path("penilai/<slug:code>/kode-etik/", views.assessor_code, name="kipp_assessor_code"),
    path("penilai/<slug:code>/konflik/", views.assessor_conflicts, name="kipp_assessor_conflicts"),
    path("penilai/<slug:code>/tugas/", views.assessor_todo, name="kipp_assessor_todo"),
    path("penilai/<slug:code>/tugas/<int:pk>/", views.assessor_sheet, name="kipp_assessor_sheet"),
    path(
        "penilai/<slug:code>/tugas/<int:pk>/finalkan/",
        views.assessor_sheet_finalise,
        name="kipp_assessor_sheet_finalise",
    ),
    path(
        "penilai/<slug:code>/tugas/<int:pk>/koreksi/",
        views.assessor_sheet_correct,
        name="kipp_assessor_sheet_correct",
    ),
]
