"""KIPP pages, mounted at /kipp/. Each area keeps its own URL module."""

from django.urls import URLPattern, URLResolver

from prima.kipp.urls import (
    admin_check,
    assessor,
    benefit,
    evaluation,
    participant,
    public,
    publication,
    secretariat_tools,
    stats,
)

urlpatterns: list[URLPattern | URLResolver] = [
    *participant.urlpatterns,
    *admin_check.urlpatterns,
    *benefit.urlpatterns,
    *evaluation.urlpatterns,
    *assessor.urlpatterns,
    *publication.urlpatterns,
    *public.urlpatterns,
    *stats.urlpatterns,
    *secretariat_tools.urlpatterns,
]
