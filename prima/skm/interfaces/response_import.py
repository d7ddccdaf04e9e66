"""Importing a file of responses in the canonical layout into a survey (skm.md §9, §13 ex. 6).

The file is read by :mod:`prima.skm.interfaces.response_file` (CSV or XLSX, streamed), in
passes so that memory stays bounded whatever the number of rows:

1. every row is checked (values, period, service codes) and counted; respondent references
   are checked against those already stored in the survey (a query per few thousand rows)
   and, by 64-bit hashes, against each other; when hashes repeat, the suspect rows are read
   again to compare the references themselves, so the answer is exact;
2. the rows to keep are read again and written through
   :func:`prima.skm.domain.responses.record_batch` (channel ``import``) in one transaction,
   with one audit entry that carries the counts.

Modes: ``all_or_nothing`` (the default) writes nothing unless every row is valid and
reports the problems by row and column; ``apply_valid_rows`` writes the valid rows and
keeps the others in a CSV (``row``, ``column``, ``message`` in front of the canonical
columns) stored for the importer and the people who run the survey to download.
"""

from __future__ import annotations

import csv
import io
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.domain.jobs import ProgressCallback, no_progress
from prima.core.interfaces.export import guard_formula
from prima.core.interfaces.tabular import CellError, TableError
from prima.core.models import Person
from prima.skm.domain.instruments import SkmInstrument
from prima.skm.domain.periods import parse_period
from prima.skm.domain.permissions import may_run_survey
from prima.skm.domain.responses import ResponseInput, allowed_service_codes, record_batch
from prima.skm.domain.versions import instrument as instrument_of
from prima.skm.enums import UNSPECIFIED_SERVICE, Channel, SurveyState
from prima.skm.interfaces.response_file import (
    DEMOGRAPHICS,
    IMPORT_LIMITS,
    REF,
    Limits,
    RejectedRow,
    RepeatedRefs,
    Response,
    Source,
    read_responses,
    ref_hash,
    rejected_header,
    rejected_record,
    repeated_ref_errors,
)
from prima.skm.models import Response as StoredResponse
from prima.skm.models import Survey

# Rejected-row files live here in the default storage, under random names.
REJECTED_DIR = "skm/imports"
# Respondent references checked against the stored ones per query.
REF_CHECK_CHUNK = 5000
# Progress is reported every so many rows (the job writes it at most twice a second).
PROGRESS_EVERY = 1000
# Problems kept to report an all-or-nothing refusal (all are counted).
MAX_REPORTED = 10_000


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", gettext_lazy("Semua atau tidak sama sekali")
    APPLY_VALID_ROWS = "apply_valid_rows", gettext_lazy("Terapkan baris yang benar saja")


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: rows read (non-empty), written and left out, and where the
    file of rows left out is stored ("" when there is none)."""

    mode: str
    rows: int
    imported: int
    rejected: int
    rejected_file: str = ""


def check_importable(survey: Survey, *, actor: Person | None) -> None:
    """Refuse at once an import that cannot succeed: who asks and the survey's state."""
    if actor is None or not may_run_survey(actor, survey):
        raise PermissionDenied(_("Anda tidak berwenang mengimpor jawaban survei unit ini."))
    if survey.state != SurveyState.COLLECTING:
        raise DomainError(
            _(
                "Survei %(period)s tidak sedang menerima jawaban (status: %(state)s); impor "
                "hanya dapat dilakukan selama pengumpulan."
            )
            % {"period": survey.period_code, "state": survey.get_state_display()}
        )


def import_mode(value: str | None) -> ImportMode:
    """The mode a form or API call names (blank = all or nothing)."""
    if not value:
        return ImportMode.ALL_OR_NOTHING
    try:
        return ImportMode(value)
    except ValueError:
        raise DomainError(
            _("Mode impor %(value)s tidak dikenal; pilih all_or_nothing atau apply_valid_rows.")
            % {"value": value},
            field="mode",
        ) from None


# --------------------------------------------------------------------------- pass 1


class _RowFlags:
    """Row numbers marked as rejected: one byte per row number."""

    def __init__(self) -> None:
        self._flags = bytearray()

    def add(self, row: int) -> None:
        if row >= len(self._flags):
            self._flags.extend(bytes(row + 1 - len(self._flags) + 4096))
        self._flags[row] = 1

    def __contains__(self, row: int) -> bool:
        return row < len(self._flags) and self._flags[row] == 1


