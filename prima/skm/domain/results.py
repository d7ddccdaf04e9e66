"""A survey's result read from its counters (skm.md §5, §10).

While collecting, the figures are live and use the version's current weight rule; once
calculated, ``Survey.result`` holds the frozen §10 document and ``Survey.weight_rule``
the rule it used. Either way the cost does not depend on the number of responses.
"""

from __future__ import annotations

from typing import Any

from prima.skm.domain.counters import survey_counters
from prima.skm.domain.document import result_document
from prima.skm.domain.index import IkmResult, compute
from prima.skm.domain.versions import instrument, setting_for
from prima.skm.enums import WeightRule
from prima.skm.models import Survey


def survey_rule(survey: Survey) -> WeightRule:
    """The rule the survey's result uses: the frozen one, else the version's setting."""
    if survey.weight_rule:
        return WeightRule(survey.weight_rule)
    return WeightRule(setting_for(survey.instrument).weight_rule)


def survey_result(survey: Survey, *, weight_rule: WeightRule | None = None) -> IkmResult:
    """The IKM of the survey's accepted responses, from its counters (2 queries)."""
    version = instrument(survey.instrument)
    return compute(
        survey_counters([survey.pk], version),
        version,
        weight_rule=weight_rule or survey_rule(survey),
        population=survey.population,
    )


def survey_document(survey: Survey, result: IkmResult) -> dict[str, Any]:
    """The §10 layout of a survey's result, naming the unit, survey and period."""
    return result_document(
        result, unit=unit_reference(survey.unit_id), survey=survey.pk, period=survey.period_code
    )


def unit_reference(unit_id: int) -> str:
    """How results name a unit: its registry id (the registry has no other unit code)."""
    return f"UPP-{unit_id}"
