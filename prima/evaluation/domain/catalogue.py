"""The instrument catalogue: validated instruments stored in the database (DESIGN.md §5).

An instrument file is validated by `instruments.load_instrument`; the stored row keeps
the canonical data (`instruments.to_data`, numbers as text so it is JSON) and its
SHA-256. A row is immutable once used: any change then needs a new version. Results
rebuild the domain `Instrument` from the row with `instrument_of`.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.core.access import access_for
from prima.core.domain import audit
from prima.core.domain.errors import DomainError, PermissionDenied
from prima.evaluation.domain import instruments
from prima.evaluation.models import Instrument
from prima.innovations.enums import Programme

# content_hash → domain instrument; content is immutable per hash, so entries never go stale.
_BUILT: dict[str, instruments.Instrument] = {}


def json_ready(value: Any) -> Any:
    """`to_data` output with every `Decimal` as its text, so it can go into a JSONField."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    return value


def _check_actor(actor: Any) -> None:
    # `actor=None` is the system (the loader command run by an operator on the server).
    if actor is None:
        return
    access = access_for(actor)
    if not (access.is_secretariat or access.is_superuser):
        raise PermissionDenied(_("Hanya Sekretariat yang dapat memuat instrumen."))


def load_instrument_file(path: str | os.PathLike[str], *, actor: Any) -> Instrument:
    """Validate an instrument YAML file and store it; return its row.

    The same code and version with identical content returns the existing row unchanged.
    Different content replaces an unused row (audited) and is refused for a used one:
    a used instrument needs a new version.
    """
    _check_actor(actor)
    source = Path(path)
    try:
        loaded = instruments.load_instrument(source)
    except instruments.InstrumentError as error:
        lines = "\n".join(f"- {problem}" for problem in error.problems)
        raise DomainError(
            _("Instrumen %(name)s tidak sah (%(count)s masalah):\n%(lines)s")
            % {"name": source.name, "count": len(error.problems), "lines": lines}
        ) from error
    except OSError as error:
        raise DomainError(
            _("Berkas instrumen %(name)s tidak dapat dibaca: %(error)s")
            % {"name": source.name, "error": error.strerror or error}
        ) from error
    if loaded.programme not in Programme.values:
        raise DomainError(
            _("Instrumen %(name)s: program %(programme)r tidak dikenal; yang ada: %(known)s.")
            % {
                "name": source.name,
                "programme": loaded.programme,
                "known": ", ".join(Programme.values),
            },
            field="programme",
        )
    content = json_ready(instruments.to_data(loaded))
    digest = instruments.content_hash(loaded)
    values = {
        "programme": loaded.programme,
        "title": loaded.title[:200],
        "content": content,
        "content_hash": digest,
        "source_name": source.name[:200],
    }
    with transaction.atomic():
        row = (
            Instrument.objects.select_for_update(of=("self",))
            .filter(code=loaded.code, version=loaded.version)
            .first()
        )
        if row is None:
            row = Instrument.objects.create(code=loaded.code, version=loaded.version, **values)
            audit.record(
                actor=actor,
                action="evaluation.instrument.load",
                obj=row,
                after={"content_hash": digest, "source_name": row.source_name},
            )
            return row
        if row.content_hash == digest:
            return row
        if row.used_at is not None:
            raise DomainError(
                _(
                    "Instrumen %(code)s versi %(version)s sudah dipakai sejak %(used)s dan "
                    "isinya tidak boleh diubah; versi baru diperlukan (naikkan «version» "
                    "di berkas)."
                )
                % {
                    "code": row.code,
                    "version": row.version,
                    "used": timezone.localtime(row.used_at).strftime("%d-%m-%Y %H:%M"),
                },
                field="version",
            )
        before = {"content_hash": row.content_hash, "source_name": row.source_name}
        for name, value in values.items():
            setattr(row, name, value)
        row.save(update_fields=list(values))
        audit.record(
            actor=actor,
            action="evaluation.instrument.replace",
            obj=row,
            before=before,
            after={"content_hash": digest, "source_name": row.source_name},
            reason=_("Isi instrumen yang belum dipakai diganti."),
        )
    return row


def mark_used(instrument: Instrument, *, actor: Any = None) -> bool:
    """Record the first use of an instrument (registration opens, a first sheet is saved).

    Sets `used_at` once; returns whether this call set it. From then on the content is
    frozen (`load_instrument_file` refuses changes).
    """
    with transaction.atomic():
        now = timezone.now()
        changed = Instrument.objects.filter(pk=instrument.pk, used_at__isnull=True).update(
            used_at=now
        )
        if changed:
            instrument.used_at = now
            audit.record(
                actor=actor,
                action="evaluation.instrument.mark_used",
                obj=instrument,
                after={"used_at": now, "content_hash": instrument.content_hash},
            )
        elif instrument.used_at is None:
            instrument.refresh_from_db(fields=["used_at"])
    return bool(changed)


def instrument_of(row: Instrument) -> instruments.Instrument:
    """The domain instrument of a stored row, built once per content hash.

    Refuses a row whose content no longer matches its hash (edited outside the domain).
    """
    built = _BUILT.get(row.content_hash)
    if built is not None:
        return built
    built = instruments.build(row.content)
    if instruments.content_hash(built) != row.content_hash:
        raise DomainError(
            _("Isi instrumen %(code)s versi %(version)s tidak cocok dengan hash tersimpan.")
            % {"code": row.code, "version": row.version}
        )
    _BUILT[row.content_hash] = built
    return built
