"""KIPP pages: publication (announcements, objections, schedule, decree, awards)."""

from django.urls import URLPattern, path

from prima.kipp.views import publication as views

urlpatterns: list[URLPattern] = [
    # The menu's entry (no edition) and an edition's desk share the name.
    path("publikasi/", views.kipp_publication_index, name="kipp_publication_home"),
    path("publikasi/<slug:code>/", views.kipp_publication_home, name="kipp_publication_home"),
    path(
        "publikasi/<slug:code>/pengumuman/",
        views.kipp_announcement_list,
        name="kipp_announcement_list",
    ),
    path(
        "publikasi/<slug:code>/pengumuman/baru/",
        views.kipp_announcement_create,
        name="kipp_announcement_create",
    ),
    path(
        "publikasi/pengumuman/<int:pk>/ubah/",
        views.kipp_announcement_edit,
        name="kipp_announcement_edit",
    ),
    path(
        "publikasi/pengumuman/<int:pk>/",
        views.kipp_announcement_publish,
        name="kipp_announcement_publish",
    ),
    path(
        "publikasi/pengumuman/<int:pk>/hapus/",
        views.kipp_announcement_discard,
        name="kipp_announcement_discard",
    ),
    path(
        "publikasi/pengumuman/<int:pk>/pdf/",
        views.kipp_announcement_pdf,
        name="kipp_announcement_pdf",
    ),
    path(
        "publikasi/<slug:code>/sanggahan/",
        views.kipp_objection_queue,
        name="kipp_objection_queue",
    ),
    path(
        "publikasi/<slug:code>/sanggahan/tutup/",
        views.kipp_objection_window_close,
        name="kipp_objection_window_close",
    ),
    path(
        "publikasi/sanggahan/<int:pk>/",
        views.kipp_objection_resolve,
        name="kipp_objection_resolve",
    ),
    path(
        "publikasi/sanggahan/<int:pk>/bukti/",
        views.kipp_objection_evidence,
        name="kipp_objection_evidence",
    ),
    path("publikasi/<slug:code>/jadwal/", views.kipp_schedule, name="kipp_schedule"),
    path(
        "publikasi/<slug:code>/jadwal/susun/",
        views.kipp_schedule_generate,
        name="kipp_schedule_generate",
    ),
    path(
        "publikasi/jadwal/<int:pk>/penyaji/",
        views.kipp_presenter_confirm,
        name="kipp_presenter_confirm",
    ),
    path(
        "publikasi/proposal/<int:pk>/verifikasi-lapangan/",
        views.kipp_field_visit,
        name="kipp_field_visit",
    ),
    path(
        "publikasi/proposal/<int:pk>/diskualifikasi/",
        views.kipp_disqualify,
        name="kipp_disqualify",
    ),
    path("publikasi/proposal/<int:pk>/cabut/", views.kipp_revoke, name="kipp_revoke"),
    path("publikasi/<slug:code>/kepmen/", views.kipp_decree_create, name="kipp_decree_create"),
    path(
        "publikasi/penganugerahan/baru/",
        views.kipp_award_event_create,
        name="kipp_award_event_create",
    ),
]
