"""`prima audit verify`: recompute the audit hash chain and report the first break."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prima.core.domain import audit


class Command(BaseCommand):
    help = "Audit log tools. `verify`: check the hash chain (exit 0 intact, 1 broken)."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        subcommands.required = True
        verify = subcommands.add_parser(
            "verify",
            help="Recompute every entry's hash and link; name the first broken entry.",
        )
        verify.add_argument(
            "--batch-size", type=int, default=2000, help="Entries read per database round trip."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self._verify(options["batch_size"])

    def _verify(self, batch_size: int) -> None:
        report = audit.verify_chain(batch_size=batch_size)
        if report.ok:
            self.stdout.write(f"OK: {report.checked} entries")
            return
        raise CommandError(
            f"BROKEN: entry {report.first_broken_id}: {report.problem} "
            f"({report.checked} entries before it verified)",
            returncode=1,
        )
