"""Reading one value of a PKRI form answer and recording what is wrong with it.

The building blocks of :mod:`prima.pkri.domain.form_rules`: each reader takes the
answer mapping, a key and the field path, returns the value when it is usable (else
None) and appends a :class:`FormProblem` for every problem. "Missing" means the key is
absent, null or blank text (pkri-contract: unanswered = key absent or null).

Pure: no ORM. Messages are Indonesian (gettext msgids).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from prima.kipp.domain.wordcount import count_words
from prima.pkri.domain.sentences import format_number

WIB = ZoneInfo("Asia/Jakarta")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


@dataclass(frozen=True)
class FormProblem:
    """One problem of a form answer: a stable code, the field path and an Indonesian message.

    ``field`` is a dotted path into the answer data: ``beneficiaries``,
    ``budget.2.amount``, ``sop.file``.
    """

    code: str
    field: str
    message: str


Problems = list[FormProblem]


@dataclass(frozen=True)
class FormContext:
    """What the rules need besides the answers.

    ``award_year``: the Top object's award year (sustainability; None if unknown);
    ``running_since_default``: the prefilled ``Innovation.implementation_start``.
    """

    edition_year: int
    award_year: int | None
    today: dt.date
    lookback: tuple[int, int]
    running_since_default: dt.date | None
    source_years: tuple[int, int]

    @property
    def last_full_year(self) -> int:
        return self.edition_year - 1


def path_of(*parts: str | int) -> str:
    """``path_of("budget", 2, "amount") == "budget.2.amount"``."""
    return ".".join(str(p) for p in parts)


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def years_text(years: Collection[int]) -> str:
    """``2020, 2021, 2022``."""
    return ", ".join(str(y) for y in sorted(years))


def required(problems: Problems, field: str) -> None:
    problems.append(FormProblem("required", field, _("Wajib diisi.")))


def invalid(problems: Problems, field: str, message: str) -> None:
    problems.append(FormProblem("invalid", field, message))


def _unanswered(
    problems: Problems, value: object, field: str, need: bool, *, blank: bool = True
) -> bool:
    """Whether ``value`` is missing (null, or blank text when ``blank`` counts); a missing
    value that is needed is recorded as ``required``."""
    missing = is_missing(value) if blank else value is None
    if missing and need:
        required(problems, field)
    return missing


def read_bool(
    problems: Problems, data: Mapping[str, Any], key: str, field: str, *, need: bool = True
) -> bool | None:
    value = data.get(key)
    if _unanswered(problems, value, field, need, blank=False):
        return None
    if not isinstance(value, bool):
        invalid(problems, field, _("Pilih ya atau tidak."))
        return None
    return value


def read_date(
    problems: Problems, data: Mapping[str, Any], key: str, field: str, *, need: bool = True
) -> dt.date | None:
    value = data.get(key)
    if _unanswered(problems, value, field, need):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        invalid(problems, field, _("Tanggal tidak sah; gunakan format TTTT-BB-HH."))
        return None


def read_int(
    problems: Problems,
    data: Mapping[str, Any],
    key: str,
    field: str,
    *,
    need: bool = True,
    negative_code: str = "count_negative",
) -> int | None:
    """A whole number ≥ 0; a negative one is reported with ``negative_code``."""
    value = data.get(key)
    if _unanswered(problems, value, field, need):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        invalid(problems, field, _("Harus berupa bilangan bulat."))
        return None
    if value < 0:
        problems.append(
            FormProblem(
                negative_code,
                field,
                _("Nilai tidak boleh negatif (tertulis %(value)s).")
                % {"value": format_number(value)},
            )
        )
        return None
    return value


def read_year(
    problems: Problems,
    data: Mapping[str, Any],
    key: str,
    field: str,
    *,
    first: int | None,
    last: int | None,
    need: bool = True,
) -> int | None:
    """A year; outside ``first``–``last`` (either may be open) → ``year_out_of_range``."""
    value = data.get(key)
    if _unanswered(problems, value, field, need, blank=False):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        invalid(problems, field, _("Tahun harus berupa bilangan bulat."))
        return None
    if (first is not None and value < first) or (last is not None and value > last):
        low = str(first) if first is not None else "…"
        high = str(last) if last is not None else "…"
        problems.append(
            FormProblem(
                "year_out_of_range",
                field,
                _("Tahun %(year)s di luar rentang %(low)s–%(high)s.")
                % {"year": value, "low": low, "high": high},
            )
        )
        return None
    return value


def read_text(
    problems: Problems,
    data: Mapping[str, Any],
    key: str,
    field: str,
    *,
    need: bool = True,
    max_words: int | None = None,
) -> str:
    """Text ('' when missing); over ``max_words`` (kipp word rule) → ``too_many_words``."""
    value = data.get(key)
    if _unanswered(problems, value, field, need):
        return ""
    if not isinstance(value, str):
        invalid(problems, field, _("Harus berupa teks."))
        return ""
    if max_words is not None:
        count = count_words(value)
        if count > max_words:
            problems.append(
                FormProblem(
                    "too_many_words",
                    field,
                    _("Berisi %(count)s kata, melebihi batas %(limit)s kata.")
                    % {"count": count, "limit": max_words},
                )
            )
    return value


def read_choice(
    problems: Problems,
    data: Mapping[str, Any],
    key: str,
    field: str,
    choices: Collection[str],
    *,
    need: bool = True,
) -> str | None:
    value = data.get(key)
    if _unanswered(problems, value, field, need):
        return None
    if not isinstance(value, str) or value not in choices:
        problems.append(
            FormProblem(
                "invalid_choice",
                field,
                _("Pilihan %(value)s tidak dikenal; pilih salah satu dari: %(choices)s.")
                % {"value": repr(value), "choices": ", ".join(choices)},
            )
        )
        return None
    return value


def read_id(
    problems: Problems, data: Mapping[str, Any], key: str, field: str, *, need: bool = False
) -> int | None:
    """A record id (file, innovation, institution)."""
    value = data.get(key)
    if _unanswered(problems, value, field, need, blank=False):
        return None
    if not _is_id(value):
        invalid(problems, field, _("Rujukan tidak sah."))
        return None
    return value


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _read_list(problems: Problems, data: Mapping[str, Any], key: str, field: str) -> list[Any]:
    """A list answer; a missing one is empty, and so is one that is no list (recorded)."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        invalid(problems, field, _("Harus berupa daftar."))
        return []
    return value


