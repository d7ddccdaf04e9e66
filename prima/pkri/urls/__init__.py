"""PKRI pages, mounted at /pkri/. Each area keeps its own URL module."""

from django.urls import URLPattern, URLResolver

from prima.pkri.urls import decisions, desk, forms, public, scope

urlpatterns: list[URLPattern | URLResolver] = [
    *scope.urlpatterns,
    *forms.urlpatterns,
    *desk.urlpatterns,
    *decisions.urlpatterns,
    *public.urlpatterns,
]
