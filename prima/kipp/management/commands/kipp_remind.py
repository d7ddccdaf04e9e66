"""`prima kipp-remind`: e-mail assessors whose sheets are not yet final (at most daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from prima.core.domain.errors import DomainError
from prima.core.models import Person
from prima.evaluation.enums import StageStatus
from prima.evaluation.models import Edition
from prima.kipp.domain.reminders import send_assessor_reminders
from prima.kipp.queries import scoring_stage


class Command(BaseCommand):
    help = (
        "Kirim pengingat e-mail kepada penilai (Tim Evaluasi/TPI) yang masih memiliki lembar "
        "nilai belum final pada tahap penilaian yang berjalan. Setiap penilai diingatkan "
        "paling banyak sekali sehari; aman dijalankan berulang (mis. dari cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--edition", help="Kode penyelenggaraan (bawaan: semua yang sedang menilai)."
        )
        parser.add_argument(
            "--days-left",
            type=int,
            help="Kirim hanya bila tenggat tahap tinggal N hari atau kurang.",
        )
        parser.add_argument(
            "--actor", help="Nama pengguna Sekretariat yang dicatat di log audit (bawaan: sistem)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days_left = options.get("days_left")
        if days_left is not None and days_left < 0:
            raise CommandError("--days-left tidak boleh negatif.")
        actor = None
        if options.get("actor"):
            actor = Person.objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(f"Pengguna {options['actor']} tidak ditemukan.")
        editions = Edition.objects.filter(programme="kipp").order_by("-year", "code")
        if options.get("edition"):
            editions = editions.filter(code=options["edition"])
            if not editions.exists():
                raise CommandError(f"Penyelenggaraan {options['edition']} tidak ditemukan.")
        else:
            editions = editions.filter(
                stages__status=StageStatus.OPEN, stages__assessors_score=True
            ).distinct()
        total = 0
        for edition in editions:
            stage = scoring_stage(edition)
            if stage is None:
                self.stdout.write(f"{edition.code}: tidak ada tahap penilaian yang berjalan.")
                continue
            deadline = (
                timezone.localtime(stage.ends_at).strftime("%d-%m-%Y %H:%M") + " WIB"
                if stage.ends_at
                else "belum ditetapkan"
            )
            try:
                sent = send_assessor_reminders(edition, actor=actor, days_left=days_left)
            except DomainError as exc:
                raise CommandError(exc.message) from exc
            total += sent
            self.stdout.write(
                f"{edition.code} — {stage.get_code_display()} (tenggat {deadline}): "
                f"{sent} pengingat terkirim."
            )
        self.stdout.write(self.style.SUCCESS(f"Jumlah pengingat terkirim: {total}."))
