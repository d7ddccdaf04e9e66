"""KIPP editions: creation from the rule files, freezing, amendments and extensions
(kipp.md §5, §6, §15)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import InstitutionKind
from prima.core.models import AuditEntry
from prima.evaluation.domain.catalogue import load_instrument_file
from prima.evaluation.domain.stages import advance_edition
from prima.evaluation.enums import EditionState, StageStatus
from prima.evaluation.models import Edition
from prima.kipp.domain.editions import (
    advance_kipp_edition,
    amend_rules,
    create_edition,
    extend_registration,
    extensions_of,
    open_registration,
    rules_for,
)
from prima.kipp.models import AdminCheck
from tests.factories import InstitutionFactory, RegionFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
RULES_2025 = ROOT / "editions" / "kipp-2025.yaml"
RULES_2021 = ROOT / "editions" / "kipp-2021.yaml"
WIB = ZoneInfo("Asia/Jakarta")


def wib(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=WIB)


def instrument(name: str = "kipp-2025.yaml"):
    return load_instrument_file(ROOT / "instruments" / name, actor=None)


def edition_2025(actor, **kwargs) -> Edition:
    return create_edition(rules_source=RULES_2025, instrument=instrument(), actor=actor, **kwargs)


def stage(edition: Edition, code: str):
    return edition.stages.get(code=code)


def test_2025_edition_is_created_from_its_files(secretariat):
    edition = edition_2025(secretariat)

    assert (edition.code, edition.year, edition.ordinal, edition.state) == (
        "kipp-2025",
        2025,
        11,
        EditionState.PLANNED,
    )
    assert edition.title == "KIPP 2025"
    assert edition.rules_frozen_at is None
    # Stored as plain JSON that builds to the same rules as the file.
    assert json.loads(json.dumps(edition.rules)) == edition.rules
    assert rules_for(edition).desk_evaluation.selection.passing_grade == 85
    assert edition.registration_close == wib(2025, 6, 3, 23, 59, 59)
    statuses = dict(edition.stages.values_list("code", "status"))
    assert len(statuses) == 10
    # 2025: no panel paper review; the feasibility assessment is the final stage.
    assert statuses[EditionState.PANEL_STAGE] == StageStatus.SKIPPED
    assert statuses[EditionState.FINAL_STAGE] == StageStatus.PENDING
    assert statuses[EditionState.OBJECTION_WINDOW] == StageStatus.PENDING
    registration = stage(edition, EditionState.REGISTRATION_OPEN)
    assert (registration.starts_at, registration.ends_at) == (
        wib(2025, 4, 8),
        wib(2025, 6, 3, 23, 59, 59),
    )
    assert registration.participants_submit
    admin = stage(edition, EditionState.ADMIN_SELECTION)
    assert (admin.starts_at, admin.ends_at) == (wib(2025, 6, 4), wib(2025, 6, 27, 23, 59, 59))
    assert admin.decisions_open
    desk = stage(edition, EditionState.DESK_EVALUATION)
    assert desk.ends_at == wib(2025, 7, 14, 23, 59, 59)  # through the desk plenary
    entry = AuditEntry.objects.get(action="kipp.edition.create")
    assert entry.actor == secretariat and (entry.after or {})["code"] == "kipp-2025"


def test_2021_edition_has_the_panel_review_and_presentation(secretariat):
    edition = create_edition(
        rules_source=str(RULES_2021), instrument=instrument("kipp-2021.yaml"), actor=secretariat
    )

    statuses = dict(edition.stages.values_list("code", "status"))
    assert statuses[EditionState.PANEL_STAGE] == StageStatus.PENDING
    assert statuses[EditionState.FINAL_STAGE] == StageStatus.PENDING
    assert edition.registration_close == wib(2021, 5, 11, 23, 59, 59)
    assert stage(edition, EditionState.RESULTS).starts_at == wib(2021, 7, 29)


def test_every_problem_of_the_rules_is_reported_with_its_path(secretariat):
    text = RULES_2025.read_text(encoding="utf-8")
    text = text.replace("min_age_months: 24", "min_age_months: -1", 1)
    text = text.replace(
        "exclusions: [winner_tier_held, top99_twice]\n    replication_link: forbidden",
        "exclusions: [winner_tier_held, tiga_kali]\n    replication_link: forbidden",
    )

    with pytest.raises(DomainError) as caught:
        create_edition(rules_source=text, instrument=instrument(), actor=secretariat)

    message = caught.value.message
    assert "tidak sah (2 masalah)" in message
    assert "groups.umum.min_age_months" in message
    assert "groups.umum.exclusions[1]" in message and "tiga_kali" in message
    assert not Edition.objects.exists()


def test_yaml_syntax_errors_name_the_line(secretariat):
    with pytest.raises(DomainError, match=r"\(yaml\): baris 3"):
        create_edition(
            rules_source="edition:\n  code: [x\n", instrument=instrument(), actor=secretariat
        )


def test_rules_and_instrument_must_fit(secretariat):
    with pytest.raises(DomainError) as caught:
        create_edition(
            rules_source=RULES_2025, instrument=instrument("kipp-2021.yaml"), actor=secretariat
        )
    assert "proposal_sections" in caught.value.message


def test_an_edition_code_is_created_once(secretariat):
    edition_2025(secretariat)
    with pytest.raises(DomainError, match="sudah ada"):
        edition_2025(secretariat)


def test_only_the_secretariat_creates_editions(admin_a, evaluator):
    for person in (admin_a, evaluator):
        with pytest.raises(PermissionDenied):
            edition_2025(person)


def test_3t_regions_default_to_the_registrys_disadvantaged_governments(secretariat):
    papua = RegionFactory(code="91.01", name="Kabupaten Merauke", level="regency")
    InstitutionFactory(kind=InstitutionKind.REGENCY, region=papua, is_disadvantaged=True)
    InstitutionFactory(kind=InstitutionKind.REGENCY, is_disadvantaged=False)
    InstitutionFactory(kind=InstitutionKind.MINISTRY, region=None, is_disadvantaged=True)

    assert edition_2025(secretariat).region_3t_codes == ["91.01"]


def test_an_explicit_3t_list_is_kept(secretariat):
    edition = edition_2025(secretariat, region_3t_codes=["94.01", "91.01", "91.01"])
    assert edition.region_3t_codes == ["91.01", "94.01"]


def test_opening_registration_freezes_rules_and_instrument(secretariat):
    edition = edition_2025(secretariat)

    open_registration(edition, actor=secretariat, reason="Peluncuran KIPP 2025")

    edition.refresh_from_db()
    assert edition.state == EditionState.REGISTRATION_OPEN
    assert edition.rules_frozen_at is not None
    assert edition.instrument.used_at is not None
    assert stage(edition, EditionState.LAUNCHED).status == StageStatus.CLOSED
    assert stage(edition, EditionState.REGISTRATION_OPEN).status == StageStatus.OPEN
    assert AuditEntry.objects.filter(action="kipp.edition.freeze_rules").count() == 1
    with pytest.raises(DomainError, match="hanya dapat dibuka"):
        open_registration(edition, actor=secretariat)


def test_rules_change_freely_before_registration(secretariat):
    edition = edition_2025(secretariat)

    amend_rules(
        edition,
        {
            "desk_evaluation.selection.passing_grade": 80,
            "calendar.admin_selection": ["2025-06-05", "2025-06-30"],
        },
        reason="",
        actor=secretariat,
    )

    edition.refresh_from_db()
    assert rules_for(edition).desk_evaluation.selection.passing_grade == 80
    admin = stage(edition, EditionState.ADMIN_SELECTION)
    assert (admin.starts_at, admin.ends_at) == (wib(2025, 6, 5), wib(2025, 6, 30, 23, 59, 59))
    assert AuditEntry.objects.filter(action="kipp.edition.edit_rules").exists()


def test_after_freezing_a_change_is_an_amendment_with_reason(secretariat):
    edition = edition_2025(secretariat)
    open_registration(edition, actor=secretariat)

    with pytest.raises(DomainError, match="amandemen") as caught:
        amend_rules(edition, {"tiers[1].size": 40}, reason="", actor=secretariat)
    assert caught.value.field == "reason"

    amend_rules(
        edition, {"tiers[1].size": 40}, reason="Keputusan rapat pleno 12 Mei", actor=secretariat
    )

    edition.refresh_from_db()
    assert rules_for(edition).tier("top45").size == 40
    entry = AuditEntry.objects.get(action="kipp.edition.amend_rules")
    assert entry.before == {"tiers[1].size": 45}
    assert entry.after == {"tiers[1].size": 40}
    assert entry.reason == "Keputusan rapat pleno 12 Mei"


def test_an_amendment_that_breaks_the_rules_lists_every_problem(secretariat):
    edition = edition_2025(secretariat)
    open_registration(edition, actor=secretariat)

    with pytest.raises(DomainError) as caught:
        amend_rules(
            edition,
            {"final_score.components.desk": 0.5, "groups.umum.min_age_months": "dua puluh"},
            reason="Uji perubahan yang salah",
            actor=secretariat,
        )

    assert "final_score.components" in caught.value.message
    assert "groups.umum.min_age_months" in caught.value.message
    edition.refresh_from_db()
    assert rules_for(edition).final_score.components["desk"] == Decimal("0.6")


def test_after_freezing_the_close_moves_only_by_extension(secretariat):
    edition = edition_2025(secretariat)
    open_registration(edition, actor=secretariat)

    with pytest.raises(DomainError, match="perpanjangan"):
        amend_rules(
            edition,
            {"calendar.registration.close": "2025-06-10T23:59"},
            reason="Diperpanjang tanpa surat",
            actor=secretariat,
        )


def test_extension_while_open_keeps_the_history(secretariat):
    edition = edition_2025(secretariat)
    open_registration(edition, actor=secretariat)

    extend_registration(
        edition,
        new_close=wib(2025, 6, 4, 23, 59),
        letter_no="B/120/PP.00.05/2025",
        letter_date=dt.date(2025, 6, 2),
        actor=secretariat,
    )

    edition.refresh_from_db()
    assert edition.registration_close == wib(2025, 6, 4, 23, 59, 59)
    assert stage(edition, EditionState.REGISTRATION_OPEN).ends_at == edition.registration_close
    assert [e["letter_no"] for e in extensions_of(edition)] == ["B/120/PP.00.05/2025"]
    assert rules_for(edition).calendar.registration.end == wib(2025, 6, 3, 23, 59, 59)
    entry = AuditEntry.objects.get(action="kipp.edition.extend_registration")
    assert entry.reason == "B/120/PP.00.05/2025"


def test_extension_needs_a_letter_number_in_the_editions_pattern(secretariat):
    edition = edition_2025(secretariat)
    open_registration(edition, actor=secretariat)

    with pytest.raises(DomainError, match="nomor surat") as caught:
        extend_registration(edition, new_close=wib(2025, 6, 4), letter_no=" ", actor=secretariat)
    assert caught.value.field == "letter_no"
    with pytest.raises(DomainError, match="letter_no"):
        extend_registration(
            edition, new_close=wib(2025, 6, 4), letter_no="120/2025", actor=secretariat
        )
    with pytest.raises(DomainError, match="harus setelah"):
        extend_registration(
            edition, new_close=wib(2025, 6, 1), letter_no="B/1/PP.00.05/2025", actor=secretariat
        )


def test_extension_past_the_next_window_names_the_clash(secretariat):
    edition = edition_2025(secretariat)
    open_registration(edition, actor=secretariat)

    with pytest.raises(DomainError, match=r"calendar\.admin_selection"):
        extend_registration(
            edition,
            new_close=wib(2025, 6, 10, 23, 59),
            letter_no="B/2/PP.00.05/2025",
            actor=secretariat,
        )

    amend_rules(
        edition,
        {"calendar.admin_selection": ["2025-06-11", "2025-06-27"]},
        reason="Jadwal bergeser karena perpanjangan",
        actor=secretariat,
    )
    extend_registration(
        edition,
        new_close=wib(2025, 6, 10, 23, 59),
        letter_no="B/2/PP.00.05/2025",
        actor=secretariat,
    )
    assert edition.registration_close == wib(2025, 6, 10, 23, 59, 59)


def test_extension_after_close_reopens_registration(secretariat):
    edition = edition_2025(secretariat)
    open_registration(edition, actor=secretariat)
    advance_edition(edition, actor=secretariat, reason="Pendaftaran ditutup")
    assert edition.state == EditionState.REGISTRATION_CLOSED

    extend_registration(
        edition, new_close=wib(2025, 6, 4, 12, 0), letter_no="B/7/PP.00.05/2025", actor=secretariat
    )

    edition.refresh_from_db()
    assert edition.state == EditionState.REGISTRATION_OPEN
    assert stage(edition, EditionState.REGISTRATION_OPEN).status == StageStatus.OPEN
    assert stage(edition, EditionState.REGISTRATION_CLOSED).status == StageStatus.PENDING
    assert edition.registration_close == wib(2025, 6, 4, 12, 0)
    # Registration can close again and the history has both states.
    advance_edition(edition, actor=secretariat, reason="Perpanjangan berakhir")
    assert edition.state == EditionState.REGISTRATION_CLOSED


def test_no_extension_once_the_admin_check_has_begun(secretariat):
    edition = edition_2025(secretariat)
    open_registration(edition, actor=secretariat)
    advance_edition(edition, actor=secretariat)
    advance_edition(edition, actor=secretariat)
    assert edition.state == EditionState.ADMIN_SELECTION

    with pytest.raises(DomainError, match="hanya dapat diperpanjang"):
        extend_registration(
            edition, new_close=wib(2025, 6, 4), letter_no="B/9/PP.00.05/2025", actor=secretariat
        )


def test_only_the_secretariat_extends(secretariat, admin_a):
    edition = edition_2025(secretariat)
    open_registration(edition, actor=secretariat)
    with pytest.raises(PermissionDenied):
        extend_registration(
            edition, new_close=wib(2025, 6, 4), letter_no="B/9/PP.00.05/2025", actor=admin_a
        )


def test_advancing_needs_a_reason_freezes_and_starts_the_admin_check(secretariat):
    edition = edition_2025(secretariat)
    with pytest.raises(DomainError, match="alasan"):
        advance_kipp_edition(edition, actor=secretariat, reason=" ")

    advance_kipp_edition(edition, actor=secretariat, reason="Peluncuran")
    assert edition.rules_frozen_at is None
    advance_kipp_edition(edition, actor=secretariat, reason="Pendaftaran dibuka")
    assert edition.rules_frozen_at is not None
    advance_kipp_edition(edition, actor=secretariat, reason="Pendaftaran ditutup")
    opened = advance_kipp_edition(edition, actor=secretariat, reason="Seleksi administrasi")

    assert opened is not None and opened.code == EditionState.ADMIN_SELECTION
    assert edition.state == EditionState.ADMIN_SELECTION
    assert AuditEntry.objects.filter(action="kipp.admin_check.start").count() == 1
    assert not AdminCheck.objects.exists()  # no proposals in this edition


def test_command_creates_an_edition_and_prints_the_result(secretariat):
    out = StringIO()
    call_command(
        "kipp_edition",
        "create",
        "--rules",
        str(RULES_2025),
        "--instrument",
        str(ROOT / "instruments" / "kipp-2025.yaml"),
        "--actor",
        "sekretariat",
        stdout=out,
    )

    text = out.getvalue()
    assert "Penyelenggaraan kipp-2025 «KIPP 2025» dibuat" in text
    assert "Batas pendaftaran: 03-06-2025 23:59 WIB." in text
    assert "1 dilewati" in text
    assert Edition.objects.get(code="kipp-2025").created_by == secretariat
    out = StringIO()
    call_command("kipp_edition", "list", stdout=out)
    assert "kipp-2025" in out.getvalue()


def test_command_reports_problems_as_an_error(tmp_path):
    bad = tmp_path / "kipp-rusak.yaml"
    bad.write_text(
        RULES_2025.read_text(encoding="utf-8").replace("ordinal: 11", "ordinal: nol"),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"edition\.ordinal"):
        call_command(
            "kipp_edition",
            "create",
            "--rules",
            str(bad),
            "--instrument",
            str(ROOT / "instruments" / "kipp-2025.yaml"),
        )
    assert not Edition.objects.exists()


def test_publishing_an_edition_opens_its_public_page_and_is_audited(db, secretariat, client):
    from django.urls import reverse

    from prima.core.models import AuditEntry
    from prima.kipp.domain.editions import set_edition_published
    from tests.kipp.factories import EditionFactory

    edition = EditionFactory(is_published=False)
    public_page = reverse("kipp_public_edition", args=[edition.code])
    assert client.get(public_page).status_code == 404

    set_edition_published(edition, published=True, actor=secretariat)

    assert client.get(public_page).status_code == 200
    assert AuditEntry.objects.filter(action="kipp.edition.publish").count() == 1