@dataclass
class _Check:
    """What the checking pass found."""

    rows: int = 0
    rejected: _RowFlags = field(default_factory=_RowFlags)
    rejected_count: int = 0
    # Problems of rows otherwise valid (their reference is taken), by row.
    ref_errors: dict[int, list[CellError]] = field(default_factory=dict)
    # The first problems (for an all-or-nothing refusal) and how many there are.
    errors: list[CellError] = field(default_factory=list)
    error_count: int = 0

    def reject(self, row: int, errors: tuple[CellError, ...] | list[CellError]) -> None:
        if row not in self.rejected:
            self.rejected.add(row)
            self.rejected_count += 1
        self.error_count += len(errors)
        room = MAX_REPORTED - len(self.errors)
        if room > 0:
            self.errors.extend(errors[:room])

    def reject_ref(self, error: CellError) -> None:
        self.ref_errors.setdefault(error.row, []).append(error)
        self.reject(error.row, [error])


def _stored_refs(survey: Survey, refs: set[str]) -> set[str]:
    """Which of these references the survey already holds (voided responses included:
    a reference stays taken)."""
    if not refs:
        return set()
    found = StoredResponse.objects.filter(survey=survey, respondent_ref__in=refs)
    return set(found.values_list("respondent_ref", flat=True))


def _check_against_stored(survey: Survey, pending: list[tuple[int, str]], check: _Check) -> None:
    taken = _stored_refs(survey, {ref for _, ref in pending})
    for row, ref in pending:
        if ref in taken:
            check.reject_ref(
                CellError(
                    row,
                    REF,
                    _(
                        "%(value)s sudah dipakai oleh jawaban yang tersimpan di survei ini; "
                        "respondent_ref harus unik."
                    )
                    % {"value": f'"{ref}"'},
                )
            )


Rows = Iterator[Response | RejectedRow]


def _check_file(
    survey: Survey, rows: Rows, read_again: Callable[[], Rows], progress: ProgressCallback
) -> _Check:
    check = _Check()
    refs = RepeatedRefs()
    pending: list[tuple[int, str]] = []
    for item in rows:
        check.rows += 1
        if check.rows % PROGRESS_EVERY == 0:
            progress(check.rows, None, _("Memeriksa baris %(row)s…") % {"row": check.rows})
        if isinstance(item, RejectedRow):
            check.reject(item.row, item.errors)
            continue
        if item.respondent_ref is not None:
            refs.add(item.respondent_ref)
            pending.append((item.row, item.respondent_ref))
            if len(pending) >= REF_CHECK_CHUNK:
                _check_against_stored(survey, pending, check)
                pending = []
    _check_against_stored(survey, pending, check)
    suspects = refs.repeated()
    if suspects:
        texts = {
            item.row: item.respondent_ref
            for item in read_again()
            if isinstance(item, Response)
            and item.respondent_ref is not None
            and ref_hash(item.respondent_ref) in suspects
        }
        for error in repeated_ref_errors(texts):
            check.reject_ref(error)
    return check


# --------------------------------------------------------------------------- pass 2


def _as_input(row: Response) -> ResponseInput:
    return ResponseInput(
        answered_on=row.answered_on,
        answers=dict(row.answers),
        service_code=row.service_code,
        gender=row.gender or "",
        age_band=row.age_band or "",
        education=row.education or "",
        occupation=row.occupation or "",
        suggestion=row.suggestion,
        respondent_ref=row.respondent_ref or "",
    )


def _as_rejected(row: Response, errors: list[CellError]) -> RejectedRow:
    """A row valid on its own but left out (its reference is taken), as cells again."""
    values = {
        REF: row.respondent_ref or "",
        "answered_on": row.answered_on.isoformat(),
        "service_code": "" if row.service_code == UNSPECIFIED_SERVICE else row.service_code,
        **{name: getattr(row, name) or "" for name in DEMOGRAPHICS},
        **{code: "" if value is None else str(value) for code, value in row.answers.items()},
        "suggestion": row.suggestion,
    }
    return RejectedRow(row.row, values, tuple(errors))


