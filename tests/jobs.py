"""Following a long operation to its job in tests (jobs run at once: immediate backend)."""

from __future__ import annotations

from django.urls import resolve

from prima.core.models import Job


def followed_job(response) -> Job:
    """The job a view redirected to, or an API `202` answer named, fresh from the database."""
    if response.status_code == 202:
        return Job.objects.get(pk=response.json()["job"])
    assert response.status_code == 302, response.status_code
    match = resolve(response.url)
    assert match.url_name == "job_detail", response.url
    return Job.objects.get(pk=match.kwargs["pk"])
