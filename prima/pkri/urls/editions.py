"""PKRI pages: creating an edition from its rule file (secretariat)."""

from django.urls import URLPattern, URLResolver, path

from prima.pkri.views import editions

urlpatterns: list[URLPattern | URLResolver] = [
    path("baru/", editions.edition_create, name="pkri_edition_create"),
]
