"""`{% once_per_language %}…{% endonce_per_language %}`: a part of the layout that is the same for
every visitor in one language (the header's links, the language buttons, the footer), rendered
once per process and language and then reused.

Django's template engine costs more than such markup is worth: the header and footer of base.html
(a dozen `{% url %}` and `{% translate %}`, the language list, the contact details) were about a
third of a public page's CPU, every request, for the same bytes.

The block can only hold what depends on the language and the configuration: it is rendered in a
context of its own that holds nothing but `authority` and `LANGUAGE_CODE`, so a request's or a
user's data can never enter the shared copy (`{{ user }}` or `{% csrf_token %}` inside renders
empty; a `{% block %}` inside is refused). The copy is kept per language, authority profile, URL
prefix and URLconf, and every copy is dropped when a setting changes (tests override settings;
production changes them only by restarting).
"""

from __future__ import annotations

import weakref

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

from core.authority import authority

register = template.Library()

_BLOCKS: weakref.WeakSet[OncePerLanguageNode] = weakref.WeakSet()


class OncePerLanguageNode(template.Node):
    # Holds no {% block %} (refused below), so {% extends %}, which looks for the blocks of the
    # whole layout on every render, need not walk into it.
    child_nodelists = ()

    def __init__(self, nodelist):
        self.nodelist = nodelist
        # (language, script prefix, URLconf) -> (the profile it was rendered with, the HTML)
        self.rendered: dict[tuple, tuple[object, str]] = {}
        _BLOCKS.add(self)

    def render(self, context):
        profile = authority()
        language = get_language()  # asked each time: {% language %} may switch it inside a page
        key = (language, *_addresses(context))
        known = self.rendered.get(key)
        if known is not None and known[0] is profile:
            return known[1]
        html = self._render_alone(context, profile, language)
        self.rendered[key] = (profile, html)
        return html

    def _render_alone(self, context, profile, language) -> str:
        """The block in a context that holds nothing of the request or the user."""
        alone = template.Context(
            {"authority": profile, "LANGUAGE_CODE": language},
            autoescape=context.autoescape,
            use_l10n=context.use_l10n,
            use_tz=context.use_tz,
        )
        with alone.bind_template(context.template):
            return self.nodelist.render(alone)


def _addresses(context) -> tuple:
    """The URL prefix and URLconf the page's links are reversed with, looked up once per page
    (each is a lookup in asgiref's Local, slower than a block's whole reuse); they are set per
    request, before any template renders."""
    page = context.render_context.dicts[0]  # the whole render's, includes and extends too
    addresses = page.get(_addresses)
    if addresses is None:
        addresses = page[_addresses] = (get_script_prefix(), get_urlconf())
    return addresses


@register.tag
def once_per_language(parser, token):
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("once_per_language takes no arguments")
    nodelist = parser.parse(("endonce_per_language",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError(
            "once_per_language cannot hold a {% block %}: a page's own block would be shared"
        )
    return OncePerLanguageNode(nodelist)


@receiver(setting_changed)
def _forget_every_copy(**kwargs) -> None:
    for block in list(_BLOCKS):
        block.rendered.clear()
