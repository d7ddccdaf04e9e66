"""`prima pkri`: the PKRI operator's command line.

    prima pkri edition create editions/pkri-2024.yaml --actor sekretariat
    prima pkri edition list
    prima pkri stats 2024 [--json]

Each subcommand is one function below, registered in ``add_arguments``; to add one, add
its parser there and a ``_<name>`` handler. Errors exit with status 1 and an Indonesian
message (every problem of a rule file with its path).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prima.core.domain.errors import DomainError
from prima.core.models import Person
from prima.evaluation.models import Edition
from prima.pkri.domain.config import RulesError, read_rules_file
from prima.pkri.domain.editions import create_edition
from prima.pkri.domain.scope import scope_counts


def _actor(username: str | None) -> Person | None:
    if not username:
        return None
    actor = Person.objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(f"Pengguna {username} tidak ditemukan atau tidak aktif.")
    return actor


class Command(BaseCommand):
    help = (
        "Kelola PKRI. `edition create FILE`: buat penyelenggaraan dari berkas aturan; "
        "`edition list`: tampilkan penyelenggaraan; `stats TAHUN`: statistik penyelenggaraan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)

        edition = commands.add_parser("edition", help="Penyelenggaraan PKRI.")
        edition_actions = edition.add_subparsers(dest="action", required=True)
        create = edition_actions.add_parser(
            "create", help="Buat penyelenggaraan dari berkas aturan (editions/*.yaml)."
        )
        create.add_argument("file", help="Berkas aturan, mis. editions/pkri-2024.yaml.")
        create.add_argument(
            "--actor",
            help="Nama pengguna Sekretariat yang dicatat di log audit dan membuat kategori "
            "penghargaan.",
        )
        create.set_defaults(handler=self._edition_create)
        listing = edition_actions.add_parser("list", help="Tampilkan penyelenggaraan PKRI.")
        listing.set_defaults(handler=self._edition_list)

        from prima.pkri.management.stats_command import add_stats_arguments

        stats = commands.add_parser("stats", help="Statistik satu tahun penyelenggaraan.")
        add_stats_arguments(stats)
        stats.set_defaults(handler=self._stats)

    def handle(self, *args: Any, **options: Any) -> None:
        handler: Callable[[dict[str, Any]], None] = options["handler"]
        handler(options)

    # ------------------------------------------------------------------ edition

    def _edition_create(self, options: dict[str, Any]) -> None:
        actor = _actor(options.get("actor"))
        try:
            data = read_rules_file(options["file"])
        except RulesError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(
                f"Berkas aturan {options['file']} tidak dapat dibaca: {error.strerror or error}"
            ) from error
        try:
            edition = create_edition(data, actor=actor)
        except DomainError as error:
            raise CommandError(error.message) from error
        categories = edition.award_categories.order_by("position")
        self.stdout.write(
            self.style.SUCCESS(
                f"Penyelenggaraan {edition.code} «{edition.title}» dibuat dengan instrumen "
                f"{edition.instrument.code} versi {edition.instrument.version}; tahap "
                f"«{edition.get_state_display()}» dibuka."
            )
        )
        self.stdout.write(
            f"Tahap: {edition.stages.count()}; kategori penghargaan: "
            + ", ".join(f"{c.code} ({c.count})" for c in categories)
            + "."
        )

    def _edition_list(self, options: dict[str, Any]) -> None:
        editions = Edition.objects.filter(programme="pkri").order_by("-year", "code")
        if not editions:
            self.stdout.write("Belum ada penyelenggaraan PKRI.")
            return
        for edition in editions:
            counts = scope_counts(edition)
            self.stdout.write(
                f"{edition.code}\t{edition.year}\t{edition.get_state_display()}\t"
                f"lokus {counts['loci']['total']}\tobjek {counts['objects']['total']}"
            )

    # ------------------------------------------------------------------ stats

    def _stats(self, options: dict[str, Any]) -> None:
        from prima.pkri.management.stats_command import render_stats, stats_document

        document = stats_document(options["year"])
        self.stdout.write(render_stats(document, as_json=options.get("json", False)))
