"""Template filters that show the audit log's codes by their translated names."""

from django import template

from audit import labels

register = template.Library()

register.filter("action_label", labels.action_label)
register.filter("object_type_label", labels.object_type_label)
register.filter("role_label", labels.role_label)
