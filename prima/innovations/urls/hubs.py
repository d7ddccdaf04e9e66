"""JIPP pages: hubs (Simpul JIPP), mounted under /inovasi/."""

from django.urls import path

from prima.innovations.views import hubs

urlpatterns = [
    path("jipp/simpul/", hubs.jipp_hub_list, name="jipp_hub_list"),
    path("jipp/simpul/ekspor/", hubs.jipp_hub_export, name="jipp_hub_export"),
    path("jipp/simpul/baru/", hubs.jipp_hub_create, name="jipp_hub_create"),
    path("jipp/simpul/<int:pk>/", hubs.jipp_hub_detail, name="jipp_hub_detail"),
    path("jipp/simpul/<int:pk>/ubah/", hubs.jipp_hub_edit, name="jipp_hub_edit"),
    path("jipp/simpul/<int:pk>/hapus/", hubs.jipp_hub_delete, name="jipp_hub_delete"),
    path("jipp/simpul/<int:pk>/anggota/", hubs.jipp_hub_members, name="jipp_hub_members"),
    path(
        "jipp/simpul/<int:pk>/anggota/tambah/",
        hubs.jipp_hub_member_add,
        name="jipp_hub_member_add",
    ),
    path(
        "jipp/simpul/<int:pk>/anggota/<int:institution_pk>/keluarkan/",
        hubs.jipp_hub_member_remove,
        name="jipp_hub_member_remove",
    ),
    path(
        "jipp/simpul/<int:pk>/anggota/impor/",
        hubs.jipp_hub_members_import,
        name="jipp_hub_members_import",
    ),
]
