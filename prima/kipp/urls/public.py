"""KIPP pages: public (no login, published editions only)."""

from django.urls import URLPattern, path

from prima.kipp.views import public as views

urlpatterns: list[URLPattern] = [
    path("", views.kipp_public_editions, name="kipp_public_editions"),
    path(
        "publik/<slug:code>/",
        views.kipp_public_edition,
        name="kipp_public_edition",
    ),
    path(
        "publik/<slug:code>/finalis/",
        views.kipp_public_finalists,
        name="kipp_public_finalists",
    ),
    path(
        "publik/<slug:code>/finalis/<int:pk>/sanggahan/",
        views.kipp_objection_file,
        name="kipp_objection_file",
    ),
    path(
        "publik/pengumuman/<int:pk>/",
        views.kipp_public_announcement,
        name="kipp_public_announcement",
    ),
    path(
        "publik/pengumuman/<int:pk>/pdf/",
        views.kipp_public_announcement_pdf,
        name="kipp_public_announcement_pdf",
    ),
]
