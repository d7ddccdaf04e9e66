"""Cross-check of an edition's rules against the instrument its proposal sections name."""

from __future__ import annotations

from prima.evaluation.domain.instruments import Instrument
from prima.evaluation.domain.yamlcheck import Problem
from prima.kipp.domain.rules._check import _options, _show
from prima.kipp.domain.rules.constants import SECTION_MEAN
from prima.kipp.domain.rules.types import EditionRules


def check_instrument(rules: EditionRules, instrument: Instrument) -> list[Problem]:
    """Problems between the rules and the instrument of ``proposal_sections``; [] when they fit.

    The instrument must carry the edition's code and exactly its groups; every
    ``section_mean:<section>`` tie breaker must name one of its sections; an enabled
    presentation's rubric must equal the instrument's rubric when it has one.
    """
    problems: list[Problem] = []
    if instrument.code != rules.proposal_sections:
        problems.append(
            Problem(
                "proposal_sections",
                f"instrumen {instrument.code!r} bukan {rules.proposal_sections!r}",
            )
        )
    ours, theirs = list(rules.groups), [group.code for group in instrument.groups]
    if set(ours) != set(theirs):
        problems.append(
            Problem(
                "groups",
                f"kelompok edisi ({_options(ours)}) tidak sama dengan kelompok instrumen "
                f"{instrument.code} ({_options(theirs)})",
            )
        )
    sections = {section.code for section in instrument.sections}
    for index, breaker in enumerate(rules.desk_evaluation.tie_breakers):
        code = breaker.removeprefix(SECTION_MEAN)
        if breaker.startswith(SECTION_MEAN) and code not in sections:
            problems.append(
                Problem(
                    f"desk_evaluation.tie_breakers[{index}]",
                    f"bagian {code!r} tidak ada di instrumen {instrument.code}",
                )
            )
    presentation = instrument.rubric_for("presentation")
    if rules.presentation.enabled and presentation is not None:
        theirs_rubric = presentation.weights()
        if dict(rules.presentation.rubric) != theirs_rubric:
            problems.append(
                Problem(
                    "presentation.rubric",
                    f"berbeda dengan rubrik instrumen {instrument.code}: "
                    + ", ".join(f"{code} {_show(w)}" for code, w in theirs_rubric.items()),
                )
            )
    if rules.panel_assessment.enabled:
        kind = rules.panel_assessment.kind or "feasibility"
        rubric = instrument.rubric_for(kind)
        if rubric is None:
            problems.append(
                Problem(
                    "panel_assessment.kind",
                    f"instrumen {instrument.code} v{instrument.version} tidak memuat rubrik "
                    f"{kind!r}",
                )
            )
        elif rules.panel_assessment.rubric and dict(rules.panel_assessment.rubric) != (
            rubric.weights()
        ):
            problems.append(
                Problem(
                    "panel_assessment.rubric",
                    f"berbeda dengan rubrik {kind!r} instrumen {instrument.code}: "
                    + ", ".join(f"{code} {_show(w)}" for code, w in rubric.weights().items()),
                )
            )
    return problems
