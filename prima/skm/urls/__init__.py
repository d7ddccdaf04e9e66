"""SKM staff pages, mounted at /skm/. Each area keeps its own URL module."""

from django.urls import URLPattern, URLResolver

from prima.skm.urls import follow_up, imports, responses, results, surveys, tokens

urlpatterns: list[URLPattern | URLResolver] = [
    *surveys.urlpatterns,
    *responses.urlpatterns,
    *imports.urlpatterns,
    *results.urlpatterns,
    *follow_up.urlpatterns,
    *tokens.urlpatterns,
]
