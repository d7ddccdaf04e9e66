"""Citizen (warga) pages: sign-in with a one-time code, the account, closing it."""

from django.urls import path

from prima.core import views_citizens as views

urlpatterns = [
    path("masuk/", views.citizen_login, name="citizen-login"),
    path("kode/", views.citizen_code, name="citizen-code"),
    path("akun/", views.citizen_account, name="citizen-account"),
    path("akun/tutup/", views.citizen_close, name="citizen-close"),
    path("keluar/", views.citizen_logout, name="citizen-logout"),
]
