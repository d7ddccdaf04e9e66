"""KIPP pages: the secretariat's invitations, single reviews and pins, and the withdrawal
queue (kipp.md §6, §8 #15, §9.4, §10.1)."""

from django.urls import URLPattern, path

from prima.kipp.views import invitations, review_admin, withdrawals

urlpatterns: list[URLPattern] = [
    # Invitations to invitation-only groups (khusus).
    path("undangan/<slug:code>/", invitations.kipp_invitations, name="kipp_invitations"),
    path(
        "undangan/<slug:code>/tambah/",
        invitations.kipp_invitation_add,
        name="kipp_invitation_add",
    ),
    path(
        "undangan/<slug:code>/impor/",
        invitations.kipp_invitation_import,
        name="kipp_invitation_import",
    ),
    path(
        "undangan/<slug:code>/ekspor/",
        invitations.kipp_invitation_export,
        name="kipp_invitation_export",
    ),
    path(
        "undangan/<int:pk>/cabut/",
        invitations.kipp_invitation_revoke,
        name="kipp_invitation_revoke",
    ),
    # Live reviews of a stage: excuse, undo, replacement; manual pins.
    path(
        "evaluasi/<slug:code>/<slug:stage>/penugasan-berlaku/",
        review_admin.kipp_review_assignments,
        name="kipp_review_assignments",
    ),
    path(
        "evaluasi/penugasan-berlaku/<int:pk>/bebaskan/",
        review_admin.kipp_review_excuse,
        name="kipp_review_excuse",
    ),
    path(
        "evaluasi/penugasan-berlaku/<int:pk>/pulihkan/",
        review_admin.kipp_review_restore,
        name="kipp_review_restore",
    ),
    path(
        "evaluasi/<slug:code>/<slug:stage>/pin/",
        review_admin.kipp_review_pins,
        name="kipp_review_pins",
    ),
    path(
        "evaluasi/<slug:code>/<slug:stage>/pin/tambah/",
        review_admin.kipp_review_pin_add,
        name="kipp_review_pin_add",
    ),
    path(
        "evaluasi/pin/<int:pk>/hapus/",
        review_admin.kipp_review_pin_remove,
        name="kipp_review_pin_remove",
    ),
    # Withdrawal requests awaiting the secretariat.
    path("penarikan/<slug:code>/", withdrawals.kipp_withdrawals, name="kipp_withdrawals"),
    path(
        "penarikan/proposal/<int:pk>/putuskan/",
        withdrawals.kipp_withdrawal_decide,
        name="kipp_withdrawal_decide",
    ),
]
