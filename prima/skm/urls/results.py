"""SKM pages: results (see the module of the same name in prima/skm/views)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
