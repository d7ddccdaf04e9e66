"""KIPP pages: participant (unit operators and Admin Lokal; secretariat decides withdrawals)."""

from django.urls import URLPattern, path

from prima.kipp.views import participant as views

urlpatterns: list[URLPattern] = [
    path("proposal/", views.proposal_list, name="kipp_proposal_list"),
    path("proposal/baru/", views.proposal_create, name="kipp_proposal_create"),
    path("proposal/<int:pk>/", views.proposal_detail, name="kipp_proposal_detail"),
    path("proposal/<int:pk>/ubah/", views.proposal_edit, name="kipp_proposal_edit"),
    path(
        "proposal/<int:pk>/lampiran/", views.proposal_attachments, name="kipp_proposal_attachments"
    ),
    path(
        "proposal/<int:pk>/lampiran/<int:attachment_pk>/",
        views.attachment_download,
        name="kipp_proposal_attachment_download",
    ),
    path(
        "proposal/<int:pk>/lampiran/<int:attachment_pk>/hapus/",
        views.attachment_remove,
        name="kipp_proposal_attachment_remove",
    ),
    path("proposal/<int:pk>/kirim/", views.proposal_send, name="kipp_proposal_send"),
    path("proposal/<int:pk>/kembalikan/", views.proposal_return, name="kipp_proposal_return"),
    path("proposal/<int:pk>/ajukan/", views.proposal_submit, name="kipp_proposal_submit"),
    path("proposal/<int:pk>/tarik-kembali/", views.proposal_recall, name="kipp_proposal_recall"),
    path("proposal/<int:pk>/tarik/", views.proposal_withdraw, name="kipp_proposal_withdraw"),
    path(
        "proposal/<int:pk>/penarikan/setujui/",
        views.proposal_withdrawal_approve,
        name="kipp_proposal_withdrawal_approve",
    ),
    path(
        "proposal/<int:pk>/penarikan/tolak/",
        views.proposal_withdrawal_reject,
        name="kipp_proposal_withdrawal_reject",
    ),
]
