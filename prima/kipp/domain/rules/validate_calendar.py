"""Validation of the calendar (§6.1): windows, extensions and their order."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise

from prima.kipp.domain.rules._check import _Check, _Known, _show
from prima.kipp.domain.rules.constants import (
    CALENDAR_LABELS,
    CALENDAR_PARALLEL,
    CALENDAR_SEQUENCE,
)
from prima.kipp.domain.rules.times import to_day, to_moment, window_close, window_open
from prima.kipp.domain.rules.types import Window


def _check_calendar(check: _Check, value: object, known: _Known) -> None:
    names = (*CALENDAR_SEQUENCE, *CALENDAR_PARALLEL, "extensions")
    calendar = check.mapping(value, "calendar", ("registration",), names)
    if calendar is None:
        return
    windows: dict[str, Window] = {}
    for name in (*CALENDAR_SEQUENCE, *CALENDAR_PARALLEL):
        if name not in calendar:
            continue
        path = f"calendar.{name}"
        if name == "registration":
            window = _check_registration(check, calendar[name], path)
        else:
            window = _check_window(check, calendar[name], path)
        if window is not None:
            windows[name] = window
    known.calendar = frozenset(calendar)
    close = windows["registration"].end if "registration" in windows else None
    if "extensions" in calendar:
        close = _check_extensions(check, calendar["extensions"], close, known)
    # The sequence: each entry starts no earlier than the day the previous one ends. The
    # registration ends at its effective close.
    present = [(n, windows[n]) for n in CALENDAR_SEQUENCE if n in windows]
    for (before, first), (after, second) in pairwise(present):
        end = close if before == "registration" and close is not None else first.end
        if second.start.date() < end.date():
            check.add(
                f"calendar.{after}",
                f"{CALENDAR_LABELS[after]} mulai {_day(second.start)}, sebelum "
                f"{CALENDAR_LABELS[before]} selesai {_day(end)}; jadwal harus berurutan",
            )


def _day(moment: datetime) -> str:
    return moment.date().isoformat()


def _check_registration(check: _Check, value: object, path: str) -> Window | None:
    block = check.mapping(value, path, ("open", "close"))
    if block is None or "open" not in block or "close" not in block:
        return None
    start = to_moment(block["open"], closing=False)
    end = to_moment(block["close"], closing=True)
    if start is None:
        check.add(f"{path}.open", f"harus tanggal/waktu ISO, bukan {_show(block['open'])}")
    if end is None:
        check.add(f"{path}.close", f"harus tanggal/waktu ISO, bukan {_show(block['close'])}")
    if start is None or end is None:
        return None
    if end <= start:
        check.add(path, f"ditutup {end.isoformat()} tidak setelah dibuka {start.isoformat()}")
        return None
    return Window(start, end)


def _check_window(check: _Check, value: object, path: str) -> Window | None:
    """A date (one day) or [first day, last day]."""
    if isinstance(value, list):
        if len(value) != 2:
            check.add(path, f"harus [hari pertama, hari terakhir], bukan {len(value)} nilai")
            return None
        first, last = to_day(value[0]), to_day(value[1])
        if first is None:
            check.add(f"{path}[0]", f"harus tanggal (YYYY-MM-DD), bukan {_show(value[0])}")
        if last is None:
            check.add(f"{path}[1]", f"harus tanggal (YYYY-MM-DD), bukan {_show(value[1])}")
        if first is None or last is None:
            return None
        if last < first:
            check.add(path, f"hari terakhir {last} sebelum hari pertama {first}")
            return None
        return Window(window_open(first), window_close(last))
    day = to_day(value)
    if day is None:
        check.add(path, f"harus tanggal atau [hari pertama, hari terakhir], bukan {_show(value)}")
        return None
    return Window(window_open(day), window_close(day))


def _check_extensions(
    check: _Check, value: object, close: datetime | None, known: _Known
) -> datetime | None:
    """Checks each extension; returns the effective close (None if unknown)."""
    entries = check.items(value, "calendar.extensions", non_empty=False)
    for index, entry in enumerate(entries or ()):
        path = f"calendar.extensions[{index}]"
        extension = check.mapping(entry, path, ("new_close", "letter_no", "date"))
        if extension is None:
            close = None
            continue
        new_close = (
            to_moment(extension["new_close"], closing=True) if "new_close" in extension else None
        )
        if "new_close" in extension and new_close is None:
            check.add(
                f"{path}.new_close",
                f"harus tanggal/waktu ISO, bukan {_show(extension['new_close'])}",
            )
        if "letter_no" in extension:
            letter = check.text(extension["letter_no"], f"{path}.letter_no")
            if letter and known.number_regex and not known.number_regex.search(letter):
                check.add(
                    f"{path}.letter_no",
                    f"nomor surat {letter!r} tidak sesuai pola {known.number_regex.pattern}",
                )
        if "date" in extension and to_day(extension["date"]) is None:
            check.add(
                f"{path}.date", f"harus tanggal (YYYY-MM-DD), bukan {_show(extension['date'])}"
            )
        if new_close is not None and close is not None and new_close <= close:
            check.add(
                f"{path}.new_close",
                f"penutupan baru {new_close.isoformat()} harus setelah {close.isoformat()}",
            )
        close = new_close if close is not None else None
    return close
