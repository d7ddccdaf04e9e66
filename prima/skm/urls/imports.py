"""SKM pages: imports (see the module of the same name in prima/skm/views)."""

from django.urls import URLPattern, URLResolver, path

from prima.skm import jobs  # noqa: F401  (registers the import job kind)
from prima.skm.views import imports as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/impor/", views.skm_import, name="skm_import"),
    path(
        "<int:pk>/impor/templat/<str:fmt>/",
        views.skm_import_template,
        name="skm_import_template",
    ),
    path(
        "impor/<int:job_id>/baris-ditolak/",
        views.skm_import_rejected,
        name="skm_import_rejected",
    ),
]
