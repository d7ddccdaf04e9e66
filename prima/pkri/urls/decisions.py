"""PKRI pages: decisions (shortlist, interviews, rankings, results) and the panel."""

from django.urls import URLPattern, URLResolver, path

from prima.pkri.views import decisions, panel

urlpatterns: list[URLPattern | URLResolver] = [
    path("panel/", panel.panel_home, name="pkri_panel"),
    path("panel/lembar/<int:pk>/", panel.panel_sheet, name="pkri_panel_sheet"),
    path("<slug:code>/keputusan/", decisions.decisions_hub, name="pkri_decisions"),
    path(
        "<slug:code>/keputusan/daftar-wawancara/",
        decisions.decisions_shortlist,
        name="pkri_decisions_shortlist",
    ),
    path(
        "<slug:code>/keputusan/wawancara/",
        decisions.decisions_interviews,
        name="pkri_decisions_interviews",
    ),
    path(
        "<slug:code>/keputusan/peringkat/",
        decisions.decisions_rankings,
        name="pkri_decisions_rankings",
    ),
    path(
        "<slug:code>/keputusan/langkah/<slug:step>/",
        decisions.decisions_step,
        name="pkri_decisions_step",
    ),
]
