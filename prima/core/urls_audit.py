"""Audit log URLs (secretariat and national viewers)."""

from django.urls import path

from prima.core import views_audit as views

urlpatterns = [
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/verifikasi/", views.audit_verify, name="audit_verify"),
    path(
        "audit/<str:object_type>/<str:object_id>/",
        views.audit_object_history,
        name="audit_object_history",
    ),
]
