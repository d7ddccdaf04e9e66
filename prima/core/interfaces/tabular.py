"""Read an uploaded CSV or XLSX file into numbered rows of {column: text}.

Whatever the source, the result is the same: header names normalised (trimmed,
lower-case, spaces as underscores), one `Row` per non-empty line with the row number
the person sees in their spreadsheet (the header is row 1), every cell as trimmed
text. Problems are collected as (row, column, message) and reported together in the
person's language, so a person can fix a whole file in one pass.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from prima.core.domain.errors import DomainError
from prima.core.interfaces.export import FORMULA_START

CSV = "csv"
XLSX = "xlsx"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SEPARATORS = (",", ";", "\t")
_TRUE = frozenset({"ya", "y", "true", "benar", "1", "yes"})
_FALSE = frozenset({"tidak", "t", "false", "salah", "0", "no", "n", ""})
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


class Upload(Protocol):
    """What the reader needs from a file: Django's UploadedFile and File both fit."""

    name: str | None

    @property
    def size(self) -> int | None: ...

    def read(self, n: int = -1, /) -> bytes: ...

    def seek(self, offset: int, /) -> Any: ...


@dataclass(frozen=True)
class CellError:
    """One problem: row 0 means the whole file, an empty column the whole row."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        if not self.column:
            return _("Baris %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Baris %(row)s, kolom %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class TableError(DomainError):
    """The file (or some of its rows) cannot be used; `errors` lists every problem."""

    def __init__(self, errors: Sequence[CellError]) -> None:
        first = str(errors[0])
        others = len(errors) - 1
        if others:
            message = ngettext(
                "%(first)s (dan %(count)s masalah lain)",
                "%(first)s (dan %(count)s masalah lain)",
                others,
            ) % {"first": first, "count": others}
        else:
            message = first
        super().__init__(message, field="file")
        self.errors = list(errors)


class CellValueError(ValueError):
    """A cell's value is unusable; the message says why, without row or column."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ErrorList:
    """Collects problems while a file is checked."""

    items: list[CellError] = field(default_factory=list)
    cells: set[tuple[int, str]] = field(default_factory=set)

    def add(self, row: int, column: str, message: str) -> None:
        self.items.append(CellError(row, column, message))
        self.cells.add((row, column))

    def has(self, row: int, column: str) -> bool:
        """Whether this cell already has a problem (so a later check need not repeat it)."""
        return (row, column) in self.cells

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise TableError(sorted(self.items, key=lambda e: (e.row, e.column)))


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")

    def has(self, column: str) -> bool:
        return column in self.values


@dataclass(frozen=True)
class Table:
    format: str
    columns: list[str]
    rows: list[Row]
    header_row: int = 1


def normalise_header(name: Any) -> str:
    text = "" if name is None else str(name)
    return re.sub(r"\s+", "_", text.replace("\ufeff", "").strip().lower())


