"""KIPP pages: the secretariat's evaluation desk (kipp.md §10, §11, §13)."""

from django.urls import URLPattern, path

from prima.kipp.views import evaluation as hub
from prima.kipp.views import evaluation_decisions as decisions
from prima.kipp.views import evaluation_people as people
from prima.kipp.views import evaluation_runs as runs
from prima.kipp.views import evaluation_scores as scores
from prima.kipp.views import evaluation_selections as selections

urlpatterns: list[URLPattern] = [
    path("evaluasi/<slug:code>/", hub.kipp_evaluation_hub, name="kipp_evaluation_hub"),
    path(
        "evaluasi/<slug:code>/<slug:stage>/kemajuan/ekspor/",
        hub.kipp_evaluation_progress_export,
        name="kipp_evaluation_progress_export",
    ),
    path(
        "evaluasi/<slug:code>/pengingat/", hub.kipp_evaluation_remind, name="kipp_evaluation_remind"
    ),
    path(
        "evaluasi/<slug:code>/<slug:stage>/mulai/",
        hub.kipp_evaluation_start_review,
        name="kipp_evaluation_start_review",
    ),
    # Appointments and conflicts.
    path(
        "evaluasi/<slug:code>/penilai/",
        people.kipp_evaluation_appointments,
        name="kipp_evaluation_appointments",
    ),
    path(
        "evaluasi/<slug:code>/penilai/tambah/",
        people.kipp_evaluation_appoint,
        name="kipp_evaluation_appoint",
    ),
    path(
        "evaluasi/penilai/<int:pk>/nonaktifkan/",
        people.kipp_evaluation_deactivate,
        name="kipp_evaluation_deactivate",
    ),
    path(
        "evaluasi/<slug:code>/konflik/",
        people.kipp_evaluation_conflicts,
        name="kipp_evaluation_conflicts",
    ),
    path(
        "evaluasi/<slug:code>/konflik/tambah/",
        people.kipp_evaluation_conflict_add,
        name="kipp_evaluation_conflict_add",
    ),
    # Assignment runs.
    path(
        "evaluasi/<slug:code>/<slug:stage>/penugasan/",
        runs.kipp_evaluation_runs,
        name="kipp_evaluation_runs",
    ),
    path(
        "evaluasi/<slug:code>/<slug:stage>/penugasan/pin/",
        runs.kipp_evaluation_pin_deployed,
        name="kipp_evaluation_pin_deployed",
    ),
    path("evaluasi/penugasan/<int:pk>/", runs.kipp_evaluation_run, name="kipp_evaluation_run"),
    path(
        "evaluasi/penugasan/<int:pk>/terapkan/",
        runs.kipp_evaluation_run_deploy,
        name="kipp_evaluation_run_deploy",
    ),
    # Scores.
    path(
        "evaluasi/<slug:code>/<slug:stage>/nilai/",
        scores.kipp_evaluation_scores,
        name="kipp_evaluation_scores",
    ),
    path(
        "evaluasi/<slug:code>/<slug:stage>/nilai/ekspor/",
        scores.kipp_evaluation_scores_export,
        name="kipp_evaluation_scores_export",
    ),
    path(
        "evaluasi/<slug:code>/<slug:stage>/lembar/ekspor/",
        scores.kipp_evaluation_sheets_export,
        name="kipp_evaluation_sheets_export",
    ),
    path(
        "evaluasi/<slug:code>/<slug:stage>/nilai/<int:subject>/",
        scores.kipp_evaluation_score_detail,
        name="kipp_evaluation_score_detail",
    ),
    path(
        "evaluasi/<slug:code>/<slug:stage>/nilai/<int:subject>/konsolidasi/",
        scores.kipp_evaluation_consolidate,
        name="kipp_evaluation_consolidate",
    ),
    path(
        "evaluasi/lembar/<int:pk>/koreksi/",
        scores.kipp_evaluation_sheet_correct,
        name="kipp_evaluation_sheet_correct",
    ),
    # Selections and decisions.
    path(
        "evaluasi/<slug:code>/nominasi/",
        decisions.kipp_evaluation_nomination,
        name="kipp_evaluation_nomination",
    ),
    path(
        "evaluasi/<slug:code>/finalis/",
        decisions.kipp_evaluation_finalists,
        name="kipp_evaluation_finalists",
    ),
    path(
        "evaluasi/<slug:code>/finalis/tetapkan/",
        decisions.kipp_evaluation_decide_finalists,
        name="kipp_evaluation_decide_finalists",
    ),
    path(
        "evaluasi/<slug:code>/pemenang/",
        decisions.kipp_evaluation_winners,
        name="kipp_evaluation_winners",
    ),
    path(
        "evaluasi/<slug:code>/pemenang/ekspor/",
        decisions.kipp_evaluation_final_scores_export,
        name="kipp_evaluation_final_scores_export",
    ),
    path(
        "evaluasi/<slug:code>/pemenang/tetapkan/",
        decisions.kipp_evaluation_decide_winners,
        name="kipp_evaluation_decide_winners",
    ),
    path(
        "evaluasi/proposal/<int:pk>/dinilai/",
        decisions.kipp_evaluation_mark_presented,
        name="kipp_evaluation_mark_presented",
    ),
    path(
        "evaluasi/seleksi/<int:pk>/",
        selections.kipp_evaluation_selection,
        name="kipp_evaluation_selection",
    ),
    path(
        "evaluasi/seleksi/<int:pk>/ekspor/",
        selections.kipp_evaluation_selection_export,
        name="kipp_evaluation_selection_export",
    ),
    path(
        "evaluasi/seleksi/<int:pk>/nominasikan/",
        selections.kipp_evaluation_nominate,
        name="kipp_evaluation_nominate",
    ),
]
