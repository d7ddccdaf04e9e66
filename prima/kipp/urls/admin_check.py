"""KIPP pages: editions (list, create, dashboard, stages, extension, amendments) and the
administrative check (queue, proposal check, decisions, export)."""

from django.urls import URLPattern, path

from prima.kipp.views import admin_check, editions

urlpatterns: list[URLPattern] = [
    path("penyelenggaraan/", editions.kipp_edition_list, name="kipp_edition_list"),
    path("penyelenggaraan/baru/", editions.kipp_edition_create, name="kipp_edition_create"),
    path("penyelenggaraan/<slug:code>/", editions.kipp_edition_detail, name="kipp_edition_detail"),
    path(
        "penyelenggaraan/<slug:code>/lanjut/",
        editions.kipp_edition_advance,
        name="kipp_edition_advance",
    ),
    path(
        "penyelenggaraan/<slug:code>/tahap/<slug:stage_code>/",
        editions.kipp_edition_stage,
        name="kipp_edition_stage",
    ),
    path(
        "penyelenggaraan/<slug:code>/perpanjangan/",
        editions.kipp_edition_extend,
        name="kipp_edition_extend",
    ),
    path(
        "penyelenggaraan/<slug:code>/publikasi/",
        editions.kipp_edition_publish,
        name="kipp_edition_publish",
    ),
    path(
        "penyelenggaraan/<slug:code>/aturan/",
        editions.kipp_edition_amend,
        name="kipp_edition_amend",
    ),
    path(
        "<slug:code>/seleksi-administrasi/",
        admin_check.kipp_admin_check_queue,
        name="kipp_admin_check_queue",
    ),
    path(
        "<slug:code>/seleksi-administrasi/ekspor/",
        admin_check.kipp_admin_check_export,
        name="kipp_admin_check_export",
    ),
    path(
        "<slug:code>/seleksi-administrasi/mulai/",
        admin_check.kipp_admin_check_start,
        name="kipp_admin_check_start",
    ),
    path(
        "<slug:code>/seleksi-administrasi/loloskan/",
        admin_check.kipp_admin_check_pass_clean,
        name="kipp_admin_check_pass_clean",
    ),
    path(
        "<slug:code>/seleksi-administrasi/kemiripan/",
        admin_check.kipp_admin_check_similarity,
        name="kipp_admin_check_similarity",
    ),
    path(
        "<slug:code>/seleksi-administrasi/<int:pk>/",
        admin_check.kipp_admin_check_detail,
        name="kipp_admin_check_detail",
    ),
    path(
        "<slug:code>/seleksi-administrasi/<int:pk>/keputusan/",
        admin_check.kipp_admin_check_decide,
        name="kipp_admin_check_decide",
    ),
    path(
        "<slug:code>/seleksi-administrasi/<int:pk>/simpangi/",
        admin_check.kipp_admin_check_override,
        name="kipp_admin_check_override",
    ),
]
