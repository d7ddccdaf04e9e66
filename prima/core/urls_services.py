"""The service catalogue of each unit (mpp.md §3 code and name), under the registry."""

from django.urls import URLPattern, URLResolver, path

from prima.core import views_services as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("unit/<int:pk>/layanan/", views.unit_services, name="unit_services"),
    path("unit/<int:pk>/layanan/baru/", views.unit_service_create, name="unit_service_create"),
    path("unit/<int:pk>/layanan/ekspor/", views.unit_service_export, name="unit_service_export"),
    path("unit/<int:pk>/layanan/impor/", views.unit_service_import, name="unit_service_import"),
    path(
        "unit/<int:pk>/layanan/impor/templat/<str:fmt>/",
        views.unit_service_import_template,
        name="unit_service_import_template",
    ),
    path(
        "unit/<int:pk>/layanan/<int:service_pk>/ubah/",
        views.unit_service_update,
        name="unit_service_update",
    ),
    path(
        "unit/<int:pk>/layanan/<int:service_pk>/nonaktifkan/",
        views.unit_service_deactivate,
        name="unit_service_deactivate",
    ),
    path(
        "unit/<int:pk>/layanan/<int:service_pk>/aktifkan/",
        views.unit_service_reactivate,
        name="unit_service_reactivate",
    ),
]
