"""Invitation forms, the invitation file (CSV or XLSX) and the invitation export
(kipp.md §6 `invitation_only`, §9.4; DESIGN.md §6 import/export).

A file names each innovation by `innovation_id`, or by `innovation_title` and
`institution_name` (the title matched after normalisation within the institution, as the
tier-history import does). Every row is checked first — the innovation exists and is
unambiguous, the group is an invitation-only group, the innovation qualifies — and
nothing is written unless the whole file is valid; then the rows go to
`prima.kipp.domain.invitations.record_invitations` in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.core.interfaces.forms import StyledFormMixin
from prima.core.interfaces.tabular import (
    CellError,
    CellValueError,
    ErrorList,
    TableError,
    Upload,
    parse_int,
    read_table,
)
from prima.core.models import Institution, Person
from prima.evaluation.models import Edition
from prima.innovations.models import Innovation
from prima.kipp.domain.editions import rules_for
from prima.kipp.domain.eligibility import normalise_title
from prima.kipp.domain.invitations import (
    ImportOutcome,
    InvitationRow,
    check_may_invite,
    invitation_groups,
    qualification,
    record_invitations,
    reference_day,
    refusal,
    tiers_held,
)
from prima.kipp.enums import ProposalState
from prima.kipp.models import Invitation

COLUMNS = ("innovation_id", "innovation_title", "institution_name", "group")


@dataclass(frozen=True)
class Column:
    name: str
    description: str


def columns() -> list[Column]:
    """The file's columns with their meaning, for the upload page."""
    return [
        Column(
            "innovation_id", _("Nomor inovasi di registri (mis. 1234); atau isi dua kolom berikut.")
        ),
        Column("innovation_title", _("Judul inovasi persis seperti di registri.")),
        Column("institution_name", _("Nama instansi pemilik inovasi persis seperti di registri.")),
        Column("group", _("Kode kelompok undangan (mis. khusus); boleh kosong bila hanya satu.")),
    ]


def _by_id(
    errors: ErrorList, number: int, value: str, found: dict[int, Innovation]
) -> Innovation | None:
    try:
        pk = parse_int(value, minimum=1)
    except CellValueError as exc:
        errors.add(number, "innovation_id", exc.message)
        return None
    innovation = found.get(pk or 0)
    if innovation is None:
        errors.add(
            number,
            "innovation_id",
            _("inovasi #%(value)s tidak ada di registri.") % {"value": value},
        )
    return innovation


