"""Moments of an edition in WIB: window bounds, date parsing, the registration close."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time

from prima.kipp.domain.rules.constants import WIB
from prima.kipp.domain.rules.types import EditionRules, Extension


def window_close(day: date) -> datetime:
    """The close of a window whose last day is ``day``: 23:59:59 WIB."""
    return datetime.combine(day, time(23, 59, 59), WIB)


def window_open(day: date) -> datetime:
    """The opening of a window whose first day is ``day``: 00:00:00 WIB."""
    return datetime.combine(day, time(0), WIB)


def to_moment(value: object, *, closing: bool) -> datetime | None:
    """A date, datetime or ISO text → an aware WIB datetime, or None if it is none of them.

    A bare date opens at 00:00:00 or, when ``closing``, closes at 23:59:59. A naive time is
    WIB; an aware one is converted. A closing ``23:59`` means the end of that day.
    """
    if isinstance(value, str):
        text = value.strip()
        try:
            value = date.fromisoformat(text)
        except ValueError:
            try:
                value = datetime.fromisoformat(text)
            except ValueError:
                return None
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=WIB) if value.tzinfo is None else value.astimezone(WIB)
        if closing and (moment.hour, moment.minute, moment.second, moment.microsecond) == (
            23,
            59,
            0,
            0,
        ):
            moment = moment.replace(second=59)
        return moment
    if isinstance(value, date):
        return window_close(value) if closing else window_open(value)
    return None


def to_day(value: object) -> date | None:
    """A date (or ISO date text) → date; None for anything else, datetimes included."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def effective_close(rules: EditionRules, extensions: Iterable[Extension] = ()) -> datetime:
    """The registration close after every extension (§5, §15).

    ``extensions`` are those recorded after the rules were frozen (registration_extension
    announcements), in the order granted; they follow the ones in the rule set. The last
    one granted wins.
    """
    granted = (*rules.calendar.extensions, *extensions)
    return granted[-1].new_close if granted else rules.calendar.registration.end


def age_reference_close(rules: EditionRules, extensions: Iterable[Extension] = ()) -> datetime:
    """The reference moment of the age rule (§9.1): effective or original close."""
    if rules.eligibility.age_reference == "registration_close_original":
        return rules.calendar.registration.end
    return effective_close(rules, extensions)
