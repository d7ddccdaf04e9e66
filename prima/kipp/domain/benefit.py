"""The public benefit rating of finalists (penilaian kebermanfaatan, kipp.md §14).

Verified citizens rate each publicly announced finalist once (a re-rating inside the
window replaces the earlier one): Q0 relationship, Q1 benefit 1–5, Q2 "should other
regions adopt it" 1–5, an affiliation declaration and a private comment. A rating's value
is ``r = ((Q1 + Q2) / 2 − 1) / 4 × 100``; an innovation's public score is the mean of its
valid ``r`` once it has at least ``min_valid_ratings`` valid ratings (§13 component
``public_benefit``), otherwise the component is missing.

Definitions chosen where the spec leaves room (documented in the secretariat guide,
"Aturan penilaian kebermanfaatan"):

- **Window.** ``calendar.public_benefit_rating`` ``[first day, last day]``, whole WIB days.
- **Rateable.** The proposals listed by the edition's latest published finalist
  announcement (what the public finalist page shows), minus those withdrawn, disqualified
  or revoked since.
- **Day** (rule 2) — an Asia/Jakarta calendar day. The cap counts the distinct
  innovations whose rating the account gave or changed that day; changing one already
  rated that day does not count twice.
- **Median hourly count so far** (rule 4) — over the *completed* WIB clock hours from the
  window's opening (00:00 WIB of its first day) to the start of the current hour, the
  median number of the innovation's ratings per hour (by each rating's latest
  ``rated_at``), hours without ratings counting as 0; 0 while no hour has completed.
  After every write, if the 60 minutes ending at the write hold more than
  ``max(50, 5 × median)`` ratings of the innovation, those ratings become ``burst``.
- **Network** (rule 5) — after every write, if more than 10 accounts rated the
  innovation from the writer's /24 (IPv4) or /48 (IPv6) network within the 24 hours
  ending at the write, their ratings become ``network``.
- A rating is marked suspect once (the first rule that catches it); re-rating keeps a
  mark and a release. Each marking event is one system audit entry.
- **Edition closed** (rule 8) — its state is ``closed``, at the moment its last stage
  closed (``Stage.closed_at``; ``advance_edition`` closes the edition in the same
  transaction); an edition closed without any stage closing time counts from the end of
  its last calendar entry. Purging empties both hashes and the edition's secret.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Max, QuerySet
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.models import Citizen
from prima.evaluation.enums import EditionState
from prima.evaluation.models import Edition, Stage
from prima.kipp.domain.announcements import published_announcements
from prima.kipp.domain.decisions import edition_rules, may_read_evaluation
from prima.kipp.domain.rules import WIB, EditionRules, window_close
from prima.kipp.enums import AnnouncementKind, ProposalState
from prima.kipp.models import (
    BenefitRating,
    BenefitRatingKey,
    Proposal,
    RatingExclusion,
    RatingRelationship,
    RatingSuspicion,
)

CENT = Decimal("0.01")
ANSWER_RANGE = range(1, 6)
COMMENT_MAX = 500
RELEASE_REASON_MIN = 20
# §14 defaults when the rule set leaves them out.
DEFAULT_MIN_VALID = 30
DEFAULT_DAILY_CAP = 20
# Rule 4: more than max(BURST_FLOOR, BURST_FACTOR × median hourly count) in BURST_SPAN.
BURST_FLOOR = 50
BURST_FACTOR = 5
BURST_SPAN = timedelta(minutes=60)
HOUR = timedelta(hours=1)
# Rule 5: more than NETWORK_ACCOUNTS accounts from one network within NETWORK_SPAN.
NETWORK_ACCOUNTS = 10
NETWORK_SPAN = timedelta(hours=24)
IPV4_PREFIX = 24
IPV6_PREFIX = 48
# Rule 8: addresses are kept this long after the edition closes.
ADDRESS_RETENTION = timedelta(days=90)
# Finalists that left the competition after the announcement are not rated.
NOT_RATEABLE = (ProposalState.WITHDRAWN, ProposalState.DISQUALIFIED, ProposalState.REVOKED)

DISABLED, NOT_YET, OPEN, CLOSED = "disabled", "not_yet", "open", "closed"


# --------------------------------------------------------------------------- window


def _rules(edition: Edition) -> EditionRules:
    return edition_rules(edition)


def _min_valid(rules: EditionRules) -> int:
    return rules.public_benefit_rating.min_valid_ratings or DEFAULT_MIN_VALID


def min_valid_ratings(edition: Edition) -> int:
    """The valid ratings an innovation needs for a score (``min_valid_ratings``, 30)."""
    return _min_valid(_rules(edition))


def rating_window(edition: Edition) -> tuple[date, date] | None:
    """The rating window's first and last day (WIB, both included); None when disabled."""
    rules = _rules(edition)
    if not rules.public_benefit_rating.enabled:
        return None
    window = rules.calendar.window("public_benefit_rating")
    if window is None:
        return None
    return window.start.astimezone(WIB).date(), window.end.astimezone(WIB).date()


