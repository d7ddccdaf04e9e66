"""`prima pkri-remind CODE`: e-mail those who still have PKRI forms to submit (at most daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prima.core.domain.errors import DomainError
from prima.core.models import Person
from prima.pkri.domain.forms import forms_open
from prima.pkri.domain.reminders import send_form_reminders
from prima.pkri.queries import pkri_editions


class Command(BaseCommand):
    help = (
        "Kirim pengingat e-mail kepada Admin Lokal dan operator unit yang masih memiliki "
        "formulir PKRI belum dikirim. Setiap orang diingatkan paling banyak sekali sehari; "
        "aman dijalankan berulang (mis. dari cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="Kode penyelenggaraan PKRI, mis. pkri-2024.")
        parser.add_argument(
            "--actor", help="Nama pengguna Sekretariat yang dicatat di log audit (bawaan: sistem)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        edition = pkri_editions().filter(code=options["code"]).first()
        if edition is None:
            raise CommandError(f"Penyelenggaraan PKRI {options['code']} tidak ditemukan.")
        actor = None
        if options.get("actor"):
            actor = Person.objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(f"Pengguna {options['actor']} tidak ditemukan.")
        if not forms_open(edition):
            self.stdout.write(f"{edition.code}: pengisian formulir tidak sedang dibuka.")
            return
        try:
            sent = send_form_reminders(edition, actor=actor)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"{edition.code}: {sent} pengingat terkirim."))