class _RejectedWriter:
    """The CSV of rows left out, written to a temporary file while rows stream by."""

    def __init__(self, header: tuple[str, ...]) -> None:
        self.file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self.text = io.TextIOWrapper(self.file, encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.text)
        self.writer.writerow(header)
        self.count = 0

    def write(self, record: list[object]) -> None:
        self.writer.writerow(
            [guard_formula(value) if isinstance(value, str) else value for value in record]
        )
        self.count += 1

    def store(self) -> str:
        self.text.flush()
        self.file.seek(0)
        return default_storage.save(f"{REJECTED_DIR}/{uuid.uuid4().hex}.csv", File(self.file))

    def close(self) -> None:
        self.text.close()


def _inputs(
    rows: Rows,
    check: _Check,
    rejected: _RejectedWriter | None,
    instrument: SkmInstrument,
    progress: ProgressCallback,
) -> Iterator[ResponseInput]:
    """The rows to write, in file order; rows left out go to the rejected file."""
    seen = 0
    for item in rows:
        seen += 1
        if seen % PROGRESS_EVERY == 0:
            progress(seen, check.rows, _("Menyimpan baris %(row)s…") % {"row": seen})
        if isinstance(item, RejectedRow):
            if rejected is not None:
                rejected.write(rejected_record(item, instrument))
            continue
        if item.row in check.rejected:
            if rejected is not None:
                left_out = _as_rejected(item, check.ref_errors.get(item.row, []))
                rejected.write(rejected_record(left_out, instrument))
            continue
        yield _as_input(item)


# --------------------------------------------------------------------------- import


def import_responses(
    survey: Survey,
    source: Source,
    *,
    actor: Person,
    mode: str = ImportMode.ALL_OR_NOTHING,
    filename: str = "",
    limits: Limits = IMPORT_LIMITS,
    progress: ProgressCallback = no_progress,
) -> ImportOutcome:
    """Import a canonical file of responses into a collecting survey.

    ``source`` is a path or a seekable binary file (it is read more than once). Raises
    TableError for a problem of the whole file, or — in ``all_or_nothing`` mode — with
    every row problem when any row is refused; nothing is written then. Raises
    PermissionDenied / DomainError when the actor may not import or the survey is not
    collecting.
    """
    chosen = import_mode(mode)
    check_importable(survey, actor=actor)
    version = instrument_of(survey.instrument)
    options: dict[str, Any] = {
        "limits": limits,
        "period": parse_period(survey.period_code),
        "service_codes": allowed_service_codes(survey),
    }

    def read() -> Rows:
        return read_responses(source, version, **options)

    check = _check_file(survey, read(), read, progress)
    if check.rejected_count and chosen == ImportMode.ALL_OR_NOTHING:
        errors = sorted(check.errors, key=lambda error: error.row)
        hidden = check.error_count - len(errors)
        if hidden > 0:
            errors.append(
                CellError(
                    0,
                    "",
                    _("… dan %(count)s masalah lain yang tidak ditampilkan.") % {"count": hidden},
                )
            )
        raise TableError(errors)
    if check.rows == 0:
        raise TableError([CellError(0, "", _("Berkas tidak berisi satu baris jawaban pun."))])

    rejected = _RejectedWriter(rejected_header(version)) if check.rejected_count else None
    stored = ""
    try:
        with transaction.atomic():
            imported = record_batch(
                survey,
                _inputs(read(), check, rejected, version, progress),
                channel=Channel.IMPORT,
                actor=actor,
            )
            if rejected is not None:
                stored = rejected.store()
            audit.record(
                actor=actor,
                action="skm.responses.imported",
                obj=survey,
                after={
                    "survey": survey.pk,
                    "mode": chosen.value,
                    "file": filename[:200],
                    "rows": check.rows,
                    "imported": imported,
                    "rejected": check.rejected_count,
                },
            )
    except BaseException as error:
        if stored:
            default_storage.delete(stored)
        if isinstance(error, IntegrityError):
            raise DomainError(
                _(
                    "Sebagian respondent_ref baru saja dipakai oleh jawaban lain selama impor "
                    "berjalan; tidak ada yang disimpan. Unggah ulang berkasnya."
                )
            ) from error
        raise
    finally:
        if rejected is not None:
            rejected.close()
    progress(check.rows, check.rows, _("Selesai."))
    return ImportOutcome(
        mode=chosen,
        rows=check.rows,
        imported=imported,
        rejected=check.rejected_count,
        rejected_file=stored,
    )


def rejected_file_exists(name: str) -> bool:
    """Whether a stored file of rejected rows is still there."""
    return bool(name) and name.startswith(f"{REJECTED_DIR}/") and default_storage.exists(name)
