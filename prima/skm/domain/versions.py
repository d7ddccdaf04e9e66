"""Which SKM instrument versions exist and how each is set (skm.md §1, §5).

Instruments are the YAML files `instruments/skm-*.yaml`; their per-version setting (the
weight rule, whether new surveys may use it) is an :class:`InstrumentSetting` row created on
first use with the file's own values.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from prima.core.domain.errors import DomainError
from prima.skm.domain.instruments import SkmInstrument, load_instrument
from prima.skm.models import InstrumentSetting

# No revision of the 2017 instrument is published (skm.md §1): it stays the one for new
# surveys until the secretariat loads another; skm-2004 is for historical data only.
CURRENT_INSTRUMENT = "skm-2017"


def instruments_dir() -> Path:
    return Path(settings.PROJECT_DIR) / "instruments"


def known_codes() -> list[str]:
    """Every SKM instrument version in `instruments/`, oldest first."""
    return sorted(path.stem for path in instruments_dir().glob("skm-*.yaml"))


@cache
def _load(path: Path) -> SkmInstrument:
    return load_instrument(path)


def instrument(code: str) -> SkmInstrument:
    """The instrument of a version code; DomainError when there is no such file."""
    path = instruments_dir() / f"{code}.yaml"
    if not code.startswith("skm-") or "/" in code or not path.is_file():
        raise DomainError(
            _("Instrumen %(code)s tidak dikenal; yang tersedia: %(known)s.")
            % {"code": code, "known": ", ".join(known_codes())},
            field="instrument",
        )
    return _load(path)


def setting_for(code: str) -> InstrumentSetting:
    """The version's setting, created with the file's weight rule on first use."""
    found = InstrumentSetting.objects.filter(code=code).first()
    if found is not None:
        return found
    version = instrument(code)
    setting, _created = InstrumentSetting.objects.get_or_create(
        code=code,
        defaults={
            "weight_rule": version.weight_rule,
            "accepts_new_surveys": code == CURRENT_INSTRUMENT,
        },
    )
    return setting
