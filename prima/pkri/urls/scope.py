"""PKRI pages: editions and scope (edition list and dashboard, loci and objects).

Staff pages name the edition by its code (``pkri-2024``). The code converter requires a
leading letter, a hyphen and a digit, so ``/pkri/2024/`` (the public page by year)
and fixed words such as ``/pkri/panel/`` never reach these views.
"""

from django.urls import URLPattern, URLResolver, path, register_converter

from prima.pkri.views import scope as views


class EditionCodeConverter:
    regex = r"(?=[a-z0-9_-]*[0-9])[a-z][a-z0-9_]*-[a-z0-9_-]*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(EditionCodeConverter, "pkri_code")

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.pkri_edition_list, name="pkri_edition_list"),
    path("<pkri_code:code>/", views.pkri_edition_dashboard, name="pkri_edition_dashboard"),
    path("<pkri_code:code>/buka-formulir/", views.pkri_open_forms, name="pkri_open_forms"),
    path("<pkri_code:code>/lingkup/", views.pkri_scope, name="pkri_scope"),
    path("<pkri_code:code>/lingkup/turunkan/", views.pkri_scope_derive, name="pkri_scope_derive"),
    path(
        "<pkri_code:code>/lingkup/tambah-lokus/",
        views.pkri_scope_add_locus,
        name="pkri_scope_add_locus",
    ),
    path(
        "<pkri_code:code>/lingkup/tambah-objek/",
        views.pkri_scope_add_object,
        name="pkri_scope_add_object",
    ),
    path(
        "<pkri_code:code>/lingkup/keluarkan/", views.pkri_scope_exclude, name="pkri_scope_exclude"
    ),
    path(
        "<pkri_code:code>/lingkup/lokus/<int:pk>/pembinaan/",
        views.pkri_scope_pembinaan,
        name="pkri_scope_pembinaan",
    ),
    path("<pkri_code:code>/lingkup/tetapkan/", views.pkri_scope_freeze, name="pkri_scope_freeze"),
    path("<pkri_code:code>/lingkup/perubahan/", views.pkri_scope_amend, name="pkri_scope_amend"),
    path("<pkri_code:code>/lingkup/impor/", views.pkri_scope_import, name="pkri_scope_import"),
    path("<pkri_code:code>/lingkup/unduh/", views.pkri_scope_export, name="pkri_scope_export"),
    path("<pkri_code:code>/objek/", views.pkri_objects, name="pkri_objects"),
    path("<pkri_code:code>/objek/<int:pk>/unit/", views.pkri_object_unit, name="pkri_object_unit"),
]
