"""The public benefit rating (penilaian kebermanfaatan, kipp.md §14) and its place in the
§13 final score.

The 2025 rule set rates from 1 to 7 August 2025 (WIB), at least 30 valid ratings for a
score, 20 ratings per account per day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import Role
from prima.core.models import AuditEntry
from prima.evaluation.enums import AssessorRole, EditionState, StageStatus
from prima.kipp.domain.benefit import (
    address_hashes,
    benefit_summaries,
    edition_closed_at,
    exclusion_of,
    median_hourly_count,
    public_benefit_scores,
    public_results,
    purge_rating_addresses,
    rateable_proposals,
    rating_value,
    rating_window,
    ratings_of_citizen,
    release_ratings,
    submit_rating,
    suspect_ratings,
    window_state,
)
from prima.kipp.domain.decisions import final_score_rows, mark_presented
from prima.kipp.enums import ProposalState
from prima.kipp.models import (
    BenefitRating,
    BenefitRatingKey,
    RatingExclusion,
    RatingRelationship,
    RatingSuspicion,
)
from tests.factories import CitizenFactory, InnovationFactory, person_with_role
from tests.kipp.domain.test_decisions import evaluator
from tests.kipp.domain.test_decisions import finalist as scored_finalist
from tests.kipp.factories import (
    AppointmentFactory,
    BenefitRatingFactory,
    EditionFactory,
    ProposalFactory,
    announce_finalists,
)

D = Decimal
S = ProposalState
WIB = ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def at(day: int, hour: int = 10, minute: int = 0, second: int = 0) -> dt.datetime:
    """A moment in August 2025, WIB."""
    return dt.datetime(2025, 8, day, hour, minute, second, tzinfo=WIB)


@pytest.fixture
def edition(db):
    return EditionFactory(stages=EditionState.FINAL_STAGE)


def finalist(edition, title: str, **kwargs):
    return ProposalFactory(
        edition=edition,
        innovation=InnovationFactory(name=title, **kwargs),
        state=S.CONFIRMED_FINALIST,
        participant_state=S.CONFIRMED_FINALIST,
    )


@pytest.fixture
def finalists(edition):
    """Two announced finalists: «Klinik Keliling» and «Layanan Jemput Bola»."""
    b = finalist(edition, "Layanan Jemput Bola")
    a = finalist(edition, "Klinik Keliling")
    announce_finalists(edition, [b, a])
    return a, b


def rate(proposal, *, citizen=None, at_=None, address="203.0.113.7", **answers):
    fields = {
        "relationship": RatingRelationship.USED_MYSELF,
        "benefit": 4,
        "adoption": 5,
        "affiliated": False,
        "comment": "",
        **answers,
    }
    return submit_rating(
        citizen=citizen or CitizenFactory(),
        proposal=proposal,
        address=address,
        now=at_ or at(2),
        **fields,
    )


def refused(field: str | None = None, match: str | None = None):
    """Context: a DomainError (naming `field`) and nothing stored."""

    class _Refused:
        def __enter__(self):
            self.before = BenefitRating.objects.count()
            self.raises = pytest.raises(DomainError, match=match)
            self.info = self.raises.__enter__()
            return self.info

        def __exit__(self, *exc):
            handled = self.raises.__exit__(*exc)
            assert self.info.value.field == field
            assert BenefitRating.objects.count() == self.before
            return handled

    return _Refused()


# --------------------------------------------------------------------------- value


@pytest.mark.parametrize(
    ("benefit", "adoption", "value"),
    [(1, 1, "0.00"), (5, 5, "100.00"), (4, 3, "62.50"), (3, 4, "62.50"), (5, 4, "87.50")],
)
def test_value_is_the_mean_answer_on_a_0_to_100_scale(benefit, adoption, value):
    assert rating_value(benefit, adoption) == D(value)


@given(st.integers(1, 5), st.integers(1, 5))
def test_value_lies_in_0_100_and_rises_with_each_answer(benefit, adoption):
    value = rating_value(benefit, adoption)
    assert D(0) <= value <= D(100)
    assert value == value.quantize(D("0.01"))
    if benefit < 5:
        assert rating_value(benefit + 1, adoption) > value
    if adoption < 5:
        assert rating_value(benefit, adoption + 1) > value


@pytest.mark.parametrize("answers", [(0, 3), (3, 6), (True, 3)])
def test_value_refuses_answers_outside_1_to_5(answers):
    with pytest.raises(ValueError):
        rating_value(*answers)


# --------------------------------------------------------------------------- window


def test_the_window_is_whole_wib_days_of_the_calendar(edition):
    assert rating_window(edition) == (dt.date(2025, 8, 1), dt.date(2025, 8, 7))
    assert window_state(edition, now=at(1, 0) - dt.timedelta(seconds=1)) == "not_yet"
    assert window_state(edition, now=at(1, 0)) == "open"
    # 00:00 WIB on 1 August is 17:00 UTC on 31 July.
    assert window_state(edition, now=dt.datetime(2025, 7, 31, 17, 0, tzinfo=dt.UTC)) == "open"
    assert window_state(edition, now=at(7, 23, 59, 59)) == "open"
    assert window_state(edition, now=at(8, 0)) == "closed"


def test_an_edition_without_rating_is_disabled(db):
    edition = EditionFactory()
    edition.rules["public_benefit_rating"] = {"enabled": False}
    edition.rules["final_score"]["components"] = {"desk": 0.7, "panel_assessment": 0.3}
    edition.save()
    assert rating_window(edition) is None
    assert window_state(edition, now=at(2)) == "disabled"
    assert public_benefit_scores(edition) == {}


def test_no_rating_outside_the_window(finalists):
    with refused(match="baru dibuka pada 1 Agustus 2025"):
        rate(finalists[0], at_=at(1, 0) - dt.timedelta(seconds=1))
    with refused(match="sudah ditutup pada 7 Agustus 2025"):
        rate(finalists[0], at_=at(8, 0))


# --------------------------------------------------------------------------- rateable set


def test_only_announced_finalists_still_in_the_running_are_rateable(edition):
    a = finalist(edition, "Klinik Keliling")
    b = finalist(edition, "Layanan Jemput Bola")
    other = ProposalFactory(edition=edition, state=S.NOT_FINALIST)
    assert list(rateable_proposals(edition)) == []  # before the announcement

    announce_finalists(edition, [b, a])
    assert list(rateable_proposals(edition)) == [a, b]  # by title

    with refused(match="bukan finalis"):
        rate(other)
    b.state = S.DISQUALIFIED
    b.save()
    assert list(rateable_proposals(edition)) == [a]
    with refused(match="bukan finalis"):
        rate(b)


def test_a_draft_announcement_opens_nothing(edition):
    a = finalist(edition, "Klinik Keliling")
    announce_finalists(edition, [a], published_at=None)
    assert list(rateable_proposals(edition)) == []


def test_an_unpublished_edition_has_nothing_to_rate(edition):
    a = finalist(edition, "Klinik Keliling")
    announce_finalists(edition, [a])
    edition.is_published = False
    edition.save()
    assert list(rateable_proposals(edition)) == []


# --------------------------------------------------------------------------- answers


def test_answers_are_checked_by_field(finalists):
    a = finalists[0]
    with refused("benefit", "Kebermanfaatan: pilih nilai 1 sampai 5"):
        rate(a, benefit=0)
    with refused("adoption", "Layak ditiru"):
        rate(a, adoption=6)
    with refused("relationship"):
        rate(a, relationship="neighbour")
    with refused("comment", "paling banyak 500 karakter; tertulis 501"):
        rate(a, comment="x" * 501)
    assert rate(a, comment="x" * 500).comment == "x" * 500


def test_an_inactive_account_may_not_rate(finalists):
    with refused(match="tidak aktif"):
        rate(finalists[0], citizen=CitizenFactory(is_active=False))


def test_a_rating_stores_its_value_and_only_keyed_address_hashes(finalists, edition):
    citizen = CitizenFactory()
    rating = rate(finalists[0], citizen=citizen, benefit=4, adoption=5, comment=" Bagus ")

    key = BenefitRatingKey.objects.get(edition=edition)
    assert len(key.secret) == 64
    expected = hmac.new(key.secret.encode(), b"203.0.113.7", hashlib.sha256).hexdigest()
    assert rating.address_hash == expected
    assert rating.network_hash == (
        hmac.new(key.secret.encode(), b"203.0.113.0/24", hashlib.sha256).hexdigest()
    )
    assert (rating.value, rating.exclusion, rating.suspicion) == (D("87.50"), "", "")
    assert rating.comment == "Bagus"
    assert rating.created_at == rating.rated_at == at(2)
    stored = BenefitRating.objects.filter(pk=rating.pk).values().get()
    assert not any("203.0.113" in str(value) for value in stored.values())
    assert ratings_of_citizen(citizen, edition) == {finalists[0].pk: rating}
    # The key is made once per edition.
    rate(finalists[1], citizen=citizen)
    assert BenefitRatingKey.objects.filter(edition=edition).count() == 1


def test_network_hashes_group_ipv4_by_24_and_ipv6_by_48():
    secret = "k" * 64
    _, net = address_hashes(secret, "203.0.113.7")
    assert address_hashes(secret, "203.0.113.250")[1] == net
    assert address_hashes(secret, "::ffff:203.0.113.9")[1] == net  # IPv4-mapped
    assert address_hashes(secret, "203.0.114.7")[1] != net
    full6, net6 = address_hashes(secret, "2001:db8:1::1")
    assert address_hashes(secret, "2001:db8:1:ffff::2") == (
        address_hashes(secret, "2001:db8:1:ffff::2")[0],
        net6,
    )
    assert address_hashes(secret, "2001:db8:2::1")[1] != net6
    assert address_hashes("l" * 64, "2001:db8:1::1")[0] != full6  # keyed
    with pytest.raises(ValueError):
        address_hashes(secret, "not-an-address")


def test_a_re_rating_replaces_the_answers_and_keeps_the_first_time(finalists):
    citizen = CitizenFactory()
    first = rate(
        finalists[0],
        citizen=citizen,
        at_=at(2, 9),
        relationship=RatingRelationship.NOT_FAMILIAR,
        benefit=1,
        adoption=1,
    )
    assert first.exclusion == RatingExclusion.NOT_FAMILIAR

    again = rate(finalists[0], citizen=citizen, at_=at(3, 11), benefit=5, adoption=5)

    assert again.pk == first.pk
    assert BenefitRating.objects.filter(citizen=citizen).count() == 1
    assert (again.created_at, again.rated_at) == (at(2, 9), at(3, 11))
    assert (again.relationship, again.value, again.exclusion) == (
        RatingRelationship.USED_MYSELF,
        D("100.00"),
        "",
    )


# --------------------------------------------------------------------------- daily cap


def test_daily_cap_counts_innovations_per_jakarta_day(edition):
    edition.rules["public_benefit_rating"]["daily_cap"] = 2
    edition.save()
    a, b, c = (finalist(edition, title) for title in ("A", "B", "C"))
    announce_finalists(edition, [a, b, c])
    citizen = CitizenFactory()
    rate(a, citizen=citizen, at_=at(2, 22))
    rate(b, citizen=citizen, at_=at(2, 22, 30))

    with refused(match="sudah menilai 2 inovasi hari ini; batasnya 2"):
        rate(c, citizen=citizen, at_=at(2, 23, 59))
    # Changing a rating given today does not count twice.
    assert rate(a, citizen=citizen, at_=at(2, 23, 59), benefit=2).benefit == 2
    # 00:10 WIB on the 3rd is still the 2nd in UTC: a new Jakarta day all the same.
    assert rate(c, citizen=citizen, at_=at(3, 0, 10)).proposal == c
    # Another account has its own cap.
    assert rate(c, at_=at(2, 23, 59)).proposal == c


def test_the_2025_cap_is_20(edition):
    proposals = [finalist(edition, f"Inovasi {i:02d}") for i in range(21)]
    announce_finalists(edition, proposals)
    citizen = CitizenFactory()
    for proposal in proposals[:20]:
        rate(proposal, citizen=citizen)
    with refused(match="batasnya 20"):
        rate(proposals[20], citizen=citizen)


# --------------------------------------------------------------------------- exclusions


@pytest.mark.parametrize(
    ("relationship", "affiliated", "email", "expected"),
    [
        ("not_familiar", False, "", "not_familiar"),
        ("used_myself", True, "", "affiliated"),
        ("know_of_it", False, "payakumbuhkota.go.id", "official_email"),
        ("know_of_it", False, "dinkes.PayakumbuhKota.go.id", "official_email"),
        ("know_of_it", False, "notpayakumbuhkota.go.id", ""),
        ("know_of_it", False, "gmail.com", ""),
        ("family_or_community_used", False, "", ""),
    ],
)
def test_exclusions_of_rule_3(relationship, affiliated, email, expected):
    assert (
        exclusion_of(
            relationship=relationship,
            affiliated=affiliated,
            email_domain=email,
            official_domain="payakumbuhkota.go.id",
        )
        == expected
    )


def test_a_verified_address_on_the_institutions_domain_is_excluded(finalists):
    a = finalists[0]
    a.institution.official_email_domain = "Payakumbuhkota.go.id"
    a.institution.save()
    verified = CitizenFactory(email="warga@dinkes.payakumbuhkota.go.id", email_verified_at=at(1))
    unverified = CitizenFactory(email="warga@payakumbuhkota.go.id")

    assert rate(a, citizen=verified).exclusion == RatingExclusion.OFFICIAL_EMAIL
    assert rate(a, citizen=unverified).exclusion == ""
    assert rate(a, affiliated=True).exclusion == RatingExclusion.AFFILIATED


# --------------------------------------------------------------------------- burst (rule 4)


def ratings_between(proposal, count: int, start: dt.datetime, end: dt.datetime) -> None:
    """`count` stored ratings spread over [start, end)."""
    step = (end - start) / count
    for i in range(count):
        BenefitRatingFactory(proposal=proposal, rated_at=start + i * step)


def burst_entries():
    return AuditEntry.objects.filter(action="kipp.benefit.suspect", after__suspicion="burst")


def test_burst_floor_50_ratings_in_an_hour_pass_51_are_suspect(finalists):
    a, b = finalists
    ratings_between(a, 49, at(1, 0, 1), at(1, 0, 30))
    ratings_between(b, 5, at(1, 0, 1), at(1, 0, 30))

    fiftieth = rate(a, at_=at(1, 0, 40))
    assert fiftieth.suspicion == ""
    assert not BenefitRating.objects.exclude(suspicion="").exists()

    fifty_first = rate(a, at_=at(1, 0, 41))

    assert fifty_first.suspicion == RatingSuspicion.BURST
    assert BenefitRating.objects.filter(proposal=a, suspicion="burst").count() == 51
    assert not BenefitRating.objects.filter(proposal=b).exclude(suspicion="").exists()
    [entry] = burst_entries()
    assert entry.actor is None and entry.object_id == str(a.pk)
    assert entry.after["in_60_minutes"] == 51 and entry.after["threshold"] == "50"


def test_the_60_minutes_end_at_the_write(finalists):
    """A rating exactly 60 minutes old is outside the span: 49 + 1 in it, not 51."""
    a = finalists[0]
    BenefitRatingFactory(proposal=a, rated_at=at(1, 0, 50) - dt.timedelta(minutes=60))
    ratings_between(a, 49, at(1, 0, 0), at(1, 0, 45))

    assert rate(a, at_=at(1, 0, 50)).suspicion == ""
    assert not BenefitRating.objects.exclude(suspicion="").exists()


def test_median_hourly_count_over_completed_hours_with_empty_hours():
    """Hours 00 and 01 hold 12 ratings each, 02–04 none, 05 thirty."""
    proposal = ProposalFactory(state=S.CONFIRMED_FINALIST)
    opened = at(1, 0)
    for hour in (0, 1):
        ratings_between(proposal, 12, at(1, hour), at(1, hour, 59))
    ratings_between(proposal, 30, at(1, 5), at(1, 5, 20))

    def median(hour: int) -> Decimal:
        return median_hourly_count(proposal, opened=opened, now=at(1, hour, 30))

    assert median(0) == 0  # no completed hour yet
    assert median(1) == 12  # [12]
    assert median(3) == 12  # [12, 12, 0]
    assert median(4) == 6  # [0, 0, 12, 12]: the mean of the middle two
    assert median(5) == 0  # [0, 0, 0, 12, 12]: the current hour (30) is left out
    assert median(6) == 6  # [0, 0, 0, 12, 12, 30]


def test_burst_threshold_rises_to_5_times_the_median(finalists):
    """Median 12 → threshold 60: 60 ratings in the hour pass, the 61st makes them suspect."""
    a = finalists[0]
    for hour in (0, 1, 2):
        ratings_between(a, 12, at(1, hour), at(1, hour, 59))
    ratings_between(a, 59, at(1, 4, 40), at(1, 5, 20))

    assert rate(a, at_=at(1, 5, 30)).suspicion == ""  # 60 > 50, but not > 5 × 12

    assert rate(a, at_=at(1, 5, 31)).suspicion == RatingSuspicion.BURST
    assert BenefitRating.objects.filter(proposal=a, suspicion="burst").count() == 61
    assert burst_entries().get().after["threshold"] == "60"


# --------------------------------------------------------------------------- network (rule 5)


def test_network_10_accounts_pass_11_are_suspect(finalists):
    a = finalists[0]
    elsewhere = rate(a, at_=at(2, 9), address="198.51.100.4")
    day_before = rate(a, at_=at(1, 10), address="203.0.113.200")
    for i in range(9):
        rate(a, at_=at(2, 9, i), address=f"203.0.113.{i + 1}")
    # The day-before rating is exactly 24 hours old: 10 accounts within 24 hours.
    tenth = rate(a, at_=at(2, 10), address="203.0.113.99")
    assert tenth.suspicion == ""
    assert not BenefitRating.objects.exclude(suspicion="").exists()

    eleventh = rate(a, at_=at(2, 10, 1), address="203.0.113.100")

    assert eleventh.suspicion == RatingSuspicion.NETWORK
    suspect = set(BenefitRating.objects.filter(suspicion="network").values_list("pk", flat=True))
    assert len(suspect) == 11  # the day-before one fell out of the 24 hours
    assert day_before.pk not in suspect and elsewhere.pk not in suspect
    entry = AuditEntry.objects.get(action="kipp.benefit.suspect")
    assert entry.after == {
        "suspicion": "network",
        "ratings": sorted(suspect),
        "accounts_in_24_hours": 11,
    }


def test_network_rule_counts_ipv6_by_48(finalists):
    a = finalists[0]
    for i in range(11):
        last = rate(a, at_=at(2, 9, i), address=f"2001:db8:7:{i:x}::1")
    assert last.suspicion == RatingSuspicion.NETWORK
    assert BenefitRating.objects.filter(suspicion="network").count() == 11


# --------------------------------------------------------------------------- summaries


def test_a_score_needs_30_valid_ratings(finalists):
    a, b = finalists
    for _ in range(20):
        BenefitRatingFactory(proposal=a, benefit=5, adoption=5)  # 100
    for _ in range(9):
        BenefitRatingFactory(proposal=a, benefit=3, adoption=3)  # 50
    BenefitRatingFactory(
        proposal=a, relationship=RatingRelationship.NOT_FAMILIAR, exclusion="not_familiar"
    )
    BenefitRatingFactory(proposal=a, affiliated=True, exclusion="affiliated")
    BenefitRatingFactory(proposal=a, exclusion="official_email")
    suspect = BenefitRatingFactory(proposal=a, benefit=3, adoption=3, suspicion="burst")

    summary = benefit_summaries(a.edition)[a.pk]
    assert (summary.total, summary.valid, summary.suspect, summary.released) == (33, 29, 1, 0)
    assert summary.excluded == {"not_familiar": 1, "affiliated": 1, "official_email": 1}
    assert summary.score is None
    assert public_benefit_scores(a.edition) == {}

    suspect.released_at = at(3)
    suspect.save()

    summary = benefit_summaries(a.edition)[a.pk]
    assert (summary.valid, summary.suspect, summary.released) == (30, 1, 1)
    assert summary.score == D("83.33")  # (20 × 100 + 10 × 50) / 30
    assert public_benefit_scores(a.edition) == {a.pk: D("83.33")}
    assert benefit_summaries(a.edition)[b.pk].total == 0  # zeros included


@pytest.mark.parametrize("count", [2, 20])
def test_summaries_cost_three_queries_whatever_the_number(
    edition, count, django_assert_num_queries
):
    proposals = [finalist(edition, f"Inovasi {i:02d}") for i in range(count)]
    announce_finalists(edition, proposals)
    for proposal in proposals:
        BenefitRatingFactory(proposal=proposal)
        BenefitRatingFactory(proposal=proposal, exclusion="affiliated", suspicion="network")
    edition.refresh_from_db()

    with django_assert_num_queries(3):
        summaries = benefit_summaries(edition)

    assert len(summaries) == count
    assert all((s.total, s.valid, s.suspect) == (2, 1, 1) for s in summaries.values())


def test_public_results_only_after_the_window_closes(finalists):
    a, b = finalists
    c = finalist(a.edition, "Aplikasi Antre")
    announce_finalists(a.edition, [a, b, c])  # a correction adds one finalist
    for _ in range(30):
        BenefitRatingFactory(proposal=b, benefit=4, adoption=4)
    for _ in range(30):
        BenefitRatingFactory(proposal=a, benefit=5, adoption=4)
    BenefitRatingFactory(proposal=c)

    for moment in (at(1, 0) - dt.timedelta(hours=1), at(7, 23, 59)):
        with pytest.raises(DomainError, match=r"Penilaian kebermanfaatan|setelah masa penilaian"):
            public_results(a.edition, now=moment)

    rows = public_results(a.edition, now=at(8, 0))
    assert [(r.proposal.title, r.valid, r.score) for r in rows] == [
        ("Klinik Keliling", 30, D("87.50")),
        ("Layanan Jemput Bola", 30, D("75.00")),
        ("Aplikasi Antre", 1, None),
    ]


# --------------------------------------------------------------------------- monitoring


@pytest.fixture
def suspects(finalists):
    a, b = finalists
    return [
        BenefitRatingFactory(proposal=a, suspicion="burst", rated_at=at(2, 9)),
        BenefitRatingFactory(proposal=a, suspicion="network", rated_at=at(2, 10)),
        BenefitRatingFactory(
            proposal=b, suspicion="network", rated_at=at(2, 11), released_at=at(3)
        ),
    ]


def test_the_secretariat_monitors_suspects_unreleased_first(suspects, secretariat, edition):
    burst, network, released = suspects
    BenefitRatingFactory(proposal=burst.proposal)  # not suspect

    assert list(suspect_ratings(edition, actor=secretariat)) == [network, burst, released]
    assert list(suspect_ratings(edition, actor=secretariat, suspicion="network")) == [
        network,
        released,
    ]
    assert list(suspect_ratings(edition, actor=secretariat, proposal_id=burst.proposal_id)) == [
        network,
        burst,
    ]
    with pytest.raises(DomainError) as error:
        suspect_ratings(edition, actor=secretariat, suspicion="spam")
    assert error.value.field == "suspicion"


def test_who_may_monitor(suspects, edition, admin_a, nobody):
    viewer = person_with_role(Role.VIEWER, username="pemantau")
    assert suspect_ratings(edition, actor=viewer).count() == 3
    appointed = person_with_role(Role.ANALYST, username="analis_penilai")
    AppointmentFactory(edition=edition, person=appointed, role=AssessorRole.PANELIST)
    for person in (admin_a, nobody, appointed, None):
        with pytest.raises(PermissionDenied):
            suspect_ratings(edition, actor=person)


REASON = "Satu kantor kecamatan memakai satu jaringan."


def test_release_needs_a_reason_and_is_audited_per_rating(suspects, secretariat, edition):
    burst, network, released = suspects
    with pytest.raises(DomainError) as error:
        release_ratings(
            edition=edition, rating_ids=[burst.pk], reason="terlalu singkat", actor=secretariat
        )
    assert error.value.field == "reason"
    burst.refresh_from_db()
    assert burst.released_at is None

    count = release_ratings(
        edition=edition,
        rating_ids=[burst.pk, network.pk, released.pk],
        reason=REASON,
        actor=secretariat,
    )

    assert count == 2  # the third was released before
    for rating in (burst, network):
        rating.refresh_from_db()
        assert rating.counts and rating.released_by == secretariat
        assert rating.release_reason == REASON
    entries = AuditEntry.objects.filter(action="kipp.benefit.release").order_by("pk")
    assert [(e.object_id, e.reason, e.actor_id) for e in entries] == [
        (str(burst.pk), REASON, secretariat.pk),
        (str(network.pk), REASON, secretariat.pk),
    ]


def test_release_refuses_plain_or_foreign_ratings_and_other_roles(suspects, secretariat, edition):
    plain = BenefitRatingFactory(proposal=suspects[0].proposal)
    foreign = BenefitRatingFactory(suspicion="burst")
    for ids, text in (([plain.pk], "tidak ditandai"), ([foreign.pk], "tidak ada pada")):
        with pytest.raises(DomainError, match=text):
            release_ratings(edition=edition, rating_ids=ids, reason=REASON, actor=secretariat)
    viewer = person_with_role(Role.VIEWER, username="pemantau")
    with pytest.raises(PermissionDenied):
        release_ratings(edition=edition, rating_ids=[suspects[0].pk], reason=REASON, actor=viewer)
    assert not AuditEntry.objects.filter(action="kipp.benefit.release").exists()


# --------------------------------------------------------------------------- rule 8


def close_edition(edition, when: dt.datetime) -> None:
    """Every stage closed, the last one at `when` (as `advance_edition` leaves it)."""
    stages = edition.stages.exclude(status=StageStatus.SKIPPED)
    stages.update(status=StageStatus.CLOSED, closed_at=when - dt.timedelta(days=1))
    stages.filter(pk=stages.order_by("-position").first().pk).update(closed_at=when)
    edition.state = EditionState.CLOSED
    edition.save()


def test_addresses_are_purged_90_days_after_the_edition_closes(finalists, edition):
    for i in range(3):
        rate(finalists[0], at_=at(2, 9, i))
    closed = dt.datetime(2025, 12, 1, 15, 0, tzinfo=WIB)
    close_edition(edition, closed)
    assert edition_closed_at(edition) == closed

    assert purge_rating_addresses(now=closed + dt.timedelta(days=90, seconds=-1)) == 0
    assert not BenefitRating.objects.filter(address_hash="").exists()

    assert purge_rating_addresses(now=closed + dt.timedelta(days=90)) == 3

    assert not BenefitRating.objects.exclude(address_hash="", network_hash="").exists()
    key = BenefitRatingKey.objects.get(edition=edition)
    assert key.secret == "" and key.addresses_purged_at == closed + dt.timedelta(days=90)
    entry = AuditEntry.objects.get(action="kipp.benefit.addresses_purged")
    assert (entry.actor, entry.object_id, entry.after["ratings"]) == (None, str(edition.pk), 3)
    assert purge_rating_addresses(now=closed + dt.timedelta(days=200)) == 0  # once


def test_an_edition_still_running_keeps_its_addresses(finalists, edition):
    rate(finalists[0])
    assert edition_closed_at(edition) is None
    assert purge_rating_addresses(now=at(2) + dt.timedelta(days=3650)) == 0
    assert BenefitRating.objects.exclude(address_hash="").count() == 1


def test_purge_command_prints_the_count(finalists, edition):
    rate(finalists[0])
    close_edition(edition, dt.datetime(2025, 9, 1, tzinfo=WIB))
    out = StringIO()

    call_command("kipp_purge_rating_addresses", stdout=out)

    assert "Alamat jaringan dihapus dari 1 penilaian kebermanfaatan." in out.getvalue()
    assert BenefitRating.objects.get().address_hash == ""


# --------------------------------------------------------------------------- §13


def test_final_score_takes_public_benefit_from_30_valid_ratings(edition, secretariat):
    """Desk 90, panel 80: with 30 valid ratings of 75 the final score is
    0.6·90 + 0.3·80 + 0.1·75 = 85.50; with 29 the public weight is redistributed:
    ⅔·90 + ⅓·80 = 86.67."""
    panel = [evaluator(edition, f"Panelis {i}", role=AssessorRole.PANELIST) for i in (1, 2)]
    rated = scored_finalist(edition, "Tiga puluh", "90.00", 80, panel)
    short = scored_finalist(edition, "Dua puluh sembilan", "90.00", 80, panel)
    for proposal, count in ((rated, 30), (short, 29)):
        mark_presented(proposal, actor=secretariat)
        for _ in range(count):
            BenefitRatingFactory(proposal=proposal, benefit=4, adoption=4)  # r = 75
        # Kept but not counted.
        BenefitRatingFactory(proposal=proposal, benefit=5, adoption=5, exclusion="affiliated")

    rows = {row.proposal.pk: row for row in final_score_rows(edition)}

    assert rows[rated.pk].components == {
        "desk": D("90.00"),
        "panel_assessment": D("80.00"),
        "public_benefit": D("75.00"),
    }
    assert rows[rated.pk].weights == {
        "desk": D("0.6"),
        "panel_assessment": D("0.3"),
        "public_benefit": D("0.1"),
    }
    assert rows[rated.pk].score == D("85.50")
    assert rows[short.pk].components["public_benefit"] is None
    assert "public_benefit" not in rows[short.pk].weights
    assert rows[short.pk].score == D("86.67")
