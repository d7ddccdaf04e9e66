"""The citizens' survey pages, mounted at /survei/ (no login).

The survey form and one-time codes live here; published results in `public_results`
(listed first, so ``hasil/`` is never read as a survey id).
"""

from django.urls import URLPattern, URLResolver, path

from prima.skm.urls import public_results
from prima.skm.views import public

urlpatterns: list[URLPattern | URLResolver] = [
    *public_results.urlpatterns,
    path("kode/", public.code_entry, name="skm_public_code"),
    path("t/<slug:token>/", public.token_survey, name="skm_public_token"),
    path("<slug:public_id>/", public.survey_form, name="skm_public_survey"),
    path("<slug:public_id>/terima-kasih/", public.thanks, name="skm_public_thanks"),
]