def window_state(edition: Edition, *, now: datetime | None = None) -> str:
    """``disabled``, ``not_yet``, ``open`` or ``closed``, by the WIB day of ``now``."""
    window = rating_window(edition)
    if window is None:
        return DISABLED
    today = timezone.localtime(now or timezone.now(), WIB).date()
    if today < window[0]:
        return NOT_YET
    if today > window[1]:
        return CLOSED
    return OPEN


def _window_refusal(edition: Edition, state: str) -> DomainError:
    window = rating_window(edition)
    if state == DISABLED or window is None:
        return DomainError(_("Penyelenggaraan ini tidak membuka penilaian kebermanfaatan."))
    if state == NOT_YET:
        return DomainError(
            _("Penilaian kebermanfaatan baru dibuka pada %(day)s.")
            % {"day": date_format(window[0], "j F Y")}
        )
    return DomainError(
        _("Penilaian kebermanfaatan sudah ditutup pada %(day)s.")
        % {"day": date_format(window[1], "j F Y")}
    )


# --------------------------------------------------------------------------- rateable set


def rateable_proposals(edition: Edition) -> QuerySet[Proposal]:
    """The finalists the public may rate, ordered by title.

    Those listed by the edition's latest published finalist announcement (or its
    correction) — the same list as the public finalist page — except proposals withdrawn,
    disqualified or revoked since. Empty before that announcement.
    """
    announcement = published_announcements(edition).filter(kind=AnnouncementKind.FINALISTS).first()
    if announcement is None:
        return Proposal.objects.none()
    ids = [row["proposal"] for row in announcement.listing if row.get("proposal")]
    return (
        Proposal.objects.filter(edition=edition, pk__in=ids)
        .exclude(state__in=NOT_RATEABLE)
        .order_by("title", "pk")
    )


# --------------------------------------------------------------------------- value


def rating_value(benefit: int, adoption: int) -> Decimal:
    """``r = ((Q1 + Q2) / 2 − 1) / 4 × 100``, ROUND_HALF_UP to 2 decimals; pure.

    Raises ValueError for answers outside 1–5.
    """
    for answer in (benefit, adoption):
        if isinstance(answer, bool) or not isinstance(answer, int) or answer not in ANSWER_RANGE:
            raise ValueError(f"answers are integers 1–5, got {answer!r}")
    value = ((Decimal(benefit + adoption) / 2) - 1) / 4 * 100
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- addresses


def _secret(edition: Edition) -> str:
    """The edition's hashing secret, created on first use (inside the caller's atomic)."""
    key, _created = BenefitRatingKey.objects.get_or_create(
        edition=edition, defaults={"secret": secrets.token_hex(32)}
    )
    if not key.secret:
        # Purged (edition closed); a rating cannot reach here, but never hash with "".
        key.secret = secrets.token_hex(32)
        key.save(update_fields=["secret"])
    return key.secret


def address_hashes(secret: str, address: str) -> tuple[str, str]:
    """Keyed hashes (HMAC-SHA256) of the address and of its /24 (IPv4) or /48 (IPv6).

    An IPv4-mapped IPv6 address counts as its IPv4 address. Raises ValueError for text
    that is not an IP address.
    """
    ip = ipaddress.ip_address(address.strip())
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    network = ipaddress.ip_network(f"{ip}/{prefix}", strict=False)
    key = secret.encode()

    def digest(text: str) -> str:
        return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()

    return digest(str(ip)), digest(str(network))


