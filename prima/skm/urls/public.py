"""The citizens' survey pages, mounted at /survei/ (no login).

The survey form and one-time codes live here; published results in `public_results`.
"""

from django.urls import URLPattern, URLResolver

from prima.skm.urls import public_results

urlpatterns: list[URLPattern | URLResolver] = [
    *public_results.urlpatterns,
]
