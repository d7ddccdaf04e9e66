"""PKRI pages: self-assessment forms (units, Admin Lokal, secretariat table)."""

from django.urls import URLPattern, URLResolver, path

from prima.pkri.views import forms as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("formulir/", views.form_list, name="pkri_form_list"),
    path("formulir/<int:pk>/", views.form_detail, name="pkri_form_detail"),
    path("formulir/<int:pk>/kirim/", views.form_send, name="pkri_form_send"),
    path("formulir/<int:pk>/kembalikan/", views.form_return, name="pkri_form_return"),
    path("formulir/<int:pk>/ajukan/", views.form_submit, name="pkri_form_submit"),
    path("formulir/<int:pk>/bukti/", views.evidence_upload, name="pkri_form_evidence_upload"),
    path(
        "formulir/<int:pk>/bukti/<int:evidence_pk>/",
        views.evidence_download,
        name="pkri_form_evidence_download",
    ),
    path(
        "formulir/<int:pk>/bukti/<int:evidence_pk>/hapus/",
        views.evidence_remove,
        name="pkri_form_evidence_remove",
    ),
    path("<slug:code>/instansi/", views.institution_progress, name="pkri_institution_forms"),
    path("<slug:code>/formulir/", views.forms_table, name="pkri_forms_table"),
    path("<slug:code>/formulir/unduh/", views.forms_export, name="pkri_forms_export"),
    path("<slug:code>/formulir/pengingat/", views.forms_remind, name="pkri_forms_remind"),
    path("<slug:code>/formulir/tutup/", views.forms_close, name="pkri_forms_close"),
    path("<slug:code>/formulir/perpanjang/", views.forms_extend, name="pkri_forms_extend"),
]
