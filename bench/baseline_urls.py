"""Prima's URLs plus `bench/ping/`, the bare Django view every page is compared with.

The baseline goes through the same server, middleware and session handling as Prima's
pages, so the ratios measure what Prima's own code costs.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from prima.urls import urlpatterns as prima_urlpatterns


def ping(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ping/", ping, name="bench_ping"), *prima_urlpatterns]
