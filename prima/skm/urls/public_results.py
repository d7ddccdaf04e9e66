"""Published SKM results and open data, mounted at /survei/hasil/ (no login)."""

from django.urls import URLPattern, URLResolver, path

from prima.skm.views import results

urlpatterns: list[URLPattern | URLResolver] = [
    path("hasil/", results.public_results, name="skm_public_results"),
    path("hasil/data.<str:fmt>", results.open_data, name="skm_open_data"),
    path("hasil/<str:public_id>/", results.public_result, name="skm_public_result"),
]
