"""PKRI pages: decisions (filled in by its area)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
