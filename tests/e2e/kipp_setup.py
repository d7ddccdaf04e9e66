"""Starting data and small browser helpers for the KIPP end-to-end flow.

Only the cast and the edition are built here (factories); everything the flow does after
that happens through the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from playwright.sync_api import Locator, Page, expect

from prima.core.enums import Role
from prima.core.models import Person, ServiceUnit
from prima.evaluation.models import Edition
from prima.innovations.models import Innovation
from tests.e2e.test_operator_registers_innovation import log_in, minimal_pdf
from tests.factories import InnovationFactory, person_with_role
from tests.kipp.factories import EditionFactory

__all__ = ["Cast", "build_cast", "log_in", "log_out", "nav", "numbered_pdf", "open_menu"]

EVALUATORS = ("penilai_satu", "penilai_dua", "penilai_tiga")


@dataclass(frozen=True)
class Cast:
    edition: Edition
    innovation: Innovation
    evaluators: tuple[Person, ...]


def build_cast(unit: ServiceUnit) -> Cast:
    """A 2025 edition open for registration (every later stage pending), an innovation of
    the unit running since March 2021 (well over the 24 months of Kelompok Umum), and
    three evaluators from outside the proposing institution."""
    edition = cast(Edition, EditionFactory(code="kipp-2025-uji", title="KIPP 2025 Uji"))
    innovation = cast(
        Innovation,
        InnovationFactory(
            unit=unit,
            name="SIPANDU",
            acronym="Sistem Pelayanan Terpadu",
            sdg_goals=[3, 16],
        ),
    )
    evaluators = tuple(
        person_with_role(Role.EVALUATOR, username=name, full_name=f"Penilai {name[7:].title()}")
        for name in EVALUATORS
    )
    return Cast(edition=edition, innovation=innovation, evaluators=evaluators)


def numbered_pdf(n: int) -> bytes:
    """A valid PDF whose bytes (and so SHA-256) differ per n; duplicates are refused."""
    return minimal_pdf() + b"%% lampiran %d\n" % n


def nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Navigasi utama")


def open_menu(page: Page, menu: str, item: str) -> None:
    """Open a dropdown of the main navigation and follow one of its entries."""
    nav(page).get_by_role("button", name=menu, exact=True).or_(
        nav(page).get_by_role("link", name=menu, exact=True)
    ).click()
    nav(page).get_by_role("link", name=item, exact=True).click()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("link", name="Masuk", exact=True)).to_be_visible()
