"""Account pages: requests for Admin Lokal, operators, people and roles, activation,
password reset, the person's own profile and API tokens.

Every write goes through `prima.core.domain.accounts` / `tokens`; who may see what comes
from the access layer and the scoped querysets (a page someone may not use answers 403,
an object they may not see 404).
"""

from prima.core.views_accounts.operators import operator_create, operator_list
from prima.core.views_accounts.passwords import (
    AccountActivateView,
    PasswordResetConfirmView,
    PasswordResetView,
)
from prima.core.views_accounts.people import (
    membership_grant,
    membership_revoke,
    person_create,
    person_deactivate,
    person_detail,
    person_list,
    person_reactivate,
    person_resend_activation,
)
from prima.core.views_accounts.profile import profile
from prima.core.views_accounts.requests import (
    account_request_approve,
    account_request_create,
    account_request_detail,
    account_request_letter,
    account_request_list,
    account_request_reject,
    account_request_sent,
)
from prima.core.views_accounts.tokens import token_list, token_revoke

__all__ = [
    "AccountActivateView",
    "PasswordResetConfirmView",
    "PasswordResetView",
    "account_request_approve",
    "account_request_create",
    "account_request_detail",
    "account_request_letter",
    "account_request_list",
    "account_request_reject",
    "account_request_sent",
    "membership_grant",
    "membership_revoke",
    "operator_create",
    "operator_list",
    "person_create",
    "person_deactivate",
    "person_detail",
    "person_list",
    "person_reactivate",
    "person_resend_activation",
    "profile",
    "token_list",
    "token_revoke",
]
