"""The form fields' HTML (core.forms): `render_field` writes what the Jinja macro it
replaced wrote — label, input, hint, messages, check boxes inside their label, the input
tied to its message — for every field of every form, empty and failed, in both languages;
`html_params` writes what WTForms' own does."""

from __future__ import annotations

import inspect

import pytest
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import core as widgets

from auth import forms as auth_forms
from cases import capture_forms
from cases import forms as case_forms
from catalogue import forms as catalogue_forms
from core.forms import WTFORMS_HTML_PARAMS, BaseForm, html_params, render_field
from inspections import forms as inspection_forms
from registry import forms as registry_forms

# The macro `field` of templates/_macros.html before it became core.forms.render_field.
MACRO = '''{% macro field(f, class="") %}
<div class="field {{ class }}{% if f.errors %} has-error{% endif %}">
  {% if f.type == "BooleanField" %}
  <label>{{ f(**({"aria-invalid": "true"} if f.errors else {})) }} {{ f.label.text }}</label>
  {% else %}
  {{ f.label }}
  {% if f.errors %}{{ f(**{"aria-invalid": "true", "aria-describedby": f.id ~ "-error"}) }}{% else %}{{ f() }}{% endif %}
  {% endif %}
  {# |string: a lazily translated message would otherwise count as safe HTML #}
  {% if f.description %}<p class="hint" id="{{ f.id }}-hint">{{ f.description | string }}</p>{% endif %}
  {% if f.errors %}<p class="error" id="{{ f.id }}-error"><span class="sr-only">{{ _("Error:") }}</span> {% for e in f.errors %}{{ e | string }}{% if not loop.last %}<br>{% endif %}{% endfor %}</p>{% endif %}
</div>
{% endmacro %}'''  # noqa: E501


def form_classes() -> list[type]:
    modules = (case_forms, capture_forms, auth_forms, catalogue_forms, inspection_forms,
               registry_forms)
    return [cls for module in modules
            for _name, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, BaseForm) and cls.__module__ == module.__name__]


def test_html_params_writes_what_wtforms_writes():
    cases = [
        {}, {"name": "note", "id": "r3-note", "class_": "wide"},
        {"checked": True, "readonly": False, "name": "x"},
        {"data_date": "dd/mm/yyyy", "aria_describedby": "f-error", "aria-invalid": "true"},
        {"value": 'a "quoted" <b>&amp; text</b>', "placeholder": "15.000.000"},
        {"value": Markup('<i class="safe">x</i>'), "for_": "y", "maxlength": 300},
        {"value": None, "min": 0, "title": "Tiếng Việt « » ’"},
    ]
    for kwargs in cases:
        assert html_params(**kwargs) == WTFORMS_HTML_PARAMS(**kwargs), kwargs
        assert isinstance(html_params(**kwargs), Markup)
    # WTForms renders with ours (widgets, labels)
    assert widgets.html_params is html_params and widgets.Input.html_params is html_params


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_field_renders_as_the_macro_did(app, lang):
    macro = app.jinja_env.from_string(MACRO).module.field
    seen = {"forms": 0, "fields": 0, "failed": 0, "boxes": 0, "hints": 0}
    with app.test_request_context("/", headers={"Accept-Language": lang}):
        from flask import session

        session["lang"] = lang
        for cls in form_classes():
            for formdata in (None, MultiDict({"csrf_token": "x", "once": "y"})):
                try:
                    form = cls(formdata=formdata, meta={"csrf": False})
                    for f in form:
                        if getattr(f, "choices", ()) is None:
                            f.choices = [SelectChoice("", "—"), SelectChoice("1", "Một <1>")]
                    if formdata is not None:
                        form.validate()
                except (TypeError, ValueError):  # a form that needs arguments of its own
                    continue
                seen["forms"] += 1
                for f in form:
                    for css in ("", "wide"):
                        assert str(render_field(f, css)) == str(macro(f, css)), (cls, f.name)
                    seen["fields"] += 1
                    seen["failed"] += bool(f.errors)
                    seen["boxes"] += f.type == "BooleanField"
                    seen["hints"] += bool(f.description)
    # every kind of field was compared: failed ones, check boxes, hints
    assert seen["forms"] >= 80 and seen["fields"] >= 400, seen
    assert seen["failed"] >= 20 and seen["boxes"] >= 5 and seen["hints"] >= 2, seen


def test_a_failed_field_is_tied_to_its_message(app):
    with app.test_request_context("/"):
        form = case_forms.CoordinationForm(formdata=MultiDict({"partner_name": ""}),
                                           meta={"csrf": False})
        form.validate()
        html = str(render_field(form.partner_name, "wide"))
    assert '<div class="field wide has-error">' in html
    assert 'aria-describedby="partner_name-error"' in html and 'aria-invalid="true"' in html
    assert ('<p class="error" id="partner_name-error"><span class="sr-only">Lỗi:</span> '
            "Trường này là bắt buộc.</p>") in html


def test_a_panel_hidden_by_its_own_conditions_builds_no_form(app, login_as, make_case,
                                                             monkeypatch):
    """The case page builds a panel's form when it shows it (cases.views.common.DeferredForm):
    a delivered case offers its supervisor no coercion decision (only in enforcement) and no
    time-barred closing, so neither form is built; the payment form is, and shown."""
    built = []
    original = BaseForm.__init__

    def recording(self, *args, **kwargs):
        built.append(type(self).__name__)
        original(self, *args, **kwargs)

    monkeypatch.setattr(BaseForm, "__init__", recording)
    case = make_case(state="delivered")
    page = login_as("supervisor").get(f"/cases/{case.id}").get_data(as_text=True)
    assert "PaymentForm" in built and f'action="/cases/{case.id}/payment"' in page
    assert "CoercionForm" not in built and "/coercion" not in page.split('id="coercion"')[1]
    assert "CloseForm" not in built
