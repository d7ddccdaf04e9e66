"""KIPP's long operations as background jobs (DESIGN.md §6): the assignment solver run, the
assessor reminders, the tier-history import and the administrative check's bulk passes.

Each `start_*` function refuses at once what would fail at once (who asks, the stage, the
label), then records the job; the kind below does the work in the background through the
same domain function the pages used to call, reporting progress, and returns what the job
page shows: a sentence, counts, and the page to go to next.
"""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.urls import reverse
from django.utils.translation import gettext as _

from prima.core.domain.errors import DomainError
from prima.core.domain.jobs import (
    Progress,
    job_actor,
    job_kind,
    job_upload,
    outcome,
    start_job,
)
from prima.core.models import Job
from prima.evaluation.domain.runs import check_run_request, run_assignment
from prima.evaluation.enums import RunStatus
from prima.evaluation.models import Edition, Stage
from prima.kipp.domain import admin_check
from prima.kipp.domain.decisions import stage_candidates
from prima.kipp.domain.reminders import send_assessor_reminders
from prima.kipp.domain.tier_import import require_secretariat
from prima.kipp.interfaces.tier_import import import_tier_history

ASSIGNMENT_RUN = "kipp.assignment.run"
ASSESSOR_REMINDERS = "kipp.assessor.remind"
TIER_IMPORT = "kipp.tier_history.import"
ADMIN_CHECK_START = "kipp.admin_check.start"
SIMILARITY = "kipp.admin_check.similarity"


def _get(queryset: Any, pk: Any, missing: str) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise DomainError(missing)
    return found


def _edition(job: Job) -> Edition:
    return _get(
        Edition.objects.filter(programme="kipp"),
        job.params.get("edition"),
        _("Penyelenggaraan KIPP pekerjaan ini sudah tidak ada."),
    )


def _start_edition_job(kind: str, title: str, edition: Edition, *, actor: Any, back: str) -> Job:
    """Queue a job over a whole edition, started from the edition page named `back`."""
    return start_job(
        kind=kind,
        title=title % {"edition": edition.code},
        params={"edition": edition.pk},
        actor=actor,
        back_url=reverse(back, args=[edition.code]),
    )


# --------------------------------------------------------------------------- assignment


def start_assignment_run(
    stage: Stage, *, actor: Any, label: str, parameters: dict[str, Any]
) -> Job:
    """Queue a solver run of the stage (refused at once when it could not start)."""
    label = check_run_request(stage, actor=actor, label=label, parameters=parameters)
    return start_job(
        kind=ASSIGNMENT_RUN,
        title=_("Penugasan «%(label)s» — %(stage)s, %(edition)s")
        % {"label": label, "stage": stage.get_code_display(), "edition": stage.edition.code},
        params={"stage": stage.pk, "label": label, "parameters": parameters},
        actor=actor,
        back_url=reverse("kipp_evaluation_runs", args=[stage.edition.code, stage.code]),
    )


@job_kind(ASSIGNMENT_RUN)
def run_assignment_job(job: Job, progress: Progress) -> dict[str, Any]:
    stage = _get(
        Stage.objects.select_related("edition__instrument"),
        job.params.get("stage"),
        _("Tahap penilaian pekerjaan ini sudah tidak ada."),
    )
    run = run_assignment(
        stage,
        actor=job_actor(job),
        label=str(job.params.get("label") or ""),
        parameters=job.params.get("parameters") or {},
        subjects=stage_candidates(stage),
        progress=progress,
    )
    if run.status == RunStatus.OPTIMAL:
        summary = _("Proses «%s» selesai: optimal.") % run.label
    else:
        summary = _("Proses «%s» tidak layak; lihat diagnosisnya.") % run.label
    return outcome(
        summary,
        url=reverse("kipp_evaluation_run", args=[run.pk]),
        link=_("Lihat proses penugasan"),
        counts=[
            (_("Proposal"), run.subject_count),
            (_("Penilai"), run.assessor_count),
            (_("Pasangan proposal–penilai"), len(run.pairs)),
        ],
        run=run.pk,
        status=run.status,
    )


# --------------------------------------------------------------------------- reminders


def start_assessor_reminders(edition: Edition, *, actor: Any) -> Job:
    """Queue the reminder e-mails to assessors with unfinished sheets."""
    return _start_edition_job(
        ASSESSOR_REMINDERS,
        _("Pengingat penilai — %(edition)s"),
        edition,
        actor=actor,
        back="kipp_evaluation_hub",
    )


@job_kind(ASSESSOR_REMINDERS)
def assessor_reminders_job(job: Job, progress: Progress) -> dict[str, Any]:
    edition = _edition(job)
    sent = send_assessor_reminders(edition, actor=job_actor(job), progress=progress)
    return outcome(
        _("Pengingat dikirim kepada %(n)s penilai.") % {"n": sent},
        url=reverse("kipp_evaluation_hub", args=[edition.code]),
        link=_("Kembali ke meja evaluasi"),
        counts=[(_("Penilai diingatkan"), sent)],
        sent=sent,
    )


