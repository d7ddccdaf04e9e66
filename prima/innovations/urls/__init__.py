"""Innovation registry pages, mounted at /inovasi/."""

from django.urls import include, path

from prima.innovations.views import public, records, registry

urlpatterns = [
    path("", registry.innovation_list, name="innovation_list"),
    path("ekspor/", registry.innovation_export, name="innovation_export"),
    path("baru/", registry.innovation_create, name="innovation_create"),
    path("<int:pk>/", registry.innovation_detail, name="innovation_detail"),
    path("<int:pk>/ubah/", registry.innovation_edit, name="innovation_edit"),
    path("<int:pk>/status/", records.innovation_status, name="innovation_status"),
    path("<int:pk>/publikasi/", records.innovation_publish, name="innovation_publish"),
    path("<int:pk>/bukti/tambah/", records.innovation_evidence_add, name="innovation_evidence_add"),
    path("bukti/<int:pk>/", records.evidence_download, name="evidence_download"),
    path("bukti/<int:pk>/hapus/", records.evidence_remove, name="evidence_remove"),
    path(
        "<int:pk>/replikasi/tambah/",
        records.innovation_replication_add,
        name="innovation_replication_add",
    ),
    path("replikasi/<int:pk>/hapus/", records.replication_remove, name="replication_remove"),
    path("<int:pk>/penghargaan/tambah/", records.innovation_award_add, name="innovation_award_add"),
    path("publik/", public.public_innovation_list, name="public_innovation_list"),
    path("publik/<int:pk>/", public.public_innovation_detail, name="public_innovation_detail"),
    # The replication network (JIPP, pkri.md §9); every page there is named `jipp_*`.
    path("", include("prima.innovations.urls.links")),
    path("", include("prima.innovations.urls.hubs")),
    path("", include("prima.innovations.urls.exchange")),
]
