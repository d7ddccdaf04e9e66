"""Forms of the participant's proposal pages; the domain validates everything again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from prima.core.interfaces.forms import StyledFormMixin
from prima.evaluation.domain.instruments import Section
from prima.innovations.enums import SDG_NAMES
from prima.innovations.models import Innovation
from prima.kipp.domain.proposals import MIN_NOTE, participant_label
from prima.kipp.domain.rules import EditionRules
from prima.kipp.enums import AttachmentKind, ProposalState

SDG_CHOICES = [(n, format_lazy("{}. {}", n, name)) for n, name in SDG_NAMES.items()]
ANSWER_PREFIX = "answer_"


def _set_choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _group_choices(rules: EditionRules) -> list[tuple[str, str]]:
    return [(code, group.label) for code, group in rules.groups.items()]


def _category_choices(rules: EditionRules) -> list[tuple[str, str]]:
    return [(c.code, f"{c.code} — {c.label}") for c in rules.categories]


class ProposalFilterForm(StyledFormMixin, forms.Form):
    """State and group filters of the proposal list (participants filter on what they see)."""

    state = forms.ChoiceField(label=_("Status"), required=False)
    group = forms.ChoiceField(label=_("Kelompok"), required=False)

    def __init__(self, *args: Any, rules: EditionRules | None, national: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if national:
            states = [(s.value, str(s.label)) for s in ProposalState]
        else:
            states = [(s.value, participant_label(s.value)) for s in ProposalState]
        _set_choices(self, "state", [("", _("Semua status")), *states])
        groups = _group_choices(rules) if rules is not None else []
        _set_choices(self, "group", [("", _("Semua kelompok")), *groups])


class InnovationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.unit.name}"


class ProposalCreateForm(StyledFormMixin, forms.Form):
    """Pick one of the person's innovations, the entry group and the category."""

    innovation = InnovationChoiceField(
        label=_("Inovasi"), queryset=Innovation.objects.none(), empty_label=_("— pilih inovasi —")
    )
    group = forms.ChoiceField(label=_("Kelompok"))
    category = forms.ChoiceField(label=_("Kategori"))

    def __init__(
        self,
        *args: Any,
        rules: EditionRules,
        innovations: QuerySet[Innovation],
        groups: Sequence[str] | None = None,
        **kwargs: Any,
    ):
        """`groups` limits the group choices (the invitation-only ones the person may use)."""
        super().__init__(*args, **kwargs)
        field = self.fields["innovation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = innovations
        choices = _group_choices(rules)
        if groups is not None:
            choices = [choice for choice in choices if choice[0] in groups]
        _set_choices(self, "group", choices)
        _set_choices(self, "category", [("", _("— pilih kategori —")), *_category_choices(rules)])


class ProposalForm(StyledFormMixin, forms.Form):
    """The proposal content: one answer per visible section, then the other fields."""

    category = forms.ChoiceField(label=_("Kategori"))
    sdg_goals = forms.TypedMultipleChoiceField(
        label=_("Tujuan Pembangunan Berkelanjutan (SDGs)"),
        choices=SDG_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
    )
    video_url = forms.URLField(
        label=_("Tautan video"),
        required=False,
        assume_scheme="https",
        help_text=_("Alamat video di YouTube atau layanan lain yang dapat dibuka publik."),
    )
    video_minutes = forms.DecimalField(
        label=_("Durasi video (menit)"),
        required=False,
        min_value=0,
        max_digits=4,
        decimal_places=1,
    )
    declaration = forms.BooleanField(
        label=_("Saya menyatakan data dan lampiran proposal ini benar."), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        rules: EditionRules,
        sections: Sequence[Section],
        **kwargs: Any,
    ):
        answers = {
            f"{ANSWER_PREFIX}{s.code}": forms.CharField(
                label=s.label,
                required=False,
                strip=True,
                widget=forms.Textarea(
                    attrs={
                        "rows": 6,
                        "data-max-words": s.max_words,
                        "aria-describedby": f"id_{ANSWER_PREFIX}{s.code}_counter",
                    }
                ),
                help_text=format_lazy(_("Paling banyak {} kata."), s.max_words),
            )
            for s in sections
        }
        self.sections = tuple(sections)
        # Complete the fields before StyledFormMixin styles them.
        self.base_fields = {**answers, **type(self).base_fields}  # type: ignore[misc]
        super().__init__(*args, **kwargs)
        _set_choices(self, "category", _category_choices(rules))
        video = rules.attachments.video
        if video.max_minutes is not None:
            self.fields["video_minutes"].help_text = format_lazy(
                _("Paling lama {} menit."), video.max_minutes
            )

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[f"{ANSWER_PREFIX}{s.code}"] for s in self.sections]

    def other_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in ("category", "sdg_goals", "video_url", "video_minutes", "declaration")
        ]

    def answers(self) -> dict[str, str]:
        cd = self.cleaned_data
        return {s.code: cd.get(f"{ANSWER_PREFIX}{s.code}", "") for s in self.sections}

    @staticmethod
    def field_for(domain_field: str | None, sections: Sequence[Section]) -> str | None:
        """The form field a domain error names (a section code → its answer field)."""
        if domain_field in {s.code for s in sections}:
            return f"{ANSWER_PREFIX}{domain_field}"
        return domain_field


class AttachmentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Jenis lampiran"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("Berkas"))


class NoteForm(StyledFormMixin, forms.Form):
    """A return note or a secretariat's reason (at least MIN_NOTE characters)."""

    note = forms.CharField(
        label=_("Catatan"),
        min_length=MIN_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=format_lazy(
            _("Minimal {} karakter; jelaskan apa yang perlu diperbaiki."), MIN_NOTE
        ),
    )


class SubmitForm(StyledFormMixin, forms.Form):
    declaration = forms.BooleanField(
        label=_(
            "Saya, Admin Lokal, menyatakan data dan lampiran proposal ini benar dan dapat "
            "dipertanggungjawabkan."
        ),
        error_messages={"required": _("Centang pernyataan kebenaran data sebelum mengajukan.")},
    )


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Alasan"),
        min_length=MIN_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=format_lazy(_("Minimal {} karakter."), MIN_NOTE),
    )


class OptionalReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Alasan (opsional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
