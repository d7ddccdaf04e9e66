from django.contrib import admin
from django.urls import include, path

from prima.api import api

urlpatterns = [
    path("", include("prima.core.urls")),
    path("inovasi/", include("prima.innovations.urls")),
    path("kipp/", include("prima.kipp.urls")),
    path("pkri/", include("prima.pkri.urls")),
    path("skm/", include("prima.skm.urls")),
    path("survei/", include("prima.skm.urls.public")),
    path("penghargaan/", include("prima.awards.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
