"""Registry URLs: regions, institutions (public) and service units, with import and export."""

from django.urls import path

from prima.core import views_registry as views

urlpatterns = [
    # Public reference data.
    path("wilayah/", views.region_list, name="region_list"),
    path("instansi/", views.institution_list, name="institution_list"),
    path("instansi/ekspor/", views.institution_export, name="institution_export"),
    path("instansi/<int:pk>/", views.institution_detail, name="institution_detail"),
    path(
        "instansi/impor/templat/<str:fmt>/",
        views.institution_import_template,
        name="institution_import_template",
    ),
    # Secretariat.
    path("instansi/baru/", views.institution_create, name="institution_create"),
    path("instansi/impor/", views.institution_import, name="institution_import"),
    path("instansi/<int:pk>/ubah/", views.institution_update, name="institution_update"),
    path(
        "instansi/<int:pk>/nonaktifkan/",
        views.institution_deactivate,
        name="institution_deactivate",
    ),
    path(
        "instansi/<int:pk>/aktifkan/", views.institution_reactivate, name="institution_reactivate"
    ),
    # Service units: members of the institution and national readers; managed by the
    # secretariat and the institution's Admin Lokal.
    path("unit/", views.unit_list, name="unit_list"),
    path("unit/ekspor/", views.unit_export, name="unit_export"),
    path("unit/baru/", views.unit_create, name="unit_create"),
    path("unit/impor/", views.unit_import, name="unit_import"),
    path("unit/impor/templat/<str:fmt>/", views.unit_import_template, name="unit_import_template"),
    path("unit/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("unit/<int:pk>/ubah/", views.unit_update, name="unit_update"),
    path("unit/<int:pk>/nonaktifkan/", views.unit_deactivate, name="unit_deactivate"),
    path("unit/<int:pk>/aktifkan/", views.unit_reactivate, name="unit_reactivate"),
]
