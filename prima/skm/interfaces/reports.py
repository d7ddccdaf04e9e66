"""The standard SKM report of one survey, as PDF (ReportLab) and XLSX (openpyxl).

Both carry the same content (skm.md §4, §5, §10): unit, period, instrument, respondents
and sample target, NRR per element, IKM, converted value, grade and performance under the
rule used and under the other rule (with the warning when their grades differ and the
"baik gives C" explanation), the service-type breakdown, the respondent profile, how many
suggestions were left and the state of the follow-up plan. A survey that is not
calculated yet is marked «SEMENTARA». Documents are written in Bahasa Indonesia whatever
the reader's interface language.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.platypus import Flowable, Spacer

from prima.core.documents import (
    DocumentMeta,
    column_widths,
    content_width,
    data_table,
    indonesian_date,
    paragraph,
    render_pdf,
    styles,
)
from prima.core.domain.accounts.mail import site_url
from prima.core.interfaces.export import guard_formula
from prima.skm.domain.aggregates import SurveyFigures
from prima.skm.enums import Dimension, SurveyState
from prima.skm.interfaces.result import baik_explanation, number, rule_difference, rule_name

PROVISIONAL_WATERMARK = "SEMENTARA"
EMPTY = "–"


@dataclass(frozen=True)
class ReportExtras:
    """What the report adds to the figures: suggestions left, follow-up plan state."""

    suggestions: int
    follow_up: str


def follow_up_text(plan: Any, items: int) -> str:
    """One sentence on the survey's follow-up plan (RTL, skm.md §8)."""
    if plan is None:
        return "Rencana tindak lanjut belum disusun."
    if plan.adopted_on is None:
        text = f"Rencana tindak lanjut masih disusun ({items} butir), belum ditetapkan."
    else:
        decree = f", nomor {plan.decree_number}" if plan.decree_number else ""
        text = (
            f"Rencana tindak lanjut ditetapkan {indonesian_date(plan.adopted_on)}{decree}; "
            f"{items} butir."
        )
    if plan.note:
        text += f" Catatan: {plan.note}"
    return text


def report_filename(figures: SurveyFigures, extension: str) -> str:
    survey = figures.survey
    return f"laporan-skm-{survey.unit_id}-{survey.period_code}.{extension}"


# --------------------------------------------------------------------------- shared rows


def _ratio(value: Any) -> str:
    return EMPTY if value is None else number(value)


def facts(figures: SurveyFigures) -> list[tuple[str, str]]:
    """Label/value pairs of the report's heading block."""
    survey = figures.survey
    result = figures.result
    target = result.sample_target
    if target is None:
        sample = "tidak diketahui (populasi belum diisi)"
    else:
        state = "tercukupi" if result.sample_adequate else "belum tercukupi"
        sample = f"{target} responden (N = {survey.population}); {state}"
    rows = [
        ("Unit pelayanan", survey.unit.name),
        ("Instansi", survey.institution.name),
        (
            "Periode",
            f"{survey.period_code} ({indonesian_date(survey.period_start)} – "
            f"{indonesian_date(survey.period_end)})",
        ),
        ("Instrumen", f"{figures.instrument.code}: {figures.instrument.title}"),
        ("Status survei", str(SurveyState(survey.state).label)),
        ("Responden", str(result.respondents)),
        ("Target sampel", sample),
    ]
    if survey.published_on:
        rows.append(("Tanggal publikasi", indonesian_date(survey.published_on)))
    return rows


def headline(figures: SurveyFigures) -> list[tuple[str, str]]:
    """IKM, converted value, grade, performance and both weight rules."""
    version = figures.instrument
    result = figures.result
    main = result.result
    if main is None:
        missing = ", ".join(f"{code} ({version.element(code).name})" for code in result.missing)
        return [("IKM", f"Tidak dihitung: unsur {missing} tidak dijawab satu responden pun.")]
    rows = [
        ("IKM (1–4)", number(main.ikm)),
        ("Nilai konversi IKM (25–100)", number(main.ikm_converted)),
        ("Mutu pelayanan", main.grade),
        ("Kinerja unit", main.performance),
        (
            "Aturan bobot yang dipakai",
            f"{main.weight_rule.label} ({rule_name(version, main.weight_rule)})",
        ),
    ]
    other = result.alternative
    if other is not None:
        rows.append(
            (
                f"Dengan {other.weight_rule.label} ({rule_name(version, other.weight_rule)})",
                f"IKM {number(other.ikm)} → {number(other.ikm_converted)} → {other.grade}",
            )
        )
    return rows


def notes(figures: SurveyFigures) -> list[str]:
    """The rule-difference warning and the "baik gives C" explanation, when they apply."""
    return [
        text
        for text in (
            rule_difference(figures.instrument, figures.result),
            baik_explanation(figures.instrument, figures.result),
        )
        if text
    ]


def nrr_rows(figures: SurveyFigures) -> list[list[str]]:
    result = figures.result
    return [
        [
            element.code,
            element.name,
            str(result.answers[element.code]),
            _ratio(result.nrr[element.code]) if result.answers[element.code] else "tidak dijawab",
        ]
        for element in figures.instrument.elements
    ]


