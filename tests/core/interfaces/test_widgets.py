from __future__ import annotations

from django import forms

from prima.core.interfaces.widgets import PlainSelect


class _Form(forms.Form):
    institution = forms.TypedChoiceField(
        coerce=int,
        required=False,
        widget=PlainSelect,
        choices=[("", "Semua instansi"), (7, 'Pemerintah Kota <Payakumbuh> & "Co"')],
    )


def test_plain_select_renders_like_djangos_select_with_escaping_and_selection():
    html = str(_Form({"institution": "7"})["institution"])
    assert html.startswith("<select ")
    assert 'name="institution"' in html
    assert 'id="id_institution"' in html
    assert (
        '<option value="7" selected>Pemerintah Kota &lt;Payakumbuh&gt; &amp; &quot;Co&quot;' in html
    )
    assert '<option value="">Semua instansi</option>' in html


def test_plain_select_keeps_field_validation():
    form = _Form({"institution": "99"})
    assert not form.is_valid()
    assert "institution" in form.errors
