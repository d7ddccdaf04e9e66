"""`prima kipp-edition`: create a KIPP edition from its rule set and instrument files.

    prima kipp-edition create --rules editions/kipp-2025.yaml \\
        --instrument instruments/kipp-2025.yaml
    prima kipp-edition list

Every problem in the files is printed with its path; any error exits with status 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from prima.core.domain.errors import DomainError
from prima.core.models import Person
from prima.evaluation.domain.catalogue import load_instrument_file
from prima.evaluation.models import Edition
from prima.kipp.domain.editions import create_edition


class Command(BaseCommand):
    help = (
        "Kelola penyelenggaraan KIPP. `create`: buat penyelenggaraan dari berkas aturan "
        "(editions/*.yaml) dan instrumen (instruments/*.yaml); `list`: tampilkan yang ada."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        create = commands.add_parser("create", help="Buat penyelenggaraan baru.")
        create.add_argument(
            "--rules", required=True, help="Berkas aturan, mis. editions/kipp-2025.yaml."
        )
        create.add_argument(
            "--instrument", required=True, help="Berkas instrumen, mis. instruments/kipp-2025.yaml."
        )
        create.add_argument("--title", default="", help="Nama tampilan (bawaan: «KIPP <tahun>»).")
        create.add_argument(
            "--region-3t",
            help="Berkas berisi kode wilayah 3T, satu per baris (bawaan: wilayah pemerintah "
            "daerah yang ditandai 3T di registri).",
        )
        create.add_argument(
            "--actor", help="Nama pengguna Sekretariat yang dicatat di log audit (bawaan: sistem)."
        )
        commands.add_parser("list", help="Tampilkan penyelenggaraan KIPP.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list()
            return
        actor = None
        if options.get("actor"):
            actor = Person.objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(f"Pengguna {options['actor']} tidak ditemukan.")
        codes = None
        if options.get("region_3t"):
            path = Path(options["region_3t"])
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except OSError as error:
                raise CommandError(
                    f"Berkas wilayah 3T {path.name} tidak dapat dibaca: {error.strerror or error}"
                ) from error
            codes = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
        try:
            instrument = load_instrument_file(options["instrument"], actor=actor)
            edition = create_edition(
                rules_source=Path(options["rules"]),
                instrument=instrument,
                actor=actor,
                region_3t_codes=codes,
                title=options.get("title") or "",
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        close = (
            timezone.localtime(edition.registration_close) if edition.registration_close else None
        )
        stages = edition.stages.order_by("position")
        skipped = [s.get_code_display() for s in stages if s.status == "skipped"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Penyelenggaraan {edition.code} «{edition.title}» dibuat dengan instrumen "
                f"{instrument.code} versi {instrument.version}."
            )
        )
        if close is not None:
            self.stdout.write(f"Batas pendaftaran: {close:%d-%m-%Y %H:%M} WIB.")
        self.stdout.write(
            f"Tahap: {stages.count()} ({len(skipped)} dilewati"
            + (f": {', '.join(str(s) for s in skipped)}" if skipped else "")
            + f"); daerah 3T: {len(edition.region_3t_codes)} kode wilayah."
        )

    def _list(self) -> None:
        editions = Edition.objects.filter(programme="kipp").order_by("-year", "code")
        if not editions:
            self.stdout.write("Belum ada penyelenggaraan KIPP.")
            return
        for edition in editions:
            self.stdout.write(f"{edition.code}\t{edition.title}\t{edition.get_state_display()}")