def _unguard(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_START:
        return value[1:]
    return value


def _text_of(value: Any) -> str:
    """A spreadsheet value as the text a person typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(str(value)))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return _unguard(str(value).strip())


# ------------------------------------------------------------------ format detection


def _detect_format(head: bytes) -> str:
    if head.startswith(_ZIP_MAGIC):
        return XLSX
    if head.startswith(_OLE_MAGIC):
        raise TableError(
            [
                CellError(
                    0,
                    "",
                    _(
                        "Format .xls (Excel 97-2003) tidak didukung; simpan ulang berkas sebagai "
                        ".xlsx atau CSV lalu unggah lagi."
                    ),
                )
            ]
        )
    kind = filetype.guess(head)
    if kind is not None or b"\x00" in head:
        if kind is not None:
            message = _(
                "Format berkas tidak dikenal (%(extension)s); unggah berkas CSV atau XLSX."
            ) % {"extension": kind.extension.upper()}
        else:
            message = _("Format berkas tidak dikenal; unggah berkas CSV atau XLSX.")
        raise TableError([CellError(0, "", message)])
    return CSV


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Excel in Indonesia saves CSV."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise TableError(
            [
                CellError(
                    0,
                    "",
                    _(
                        "Pengodean karakter berkas tidak dikenali; simpan ulang sebagai "
                        "'CSV UTF-8 (Comma delimited)'."
                    ),
                )
            ]
        ) from exc


def _separator(text: str) -> str:
    """The separator of the header line: Indonesian Excel writes ';', others ','."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = dict.fromkeys(_SEPARATORS, 0)
    quoted = False
    for char in first:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


# ------------------------------------------------------------------------- readers


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text), strict=False)
    try:
        for number, record in enumerate(reader, start=1):
            yield number, [_unguard(cell.strip()) for cell in record]
    except csv.Error as exc:
        raise TableError(
            [
                CellError(
                    reader.line_num,
                    "",
                    _("baris CSV tidak dapat dibaca (%(problem)s).") % {"problem": exc},
                )
            ]
        ) from exc


