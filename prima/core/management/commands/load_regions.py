"""`prima load_regions`: load Indonesia's provinces, regencies and cities (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prima.core.domain import registry
from prima.core.domain.errors import DomainError
from prima.core.models import Person


class Command(BaseCommand):
    help = (
        "Muat wilayah (38 provinsi, 416 kabupaten, 98 kota) dari prima/data/regions.csv "
        "atau dari --file. Aman dijalankan berulang: data yang sama tidak diubah."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file", help="Berkas CSV lain (kolom code,name,level,province_code,population)."
        )
        parser.add_argument(
            "--actor", help="Nama pengguna yang dicatat di log audit (bawaan: sistem)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options.get("actor"):
            actor = Person.objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(f"Pengguna {options['actor']} tidak ditemukan.")
        try:
            result = registry.load_regions(options.get("file"), actor=actor)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Wilayah dimuat: {result.provinces} provinsi, {result.regencies} kabupaten, "
                f"{result.cities} kota ({result.total} baris)."
            )
        )
        self.stdout.write(
            f"Baru: {result.created}; diperbarui: {result.updated}; "
            f"tidak berubah: {result.unchanged}."
        )
