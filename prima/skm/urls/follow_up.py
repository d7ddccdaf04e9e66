"""SKM pages: follow-up plans (rencana tindak lanjut, skm.md §8)."""

from django.urls import URLPattern, URLResolver, path

from prima.skm.views import follow_up as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/rtl/", views.follow_up, name="skm_follow_up"),
    path("<int:pk>/rtl/mulai/", views.follow_up_start, name="skm_follow_up_start"),
    path("<int:pk>/rtl/butir/baru/", views.follow_up_item_add, name="skm_follow_up_item_add"),
    path(
        "<int:pk>/rtl/butir/<int:item_pk>/ubah/",
        views.follow_up_item_edit,
        name="skm_follow_up_item_edit",
    ),
    path(
        "<int:pk>/rtl/butir/<int:item_pk>/status/",
        views.follow_up_item_status,
        name="skm_follow_up_item_status",
    ),
    path(
        "<int:pk>/rtl/butir/<int:item_pk>/hapus/",
        views.follow_up_item_remove,
        name="skm_follow_up_item_remove",
    ),
    path(
        "<int:pk>/rtl/butir/<int:item_pk>/bukti/",
        views.follow_up_evidence,
        name="skm_follow_up_evidence",
    ),
    path("<int:pk>/rtl/tetapkan/", views.follow_up_adopt, name="skm_follow_up_adopt"),
]
