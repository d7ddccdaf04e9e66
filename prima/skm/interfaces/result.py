"""An IKM result as the JSON document of skm.md §10 and as text for people to read."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from prima.core.domain.rounding import round_half_up
from prima.skm.domain.document import result_document
from prima.skm.domain.index import BAIK, GRADE_C, IkmResult, RuleResult, uniform_converted
from prima.skm.domain.instruments import SkmInstrument
from prima.skm.domain.sample import sample_size, sample_target
from prima.skm.enums import ResultWarning, WeightRule

# --------------------------------------------------------------------------- text


def number(value: Decimal) -> str:
    """A decimal as Indonesians write it: 76,54."""
    return format(value, "f").replace(".", ",")


def rule_name(instrument: SkmInstrument, rule: WeightRule) -> str:
    """0,111 for the printed weight, 1/9 for the exact one."""
    if rule == WeightRule.PRINTED:
        return number(instrument.printed_weight)
    return f"1/{len(instrument.elements)}"


def _by_rule(result: IkmResult) -> dict[WeightRule, RuleResult]:
    return {r.weight_rule: r for r in (result.result, result.alternative) if r is not None}


def rule_difference(instrument: SkmInstrument, result: IkmResult) -> str | None:
    """ "Mutu berbeda menurut aturan bobot: 0,111 → C (76,54); 1/9 → B (76,62)", or None."""
    if ResultWarning.WEIGHT_RULE_GRADE_DIFFERS not in result.warnings:
        return None
    parts = [
        f"{rule_name(instrument, rule)} → {r.grade} ({number(r.ikm_converted)})"
        for rule, r in sorted(
            _by_rule(result).items(), key=lambda item: item[0] != WeightRule.PRINTED
        )
    ]
    return _("Mutu berbeda menurut aturan bobot: %(parts)s") % {"parts": "; ".join(parts)}


def baik_explanation(instrument: SkmInstrument, result: IkmResult) -> str | None:
    """Why mostly "baik" (3) answers give C (skm.md §5); None when it does not apply."""
    if not result.explain_baik_is_c:
        return None
    position = [band.grade for band in instrument.bands].index(GRADE_C)
    band_c = instrument.bands[position]
    # Bands run from the highest grade down: the one above C is just before it.
    above = instrument.bands[position - 1] if position else None
    low, high = instrument.answer_values[0], instrument.answer_values[-1]
    text = _(
        "Mengapa %(grade)s: skala memetakan jawaban %(low)s ke %(low_value)s dan %(high)s ke "
        "%(high_value)s, sehingga jawaban %(baik)s («baik») bernilai tepat %(exact)s "
        "(%(printed)s dengan bobot tercetak), di dalam rentang %(grade)s (%(band_min)s–"
        "%(band_max)s, «%(performance)s»)."
    ) % {
        "grade": band_c.grade,
        "low": low,
        "high": high,
        "low_value": number(uniform_converted(instrument, low, WeightRule.EXACT)),
        "high_value": number(uniform_converted(instrument, high, WeightRule.EXACT)),
        "baik": BAIK,
        "exact": number(uniform_converted(instrument, BAIK, WeightRule.EXACT)),
        "printed": number(uniform_converted(instrument, BAIK, WeightRule.PRINTED)),
        "band_min": number(band_c.nik_min),
        "band_max": number(band_c.nik_max),
        "performance": band_c.performance,
    }
    if above is not None:
        text += " " + _(
            "Mutu %(grade)s dimulai pada %(start)s: unit memerlukan sejumlah jawaban %(high)s "
            "(«sangat baik») di samping jawaban %(baik)s."
        ) % {"grade": above.grade, "start": number(above.nik_min), "high": high, "baik": BAIK}
    return text


def result_text(
    instrument: SkmInstrument, result: IkmResult, *, population: int | None = None
) -> str:
    """The result for a person: elements, index, grade, the other rule, sample, warnings."""
    lines = [
        _("Hasil SKM — %(code)s: %(title)s") % {"code": instrument.code, "title": instrument.title},
        _("Status: %(status)s") % {"status": result.status.label},
        _("Responden: %(count)s") % {"count": result.respondents},
        "",
        _("Unsur (jumlah menjawab, NRR):"),
    ]
    width = max(len(element.name) for element in instrument.elements)
    for element in instrument.elements:
        nrr = result.nrr[element.code]
        lines.append(
            f"  {element.code:<4}{element.name:<{width}}  {result.answers[element.code]:>7}  "
            + (number(nrr) if nrr is not None else _("tidak dijawab"))
        )
    lines.append("")
    main = result.result
    if main is None:
        missing = ", ".join(f"{code} ({instrument.element(code).name})" for code in result.missing)
        lines.append(
            _("IKM tidak dihitung: unsur %(elements)s tidak dijawab satu responden pun.")
            % {"elements": missing}
        )
    else:
        lines += [
            _("IKM (1–4): %(ikm)s") % {"ikm": number(main.ikm)},
            _("Nilai konversi IKM (25–100): %(value)s") % {"value": number(main.ikm_converted)},
            _("Mutu pelayanan: %(grade)s (kinerja unit: %(performance)s)")
            % {"grade": main.grade, "performance": main.performance},
            _("Aturan bobot: %(rule)s — %(label)s %(weight)s per unsur")
            % {
                "rule": main.weight_rule,
                "label": main.weight_rule.label,
                "weight": rule_name(instrument, main.weight_rule),
            },
        ]
        other = result.alternative
        if other is not None:
            lines.append(
                _("Dengan aturan %(rule)s (%(weight)s): IKM %(ikm)s → %(value)s → %(grade)s")
                % {
                    "rule": other.weight_rule,
                    "weight": rule_name(instrument, other.weight_rule),
                    "ikm": number(other.ikm),
                    "value": number(other.ikm_converted),
                    "grade": other.grade,
                }
            )
    lines.append(_sample_line(result, population))
    for extra in (rule_difference(instrument, result), baik_explanation(instrument, result)):
        if extra:
            lines += ["", extra]
    if result.warnings:
        lines += ["", _("Peringatan:")]
        lines += [f"  - {warning}: {warning.label}" for warning in result.warnings]
    return "\n".join(lines)


def _sample_line(result: IkmResult, population: int | None) -> str:
    if population is None or result.sample_target is None:
        return _("Target sampel: tidak diketahui (sebutkan populasi dengan --population N).")
    values = {
        "target": result.sample_target,
        "population": population,
        "count": result.respondents,
    }
    if result.sample_adequate:
        return _("Target sampel: %(target)s (N = %(population)s); tercukupi (%(count)s).") % values
    return (
        _("Target sampel: %(target)s (N = %(population)s); belum tercukupi (%(count)s).") % values
    )


def sample_text(population: int) -> str:
    """`prima skm sample-size N`: the target with S (2 dp) it is rounded from."""
    return _(
        "Target sampel: %(target)s responden (N = %(population)s; S = %(size)s; Krejcie dan "
        "Morgan, X² = 3,841, P = 0,5, d = 0,05)."
    ) % {
        "target": sample_target(population),
        "population": population,
        "size": number(round_half_up(sample_size(population), 2)),
    }


__all__ = ["result_document"]
