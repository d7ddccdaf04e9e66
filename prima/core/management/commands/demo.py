"""`prima demo`: migrate, load the national demo dataset once, collect static files, print logins.

Refuses to run unless demo mode is on (`PRIMA_DEMO=1`) or `--force` is given: the demo
creates accounts whose password is printed for everyone to read. A second run finds the
`demo.loaded` audit entry, loads nothing and finishes in seconds.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from prima.core.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from prima.core.demo.loader import demo_mode_enabled, load_demo
from prima.core.demo.plan import DEFAULT_SIZE, SEED
from prima.core.domain.errors import DomainError
from prima.core.enums import Role
from prima.core.management.commands.serve import collect_static_if_needed


class Command(BaseCommand):
    help = (
        "Siapkan basis data demo: migrasi, muat data demo nasional (sekali saja), kumpulkan "
        "berkas statis, dan cetak daftar login. Hanya dalam mode demo (PRIMA_DEMO=1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            type=int,
            default=DEFAULT_SIZE,
            help=f"Jumlah inovasi yang dibuat (bawaan {DEFAULT_SIZE}).",
        )
        parser.add_argument("--seed", type=int, default=SEED, help=f"Benih acak (bawaan {SEED}).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Muat walaupun PRIMA_DEMO tidak aktif (hanya untuk basis data uji).",
        )
        parser.add_argument(
            "--no-static", action="store_true", help="Jangan jalankan collectstatic."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (options["force"] or demo_mode_enabled()):
            raise CommandError(
                "Mode demo tidak aktif. Data demo membuat akun dengan kata sandi yang "
                "dicetak untuk umum, jadi hanya dimuat bila PRIMA_DEMO=1 "
                "(contoh: PRIMA_DEMO=1 prima demo) atau dengan --force pada basis data uji."
            )
        if options["size"] < 3:
            raise CommandError("--size paling sedikit 3 (tiga inovasi nyata Kota Payakumbuh).")
        self.stdout.write("Menyiapkan basis data (migrate)…")
        call_command("migrate", interactive=False, verbosity=0)
        try:
            result = load_demo(actor=None, size=options["size"], seed=options["seed"], force=True)
        except DomainError as error:
            raise CommandError(error.message) from error
        if result.created:
            counts = result.counts
            self.stdout.write(
                self.style.SUCCESS(
                    f"Data demo dimuat dalam {result.seconds:.1f} detik: "
                    f"{counts['institutions']} instansi, {counts['units']} unit pelayanan, "
                    f"{counts['innovations']} inovasi, {counts['replication_links']} tautan "
                    f"replikasi, {counts['awards']} penghargaan."
                )
            )
        else:
            loaded_at = timezone.localtime(result.entry.created_at)
            self.stdout.write(
                f"Data demo sudah dimuat pada {loaded_at:%d-%m-%Y %H:%M}; tidak ada yang diubah."
            )
        if not options["no_static"]:
            collect_static_if_needed(self.stdout)
        self._print_logins()

    def _print_logins(self) -> None:
        port = os.environ.get("PORT", "8000")
        self.stdout.write("")
        self.stdout.write(f"Buka http://127.0.0.1:{port}/ lalu masuk dengan salah satu akun:")
        self.stdout.write(f"(kata sandi semua akun: {DEMO_PASSWORD})")
        self.stdout.write("")
        rows = [("Nama pengguna", "Peran", "Cakupan")]
        for account in DEMO_ACCOUNTS:
            scope = account.unit_name or account.institution_name or "Nasional"
            rows.append((account.username, str(Role(account.role).label), scope))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for number, row in enumerate(rows):
            self.stdout.write(
                "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()
            )
            if number == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
