"""PKRI pages: public statistics and results, by year (no login)."""

from django.urls import URLPattern, URLResolver, path

from prima.pkri.views import public

urlpatterns: list[URLPattern | URLResolver] = [
    path("publik/", public.pkri_public_editions, name="pkri_public_editions"),
    path("<int:year>/", public.pkri_public_edition, name="pkri_public_edition"),
    path("<int:year>/hasil/", public.pkri_public_results, name="pkri_public_results"),
    path(
        "<int:year>/instansi/<int:pk>/",
        public.pkri_public_institution,
        name="pkri_public_institution",
    ),
]
