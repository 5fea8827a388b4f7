"""The `{% url %}` tag of every template (settings.TEMPLATES' builtins, after Django's so that this
one wins): Django's tag, and where the view name and every argument are literals, the address is
reversed once per language, URL prefix, URLconf, current application and escaping, then reused.

Django's URLNode calls reverse() on every render: the URLconf, the script prefix and the language
three times over (reverse_dict, namespace_dict, app_dict) read from asgiref's Local, the namespace
walked, the pattern's candidates formatted, quoted and matched again, for the same text each time
(about 5-9 % of a page's CPU). A literal address depends on nothing else, so the node keeps what
Django's own render returned. Anything not literal (a variable, a filter, `as`) is Django's node.
"""

from __future__ import annotations

import weakref

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaulttags
from django.template.base import Variable
from django.urls import get_resolver, get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()

_NODES: weakref.WeakSet[ConstantURLNode] = weakref.WeakSet()


class ConstantURLNode(defaulttags.URLNode):
    """{% url 'literal' 'literal' … %}: Django's URLNode, its output kept per address context."""

    def __init__(self, view_name, args, kwargs, asvar):
        super().__init__(view_name, args, kwargs, asvar)
        self.rendered: dict[tuple, str] = {}
        _NODES.add(self)

    def render(self, context):
        # The current application as Django's URLNode reads it (it picks among the instances of
        # an application namespace).
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        key = (get_language(), *_addresses(context), current_app, context.autoescape)
        url = self.rendered.get(key)
        if url is None:
            # Django's node: reverse() and its escaping; a NoReverseMatch is raised as Django
            # raises it, and nothing is kept.
            url = self.rendered[key] = super().render(context)
        return url


def _addresses(context) -> tuple:
    """The script prefix, URLconf and its resolver the page's addresses are reversed with, looked
    up once per render (includes and extends too): they are set per request before any template
    renders. The resolver object stands for its patterns: clear_url_caches() makes a new one."""
    page = context.render_context.dicts[0]
    addresses = page.get(_addresses)
    if addresses is None:
        urlconf = get_urlconf()
        addresses = page[_addresses] = (get_script_prefix(), urlconf, get_resolver(urlconf))
    return addresses


def _literal(expression) -> bool:
    """A FilterExpression that is a literal (a string, a number, a translated string) without
    filters: the same value on every render in one language."""
    if expression.filters:
        return False
    var = expression.var
    return isinstance(var, str) or (isinstance(var, Variable) and var.lookups is None)


@register.tag
def url(parser, token):
    """Django's {% url %} (django.template.defaulttags.url), parsed by Django."""
    node = defaulttags.url(parser, token)
    if (
        node.asvar is None
        and _literal(node.view_name)
        and all(_literal(arg) for arg in node.args)
        and all(_literal(value) for value in node.kwargs.values())
    ):
        return ConstantURLNode(node.view_name, node.args, node.kwargs, node.asvar)
    return node


@receiver(setting_changed)
def _forget_every_address(**kwargs) -> None:
    # ROOT_URLCONF, LANGUAGES, LANGUAGE_CODE and the like change what reverse() answers; tests
    # override them (production changes settings only by restarting).
    for node in list(_NODES):
        node.rendered.clear()
