"""A section's fields written in Python (applications_tags.schema_fields) are the markup the
template loop wrote: fieldsets with their options, hints, errors and the other fields, escaped."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from applications.forms import SectionForm, form_field
from applications.schema import sections
from tests.markup import without_layout_whitespace

# The include as it was before schema_fields.
TEMPLATE_LOOP = """{% load i18n form_errors form_fields %}{% for field in form.visible_fields %}
  {% if field.use_fieldset %}
  <fieldset class="field{% if field.errors %} field-error{% endif %}" id="{{ field.auto_id }}"{% if field.help_text or field.errors %} aria-describedby="{% if field.help_text %}{{ field.auto_id }}_helptext{% endif %}{% if field.help_text and field.errors %} {% endif %}{% if field.errors %}{{ field.auto_id }}_error{% endif %}"{% endif %}>
    <legend>{{ field.label }}{% if not field.field.required %} <span class="optional">({% translate "optional" %})</span>{% endif %}</legend>
    {% if field.help_text %}<p class="hint" id="{{ field.auto_id }}_helptext">{{ field.help_text }}</p>{% endif %}
    {% if field.errors %}<p class="error-message" id="{{ field.auto_id }}_error">{{ field|specific_errors|join:" " }}</p>{% endif %}
    {% for option in field %}<div class="option">{{ option.tag }} <label for="{{ option.id_for_label }}">{{ option.choice_label }}</label></div>{% endfor %}
  </fieldset>
  {% else %}
    {% form_field field %}
  {% endif %}
{% endfor %}"""

pytestmark = pytest.mark.django_db


def _forms(permit_types):
    for permit_type in permit_types.values():
        for section in sections(permit_type.schema):
            yield SectionForm(section=section, answers={})
            # Every field posted empty: the errors of the required ones.
            yield SectionForm({}, section=section, answers={})


@pytest.mark.parametrize("language", ["en", "fi"])
def test_the_section_fields_are_the_template_loops_markup(permit_types, language):
    fieldsets = 0
    with translation.override(language):
        for form in _forms(permit_types):
            form.is_bound and form.is_valid()
            expected = Template(TEMPLATE_LOOP).render(Context({"form": form}))
            written = Template("{% load applications_tags %}{% schema_fields form %}").render(
                Context({"form": form})
            )
            assert without_layout_whitespace(written) == without_layout_whitespace(expected)
            fieldsets += written.count("<fieldset")
    assert fieldsets  # the shipped permit types have groups of options


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_shown_form_without_its_error_messages_renders_as_one_with_them(permit_types, language):
    """An unbound section form builds its fields without the error messages (it never validates):
    the page is the same as with them, and a submitted form still has every field's messages."""
    with translation.override(language):
        for permit_type in permit_types.values():
            for section in sections(permit_type.schema):
                shown = SectionForm(section=section, answers={})
                complete = SectionForm(section=section, answers={})
                complete.fields = {
                    key: form_field(field) for key, field in complete.schema_fields.items()
                }
                assert "“" not in str(shown.fields[next(iter(shown.fields))].error_messages)
                page = "{% load applications_tags %}{% schema_fields form %}"
                assert Template(page).render(Context({"form": shown})) == Template(page).render(
                    Context({"form": complete})
                )
                submitted = SectionForm({}, section=section, answers={})
                for key, field in submitted.fields.items():
                    assert (
                        field.error_messages
                        == form_field(submitted.schema_fields[key]).error_messages
                    )
