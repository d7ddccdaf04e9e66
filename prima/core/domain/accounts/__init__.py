"""Accounts: onboarding an institution's Admin Lokal, operators, people, roles, passwords.

Every write here validates, runs in one transaction with its audit entries, and sends
its e-mail only after the transaction commits. Passwords are never sent: a new account
receives a one-time activation link (Django's token generator; the token stops working
as soon as a password is set, and after PASSWORD_RESET_TIMEOUT).

Decision on the first-login flags: accounts created here choose their own password through
the activation link, so `must_change_password` is False; `must_complete_profile` is True so
that the person confirms the data someone else typed for them (and adds their NIP) before
working. Accounts created any other way keep the model defaults (both gates on).
"""

from prima.core.domain.accounts.common import (
    GRANTABLE_ROLES,
    MEMBERSHIP_FIELDS,
    PERSON_FIELDS,
    PROFILE_FIELDS,
    REQUEST_FIELDS,
)
from prima.core.domain.accounts.mail import activation_link
from prima.core.domain.accounts.memberships import grant_membership, revoke_membership
from prima.core.domain.accounts.people import (
    create_person,
    create_unit_operator,
    deactivate_person,
    reactivate_person,
    resend_activation,
)
from prima.core.domain.accounts.profile import PASSWORD_ACTIONS, set_password, update_profile
from prima.core.domain.accounts.requests import (
    approve_account_request,
    reject_account_request,
    submit_account_request,
)

__all__ = [
    "GRANTABLE_ROLES",
    "MEMBERSHIP_FIELDS",
    "PASSWORD_ACTIONS",
    "PERSON_FIELDS",
    "PROFILE_FIELDS",
    "REQUEST_FIELDS",
    "activation_link",
    "approve_account_request",
    "create_person",
    "create_unit_operator",
    "deactivate_person",
    "grant_membership",
    "reactivate_person",
    "reject_account_request",
    "resend_activation",
    "revoke_membership",
    "set_password",
    "submit_account_request",
    "update_profile",
]
