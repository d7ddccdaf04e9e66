"""SKM pages: responses (see the module of the same name in prima/skm/views)."""

from django.urls import URLPattern, URLResolver, path

from prima.skm.views import responses

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/jawaban/", responses.response_list, name="skm_responses"),
    path("<int:pk>/jawaban/baru/", responses.response_entry, name="skm_response_entry"),
    path("<int:pk>/jawaban/<int:rid>/batal/", responses.response_void, name="skm_response_void"),
    path("<int:pk>/kios/", responses.kiosk, name="skm_kiosk"),
]
