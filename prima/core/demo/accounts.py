"""One demo login per role, all with the same demo password (demo mode only)."""

from __future__ import annotations

from dataclasses import dataclass

from prima.core.enums import Role

DEMO_PASSWORD = "Prima-Demo-2025"
# Demo addresses use a reserved domain, so no e-mail ever reaches a real person.
EMAIL_DOMAIN = "prima-demo.example"

PAYAKUMBUH = "Pemerintah Kota Payakumbuh"
SURABAYA = "Pemerintah Kota Surabaya"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    position: str
    role: str
    institution_name: str = ""
    unit_name: str = ""

    @property
    def email(self) -> str:
        return f"{self.username}@{EMAIL_DOMAIN}"


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "sekretariat",
        "Ratna Dewi Lestari",
        "Analis Kebijakan, Deputi Bidang Pelayanan Publik KemenPANRB",
        Role.SECRETARIAT,
    ),
    DemoAccount(
        "admin.payakumbuh",
        "Fajar Ramadhan",
        "Kepala Bagian Organisasi Sekretariat Daerah Kota Payakumbuh",
        Role.INSTITUTION_ADMIN,
        institution_name=PAYAKUMBUH,
    ),
    DemoAccount(
        "operator.pupr.payakumbuh",
        "Yulia Permata Sari",
        "Pengelola Layanan Tata Ruang",
        Role.UNIT_OPERATOR,
        institution_name=PAYAKUMBUH,
        unit_name="Dinas Pekerjaan Umum dan Penataan Ruang Kota Payakumbuh",
    ),
    DemoAccount(
        "operator.dukcapil.surabaya",
        "Bagus Prasetyo",
        "Pengelola Layanan Administrasi Kependudukan",
        Role.UNIT_OPERATOR,
        institution_name=SURABAYA,
        unit_name="Dinas Kependudukan dan Pencatatan Sipil Kota Surabaya",
    ),
    DemoAccount("evaluator", "Dr. Hendra Wijaya", "Dosen Administrasi Publik", Role.EVALUATOR),
    DemoAccount("panelis", "Prof. Sri Handayani", "Anggota Tim Panel Independen", Role.PANELIST),
    DemoAccount("verifikator", "Agus Salim", "Verifikator Lapangan", Role.VERIFIER),
    DemoAccount("analis", "Maya Anggraini", "Analis Data Pelayanan Publik", Role.ANALYST),
    DemoAccount("pemantau", "Bambang Sutrisno", "Auditor (akses baca)", Role.VIEWER),
)
