"""SKM pages: results (see the module of the same name in prima/skm/views)."""

from django.urls import URLPattern, URLResolver, path

from prima.skm.views import results

urlpatterns: list[URLPattern | URLResolver] = [
    path("rekap/", results.results_summary, name="skm_summary"),
    path("<int:pk>/hasil/", results.survey_result, name="skm_result"),
    path("<int:pk>/laporan.pdf", results.survey_report_pdf, name="skm_report_pdf"),
    path("<int:pk>/laporan.xlsx", results.survey_report_xlsx, name="skm_report_xlsx"),
    path("<int:pk>/saran/", results.survey_suggestions, name="skm_suggestions"),
]
