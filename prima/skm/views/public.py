"""The citizens' survey pages, mounted at /survei/ (no login; skm.md §7, mpp.md §9).

- ``/survei/<public_id>/``: the open survey form reached from the counter's QR code. One
  answer per browser per survey (a signed cookie), submissions rate-limited per address.
  A survey that requires a code refuses the open link and asks for one.
- ``/survei/<public_id>/terima-kasih/``: the thank-you page.
- ``/survei/kode/``: type a one-time code from a printed slip, then answer. Failed codes
  are counted per address, so guessing codes is throttled.
- ``/survei/t/<token>/``: an after-service link; a used or expired one answers 410.

Surveys are only reached by their random public id, never by their number. The answer
date is today in Jakarta (``TIME_ZONE``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_protect

from prima.core import ratelimit
from prima.core.domain.errors import DomainError
from prima.skm.domain.responses import ResponseRejected, record_response
from prima.skm.domain.tokens import (
    NoCollectingSurvey,
    TokenGone,
    TokenUnknown,
    answer_with_token,
    find_token,
    format_code,
    looks_like_code,
    survey_for_token,
)
from prima.skm.domain.versions import instrument as instrument_of
from prima.skm.enums import Channel, SurveyState, TokenKind
from prima.skm.interfaces.response_forms import ResponseForm, service_choices
from prima.skm.models import Survey, SurveyToken

ANSWERED_COOKIE_SALT = "prima.skm.answered"
HOUR = 3600


def submits_per_hour() -> int:
    """Survey submissions per client address per hour (`SKM_SUBMITS_PER_HOUR`).

    Generous: a service hall's guests often share one Wi-Fi address.
    """
    return int(settings.SKM_SUBMITS_PER_HOUR)


def code_failures_per_hour() -> int:
    """Wrong codes per client address per hour before code entry is refused."""
    return int(settings.SKM_CODE_FAILURES_PER_HOUR)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode survei"),
        max_length=20,
        help_text=_("8 huruf dan angka yang tercetak pada lembar, mis. K7P4-MX2Q."),
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg text-uppercase",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "aria-describedby": "id_code_helptext",
            }
        ),
    )


# ------------------------------------------------------------------------ helpers


def _cookie_name(survey: Survey) -> str:
    return f"skm_{survey.public_id}"


def _answered(request: HttpRequest, survey: Survey) -> bool:
    value = request.get_signed_cookie(_cookie_name(survey), default=None, salt=ANSWERED_COOKIE_SALT)
    return value == survey.public_id


def _remember_answer(response: HttpResponse, survey: Survey) -> None:
    days_left = (survey.period_end - timezone.localdate()).days + 1
    response.set_signed_cookie(
        _cookie_name(survey),
        survey.public_id,
        salt=ANSWERED_COOKIE_SALT,
        max_age=max(1, days_left) * 24 * HOUR,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _submission_allowed(request: HttpRequest) -> bool:
    return ratelimit.allow(
        "skm-submit",
        ratelimit.client_address(request),
        limit=submits_per_hour(),
        window_seconds=HOUR,
    )


def _code_block_key(request: HttpRequest) -> str:
    return f"prima:skm:code-blocked:{ratelimit.client_address(request)}"


def _code_entry_blocked(request: HttpRequest) -> bool:
    return bool(cache.get(_code_block_key(request)))


def _count_code_failure(request: HttpRequest) -> None:
    """One more wrong code from this address; past the limit, code entry is refused."""
    if not ratelimit.allow(
        "skm-code-fail",
        ratelimit.client_address(request),
        limit=code_failures_per_hour(),
        window_seconds=HOUR,
    ):
        cache.set(_code_block_key(request), 1, timeout=ratelimit.seconds_until_reset(HOUR))


def _too_many(request: HttpRequest, *, codes: bool = False) -> HttpResponse:
    wait = ratelimit.seconds_until_reset(HOUR)
    response = render(
        request,
        "skm/public/rate_limited.html",
        {"minutes": max(1, (wait + 59) // 60), "codes": codes},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _closed_reason(survey: Survey) -> str:
    """Why the survey takes no answers today, or "" when it does."""
    if survey.state == SurveyState.PLANNED:
        return "planned"
    if survey.state != SurveyState.COLLECTING:
        return "closed"
    today = timezone.localdate()
    if today < survey.period_start:
        return "planned"
    if today > survey.period_end:
        return "closed"
    return ""


def _closed(request: HttpRequest, survey: Survey, reason: str) -> HttpResponse:
    return render(
        request,
        "skm/public/closed.html",
        {
            "survey": survey,
            "reason": reason,
            "published": survey.state == SurveyState.PUBLISHED,
        },
    )


def _form(survey: Survey, data: Any = None, *, token: SurveyToken | None = None) -> ResponseForm:
    choices = service_choices(survey)
    form = ResponseForm(
        data, survey=survey, instrument=instrument_of(survey.instrument), service_choices=choices
    )
    if token is not None and token.service_code in {code for code, _name in choices}:
        form.initial["service_code"] = token.service_code
    return form


def _survey_page(
    request: HttpRequest,
    survey: Survey,
    form: ResponseForm,
    *,
    action: str,
    code: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "skm/public/survey.html",
        {"survey": survey, "form": form, "action": action, "code": code},
        status=status,
    )


def _gone(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "skm/public/gone.html", {"message": error.message}, status=410)


def _no_survey(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "skm/public/no_survey.html", {"message": error.message})


def _public_survey(public_id: str) -> Survey:
    return get_object_or_404(
        Survey.objects.select_related("unit", "unit__institution"), public_id=public_id
    )


def _thanks(survey: Survey) -> HttpResponse:
    response = redirect("skm_public_thanks", public_id=survey.public_id)
    _remember_answer(response, survey)
    return response


# ------------------------------------------------------------------------ pages


@csrf_protect
def survey_form(request: HttpRequest, public_id: str) -> HttpResponse:
    """The open survey form of a collecting survey (from the QR code at the counter)."""
    survey = _public_survey(public_id)
    reason = _closed_reason(survey)
    if reason:
        return _closed(request, survey, reason)
    if survey.requires_token:
        return render(
            request,
            "skm/public/needs_code.html",
            {"survey": survey, "form": CodeForm()},
            status=403 if request.method == "POST" else 200,
        )
    if _answered(request, survey):
        return render(
            request,
            "skm/public/answered.html",
            {"survey": survey},
            status=409 if request.method == "POST" else 200,
        )
    action = request.path
    if request.method != "POST":
        return _survey_page(request, survey, _form(survey), action=action)
    if not _submission_allowed(request):
        return _too_many(request)
    form = _form(survey, request.POST)
    if form.is_valid():
        try:
            record_response(survey, form.to_input(timezone.localdate()), channel=Channel.ONLINE)
        except ResponseRejected as rejected:
            form.apply_errors(rejected)
        except DomainError:
            # Closed between showing the form and sending it.
            return _closed(request, survey, "closed")
        else:
            return _thanks(survey)
    return _survey_page(request, survey, form, action=action, status=400)


def thanks(request: HttpRequest, public_id: str) -> HttpResponse:
    survey = _public_survey(public_id)
    return render(
        request,
        "skm/public/thanks.html",
        {"survey": survey, "published": survey.state == SurveyState.PUBLISHED},
    )


@csrf_protect
def code_entry(request: HttpRequest) -> HttpResponse:
    """Type a one-time code, then answer the unit's survey on the same address.

    Step 1 posts only ``code``; step 2 posts the code again (hidden) with the answers.
    """
    if request.method != "POST":
        initial = request.GET.get("kode", "")
        form = CodeForm(initial={"code": format_code(initial)} if initial else None)
        return render(request, "skm/public/code.html", {"form": form})
    if _code_entry_blocked(request):
        return _too_many(request, codes=True)
    form = CodeForm(request.POST)
    if not form.is_valid():
        return render(request, "skm/public/code.html", {"form": form}, status=400)
    code = form.cleaned_data["code"]
    try:
        if not looks_like_code(code):
            raise TokenUnknown(
                gettext("Kode harus 8 huruf/angka, mis. K7P4-MX2Q. Periksa kembali kode Anda.")
            )
        token = find_token(code, kind=TokenKind.CODE)
        survey = survey_for_token(token, timezone.localdate())
    except TokenUnknown as unknown:
        _count_code_failure(request)
        form.add_error("code", unknown.message)
        return render(request, "skm/public/code.html", {"form": form}, status=400)
    except TokenGone as gone:
        return _gone(request, gone)
    except NoCollectingSurvey as none:
        return _no_survey(request, none)
    shown = format_code(code)
    if "answering" not in request.POST:
        return _survey_page(request, survey, _form(survey, token=token), action="", code=shown)
    return _answer_with_token(request, survey, token, code, code_shown=shown)


@csrf_protect
def token_survey(request: HttpRequest, token: str) -> HttpResponse:
    """An after-service link (mpp.md §9): the unit's collecting survey, answered once."""
    try:
        found = find_token(token, kind=TokenKind.LINK)
        survey = survey_for_token(found, timezone.localdate())
    except TokenUnknown:
        # A mistyped or truncated link: say so kindly (still 404, nothing is revealed).
        return render(request, "skm/public/unknown_link.html", status=404)
    except TokenGone as gone:
        return _gone(request, gone)
    except NoCollectingSurvey as none:
        return _no_survey(request, none)
    if request.method != "POST":
        return _survey_page(request, survey, _form(survey, token=found), action=request.path)
    return _answer_with_token(request, survey, found, token)


def _answer_with_token(
    request: HttpRequest,
    survey: Survey,
    token: SurveyToken,
    secret: str,
    *,
    code_shown: str = "",
) -> HttpResponse:
    if not _submission_allowed(request):
        return _too_many(request)
    action = "" if code_shown else request.path
    form = _form(survey, request.POST, token=token)
    if form.is_valid():
        try:
            answer_with_token(
                secret, form.to_input(timezone.localdate()), kind=TokenKind(token.kind)
            )
        except ResponseRejected as rejected:
            form.apply_errors(rejected)
        except TokenGone as gone:
            return _gone(request, gone)
        except (TokenUnknown, NoCollectingSurvey) as problem:
            return _no_survey(request, problem)
        except DomainError:
            return _closed(request, survey, "closed")
        else:
            return _thanks(survey)
    return _survey_page(request, survey, form, action=action, code=code_shown, status=400)
