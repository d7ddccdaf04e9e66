"""Long operations as background jobs (DESIGN.md §2, §6): kinds, starting, running, progress.

A *job kind* is a function ``(job, progress) -> dict`` registered under a dotted code with
``@job_kind("kipp.assignment.run")``; kinds live beside their domain (``prima/kipp/jobs.py``,
``prima/core/jobs.py``) and are imported by their app's ``AppConfig.ready``. A view or an
API endpoint validates what it cheaply can, then calls :func:`start_job`, which stores the
`Job` row and enqueues the django-task ``prima.core.tasks.run_job`` once the row is
committed. The task calls :func:`execute_job`: it marks the job running, calls the kind in
the starter's language, and stores the result or a readable error.

The immediate backend (tests, ``TASKS_BACKEND`` set to it) runs the job inside the request
that commits it; the database backend leaves it to ``prima db_worker``.

A kind's result is a JSON dict. The job page shows ``summary`` (a sentence), ``counts``
(``[[label, number], …]``) and a link ``url`` labelled ``link``; the API returns the whole
dict, so kinds add the raw numbers and ids API clients need (:func:`outcome`).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import PurePath
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from prima.core.domain.errors import DomainError
from prima.core.models import Job, JobState

logger = logging.getLogger(__name__)

# Progress is written at most this often (seconds), plus once at the end, so a loop over
# thousands of rows costs a handful of writes.
WRITE_INTERVAL = 0.5
# Reserved keys of `Job.params`: the starter's language, the stored upload and its
# original name, and the page the job was started from.
LANGUAGE = "language"
UPLOAD = "upload"
FILENAME = "filename"
BACK = "back"
UPLOAD_DIR = "jobs"
# Row problems of a refused file kept on the job (the page shows them as a table).
MAX_DETAILS = 500


class ProgressCallback(Protocol):
    """What a domain function that loops accepts to report how far it is."""

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None: ...


def no_progress(done: int, total: int | None = None, message: str = "") -> None:
    """The default callback of domain functions called outside a job."""


JobRunner = Callable[[Job, "Progress"], Mapping[str, Any]]
_KINDS: dict[str, JobRunner] = {}


def job_kind(code: str) -> Callable[[JobRunner], JobRunner]:
    """Register a job kind under `code` (dotted, e.g. ``kipp.assignment.run``)."""

    def register(runner: JobRunner) -> JobRunner:
        existing = _KINDS.get(code)
        if existing is not None and _name(existing) != _name(runner):
            raise ImproperlyConfigured(f"Job kind {code!r} is registered twice.")
        _KINDS[code] = runner
        return runner

    return register


def _name(runner: JobRunner) -> str:
    return f"{runner.__module__}.{getattr(runner, '__qualname__', repr(runner))}"


def job_kinds() -> frozenset[str]:
    """The registered kind codes."""
    return frozenset(_KINDS)


def outcome(
    summary: str,
    *,
    url: str = "",
    link: str = "",
    counts: Sequence[tuple[str, int]] = (),
    **data: Any,
) -> dict[str, Any]:
    """A kind's result: the sentence and counts the page shows, the link to follow, and
    raw values (ids, numbers) for API clients."""
    return {
        "summary": summary,
        "url": url,
        "link": link,
        "counts": [[str(label), value] for label, value in counts],
        **data,
    }


# --------------------------------------------------------------------------- progress


class Progress:
    """``progress(done, total=None, message="")``: remembers the latest values and writes
    them to the job row at most every `interval` seconds; `flush` writes what is left.

    An empty message keeps the previous one; `total` None keeps the previous total.
    """

    def __init__(
        self,
        job_id: int,
        *,
        interval: float = WRITE_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.job_id = job_id
        self.done = 0
        self.total: int | None = None
        self.message = ""
        self._interval = interval
        self._clock = clock
        self._written_at: float | None = None
        self._pending = False

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        self.done = max(0, int(done))
        if total is not None:
            self.total = max(0, int(total))
        if message:
            self.message = str(message)[:250]
        self._pending = True
        if self._written_at is None or self._clock() - self._written_at >= self._interval:
            self.flush()

    def flush(self) -> None:
        """Write the latest values now (nothing when they are already written)."""
        if not self._pending:
            return
        Job.objects.filter(pk=self.job_id).update(
            done=self.done, total=self.total, message=self.message
        )
        self._written_at = self._clock()
        self._pending = False


# --------------------------------------------------------------------------- uploads


def store_upload(upload: File, *, max_bytes: int | None = None) -> dict[str, str]:
    """Save an uploaded file under ``jobs/`` with a random name (the person's file name
    never reaches the file system); returns the params that point a job to it."""
    limit = max_bytes if max_bytes is not None else settings.IMPORT_MAX_BYTES
    size = upload.size or 0
    if size > limit:
        raise DomainError(
            _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            field="file",
        )
    upload.seek(0)
    name = default_storage.save(f"{UPLOAD_DIR}/{uuid.uuid4().hex}.upload", upload)
    return {UPLOAD: name, FILENAME: PurePath(upload.name or "berkas").name[:200]}


@contextmanager
def job_upload(job: Job) -> Iterator[File]:
    """The job's stored upload, open for reading."""
    name = str((job.params or {}).get(UPLOAD) or "")
    if not name or not default_storage.exists(name):
        raise DomainError(
            _("Berkas unggahan pekerjaan ini sudah tidak ada; unggah ulang berkasnya."),
            field="file",
        )
    with default_storage.open(name, "rb") as handle:
        yield handle


