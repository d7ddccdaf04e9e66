"""Form helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms


class StyledFormMixin:
    """Give widgets Bootstrap classes, and mark invalid ones once the form has been cleaned.

    Classes are set in __init__ (subclasses may still change fields afterwards); error
    state is added in full_clean, so validation always runs on the final fields.
    """

    fields: dict[str, forms.Field]
    errors: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            if "is-invalid" not in attrs.get("class", ""):
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
            attrs["aria-invalid"] = "true"
            # Screen readers announce the error and keep announcing the help text.
            auto_id = self[name].auto_id  # type: ignore[index]
            described = [f"{auto_id}-err"]
            if self.fields[name].help_text:
                described.insert(0, f"{auto_id}_helptext")
            attrs["aria-describedby"] = " ".join(described)
