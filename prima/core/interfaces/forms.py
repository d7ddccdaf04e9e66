"""Form helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms


class StyledFormMixin:
    """Give widgets Bootstrap classes and ARIA state, so templates render fields plainly."""

    fields: dict[str, forms.Field]
    errors: Any
    is_bound: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            if not isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if self.is_bound and name in self.errors:
                widget.attrs["class"] += " is-invalid"
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"id_{name}-err"
