"""PKRI pages, mounted at /pkri/. Each area keeps its own URL module."""

from django.urls import URLPattern, URLResolver

from prima.pkri.urls import (
    decisions,
    desk,
    editions,
    forms,
    interview_slots,
    province,
    public,
    scope,
)

urlpatterns: list[URLPattern | URLResolver] = [
    *editions.urlpatterns,
    *province.urlpatterns,
    *scope.urlpatterns,
    *forms.urlpatterns,
    *desk.urlpatterns,
    *decisions.urlpatterns,
    *interview_slots.urlpatterns,
    *public.urlpatterns,
]
