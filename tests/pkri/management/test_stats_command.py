"""`prima pkri stats 2024 --json` prints the document of the public statistics API."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from prima.core.enums import InstitutionKind as K
from prima.evaluation.enums import EditionState
from prima.pkri.enums import Group
from prima.pkri.management.stats_command import stats_document
from tests.conftest import client_for
from tests.pkri.public_data import award, bulk_scope, pkri_edition


@pytest.mark.django_db
def test_json_output_is_the_api_document(institution_a):
    edition = pkri_edition(EditionState.RESULTS)
    bulk_scope(
        edition,
        institutions=[institution_a],
        loci={K.AGENCY: 2},
        coaching=1,
        objects={Group.REPLIKASI: 2},
    )
    award(edition, Group.PEMBINAAN, institution=institution_a)
    out = io.StringIO()

    call_command("pkri", "stats", "2024", "--json", stdout=out)

    printed = json.loads(out.getvalue())
    assert printed == client_for(None).get("/api/v1/pkri/editions/2024").json()
    assert printed == stats_document(2024)
    assert printed["sentences"]["T4"].startswith("Sebanyak 1 penghargaan PKRI 2024")


@pytest.mark.django_db
def test_plain_output_and_an_unknown_year(institution_a):
    pkri_edition(EditionState.INTERVIEWS, published=False)
    out = io.StringIO()

    call_command("pkri", "stats", "2024", stdout=out)

    assert out.getvalue().startswith("PKRI 2024\nLokus: 0")
    with pytest.raises(CommandError, match="Tidak ada penyelenggaraan PKRI tahun 2031"):
        call_command("pkri", "stats", "2031")
