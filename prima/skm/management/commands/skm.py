"""`prima skm`: the survey analyst's command line; needs no database.

    prima skm ikm FILE [--instrument skm-2017|skm-2004|PATH.yaml]
                       [--weight-rule printed|exact] [--population N] [--json]
    prima skm sample-size N

`ikm` computes the result of skm.md §10 from a response file in the canonical layout (§9,
CSV or XLSX), streamed; `sample-size` prints the Krejcie–Morgan target (§6). Bad input
exits with status 2 and an Indonesian message naming the row and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from prima.core.interfaces.tabular import TableError
from prima.skm.domain.index import compute
from prima.skm.domain.instruments import SkmInstrument, SkmInstrumentError, load_instrument
from prima.skm.enums import WeightRule
from prima.skm.interfaces.response_file import summarise
from prima.skm.interfaces.result import result_document, result_text, sample_text

BAD_INPUT = 2
DEFAULT_INSTRUMENT = "skm-2017"
SHOWN_ERRORS = 20
_WHOLE_NUMBER = re.compile(r"[0-9]+\Z")


def instruments_dir() -> Path:
    return Path(settings.PROJECT_DIR) / "instruments"


def _bad(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


def _population(text: str, option: str) -> int:
    if not _WHOLE_NUMBER.match(text.strip()) or int(text) < 1:
        raise _bad(f"{option} harus bilangan bulat ≥ 1 (jumlah pengguna layanan), bukan {text!r}.")
    return int(text)


def _instrument(name: str) -> SkmInstrument:
    """A code of instruments/ (skm-2017) or the path of a YAML file."""
    by_path = name.endswith((".yaml", ".yml")) or "/" in name
    path = Path(name) if by_path else instruments_dir() / f"{name}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in instruments_dir().glob("skm-*.yaml"))
        raise _bad(
            f"Instrumen {name} tidak ditemukan; pilih salah satu: {', '.join(known)}, "
            "atau sebutkan berkas YAML."
        )
    try:
        instrument = load_instrument(path)
    except SkmInstrumentError as error:
        raise _bad(f"{path}: {error}") from error
    if not by_path and instrument.code != name:
        raise _bad(f"{path} berisi instrumen {instrument.code}, bukan {name}.")
    return instrument


class Command(BaseCommand):
    help = (
        "Survei Kepuasan Masyarakat tanpa basis data. `ikm BERKAS`: hitung IKM dari berkas "
        "jawaban (CSV/XLSX); `sample-size N`: target sampel Krejcie dan Morgan."
    )
    # Nothing here reads the database, so neither do the system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        ikm = commands.add_parser("ikm", help="Hitung IKM dari berkas jawaban (skm.md §9).")
        ikm.add_argument("file", metavar="BERKAS", help="Berkas jawaban .csv atau .xlsx.")
        ikm.add_argument(
            "--instrument",
            default=DEFAULT_INSTRUMENT,
            help="Versi instrumen (skm-2017, skm-2004) atau berkas YAML; bawaan skm-2017.",
        )
        ikm.add_argument(
            "--weight-rule",
            help="Aturan bobot: printed (bobot tercetak) atau exact (1/jumlah unsur); "
            "bawaan: aturan instrumen.",
        )
        ikm.add_argument("--population", help="N, jumlah pengguna layanan dalam periode survei.")
        ikm.add_argument("--json", action="store_true", help="Keluaran JSON (skm.md §10).")
        ikm.set_defaults(handler=self._ikm)
        sample = commands.add_parser(
            "sample-size", aliases=["sample_size"], help="Target sampel untuk N pengguna."
        )
        sample.add_argument("population", metavar="N", help="Jumlah pengguna layanan.")
        sample.set_defaults(handler=self._sample_size)

    def handle(self, *args: Any, **options: Any) -> None:
        handler: Callable[[dict[str, Any]], None] = options["handler"]
        handler(options)

    def _ikm(self, options: dict[str, Any]) -> None:
        instrument = _instrument(options["instrument"])
        rule = options.get("weight_rule")
        if rule is not None and rule not in WeightRule.values:
            raise _bad(f"--weight-rule harus printed atau exact, bukan {rule!r}.")
        population = options.get("population")
        if population is not None:
            population = _population(population, "--population")
        name = options["file"]
        try:
            summary = summarise(name, instrument, max_errors=SHOWN_ERRORS)
        except TableError as error:
            problems = "\n".join(f"- {problem}" for problem in error.errors)
            raise _bad(f"{name}: berkas tidak dapat dipakai:\n{problems}") from error
        if summary.error_count:
            shown = "\n".join(f"- {problem}" for problem in summary.errors)
            more = summary.error_count - len(summary.errors)
            tail = f"\n… dan {more} masalah lain." if more > 0 else ""
            raise _bad(
                f"{name}: {summary.error_count} masalah pada {summary.rejected_rows} baris "
                f"(dari {summary.rows}); tidak ada yang dihitung:\n{shown}{tail}"
            )
        if not summary.rows:
            raise _bad(f"{name}: berkas tidak berisi satu pun baris jawaban.")
        result = compute(
            summary.counters,
            instrument,
            weight_rule=WeightRule(rule) if rule else None,
            population=population,
        )
        if options["json"]:
            document = result_document(result)
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(result_text(instrument, result, population=population))

    def _sample_size(self, options: dict[str, Any]) -> None:
        self.stdout.write(sample_text(_population(options["population"], "N")))
