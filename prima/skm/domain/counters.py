"""Counters of accepted responses per survey slice (skm.md §5; DESIGN.md §9).

Every accepted or voided response changes the counters of its survey in the same
transaction: one row per slice — the whole survey (``all``), its service, and each
demographic (blank = not stated) and channel. A result is read from them, so it costs the
same at 10 or 10 million responses; :func:`recompute_counters` rebuilds them from the raw
rows and must give the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

from django.db import transaction
from django.db.models import Q

from prima.skm.domain.answer_columns import answers_of
from prima.skm.domain.index import Answers, Counters
from prima.skm.domain.instruments import SkmInstrument
from prima.skm.enums import Dimension
from prima.skm.models import Response, ResponseCounter, Survey

Slice = tuple[str, str]  # (dimension, key)
# element code → answer value → respondents
Distribution = dict[str, dict[int, int]]


def slices_of(
    *,
    service_code: str,
    channel: str,
    gender: str = "",
    age_band: str = "",
    education: str = "",
    occupation: str = "",
) -> tuple[Slice, ...]:
    """The slices one response counts in."""
    return (
        (Dimension.ALL.value, ""),
        (Dimension.SERVICE.value, service_code),
        (Dimension.GENDER.value, gender or ""),
        (Dimension.AGE_BAND.value, age_band or ""),
        (Dimension.EDUCATION.value, education or ""),
        (Dimension.OCCUPATION.value, occupation or ""),
        (Dimension.CHANNEL.value, channel),
    )


class CounterDelta:
    """Changes to a survey's counters gathered in memory, written by :meth:`apply`.

    Imports add thousands of responses to one delta and write it once per batch, so a
    batch costs a handful of queries whatever its size.
    """

    def __init__(self) -> None:
        self.respondents: dict[Slice, int] = defaultdict(int)
        self.answers: dict[Slice, Distribution] = defaultdict(lambda: defaultdict(dict))

    def add(self, slices: Iterable[Slice], answers: Answers, sign: int = 1) -> None:
        """Count (sign 1) or uncount (sign -1) one response in each of its slices."""
        for piece in slices:
            self.respondents[piece] += sign
            per_element = self.answers[piece]
            for code, value in answers.items():
                if value is None:
                    continue
                per_value = per_element[code]
                per_value[value] = per_value.get(value, 0) + sign

    def __bool__(self) -> bool:
        return bool(self.respondents)

    def apply(self, survey: Survey) -> None:
        """Write the changes; the caller holds the survey row lock (same transaction)."""
        if not self:
            return
        with transaction.atomic():
            ResponseCounter.objects.bulk_create(
                [
                    ResponseCounter(survey=survey, dimension=dimension, key=key)
                    for dimension, key in self.respondents
                ],
                ignore_conflicts=True,
            )
            wanted = Q()
            for dimension, key in self.respondents:
                wanted |= Q(dimension=dimension, key=key)
            rows = list(
                ResponseCounter.objects.select_for_update()
                .filter(wanted, survey=survey)
                .order_by("id")
            )
            for row in rows:
                piece = (row.dimension, row.key)
                row.respondents += self.respondents[piece]
                stored = row.answers
                for code, per_value in self.answers[piece].items():
                    counts = stored.setdefault(code, {})
                    for value, number in per_value.items():
                        now = counts.get(str(value), 0) + number
                        if now < 0:
                            raise ValueError(f"counter {row} {code}={value} would go below zero")
                        # Zeros are dropped so voiding leaves what a recompute writes.
                        if now:
                            counts[str(value)] = now
                        else:
                            counts.pop(str(value), None)
                    if not counts:
                        del stored[code]
                if row.respondents < 0:
                    raise ValueError(f"counter {row} would go below zero")
            ResponseCounter.objects.bulk_update(rows, ["respondents", "answers"])


def as_counters(
    respondents: int, stored: Mapping[str, Mapping[str, int]], instrument: SkmInstrument
) -> Counters:
    """A counter row's figures as the index module's :class:`Counters`."""
    return Counters(
        respondents=respondents,
        answers=MappingProxyType(
            {
                code: MappingProxyType(
                    {
                        value: int(stored.get(code, {}).get(str(value), 0))
                        for value in instrument.answer_values
                    }
                )
                for code in instrument.element_codes
            }
        ),
    )


def empty_counters(instrument: SkmInstrument) -> Counters:
    return as_counters(0, {}, instrument)


def counters_by_slice(
    survey_ids: Sequence[int], instrument: SkmInstrument, dimension: Dimension = Dimension.ALL
) -> dict[str, Counters]:
    """Key → pooled counters of the surveys for one dimension, in one query.

    Pooling adds the counters, i.e. the pooled responses (skm.md §4: a yearly figure is
    never an average of sub-period IKMs). Surveys must share the instrument.
    """
    pooled: dict[str, Counters] = {}
    rows = ResponseCounter.objects.filter(survey_id__in=survey_ids, dimension=dimension)
    for key, respondents, stored in rows.values_list("key", "respondents", "answers"):
        counters = as_counters(respondents, stored, instrument)
        pooled[key] = pooled[key] + counters if key in pooled else counters
    return pooled


def survey_counters(survey_ids: Sequence[int], instrument: SkmInstrument) -> Counters:
    """The pooled counters of the surveys' accepted responses (zero when none)."""
    return counters_by_slice(survey_ids, instrument).get("", empty_counters(instrument))


def recompute_counters(survey: Survey, instrument: SkmInstrument) -> None:
    """Rebuild a survey's counters and respondent count from its raw, not voided, rows."""
    delta = CounterDelta()
    total = 0
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        rows = Response.objects.filter(survey=locked, voided_at__isnull=True).order_by("id")
        for response in rows.iterator(chunk_size=5000):
            delta.add(
                slices_of(
                    service_code=response.service_code,
                    channel=response.channel,
                    gender=response.gender,
                    age_band=response.age_band,
                    education=response.education,
                    occupation=response.occupation,
                ),
                answers_of(response, instrument),
            )
            total += 1
        ResponseCounter.objects.filter(survey=locked).delete()
        delta.apply(locked)
        Survey.objects.filter(pk=locked.pk).update(respondents=total)
    survey.respondents = total