def _discard_upload(params: Mapping[str, Any] | None) -> None:
    name = str((params or {}).get(UPLOAD) or "")
    if name.startswith(f"{UPLOAD_DIR}/"):
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not delete the job upload %s", name, exc_info=True)


# --------------------------------------------------------------------------- start


def start_job(
    *,
    kind: str,
    title: str,
    params: Mapping[str, Any],
    actor: Any,
    upload: File | None = None,
    back_url: str = "",
) -> Job:
    """Record a job of a registered kind and enqueue it once the row is committed.

    `params` are plain JSON values (ids, codes); an `upload` is saved to storage first and
    deleted when the job ends. `back_url` is the page the job was started from (the job
    page links back to it, e.g. to upload a corrected file). The person's current
    language is kept, so the job's messages are written in it. Permission checks belong
    to the caller and to the kind.
    """
    if kind not in _KINDS:
        raise ValueError(f"Unknown job kind {kind!r}; registered: {sorted(_KINDS)}")
    stored: dict[str, Any] = dict(params)
    stored[LANGUAGE] = translation.get_language() or settings.LANGUAGE_CODE
    if back_url.startswith("/"):
        stored[BACK] = back_url
    if upload is not None:
        stored.update(store_upload(upload))
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                title=title[:200],
                params=_plain(stored),
                started_by=actor if getattr(actor, "pk", None) else None,
            )
            transaction.on_commit(lambda: _enqueue(job.pk))
    except BaseException:
        _discard_upload(stored)
        raise
    return job


def _enqueue(job_id: int) -> None:
    # Imported here: tasks.py imports this module.
    from prima.core.tasks import run_job

    try:
        result = run_job.enqueue(job_id)
    except Exception:
        logger.exception("Could not enqueue job %s", job_id)
        _finish(
            job_id,
            state=JobState.FAILED,
            error=_("Pekerjaan tidak dapat dimasukkan ke antrean. Coba lagi sebentar lagi."),
        )
        _discard_upload(Job.objects.filter(pk=job_id).values_list("params", flat=True).first())
        return
    Job.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


# --------------------------------------------------------------------------- run