def service_table(figures: SurveyFigures) -> list[list[str]]:
    rows = []
    for row in figures.services:
        main = row.result.result if row.result else None
        rows.append(
            [
                row.label,
                str(row.respondents),
                number(main.ikm_converted) if main else EMPTY,
                main.grade if main else EMPTY,
            ]
        )
    return rows


def profile_table(figures: SurveyFigures) -> list[list[str]]:
    rows = []
    for profile in figures.profile:
        for row in profile.rows:
            rows.append(
                [
                    str(Dimension(profile.dimension).label),
                    row.label,
                    EMPTY if row.respondents is None else str(row.respondents),
                ]
            )
    return rows


# --------------------------------------------------------------------------- PDF


def report_pdf(
    figures: SurveyFigures, extras: ReportExtras, *, generated_at: dt.datetime | None = None
) -> bytes:
    """The report as PDF bytes."""
    with translation.override("id"):
        return render_pdf(_story(figures, extras), _meta(figures, generated_at))


def _meta(figures: SurveyFigures, generated_at: dt.datetime | None) -> DocumentMeta:
    survey = figures.survey
    title = f"Laporan Survei Kepuasan Masyarakat {survey.period_code}"
    return DocumentMeta(
        title=title,
        subject=survey.unit.name,
        public_url=site_url(reverse("skm_result", args=[survey.pk])),
        generated_at=generated_at or timezone.now(),
        watermark=PROVISIONAL_WATERMARK if figures.provisional else "",
        letterhead=None,
        running_header=f"{title} — {survey.unit.name}",
        author="Prima",
    )


# The embedded Vera fonts have no arrow glyph: the PDF writes "->" instead.
_PDF_SUBSTITUTES = str.maketrans({"→": "->"})


def _printable(text: str) -> str:
    return text.translate(_PDF_SUBSTITUTES)


def _pairs(rows: Sequence[tuple[str, str]]) -> Flowable:
    return data_table(
        ["Keterangan", "Nilai"],
        [[_printable(label), _printable(value)] for label, value in rows],
        column_widths(content_width(), [2, 5]),
    )


def _story(figures: SurveyFigures, extras: ReportExtras) -> list[Flowable]:
    look = styles()
    survey = figures.survey
    width = content_width()
    story: list[Flowable] = [
        paragraph("LAPORAN SURVEI KEPUASAN MASYARAKAT", look.title),
        paragraph(f"{survey.unit.name} — periode {survey.period_code}", look.subtitle),
    ]
    if figures.provisional:
        story.append(
            paragraph(
                "Angka sementara: survei belum dihitung, jawaban masih dapat bertambah.",
                look.small,
            )
        )
    story += [Spacer(1, 6), _pairs(facts(figures))]
    story += [paragraph("Indeks Kepuasan Masyarakat", look.heading), _pairs(headline(figures))]
    story += [paragraph(_printable(text), look.body) for text in notes(figures)]
    story += [
        paragraph("Nilai rata-rata (NRR) per unsur", look.heading),
        data_table(
            ["Kode", "Unsur", "Menjawab", "NRR"],
            nrr_rows(figures),
            column_widths(width, [1, 6, 1.5, 1.5]),
        ),
    ]
    services = service_table(figures)
    if services:
        story += [
            paragraph("Per jenis layanan", look.heading),
            data_table(
                ["Jenis layanan", "Responden", "Nilai konversi", "Mutu"],
                services,
                column_widths(width, [6, 1.5, 1.5, 1]),
            ),
        ]
    profile = profile_table(figures)
    if profile:
        story += [
            paragraph("Profil responden", look.heading),
            data_table(
                ["Aspek", "Kategori", "Responden"], profile, column_widths(width, [2, 4, 1.5])
            ),
        ]
    story += [
        paragraph("Saran dan tindak lanjut", look.heading),
        paragraph(f"Saran tertulis dari responden: {extras.suggestions}.", look.body),
        paragraph(extras.follow_up, look.body),
    ]
    return story


# --------------------------------------------------------------------------- XLSX


def report_xlsx(figures: SurveyFigures, extras: ReportExtras) -> bytes:
    """The report as an XLSX workbook: one sheet per table."""
    with translation.override("id"):
        workbook = Workbook()
        bold = Font(bold=True)
        summary = workbook.active
        assert summary is not None
        summary.title = "Ringkasan"
        summary.append(["Laporan Survei Kepuasan Masyarakat"])
        summary["A1"].font = bold
        if figures.provisional:
            summary.append(["Angka sementara: survei belum dihitung."])
        for label, value in [*facts(figures), *headline(figures)]:
            summary.append([label, guard_formula(value)])
        for text in notes(figures):
            summary.append([guard_formula(text)])
        summary.append(["Saran tertulis", extras.suggestions])
        summary.append(["Rencana tindak lanjut", guard_formula(extras.follow_up)])
        summary.column_dimensions["A"].width = 32
        summary.column_dimensions["B"].width = 70
        _sheet(workbook, "NRR", ["Kode", "Unsur", "Menjawab", "NRR"], nrr_rows(figures))
        _sheet(
            workbook,
            "Jenis layanan",
            ["Jenis layanan", "Responden", "Nilai konversi", "Mutu"],
            service_table(figures),
        )
        _sheet(workbook, "Profil", ["Aspek", "Kategori", "Responden"], profile_table(figures))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list[str]]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([guard_formula(value) for value in row])
