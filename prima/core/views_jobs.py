"""Background jobs a person started: the list, and one job's progress and outcome.

The job page polls itself with htmx every second while the job runs (the partial is the
same URL asked with the `HX-Request` header); without JavaScript it refreshes itself.
Another person's job answers 404, like every object outside one's scope.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers

from prima.core.domain.errors import DomainError
from prima.core.domain.errors import PermissionDenied as DomainPermissionDenied
from prima.core.domain.jobs import BACK, jobs_visible_to
from prima.core.interfaces.listing import paginate
from prima.core.models import Job

STATUS_TEMPLATE = "core/jobs/_status.html"


def start_upload_job(
    request: HttpRequest, form: forms.Form, start: Callable[..., Job]
) -> HttpResponse | None:
    """Start a job from a valid upload form's `file` (``start(file, actor=…)``): the
    redirect to the job's page, or None with the refusal shown on the form."""
    try:
        job = start(form.cleaned_data["file"], actor=request.user)
    except DomainPermissionDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        form.add_error("file", exc.message)
        return None
    return redirect("job_detail", pk=job.pk)


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """The person's jobs, newest first."""
    jobs = (
        jobs_visible_to(request.user)
        .select_related("started_by")
        .defer("params", "result", "error")
        .order_by("-created_at", "-pk")
    )
    return render(request, "core/jobs/list.html", {"page": paginate(request, jobs)})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One job: state, progress bar and, once finished, its result or error."""
    job = get_object_or_404(jobs_visible_to(request.user).select_related("started_by"), pk=pk)
    result = job.result if isinstance(job.result, dict) else {}
    context = {
        "job": job,
        "result": result,
        "back_url": str((job.params or {}).get(BACK) or ""),
    }
    template = STATUS_TEMPLATE if getattr(request, "htmx", False) else "core/jobs/detail.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
