"""Award pages, mounted at /penghargaan/ (certificates, verification, lists)."""

from django.urls import URLPattern, URLResolver, path

from prima.awards import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("piagam/<str:code>/", views.verify, name="awards_verify"),
    path("instansi/<int:pk>/", views.institution_awards, name="awards_institution"),
    path("<slug:code>/", views.edition_awards, name="awards_edition"),
    path("<slug:code>/daftar/", views.public_list, name="awards_list"),
    path(
        "<slug:code>/daftar/unduh/<str:fmt>/",
        views.public_list_export,
        name="awards_list_export",
    ),
    path("<slug:code>/kategori/<int:category_id>/tetapkan/", views.decide, name="awards_decide"),
    path("<slug:code>/kategori/<int:category_id>/tambah/", views.add, name="awards_add"),
    path("<slug:code>/penghargaan/<int:award_id>/batalkan/", views.remove, name="awards_remove"),
    path("<slug:code>/penghargaan/<int:award_id>/piagam/", views.issue, name="awards_issue"),
    path("<slug:code>/keputusan/", views.decree, name="awards_decree"),
    path("<slug:code>/piagam/buat-semua/", views.certificates_job, name="awards_certificates_job"),
    path("<slug:code>/piagam/unduh.zip", views.zip_download, name="awards_certificates_zip"),
    path(
        "<slug:code>/piagam/<int:certificate_id>/pdf/",
        views.certificate_pdf,
        name="awards_certificate_pdf",
    ),
    path(
        "<slug:code>/piagam/<int:certificate_id>/cabut/",
        views.revoke,
        name="awards_certificate_revoke",
    ),
]
