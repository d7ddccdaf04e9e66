"""`prima jipp`: exchange the replication network with JIPPNas from the command line.

    prima jipp export [--format json|csv] [--public] OUT
    prima jipp import FILE --actor USERNAME [--update]

``export`` writes JSON, or (``--format csv``) a ZIP archive holding ``nodes.csv`` and
``edges.csv``; ``OUT`` ``-`` writes to standard output. Without ``--public`` the export
holds everything (as the secretariat's). ``import`` reads JSON, CSV, XLSX or such a ZIP
archive and applies all rows or none; every problem is printed with its row and column
and the command exits with status 1.

Each subcommand is one function below, registered in ``add_arguments``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from prima.core.domain.errors import DomainError
from prima.core.interfaces.tabular import TableError
from prima.core.models import Person
from prima.innovations.interfaces.jipp_exchange import import_network_file, write_export


def _actor(username: str) -> Person:
    actor = Person.objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(f"Pengguna {username} tidak ditemukan atau tidak aktif.")
    return actor


class Command(BaseCommand):
    help = (
        "Pertukaran data jaringan replikasi dengan JIPPNas. `export OUT`: tulis inovasi dan "
        "tautan (JSON, atau ZIP berisi nodes.csv dan edges.csv); `import FILE --actor NAMA`: "
        "impor berkas JSON, CSV, XLSX atau ZIP (semua baris atau tidak sama sekali)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)

        export = commands.add_parser("export", help="Ekspor jaringan replikasi.")
        export.add_argument("out", help="Berkas tujuan; - untuk keluaran standar.")
        export.add_argument(
            "--format",
            choices=("json", "csv"),
            default="json",
            help="json (bawaan) atau csv (arsip ZIP berisi nodes.csv dan edges.csv).",
        )
        export.add_argument(
            "--public",
            action="store_true",
            help="Hanya bagian publik: inovasi yang dipublikasikan dan tautan tidak ditolak "
            "di antaranya.",
        )
        export.set_defaults(handler=self._export)

        imp = commands.add_parser("import", help="Impor berkas jaringan replikasi.")
        imp.add_argument("file", help="Berkas JSON, CSV, XLSX atau ZIP.")
        imp.add_argument(
            "--actor", required=True, help="Nama pengguna Sekretariat yang dicatat di log audit."
        )
        imp.add_argument(
            "--update",
            action="store_true",
            help="Timpa tautan yang sudah ada bila isinya berbeda (bawaan: dilaporkan sebagai "
            "kesalahan).",
        )
        imp.set_defaults(handler=self._import)

    def handle(self, *args: Any, **options: Any) -> None:
        handler: Callable[[dict[str, Any]], None] = options["handler"]
        handler(options)

    def _export(self, options: dict[str, Any]) -> None:
        fmt, public, out = options["format"], options["public"], options["out"]
        if out == "-":
            if fmt == "csv":
                raise CommandError(
                    "Arsip ZIP tidak dapat ditulis ke keluaran standar; sebut berkasnya."
                )
            write_export(sys.stdout.buffer, fmt, public=public)
            sys.stdout.buffer.flush()
            return
        try:
            with Path(out).open("wb") as target:
                write_export(target, fmt, public=public)
        except OSError as error:
            raise CommandError(
                f"Berkas {out} tidak dapat ditulis: {error.strerror or error}"
            ) from error
        part = "publik" if public else "lengkap"
        self.stdout.write(self.style.SUCCESS(f"Ekspor {part} ({fmt}) ditulis ke {out}."))

    def _import(self, options: dict[str, Any]) -> None:
        actor = _actor(options["actor"])
        path = Path(options["file"])
        try:
            handle = path.open("rb")
        except OSError as error:
            raise CommandError(
                f"Berkas {path} tidak dapat dibaca: {error.strerror or error}"
            ) from error
        with handle:
            try:
                result = import_network_file(
                    File(handle, name=path.name), actor=actor, update=options["update"]
                )
            except TableError as error:
                for problem in error.errors:
                    self.stderr.write(str(problem))
                raise CommandError(
                    f"Berkas tidak diterapkan: {len(error.errors)} masalah; tidak ada data yang "
                    "diubah."
                ) from error
            except DomainError as error:
                raise CommandError(error.message) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Impor selesai: {result.links_created} tautan baru, {result.links_updated} "
                f"diperbarui, {result.links_unchanged} sama; {result.nodes_updated} profil "
                f"inovasi diperbarui, {result.nodes_unchanged} sama."
            )
        )
