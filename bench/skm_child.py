"""The Django side of `python -m bench.skm`, run in a subprocess against the bench database.

    python -m bench.skm_child setup PLAN.json   # registry, surveys; prints their ids
    python -m bench.skm_child import JOBS.json  # import canonical CSV files, timed
    python -m bench.skm_child ikm DIR           # IKM per unit: ORM GROUP BY vs DuckDB
    python -m bench.skm_child pages PLAN.json   # session cookie, paths, query counts
    python -m bench.skm_child check PLAN.json   # responses and counters after the HTTP load

The environment (DJANGO_SETTINGS_MODULE, DATABASE_URL, PRIMA_VAR_DIR) is set by bench.skm.
Each command prints one JSON object on its last line of output.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

ANSWER_VALUES = (1, 2, 3, 4)
PARQUET_BATCH = 200_000


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.skm_settings")
    import django

    django.setup()


def _cpu_seconds() -> float:
    """CPU time (user + system) this process has used: what a loaded machine leaves out."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _maxrss_mib() -> float:
    """This process's peak resident memory so far, in MiB.

    Linux's VmHWM, of this program's own memory: `ru_maxrss` would also count the peak of
    the parent it was forked from (kept across exec), so it is only the fallback.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _reset_peak() -> bool:
    """Start a new peak (VmHWM) from the current resident memory (Linux ≥ 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        return False
    return True


# --------------------------------------------------------------------------- setup


def setup(plan: Mapping[str, Any]) -> dict[str, Any]:
    """Regions, one local government and unit per planned survey, the unit's services, a
    secretariat person, and one COLLECTING survey per unit (period `plan["period"]`)."""
    import secrets

    from django.contrib.auth.hashers import make_password

    from prima.core.domain.registry import load_regions
    from prima.core.enums import InstitutionKind, Role, Scope, ServiceType, UnitKind
    from prima.core.models import Institution, Membership, Person, Region, Service, ServiceUnit
    from prima.skm.domain.periods import parse_period
    from prima.skm.domain.sample import sample_target
    from prima.skm.domain.versions import CURRENT_INSTRUMENT
    from prima.skm.enums import SurveyState
    from prima.skm.models import Survey

    load_regions(actor=None)
    regencies = list(Region.objects.filter(level="regency").order_by("code"))
    period = parse_period(plan["period"])
    surveys = plan["surveys"]
    institutions = [
        Institution(
            kind=InstitutionKind.REGENCY,
            name=f"Pemerintah Kabupaten Uji {n + 1:04d}",
            region=regencies[n % len(regencies)],
            province_code=regencies[n % len(regencies)].province_code,
        )
        for n in range(len(surveys))
    ]
    Institution.objects.bulk_create(institutions)
    units = [
        ServiceUnit(
            institution=institution,
            name=f"Dinas Layanan Uji {n + 1:04d}",
            kind=UnitKind.DINAS,
            service_type=ServiceType.ADMINISTRATIVE,
            region=institution.region,
            user_population=max(300, planned["rows"]),
        )
        for n, (institution, planned) in enumerate(zip(institutions, surveys, strict=True))
    ]
    ServiceUnit.objects.bulk_create(units)
    Service.objects.bulk_create(
        [
            Service(institution=unit.institution, unit=unit, code=code, name=f"Layanan {code}")
            for unit in units
            for code in plan["services"]
        ]
    )
    secretariat = Person.objects.create(
        username="bench.skm.sekretariat",
        email="bench.skm.sekretariat@contoh.go.id",
        full_name="Sekretariat Uji Kinerja SKM",
        password=make_password(None),
        must_complete_profile=False,
        must_change_password=False,
    )
    Membership.objects.create(person=secretariat, role=Role.SECRETARIAT, scope=Scope.NATIONAL)
    rows = []
    for unit, planned in zip(units, surveys, strict=True):
        population = max(300, planned["rows"])
        rows.append(
            Survey(
                unit=unit,
                institution=unit.institution,
                province_code=unit.institution.province_code,
                period_code=period.code,
                period_kind=period.kind,
                period_start=period.first_day,
                period_end=period.last_day,
                instrument=CURRENT_INSTRUMENT,
                population=population,
                sample_target=sample_target(population),
                state=SurveyState.COLLECTING,
                public_id=secrets.token_urlsafe(12),
            )
        )
    Survey.objects.bulk_create(rows)
    return {
        "surveys": [
            {**planned, "id": survey.pk, "unit": survey.unit_id, "public_id": survey.public_id}
            for survey, planned in zip(rows, surveys, strict=True)
        ],
        "secretariat": secretariat.pk,
        "instrument": CURRENT_INSTRUMENT,
    }


# --------------------------------------------------------------------------- import


def _import_path() -> str:
    """Which import path this run uses: area 4's `import_responses` when it exists."""
    try:
        from prima.skm.interfaces.response_import import import_responses  # noqa: F401
    except ImportError:
        return "read_responses + record_batch"
    return "interfaces.response_import.import_responses (all_or_nothing)"


def _inputs(rows: Iterator[Any]) -> Iterator[Any]:
    """Fallback: valid rows of `read_responses` as ResponseInput; a rejected row stops the
    import (`record_batch` runs in one transaction, which is rolled back)."""
    from prima.skm.domain.responses import ResponseInput
    from prima.skm.interfaces.response_file import RejectedRow

    for row in rows:
        if isinstance(row, RejectedRow):
            raise SystemExit(f"row {row.row} rejected: {[e.message for e in row.errors]}")
        yield ResponseInput(
            answered_on=row.answered_on,
            answers=row.answers,
            service_code=row.service_code,
            gender=row.gender or "",
            age_band=row.age_band or "",
            education=row.education or "",
            occupation=row.occupation or "",
            suggestion=row.suggestion,
            respondent_ref=row.respondent_ref or "",
        )


def _import_one(survey: Any, path: Path, actor: Any) -> int:
    """Import one canonical file into `survey` through Prima's import path."""
    try:
        from prima.skm.interfaces.response_import import import_responses
    except ImportError:
        pass
    else:
        outcome = import_responses(survey, path, actor=actor, filename=path.name)
        return int(outcome.imported)
    from prima.skm.domain.periods import parse_period
    from prima.skm.domain.responses import allowed_service_codes, record_batch
    from prima.skm.domain.versions import instrument
    from prima.skm.enums import Channel
    from prima.skm.interfaces.response_file import IMPORT_LIMITS, read_responses

    rows = read_responses(
        path,
        instrument(survey.instrument),
        limits=IMPORT_LIMITS,
        period=parse_period(survey.period_code),
        service_codes=allowed_service_codes(survey),
    )
    return record_batch(survey, _inputs(rows), channel=Channel.IMPORT, actor=actor)


def _bare_insert(survey: Any, path: Path, limit: int) -> tuple[int, float]:
    """Baseline: the first `limit` rows of a file parsed by `csv.reader` and written with a
    plain `bulk_create` (no validation, no counters), rolled back. Rows and seconds."""
    import csv

    from django.db import transaction

    from prima.skm.domain.answer_columns import answer_fields
    from prima.skm.domain.versions import instrument
    from prima.skm.models import Response

    fields = answer_fields(instrument(survey.instrument))
    began = time.perf_counter()
    total = 0
    with transaction.atomic():
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            index = {name: n for n, name in enumerate(header)}
            batch: list[Response] = []
            for cells in itertools.islice(reader, limit):
                answers = {
                    field: int(cells[index[code]]) if cells[index[code]] else None
                    for code, field in fields.items()
                }
                batch.append(
                    Response(
                        survey=survey,
                        respondent_ref=cells[index["respondent_ref"]],
                        answered_on=dt.date.fromisoformat(cells[index["answered_on"]]),
                        service_code=cells[index["service_code"]],
                        gender=cells[index["gender"]],
                        age_band=cells[index["age_band"]],
                        education=cells[index["education"]],
                        occupation=cells[index["occupation"]],
                        suggestion=cells[index["suggestion"]],
                        channel="import",
                        **answers,
                    )
                )
                if len(batch) == 5000:
                    Response.objects.bulk_create(batch)
                    total += len(batch)
                    batch = []
            if batch:
                Response.objects.bulk_create(batch)
                total += len(batch)
        transaction.set_rollback(True)
    return total, time.perf_counter() - began


def import_files(jobs: Mapping[str, Any]) -> dict[str, Any]:
    """Import every (survey, file) of `jobs["files"]` in order; time each and the whole.

    The bare baseline runs first on `jobs["baseline_file"]` (rolled back)."""
    from prima.core.models import Person
    from prima.skm.models import Survey

    rss_start = _maxrss_mib()
    actor = Person.objects.get(pk=jobs["actor"])
    baseline = None
    if jobs.get("baseline_file"):
        survey = Survey.objects.get(pk=jobs["baseline_survey"])
        cpu = _cpu_seconds()
        rows, seconds = _bare_insert(
            survey, Path(jobs["baseline_file"]), int(jobs.get("baseline_rows", 10**9))
        )
        baseline = {
            "rows": rows,
            "seconds": round(seconds, 3),
            "cpu_seconds": round(_cpu_seconds() - cpu, 2),
        }
    rss_before = _maxrss_mib()
    reset = _reset_peak()
    per_file: list[dict[str, Any]] = []
    began = time.perf_counter()
    cpu_began = _cpu_seconds()
    for job in jobs["files"]:
        survey = Survey.objects.get(pk=job["survey"])
        started = time.perf_counter()
        count = _import_one(survey, Path(job["path"]), actor)
        seconds = time.perf_counter() - started
        if count != job["rows"]:
            raise SystemExit(f"{job['path']}: imported {count} rows, expected {job['rows']}")
        per_file.append({"rows": count, "seconds": round(seconds, 3)})
        print(f"  imported {job['path']}: {count} rows in {seconds:.1f} s", flush=True)
    total_seconds = time.perf_counter() - began
    cpu_seconds = _cpu_seconds() - cpu_began
    rows = sum(f["rows"] for f in per_file)
    return {
        "path": _import_path(),
        "files": len(per_file),
        "rows": rows,
        "seconds": round(total_seconds, 2),
        "rows_per_second": round(rows / total_seconds),
        "cpu_seconds": round(cpu_seconds, 2),
        "rows_per_cpu_second": round(rows / cpu_seconds) if cpu_seconds else None,
        "largest_file_rows": max(f["rows"] for f in per_file),
        "per_file_seconds": [f["seconds"] for f in per_file],
        "maxrss_start_mib": rss_start,
        "maxrss_before_mib": rss_before,
        "maxrss_after_mib": _maxrss_mib(),
        "peak_reset_before_import": reset,
        "baseline": baseline,
    }


# --------------------------------------------------------------------------- IKM


def _counters(respondents: int, counts: Mapping[str, Mapping[int, int]], version: Any) -> Any:
    from types import MappingProxyType

    from prima.skm.domain.index import Counters

    return Counters(
        respondents=respondents,
        answers=MappingProxyType(
            {
                code: MappingProxyType({v: int(counts[code].get(v, 0)) for v in ANSWER_VALUES})
                for code in version.element_codes
            }
        ),
    )


def orm_counters(version: Any) -> dict[int, Any]:
    """Survey id → Counters from the raw rows: one ORM GROUP BY survey (our path)."""
    from django.db.models import Count, Q

    from prima.skm.domain.answer_columns import answer_fields
    from prima.skm.models import Response

    fields = answer_fields(version)
    aggregates: dict[str, Any] = {"n": Count("id")}
    for code, field in fields.items():
        for value in ANSWER_VALUES:
            aggregates[f"{code}_{value}"] = Count("id", filter=Q(**{field: value}))
    rows: Any = (
        Response.objects.filter(voided_at__isnull=True)
        .values("survey_id")
        .annotate(**aggregates)
        .order_by()
    )
    return {
        row["survey_id"]: _counters(
            row["n"],
            {code: {v: row[f"{code}_{v}"] for v in ANSWER_VALUES} for code in fields},
            version,
        )
        for row in rows
    }


def export_parquet(version: Any, target: Path) -> int:
    """Every Response row (survey, answer columns, voided) to a Parquet file; rows written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from prima.skm.domain.answer_columns import answer_fields
    from prima.skm.models import Response

    fields = list(answer_fields(version).values())
    schema = pa.schema(
        [("survey_id", pa.int64()), *[(f, pa.int8()) for f in fields], ("voided", pa.bool_())]
    )
    written = 0
    rows = Response.objects.order_by().values_list("survey_id", *fields, "voided_at")
    with pq.ParquetWriter(target, schema) as writer:
        batch: list[tuple[Any, ...]] = []
        for row in rows.iterator(chunk_size=PARQUET_BATCH):
            batch.append(row)
            if len(batch) == PARQUET_BATCH:
                writer.write_table(_arrow(batch, schema))
                written += len(batch)
                batch = []
        if batch:
            writer.write_table(_arrow(batch, schema))
            written += len(batch)
    return written


def _arrow(batch: Sequence[tuple[Any, ...]], schema: Any) -> Any:
    import pyarrow as pa

    columns = list(zip(*batch, strict=True))
    arrays = [pa.array(column, type=schema.field(n).type) for n, column in enumerate(columns[:-1])]
    arrays.append(pa.array([value is not None for value in columns[-1]], type=pa.bool_()))
    return pa.Table.from_arrays(arrays, schema=schema)


def duckdb_counters(version: Any, parquet: Path) -> dict[int, Any]:
    """Survey id → Counters from the Parquet export: one DuckDB GROUP BY (the baseline)."""
    import duckdb

    from prima.skm.domain.answer_columns import answer_fields

    fields = answer_fields(version)
    selects = ["survey_id", "count(*) AS n"]
    for code, field in fields.items():
        for value in ANSWER_VALUES:
            selects.append(f'count(*) FILTER (WHERE {field} = {value}) AS "{code}_{value}"')
    sql = f"SELECT {', '.join(selects)} FROM read_parquet(?) WHERE NOT voided GROUP BY survey_id"
    with duckdb.connect() as connection:
        cursor = connection.execute(sql, [str(parquet)])
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return {
        int(row["survey_id"]): _counters(
            int(row["n"]),
            {code: {v: int(row[f"{code}_{v}"]) for v in ANSWER_VALUES} for code in fields},
            version,
        )
        for row in rows
    }


def _per_unit(by_survey: Mapping[int, Any], unit_of: Mapping[int, int]) -> dict[int, Any]:
    """Pool surveys' counters per unit (same instrument): added, never averaged."""
    pooled: dict[int, Any] = {}
    for survey_id, counters in by_survey.items():
        unit = unit_of[survey_id]
        pooled[unit] = pooled[unit] + counters if unit in pooled else counters
    return pooled


def _results(by_unit: Mapping[int, Any], version: Any, rule: Any) -> dict[int, Any]:
    from prima.skm.domain.index import compute

    return {unit: compute(c, version, weight_rule=rule) for unit, c in by_unit.items()}


def ikm(directory: Path, repeat: int) -> dict[str, Any]:
    """IKM of every unit from raw rows, our way and DuckDB's; both must agree exactly,
    and with the result read from the maintained counters."""
    from prima.skm.domain.counters import survey_counters
    from prima.skm.domain.versions import CURRENT_INSTRUMENT, instrument, setting_for
    from prima.skm.enums import WeightRule
    from prima.skm.models import Survey

    version = instrument(CURRENT_INSTRUMENT)
    rule = WeightRule(setting_for(CURRENT_INSTRUMENT).weight_rule)
    unit_of = dict(Survey.objects.values_list("pk", "unit_id"))

    def ours() -> dict[int, Any]:
        return _results(_per_unit(orm_counters(version), unit_of), version, rule)

    parquet = directory / "responses.parquet"
    began = time.perf_counter()
    exported = export_parquet(version, parquet)
    export_seconds = time.perf_counter() - began

    def theirs() -> dict[int, Any]:
        return _results(_per_unit(duckdb_counters(version, parquet), unit_of), version, rule)

    our_times, duck_times = [], []
    mine = duck = {}
    for _ in range(repeat):
        began = time.perf_counter()
        mine = ours()
        our_times.append(time.perf_counter() - began)
        began = time.perf_counter()
        duck = theirs()
        duck_times.append(time.perf_counter() - began)
    # The maintained counters (what the result page reads) must give the same figures.
    by_survey = {pk: survey_counters([pk], version) for pk in unit_of}
    stored = _results(_per_unit(by_survey, unit_of), version, rule)
    mismatched = sorted(unit for unit in mine if mine[unit] != duck.get(unit))
    stored_mismatched = sorted(unit for unit in mine if mine[unit] != stored.get(unit))
    # Units without a response are absent from GROUP BY; their counters must be empty.
    stored_mismatched += sorted(
        unit for unit, result in stored.items() if unit not in mine and result.respondents
    )
    ours_median, duck_median = statistics.median(our_times), statistics.median(duck_times)
    sample = next(iter(sorted(mine.items())), None)
    return {
        "units": len(mine),
        "rows": exported,
        "parquet_bytes": parquet.stat().st_size,
        "export_seconds": round(export_seconds, 2),
        "repeat": repeat,
        "ours_seconds": round(ours_median, 4),
        "duckdb_seconds": round(duck_median, 4),
        "ratio": round(ours_median / duck_median, 2) if duck_median else None,
        "identical": not mismatched and set(mine) == set(duck),
        "mismatched_units": mismatched[:10],
        "counters_identical": not stored_mismatched,
        "weight_rule": rule.value,
        "example": (
            {
                "unit": sample[0],
                "ikm": str(sample[1].result.ikm) if sample[1].result else None,
                "converted": str(sample[1].result.ikm_converted) if sample[1].result else None,
                "grade": sample[1].result.grade if sample[1].result else None,
            }
            if sample
            else None
        ),
    }


# --------------------------------------------------------------------------- pages


def _query_count(client: Any, path: str) -> tuple[int, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries.captured_queries), len(response.content)


def pages(plan: Mapping[str, Any]) -> dict[str, Any]:
    """The secretariat's session cookie, the paths to load, and the result page's query
    count for the big and the tiny survey (the URL names are areas 3 and 5's)."""
    from django.conf import settings
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from prima.core.models import Person
    from prima.skm.models import Survey

    client = Client()
    client.force_login(Person.objects.get(pk=plan["secretariat"]))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    big, tiny, form = plan["big"], plan["tiny"], plan["form"]
    counts = {
        pk: Survey.objects.filter(pk=pk).values_list("respondents", flat=True).first()
        for pk in (big, tiny, form)
    }
    paths: dict[str, Any] = {"ping": reverse("bench_ping"), "post": reverse("bench_skm_post")}
    missing = []
    try:
        paths["result_big"] = reverse("skm_result", args=[big])
        paths["result_tiny"] = reverse("skm_result", args=[tiny])
    except NoReverseMatch:
        missing.append("skm_result")
    try:
        public_id = Survey.objects.get(pk=form).public_id
        paths["survey"] = reverse("skm_public_survey", args=[public_id])
    except NoReverseMatch:
        missing.append("skm_public_survey")
    queries = {}
    if "result_big" in paths:
        for key in ("result_big", "result_tiny"):
            status, number, size = _query_count(client, paths[key])
            queries[key] = {"status": status, "queries": number, "bytes": size}
    return {
        "session_cookie": f"{settings.SESSION_COOKIE_NAME}={session}",
        "paths": paths,
        "missing": missing,
        "respondents": {"big": counts[big], "tiny": counts[tiny], "form": counts[form]},
        "queries": queries,
    }


def check(plan: Mapping[str, Any]) -> dict[str, Any]:
    """After the HTTP load: rows, respondents and counters of the form survey agree."""
    from django.db.models import Count

    from prima.skm.domain.counters import survey_counters
    from prima.skm.domain.versions import instrument
    from prima.skm.models import Response, Survey

    survey = Survey.objects.get(pk=plan["form"])
    rows = Response.objects.filter(survey=survey, voided_at__isnull=True).count()
    counters = survey_counters([survey.pk], instrument(survey.instrument))
    by_channel = dict(
        Response.objects.filter(survey=survey)
        .values_list("channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "rows": rows,
        "respondents": survey.respondents,
        "counted": counters.respondents,
        "by_channel": by_channel,
        "consistent": rows == survey.respondents == counters.respondents,
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    command, argument = args[0], args[1]
    _setup()
    output: dict[str, Any]
    if command == "setup":
        output = setup(json.loads(Path(argument).read_text()))
    elif command == "import":
        output = import_files(json.loads(Path(argument).read_text()))
    elif command == "ikm":
        output = ikm(Path(argument), int(args[2]) if len(args) > 2 else 3)
    elif command == "pages":
        output = pages(json.loads(Path(argument).read_text()))
    elif command == "check":
        output = check(json.loads(Path(argument).read_text()))
    else:
        raise SystemExit(f"unknown command {command}")
    sys.stdout.write(json.dumps(output, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
