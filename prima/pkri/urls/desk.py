"""PKRI pages: desk evaluation (secretariat desk and score table, evaluator pages)."""

from django.urls import URLPattern, URLResolver, path

from prima.pkri.views import desk

urlpatterns: list[URLPattern | URLResolver] = [
    path("penilai/", desk.pkri_evaluator_todo, name="pkri_evaluator_todo"),
    path("penilai/lembar/<int:pk>/", desk.pkri_evaluator_sheet, name="pkri_evaluator_sheet"),
    path(
        "penilai/lembar/<int:pk>/bukti/<int:evidence_pk>/",
        desk.pkri_assessor_evidence,
        name="pkri_assessor_evidence",
    ),
    path("penilai/<slug:code>/kesiapan/", desk.pkri_evaluator_ready, name="pkri_evaluator_ready"),
    path("<slug:code>/penilaian/", desk.pkri_desk, name="pkri_desk"),
    path("<slug:code>/penilaian/nilai/", desk.pkri_desk_scores, name="pkri_desk_scores"),
    path(
        "<slug:code>/penilaian/nilai/<int:form_id>/konsolidasi/",
        desk.pkri_desk_consolidate,
        name="pkri_desk_consolidate",
    ),
]
