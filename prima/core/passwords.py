"""Password rule: at least one upper-case letter, one lower-case letter and one digit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MixedCharacterValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if not (
            any(c.isupper() for c in password)
            and any(c.islower() for c in password)
            and any(c.isdigit() for c in password)
        ):
            raise ValidationError(
                _("Kata sandi harus memuat huruf besar, huruf kecil, dan angka."),
                code="password_not_mixed",
            )

    def get_help_text(self) -> str:
        return _("Kata sandi Anda harus memuat huruf besar, huruf kecil, dan angka.")
