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
from prima.kipp.domain import extra_forms
from prima.kipp.domain.extra_forms import ExtraForm, Question
from prima.kipp.domain.proposals import MIN_NOTE, participant_label
from prima.kipp.domain.rules import EditionRules
from prima.kipp.enums import AttachmentKind, ProposalState

SDG_CHOICES = [(n, format_lazy("{}. {}", n, name)) for n, name in SDG_NAMES.items()]
ANSWER_PREFIX = "answer_"
EXTRA_PREFIX = "extra_"


def extra_field_name(form: ExtraForm, question: Question) -> str:
    """``extra_spbe_nama_aplikasi``: the page's field of one extra-form question."""
    return f"{EXTRA_PREFIX}{form.code}_{question.code}"


def _extra_help(form: ExtraForm, question: Question) -> Any:
    """What the author must know: whether and when the answer is required, then the hint."""
    condition = question.when
    if condition is not None:
        parent = form.question(condition.question)
        assert parent is not None  # build_form checked the reference
        values = " / ".join(parent.option_label(v) for v in condition.values)
        when = (
            _("Wajib bila «{}» dijawab «{}».")
            if question.required
            else _("Diisi bila «{}» dijawab «{}».")
        )
        lead = format_lazy(when, parent.label, values)
    else:
        lead = _("Wajib.") if question.required else _("Tidak wajib.")
    if question.help:
        return format_lazy("{} {}", lead, question.help)
    return lead


def _extra_field(form: ExtraForm, question: Question) -> forms.Field:
    common: dict[str, Any] = {
        "label": question.label,
        "required": False,
        "help_text": _extra_help(form, question),
    }
    choices = [(o.code, o.label) for o in question.options]
    if question.kind in ("yes_no", "choice"):
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if question.kind == "multi":
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if question.kind == "year":
        return forms.IntegerField(**common)
    if question.kind == "url":
        return forms.CharField(
            max_length=extra_forms.MAX_URL_CHARS, widget=forms.URLInput, **common
        )
    limit = question.max_chars or extra_forms.DEFAULT_MAX_CHARS
    widget: forms.Widget = (
        forms.Textarea(attrs={"rows": 3})
        if limit > extra_forms.DEFAULT_MAX_CHARS
        else forms.TextInput()
    )
    return forms.CharField(max_length=limit, widget=widget, **common)


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
        extra: Sequence[ExtraForm] = (),
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
        self.extra = tuple(extra)
        extra_fields = {
            extra_field_name(f, q): _extra_field(f, q) for f in self.extra for q in f.questions
        }
        # Complete the fields before StyledFormMixin styles them.
        self.base_fields = {  # type: ignore[misc]
            **answers,
            **extra_fields,
            **type(self).base_fields,
        }
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

    def extra_groups(self) -> list[tuple[ExtraForm, list[forms.BoundField]]]:
        """Each extra form with its questions' fields, for the section after the answers."""
        return [(f, [self[extra_field_name(f, q)] for q in f.questions]) for f in self.extra]

    def extra_answers(self) -> dict[str, dict[str, Any]]:
        """Form code → question code → answer, as the domain takes them (empty ones too:
        the page always sends the whole form)."""
        cd = self.cleaned_data
        return {
            f.code: {q.code: cd.get(extra_field_name(f, q)) for q in f.questions}
            for f in self.extra
        }

    @staticmethod
    def initial_extra(extra: Sequence[ExtraForm], stored: Any) -> dict[str, Any]:
        """The fields' initial values from ``Proposal.extra_answers``."""
        stored = stored if isinstance(stored, dict) else {}
        return {
            extra_field_name(f, q): (stored.get(f.code) or {}).get(q.code)
            for f in extra
            for q in f.questions
        }

    @staticmethod
    def field_for(
        domain_field: str | None,
        sections: Sequence[Section],
        extra: Sequence[ExtraForm] = (),
    ) -> str | None:
        """The form field a domain error names (a section code → its answer field,
        ``extra:spbe:nama_aplikasi`` → ``extra_spbe_nama_aplikasi``)."""
        if domain_field in {s.code for s in sections}:
            return f"{ANSWER_PREFIX}{domain_field}"
        for f in extra:
            for q in f.questions:
                if domain_field == extra_forms.field_name(f, q):
                    return extra_field_name(f, q)
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
