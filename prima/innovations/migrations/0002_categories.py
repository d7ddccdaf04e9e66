"""Seed the registry's sectoral categories (the ten KIPP 2021 categories)."""

from django.db import migrations

CATEGORIES = [
    ("pengentasan_kemiskinan", "Pengentasan Kemiskinan"),
    ("pendidikan", "Pendidikan"),
    ("kesehatan", "Kesehatan"),
    ("ketahanan_pangan", "Ketahanan Pangan"),
    ("pertumbuhan_ekonomi_kesempatan_kerja", "Pertumbuhan Ekonomi dan Kesempatan Kerja"),
    ("pemberdayaan_masyarakat", "Pemberdayaan Masyarakat"),
    ("pelayanan_publik_responsif_gender", "Pelayanan Publik Responsif Gender"),
    ("perlindungan_pelestarian_lingkungan_hidup", "Perlindungan dan Pelestarian Lingkungan Hidup"),
    ("tata_kelola_pemerintahan", "Tata Kelola Pemerintahan"),
    ("penegakan_hukum", "Penegakan Hukum"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("innovations", "Category")
    for position, (code, name) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(code=code, defaults={"name": name, "position": position})


def unseed(apps, schema_editor):
    Category = apps.get_model("innovations", "Category")
    Category.objects.filter(code__in=[code for code, _ in CATEGORIES], innovations=None).delete()


class Migration(migrations.Migration):
    dependencies = [("innovations", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
