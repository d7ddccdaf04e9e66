"""Innovations owned by the two institutions of the personas, files and API tokens."""

from __future__ import annotations

import datetime as dt
import io
import secrets

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from prima.core.api_auth import digest_of
from prima.core.enums import Role
from prima.core.models import ApiToken
from prima.innovations.models import Category
from tests.factories import InnovationFactory, ReplicationLinkFactory, person_with_role
from tests.innovations.hub_factories import province

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf_upload(name: str = "laporan.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_upload(name: str = "foto.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def innovation_a(unit_a):
    innovation = InnovationFactory(
        unit=unit_a,
        name="SITARANG",
        acronym="SITARANG",
        summary="Sistem informasi tata ruang yang dapat diakses warga dari rumah.",
        started_on=dt.date(2019, 5, 2),
    )
    innovation.categories.set(Category.objects.filter(code="tata_kelola_pemerintahan"))
    return innovation


@pytest.fixture
def innovation_b(unit_b):
    return InnovationFactory(
        unit=unit_b,
        name="Klampid New Generation",
        acronym="KNG",
        summary="Layanan kependudukan daring Kota Surabaya.",
        started_on=dt.date(2018, 1, 15),
    )


@pytest.fixture
def token_for():
    """A function giving a person's fresh API key (only its digest is stored)."""

    def make(person) -> str:
        key = secrets.token_urlsafe(32)
        ApiToken.objects.create(person=person, name="uji", prefix=key[:8], digest=digest_of(key))
        return key

    return make


@pytest.fixture
def admin_b(institution_b):
    """The Admin Lokal of Kota Surabaya (institution_b)."""
    return person_with_role(Role.INSTITUTION_ADMIN, institution=institution_b, username="admin_b")


@pytest.fixture
def claim(innovation_a, innovation_b):
    """Surabaya (replica) claims it replicated Payakumbuh's SITARANG (the original)."""
    return ReplicationLinkFactory(replica=innovation_b, source=innovation_a)


@pytest.fixture
def sumbar(region_a):
    """The province of Sumatera Barat (13), where Kota Payakumbuh lies."""
    return province("13", "Sumatera Barat")


@pytest.fixture
def jatim(region_b):
    """The province of Jawa Timur (35), where Kota Surabaya lies."""
    return province("35", "Jawa Timur")