def execute_job(job_id: int) -> str:
    """Run a queued job (called by the task): mark it running, call its kind, store the
    result or the error. Returns the final state; a job that is not queued is left alone."""
    now = timezone.now()
    if not Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=now
    ):
        logger.warning("Job %s is not queued; not run again.", job_id)
        return str(Job.objects.filter(pk=job_id).values_list("state", flat=True).first() or "")
    job = Job.objects.select_related("started_by").get(pk=job_id)
    progress = Progress(job.pk)
    language = str((job.params or {}).get(LANGUAGE) or settings.LANGUAGE_CODE)
    try:
        with translation.override(language):
            try:
                result = _run(job, progress)
            except DomainError as exc:
                return _failed(job, progress, exc.message, exc)
            except ValidationError as exc:
                return _failed(job, progress, " ".join(exc.messages))
            except Exception:
                logger.exception("Job %s (%s) failed", job.pk, job.kind)
                return _failed(
                    job,
                    progress,
                    _(
                        "Pekerjaan #%(id)s gagal karena kesalahan tak terduga di server. "
                        "Coba lagi; bila terulang, sampaikan nomor pekerjaan ini kepada admin."
                    )
                    % {"id": job.pk},
                )
            except BaseException:
                # The worker is being stopped: say so, then let it stop.
                _failed(job, progress, _("Pekerjaan dihentikan karena pekerja latar dimatikan."))
                raise
            progress.flush()
            total = progress.total
            return _finish(
                job.pk,
                state=JobState.SUCCEEDED,
                result=result,
                done=total if total is not None else progress.done,
            )
    finally:
        _discard_upload(job.params)


def _run(job: Job, progress: Progress) -> dict[str, Any]:
    runner = _KINDS.get(job.kind)
    if runner is None:
        raise DomainError(
            _("Jenis pekerjaan «%(kind)s» tidak dikenal oleh versi Prima ini.") % {"kind": job.kind}
        )
    return _plain(dict(runner(job, progress)))


def _failed(job: Job, progress: Progress, message: str, refusal: Exception | None = None) -> str:
    progress.flush()
    return _finish(job.pk, state=JobState.FAILED, error=message, result=_problems(refusal))


def _problems(refusal: Exception | None) -> dict[str, Any] | None:
    """A refused file's problems by row and column, when the error carries them
    (`TableError.errors`): the page lists them as the import pages did."""
    errors = list(getattr(refusal, "errors", None) or [])
    if not errors:
        return None
    return {
        "errors": [
            {
                "row": getattr(item, "row", 0),
                "column": str(getattr(item, "column", "")),
                "message": str(getattr(item, "message", item)),
            }
            for item in errors[:MAX_DETAILS]
        ],
        "error_count": len(errors),
    }


def _finish(
    job_id: int,
    *,
    state: str,
    result: Mapping[str, Any] | None = None,
    error: str = "",
    done: int | None = None,
) -> str:
    values: dict[str, Any] = {
        "state": state,
        "result": _plain(dict(result)) if result is not None else None,
        "error": error,
        "finished_at": timezone.now(),
    }
    if done is not None:
        values["done"] = done
    Job.objects.filter(pk=job_id).update(**values)
    return state


def _plain(value: dict[str, Any]) -> dict[str, Any]:
    """JSON types only (Decimal, dates and lazy strings become strings)."""
    plain: dict[str, Any] = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    return plain


def job_actor(job: Job) -> Any:
    """The person the job acts for: the one who started it."""
    if job.started_by is None:
        raise DomainError(_("Pekerjaan ini tidak mencatat siapa yang memulainya."))
    return job.started_by


# --------------------------------------------------------------------------- reading


def jobs_visible_to(person: Any) -> QuerySet[Job]:
    """The jobs a person may follow: the ones they started (a superuser: all)."""
    if person is None or not getattr(person, "is_authenticated", False):
        return Job.objects.none()
    if person.is_superuser:
        return Job.objects.all()
    return Job.objects.filter(started_by=person)