def parse_rows(edition: Edition, upload: Upload) -> list[InvitationRow]:
    """Read and check the whole file; raise TableError naming every problem by row and column."""
    table = read_table(upload, required=(), optional=COLUMNS)
    if "innovation_id" not in table.columns and not {
        "innovation_title",
        "institution_name",
    } <= set(table.columns):
        raise TableError(
            [
                CellError(
                    table.header_row,
                    "",
                    _(
                        "kolom wajib tidak ada: innovation_id, atau innovation_title bersama "
                        "institution_name."
                    ),
                )
            ]
        )
    rules = rules_for(edition)
    groups = {group.code: group for group in invitation_groups(edition)}
    errors = ErrorList()
    ids = set()
    for row in table.rows:
        try:
            pk = parse_int(row.get("innovation_id"), minimum=1)
        except CellValueError:
            continue
        if pk:
            ids.add(pk)
    by_id = Innovation.objects.select_related("institution").in_bulk(list(ids))
    names = {
        row.get("institution_name").casefold() for row in table.rows if row.get("institution_name")
    }
    institutions = {
        inst.name.casefold(): inst
        for inst in Institution.objects.all()
        if inst.name.casefold() in names
    }
    by_title: dict[tuple[int, str], list[Innovation]] = defaultdict(list)
    for known in Innovation.objects.filter(
        institution__in=[i.pk for i in institutions.values()]
    ).select_related("institution"):
        by_title[(known.institution_id, normalise_title(known.name))].append(known)

    chosen: list[tuple[int, Innovation, str]] = []
    for row in table.rows:
        number = row.number
        innovation: Innovation | None = None
        title, institution_name = row.get("innovation_title"), row.get("institution_name")
        if row.get("innovation_id"):
            innovation = _by_id(errors, number, row.get("innovation_id"), by_id)
            if (
                innovation is not None
                and title
                and normalise_title(title) != normalise_title(innovation.name)
            ):
                errors.add(
                    number,
                    "innovation_title",
                    _("tidak sesuai registri: inovasi #%(id)s berjudul «%(name)s».")
                    % {"id": innovation.pk, "name": innovation.name},
                )
                innovation = None
        elif not title or not institution_name:
            errors.add(
                number,
                "",
                _("isi innovation_id, atau innovation_title bersama institution_name."),
            )
        else:
            institution = institutions.get(institution_name.casefold())
            if institution is None:
                errors.add(
                    number,
                    "institution_name",
                    _("instansi '%(name)s' tidak ada di registri; periksa ejaannya.")
                    % {"name": institution_name},
                )
            else:
                matches = by_title.get((institution.pk, normalise_title(title)), [])
                if not matches:
                    errors.add(
                        number,
                        "innovation_title",
                        _(
                            "%(institution)s tidak memiliki inovasi berjudul «%(title)s» di "
                            "registri."
                        )
                        % {"institution": institution.name, "title": title},
                    )
                elif len(matches) > 1:
                    errors.add(
                        number,
                        "innovation_title",
                        _("judul ini cocok dengan %(n)s inovasi (%(ids)s); isi innovation_id.")
                        % {"n": len(matches), "ids": ", ".join(f"#{m.pk}" for m in matches)},
                    )
                else:
                    innovation = matches[0]
        code = row.get("group").strip().lower()
        if not code and len(groups) == 1:
            code = next(iter(groups))
        if code not in groups:
            errors.add(
                number,
                "group",
                _("kelompok '%(value)s' bukan kelompok undangan; pilih: %(choices)s.")
                % {"value": code, "choices": ", ".join(groups) or "-"},
            )
            continue
        if innovation is not None:
            chosen.append((number, innovation, code))

    held = tiers_held(innovation.pk for _n, innovation, _g in chosen)
    ref = reference_day(edition, rules)
    seen: dict[tuple[int, str], int] = {}
    rows: list[InvitationRow] = []
    for number, innovation, code in chosen:
        key = (innovation.pk, code)
        if key in seen:
            errors.add(
                number,
                "",
                _("inovasi #%(id)s sudah ada di baris %(row)s.")
                % {"id": innovation.pk, "row": seen[key]},
            )
            continue
        seen[key] = number
        problem = refusal(
            innovation,
            groups[code],
            qualification(rules, groups[code], held.get(innovation.pk, ()), ref),
        )
        if problem:
            errors.add(number, "", problem)
            continue
        rows.append(InvitationRow(row=number, innovation=innovation, group=code))
    errors.raise_if_any()
    return rows


def import_invitations(edition: Edition, file: Upload, *, actor: Person) -> ImportOutcome:
    """Check the whole file, then write its rows in one transaction."""
    # Read the file only for someone who may write it (the domain checks again).
    check_may_invite(edition, actor)
    rows = parse_rows(edition, file)
    return record_invitations(edition, rows, actor=actor, source=file.name or "")


# --------------------------------------------------------------------------- export


def export_header() -> list[str]:
    return [
        _("No. undangan"),
        _("No. inovasi"),
        _("Judul inovasi"),
        _("Unit"),
        _("Instansi"),
        _("Kelompok"),
        _("Diundang oleh"),
        _("Diundang pada (WIB)"),
        _("No. proposal"),
        _("Status proposal"),
    ]


def export_rows(invitations: Sequence[Invitation]) -> list[list[Any]]:
    states = dict(ProposalState.choices)
    rows = []
    for invitation in invitations:
        by = invitation.created_by
        used = getattr(invitation, "used_by", None)
        state = getattr(invitation, "used_state", None)
        rows.append(
            [
                invitation.pk,
                invitation.innovation_id,
                invitation.innovation.name,
                invitation.innovation.unit.name,
                invitation.institution.name,
                invitation.group,
                (by.full_name or by.get_username()) if by is not None else "",
                timezone.localtime(invitation.created_at).strftime("%Y-%m-%d %H:%M"),
                used or "",
                str(states.get(state, "")) if state else "",
            ]
        )
    return rows


# --------------------------------------------------------------------------- forms


class InviteForm(StyledFormMixin, forms.Form):
    """One row's «Undang» button on the invite page: the innovation and the group."""

    innovation = forms.ModelChoiceField(
        label=gettext_lazy("Inovasi"),
        queryset=Innovation.objects.select_related("institution"),
        widget=forms.HiddenInput,
    )
    group = forms.ChoiceField(label=gettext_lazy("Kelompok"))

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = self.fields["group"]
        assert isinstance(group, forms.ChoiceField)
        group.choices = [(g.code, g.label) for g in invitation_groups(edition)]


class InvitationImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas CSV atau XLSX"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
