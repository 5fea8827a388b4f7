"""The widgets written in Python (core.form_rendering) give byte for byte the HTML of Django's own
widget templates, which render here as the oracle."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.form_rendering import PythonWidgetRenderer
from core.forms import LocalizedDecimalField, OneTimeCodeInput

CHOICES = [("a", "Plain"), ("b&c", "<b>Bold & brave</b>"), ("", "Empty value"), (3, 3)]
GROUPED = [("Group <1>", [("x", "X"), ("y", "Y")]), ("z", "Z"), ("Second", [("w", "W")])]


class EveryWidgetForm(forms.Form):
    text = forms.CharField(max_length=20, help_text="hint", widget=forms.TextInput({"class": "x"}))
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    number = forms.IntegerField(min_value=1, max_value=9)
    decimal = LocalizedDecimalField(required=False)
    day = forms.DateField(widget=forms.DateInput({"type": "date"}))
    url = forms.URLField(required=False, assume_scheme="https")
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(widget=forms.Textarea({"rows": 3}), required=False)
    agree = forms.BooleanField(required=False)
    one = forms.ChoiceField(choices=CHOICES)
    grouped = forms.ChoiceField(choices=GROUPED, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)
    radio_grouped = forms.ChoiceField(
        choices=GROUPED, widget=forms.RadioSelect({"class": "options"}), required=False
    )
    ticks = forms.MultipleChoiceField(
        choices=CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    code = forms.CharField(widget=OneTimeCodeInput, required=False)
    upload = forms.FileField(required=False)
    lazy = forms.ChoiceField(choices=[("l", gettext_lazy("Finnish"))], required=False)
    boolean_attrs = forms.CharField(
        widget=forms.TextInput(
            {"disabled": True, "readonly": False, "data-safe": mark_safe("<i>")}
        ),
        required=False,
    )


def rendered(form: forms.Form, renderer) -> list[str]:
    form.renderer = renderer
    html = []
    for bound_field in form:
        html.append(str(bound_field))
        html.extend(str(option.tag()) for option in bound_field.subwidgets)
    return html


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {
            "text": 'quote " and <tag> & ampersand',
            "email": "not an address",
            "password": "secret",
            "number": "12",
            "decimal": "3 400,50",
            "day": "2026-11-30",
            "url": "javascript:alert(1)",
            "hidden": "<hidden>",
            "note": "line one\nline <two>",
            "agree": "on",
            "one": "b&c",
            "grouped": "y",
            "many": ["a", "3"],
            "radio": "3",
            "radio_grouped": "z",
            "ticks": ["", "b&c"],
            "code": "123456",
            "lazy": "l",
        },
    ],
)
def test_every_widget_renders_as_djangos_templates_render_it(data):
    oracle = rendered(
        EveryWidgetForm(data, initial={"day": datetime.date(2026, 1, 2)}), DjangoTemplates()
    )
    python = rendered(
        EveryWidgetForm(data, initial={"day": datetime.date(2026, 1, 2)}), PythonWidgetRenderer()
    )
    assert python == oracle


def test_initial_values_of_other_types_render_as_the_templates_render_them():
    initial = {"number": 5, "decimal": Decimal("1234.5"), "note": 0, "text": mark_safe("<em>")}
    oracle = rendered(EveryWidgetForm(initial=initial), DjangoTemplates())
    assert rendered(EveryWidgetForm(initial=initial), PythonWidgetRenderer()) == oracle


def test_the_site_renders_forms_with_the_python_renderer():
    assert settings.FORM_RENDERER == "core.form_rendering.PythonWidgetRenderer"
    assert isinstance(get_default_renderer(), PythonWidgetRenderer)


def test_a_widget_template_it_does_not_know_is_rendered_by_its_template():
    form = forms.Form()
    form.fields["when"] = forms.SplitDateTimeField()  # splitdatetime.html, a template's includes
    oracle = rendered(form, DjangoTemplates())
    assert rendered(form, PythonWidgetRenderer()) == oracle
    assert '<input type="text" name="when_0"' in oracle[0]


class StoredFile:
    """A file already uploaded, as a model's FieldFile shows itself to ClearableFileInput."""

    url = "/files/1/<report>.pdf"

    def __str__(self) -> str:
        return "<report>.pdf"


@pytest.mark.parametrize("required", [True, False])
@pytest.mark.parametrize("attrs", [{}, {"disabled": True, "accept": ".eml"}])
def test_a_file_input_with_or_without_a_stored_file_renders_as_its_template(required, attrs):
    def form() -> forms.Form:
        made = forms.Form(initial={"empty": None, "stored": StoredFile()})
        for name in ("empty", "stored"):
            widget = forms.ClearableFileInput(attrs=attrs)
            made.fields[name] = forms.FileField(required=required, widget=widget)
        return made

    oracle = rendered(form(), DjangoTemplates())
    assert rendered(form(), PythonWidgetRenderer()) == oracle
    assert "Currently" in "".join(oracle) and "&lt;report&gt;.pdf" in "".join(oracle)


class ChoicesForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome", choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect
    )
    kinds = forms.MultipleChoiceField(
        label="Kinds",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every one that applies.",
        required=False,
    )
    name = forms.CharField(label="Name", help_text="As in your passport.")


def _page(form: forms.Form) -> str:
    from django.template.loader import render_to_string

    fields = render_to_string("includes/form_fields.html", {"form": form})
    return f'<html lang="en"><body><main><h1>Form</h1><form novalidate>{fields}</form></main></body></html>'


@pytest.mark.parametrize("data", [None, {"kinds": ["x"]}])
def test_radio_and_checkbox_groups_are_fieldsets_with_a_legend_and_described_by_hint_and_error(
    data,
):
    from tests.accessibility.html_rules import structure_problems

    form = ChoicesForm(data)
    html = _page(form)

    assert structure_problems(html) == []
    assert '<fieldset class="field' in html
    assert "<legend>Outcome</legend>" in html
    assert '<legend>Kinds <span class="optional">' in html
    assert 'for="id_outcome"' not in html and 'for="id_kinds"' not in html
    if data is None:
        assert 'aria-describedby="id_kinds_helptext"' in html
        assert 'aria-describedby="id_name_helptext"' in html
    else:
        assert 'aria-describedby="id_outcome_error"' in html
        assert 'aria-describedby="id_kinds_helptext id_kinds_error"' in html
        assert 'id="id_kinds_error"' in html and 'id="id_outcome_error"' in html


def test_the_page_rules_find_a_label_that_points_at_a_group_instead_of_a_fieldset():
    from tests.accessibility.html_rules import structure_problems

    html = (
        '<html lang="en"><body><main><h1>Form</h1><form novalidate>'
        '<label for="id_outcome">Outcome</label><div id="id_outcome">'
        '<label for="id_outcome_0"><input type="radio" name="outcome" id="id_outcome_0"> Yes</label>'
        '<label for="id_outcome_1"><input type="radio" name="outcome" id="id_outcome_1"> No</label>'
        "</div></form></main></body></html>"
    )

    assert structure_problems(html) == [
        "<label for='id_outcome'> names an element that is not a form control",
        "the options of 'outcome' are not in a <fieldset> with a <legend>",
    ]


def _listed_choices():
    return [("", gettext_lazy("Finnish")), ("b&c", "<b>Bold & brave</b>"), ("x", "X"), ("y", "Y")]


@pytest.mark.parametrize("value", [None, "", "x", "b&c", "not listed"])
@pytest.mark.parametrize("language", ["en", "fi", "sv"])
def test_a_long_list_select_renders_as_djangos_select_in_every_language(value, language):
    from django.utils import translation

    from core.form_rendering import LongListSelect

    def form(widget):
        built = forms.Form({"pick": value} if value is not None else None)
        built.fields["pick"] = forms.ChoiceField(choices=_listed_choices, widget=widget)
        return built

    with translation.override(language):
        oracle = rendered(form(forms.Select), PythonWidgetRenderer())
        assert oracle == rendered(form(forms.Select), DjangoTemplates())
        # Twice: the second rendering reuses the options written by the first.
        assert rendered(form(LongListSelect), PythonWidgetRenderer()) == oracle
        assert rendered(form(LongListSelect), PythonWidgetRenderer()) == oracle
        assert rendered(form(LongListSelect), DjangoTemplates()) == oracle


def test_a_fields_lazy_help_text_is_translated_twice_not_four_times(gettext_calls):
    """The hint and Django's aria-describedby share one translation of the help text."""
    from core.field_rendering import form_fields_html

    class HintedForm(forms.Form):
        name = forms.CharField(label="Name", help_text=gettext_lazy("As in your passport."))

    gettext_calls.clear()
    html = form_fields_html(HintedForm())
    assert '<p class="hint" id="id_name_helptext">As in your passport.</p>' in html
    assert 'aria-describedby="id_name_helptext"' in html
    assert gettext_calls.count("As in your passport.") == 2


def test_a_forms_optional_and_required_markers_are_translated_once(gettext_calls):
    """Once per form, not once per field; each field still carries its marker."""
    from django.utils import translation

    from core.field_rendering import form_fields_html

    class ManyOptionalForm(forms.Form):
        first = forms.CharField(label="First", required=False)
        hidden = forms.CharField(widget=forms.HiddenInput, required=False)
        second = forms.CharField(label="Second", required=False)
        third = forms.CharField(label="Third", required=False)
        agree = forms.BooleanField(label="Agree")
        confirm = forms.BooleanField(label="Confirm")

    with translation.override("fi"):
        form = ManyOptionalForm()
        gettext_calls.clear()
        html = form_fields_html(form)
    assert gettext_calls.count("optional") == 1 and gettext_calls.count("required") == 1
    assert html.count('<span class="optional">(') == 3
    assert html.count('<span class="required">(') == 2
    # The hidden field first, then the others in the form's order.
    assert html.startswith('<input type="hidden" name="hidden"')
    assert html.index("First") < html.index("Second") < html.index("Third") < html.index("Agree")


def _choices_without_an_empty_first():
    return [("x", "X"), ("", "Empty"), ("y", "Y")]


