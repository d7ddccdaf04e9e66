"""`prima kipp-purge-rating-addresses`: delete the address hashes of public benefit ratings
90 days after their edition closed (kipp.md §14 rule 8)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from prima.kipp.domain.benefit import ADDRESS_RETENTION, purge_rating_addresses


class Command(BaseCommand):
    help = (
        "Hapus hash alamat jaringan penilaian kebermanfaatan dari setiap penyelenggaraan yang "
        f"sudah ditutup sekurang-kurangnya {ADDRESS_RETENTION.days} hari. Aman dijalankan "
        "berulang (mis. harian dari cron); setiap penyelenggaraan dibersihkan sekali dan "
        "dicatat di log audit."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        purged = purge_rating_addresses()
        self.stdout.write(
            self.style.SUCCESS(f"Alamat jaringan dihapus dari {purged} penilaian kebermanfaatan.")
        )
