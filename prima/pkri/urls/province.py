"""PKRI pages: the provincial coordinator's read-only progress (pkri.md §2)."""

from django.urls import URLPattern, URLResolver, path

from prima.pkri.urls import scope  # noqa: F401  (registers the pkri_code converter)
from prima.pkri.views import province

urlpatterns: list[URLPattern | URLResolver] = [
    path("provinsi/", province.province_editions, name="pkri_province_editions"),
    path("<pkri_code:code>/provinsi/", province.province_progress, name="pkri_province_progress"),
]
