"""The replication-link review pages: the scoped queue with status tabs and filters, the
per-row actions, a link's page with its history, the export and the bulk verification."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from prima.core.models import AuditEntry
from prima.innovations.domain.link_review import (
    confirm_replication_link,
    reject_replication_link,
)
from prima.innovations.enums import LinkOrigin, LinkStatus
from prima.innovations.models import ReplicationLink
from tests.factories import (
    InnovationFactory,
    ReplicationLinkFactory,
    ServiceUnitFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("jipp_link_list")
EXPORT = reverse("jipp_link_export")
REASON = "Bukti replikasi tidak menunjukkan inovasi asal yang disebut."


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def links(innovation_a, innovation_b, unit_a):
    """Surabaya claims to replicate SITARANG (Payakumbuh's original); SITARANG claims to
    replicate an original of a third institution; an unrelated pair is verified."""
    third = InnovationFactory(name="Layanan Jemput Bola Kota Lain")
    return {
        "on_a": ReplicationLinkFactory(
            replica=innovation_b, source=innovation_a, origin=LinkOrigin.PKRI_FORM
        ),
        "by_a": ReplicationLinkFactory(replica=innovation_a, source=third),
        "elsewhere": ReplicationLinkFactory(
            replica=InnovationFactory(name="Replika Tak Terkait"),
            source=InnovationFactory(name="Asal Tak Terkait"),
            status=LinkStatus.VERIFIED,
        ),
    }


def listed(response) -> set[int]:
    return {link.pk for link, _actions in response.context["rows"]}


# --------------------------------------------------------------------------- scope


def test_the_secretariat_sees_every_link(as_client, secretariat, links):
    response = as_client(secretariat).get(LIST)
    assert listed(response) == {link.pk for link in links.values()}


def test_admin_lokal_sees_claims_on_its_originals_and_its_own_claims(as_client, admin_a, links):
    response = as_client(admin_a).get(LIST)
    assert listed(response) == {links["on_a"].pk, links["by_a"].pk}
    rows = dict(response.context["rows"])
    # It reviews the claim on its original, and only follows its own claim.
    assert rows[links["on_a"]] == ["confirm", "reject"]
    assert rows[links["by_a"]] == []
    page = text(response)
    assert reverse("jipp_link_confirm", args=[links["on_a"].pk]) in page
    assert reverse("jipp_link_confirm", args=[links["by_a"].pk]) not in page


def test_an_operator_reads_the_links_of_its_units_innovations(as_client, operator_b, links):
    response = as_client(operator_b).get(LIST)
    assert listed(response) == {links["on_a"].pk}
    assert "Hanya baca" in text(response)
    assert reverse("jipp_link_reject", args=[links["on_a"].pk]) not in text(response)


def test_status_tabs_count_within_the_other_filters(as_client, secretariat, links):
    ReplicationLink.objects.filter(pk=links["by_a"].pk).update(status=LinkStatus.REJECTED)
    response = as_client(secretariat).get(LIST, {"status": "claimed"})
    assert listed(response) == {links["on_a"].pk}
    tabs = {code: n for code, _label, n in response.context["tabs"]}
    assert tabs == {"": 3, "claimed": 1, "confirmed": 0, "verified": 1, "rejected": 1}

    response = as_client(secretariat).get(LIST, {"origin": "pkri_form"})
    tabs = {code: n for code, _label, n in response.context["tabs"]}
    assert tabs[""] == 1 and tabs["claimed"] == 1 and tabs["verified"] == 0


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "sitarang"}, {"on_a", "by_a"}),
        ({"q": "Tak Terkait"}, {"elsewhere"}),
        ({"province": "35"}, {"on_a"}),  # Surabaya's replica of SITARANG
        ({"origin": "manual"}, {"by_a", "elsewhere"}),
        ({"status": "bukan-status"}, {"on_a", "by_a", "elsewhere"}),
    ],
)
def test_filters(as_client, secretariat, links, params, expected):
    response = as_client(secretariat).get(LIST, params)
    assert listed(response) == {links[name].pk for name in expected}


def test_the_side_filter_splits_an_admins_queue(as_client, admin_a, links):
    assert listed(as_client(admin_a).get(LIST, {"side": "asal"})) == {links["on_a"].pk}
    assert listed(as_client(admin_a).get(LIST, {"side": "replika"})) == {links["by_a"].pk}


@pytest.mark.parametrize("who", ["evaluator", "nobody"])
def test_people_without_a_registry_role_are_refused(as_client, personas, who):
    assert as_client(personas[who]).get(LIST).status_code == 403


@pytest.mark.parametrize("who", ["secretariat", "admin_a"])
def test_queue_query_count_does_not_grow_with_rows(
    as_client, personas, who, innovation_a, django_assert_num_queries
):
    client = as_client(personas[who])
    ReplicationLinkFactory(source=innovation_a)
    client.get(LIST)  # warm the session and the access cache
    expected = {"secretariat": 7, "admin_a": 7}[who]
    with django_assert_num_queries(expected):
        assert client.get(LIST).status_code == 200
    for _ in range(6):
        ReplicationLinkFactory(source=innovation_a, replica__unit=ServiceUnitFactory())
    with django_assert_num_queries(expected):
        response = client.get(LIST)
    assert len(response.context["rows"]) == 7


# --------------------------------------------------------------------------- actions


def test_admin_confirms_from_the_queue_and_returns_to_it(as_client, admin_a, links):
    back = LIST + "?status=claimed"
    response = as_client(admin_a).post(
        reverse("jipp_link_confirm", args=[links["on_a"].pk]), {"next": back}
    )
    assert response.status_code == 302 and response.url == back
    fresh = ReplicationLink.objects.get(pk=links["on_a"].pk)
    assert fresh.status == LinkStatus.CONFIRMED and fresh.reviewed_by == admin_a
    assert AuditEntry.objects.filter(action="replication.confirmed").count() == 1


def test_an_outside_next_is_not_followed(as_client, admin_a, links):
    link = links["on_a"]
    response = as_client(admin_a).post(
        reverse("jipp_link_confirm", args=[link.pk]), {"next": "https://contoh.example/"}
    )
    assert response.url == reverse("jipp_link_detail", args=[link.pk])


def test_a_short_reason_shows_the_form_again_and_changes_nothing(as_client, admin_a, links):
    link = links["on_a"]
    response = as_client(admin_a).post(
        reverse("jipp_link_reject", args=[link.pk]), {"reason": "Tidak benar."}
    )
    assert response.status_code == 422
    page = text(response)
    assert "minimal 20 karakter (tertulis 12 karakter)" in page
    assert "Tidak benar." in page  # what was typed is kept
    assert ReplicationLink.objects.get(pk=link.pk).status == LinkStatus.CLAIMED
    assert not AuditEntry.objects.filter(action="replication.rejected").exists()


def test_admin_rejects_with_a_reason(as_client, admin_a, links):
    link = links["on_a"]
    response = as_client(admin_a).post(
        reverse("jipp_link_reject", args=[link.pk]), {"reason": REASON}
    )
    assert response.status_code == 302
    fresh = ReplicationLink.objects.get(pk=link.pk)
    assert (fresh.status, fresh.review_note) == (LinkStatus.REJECTED, REASON)


def test_the_replicas_admin_may_not_review_its_own_claim(as_client, admin_b, links):
    link = links["on_a"]
    for name in ("jipp_link_confirm", "jipp_link_verify", "jipp_link_reject", "jipp_link_reopen"):
        response = as_client(admin_b).post(reverse(name, args=[link.pk]), {"reason": REASON})
        assert response.status_code == 403, name
    assert ReplicationLink.objects.get(pk=link.pk).status == LinkStatus.CLAIMED


def test_a_link_outside_the_queue_is_not_found(as_client, admin_a, links):
    response = as_client(admin_a).post(reverse("jipp_link_confirm", args=[links["elsewhere"].pk]))
    assert response.status_code == 404


def test_a_refused_state_change_is_reported(as_client, admin_a, secretariat, links):
    link = links["on_a"]
    reject_replication_link(link, reason=REASON, actor=secretariat)
    response = as_client(admin_a).post(reverse("jipp_link_confirm", args=[link.pk]), follow=True)
    assert "berstatus «Ditolak»" in text(response)


def test_secretariat_reopens_from_the_detail_page(as_client, secretariat, links):
    link = links["on_a"]
    reject_replication_link(link, reason=REASON, actor=secretariat)
    response = as_client(secretariat).post(
        reverse("jipp_link_reopen", args=[link.pk]),
        {"reason": "Instansi asal mengirim bukti kunjungan yang baru."},
    )
    assert response.status_code == 302
    assert ReplicationLink.objects.get(pk=link.pk).status == LinkStatus.CLAIMED


# --------------------------------------------------------------------------- detail


def test_the_detail_page_shows_status_review_and_history(as_client, admin_a, secretariat, links):
    link = links["on_a"]
    confirm_replication_link(link, actor=admin_a, note="Sesuai kunjungan lapangan.")
    reject_replication_link(link, reason=REASON, actor=secretariat)

    response = as_client(admin_a).get(reverse("jipp_link_detail", args=[link.pk]))

    assert response.status_code == 200
    page = text(response)
    assert "Ditolak" in page and REASON in page
    history = response.context["history"]
    assert [(entry.action, before, after) for entry, before, after in history] == [
        ("replication.confirmed", "Diklaim", "Dikonfirmasi instansi asal"),
        ("replication.rejected", "Dikonfirmasi instansi asal", "Ditolak"),
    ]
    assert response.context["actions"] == []  # Admin Lokal cannot undo a rejection


def test_the_detail_page_of_a_link_outside_the_scope_is_not_found(as_client, operator_a, links):
    url = reverse("jipp_link_detail", args=[links["elsewhere"].pk])
    assert as_client(operator_a).get(url).status_code == 404


# --------------------------------------------------------------------------- export


def test_the_csv_holds_the_filtered_scoped_rows(as_client, admin_a, links):
    response = as_client(admin_a).get(EXPORT, {"side": "asal"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("id,status,asal_data,inovasi_replika")
    assert len(lines) == 2
    assert "Klampid New Generation" in lines[1] and "SITARANG" in lines[1]
    assert "Diklaim" in lines[1] and "Formulir PKRI" in lines[1]


def test_the_xlsx_export(as_client, secretariat, links):
    response = as_client(secretariat).get(EXPORT, {"format": "xlsx", "status": "verified"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][3] == "Replika Tak Terkait"


def test_export_query_count_does_not_grow(
    as_client, secretariat, innovation_a, django_assert_num_queries
):
    client = as_client(secretariat)
    ReplicationLinkFactory(source=innovation_a)
    client.get(EXPORT)
    with django_assert_num_queries(5):
        client.get(EXPORT)
    for _ in range(5):
        ReplicationLinkFactory(source=innovation_a)
    with django_assert_num_queries(5):
        assert client.get(EXPORT).content.decode("utf-8-sig").count("\n") == 7


# --------------------------------------------------------------------------- bulk


def test_bulk_verification_from_the_queue(as_client, secretariat, links, innovation_a):
    extra = ReplicationLinkFactory(source=innovation_a)
    response = as_client(secretariat).post(
        reverse("jipp_link_verify_bulk"), {"link": [links["on_a"].pk, extra.pk]}, follow=True
    )
    assert "2 tautan replikasi telah diverifikasi" in text(response)
    assert set(
        ReplicationLink.objects.filter(pk__in=[links["on_a"].pk, extra.pk]).values_list(
            "status", flat=True
        )
    ) == {"verified"}


def test_bulk_verification_refuses_all_when_one_cannot_be_verified(as_client, secretariat, links):
    response = as_client(secretariat).post(
        reverse("jipp_link_verify_bulk"),
        {"link": [links["on_a"].pk, links["elsewhere"].pk]},
        follow=True,
    )
    assert "Tidak ada yang diverifikasi" in text(response)
    assert ReplicationLink.objects.get(pk=links["on_a"].pk).status == LinkStatus.CLAIMED


def test_bulk_verification_is_for_the_secretariat(as_client, admin_a, links):
    response = as_client(admin_a).post(
        reverse("jipp_link_verify_bulk"), {"link": [links["on_a"].pk]}
    )
    assert response.status_code == 403


# --------------------------------------------------------------------------- dashboard, menu


def test_dashboard_counts_claims_waiting_for_the_admin(as_client, admin_a, links):
    page = text(as_client(admin_a).get(reverse("dashboard")))
    assert "1 klaim replikasi menunggu konfirmasi" in page
    assert "menunggu verifikasi" not in page
    assert 'href="/inovasi/jipp/tautan/"' in page  # the menu entry


def test_dashboard_counts_for_the_secretariat(as_client, secretariat, links):
    confirm_replication_link(links["by_a"], actor=secretariat)
    page = text(as_client(secretariat).get(reverse("dashboard")))
    assert "1 klaim replikasi menunggu konfirmasi" in page
    assert "1 tautan terkonfirmasi menunggu verifikasi" in page


def test_operators_get_no_panel_but_the_menu_entry(as_client, operator_a, links):
    page = text(as_client(operator_a).get(reverse("dashboard")))
    assert "menunggu konfirmasi" not in page
    assert 'href="/inovasi/jipp/tautan/"' in page
