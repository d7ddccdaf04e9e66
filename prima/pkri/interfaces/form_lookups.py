"""Answers of a PKRI form that name an innovation or an institution (pkri.md §6): which
ones a person may choose, the names shown for stored ids, the server-side search behind
the choice widgets, and the refusal of an id outside the choices.

The stored value stays the id; the form's own rules (:mod:`prima.pkri.domain.form_rules`)
still check it as before. A lookup (``Field.lookup`` in :mod:`.form_fields`) is one of:

- ``institution``: the active institutions of the registry (who replicated);
- ``innovation``: the innovations the person may see and the published ones, never the
  form's own (a replica, a successor, the original of a facilitation row);
- ``top``: the Top innovations of the edition's source years (pkri.md §6.2: the original of
  a replication form);
- ``locus``: the innovations of the form's institution (the ones a programme covers).

A lookup of at most :data:`LIST_ALL` choices lists them all; a larger one shows the stored
choice and the results of a search (at most :data:`SEARCH_RESULTS`), so the page stays
small for ~1,000 innovations or 631+ institutions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as lazy

from prima.core.models import Institution, Person
from prima.innovations.models import AwardRecord, Innovation
from prima.innovations.queries import innovations_visible_to
from prima.pkri.domain.config import rules_for
from prima.pkri.domain.forms import REPLICATION_ROWS
from prima.pkri.enums import FormKind
from prima.pkri.interfaces.form_fields import Layout, lookup_values
from prima.pkri.models import SelfAssessment

LIST_ALL = 40  # a lookup this small is listed whole
SEARCH_RESULTS = 20
MAX_QUERY = 100  # characters of a search


@dataclass(frozen=True)
class Lookup:
    code: str
    model: type[Institution] | type[Innovation]
    noun: Any  # what is chosen, for labels ("instansi")
    refusal: Any  # message for an id outside the choices: %(id)s


LOOKUPS: Mapping[str, Lookup] = {
    "institution": Lookup(
        "institution",
        Institution,
        lazy("instansi"),
        lazy("Instansi #%(id)s tidak ada di registri atau tidak aktif; pilih dari daftar."),
    ),
    "innovation": Lookup(
        "innovation",
        Innovation,
        lazy("inovasi"),
        lazy(
            "Inovasi #%(id)s tidak dapat dipilih di sini: pilih inovasi yang tampil di katalog "
            "publik atau yang dapat Anda lihat (bukan inovasi formulir ini)."
        ),
    ),
    "top": Lookup(
        "top",
        Innovation,
        lazy("inovasi"),
        lazy(
            "Inovasi #%(id)s bukan inovasi Top KIPP tahun sumber penyelenggaraan ini; pilih "
            "inovasi asal dari daftar."
        ),
    ),
    "locus": Lookup(
        "locus",
        Innovation,
        lazy("inovasi"),
        lazy("Inovasi #%(id)s bukan inovasi instansi ini; pilih dari daftar."),
    ),
}


def label_of(obj: Institution | Innovation) -> str:
    """How a choice reads: an institution by its name, an innovation with its institution."""
    if isinstance(obj, Institution):
        return obj.name
    owner = obj.institution
    return f"{obj.name} — {owner.short_name or owner.name}"


def names_of(ids: Mapping[str, Iterable[int]]) -> dict[str, dict[int, str]]:
    """Lookup → id → name (`label_of`) for the given ids; one query per model."""
    wanted: dict[type[Any], set[int]] = defaultdict(set)
    for lookup, found in ids.items():
        wanted[LOOKUPS[lookup].model] |= set(found)
    named: dict[type[Any], dict[int, str]] = {}
    for model, pks in wanted.items():
        qs = model.objects.filter(pk__in=pks)
        if model is Innovation:
            qs = qs.select_related("institution")
        named[model] = {obj.pk: label_of(obj) for obj in qs}
    return {lookup: named.get(LOOKUPS[lookup].model, {}) for lookup in ids}


def _as_ids(value: Any) -> list[int]:
    items = value if isinstance(value, list) else [value]
    return [i for i in items if isinstance(i, int) and not isinstance(i, bool)]


class FormLookups:
    """The lookups of one form for one person (querysets are built lazily, once)."""

    def __init__(self, form: SelfAssessment, person: Person) -> None:
        self.form = form
        self.person = person
        self._sizes: dict[str, int] = {}

    def _own_innovation_id(self) -> int | None:
        obj = self.form.object
        return obj.innovation_id if obj is not None else None

    def choices(self, lookup: str) -> QuerySet[Any]:
        """Everything the person may choose for a lookup."""
        if lookup == "institution":
            return Institution.objects.filter(is_active=True)
        if lookup == "innovation":
            qs = Innovation.objects.filter(
                Q(pk__in=innovations_visible_to(self.person).values("pk")) | Q(is_published=True)
            )
            own = self._own_innovation_id()
            return qs.exclude(pk=own) if own else qs
        if lookup == "top":
            rules = rules_for(self.form.edition)
            source = (self.form.edition.rules.get("scope") or {}).get("source_programme", "kipp")
            # The same records as the scope's Top objects (prima.pkri.domain.scope.top_records).
            tops = AwardRecord.objects.filter(
                programme=source,
                revoked=False,
                level__in=rules.source_levels,
                year__gte=rules.source_years[0],
                year__lte=rules.source_years[1],
            ).values("innovation_id")
            qs = Innovation.objects.filter(pk__in=tops)
            own = self._own_innovation_id()
            return qs.exclude(pk=own) if own else qs
        if lookup == "locus":
            return Innovation.objects.filter(institution_id=self.form.locus.institution_id)
        raise KeyError(lookup)

    def _ordered(self, lookup: str) -> QuerySet[Any]:
        qs = self.choices(lookup)
        if LOOKUPS[lookup].model is Innovation:
            return qs.select_related("institution").order_by("name", "institution__name", "pk")
        return qs.order_by("name", "pk")

    def size(self, lookup: str) -> int:
        if lookup not in self._sizes:
            self._sizes[lookup] = self.choices(lookup).count()
        return self._sizes[lookup]

    def listed_whole(self, lookup: str) -> bool:
        return self.size(lookup) <= LIST_ALL

    def everything(self, lookup: str) -> list[tuple[int, str]]:
        return [(obj.pk, label_of(obj)) for obj in self._ordered(lookup)]

    def search(self, lookup: str, query: str) -> tuple[list[tuple[int, str]], bool]:
        """The choices matching ``query`` (name, acronym or institution; ``#12`` or ``12``
        the id), at most SEARCH_RESULTS; and whether more matched."""
        text = query.strip()[:MAX_QUERY]
        if not text:
            return [], False
        number = text.removeprefix("#")
        if LOOKUPS[lookup].model is Innovation:
            match = (
                Q(name__icontains=text)
                | Q(acronym__icontains=text)
                | Q(institution__name__icontains=text)
                | Q(institution__short_name__icontains=text)
            )
        else:
            match = Q(name__icontains=text) | Q(short_name__icontains=text)
        if number.isdigit():
            match |= Q(pk=int(number))
        found = list(self._ordered(lookup).filter(match)[: SEARCH_RESULTS + 1])
        return [(obj.pk, label_of(obj)) for obj in found[:SEARCH_RESULTS]], len(
            found
        ) > SEARCH_RESULTS

    def labels(self, ids: Mapping[str, Iterable[int]]) -> dict[str, dict[int, str]]:
        """Names of any ids per lookup (stored answers are named whatever the scope)."""
        return names_of(ids)

    # ----------------------------------------------------------------------- checking

    def refused(self, kind: str, data: Mapping[str, Any]) -> dict[str, str]:
        """Answer path → message for each chosen id the person may not choose here.

        Ids already stored on this form stay acceptable (they were chosen before and are
        shown by name). A replica innovation must belong to the institution of its row.
        """
        found = lookup_values(kind, data)
        stored = lookup_values(kind, self.form.data or {})
        kept: dict[str, set[int]] = defaultdict(set)
        for lookup, _path, value in stored:
            kept[lookup] |= set(_as_ids(value))
        by_lookup: dict[str, set[int]] = defaultdict(set)
        for lookup, _path, value in found:
            by_lookup[lookup] |= set(_as_ids(value)) - kept[lookup]
        allowed = {
            lookup: set(self.choices(lookup).filter(pk__in=ids).values_list("pk", flat=True))
            for lookup, ids in by_lookup.items()
            if ids
        }
        problems: dict[str, str] = {}
        for lookup, path, value in found:
            for pk in _as_ids(value):
                if pk not in kept[lookup] and pk not in allowed.get(lookup, set()):
                    problems.setdefault(path, str(LOOKUPS[lookup].refusal) % {"id": pk})
        problems.update(self._replica_owners(kind, data, problems))
        return problems

    def _replica_owners(
        self, kind: str, data: Mapping[str, Any], refused: Mapping[str, str]
    ) -> dict[str, str]:
        code = REPLICATION_ROWS.get(FormKind(kind)) if kind in FormKind.values else None
        rows = data.get(code) if code else None
        if not isinstance(rows, list):
            return {}
        pairs = {
            index: (row.get("innovation"), row.get("institution"))
            for index, row in enumerate(rows)
            if isinstance(row, Mapping)
            and _as_ids(row.get("innovation"))
            and _as_ids(row.get("institution"))
            and f"{code}.{index}.innovation" not in refused
        }
        if not pairs:
            return {}
        innovations = Innovation.objects.select_related("institution").in_bulk(
            [innovation for innovation, _institution in pairs.values()]
        )
        problems: dict[str, str] = {}
        for index, (innovation_id, institution_id) in pairs.items():
            replica = innovations.get(innovation_id)
            if replica is not None and replica.institution_id != institution_id:
                problems[f"{code}.{index}.innovation"] = _(
                    "Inovasi «%(name)s» milik %(owner)s, bukan instansi yang mereplikasi pada "
                    "baris ini; pilih inovasi instansi itu atau kosongkan."
                ) % {"name": replica.name, "owner": replica.institution.name}
        return problems

    # ----------------------------------------------------------------------- rendering

    def attach(self, layout: Layout, *, editable: bool, searches: Mapping[str, str]) -> None:
        """Give each lookup widget of the layout its choices: the stored ones by name and,
        while the form is editable, the whole list (small lookups) or the results of the
        widget's search (``searches``: widget name → query)."""
        widgets = [w for w in layout.widgets if w.lookup]
        if not widgets:
            return
        stored: dict[str, set[int]] = defaultdict(set)
        for w in widgets:
            stored[w.lookup] |= set(_as_ids(w.value))
        names = self.labels(stored)
        whole: dict[str, list[tuple[int, str]]] = {}
        for w in widgets:
            chosen = [(pk, names[w.lookup].get(pk, f"#{pk}")) for pk in _as_ids(w.value)]
            w.noun = LOOKUPS[w.lookup].noun
            if not editable:
                w.choices = tuple(chosen)
                continue
            if self.listed_whole(w.lookup):
                if w.lookup not in whole:
                    whole[w.lookup] = self.everything(w.lookup)
                listed = {pk for pk, _label in whole[w.lookup]}
                w.choices = tuple([c for c in chosen if c[0] not in listed] + whole[w.lookup])
                continue
            w.searchable = True
            w.query = searches.get(w.name, "")
            results, w.truncated = self.search(w.lookup, w.query)
            shown = {pk for pk, _label in chosen}
            w.choices = tuple(chosen + [r for r in results if r[0] not in shown])
            w.searched = bool(w.query.strip())


def options_for(
    lookups: FormLookups, lookup: str, query: str, selected: list[int]
) -> tuple[list[tuple[int, str]], bool]:
    """The options of one lookup answer for a search (the htmx fragment): the selected
    ids by name, then the matches; and whether more matched."""
    names = lookups.labels({lookup: selected})[lookup]
    chosen = [(pk, names[pk]) for pk in selected if pk in names]
    results, truncated = lookups.search(lookup, query)
    shown = {pk for pk, _label in chosen}
    return chosen + [r for r in results if r[0] not in shown], truncated
