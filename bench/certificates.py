"""`python -m bench.certificates`: bulk generation of award certificates (piagam).

1. Builds a fresh SQLite database under var/bench/certificates/ (migrations applied) with
   one PKRI-like edition of 75 decided awards: 14 to institutions and 61 to innovations
   (pkri.md §7.5), its decree recorded.
2. Times the `awards.certificates` job over the edition (started with
   `prima.awards.jobs.start_certificates_job`, run in-process by the immediate tasks
   backend): number, code, signed facts, the A4-landscape PDF with its QR code, storage,
   SHA-256 and the audit entry of each of the 75 certificates. Certificates are deleted
   between repetitions; the median of ``--repeat`` runs is reported.
3. Baseline, in the same run: rendering one plain A4-landscape page (title and three
   paragraphs, no QR code) with the same toolkit (`prima.core.documents.render_pdf`) 75
   times. The ratio says what the certificate pipeline costs over bare PDF rendering.

Prints a Markdown table; bench/RESULTS.md is left to the maintainers. Independent of
bench/run.py: no server, only its own database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench" / "certificates"
AWARDS = 75
INSTITUTION_AWARDS = 14


def _setup() -> None:
    """A throwaway database and media folder, the immediate tasks backend, then Django."""
    if BENCH_VAR.exists():
        shutil.rmtree(BENCH_VAR)
    (BENCH_VAR / "media").mkdir(parents=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "prima.settings",
            "DATABASE_URL": f"sqlite:///{BENCH_VAR / 'bench.sqlite3'}",
            "PRIMA_VAR_DIR": str(BENCH_VAR),
            "MEDIA_ROOT": str(BENCH_VAR / "media"),
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _dataset() -> tuple[Any, Any]:
    """The secretariat person and the edition with 75 decided awards and a decree."""
    from prima.awards.domain.categories import CategorySpec, create_categories
    from prima.awards.domain.proposals import (
        ProposedRecipient,
        decide_awards,
        propose_awards,
        record_decree,
    )
    from prima.core.enums import InstitutionKind, Role, Scope, ServiceType, UnitKind
    from prima.core.models import Institution, Membership, Person, ServiceUnit
    from prima.evaluation.domain.catalogue import load_instrument_file
    from prima.evaluation.models import Edition
    from prima.innovations.models import Innovation

    actor = Person.objects.create(username="bench-sekretariat", email="bench@contoh.go.id")
    Membership.objects.create(person=actor, role=Role.SECRETARIAT, scope=Scope.NATIONAL)
    instrument = load_instrument_file(ROOT / "instruments" / "pkri-2024.yaml", actor=actor)
    edition = Edition.objects.create(
        programme="pkri",
        code="pkri-bench",
        year=2024,
        title="Pemantauan Keberlanjutan dan Replikasi Inovasi Pelayanan Publik 2024",
        rules={
            "calendar": {
                "award_event": {"date": "2024-10-08", "name": "Gebyar Pelayanan Prima 2024"}
            },
            "publication": {"publish_ranks": False, "publish_scores": False},
        },
        instrument=instrument,
        is_published=True,
    )
    coaching, sustained = create_categories(
        edition,
        [
            CategorySpec(
                code="pembinaan",
                title="Penyelenggara Inovasi Pelayanan Publik Terbaik Tahun 2024",
                recipient="institution",
                count=INSTITUTION_AWARDS,
            ),
            CategorySpec(
                code="keberlanjutan",
                title="Top Inovasi Pelayanan Publik Kategori Kelompok Keberlanjutan 2024",
                recipient="innovation",
                count=AWARDS - INSTITUTION_AWARDS,
            ),
        ],
        actor=actor,
    )
    institutions = [
        Institution.objects.create(
            kind=InstitutionKind.CITY, name=f"Pemerintah Kota Uji {n}", short_name=f"Kota Uji {n}"
        )
        for n in range(AWARDS)
    ]
    propose_awards(
        coaching,
        [
            ProposedRecipient(institution_id=inst.pk, rank=n, stratum="city")
            for n, inst in enumerate(institutions[:INSTITUTION_AWARDS], start=1)
        ],
        actor=actor,
    )
    innovations = []
    for n, inst in enumerate(institutions[INSTITUTION_AWARDS:], start=1):
        unit = ServiceUnit.objects.create(
            institution=inst,
            name=f"Dinas Layanan Uji {n}",
            kind=UnitKind.DINAS,
            service_type=ServiceType.ADMINISTRATIVE,
            user_population=10_000,
        )
        innovations.append(
            Innovation.objects.create(
                unit=unit,
                institution=inst,
                name=f"Layanan Terpadu Uji {n}",
                summary="Inovasi uji untuk pengukuran kinerja.",
                started_on=dt.date(2019, 1, 1),
            )
        )
    propose_awards(
        sustained,
        [
            ProposedRecipient(
                institution_id=i.institution_id, innovation_id=i.pk, unit_id=i.unit_id, rank=n
            )
            for n, i in enumerate(innovations, start=1)
        ],
        actor=actor,
    )
    decide_awards(coaching, actor=actor)
    decide_awards(sustained, actor=actor)
    record_decree(edition, number="B/1/PP.00.05/2024", date=dt.date(2024, 10, 1), actor=actor)
    return actor, edition


def _bulk(actor: Any, edition: Any) -> Callable[[], int]:
    from prima.awards.jobs import start_certificates_job
    from prima.awards.models import Certificate
    from prima.core.models import Job

    def run() -> int:
        Certificate.objects.filter(award__edition=edition).delete()
        job = Job.objects.get(pk=start_certificates_job(edition, actor=actor).pk)
        if job.state != "succeeded":
            raise SystemExit(f"the job did not succeed: {job.state} {job.error}")
        issued = int(job.result["issued"])
        if issued != AWARDS:
            raise SystemExit(f"the job issued {issued} certificates, expected {AWARDS}")
        return issued

    return run


def _plain_pages() -> Callable[[], int]:
    from django.utils import timezone
    from reportlab.lib.pagesizes import A4, landscape

    from prima.core.documents import DocumentMeta, paragraph, render_pdf, styles

    look = styles()

    def run() -> int:
        for n in range(AWARDS):
            story = [
                paragraph("PIAGAM PENGHARGAAN", look.title),
                paragraph(f"Nomor PKRI-BENCH/UJI/{n + 1:03d}", look.subtitle),
                paragraph(f"diberikan kepada Kota Uji {n}", look.body),
                paragraph("Top Inovasi Pelayanan Publik 2024", look.body),
            ]
            render_pdf(
                story,
                DocumentMeta(
                    title="Halaman polos",
                    public_url="https://prima.example/",
                    generated_at=timezone.now(),
                    pagesize=landscape(A4),
                ),
            )
        return AWARDS

    return run


def _timed(run: Callable[[], int], repeat: int) -> float:
    walls = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        walls.append(time.perf_counter() - began)
    return statistics.median(walls)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.certificates", description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    began = time.perf_counter()
    _setup()
    actor, edition = _dataset()
    prepared = time.perf_counter() - began

    baseline = _timed(_plain_pages(), args.repeat)
    bulk = _timed(_bulk(actor, edition), args.repeat)
    ratio = bulk / baseline if baseline else float("nan")

    print(
        f"Dataset: {AWARDS} decided awards ({INSTITUTION_AWARDS} institutions, "
        f"{AWARDS - INSTITUTION_AWARDS} innovations) in a fresh SQLite database, "
        f"prepared in {prepared:.1f} s."
    )
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPU(s).")
    print()
    print(f"| run (median of {args.repeat}) | wall | per document | ratio |")
    print("|---|---:|---:|---:|")
    print(
        f"| baseline: plain A4 page rendered {AWARDS}× with render_pdf | {baseline:.2f} s "
        f"| {baseline / AWARDS * 1000:.1f} ms | 1.00 |"
    )
    print(
        f"| `awards.certificates` job: {AWARDS} piagam (PDF + QR, HMAC, storage, audit) "
        f"| {bulk:.2f} s | {bulk / AWARDS * 1000:.1f} ms | {ratio:.2f} |"
    )
    print(f"(load average afterwards: {os.getloadavg()[0]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
