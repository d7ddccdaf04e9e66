"""SKM pages: the survey's QR code and poster, one-time codes (prima/skm/views/tokens.py)."""

from django.urls import URLPattern, URLResolver, path

from prima.skm.views import tokens

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/qr/", tokens.survey_qr, name="skm_survey_qr"),
    path("<int:pk>/poster.pdf", tokens.survey_poster, name="skm_survey_poster"),
    path("unit/<int:unit_pk>/kode/", tokens.unit_codes, name="skm_unit_codes"),
]
