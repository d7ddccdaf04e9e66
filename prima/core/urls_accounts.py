"""Account URLs: requests, operators, people and roles, activation, password reset, tokens."""

from django.contrib.auth import views as auth_views
from django.urls import path

from prima.core import views_accounts as views

urlpatterns = [
    # Public: an institution asks for its Admin Lokal account.
    path("akun/permohonan/", views.account_request_create, name="account_request_create"),
    path("akun/permohonan/terkirim/", views.account_request_sent, name="account_request_sent"),
    # Secretariat: reviewing requests.
    path("akun/permohonan-masuk/", views.account_request_list, name="account_request_list"),
    path(
        "akun/permohonan-masuk/<int:pk>/",
        views.account_request_detail,
        name="account_request_detail",
    ),
    path(
        "akun/permohonan-masuk/<int:pk>/setujui/",
        views.account_request_approve,
        name="account_request_approve",
    ),
    path(
        "akun/permohonan-masuk/<int:pk>/tolak/",
        views.account_request_reject,
        name="account_request_reject",
    ),
    path(
        "akun/permohonan-masuk/<int:pk>/surat/",
        views.account_request_letter,
        name="account_request_letter",
    ),
    # Admin Lokal (and secretariat): unit operators.
    path("akun/operator/", views.operator_list, name="operator_list"),
    path("akun/operator/baru/", views.operator_create, name="operator_create"),
    # Secretariat: people and their roles.
    path("akun/pengguna/", views.person_list, name="person_list"),
    path("akun/pengguna/baru/", views.person_create, name="person_create"),
    path("akun/pengguna/<int:pk>/", views.person_detail, name="person_detail"),
    path("akun/pengguna/<int:pk>/peran/", views.membership_grant, name="membership_grant"),
    path("akun/peran/<int:pk>/cabut/", views.membership_revoke, name="membership_revoke"),
    # Secretariat and Admin Lokal (within the people they manage).
    path(
        "akun/pengguna/<int:pk>/nonaktifkan/",
        views.person_deactivate,
        name="person_deactivate",
    ),
    path("akun/pengguna/<int:pk>/aktifkan/", views.person_reactivate, name="person_reactivate"),
    path(
        "akun/pengguna/<int:pk>/kirim-aktivasi/",
        views.person_resend_activation,
        name="person_resend_activation",
    ),
    # Every person: their own profile and API tokens.
    path("akun/profil/", views.profile, name="profile"),
    path("akun/token/", views.token_list, name="token_list"),
    path("akun/token/<int:pk>/cabut/", views.token_revoke, name="token_revoke"),
    # One-time links sent by e-mail.
    path(
        "akun/aktivasi/<uidb64>/<token>/",
        views.AccountActivateView.as_view(),
        name="account_activate",
    ),
    path(
        "akun/lupa-kata-sandi/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "akun/lupa-kata-sandi/terkirim/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "akun/atur-kata-sandi/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "akun/atur-kata-sandi/selesai/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
