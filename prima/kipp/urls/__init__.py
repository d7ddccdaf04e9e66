"""KIPP pages, mounted at /kipp/. Each area keeps its own URL module."""

from django.urls import URLPattern, URLResolver

from prima.kipp.urls import (
    admin_check,
    assessor,
    evaluation,
    participant,
    public,
    publication,
    stats,
)

urlpatterns: list[URLPattern | URLResolver] = [
    *participant.urlpatterns,
    *admin_check.urlpatterns,
    *evaluation.urlpatterns,
    *assessor.urlpatterns,
    *publication.urlpatterns,
    *public.urlpatterns,
    *stats.urlpatterns,
]