@pytest.mark.parametrize("choices", [_listed_choices, _choices_without_an_empty_first])
@pytest.mark.parametrize("required", [True, False])
def test_a_long_list_select_is_required_when_djangos_select_is(choices, required):
    from core.form_rendering import LongListSelect

    def form(widget):
        built = forms.Form()
        built.fields["pick"] = forms.ChoiceField(choices=choices, widget=widget, required=required)
        return built

    oracle = rendered(form(forms.Select), PythonWidgetRenderer())
    assert rendered(form(LongListSelect), PythonWidgetRenderer()) == oracle
    assert (" required" in oracle[0]) == (required and choices is _listed_choices)


def test_a_long_list_select_reads_its_whole_list_once_per_language(monkeypatch):
    """Django's Select normalizes every choice to find the first one (for `required`) on each
    rendering; the long list reads only the first, and its options once."""
    from django.utils.choices import CallableChoiceIterator

    from core.form_rendering import LongListSelect

    def form():
        built = forms.Form()
        built.fields["pick"] = forms.ChoiceField(choices=_listed_choices, widget=LongListSelect)
        return built

    def html() -> str:
        built = form()
        built.renderer = PythonWidgetRenderer()
        return str(built["pick"])

    first = html()

    def whole_list(*args, **kwargs):
        raise AssertionError("the whole list was normalized again")

    monkeypatch.setattr(CallableChoiceIterator, "__iter__", whole_list)
    assert html() == first and " required" in first


class DescribedForm(forms.Form):
    """Fields whose attributes build_widget_attrs writes: required, disabled, aria-invalid and
    aria-describedby (a widget's own one kept), localized values, a widget with its own id."""

    own_description = forms.CharField(
        help_text="hint", widget=forms.TextInput({"aria-describedby": "elsewhere"})
    )
    own_id = forms.CharField(required=False, widget=forms.TextInput({"id": "mine"}))
    disabled = forms.CharField(disabled=True, help_text=gettext_lazy("Finnish"), required=False)
    localized = forms.DecimalField(localize=True, required=False)
    date = forms.DateField(required=False, help_text="when", widget=forms.DateInput)
    described_area = forms.CharField(help_text="<b>markup</b>", widget=forms.Textarea)


def _bound_widgets(form_class, data, renderer, **kwargs) -> list[str]:
    form = form_class(data, renderer=renderer, **kwargs)
    form.is_bound and form.is_valid()
    if isinstance(renderer, PythonWidgetRenderer):
        return [renderer.bound_widget(field, field.auto_id, field.errors) for field in form]
    return [str(field) for field in form]


@pytest.mark.parametrize("form_class", [EveryWidgetForm, DescribedForm])
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"prefix": "p"},
        {"auto_id": False},
        {"auto_id": "f-%s"},
        {"use_required_attribute": False},
    ],
)
@pytest.mark.parametrize("data", [None, {}, {"text": "<x>", "localized": "1,5", "date": "x"}])
@pytest.mark.parametrize("language", ["en", "fi", "sv"])
def test_a_bound_field_written_in_python_is_djangos_as_widget(form_class, options, data, language):
    """PythonWidgetRenderer.bound_widget gives str(bound_field) as Django renders it with its own
    templates, for every kind of widget (those it does not write go to Django), bound or not,
    with errors, prefixes and ids of every kind."""
    with translation.override(language):
        initial = {"day": datetime.date(2026, 1, 2), "localized": Decimal("1234.5")}
        oracle = _bound_widgets(form_class, data, DjangoTemplates(), initial=initial, **options)
        python = _bound_widgets(
            form_class, data, PythonWidgetRenderer(), initial=initial, **options
        )
    assert python == oracle
    assert any("<input" in html for html in python)


@given(
    value=st.one_of(st.none(), st.text(max_size=12), st.integers(), st.dates()),
    required=st.booleans(),
    help_text=st.sampled_from(["", "hint", "<i>"]),
    attrs=st.dictionaries(
        st.sampled_from(["class", "id", "aria-describedby", "maxlength", "readonly"]),
        st.one_of(st.booleans(), st.text(max_size=5)),
        max_size=3,
    ),
    widget=st.sampled_from(
        [forms.TextInput, forms.Textarea, forms.EmailInput, forms.DateInput, forms.HiddenInput]
    ),
    bound=st.booleans(),
)
@hypothesis_settings(max_examples=150, deadline=None)
def test_any_plain_widget_written_in_python_is_djangos(
    value, required, help_text, attrs, widget, bound
):
    def form(renderer):
        class OneField(forms.Form):
            field = forms.CharField(
                required=required, help_text=help_text, widget=widget(attrs=dict(attrs))
            )

        data = {"field": str(value)} if bound and value is not None else ({} if bound else None)
        return OneField(data, initial={"field": value}, renderer=renderer)

    oracle = form(DjangoTemplates())
    python_renderer = PythonWidgetRenderer()
    python = form(python_renderer)
    field = python["field"]
    assert python_renderer.bound_widget(field, field.auto_id, field.errors) == str(oracle["field"])