# --------------------------------------------------------------------------- submitting


def _answer(value: Any, name: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in ANSWER_RANGE:
        raise DomainError(
            _("%(label)s: pilih nilai 1 sampai 5.") % {"label": label},
            field=name,
        )
    return value


def _domain_matches(email_domain: str, official: str) -> bool:
    """Whether the e-mail domain is the official domain or one of its subdomains."""
    official = official.strip().lower().lstrip("@").strip(".")
    email_domain = email_domain.strip().lower().strip(".")
    if not official or not email_domain:
        return False
    return email_domain == official or email_domain.endswith("." + official)


def exclusion_of(
    *, relationship: str, affiliated: bool, email_domain: str, official_domain: str
) -> str:
    """Rule 3: why a rating is kept but not counted ("" when it counts); first match wins."""
    if relationship == RatingRelationship.NOT_FAMILIAR:
        return RatingExclusion.NOT_FAMILIAR
    if affiliated:
        return RatingExclusion.AFFILIATED
    if _domain_matches(email_domain, official_domain):
        return RatingExclusion.OFFICIAL_EMAIL
    return ""


def _day_bounds(now: datetime) -> tuple[datetime, datetime]:
    day = timezone.localtime(now, WIB).date()
    start = datetime.combine(day, time(0), WIB)
    return start, start + timedelta(days=1)


def median_hourly_count(proposal: Proposal, *, opened: datetime, now: datetime) -> Decimal:
    """Rule 4's "median hourly count so far" of one innovation.

    Over the completed WIB clock hours from ``opened`` (the window's 00:00 WIB) to the
    start of the hour holding ``now``, the median of the innovation's ratings per hour (by
    each rating's latest ``rated_at``); hours without ratings count as 0. 0 when no hour
    has completed yet. One query.
    """
    local = timezone.localtime(now, WIB)
    current_hour = local.replace(minute=0, second=0, microsecond=0)
    hours = int((current_hour - opened) // HOUR)
    if hours <= 0:
        return Decimal(0)
    counts = list(
        BenefitRating.objects.filter(
            proposal=proposal, rated_at__gte=opened, rated_at__lt=current_hour
        )
        .annotate(hour=TruncHour("rated_at", tzinfo=WIB))
        .values("hour")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    counts.extend([0] * (hours - len(counts)))
    return Decimal(statistics.median(counts))


def _mark(
    ratings: QuerySet[BenefitRating], suspicion: str, proposal: Proposal, after: dict[str, Any]
) -> list[int]:
    """Mark the not-yet-suspect ratings of ``ratings``; one system audit entry if any."""
    ids = list(ratings.filter(suspicion="").order_by("pk").values_list("pk", flat=True))
    if not ids:
        return []
    BenefitRating.objects.filter(pk__in=ids).update(suspicion=suspicion)
    audit.record(
        actor=None,
        action="kipp.benefit.suspect",
        obj=proposal,
        after={"suspicion": suspicion, "ratings": ids, **after},
    )
    return ids


def _check_burst(proposal: Proposal, *, opened: datetime, now: datetime) -> list[int]:
    """Rule 4 after a write at ``now`` (the proposal row is locked)."""
    span = BenefitRating.objects.filter(
        proposal=proposal, rated_at__gt=now - BURST_SPAN, rated_at__lte=now
    )
    count = span.count()
    if count <= BURST_FLOOR:
        return []  # the floor alone decides; skip the median query
    median = median_hourly_count(proposal, opened=opened, now=now)
    threshold = max(Decimal(BURST_FLOOR), BURST_FACTOR * median)
    if count <= threshold:
        return []
    return _mark(
        span,
        RatingSuspicion.BURST,
        proposal,
        {"in_60_minutes": count, "median_hourly": median, "threshold": threshold},
    )


def _check_network(proposal: Proposal, network_hash: str, *, now: datetime) -> list[int]:
    """Rule 5 after a write at ``now`` from ``network_hash`` (the proposal row is locked)."""
    if not network_hash:
        return []
    same = BenefitRating.objects.filter(
        proposal=proposal,
        network_hash=network_hash,
        rated_at__gt=now - NETWORK_SPAN,
        rated_at__lte=now,
    )
    # One rating per account and innovation (rule 1), so rows are accounts.
    accounts = same.count()
    if accounts <= NETWORK_ACCOUNTS:
        return []
    return _mark(same, RatingSuspicion.NETWORK, proposal, {"accounts_in_24_hours": accounts})


def submit_rating(
    *,
    citizen: Citizen,
    proposal: Proposal,
    relationship: str,
    benefit: int,
    adoption: int,
    affiliated: bool,
    comment: str,
    address: str,
    now: datetime | None = None,
) -> BenefitRating:
    """A citizen rates a finalist, or changes their rating of it (§14 rules 1–5, 8).

    Refused unless the window is open, the proposal is rateable, the answers are in range,
    the comment fits and the account is under its daily cap. The rating is stored with
    its value and exclusion (rule 3) and keyed hashes of ``address`` (never the address);
    then the burst and network rules run on the locked proposal. The rating row is the
    record of the act (no audit entry); marking ratings suspect is audited.
    """
    now = now or timezone.now()
    edition = proposal.edition
    state = window_state(edition, now=now)
    if state != OPEN:
        raise _window_refusal(edition, state)
    if not rateable_proposals(edition).filter(pk=proposal.pk).exists():
        raise DomainError(_("Inovasi ini bukan finalis yang dapat dinilai publik."))
    if relationship not in RatingRelationship.values:
        raise DomainError(
            _("Pilih hubungan Anda dengan inovasi ini."),
            field="relationship",
        )
    benefit = _answer(benefit, "benefit", _("Kebermanfaatan"))
    adoption = _answer(adoption, "adoption", _("Layak ditiru daerah lain"))
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise DomainError(
            _("Komentar paling banyak %(max)s karakter; tertulis %(n)s.")
            % {"max": COMMENT_MAX, "n": len(comment)},
            field="comment",
        )
    if not citizen.is_active:
        raise DomainError(_("Akun warga ini tidak aktif."))
    rules = _rules(edition)
    window = rules.calendar.window("public_benefit_rating")
    if window is None:  # cannot be while the window is open; never rate without one
        raise _window_refusal(edition, DISABLED)
    cap = rules.public_benefit_rating.daily_cap or DEFAULT_DAILY_CAP
    value = rating_value(benefit, adoption)
    with transaction.atomic():
        secret = _secret(edition)
        try:
            address_hash, network_hash = address_hashes(secret, address)
        except ValueError as error:
            raise DomainError(_("Alamat jaringan pengirim tidak dikenali.")) from error
        # Lock order citizen → proposal everywhere, so concurrent ratings never deadlock;
        # the citizen lock makes the daily cap exact, the proposal lock rules 4 and 5.
        Citizen.objects.select_for_update().get(pk=citizen.pk)
        locked = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("institution")
            .get(pk=proposal.pk)
        )
        start, end = _day_bounds(now)
        today = (
            BenefitRating.objects.filter(
                edition=edition, citizen=citizen, rated_at__gte=start, rated_at__lt=end
            )
            .exclude(proposal=locked)
            .count()
        )
        if today >= cap:
            raise DomainError(
                _(
                    "Anda sudah menilai %(n)s inovasi hari ini; batasnya %(cap)s per hari. "
                    "Silakan lanjutkan besok."
                )
                % {"n": today, "cap": cap}
            )
        exclusion = exclusion_of(
            relationship=relationship,
            affiliated=bool(affiliated),
            email_domain=citizen.verified_email_domain,
            official_domain=locked.institution.official_email_domain,
        )
        answers = {
            "relationship": relationship,
            "benefit": benefit,
            "adoption": adoption,
            "affiliated": bool(affiliated),
            "comment": comment,
            "value": value,
            "exclusion": exclusion,
            "rated_at": now,
            "address_hash": address_hash,
            "network_hash": network_hash,
        }
        rating = BenefitRating.objects.filter(proposal=locked, citizen=citizen).first()
        if rating is None:
            rating = BenefitRating.objects.create(
                edition=edition, proposal=locked, citizen=citizen, created_at=now, **answers
            )
        else:
            # Rule 1: the re-rating replaces the answers; created_at, any suspect mark and
            # any release stay.
            for name, new in answers.items():
                setattr(rating, name, new)
            rating.save(update_fields=list(answers))
        _check_burst(locked, opened=window.start, now=now)
        _check_network(locked, network_hash, now=now)
        rating.refresh_from_db()
    return rating


def ratings_of_citizen(citizen: Citizen, edition: Edition) -> dict[int, BenefitRating]:
    """Proposal id → the citizen's current rating of it in the edition."""
    return {
        rating.proposal_id: rating
        for rating in BenefitRating.objects.filter(citizen=citizen, edition=edition)
    }


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class BenefitSummary:
    """One innovation's ratings. ``excluded`` counts each rule-3 reason (every code present);
    ``suspect`` counts ratings marked by rule 4 or 5, released or not, and ``released``
    those released; the counts overlap (an excluded rating may also be suspect).
    ``valid`` counts the ratings entering the score."""

    proposal_id: int
    total: int
    valid: int
    excluded: Mapping[str, int]
    suspect: int
    released: int
    score: Decimal | None  # None when valid < min_valid_ratings


@dataclass
class _Tally:
    total: int = 0
    valid: int = 0
    valid_sum: Decimal = Decimal(0)
    suspect: int = 0
    released: int = 0
    excluded: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(RatingExclusion.values, 0)
    )


def _tallies(edition: Edition, proposal_ids: Sequence[int] | None) -> dict[int, _Tally]:
    """Counts and valid sums per proposal in one grouped query (values are few: 0–100 by
    12.5, so grouping by value keeps the sums exact)."""
    ratings = BenefitRating.objects.filter(edition=edition)
    if proposal_ids is not None:
        ratings = ratings.filter(proposal_id__in=proposal_ids)
    groups = (
        ratings.values("proposal_id", "exclusion", "suspicion", "value")
        .annotate(n=Count("pk"), released=Count("released_at"))
        .order_by()
    )
    tallies: dict[int, _Tally] = {}
    for group in groups:
        tally = tallies.setdefault(group["proposal_id"], _Tally())
        n, released = group["n"], group["released"]
        tally.total += n
        if group["exclusion"]:
            tally.excluded[group["exclusion"]] = tally.excluded.get(group["exclusion"], 0) + n
        if group["suspicion"]:
            tally.suspect += n
            tally.released += released
        # Valid: not excluded, and not suspect unless released (BenefitRating.counts).
        counted = 0 if group["exclusion"] else (released if group["suspicion"] else n)
        tally.valid += counted
        tally.valid_sum += counted * Decimal(group["value"])
    return tallies


def _score(tally: _Tally, minimum: int) -> Decimal | None:
    if tally.valid < minimum or tally.valid == 0:
        return None
    return (tally.valid_sum / tally.valid).quantize(CENT, rounding=ROUND_HALF_UP)


def _summary(proposal_id: int, tally: _Tally, minimum: int) -> BenefitSummary:
    return BenefitSummary(
        proposal_id=proposal_id,
        total=tally.total,
        valid=tally.valid,
        excluded=dict(tally.excluded),
        suspect=tally.suspect,
        released=tally.released,
        score=_score(tally, minimum),
    )


def benefit_summaries(edition: Edition) -> dict[int, BenefitSummary]:
    """Proposal id → summary for every rateable proposal (zeros included), in title order.

    Three queries whatever the number of proposals and ratings.
    """
    minimum = _min_valid(_rules(edition))
    ids = list(rateable_proposals(edition).values_list("pk", flat=True))
    if not ids:
        return {}
    tallies = _tallies(edition, ids)
    return {pk: _summary(pk, tallies.get(pk) or _Tally(), minimum) for pk in ids}


def public_benefit_scores(edition: Edition) -> dict[int, Decimal]:
    """Proposal id → public benefit score (§13 component ``public_benefit``) of every
    proposal with at least ``min_valid_ratings`` valid ratings; {} when rating is off.

    The scores stand as the ratings do (the final plenary follows the window's close).
    """
    rules = _rules(edition)
    if not rules.public_benefit_rating.enabled:
        return {}
    minimum = _min_valid(rules)
    scores: dict[int, Decimal] = {}
    for pk, tally in _tallies(edition, None).items():
        score = _score(tally, minimum)
        if score is not None:
            scores[pk] = score
    return scores


@dataclass(frozen=True)
class PublicBenefitRow:
    proposal: Proposal
    valid: int
    score: Decimal | None


def public_results(edition: Edition, *, now: datetime | None = None) -> list[PublicBenefitRow]:
    """Each rateable innovation's valid count and score, best first (no score last, then
    by title). Refused until the window has closed (rule 7). Three queries."""
    state = window_state(edition, now=now)
    window = rating_window(edition)
    if state == OPEN and window is not None:
        raise DomainError(
            _(
                "Hasil penilaian kebermanfaatan diumumkan setelah masa penilaian berakhir "
                "pada %(day)s."
            )
            % {"day": date_format(window[1], "j F Y")}
        )
    if state != CLOSED:
        raise _window_refusal(edition, state)
    minimum = _min_valid(_rules(edition))
    proposals = list(rateable_proposals(edition).select_related("institution"))
    tallies = _tallies(edition, [p.pk for p in proposals]) if proposals else {}
    rows = []
    for proposal in proposals:
        tally = tallies.get(proposal.pk) or _Tally()
        rows.append(PublicBenefitRow(proposal, tally.valid, _score(tally, minimum)))
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.proposal.title, r.proposal.pk))
    return rows


