from django.contrib.auth import views as auth_views
from django.urls import path

urlpatterns = [
    path(
        "akun/lupa-kata-sandi/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "akun/lupa-kata-sandi/terkirim/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "akun/atur-kata-sandi/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "akun/atur-kata-sandi/selesai/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
