"""Account e-mails: rendered inside the transaction, sent after it commits."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from prima.core.enums import Role, Scope
from prima.core.models import Person

logger = logging.getLogger(__name__)


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def activation_link(person: Person) -> str:
    """The one-time link with which a new person chooses their password."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    return site_url(reverse("account_activate", kwargs={"uidb64": uid, "token": token}))


def mail_on_commit(
    *,
    subject: str,
    template: str,
    context: dict[str, Any],
    to: Sequence[str] = (),
    bcc: Sequence[str] = (),
) -> None:
    """Render now (inside the transaction, with the data as written), send after commit.

    A mail outage must not undo or hide a committed decision, so a failed send is logged
    and the secretariat can resend the activation link from the person's page.
    """
    recipients = [address for address in to if address]
    hidden = [address for address in bcc if address]
    if not recipients and not hidden:
        return
    # E-mails go out in Indonesian whatever language the person who acted was using:
    # recipients are officials of Indonesian institutions (subjects use gettext_noop).
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, {"site_url": settings.SITE_URL, **context})
    message = EmailMessage(
        subject=f"[Prima] {subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        bcc=hidden,
    )

    def send() -> None:
        try:
            message.send(fail_silently=False)
        except Exception:
            logger.exception("Sending e-mail %r failed", subject)

    transaction.on_commit(send)


def secretariat_emails() -> list[str]:
    return sorted(
        set(
            Person.objects.filter(
                is_active=True,
                memberships__role=Role.SECRETARIAT,
                memberships__scope=Scope.NATIONAL,
                memberships__is_active=True,
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def send_activation(person: Person, *, subject: str, intro: str) -> None:
    mail_on_commit(
        subject=subject,
        template="core/accounts/email/activation.txt",
        context={
            "person": person,
            "intro": intro,
            "link": activation_link(person),
            "username": person.get_username(),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        },
        to=[person.email],
    )
