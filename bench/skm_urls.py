"""bench.baseline_urls plus `bench/skm/post/`, the bare view survey submissions are
compared with: it goes through the same middleware (sessions, CSRF) and reads the form
like any POST, then redirects as a successful form does (303)."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.views.decorators.http import require_POST

from bench.baseline_urls import urlpatterns as baseline_urlpatterns


@require_POST
def bare_post(request: HttpRequest) -> HttpResponse:
    if not request.POST:
        return HttpResponse("empty", status=400, content_type="text/plain")
    return HttpResponseRedirect("/bench/ping/", status=303)


urlpatterns = [path("bench/skm/post/", bare_post, name="bench_skm_post"), *baseline_urlpatterns]