# --------------------------------------------------------------------------- monitoring


def may_monitor_ratings(person: Any, edition: Edition) -> bool:
    """Secretariat, superusers, and national readers who assess nothing in the edition
    (as :func:`decisions.may_read_evaluation`)."""
    return may_read_evaluation(person, edition)


def suspect_ratings(
    edition: Edition,
    *,
    actor: Any,
    proposal_id: int | None = None,
    suspicion: str = "",
) -> QuerySet[BenefitRating]:
    """The edition's suspect ratings (rules 4, 5), unreleased first, newest first.

    Filter by proposal and by rule (``burst``/``network``). Raises PermissionDenied
    unless the actor may monitor ratings.
    """
    if not may_monitor_ratings(actor, edition):
        raise PermissionDenied(_("Hanya Sekretariat yang dapat memantau penilaian kebermanfaatan."))
    if suspicion and suspicion not in RatingSuspicion.values:
        raise DomainError(_("Jenis kecurigaan tidak dikenal."), field="suspicion")
    ratings = (
        BenefitRating.objects.filter(edition=edition)
        .exclude(suspicion="")
        .select_related("proposal")
    )
    if proposal_id is not None:
        ratings = ratings.filter(proposal_id=proposal_id)
    if suspicion:
        ratings = ratings.filter(suspicion=suspicion)
    return ratings.order_by(F("released_at").asc(nulls_first=True), "-rated_at", "-pk")


