"""`prima pekppp`: the PEKPPP analyst's command line; needs no database.

    prima pekppp ipp FILE [--json]

`ipp` reads a JSON file ``{"instrument": "pekppp-2023", "scores": {"1": 4, …, "30": 3},
"f03_score": null, "combination": "f02_only"}`` (optional: ``f03_responses``, ``f03_min``,
``f02_weight``, ``f03_weight``) and prints the result of pekppp.md §9. Bad input exits with
status 2 and an Indonesian message naming the indicator.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from prima.pekppp.domain.instruments import (
    PekpppInstrument,
    PekpppInstrumentError,
    load_instrument,
)
from prima.pekppp.domain.ipp import (
    DEFAULT_F02_WEIGHT,
    DEFAULT_F03_MIN,
    DEFAULT_F03_WEIGHT,
    F02_ONLY,
    F03_INSUFFICIENT,
    IppResult,
    ScoreError,
    compute,
)

BAD_INPUT = 2
DEFAULT_INSTRUMENT = "pekppp-2023"
_KEYS = (
    "instrument",
    "scores",
    "f03_score",
    "f03_responses",
    "f03_min",
    "combination",
    "f02_weight",
    "f03_weight",
)


def instruments_dir() -> Path:
    return Path(settings.PROJECT_DIR) / "instruments"


def _bad(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


def _instrument(name: object) -> PekpppInstrument:
    """A code of instruments/ (pekppp-2023)."""
    known = sorted(p.stem for p in instruments_dir().glob("pekppp-*.yaml"))
    if not isinstance(name, str) or name not in known:
        raise _bad(f"Instrumen {name!r} tidak dikenal; pilih salah satu: {', '.join(known)}.")
    path = instruments_dir() / f"{name}.yaml"
    try:
        return load_instrument(path)
    except PekpppInstrumentError as error:
        raise _bad(f"{path}: {error}") from error


def _decimal(document: dict[str, Any], key: str, default: Decimal | None) -> Decimal | None:
    value = document.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise _bad(f"{key} harus angka, bukan {value!r}.")
    try:
        # A JSON number is read through its text, never kept as a float.
        result = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    except InvalidOperation as error:
        raise _bad(f"{key} harus angka, bukan {value!r}.") from error
    if not result.is_finite():
        raise _bad(f"{key} harus angka, bukan {value!r}.")
    return result


def _whole(document: dict[str, Any], key: str, default: int | None) -> int | None:
    value = document.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _bad(f"{key} harus bilangan bulat ≥ 0, bukan {value!r}.")
    return value


def _read(name: str) -> dict[str, Any]:
    try:
        text = Path(name).read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise _bad(f"{name}: berkas tidak ditemukan.") from error
    except (OSError, UnicodeDecodeError) as error:
        raise _bad(f"{name}: berkas tidak dapat dibaca ({error}).") from error
    try:
        document = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise _bad(
            f"{name}: bukan JSON yang sah (baris {error.lineno}, kolom {error.colno}: {error.msg})."
        ) from error
    if not isinstance(document, dict):
        raise _bad(f"{name}: isi berkas harus objek JSON {{...}}.")
    unknown = [key for key in document if key not in _KEYS]
    if unknown:
        raise _bad(
            f"{name}: kunci tidak dikenal: {', '.join(unknown)}; yang dikenal: {', '.join(_KEYS)}."
        )
    if not isinstance(document.get("scores"), dict):
        raise _bad(f'{name}: "scores" wajib berupa objek nomor indikator → nilai 0–5.')
    return document


def result_text(instrument: PekpppInstrument, result: IppResult) -> str:
    """The §9 fields for a person to read (Indonesian labels)."""
    data = result.as_dict()
    lines = [f"Instrumen: {instrument.code}", "Nilai aspek:"]
    for aspect in instrument.aspects:
        lines.append(
            f"  {aspect.code:>3} {aspect.name} (bobot {aspect.weight}%): "
            f"{data['aspect_scores'][aspect.code]}"
        )
    lines.append(f"IPP F-02: {data['ipp_f02']}")
    if result.f03_score is not None:
        lines.append(f"F-03: {data['f03_score']} ({result.f03_responses or 0} responden)")
    lines += [
        f"Kombinasi: {result.combination} (dipakai: {result.combination_used})",
        f"IPP (tepat): {data['ipp_raw']}",
        f"IPP: {data['ipp']}",
        f"Kategori: {result.grade}",
        f"Predikat: {result.predicate}",
        f"Persentase (hanya tampilan): {data['percent']}%",
    ]
    for warning in result.warnings:
        if warning == F03_INSUFFICIENT:
            lines.append("Peringatan: F-03 belum cukup responden; IPP memakai F-02 saja.")
    if result.improve_first:
        lines.append("Perbaiki dulu (kenaikan IPP bila bernilai 5):")
        for item in result.improve_first:
            lines.append(
                f"  indikator {item.number} ({item.code}): nilai {item.score}, bobot global "
                f"{item.as_dict()['global_weight']}%, kenaikan {item.as_dict()['gain']}"
            )
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Evaluasi Kinerja Penyelenggaraan Pelayanan Publik tanpa basis data. `ipp BERKAS`: "
        "hitung Indeks Pelayanan Publik dari nilai 30 indikator (berkas JSON)."
    )
    # Nothing here reads the database, so neither do the system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        ipp = commands.add_parser("ipp", help="Hitung IPP dari berkas nilai JSON (pekppp.md §9).")
        ipp.add_argument("file", metavar="BERKAS", help="Berkas JSON nilai indikator.")
        ipp.add_argument("--json", action="store_true", help="Keluaran JSON (pekppp.md §9).")
        ipp.set_defaults(handler=self._ipp)

    def handle(self, *args: Any, **options: Any) -> None:
        handler: Callable[[dict[str, Any]], None] = options["handler"]
        handler(options)

    def _ipp(self, options: dict[str, Any]) -> None:
        name = options["file"]
        document = _read(name)
        instrument = _instrument(document.get("instrument") or DEFAULT_INSTRUMENT)
        f03 = _decimal(document, "f03_score", None)
        try:
            result = compute(
                instrument,
                document["scores"],
                combination=document.get("combination") or F02_ONLY,
                f03_score=f03,
                f03_responses=_whole(document, "f03_responses", None),
                f03_min=_whole(document, "f03_min", DEFAULT_F03_MIN) or 0,
                f02_weight=_decimal(document, "f02_weight", DEFAULT_F02_WEIGHT) or Decimal(0),
                f03_weight=_decimal(document, "f03_weight", DEFAULT_F03_WEIGHT) or Decimal(0),
            )
        except ScoreError as error:
            problems = "\n".join(f"- {problem}" for problem in error.problems)
            raise _bad(f"{name}: tidak ada yang dihitung:\n{problems}") from error
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(result_text(instrument, result))
