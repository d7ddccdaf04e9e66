"""The service catalogue of each unit (mpp.md §3 code and name), under the registry."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
