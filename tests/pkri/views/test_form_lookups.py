# ruff: noqa: F811 (fixtures imported from tests.pkri.forms_factories)
"""Answers naming an innovation or an institution, and the file answers of the evidence
upload, are chosen by name on the PKRI form page (pkri.md §6); the stored value stays
the id, and an id outside the person's choices is refused with nothing saved."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from prima.core.models import AuditEntry
from prima.pkri.enums import FormKind
from prima.pkri.models import FormEvidence
from tests.conftest import client_for
from tests.factories import InnovationFactory, InstitutionFactory, ServiceUnitFactory
from tests.pkri.factories import coaching_form
from tests.pkri.forms_factories import edition, form_a, pdf  # noqa: F401

pytestmark = pytest.mark.django_db


def _page(client, form, **params):
    return client.get(reverse("pkri_form_detail", args=[form.pk]), params).content.decode()


def _post(client, form, **values):
    data = {"version": str(form.version), **values}
    return client.post(reverse("pkri_form_detail", args=[form.pk]), data)


def _selected(page: str, name: str) -> list[str]:
    """The labels of the selected options of the select ``name``."""
    found = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert found, name
    return re.findall(r"<option value=\"\d+\" selected>([^<]*)</option>", found.group(1))


def _options(page: str, name: str) -> list[str]:
    found = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert found, name
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", found.group(1))


@pytest.fixture
def published(institution_b, unit_b):
    """A published innovation of another institution (Kota Surabaya)."""
    return InnovationFactory(unit=unit_b, name="SIPANDU Surabaya", is_published=True)


@pytest.fixture
def hidden(institution_b, unit_b):
    """An unpublished innovation of another institution: operator A may not name it."""
    return InnovationFactory(unit=unit_b, name="Arsip Internal Surabaya", is_published=False)


def test_the_page_shows_the_stored_choices_by_name(operator_a, form_a, published, institution_b):
    form_a.data = {
        "successor_innovation": published.pk,
        "replications": [{"institution": institution_b.pk, "innovation": published.pk}],
    }
    form_a.save(update_fields=["data"])

    page = _page(client_for(operator_a), form_a)

    assert _selected(page, "successor_innovation") == ["SIPANDU Surabaya — Kota Surabaya"]
    assert _selected(page, "replications.0.institution") == ["Pemerintah Kota Surabaya"]
    assert _selected(page, "replications.0.innovation") == ["SIPANDU Surabaya — Kota Surabaya"]
    assert "ID inovasi" not in page and "ID instansi" not in page


def test_a_read_only_page_names_the_choices_too(secretariat, form_a, published):
    form_a.data = {"successor_innovation": published.pk}
    form_a.save(update_fields=["data"])

    page = _page(client_for(secretariat), form_a)

    assert 'id="f-successor_innovation">SIPANDU Surabaya — Kota Surabaya</span>' in page


def test_a_chosen_innovation_is_saved_as_its_id(operator_a, form_a, published, institution_b):
    response = _post(
        client_for(operator_a),
        form_a,
        successor_innovation=str(published.pk),
        **{
            "replications.0.institution": str(institution_b.pk),
            "replications.0.innovation": str(published.pk),
        },
    )

    assert response.status_code == 302
    form_a.refresh_from_db()
    assert form_a.data["successor_innovation"] == published.pk
    assert form_a.data["replications"][0]["institution"] == institution_b.pk
    assert form_a.data["replications"][0]["innovation"] == published.pk


def test_an_innovation_outside_the_persons_choices_is_refused(operator_a, form_a, hidden):
    before = (form_a.data, form_a.version)

    response = _post(client_for(operator_a), form_a, successor_innovation=str(hidden.pk))

    assert response.status_code == 422
    page = response.content.decode()
    assert f"Inovasi #{hidden.pk} tidak dapat dipilih di sini" in page
    assert 'id="f-successor_innovation-err1"' in page
    form_a.refresh_from_db()
    assert (form_a.data, form_a.version) == before
    assert not AuditEntry.objects.filter(action="pkri.form.save").exists()


def test_the_forms_own_innovation_cannot_be_its_successor(operator_a, form_a):
    own = form_a.object.innovation_id
    response = _post(client_for(operator_a), form_a, successor_innovation=str(own))
    assert response.status_code == 422
    assert f"Inovasi #{own} tidak dapat dipilih di sini" in response.content.decode()


def test_an_inactive_institution_is_refused(operator_a, form_a):
    closed = InstitutionFactory(name="Dinas Lama yang Dibubarkan", is_active=False)
    response = _post(
        client_for(operator_a), form_a, **{"replications.0.institution": str(closed.pk)}
    )
    assert response.status_code == 422
    assert f"Instansi #{closed.pk} tidak ada di registri atau tidak aktif" in (
        response.content.decode()
    )


def test_a_replica_must_belong_to_the_replicating_institution(
    operator_a, form_a, published, institution_a
):
    response = _post(
        client_for(operator_a),
        form_a,
        **{
            "replications.0.institution": str(institution_a.pk),
            "replications.0.innovation": str(published.pk),
        },
    )
    assert response.status_code == 422
    assert "milik Pemerintah Kota Surabaya, bukan instansi yang mereplikasi" in (
        response.content.decode()
    )


def test_a_choice_stored_before_stays_acceptable(operator_a, form_a, hidden):
    """An id already on the form (e.g. from the API) is kept when the page is saved."""
    form_a.data = {"successor_innovation": hidden.pk}
    form_a.save(update_fields=["data"])

    response = _post(
        client_for(operator_a), form_a, successor_innovation=str(hidden.pk), still_running="ya"
    )

    assert response.status_code == 302
    form_a.refresh_from_db()
    assert form_a.data["successor_innovation"] == hidden.pk


# --------------------------------------------------------------------------- search


@pytest.fixture
def many(monkeypatch):
    """Lookups too large to list whole: the page shows a search box instead."""
    monkeypatch.setattr("prima.pkri.interfaces.form_lookups.LIST_ALL", 0)


def test_a_large_lookup_shows_a_search_box_and_only_the_chosen_option(
    operator_a, form_a, published, many
):
    page = _page(client_for(operator_a), form_a)

    assert 'name="cari.successor_innovation"' in page
    assert 'aria-label="Cari inovasi untuk «Inovasi pengganti»"' in page
    assert _options(page, "successor_innovation") == []
    assert 'name="_cari" value="successor_innovation"' in page


def test_searching_without_javascript_keeps_the_answers_and_saves_nothing(
    operator_a, form_a, published, hidden, many
):
    response = _post(
        client_for(operator_a),
        form_a,
        _cari="successor_innovation",
        stop_reason_text="Digabung ke layanan kota.",
        **{"cari.successor_innovation": "surabaya"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    # Published innovations and the person's own match; the hidden one is not offered.
    assert "SIPANDU Surabaya — Kota Surabaya" in _options(page, "successor_innovation")
    assert "Arsip Internal Surabaya — Kota Surabaya" not in page
    assert 'value="surabaya"' in page and "Digabung ke layanan kota." in page
    assert "formulir belum disimpan" in page
    form_a.refresh_from_db()
    assert form_a.data == {} and form_a.version == 1


def test_the_search_answers_htmx_with_the_options_only(operator_a, form_a, published, many):
    InnovationFactory.create_batch(22, name="Layanan Cepat", is_published=True)
    client = client_for(operator_a)

    found = _page(
        client,
        form_a,
        pilihan="replications.3.innovation",
        **{"cari.replications.3.innovation": "sipandu"},
    )
    crowded = _page(
        client,
        form_a,
        pilihan="successor_innovation",
        successor_innovation=str(published.pk),
        **{"cari.successor_innovation": "layanan cepat"},
    )

    assert "<html" not in found
    assert re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", found) == [
        "SIPANDU Surabaya — Kota Surabaya"
    ]
    # The chosen option stays, selected; at most 20 matches, then a note.
    assert f'<option value="{published.pk}" selected>SIPANDU Surabaya' in crowded
    assert crowded.count(">Layanan Cepat — ") == 20
    assert "Hanya 20 hasil pertama yang ditampilkan" in crowded


def test_the_search_is_for_those_who_may_edit_and_for_lookup_answers(operator_a, admin_a, form_a):
    url = reverse("pkri_form_detail", args=[form_a.pk])
    # The form is with the unit: the Admin Lokal reads it but does not edit it.
    assert client_for(admin_a).get(url, {"pilihan": "successor_innovation"}).status_code == 403
    assert client_for(operator_a).get(url, {"pilihan": "stop_reason"}).status_code == 404


def test_a_replication_forms_original_is_chosen_among_top_innovations(
    operator_a, edition, unit_a, published
):
    from prima.innovations.models import AwardRecord
    from tests.pkri.forms_factories import object_form

    form = object_form(edition, unit_a, kind=FormKind.REPLICATION)
    AwardRecord.objects.create(
        innovation=published, programme="kipp", year=2019, level="winner", tier="top99"
    )
    other = InnovationFactory(name="Bukan Top", is_published=True)

    page = _page(client_for(operator_a), form)
    refused = _post(client_for(operator_a), form, original_innovation=str(other.pk))

    assert _options(page, "original_innovation") == ["SIPANDU Surabaya — Kota Surabaya"]
    assert refused.status_code == 422
    assert f"Inovasi #{other.pk} bukan inovasi Top KIPP" in refused.content.decode()


def test_a_coaching_programme_covers_innovations_of_the_institution(admin_a, form_a):
    coaching = coaching_form(form_a.locus)
    mine = InnovationFactory(unit=ServiceUnitFactory(institution=form_a.locus.institution))
    client = client_for(admin_a)

    page = _page(client, coaching)
    response = _post(
        client,
        coaching,
        **{
            "institutionalisation_programmes.0.year": "2022",
            "institutionalisation_programmes.0.kind": "sop_adoption",
            "institutionalisation_programmes.0.innovations": [
                str(mine.pk),
                str(form_a.object.innovation_id),
            ],
        },
    )

    template = page[page.index('id="tpl-institutionalisation_programmes"') :]
    assert f"{mine.name} — Kota Payakumbuh" in _options(
        template, "institutionalisation_programmes.__i__.innovations"
    )
    assert response.status_code == 302
    coaching.refresh_from_db()
    assert coaching.data["institutionalisation_programmes"][0]["innovations"] == [
        mine.pk,
        form_a.object.innovation_id,
    ]


# --------------------------------------------------------------------------- evidence


def test_evidence_is_uploaded_for_an_answer_picked_by_its_label(operator_a, form_a):
    form_a.data = {"legal_basis": [{"type": "perda", "number": "1"}]}
    form_a.save(update_fields=["data"])
    client = client_for(operator_a)
    page = _page(client, form_a)
    upload = reverse("pkri_form_evidence_upload", args=[form_a.pk])

    done = client.post(upload, {"field": "legal_basis.0.file", "file": pdf()})

    assert '<option value="sop.file">SOP › Berkas (PDF)</option>' in page
    assert '<option value="legal_basis.0.file">Dasar hukum › baris 1 › Berkas (PDF)</option>' in (
        page
    )
    assert '<optgroup label="Dasar hukum, SOP dan evaluasi">' in page
    assert done.status_code == 302
    evidence = FormEvidence.objects.get(form=form_a)
    form_a.refresh_from_db()
    assert form_a.data["legal_basis"][0]["file"] == evidence.pk
    listed = _page(client, form_a)
    assert f"<td>{evidence.pk}</td><td>Dasar hukum › baris 1 › Berkas (PDF)</td>" in listed


def test_an_answer_not_in_the_list_is_refused_and_nothing_stored(operator_a, form_a):
    client = client_for(operator_a)
    upload = reverse("pkri_form_evidence_upload", args=[form_a.pk])

    # No legal basis row is saved yet, so its file slot is not offered.
    refused = client.post(upload, {"field": "legal_basis.0.file", "file": pdf()})

    assert refused.status_code == 422
    assert "Pilih isian dari daftar." in refused.content.decode()
    assert not FormEvidence.objects.filter(form=form_a).exists()
