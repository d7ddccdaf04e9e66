"""Award pages, mounted at /penghargaan/ (certificates, verification, lists)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
