"""SKM pages: surveys (list, plan, detail and its actions, instrument settings, coverage)."""

from django.urls import URLPattern, URLResolver, path

from prima.skm.views import surveys

urlpatterns: list[URLPattern | URLResolver] = [
    path("", surveys.survey_list, name="skm_surveys"),
    path("baru/", surveys.survey_create, name="skm_survey_create"),
    path("instrumen/", surveys.instrument_settings, name="skm_instruments"),
    path("belum-survei/", surveys.uncovered_units, name="skm_uncovered_units"),
    path("<int:pk>/", surveys.survey_detail, name="skm_survey"),
    path("<int:pk>/ubah/", surveys.survey_update, name="skm_survey_update"),
    path("<int:pk>/aksi/<slug:action>/", surveys.survey_transition, name="skm_survey_transition"),
]
