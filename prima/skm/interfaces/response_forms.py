"""Forms that turn a respondent's answers into a :class:`ResponseInput` (skm.md §4, §7).

One form serves the citizen's page, the counter kiosk and paper entry: optional
demographics, the service used, one radio group per element with the instrument's own
answer wording, and a suggestion. Validation of the values against the survey (period,
service catalogue, "at least one answer") is the domain's (`record_response`); the form
only turns POST data into plain values and shows the domain's problems on its fields
with :meth:`ResponseForm.apply_errors`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from prima.core.interfaces.forms import StyledFormMixin
from prima.skm.domain.instruments import Element, SkmInstrument
from prima.skm.domain.responses import ResponseInput, ResponseRejected
from prima.skm.enums import (
    RESPONDENT_REF_MAX_LENGTH,
    SUGGESTION_MAX_LENGTH,
    UNSPECIFIED_SERVICE,
    AgeBand,
    Education,
    Gender,
    Occupation,
)
from prima.skm.models import Survey

DEMOGRAPHIC_FIELDS = ("gender", "age_band", "education", "occupation")
NOT_STATED = ("", _("Tidak diisi"))


def service_choices(survey: Survey) -> list[tuple[str, str]]:
    """(code, name) of the services a response of the survey may name, by name.

    The survey's own list when it has one, else the unit's active catalogue.
    """
    restricted = list(survey.services.order_by("name", "code").values_list("code", "name"))
    if restricted:
        return restricted
    return list(
        survey.unit.services.filter(is_active=True)
        .order_by("name", "code")
        .values_list("code", "name")
    )


@dataclass(frozen=True)
class ElementRow:
    """One element as the template shows it: its fieldset legend, question and radios."""

    element: Element
    field: BoundField

    @property
    def code(self) -> str:
        return self.element.code


class ResponseForm(StyledFormMixin, forms.Form):
    """A respondent's answers; element fields are named by element code (``U1`` … ``U9``)."""

    service_code = forms.ChoiceField(label=_("Jenis layanan yang Anda terima"), required=False)
    gender = forms.ChoiceField(
        label=_("Jenis kelamin"), required=False, choices=[NOT_STATED, *Gender.choices]
    )
    age_band = forms.ChoiceField(
        label=_("Umur"), required=False, choices=[NOT_STATED, *AgeBand.choices]
    )
    education = forms.ChoiceField(
        label=_("Pendidikan terakhir"), required=False, choices=[NOT_STATED, *Education.choices]
    )
    occupation = forms.ChoiceField(
        label=_("Pekerjaan"), required=False, choices=[NOT_STATED, *Occupation.choices]
    )
    suggestion = forms.CharField(
        label=_("Saran dan masukan"),
        required=False,
        max_length=SUGGESTION_MAX_LENGTH,
        help_text=_("Tidak wajib, paling banyak %(limit)s karakter. Jangan tulis nama atau NIK.")
        % {"limit": SUGGESTION_MAX_LENGTH},
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        survey: Survey,
        instrument: SkmInstrument,
        service_choices: Iterable[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.survey = survey
        self.instrument = instrument
        services = [(c, n) for c, n in service_choices if c != UNSPECIFIED_SERVICE]
        service = self.fields["service_code"]
        assert isinstance(service, forms.ChoiceField)
        service.choices = [("", _("Tidak disebutkan / lainnya")), *services]
        if not services:
            # A unit without a catalogue: nothing to choose, every answer is "unspecified".
            service.widget = forms.HiddenInput()
        elif len(services) == 1 and not self.is_bound:
            self.initial.setdefault("service_code", services[0][0])
        for element in instrument.elements:
            self.fields[element.code] = forms.TypedChoiceField(
                label=element.question or element.name,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[
                    (value, element.answers.get(value, str(value)))
                    for value in instrument.answer_values
                ],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
        suggestion = self.fields["suggestion"]
        suggestion.widget.attrs["maxlength"] = str(SUGGESTION_MAX_LENGTH)

    # ----------------------------------------------------------------- template helpers

    def element_rows(self) -> Iterator[ElementRow]:
        """Each element with its radio group, in instrument order (one fieldset each)."""
        for element in self.instrument.elements:
            yield ElementRow(element=element, field=self[element.code])

    def demographic_fields(self) -> list[BoundField]:
        return [self[name] for name in DEMOGRAPHIC_FIELDS]

    def extra_fields(self) -> list[BoundField]:
        """Fields a subclass adds before the service (paper entry: date, reference)."""
        return []

    # ----------------------------------------------------------------- domain mapping

    def answers(self) -> dict[str, int | None]:
        return {code: self.cleaned_data.get(code) for code in self.instrument.element_codes}

    def to_input(self, answered_on: dt.date) -> ResponseInput:
        """The cleaned form as the domain's input (call after ``is_valid()``)."""
        data = self.cleaned_data
        return ResponseInput(
            answered_on=answered_on,
            answers=self.answers(),
            service_code=data.get("service_code") or UNSPECIFIED_SERVICE,
            gender=data.get("gender") or "",
            age_band=data.get("age_band") or "",
            education=data.get("education") or "",
            occupation=data.get("occupation") or "",
            suggestion=data.get("suggestion") or "",
        )

    def apply_errors(self, rejected: ResponseRejected) -> None:
        """Show every problem the domain found on its field (others above the form)."""
        for name, message in rejected.errors.items():
            if name in self.fields:
                self.add_error(name, message)
                attrs = self.fields[name].widget.attrs
                if not isinstance(self.fields[name].widget, forms.RadioSelect):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
            else:
                self.add_error(None, message)


class PaperEntryForm(ResponseForm):
    """Paper entry by unit staff: the date written on the sheet and its number (optional)."""

    answered_on = forms.DateField(
        label=_("Tanggal mengisi"), widget=forms.DateInput(attrs={"type": "date"})
    )
    respondent_ref = forms.CharField(
        label=_("Nomor lembar/responden"),
        required=False,
        max_length=RESPONDENT_REF_MAX_LENGTH,
        help_text=_("Kosongkan bila lembar tidak bernomor; Prima memberi nomor sendiri."),
    )

    def extra_fields(self) -> list[BoundField]:
        return [self["answered_on"], self["respondent_ref"]]

    def to_input(self, answered_on: dt.date | None = None) -> ResponseInput:
        base = super().to_input(answered_on or self.cleaned_data["answered_on"])
        return ResponseInput(
            **{**base.__dict__, "respondent_ref": self.cleaned_data.get("respondent_ref") or ""}
        )
