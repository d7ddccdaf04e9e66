"""Creating a PKRI edition on `/pkri/baru/` from an uploaded rule file (pkri.md §5)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prima.awards.models import AwardCategory
from prima.core.models import AuditEntry
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Edition
from prima.pkri.domain.editions import EDITIONS_DIR
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/pkri/baru/"
REAL = (EDITIONS_DIR / "pkri-2024.yaml").read_text(encoding="utf-8")


def _upload(text: str | bytes, name: str = "aturan.yaml") -> SimpleUploadedFile:
    content = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, content, content_type="application/x-yaml")


def _as_2025(text: str = REAL) -> str:
    return (
        text.replace("code: pkri-2024", "code: pkri-2025")
        .replace("year: 2024", "year: 2025")
        .replace("ordinal: 1", "ordinal: 2")
    )


def test_the_url_and_the_link_on_the_edition_list(secretariat):
    assert reverse("pkri_edition_create") == URL
    page = client_for(secretariat).get(reverse("pkri_edition_list")).content.decode()
    assert URL in page


def test_the_real_rule_file_with_another_code_creates_the_edition(secretariat):
    client = client_for(secretariat)

    response = client.post(URL, {"file": _upload(_as_2025())})

    edition = Edition.objects.get(code="pkri-2025")
    assert response.status_code == 302
    assert response["Location"] == reverse("pkri_edition_dashboard", args=["pkri-2025"])
    assert (edition.programme, edition.year, edition.state) == (
        "pkri",
        2025,
        EditionState.SCOPE_DRAFT,
    )
    assert edition.instrument.code == "pkri-default-v1"
    assert edition.stages.count() > 5
    assert set(AwardCategory.objects.filter(edition=edition).values_list("code", flat=True)) == {
        "pembinaan",
        "keberlanjutan",
        "replikasi",
    }
    entry = AuditEntry.objects.get(action="pkri.edition.create")
    assert entry.actor_id == secretariat.pk
    assert "pkri-2025" in client.get(response["Location"]).content.decode()


def _refused(secretariat, upload) -> list[str]:
    """The problems listed on the page (each `path: message`); nothing was created."""
    response = client_for(secretariat).post(URL, {"file": upload})
    assert response.status_code == 422
    assert not Edition.objects.filter(programme="pkri").exists()
    assert not AuditEntry.objects.filter(action="pkri.edition.create").exists()
    problems = [str(p) for p in response.context["problems"]]
    page = response.content.decode()
    for problem in response.context["problems"]:
        assert f"<code>{problem.path}</code>" in page
    return problems


def test_every_problem_is_listed_with_its_path_and_nothing_is_created(secretariat):
    broken = (
        _as_2025()
        .replace("programme: pkri", "programme: kipp")
        .replace("city: 5,", "city: 5, desa: 1,")
        .replace("awards: 38", "awards: 30")
    )

    problems = _refused(secretariat, _upload(broken))

    assert problems == [
        "edition.programme: harus 'pkri'",
        "groups.pembinaan.award_slots.desa: jenis instansi tidak dikenal",
        "totals_check.awards: jumlah penghargaan kelompok 68, tertulis 75",
    ]


@pytest.mark.parametrize(
    "content, expected",
    [
        ("edition:\n  code: pkri-2025\n  year: 2025\n tahun: x\n", "(berkas) baris 4, kolom 2"),
        ("- sebuah\n- daftar\n", "(akar): harus berupa pemetaan"),
        ("edition: pkri-2025\nscope: {}\n", "edition: harus berupa pemetaan"),
        ("edition: {}\ngroups: {pembinaan: 5}\n", "groups.pembinaan: harus berupa pemetaan"),
        (b"\xff\xfe\x00bukan utf8", "(berkas): bukan teks UTF-8"),
        ("edition: {programme: pkri}\n", "calendar: wajib diisi"),
    ],
)
def test_broken_files_are_refused_in_indonesian(secretariat, content, expected):
    problems = _refused(secretariat, _upload(content))

    assert any(problem.startswith(expected) for problem in problems), problems


def test_a_code_the_pages_cannot_address_is_refused(secretariat):
    problems = _refused(
        secretariat, _upload(_as_2025().replace("code: pkri-2025", "code: PKRI 2025"))
    )

    assert len(problems) == 1
    assert problems[0].startswith("edition.code: 'PKRI 2025' tidak dapat dipakai")


def test_an_existing_code_is_refused_and_nothing_more_is_created(secretariat):
    client = client_for(secretariat)
    client.post(URL, {"file": _upload(_as_2025())})

    again = client.post(URL, {"file": _upload(_as_2025())})

    assert again.status_code == 422
    assert "sudah ada" in again.content.decode()
    assert Edition.objects.filter(programme="pkri").count() == 1


def test_a_file_is_required_and_size_is_bounded(secretariat):
    client = client_for(secretariat)
    assert client.post(URL, {}).status_code == 422
    _refused(secretariat, _upload("#" * (256 * 1024 + 1)))
