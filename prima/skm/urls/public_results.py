"""Published SKM results and open data, mounted at /survei/hasil/ (no login)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
