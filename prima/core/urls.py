from django.contrib.auth import views as auth_views
from django.urls import include, path

from prima.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/profil/lengkapi/", views.profile_complete, name="profile_complete"),
    path("akun/kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("", include("prima.core.urls_accounts")),
    path("", include("prima.core.urls_registry")),
    path("", include("prima.core.urls_services")),
    path("", include("prima.core.urls_audit")),
    path("", include("prima.core.urls_jobs")),
    path("warga/", include("prima.core.urls_citizens")),
]
