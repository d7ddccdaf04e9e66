"""`prima assign PROBLEM.json [--json]`: the assessor-assignment calculator (no database).

A thin wrapper around `prima.evaluation.domain.assignment`; exit 0 with the optimum,
1 for a malformed file (the message names the field), 2 when the problem is infeasible.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prima.evaluation.domain.assignment import Problem, ProblemError, Solution, parse_problem, solve

SHOWN_ASSIGNMENTS = 20


class Command(BaseCommand):
    help = (
        "Assign assessors to subjects from a JSON file: exact maximum total affinity under "
        "demands, load bounds, conflicts and pins (exit 0 optimal, 1 bad input, 2 infeasible)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("problem", metavar="PROBLEM.json", help="Problem file ('-' = stdin).")
        parser.add_argument("--json", action="store_true", help="Machine-readable output.")

    def handle(self, *args: Any, **options: Any) -> None:
        problem = self._read(options["problem"])
        solution = solve(problem)
        if options["json"]:
            self.stdout.write(json.dumps(solution.to_dict(), ensure_ascii=False, indent=2))
        else:
            self._write_human(problem, solution)
        if solution.status == "infeasible":
            sys.exit(2)

    def _read(self, name: str) -> Problem:
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(
                f"{name}: tidak dapat dibaca ({exc.strerror})", returncode=1
            ) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{name}: bukan teks UTF-8", returncode=1) from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{name}: JSON tidak sah pada baris {exc.lineno} kolom {exc.colno}: {exc.msg}",
                returncode=1,
            ) from exc
        try:
            return parse_problem(data)
        except ProblemError as exc:
            raise CommandError(f"{name}: {exc}", returncode=1) from exc

    def _write_human(self, problem: Problem, solution: Solution) -> None:
        out = self.stdout
        if solution.status == "infeasible":
            out.write("Status: tidak layak (infeasible)")
            out.write("Diagnosis:")
            for line in solution.diagnosis or []:
                out.write(f"  - {line}")
            return
        out.write("Status: optimal")
        out.write(f"Objektif (total afinitas): {solution.objective:.6f}")
        out.write(f"Penugasan: {len(solution.assignments)} pasangan")
        width = max((len(s) for s, _, _ in solution.assignments), default=7)
        for subject_id, assessor_id, affinity in solution.assignments[:SHOWN_ASSIGNMENTS]:
            out.write(f"  {subject_id:<{width}}  {assessor_id}  {affinity:.6f}")
        if len(solution.assignments) > SHOWN_ASSIGNMENTS:
            out.write(
                f"  … dan {len(solution.assignments) - SHOWN_ASSIGNMENTS} lainnya (lihat --json)"
            )
        out.write("Beban penilai (beban [min, maks]):")
        width = max((len(a.id) for a in problem.assessors), default=7)
        for assessor in problem.assessors:
            load = solution.loads[assessor.id]
            out.write(
                f"  {assessor.id:<{width}}  {load:>4}  [{assessor.min_load}, {assessor.max_load}]"
            )
