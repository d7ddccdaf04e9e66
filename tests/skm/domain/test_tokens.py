"""One-time codes and after-service links (skm.md §7, mpp.md §9)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.utils import timezone

from prima.core.domain.errors import DomainError, PermissionDenied
from prima.core.enums import Role
from prima.core.models import AuditEntry
from prima.skm.domain.responses import ResponseInput, ResponseRejected
from prima.skm.domain.tokens import (
    CODE_ALPHABET,
    NoCollectingSurvey,
    TokenGone,
    TokenUnknown,
    answer_with_token,
    code_expiry,
    find_token,
    format_code,
    issue_codes,
    issue_link_token,
    normalise_code,
)
from prima.skm.enums import Channel, SurveyState, TokenKind
from prima.skm.models import Response, Survey, SurveyToken
from tests.factories import ServiceFactory, SurveyFactory, person_with_role

pytestmark = pytest.mark.django_db
# Expiry is checked against the clock, so the tests answer today, in today's quarter.
TODAY = timezone.localdate()
QUARTER = f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}"


def answers(value: int = 3) -> dict[str, int | None]:
    return {f"U{n}": value for n in range(1, 10)}


def response_input(**extra) -> ResponseInput:
    return ResponseInput(answered_on=TODAY, answers=answers(), **extra)


@pytest.fixture
def survey(unit_a) -> Survey:
    return SurveyFactory(unit=unit_a, period_code=QUARTER)


def test_codes_are_short_unambiguous_and_only_their_digests_are_stored(operator_a, unit_a):
    codes = issue_codes(actor=operator_a, unit=unit_a, count=25, issued_on=TODAY, batch="Loket 1")

    assert len(codes) == len(set(codes)) == 25
    for code in codes:
        assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
        assert set(normalise_code(code)) <= set(CODE_ALPHABET)
    assert not set("01OIL") & set(CODE_ALPHABET)
    rows = SurveyToken.objects.filter(unit=unit_a)
    assert rows.count() == 25
    digests = set(rows.values_list("digest", flat=True))
    assert digests == {hashlib.sha256(normalise_code(c).encode()).hexdigest() for c in codes}
    stored = " ".join(f"{r.digest} {r.batch} {r.service_code}" for r in rows)
    assert not any(normalise_code(c) in stored or c in stored for c in codes)
    assert set(rows.values_list("kind", "batch", "issued_by")) == {
        (TokenKind.CODE, "Loket 1", operator_a.pk)
    }


def test_issuing_codes_is_audited_once_without_the_codes(operator_a, unit_a):
    codes = issue_codes(actor=operator_a, unit=unit_a, count=3, issued_on=TODAY)

    entry = AuditEntry.objects.get(action="skm.codes.issued")
    assert entry.after["count"] == 3
    assert not any(normalise_code(c) in str(entry.after) for c in codes)


def test_a_code_is_valid_through_its_last_day_in_jakarta(operator_a, unit_a):
    day = dt.date(2025, 5, 6)
    issue_codes(actor=operator_a, unit=unit_a, count=1, issued_on=day, valid_days=30)
    token = SurveyToken.objects.get()
    assert timezone.localtime(token.expires_at) == timezone.localtime(code_expiry(day, 30))
    assert timezone.localtime(token.expires_at).date() == dt.date(2025, 6, 5)
    assert timezone.localtime(token.expires_at).time() == dt.time(0, 0)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"count": 0}, "count"),
        ({"count": 1001}, "count"),
        ({"valid_days": 0}, "valid_days"),
        ({"batch": "x" * 61}, "batch"),
        ({"service_code": "TIDAK-ADA"}, "service_code"),
    ],
)
def test_bad_issue_requests_change_nothing(operator_a, unit_a, kwargs, field):
    params = {"actor": operator_a, "unit": unit_a, "count": 5, "issued_on": TODAY, **kwargs}
    with pytest.raises(DomainError) as error:
        issue_codes(**params)
    assert error.value.field == field
    assert not SurveyToken.objects.exists()


def test_only_people_who_run_the_unit_issue_codes(unit_a, operator_b, admin_a, secretariat):
    with pytest.raises(PermissionDenied):
        issue_codes(actor=operator_b, unit=unit_a, count=1, issued_on=TODAY)
    viewer = person_with_role(Role.VIEWER)
    with pytest.raises(PermissionDenied):
        issue_codes(actor=viewer, unit=unit_a, count=1, issued_on=TODAY)
    assert len(issue_codes(actor=admin_a, unit=unit_a, count=1, issued_on=TODAY)) == 1
    assert len(issue_codes(actor=secretariat, unit=unit_a, count=1, issued_on=TODAY)) == 1


def test_codes_are_found_however_they_are_typed(operator_a, unit_a):
    (code,) = issue_codes(actor=operator_a, unit=unit_a, count=1, issued_on=timezone.localdate())
    raw = normalise_code(code)
    for typed in (code, raw.lower(), f" {raw[:4]} {raw[4:]} ", format_code(raw)):
        assert find_token(typed, kind=TokenKind.CODE).unit == unit_a
    with pytest.raises(TokenUnknown):
        find_token("ABCD-EFGH", kind=TokenKind.CODE)


def test_answering_with_a_code_stores_a_token_response_and_uses_the_code(
    survey, operator_a, unit_a
):
    (code,) = issue_codes(actor=operator_a, unit=unit_a, count=1, issued_on=TODAY)

    response = answer_with_token(code, response_input(), kind=TokenKind.CODE)

    assert response.survey == survey
    assert response.channel == Channel.TOKEN
    survey.refresh_from_db()
    assert survey.respondents == 1
    token = SurveyToken.objects.get()
    assert token.used_at is not None
    # Only the day of use is kept: its time cannot be matched to the response's creation.
    used = timezone.localtime(token.used_at)
    assert used.date() == TODAY and used.time() == dt.time.min
    # Nothing on the response points at the token.
    fields = {f.name for f in Response._meta.get_fields()}
    assert not {"token", "survey_token", "digest"} & fields


def test_a_used_code_is_gone_and_writes_nothing(survey, operator_a, unit_a):
    (code,) = issue_codes(actor=operator_a, unit=unit_a, count=1, issued_on=TODAY)
    answer_with_token(code, response_input(), kind=TokenKind.CODE)

    with pytest.raises(TokenGone, match="sudah dipakai"):
        answer_with_token(code, response_input(), kind=TokenKind.CODE)
    with pytest.raises(TokenGone):
        find_token(code)
    assert Response.objects.count() == 1


def test_an_expired_code_is_gone(survey, operator_a, unit_a):
    (code,) = issue_codes(
        actor=operator_a, unit=unit_a, count=1, issued_on=dt.date(2025, 1, 1), valid_days=3
    )
    with pytest.raises(TokenGone, match=r"kedaluwarsa \(berlaku sampai 03-01-2025 23\.59"):
        answer_with_token(code, response_input(), kind=TokenKind.CODE)
    assert not Response.objects.exists()
    assert SurveyToken.objects.get().used_at is None


def test_rejected_answers_leave_the_code_unused(survey, operator_a, unit_a):
    (code,) = issue_codes(actor=operator_a, unit=unit_a, count=1, issued_on=TODAY)
    blank = ResponseInput(answered_on=TODAY, answers={})
    with pytest.raises(ResponseRejected):
        answer_with_token(code, blank, kind=TokenKind.CODE)
    assert SurveyToken.objects.get().used_at is None
    assert not Response.objects.exists()


def test_without_a_collecting_survey_the_code_stays_unused(operator_a, unit_a):
    SurveyFactory(unit=unit_a, period_code=QUARTER, state=SurveyState.CLOSED)
    (code,) = issue_codes(actor=operator_a, unit=unit_a, count=1, issued_on=TODAY)
    with pytest.raises(NoCollectingSurvey):
        answer_with_token(code, response_input(), kind=TokenKind.CODE)
    assert SurveyToken.objects.get().used_at is None


def test_the_survey_is_the_one_whose_period_holds_the_answer_date(operator_a, unit_a):
    SurveyFactory(unit=unit_a, period_code=f"{TODAY.year - 1}-Q4")
    SurveyFactory(unit=unit_a, period_code=f"{TODAY.year + 1}-Q1")
    current = SurveyFactory(unit=unit_a, period_code=QUARTER)
    (code,) = issue_codes(actor=operator_a, unit=unit_a, count=1, issued_on=TODAY)
    assert answer_with_token(code, response_input(), kind=TokenKind.CODE).survey == current


def test_a_link_token_is_32_random_bytes_valid_7_days(unit_a):
    service = ServiceFactory(unit=unit_a, code="KTP-EL")
    secret = issue_link_token(unit=unit_a, service_code="KTP-EL", completed_on=TODAY)

    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", secret)
    token = SurveyToken.objects.get()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert token.kind == TokenKind.LINK
    assert token.service_code == service.code
    assert token.issued_on == TODAY
    lifetime = token.expires_at - token.created_at
    assert dt.timedelta(days=7) - dt.timedelta(minutes=1) < lifetime <= dt.timedelta(days=7)
    assert AuditEntry.objects.filter(action="skm.link.issued").count() == 1


def test_a_link_names_the_service_of_its_response(unit_a):
    survey = SurveyFactory(unit=unit_a, period_code=QUARTER)
    ServiceFactory(unit=unit_a, code="KTP-EL")
    ServiceFactory(unit=unit_a, code="KK-BARU")
    secret = issue_link_token(unit=unit_a, service_code="KTP-EL", completed_on=TODAY)

    response = answer_with_token(secret, response_input(service_code="KK-BARU"))

    assert response.survey == survey
    assert response.service_code == "KTP-EL"


def test_a_code_is_not_accepted_as_a_link_and_vice_versa(survey, operator_a, unit_a):
    (code,) = issue_codes(actor=operator_a, unit=unit_a, count=1, issued_on=TODAY)
    secret = issue_link_token(unit=unit_a, service_code="", completed_on=TODAY)
    with pytest.raises(TokenUnknown):
        find_token(code, kind=TokenKind.LINK)
    with pytest.raises(TokenUnknown):
        find_token(secret, kind=TokenKind.CODE)


def test_link_issue_checks_the_actor_when_there_is_one(unit_a, operator_b):
    with pytest.raises(PermissionDenied):
        issue_link_token(actor=operator_b, unit=unit_a, service_code="", completed_on=TODAY)
    assert not SurveyToken.objects.exists()