def _xlsx_rows(data: bytes, errors: ErrorList) -> Iterator[tuple[int, list[str]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError(
            [
                CellError(
                    0,
                    "",
                    _(
                        "Berkas ini bukan lembar kerja XLSX yang sah; simpan ulang dari Excel "
                        "sebagai .xlsx atau CSV lalu unggah lagi."
                    ),
                )
            ]
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        # Some writers store wrong dimensions; reset so every row is read.
        sheet.reset_dimensions()
        number = 0
        header: list[str] | None = None
        for cells in sheet.iter_rows():
            actual = next((c.row for c in cells if getattr(c, "row", None)), None)
            number = actual if actual is not None else number + 1
            values: list[str] = []
            for index, cell in enumerate(cells):
                value = cell.value
                if cell.data_type == "f":
                    column = (
                        header[index]
                        if header is not None and index < len(header) and header[index]
                        else get_column_letter(index + 1)
                    )
                    errors.add(
                        number,
                        column,
                        _(
                            "sel berisi rumus (%(formula)s); ganti rumus dengan nilainya "
                            "(salin lalu Tempel Nilai / Paste Values)."
                        )
                        % {"formula": str(value)[:40]},
                    )
                    values.append("")
                    continue
                values.append(_text_of(value))
            if header is None and any(values):
                header = [normalise_header(v) for v in values]
            yield number, values
    finally:
        workbook.close()


def _lines(fmt: str, data: bytes, errors: ErrorList) -> Iterable[tuple[int, list[str]]]:
    return _csv_rows(data) if fmt == CSV else _xlsx_rows(data, errors)


def read_table(
    upload: Upload,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    max_bytes: int | None = None,
    allow_extra: bool = False,
) -> Table:
    """Read an upload as a table; raise TableError naming every problem found.

    The size is checked before a single byte is parsed. Formula cells in XLSX are refused
    (their stored result may be stale, and they are a common carrier of mistakes).
    """
    limit = max_bytes if max_bytes is not None else settings.IMPORT_MAX_BYTES
    size = upload.size or 0
    if size > limit:
        raise TableError(
            [
                CellError(
                    0,
                    "",
                    _(
                        "Berkas terlalu besar (%(size)s); batasnya %(limit)s. Pecah data "
                        "menjadi beberapa berkas."
                    )
                    % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
                )
            ]
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:  # the declared size lied
        raise TableError(
            [
                CellError(
                    0,
                    "",
                    _("Berkas terlalu besar; batasnya %(limit)s.")
                    % {"limit": filesizeformat(limit)},
                )
            ]
        )
    if not data.strip():
        raise TableError([CellError(0, "", _("Berkas kosong; isi baris judul kolom dan data."))])
    fmt = _detect_format(data[:8192])

    errors = ErrorList()
    known = [*required, *optional]
    columns: list[str] | None = None
    header_row = 0
    rows: list[Row] = []
    for number, cells in _lines(fmt, data, errors):
        if not any(cells):
            continue
        if columns is None:
            columns = [normalise_header(c) for c in cells]
            header_row = number
            _check_header(columns, number, required, known, allow_extra, errors)
            if errors:
                errors.raise_if_any()
            continue
        named = [c for c in columns if c]
        extra = [v for v in cells[len(columns) :] if v]
        if extra:
            errors.add(
                number,
                "",
                _(
                    "berisi %(values)s nilai, padahal hanya ada %(columns)s kolom; periksa "
                    "pemisah (koma/titik koma) dan tanda kutip."
                )
                % {"values": len(columns) + len(extra), "columns": len(named)},
            )
        values = {
            name: (cells[i] if i < len(cells) else "") for i, name in enumerate(columns) if name
        }
        rows.append(Row(number, values))
    if columns is None:
        raise TableError([CellError(0, "", _("Berkas kosong; isi baris judul kolom dan data."))])
    errors.raise_if_any()
    if not rows:
        raise TableError(
            [
                CellError(
                    0,
                    "",
                    _("Berkas hanya berisi judul kolom; isi data mulai baris %(row)s.")
                    % {"row": header_row + 1},
                )
            ]
        )
    return Table(format=fmt, columns=[c for c in columns if c], rows=rows, header_row=header_row)


def _check_header(
    columns: list[str],
    number: int,
    required: Sequence[str],
    known: Sequence[str],
    allow_extra: bool,
    errors: ErrorList,
) -> None:
    seen: dict[str, int] = {}
    for index, name in enumerate(columns):
        if not name:
            continue
        if name in seen:
            errors.add(
                number,
                name,
                _("judul kolom muncul dua kali (kolom %(first)s dan %(second)s).")
                % {
                    "first": get_column_letter(seen[name] + 1),
                    "second": get_column_letter(index + 1),
                },
            )
        seen[name] = index
        if not allow_extra and name not in known:
            errors.add(
                number,
                name,
                _("kolom tidak dikenal; kolom yang dikenal: %(known)s.")
                % {"known": ", ".join(known)},
            )
    missing = [name for name in required if name not in seen]
    if missing:
        errors.add(
            number, "", _("kolom wajib tidak ada: %(missing)s.") % {"missing": ", ".join(missing)}
        )


# -------------------------------------------------------------------- value parsers


def parse_required(value: str) -> str:
    if not value:
        raise CellValueError(_("wajib diisi."))
    return value


def parse_choice(value: str, choices: Sequence[str]) -> str:
    """One of the codes; the message lists them all."""
    if value not in choices:
        if value:
            message = _("nilai '%(value)s' tidak dikenal; pilih salah satu: %(choices)s.")
        else:
            message = _("wajib diisi; pilih salah satu: %(choices)s.")
        raise CellValueError(message % {"value": value, "choices": ", ".join(choices)})
    return value


def parse_bool(value: str) -> bool:
    """ya/tidak (also true/false, 1/0); empty means tidak."""
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise CellValueError(
        _("nilai '%(value)s' tidak dikenal; isi 'ya' atau 'tidak'.") % {"value": value}
    )


def parse_int(value: str, *, minimum: int = 0) -> int | None:
    """A whole number, empty for none. Accepts Indonesian thousands dots (12.500)."""
    text = value.replace(" ", "")
    if not text:
        return None
    if _THOUSANDS.match(text):
        text = text.replace(".", "")
    if not re.fullmatch(r"-?\d+", text):
        raise CellValueError(_("nilai '%(value)s' bukan bilangan bulat.") % {"value": value})
    number = int(text)
    if number < minimum:
        raise CellValueError(
            _("nilai %(number)s tidak boleh kurang dari %(minimum)s.")
            % {"number": number, "minimum": minimum}
        )
    return number
