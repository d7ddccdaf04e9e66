"""Read survey responses from a file in the canonical layout (skm.md §9), streamed.

CSV (UTF-8 with or without BOM, or Windows-1252 as Indonesian Excel saves it; separator
comma, semicolon or tab, read from the header line) or XLSX (first worksheet), with the same
columns: header names exact and case-sensitive, in any order, every column present, other
columns refused unless their name starts with ``x_``. Cells are trimmed; blank means empty.

Rows are numbered from the first row after the header (row 1), as skm.md §13 counts them;
wholly empty rows are skipped (Excel writes ``;;;;`` lines) but keep their number.

- :func:`read_responses` yields, row by row, a :class:`Response` or a :class:`RejectedRow`
  with every problem of that row; problems of the whole file (encoding, header, limits)
  raise :class:`~prima.core.interfaces.tabular.TableError`.
- :func:`rejected_header` and :func:`rejected_record` lay out the rows that the "apply
  valid rows" mode leaves out, to be returned to the person as a CSV.
- :func:`summarise` streams a file into :class:`~prima.skm.domain.index.Counters` in
  bounded memory, with the row problems and repeated respondent references.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import os
import re
import zipfile
from array import array
from collections.abc import Callable, Collection, Generator, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import IO, Any, NamedTuple

import numpy as np
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from prima.core.interfaces.tabular import CellError, TableError
from prima.skm.domain.index import Counters, Tally
from prima.skm.domain.instruments import SkmInstrument
from prima.skm.domain.periods import Period
from prima.skm.enums import (
    RESPONDENT_REF_MAX_LENGTH,
    SUGGESTION_MAX_LENGTH,
    UNSPECIFIED_SERVICE,
    AgeBand,
    Education,
    Gender,
    Occupation,
)

Source = str | os.PathLike[str] | IO[bytes]

REF, DATE, SERVICE, SUGGESTION = "respondent_ref", "answered_on", "service_code", "suggestion"
DEMOGRAPHICS: Mapping[str, tuple[str, ...]] = {
    "gender": tuple(Gender.values),
    "age_band": tuple(AgeBand.values),
    "education": tuple(Education.values),
    "occupation": tuple(Occupation.values),
}
IGNORED_PREFIX = "x_"
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_SEPARATORS = (",", ";", "\t")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = codecs.BOM_UTF8
_CHUNK = 1 << 20
_SHOWN = 40
_OFF_SCALE: Any = object()


def columns_of(instrument: SkmInstrument) -> tuple[str, ...]:
    """The columns of the canonical layout for an instrument, in the documented order."""
    return (REF, DATE, SERVICE, *DEMOGRAPHICS, *instrument.element_codes, SUGGESTION)


@dataclass(frozen=True)
class Limits:
    """What an import accepts (skm.md §9: 50 MB and 1,000,000 rows, Prima's default)."""

    max_bytes: int
    max_rows: int


IMPORT_LIMITS = Limits(max_bytes=50 * 1024 * 1024, max_rows=1_000_000)


class Response(NamedTuple):
    """One valid row (a named tuple: millions are made while a file streams by)."""

    row: int
    respondent_ref: str | None
    answered_on: dt.date
    service_code: str
    gender: str | None
    age_band: str | None
    education: str | None
    occupation: str | None
    # Element code → answer, None when blank.
    answers: Mapping[str, int | None]
    suggestion: str


@dataclass(frozen=True)
class RejectedRow:
    """A row with problems: its cells as read (by column) and every problem found."""

    row: int
    values: Mapping[str, str]
    errors: tuple[CellError, ...]


def _file_error(*messages: str) -> TableError:
    return TableError([CellError(0, "", message) for message in messages])


def _shown(value: str) -> str:
    return f'"{value}"' if len(value) <= _SHOWN else f'"{value[:_SHOWN]}…"'


# --------------------------------------------------------------------------- sources


class _Opened:
    """A seekable binary file for a path or a file object, with its size."""

    def __init__(self, source: Source, stack: ExitStack) -> None:
        if isinstance(source, str | os.PathLike):
            try:
                self.binary: IO[bytes] = stack.enter_context(open(source, "rb"))  # noqa: SIM115
            except OSError as error:
                raise _file_error(
                    _("Berkas %(name)s tidak dapat dibuka: %(problem)s.")
                    % {"name": os.fspath(source), "problem": error.strerror or error}
                ) from error
        else:
            self.binary = source
        self.binary.seek(0, io.SEEK_END)
        self.size = self.binary.tell()
        self.binary.seek(0)


def _encoding(binary: IO[bytes]) -> str:
    """UTF-8 (BOM or not) when every byte decodes as UTF-8, else Windows-1252.

    The whole file is read once here, so that a bad byte late in it is reported as a problem
    of the file instead of breaking the rows. A BOM promises UTF-8: no fallback then.
    """
    candidates = ("utf-8-sig",) if binary.read(len(_UTF8_BOM)) == _UTF8_BOM else ("utf-8", "cp1252")
    for encoding in candidates:
        binary.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := binary.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        binary.seek(0)
        return encoding
    raise _file_error(
        _(
            "Pengodean karakter berkas tidak dikenali (bukan UTF-8 maupun Windows-1252); "
            "simpan ulang sebagai 'CSV UTF-8 (Comma delimited)'."
        )
    )


def _separator(header_line: str, known: Collection[str]) -> str:
    """The separator that splits the header line into the most known column names."""

    def score(separator: str) -> int:
        return sum(name.strip('"') in known for name in header_line.split(separator))

    return max(_SEPARATORS, key=score)


def _csv_records(binary: IO[bytes], known: Collection[str]) -> Generator[list[str]]:
    text = io.TextIOWrapper(binary, encoding=_encoding(binary), newline="")
    first = text.readline()
    reader = csv.reader(
        itertools.chain([first], text), delimiter=_separator(first.rstrip("\r\n"), known)
    )
    try:
        yield from reader
    except csv.Error as error:
        raise _file_error(
            _("Baris teks %(line)s tidak dapat dibaca sebagai CSV (%(problem)s).")
            % {"line": reader.line_num, "problem": error}
        ) from error
    finally:
        text.detach()


def _cell_text(value: Any) -> str:
    """A spreadsheet value as the text a person typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# Stands for a formula cell, refused: its stored result may be stale.
FORMULA = "\x00formula"


def _xlsx_records(binary: IO[bytes]) -> Generator[list[str]]:
    try:
        workbook = load_workbook(binary, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise _file_error(
            _(
                "Berkas ini bukan lembar kerja XLSX yang sah; simpan ulang dari Excel sebagai "
                ".xlsx atau CSV."
            )
        ) from error
    try:
        sheet = workbook.worksheets[0]
        for cells in sheet.iter_rows():
            yield [FORMULA if cell.data_type == "f" else _cell_text(cell.value) for cell in cells]
    finally:
        workbook.close()


def _records(opened: _Opened, known: Collection[str]) -> Generator[list[str]]:
    head = opened.binary.read(8)
    opened.binary.seek(0)
    if head.startswith(_ZIP_MAGIC):
        return _xlsx_records(opened.binary)
    if head.startswith(_OLE_MAGIC):
        raise _file_error(
            _("Format .xls (Excel 97-2003) tidak didukung; simpan ulang sebagai .xlsx atau CSV.")
        )
    if head.startswith(_UTF16_BOMS):
        raise _file_error(
            _(
                "Berkas tersimpan sebagai teks Unicode (UTF-16); simpan ulang sebagai "
                "'CSV UTF-8 (Comma delimited)' atau .xlsx."
            )
        )
    return _csv_records(opened.binary, known)


# --------------------------------------------------------------------------- header


def _check_header(header: Sequence[str], columns: Sequence[str]) -> list[str]:
    """Every problem of the header row; [] when each column is present exactly once."""
    problems: list[str] = []
    lowered = {name.lower(): name for name in columns}
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if not name.strip() or name.startswith(IGNORED_PREFIX):
            continue
        if name in seen:
            problems.append(_("Kolom %(name)s muncul lebih dari sekali.") % {"name": name})
        seen.add(name)
        if name in columns:
            continue
        guess = lowered.get(name.strip().lower())
        if guess is not None:
            problems.append(
                _(
                    "Kolom %(name)s (kolom ke-%(position)s) tidak dikenal; maksudnya %(guess)s? "
                    "Nama kolom harus persis sama, termasuk huruf besar/kecil dan spasi."
                )
                % {"name": _shown(name), "position": position, "guess": guess}
            )
        else:
            problems.append(
                _(
                    "Kolom %(name)s (kolom ke-%(position)s) tidak dikenal; kolom tambahan harus "
                    "diawali x_."
                )
                % {"name": _shown(name), "position": position}
            )
    missing = [name for name in columns if name not in seen]
    if missing:
        problems.append(_("Kolom wajib tidak ada: %(names)s.") % {"names": ", ".join(missing)})
    return problems


# --------------------------------------------------------------------------- rows


class _RowReader:
    """Validates one row, its cells in the order of :func:`columns_of`, into a Response."""

    def __init__(
        self,
        instrument: SkmInstrument,
        period: Period | None,
        service_codes: Collection[str] | None,
    ) -> None:
        self.columns = columns_of(instrument)
        self.elements = instrument.element_codes
        self.first_element = self.columns.index(self.elements[0])
        self.last_element = self.first_element + len(self.elements)
        # Answer text → value; blank → None; anything else is off the scale.
        self.answers: dict[str, int | None] = {
            "": None,
            **{str(value): value for value in instrument.answer_values},
        }
        self.scale = f"{instrument.scale_min}–{instrument.scale_max}"
        # Demographic columns by position, each with its codes (blank allowed).
        self.demographics = [
            (self.columns.index(column), column, frozenset(("", *allowed)))
            for column, allowed in DEMOGRAPHICS.items()
        ]
        self.period = period
        self.service_codes = service_codes
        self.dates: dict[str, dt.date] = {}

    def read(self, number: int, cells: list[str]) -> Response | RejectedRow:
        errors: list[CellError] = []

        def bad(column: str, message: str) -> None:
            errors.append(CellError(number, column, message))

        ref, day_text, service = cells[0], cells[1], cells[2]
        if len(ref) > RESPONDENT_REF_MAX_LENGTH:
            bad(
                REF,
                _("paling banyak %(limit)s karakter, tertulis %(length)s.")
                % {"limit": RESPONDENT_REF_MAX_LENGTH, "length": len(ref)},
            )
        answered_on = self.dates.get(day_text) or self._date(day_text, bad)
        if answered_on is not None and self.period is not None:
            answered_on = self._in_period(answered_on, bad)
        if service and self.service_codes is not None and service not in self.service_codes:
            bad(
                SERVICE,
                _("kode layanan %(value)s tidak ada dalam katalog layanan unit.")
                % {"value": _shown(service)},
            )
        for position, column, allowed in self.demographics:
            if cells[position] not in allowed:
                bad(
                    column,
                    _("nilai %(value)s tidak dikenal; pilih salah satu: %(allowed)s, atau kosong.")
                    % {
                        "value": _shown(cells[position]),
                        "allowed": ", ".join(DEMOGRAPHICS[column]),
                    },
                )
        texts = cells[self.first_element : self.last_element]
        answers = [self.answers.get(text, _OFF_SCALE) for text in texts]
        if _OFF_SCALE in answers:
            for code, text, answer in zip(self.elements, texts, answers, strict=True):
                if answer is _OFF_SCALE:
                    bad(
                        code,
                        _("nilai harus %(scale)s atau kosong, tertulis %(value)s.")
                        % {"scale": self.scale, "value": _shown(text)},
                    )
        if not any(texts):
            bad("", _("semua unsur kosong; jawaban tanpa satu unsur pun ditolak."))
        suggestion = cells[-1]
        if len(suggestion) > SUGGESTION_MAX_LENGTH:
            bad(
                SUGGESTION,
                _("paling banyak %(limit)s karakter, tertulis %(length)s.")
                % {"limit": _thousands(SUGGESTION_MAX_LENGTH), "length": len(suggestion)},
            )
        if errors or answered_on is None:
            return RejectedRow(number, dict(zip(self.columns, cells, strict=True)), tuple(errors))
        return Response(
            number,
            ref or None,
            answered_on,
            service or UNSPECIFIED_SERVICE,
            cells[3] or None,
            cells[4] or None,
            cells[5] or None,
            cells[6] or None,
            dict(zip(self.elements, answers, strict=True)),
            suggestion,
        )

    def _date(self, text: str, bad: Callable[[str, str], None]) -> dt.date | None:
        if not text:
            bad(DATE, _("wajib diisi (tanggal YYYY-MM-DD)."))
            return None
        try:
            if not _DATE_RE.match(text):
                raise ValueError(text)
            day = dt.date.fromisoformat(text)
        except ValueError:
            bad(DATE, _("harus tanggal YYYY-MM-DD, tertulis %(value)s.") % {"value": _shown(text)})
            return None
        self.dates[text] = day
        return day

    def _in_period(self, day: dt.date, bad: Callable[[str, str], None]) -> dt.date | None:
        period = self.period
        if period is None or period.contains(day):
            return day
        bad(
            DATE,
            _("tanggal %(value)s di luar periode survei %(code)s (%(start)s s.d. %(end)s).")
            % {
                "value": day.isoformat(),
                "code": period.code,
                "start": period.first_day.isoformat(),
                "end": period.last_day.isoformat(),
            },
        )
        return None


def read_responses(
    source: Source,
    instrument: SkmInstrument,
    *,
    limits: Limits | None = None,
    period: Period | None = None,
    service_codes: Collection[str] | None = None,
) -> Iterator[Response | RejectedRow]:
    """Each non-empty row of the file, valid or rejected, in file order (streamed).

    ``limits`` caps size and rows (imports pass :data:`IMPORT_LIMITS`; None = no cap);
    ``period`` (the survey's) and ``service_codes`` (the unit's catalogue) are checked when
    given. Raises TableError for a problem of the whole file.
    """
    columns = columns_of(instrument)
    with ExitStack() as stack:
        opened = _Opened(source, stack)
        if limits is not None and opened.size > limits.max_bytes:
            raise _file_error(
                _("Berkas terlalu besar (%(size)s MB); batasnya %(limit)s MB.")
                % {
                    "size": round(opened.size / 1024 / 1024, 1),
                    "limit": limits.max_bytes // 1024 // 1024,
                }
            )
        records = _records(opened, columns)
        # Closed before the file, also when the caller stops early.
        stack.callback(records.close)
        header = next(records, None)
        if header is None or not any(cell.strip() for cell in header if cell != FORMULA):
            raise _file_error(_("Berkas kosong: baris judul kolom tidak ada."))
        problems = _check_header(header, columns)
        if problems:
            raise _file_error(*problems)
        yield from _rows(records, header, _RowReader(instrument, period, service_codes), limits)


def _rows(
    records: Iterator[list[str]],
    header: Sequence[str],
    reader: _RowReader,
    limits: Limits | None,
) -> Iterator[Response | RejectedRow]:
    positions = [header.index(name) for name in reader.columns]
    width = len(header)
    # Cells under a blank header must stay blank; x_ columns are ignored.
    unnamed = [position for position, name in enumerate(header) if not name.strip()]
    read = 0
    for number, record in enumerate(records, start=1):
        if len(record) < width:  # XLSX rows stop at their last filled cell
            record = record + [""] * (width - len(record))
        cells = [record[position].strip() for position in positions]
        stray = []
        if unnamed or len(record) > width:
            stray = [
                position + 1
                for position in itertools.chain(unnamed, range(width, len(record)))
                if record[position].strip()
            ]
        if not stray and not any(cells):
            continue
        read += 1
        if limits is not None and read > limits.max_rows:
            raise _file_error(
                _("Berkas berisi lebih dari %(limit)s baris; pecah menjadi beberapa berkas.")
                % {"limit": _thousands(limits.max_rows)}
            )
        problems = []
        if FORMULA in cells:
            for index, value in enumerate(cells):
                if value == FORMULA:
                    cells[index] = ""
                    problems.append(
                        CellError(
                            number,
                            reader.columns[index],
                            _("sel berisi rumus; ganti rumus dengan nilainya (Tempel Nilai)."),
                        )
                    )
        if stray:
            problems.append(
                CellError(
                    number,
                    "",
                    _(
                        "ada nilai di luar kolom berjudul (kolom ke-%(positions)s); periksa "
                        "pemisah (koma/titik koma) dan tanda kutip."
                    )
                    % {"positions": ", ".join(map(str, stray))},
                )
            )
        row = reader.read(number, cells)
        if problems:
            found = row.errors if isinstance(row, RejectedRow) else ()
            values = dict(zip(reader.columns, cells, strict=True))
            row = RejectedRow(number, values, (*found, *problems))
        yield row


# --------------------------------------------------------------------------- rejected rows

# Added in front of the canonical columns in the file of rows left out (skm.md §9).
REJECTED_COLUMNS = ("row", "column", "message")


def rejected_header(instrument: SkmInstrument) -> tuple[str, ...]:
    """The header of the file of rejected rows: ``row``, ``column``, ``message``, then §9's."""
    return (*REJECTED_COLUMNS, *columns_of(instrument))


def rejected_record(rejected: RejectedRow, instrument: SkmInstrument) -> list[object]:
    """One line per rejected row, so that a corrected file never holds a row twice.

    ``column`` lists the columns at fault; ``message`` has one line per problem, prefixed
    with its column when the problem is the cell's.
    """
    columns = dict.fromkeys(error.column for error in rejected.errors if error.column)
    messages = [
        f"{error.column}: {error.message}" if error.column else error.message
        for error in rejected.errors
    ]
    cells = [rejected.values.get(column, "") for column in columns_of(instrument)]
    return [rejected.row, ", ".join(columns), "\n".join(messages), *cells]


def _thousands(number: int) -> str:
    """1.000.000: Indonesian digit grouping."""
    return f"{number:,}".replace(",", ".")


# --------------------------------------------------------------------------- summary


def ref_hash(ref: str) -> int:
    """A 64-bit stand-in for a respondent reference (stable within one process)."""
    return hash(ref) & 0xFFFF_FFFF_FFFF_FFFF


class RepeatedRefs:
    """Finds respondent references that may be used twice, in 8 bytes per reference.

    While rows stream by, only a 64-bit hash of each reference is kept; at the end the
    hashes seen more than once come back, and :func:`summarise` reads the rows with those
    hashes again to compare the references themselves, so the answer is exact.
    """

    def __init__(self) -> None:
        self._hashes = array("Q")

    def add(self, ref: str) -> None:
        self._hashes.append(ref_hash(ref))

    def repeated(self) -> set[int]:
        """The hashes seen more than once (sorts the hashes in place: call once, at the end)."""
        hashes = np.frombuffer(self._hashes, dtype=np.uint64)
        hashes.sort()
        return {int(value) for value in hashes[1:][hashes[1:] == hashes[:-1]]}


def repeated_ref_errors(refs: Mapping[int, str]) -> list[CellError]:
    """Each later use of a reference (row → reference), naming the row that used it first."""
    first: dict[str, int] = {}
    errors: list[CellError] = []
    for row in sorted(refs):
        original = first.setdefault(refs[row], row)
        if original != row:
            errors.append(
                CellError(
                    row,
                    REF,
                    _("%(value)s sudah dipakai di baris %(row)s; respondent_ref harus unik.")
                    % {"value": _shown(refs[row]), "row": original},
                )
            )
    return errors


@dataclass(frozen=True)
class FileSummary:
    """A file streamed into counters.

    ``counters`` count every row that passed its own checks; the file is usable as a whole
    only when ``error_count`` is 0 (repeated references are found after the last row).
    """

    counters: Counters
    rows: int
    rejected_rows: int
    # The first problems by row (at most ``max_errors``) and how many there are in all.
    errors: tuple[CellError, ...]
    error_count: int


def summarise(
    source: Source,
    instrument: SkmInstrument,
    *,
    limits: Limits | None = None,
    period: Period | None = None,
    service_codes: Collection[str] | None = None,
    max_errors: int = 100,
) -> FileSummary:
    """Stream a file into counters; memory stays bounded whatever the number of rows.

    Problems are kept up to ``max_errors`` (all are counted). When references may repeat,
    the candidate rows are read again (``source`` must be a path or a seekable file).
    """
    options: dict[str, Any] = {"limits": limits, "period": period, "service_codes": service_codes}
    tally = Tally(instrument)
    refs = RepeatedRefs()
    errors: list[CellError] = []
    rows = rejected = error_count = 0
    for row in read_responses(source, instrument, **options):
        rows += 1
        if isinstance(row, RejectedRow):
            rejected += 1
            error_count += len(row.errors)
            if len(errors) < max_errors:
                errors.extend(row.errors)
            continue
        tally.add(row.answers)
        if row.respondent_ref is not None:
            refs.add(row.respondent_ref)
    suspects = refs.repeated()
    if suspects:
        texts = {
            row.row: row.respondent_ref
            for row in read_responses(source, instrument, **options)
            if isinstance(row, Response)
            and row.respondent_ref is not None
            and ref_hash(row.respondent_ref) in suspects
        }
        repeated = repeated_ref_errors(texts)
        rejected += len(repeated)
        error_count += len(repeated)
        errors.extend(repeated)
    return FileSummary(
        counters=tally.counters(),
        rows=rows,
        rejected_rows=rejected,
        errors=tuple(sorted(errors, key=lambda error: error.row)[:max_errors]),
        error_count=error_count,
    )