# --------------------------------------------------------------------------- tier history


def start_tier_import(upload: File, *, actor: Any) -> Job:
    """Store the uploaded tier-history file and queue its import (secretariat only)."""
    require_secretariat(actor)
    return start_job(
        kind=TIER_IMPORT,
        title=_("Impor riwayat tier KIPP (%(file)s)") % {"file": upload.name or "berkas"},
        params={},
        actor=actor,
        upload=upload,
        back_url=reverse("kipp_tier_import"),
    )


@job_kind(TIER_IMPORT)
def tier_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    with job_upload(job) as file:
        result = import_tier_history(file, actor=job_actor(job), progress=progress)
    summary = _(
        "Impor riwayat tier selesai: %(records)d tier dicatat (%(attached)d pada "
        "inovasi yang ada, %(created)d inovasi baru), %(duplicates)d duplikat "
        "dilewati, %(queued)d baris masuk antrean tinjauan."
    ) % {
        "records": result.created_records,
        "attached": result.attached,
        "created": result.created_innovations,
        "duplicates": len(result.duplicates),
        "queued": len(result.queued),
    }
    if result.duplicates:
        summary += " " + _("Baris duplikat (tier sudah tercatat): %(rows)s.") % {
            "rows": ", ".join(map(str, result.duplicates))
        }
    return outcome(
        summary,
        url=reverse("kipp_tier_import"),
        link=_("Lihat ringkasan riwayat tier"),
        counts=[
            (_("Tier dicatat"), result.created_records),
            (_("Pada inovasi yang ada"), result.attached),
            (_("Inovasi baru"), result.created_innovations),
            (_("Duplikat dilewati"), len(result.duplicates)),
            (_("Masuk antrean tinjauan"), len(result.queued)),
        ],
        records=result.created_records,
        attached=result.attached,
        created_innovations=result.created_innovations,
        duplicates=result.duplicates,
        queued=result.queued,
    )


# --------------------------------------------------------------------------- admin check


def start_admin_check_job(edition: Edition, *, actor: Any) -> Job:
    """Queue the automatic checks of every proposal in the administrative check."""
    admin_check.check_admin_check_startable(edition, actor=actor)
    return _start_edition_job(
        ADMIN_CHECK_START,
        _("Pemeriksaan otomatis — %(edition)s"),
        edition,
        actor=actor,
        back="kipp_admin_check_queue",
    )


@job_kind(ADMIN_CHECK_START)
def admin_check_job(job: Job, progress: Progress) -> dict[str, Any]:
    edition = _edition(job)
    summary = admin_check.start_admin_check(edition, actor=job_actor(job), progress=progress)
    return outcome(
        _(
            "Pemeriksaan otomatis selesai: %(checked)s proposal; %(failed)s ada yang gagal, "
            "%(warnings)s ada peringatan, %(clean)s memenuhi semua; %(similar_pairs)s "
            "pasang proposal sangat mirip."
        )
        % vars(summary),
        url=reverse("kipp_admin_check_queue", args=[edition.code]),
        link=_("Buka antrean seleksi administrasi"),
        counts=[
            (_("Proposal diperiksa"), summary.checked),
            (_("Ada yang gagal"), summary.failed),
            (_("Ada peringatan"), summary.warnings),
            (_("Memenuhi semua"), summary.clean),
            (_("Pasang proposal sangat mirip"), summary.similar_pairs),
        ],
        **vars(summary),
    )


def start_similarity_job(edition: Edition, *, actor: Any) -> Job:
    """Queue the recomputation of every proposal's similar proposals ("hitung ulang")."""
    admin_check.check_similarity_recomputable(edition, actor=actor)
    return _start_edition_job(
        SIMILARITY,
        _("Hitung ulang kemiripan proposal — %(edition)s"),
        edition,
        actor=actor,
        back="kipp_admin_check_queue",
    )


@job_kind(SIMILARITY)
def similarity_job(job: Job, progress: Progress) -> dict[str, Any]:
    edition = _edition(job)
    summary = admin_check.recompute_similarity(edition, actor=job_actor(job), progress=progress)
    text = _(
        "Kemiripan %(count)s proposal dihitung ulang; %(pairs)s pasang proposal sangat "
        "mirip (≥ %(pct)s%%) dan diberi peringatan."
    ) % {
        "count": summary.proposals,
        "pairs": summary.pairs,
        "pct": round(summary.threshold * 100),
    }
    if summary.unchecked:
        text += " " + _(
            "%(count)s proposal belum menjalani pemeriksaan otomatis; peringatannya "
            "muncul setelah pemeriksaan otomatis dijalankan."
        ) % {"count": summary.unchecked}
    return outcome(
        text,
        url=reverse("kipp_admin_check_queue", args=[edition.code]),
        link=_("Buka antrean seleksi administrasi"),
        counts=[
            (_("Proposal dibandingkan"), summary.proposals),
            (_("Pasang proposal sangat mirip"), summary.pairs),
            (_("Belum diperiksa otomatis"), summary.unchecked),
        ],
        **vars(summary),
    )