def edition_ratings(edition: Edition, *, actor: Any) -> QuerySet[BenefitRating]:
    """Every rating of the edition for the staff download, by finalist then time, without
    the address hashes. Raises PermissionDenied unless the actor may monitor ratings."""
    if not may_monitor_ratings(actor, edition):
        raise PermissionDenied(_("Hanya Sekretariat yang dapat memantau penilaian kebermanfaatan."))
    return (
        BenefitRating.objects.filter(edition=edition)
        .select_related("proposal__institution")
        .defer("address_hash", "network_hash")
        .order_by("proposal__title", "proposal_id", "rated_at", "pk")
    )


def release_ratings(*, edition: Edition, rating_ids: Sequence[int], reason: str, actor: Any) -> int:
    """Rule 6: the secretariat releases suspect ratings so they count again.

    The reason (at least 20 characters) is stored on each rating and in one audit entry
    per rating. Ratings already released are left as they are; returns how many were
    released now. Every id must be a suspect rating of the edition.
    """
    access = access_for(actor)
    if not (access.is_secretariat or access.is_superuser):
        raise PermissionDenied(_("Hanya Sekretariat yang dapat melepas penilaian mencurigakan."))
    reason = (reason or "").strip()
    if len(reason) < RELEASE_REASON_MIN:
        raise DomainError(
            _("Alasan pelepasan minimal %(min)s karakter; tertulis %(n)s.")
            % {"min": RELEASE_REASON_MIN, "n": len(reason)},
            field="reason",
        )
    wanted = sorted(set(rating_ids))
    if not wanted:
        raise DomainError(_("Pilih penilaian yang akan dilepas."), field="rating_ids")
    now = timezone.now()
    released = 0
    with transaction.atomic():
        ratings = list(
            BenefitRating.objects.select_for_update()
            .filter(edition=edition, pk__in=wanted)
            .order_by("pk")
        )
        unknown = sorted(set(wanted) - {r.pk for r in ratings})
        if unknown:
            raise DomainError(
                _("Penilaian %(ids)s tidak ada pada penyelenggaraan ini.")
                % {"ids": ", ".join(f"#{pk}" for pk in unknown)},
                field="rating_ids",
            )
        plain = [r.pk for r in ratings if not r.suspicion]
        if plain:
            raise DomainError(
                _("Penilaian %(ids)s tidak ditandai mencurigakan.")
                % {"ids": ", ".join(f"#{pk}" for pk in plain)},
                field="rating_ids",
            )
        for rating in ratings:
            if rating.released_at is not None:
                continue
            rating.released_at = now
            rating.released_by = actor
            rating.release_reason = reason
            rating.save(update_fields=["released_at", "released_by", "release_reason"])
            audit.record(
                actor=actor,
                action="kipp.benefit.release",
                obj=rating,
                before={"suspicion": rating.suspicion, "released_at": None},
                after={"suspicion": rating.suspicion, "released_at": now},
                reason=reason,
            )
            released += 1
    return released