def read_ids(problems: Problems, data: Mapping[str, Any], key: str, field: str) -> list[int]:
    ids: list[int] = []
    for index, item in enumerate(_read_list(problems, data, key, field)):
        if _is_id(item):
            ids.append(item)
        else:
            invalid(problems, path_of(field, index), _("Rujukan tidak sah."))
    return ids


def read_rows(
    problems: Problems, data: Mapping[str, Any], key: str, field: str
) -> list[tuple[str, Mapping[str, Any]]]:
    """The rows of a repeated answer as (path, row); a missing list is an empty one."""
    rows: list[tuple[str, Mapping[str, Any]]] = []
    for index, row in enumerate(_read_list(problems, data, key, field)):
        where = path_of(field, index)
        if isinstance(row, Mapping):
            rows.append((where, row))
        else:
            invalid(problems, where, _("Baris tidak sah."))
    return rows


def read_object(
    problems: Problems, data: Mapping[str, Any], key: str, field: str, *, need: bool = True
) -> Mapping[str, Any] | None:
    value = data.get(key)
    if _unanswered(problems, value, field, need, blank=False):
        return None
    if not isinstance(value, Mapping):
        invalid(problems, field, _("Isian tidak sah."))
        return None
    return value


def check_email(problems: Problems, value: str, field: str) -> None:
    if value and not _EMAIL_RE.match(value.strip()):
        problems.append(FormProblem("invalid_email", field, _("Alamat surel tidak sah.")))


def check_url(problems: Problems, value: str, field: str) -> None:
    if value and not _URL_RE.match(value.strip()):
        problems.append(
            FormProblem("invalid_url", field, _("Tautan harus diawali http:// atau https://."))
        )


def check_not_after(problems: Problems, day: dt.date | None, today: dt.date, field: str) -> None:
    """A date that must not lie in the future → ``date_in_future``."""
    if day is not None and day > today:
        problems.append(
            FormProblem("date_in_future", field, _("Tanggal tidak boleh setelah hari ini."))
        )


def duplicate_year(problems: Problems, year: int, field: str) -> None:
    problems.append(
        FormProblem(
            "duplicate_year",
            field,
            _("Tahun %(year)s sudah diisi pada baris lain.") % {"year": year},
        )
    )


def not_applicable(problems: Problems, field: str, message: str) -> None:
    problems.append(FormProblem("not_applicable", field, message))


def closing_checks(problems: Problems, data: Mapping[str, Any]) -> None:
    """Evidence list, video URL and the declaration (shared with the coaching form)."""
    read_ids(problems, data, "evidence", "evidence")
    video = read_text(problems, data, "video_url", "video_url", need=False)
    check_url(problems, video, "video_url")
    declared = data.get("declaration")
    if declared is not True:
        problems.append(
            FormProblem(
                "declaration_required",
                "declaration",
                _("Pernyataan kebenaran data wajib disetujui sebelum formulir dikirim."),
            )
        )
    if data.get("declaration_file") is not None:
        read_id(problems, data, "declaration_file", "declaration_file")
    else:
        file_required(
            problems,
            "declaration_file",
            _("Unggah surat pernyataan yang ditandatangani pimpinan (PDF)."),
        )


def file_required(problems: Problems, field: str, message: str | None = None) -> None:
    problems.append(FormProblem("file_required", field, message or _("Berkas wajib diunggah.")))


def legal_row(
    problems: Problems,
    row: Mapping[str, Any],
    where: str,
    today: dt.date,
    types: tuple[str, ...],
) -> None:
    """A {type, number, date, title, file} row (legal basis, coaching policy)."""
    read_choice(problems, row, "type", path_of(where, "type"), types)
    read_text(problems, row, "number", path_of(where, "number"))
    day = read_date(problems, row, "date", path_of(where, "date"))
    check_not_after(problems, day, today, path_of(where, "date"))
    read_text(problems, row, "title", path_of(where, "title"))
    read_id(problems, row, "file", path_of(where, "file"))
