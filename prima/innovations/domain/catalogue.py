"""Rules of the public innovation catalogue that are plain computations (pkri.md §9).

Pure: no ORM, no settings (texts are translated).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from prima.innovations.domain.lineage import LineageMetrics

# The lineage diagram shows this many generations each way unless the reader asks for more,
# and never more than the maximum (the page stays readable and its queries bounded).
DEFAULT_GENERATIONS = 2
MAX_GENERATIONS = 8


def generations_wanted(raw: object) -> int:
    """The number of diagram generations a reader asked for (`?generasi=`): a whole number
    from 1 to `MAX_GENERATIONS`; anything else gives the default."""
    try:
        wanted = int(str(raw))
    except ValueError:
        return DEFAULT_GENERATIONS
    if wanted < 1:
        return DEFAULT_GENERATIONS
    return min(wanted, MAX_GENERATIONS)


def replication_sentence(metrics: LineageMetrics) -> str:
    """«Direplikasi oleh N instansi di M provinsi» over confirmed and verified links
    (claimed ones are told apart by `claimed_note`)."""
    if not metrics.institutions:
        return _("Belum tercatat direplikasi")
    if not metrics.provinces:
        return _("Direplikasi oleh %(n)d instansi") % {"n": metrics.institutions}
    return _("Direplikasi oleh %(n)d instansi di %(m)d provinsi") % {
        "n": metrics.institutions,
        "m": metrics.provinces,
    }


def claimed_note(metrics: LineageMetrics) -> str:
    """«+K klaim belum terverifikasi», or nothing when no direct replica is only claimed."""
    if not metrics.direct_claimed:
        return ""
    return _("+%(k)d klaim belum terverifikasi") % {"k": metrics.direct_claimed}
