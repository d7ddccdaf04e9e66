"""JIPP pages: the replication-link review queue (mounted under /inovasi/)."""

from django.urls import URLPattern, path

from prima.innovations.views import links

urlpatterns: list[URLPattern] = [
    path("jipp/tautan/", links.link_list, name="jipp_link_list"),
    path("jipp/tautan/ekspor/", links.link_export, name="jipp_link_export"),
    path("jipp/tautan/verifikasi/", links.link_verify_bulk, name="jipp_link_verify_bulk"),
    path("jipp/tautan/<int:pk>/", links.link_detail, name="jipp_link_detail"),
    path("jipp/tautan/<int:pk>/konfirmasi/", links.link_confirm, name="jipp_link_confirm"),
    path("jipp/tautan/<int:pk>/verifikasi/", links.link_verify, name="jipp_link_verify"),
    path("jipp/tautan/<int:pk>/tolak/", links.link_reject, name="jipp_link_reject"),
    path("jipp/tautan/<int:pk>/buka-kembali/", links.link_reopen, name="jipp_link_reopen"),
]
