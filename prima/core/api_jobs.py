"""`/jobs`: the caller's background jobs (long operations started from the API or the pages).

Endpoints that start a long operation answer `202` with `{"job": id, "url": …}`; the client
polls `GET /jobs/{id}` until `state` is `succeeded` or `failed`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from prima.core.domain.jobs import jobs_visible_to
from prima.core.models import Job, JobState

router = Router(tags=["pekerjaan latar"])


class ErrorOut(Schema):
    detail: str


class JobOut(Schema):
    id: int
    kind: str
    title: str
    state: str = Field(description="queued, running, succeeded, failed")
    state_label: str
    done: int
    total: int | None
    percent: int | None
    message: str
    result: dict[str, Any] | None = Field(
        description="summary, counts, url (page to follow) and the kind's own values"
    )
    error: str
    page: str = Field(description="the job's progress page")
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class JobList(Schema):
    count: int
    items: list[JobOut]


class JobStarted(Schema):
    job: int
    url: str = Field(description="GET this until the job is finished")
    page: str = Field(description="the job's progress page in the browser")


class JobFilters(Schema):
    state: str = ""
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


def job_started(job: Job) -> dict[str, Any]:
    """The body of a `202` answer to an endpoint that started a job."""
    return {
        "job": job.pk,
        "url": f"/api/v1/jobs/{job.pk}",
        "page": reverse("job_detail", args=[job.pk]),
    }


def _out(job: Job) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.kind,
        "title": job.title,
        "state": job.state,
        "state_label": job.get_state_display(),
        "done": job.done,
        "total": job.total,
        "percent": 100 if job.state == JobState.SUCCEEDED else job.percent,
        "message": job.message,
        "result": job.result if isinstance(job.result, dict) else None,
        "error": job.error,
        "page": reverse("job_detail", args=[job.pk]),
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


@router.get("/jobs", response={200: JobList, 400: ErrorOut}, summary="Pekerjaan latar saya")
def list_jobs(request: HttpRequest, filters: Query[JobFilters]) -> dict[str, Any]:
    """The caller's jobs, newest first (`state` narrows to one state)."""
    jobs = jobs_visible_to(request.auth).defer("params")  # type: ignore[attr-defined]
    if filters.state:
        states = list(JobState.values)
        if filters.state not in states:
            raise HttpError(
                400,
                _("Parameter state '%(value)s' tidak dikenal; pilih salah satu: %(choices)s.")
                % {"value": filters.state, "choices": ", ".join(states)},
            )
        jobs = jobs.filter(state=filters.state)
    jobs = jobs.order_by("-created_at", "-pk")
    window = jobs[filters.offset : filters.offset + filters.limit]
    return {"count": jobs.count(), "items": [_out(job) for job in window]}


@router.get(
    "/jobs/{int:job_id}", response={200: JobOut, 404: ErrorOut}, summary="Satu pekerjaan latar"
)
def get_job(request: HttpRequest, job_id: int) -> dict[str, Any]:
    """State, progress and, once finished, the result or the error of one job."""
    job = jobs_visible_to(request.auth).filter(pk=job_id).first()  # type: ignore[attr-defined]
    if job is None:
        raise HttpError(404, _("Pekerjaan tidak ditemukan."))
    return _out(job)
