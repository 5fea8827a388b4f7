"""`{% form_fields form %}` and `{% form_field field %}`: fields as core.field_rendering writes them."""

from django import template

from core.field_rendering import field_html, form_fields_html

register = template.Library()
register.simple_tag(form_fields_html, name="form_fields")
register.simple_tag(field_html, name="form_field")
