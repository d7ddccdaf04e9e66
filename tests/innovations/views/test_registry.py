"""Internal registry pages: list, export, register, detail and edit."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from prima.core.models import AuditEntry
from prima.innovations.models import Category, Innovation
from tests.factories import (
    AwardRecordFactory,
    InnovationFactory,
    ReplicationLinkFactory,
    ServiceUnitFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("innovation_list")
EXPORT = reverse("innovation_export")
CREATE = reverse("innovation_create")


def text(response) -> str:
    return response.content.decode()


class TestList:
    def test_operator_b_sees_only_their_own_unit(
        self, as_client, operator_b, innovation_a, innovation_b
    ):
        response = as_client(operator_b).get(LIST)
        assert response.status_code == 200
        assert "Klampid New Generation" in text(response)
        assert "SITARANG" not in text(response)
        assert response.context["page"].paginator.count == 1

    def test_secretariat_sees_every_institution(
        self, as_client, secretariat, innovation_a, innovation_b
    ):
        response = as_client(secretariat).get(LIST)
        assert response.context["page"].paginator.count == 2
        assert "Daftarkan inovasi" in text(response)

    def test_search_and_filters(self, as_client, secretariat, innovation_a, innovation_b, unit_a):
        health = InnovationFactory(unit=unit_a, name="Klinik Berhenti Merokok", is_digital=False)
        health.categories.set(Category.objects.filter(code="kesehatan"))
        client = as_client(secretariat)

        def names(**params):
            page = client.get(LIST, params).context["page"]
            return {i.name for i in page.object_list}

        assert names(q="klampid") == {"Klampid New Generation"}
        assert names(category="kesehatan") == {"Klinik Berhenti Merokok"}
        assert names(province="35") == {"Klampid New Generation"}
        assert names(digital="tidak") == {"Klinik Berhenti Merokok"}
        assert names(year="2019") == {"SITARANG"}
        assert names(institution=str(innovation_b.institution_id)) == {"Klampid New Generation"}
        # Values that do not parse are ignored rather than breaking the page.
        assert len(names(year="dua ribu", status="hilang", page="x")) == 3

    def test_operator_cannot_widen_scope_by_filtering_on_another_institution(
        self, as_client, operator_b, innovation_a
    ):
        response = as_client(operator_b).get(LIST, {"institution": innovation_a.institution_id})
        assert response.context["page"].paginator.count == 0
        assert "Pemerintah Kota Payakumbuh" not in text(response)

    def test_sorted_and_paginated_by_fifty(self, as_client, secretariat, unit_a):
        for n in range(51):
            InnovationFactory(unit=unit_a, name=f"Inovasi {n:02d}")
        client = as_client(secretariat)
        first = client.get(LIST, {"sort": "nama"})
        assert len(first.context["page"].object_list) == 50
        assert first.context["page"].object_list[0].name == "Inovasi 00"
        assert "Halaman 1 dari 2" in text(first)
        second = client.get(LIST, {"sort": "nama", "page": 2})
        assert [i.name for i in second.context["page"].object_list] == ["Inovasi 50"]

    @pytest.mark.parametrize("who", ["secretariat", "operator_a"])
    def test_fixed_number_of_queries_whatever_the_rows(
        self, who, personas, as_client, unit_a, django_assert_num_queries
    ):
        client = as_client(personas[who])
        expected = {"secretariat": 10, "operator_a": 11}[who]
        InnovationFactory(unit=unit_a).categories.set(Category.objects.all()[:2])
        with django_assert_num_queries(expected):
            assert client.get(LIST).status_code == 200
        for _ in range(6):
            InnovationFactory(unit=unit_a).categories.set(Category.objects.all()[:3])
        with django_assert_num_queries(expected):
            response = client.get(LIST)
        assert response.context["page"].paginator.count == 7


class TestExport:
    def test_csv_holds_the_filtered_scoped_rows(
        self, as_client, operator_b, innovation_a, innovation_b
    ):
        response = as_client(operator_b).get(EXPORT, {"format": "csv", "q": ""})
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        body = response.content.decode("utf-8-sig")
        lines = body.strip().splitlines()
        assert lines[0].startswith("id,nama,akronim,instansi,unit")
        assert len(lines) == 2
        assert "Klampid New Generation" in body
        assert "SITARANG" not in body

    def test_xlsx_follows_filters(self, as_client, secretariat, innovation_a, innovation_b):
        response = as_client(secretariat).get(EXPORT, {"format": "xlsx", "q": "SITARANG"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == ("id", "nama", "akronim")
        assert [r[1] for r in rows[1:]] == ["SITARANG"]
        assert rows[1][8] == "Tata Kelola Pemerintahan"

    def test_export_query_count_is_fixed(
        self, as_client, secretariat, unit_a, django_assert_num_queries
    ):
        client = as_client(secretariat)
        InnovationFactory(unit=unit_a)
        with django_assert_num_queries(8):
            client.get(EXPORT)
        for _ in range(5):
            InnovationFactory(unit=unit_a)
        with django_assert_num_queries(8):
            assert client.get(EXPORT).content.decode("utf-8-sig").count("\n") == 7


class TestCreate:
    def form_data(self, **overrides):
        data = {
            "name": "Sipaduko",
            "acronym": "SIPADUKO",
            "summary": "Sistem pelayanan terpadu untuk kesehatan keluarga.",
            "started_on": "2020-08-17",
            "is_digital": "on",
            "categories": ["kesehatan"],
            "sdg_goals": ["3", "5"],
        }
        data.update(overrides)
        return data

    def test_operator_with_one_unit_gets_it_preselected_and_registers(
        self, as_client, operator_a, unit_a
    ):
        client = as_client(operator_a)
        page = client.get(CREATE)
        assert page.context["form"]["unit"].value() == unit_a.pk
        assert "3. Kehidupan Sehat dan Sejahtera" in text(page)
        assert "Kesehatan" in text(page)

        response = client.post(CREATE, self.form_data(unit=unit_a.pk))

        innovation = Innovation.objects.get(name="Sipaduko")
        assert response.status_code == 302
        assert response["Location"] == reverse("innovation_detail", args=[innovation.pk])
        assert innovation.unit == unit_a
        assert innovation.sdg_goals == [3, 5]
        assert innovation.is_digital
        assert list(innovation.categories.values_list("code", flat=True)) == ["kesehatan"]
        assert AuditEntry.objects.filter(action="innovation.registered").count() == 1

    def test_admin_lokal_chooses_among_the_institution_units(
        self, as_client, admin_a, unit_a, institution_a, unit_b
    ):
        puskesmas = ServiceUnitFactory(institution=institution_a, name="Puskesmas Ibuh")
        page = as_client(admin_a).get(CREATE)
        choices = {value for value, _label in page.context["form"].fields["unit"].choices if value}
        assert {int(str(v)) for v in choices} == {unit_a.pk, puskesmas.pk}
        as_client(admin_a).post(CREATE, self.form_data(unit=puskesmas.pk))
        assert Innovation.objects.get().unit == puskesmas

    def test_secretariat_picks_a_unit_by_id(self, as_client, secretariat, unit_b):
        as_client(secretariat).post(CREATE, self.form_data(unit=unit_b.pk))
        assert Innovation.objects.get().institution == unit_b.institution

    def test_operator_cannot_register_for_another_institution_unit(
        self, as_client, operator_a, unit_b
    ):
        response = as_client(operator_a).post(CREATE, self.form_data(unit=unit_b.pk))
        assert response.status_code == 200
        assert response.context["form"].errors["unit"]
        assert not Innovation.objects.exists()

    def test_future_start_date_is_explained_on_the_field(self, as_client, operator_a, unit_a):
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        response = as_client(operator_a).post(
            CREATE, self.form_data(unit=unit_a.pk, started_on=tomorrow.isoformat())
        )
        assert "tidak boleh di masa depan" in response.context["form"].errors["started_on"][0]
        assert not Innovation.objects.exists()


class TestDetail:
    def test_shows_everything_about_the_innovation(
        self, as_client, operator_a, innovation_a, innovation_b, unit_a
    ):
        AwardRecordFactory(innovation=innovation_a, decree_ref="KepmenPANRB 45/2019")
        AwardRecordFactory(innovation=innovation_a, year=2018, tier="top40", revoked=True)
        innovation_b.is_published = True
        innovation_b.save()
        ReplicationLinkFactory(
            replica=innovation_a,
            source=innovation_b,
            replicated_on=dt.date(2020, 2, 2),
            adaptation="Pengajuan daring",
            differences="Ditambah peta digital",
        )
        local_replica = InnovationFactory(unit=unit_a, name="SITARANG Kecamatan")
        ReplicationLinkFactory(
            replica=local_replica, source=innovation_a, adaptation="Peta tata ruang"
        )

        response = as_client(operator_a).get(reverse("innovation_detail", args=[innovation_a.pk]))
        html = text(response)

        for fragment in (
            "SITARANG",
            "Dinas PUPR Kota Payakumbuh",
            "2 Mei 2019",
            "Tata Kelola Pemerintahan",
            "16. Perdamaian, Keadilan dan Kelembagaan yang Tangguh",
            "Antrean panjang dan berkas yang hilang.",
            "KepmenPANRB 45/2019",
            "dicabut",
            "Mereplikasi dari",
            "Ditambah peta digital",
            "02-02-2020",
            "Direplikasi oleh",
            "Peta tata ruang",
        ):
            assert fragment in html, fragment
        # The Surabaya source is not operator_a's, but it is published: link to its public page.
        assert reverse("public_innovation_detail", args=[innovation_b.pk]) in html
        assert reverse("innovation_detail", args=[innovation_b.pk]) not in html
        assert reverse("innovation_detail", args=[local_replica.pk]) in html
        assert reverse("innovation_edit", args=[innovation_a.pk]) in html

    def test_unpublished_lineage_of_others_is_counted_not_named(
        self, as_client, operator_a, innovation_a, innovation_b
    ):
        ReplicationLinkFactory(replica=innovation_b, source=innovation_a)
        html = text(as_client(operator_a).get(reverse("innovation_detail", args=[innovation_a.pk])))
        assert "Klampid" not in html
        assert "Dan 1 replikasi lain yang belum dipublikasikan." in html

    def test_the_lineage_shows_each_links_review_status(
        self, as_client, operator_a, innovation_a, unit_a
    ):
        kept = InnovationFactory(unit=unit_a, name="SITARANG Kecamatan")
        refused = InnovationFactory(unit=unit_a, name="SITARANG Desa")
        ReplicationLinkFactory(replica=kept, source=innovation_a, status="verified")
        ReplicationLinkFactory(replica=refused, source=innovation_a, status="rejected")
        html = text(as_client(operator_a).get(reverse("innovation_detail", args=[innovation_a.pk])))
        lineage = html[html.index("Direplikasi oleh") :]
        assert lineage.index("SITARANG Kecamatan") < lineage.index("Diverifikasi")
        assert lineage.index("SITARANG Desa") < lineage.index("Ditolak")

    def test_national_viewer_reads_without_edit_buttons(
        self, as_client, innovation_a, django_user_model
    ):
        from prima.core.enums import Role
        from tests.factories import person_with_role

        viewer = person_with_role(Role.VIEWER)
        html = text(as_client(viewer).get(reverse("innovation_detail", args=[innovation_a.pk])))
        assert "SITARANG" in html
        assert reverse("innovation_edit", args=[innovation_a.pk]) not in html

    def test_other_institution_gets_404(self, as_client, operator_b, innovation_a):
        response = as_client(operator_b).get(reverse("innovation_detail", args=[innovation_a.pk]))
        assert response.status_code == 404


class TestEdit:
    def post_data(self, innovation, **overrides):
        data = {
            "name": innovation.name,
            "acronym": innovation.acronym,
            "summary": innovation.summary,
            "problem": innovation.problem,
            "approach": innovation.approach,
            "results": innovation.results,
            "beneficiaries": innovation.beneficiaries,
            "started_on": innovation.started_on.isoformat(),
            "is_digital": "on",
            "categories": ["tata_kelola_pemerintahan"],
            "sdg_goals": ["16"],
            "version": innovation.version,
        }
        data.update(overrides)
        return data

    def test_form_carries_the_version_and_saves(self, as_client, operator_a, innovation_a):
        client = as_client(operator_a)
        url = reverse("innovation_edit", args=[innovation_a.pk])
        page = client.get(url)
        assert 'name="version" value="1"' in text(page)
        response = client.post(url, self.post_data(innovation_a, results="Izin terbit 2 hari."))
        assert response.status_code == 302
        innovation_a.refresh_from_db()
        assert innovation_a.results == "Izin terbit 2 hari."
        assert innovation_a.version == 2

    def test_conflicting_save_is_refused_with_an_explanation(
        self, as_client, operator_a, admin_a, innovation_a
    ):
        url = reverse("innovation_edit", args=[innovation_a.pk])
        # Both load version 1; the Admin Lokal saves first.
        as_client(admin_a).post(url, self.post_data(innovation_a, name="SITARANG Plus"))

        response = as_client(operator_a).post(
            url, self.post_data(innovation_a, name="SITARANG Mobile", version=1)
        )

        assert response.status_code == 409
        html = text(response)
        assert "sudah diubah oleh admin_a" in html
        assert "Buka versi terbaru" in html
        assert 'value="SITARANG Mobile"' in html  # the user's input is not lost
        innovation_a.refresh_from_db()
        assert innovation_a.name == "SITARANG Plus"
        assert innovation_a.version == 2

    def test_unchanged_submission_keeps_the_version(self, as_client, operator_a, innovation_a):
        url = reverse("innovation_edit", args=[innovation_a.pk])
        as_client(operator_a).post(url, self.post_data(innovation_a))
        innovation_a.refresh_from_db()
        assert innovation_a.version == 1