# --------------------------------------------------------------------------- rule 8


def edition_closed_at(edition: Edition) -> datetime | None:
    """When the edition closed (rule 8): None unless its state is ``closed``.

    The moment its last stage closed; an edition closed without any recorded stage close
    counts from the end of the last day of its calendar.
    """
    if edition.state != EditionState.CLOSED:
        return None
    closed = Stage.objects.filter(edition=edition).aggregate(last=Max("closed_at"))["last"]
    if closed is not None:
        return closed
    try:
        rules = _rules(edition)
    except DomainError:
        return None
    ends = [rules.calendar.registration.end, *(w.end for w in rules.calendar.events.values())]
    return window_close(max(ends).astimezone(WIB).date())


def purge_rating_addresses(*, now: datetime | None = None) -> int:
    """Rule 8: empty both address hashes of every edition closed at least 90 days ago.

    Also empties the edition's secret and sets ``addresses_purged_at``; one system audit
    entry per edition purged. Returns how many ratings had hashes emptied. Safe to run
    repeatedly (an edition is purged once).
    """
    now = now or timezone.now()
    purged = 0
    editions = Edition.objects.filter(programme="kipp", state=EditionState.CLOSED).order_by("pk")
    keys = {k.edition_id: k for k in BenefitRatingKey.objects.filter(edition__in=editions)}
    for edition in editions:
        key = keys.get(edition.pk)
        if key is not None and key.addresses_purged_at is not None:
            continue
        hashed = BenefitRating.objects.filter(edition=edition).exclude(
            address_hash="", network_hash=""
        )
        if key is None and not hashed.exists():
            continue
        closed = edition_closed_at(edition)
        if closed is None or now < closed + ADDRESS_RETENTION:
            continue
        with transaction.atomic():
            key, _created = BenefitRatingKey.objects.select_for_update().get_or_create(
                edition=edition, defaults={"secret": ""}
            )
            if key.addresses_purged_at is not None:
                continue
            count = hashed.update(address_hash="", network_hash="")
            key.secret = ""
            key.addresses_purged_at = now
            key.save(update_fields=["secret", "addresses_purged_at"])
            audit.record(
                actor=None,
                action="kipp.benefit.addresses_purged",
                obj=edition,
                after={"ratings": count, "closed_at": closed},
                reason=_("Alamat jaringan dihapus %(days)s hari setelah penyelenggaraan ditutup.")
                % {"days": ADDRESS_RETENTION.days},
            )
        purged += count
    return purged
