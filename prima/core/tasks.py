"""Background tasks of the core app (django-tasks; DESIGN.md §2)."""

from __future__ import annotations

from django_tasks import task

from prima.core.domain.jobs import execute_job


@task()
def run_job(job_id: int) -> str:
    """Run one recorded job (`prima.core.domain.jobs`); returns its final state."""
    return execute_job(job_id)
