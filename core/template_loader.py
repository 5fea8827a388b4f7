"""Templates compiled once per language: Django's cached loader, keyed by the active language too,
with every `{% translate "literal" %}` and variable-free `{% blocktranslate %}` replaced by its
text in that language when the template is compiled.

Django translates such a tag on every render (a gettext call that reads the active language from
asgiref's Local and looks the message up: 20-60 of them on a signed-in page, 6-10 % of its CPU)
although its output depends on nothing but the language. Here each (template, language) is parsed
once per process, and a tag whose output is proved constant is rendered once, by Django's own
node, and kept as text. A tag that depends on anything else (a variable, `as`, `count`, `with`, a
filter, a context from a variable, a `{% language %}` around it) stays as it is and renders per
request. settings.TEMPLATES names the loader in every mode: DEBUG's autoreloader empties it when a
template changes, as it does Django's cached loader, and when a catalogue (.mo) changes.

Django internals relied on (tests/core/test_template_loader.py pins each):
- cached.Loader.get_template() keys its cache by self.cache_key(template_name, skip) and compiles a
  missing template with super().get_template(); the class below places the compiling step (a
  mixin of base.Loader) between them in the method resolution order, and adds the language to the
  key. {% extends %} and {% include %} find their templates through the engine's loaders at render
  time, so they get the language's copy too.
- Template._render() renders self.nodelist (so does the test runner's instrumented _render), and
  {% extends %} renders its parent with _render(): the language check below lives in the nodelist.
- TranslateNode and BlockTranslateNode keep their arguments in the attributes read below.
- VariableNode.render() is filter_expression.resolve() and render_value_in_context().
- No render changes a compiled template's nodes (CompiledNodeList keeps get_nodes_by_type()).

The same walk gives every `{{ variable }}` a node that writes its value with
core.dates.render_value_in_context (Django's function, with the plain and already-safe strings that
most variables are written without Django's localize() and conditional_escape(), whose keep_lazy
wrapper looks for lazy strings in every argument): 40-80 variables a signed-in page.
"""

from __future__ import annotations

import weakref

from django.dispatch import receiver
from django.template import Context, Node, NodeList, Template
from django.template.base import TextNode, TokenType, Variable, VariableNode
from django.template.loaders import base, cached
from django.templatetags.i18n import BlockTranslateNode, LanguageNode, TranslateNode
from django.utils import translation
from django.utils.autoreload import file_changed

from core import dates

# Nodes that render their children in another language than the page's: nothing inside them is
# folded (the text would be the page's language).
LANGUAGE_SWITCHING_NODES: tuple[type[Node], ...] = (LanguageNode,)

_LOADERS: weakref.WeakSet[Loader] = weakref.WeakSet()


class _CompilerPerLanguage(base.Loader):
    """The step that compiles a template from its source, followed by the folding."""

    def get_template(self, template_name, skip=None):
        template = super().get_template(template_name, skip)
        language = translation.get_language()
        if fold_constant_translations(template, language):
            # Only a template with folded text needs the check; the others are the same in every
            # language (their includes are looked up in the language of the render).
            template.nodelist = LanguageNodeList(
                template.nodelist, language, self, template_name, skip
            )
        else:
            template.nodelist = CompiledNodeList(template.nodelist)
        return template


class Loader(cached.Loader, _CompilerPerLanguage):
    """Django's cached loader (same options: the loaders it wraps), one template per language.

    The method resolution order is Loader, cached.Loader, _CompilerPerLanguage, base.Loader:
    cached.Loader.get_template()'s super().get_template() is the compiling step above.
    """

    def __init__(self, engine, loaders):
        super().__init__(engine, loaders)
        _LOADERS.add(self)

    def cache_key(self, template_name, skip=None):
        # The same template name and extends chain in another language is another template.
        return (super().cache_key(template_name, skip), translation.get_language())


class CompiledNodeList(NodeList):
    """A compiled template's nodes, which no render changes. {% extends %} looks for the blocks of
    its parent on every render (ExtendsNode.render: the root template's
    nodelist.get_nodes_by_type(BlockNode), a walk of the whole layout, a few dozen calls a page):
    the answer is the same each time, so it is found once per type."""

    def __init__(self, nodes):
        super().__init__(nodes)
        self.contains_nontext = nodes.contains_nontext
        self._by_type: dict[type, list[Node]] = {}

    def get_nodes_by_type(self, nodetype):
        try:
            found = self._by_type[nodetype]
        except KeyError:
            found = self._by_type[nodetype] = super().get_nodes_by_type(nodetype)
        return list(found)  # a list of its own to each caller, as NodeList's


class LanguageNodeList(CompiledNodeList):
    """A template's nodes, compiled for one language. Rendered while another language is active
    (a template object kept from one language to another, a {% language %} around an include
    that the render already looked up), it renders the other language's copy instead: a page
    never shows one language's text in another's."""

    def __init__(self, nodes, language, loader, template_name, skip):
        super().__init__(nodes)
        self.language = language
        self._loader = loader
        self._template_name = template_name
        # {% extends %} appends to its list of skipped origins after the lookup: keep a copy.
        self._skip = None if skip is None else list(skip)

    def render(self, context):
        if translation.get_language() == self.language:
            return super().render(context)
        other = self._loader.get_template(self._template_name, self._skip)
        return other.nodelist.render(context)


def fold_constant_translations(template: Template, language: str | None) -> int:
    """Replace the template's translation tags whose output depends only on the language by that
    output in `language`, in place; returns how many were replaced."""
    with translation.override(language):
        return _fold_nodelist(template.nodelist, template)


class ValueNode(VariableNode):
    """`{{ variable }}`: Django's VariableNode, its value written by core.dates'
    render_value_in_context (the same text as Django's function: tests/core/test_dates.py)."""

    def render(self, context):
        try:
            output = self.filter_expression.resolve(context)
        except UnicodeDecodeError:
            return ""  # as Django's VariableNode
        return dates.render_value_in_context(output, context)


def _fold_nodelist(nodelist: NodeList, template: Template, fold: bool = True) -> int:
    """`fold` False: inside a node that switches the language, only the variables' nodes."""
    folded = 0
    changed = False
    nodes = []
    for node in nodelist:
        text = _constant_output(node, template) if fold else None
        if type(node) is VariableNode:
            value_node = ValueNode(node.filter_expression)
            value_node.token, value_node.origin = node.token, node.origin
            node = value_node
            changed = True
        elif text is None:
            folded += _fold_children(node, template, fold)
        else:
            replacement = TextNode(text)
            replacement.token, replacement.origin = node.token, node.origin
            node = replacement
            folded += 1
        if nodes and type(node) is TextNode and type(nodes[-1]) is TextNode:
            # Adjacent text is one node: one call less per render.
            joined = TextNode(nodes[-1].s + node.s)
            joined.token, joined.origin = nodes[-1].token, nodes[-1].origin
            nodes[-1] = joined
        else:
            nodes.append(node)
    if folded or changed:
        # In place: the nodes that own this list (a block, an if, a for) keep it.
        nodelist[:] = nodes
    return folded


def _fold_children(node: Node, template: Template, fold: bool) -> int:
    """Every node list a node holds, in any attribute (not only Django's child_nodelists, which
    leaves out e.g. an {% if %}'s branches and the custom tags that declare none)."""
    if isinstance(node, LANGUAGE_SWITCHING_NODES):
        fold = False
    folded = 0
    for value in vars(node).values():
        folded += _fold_value(value, template, fold)
    return folded


def _fold_value(value, template: Template, fold: bool) -> int:
    if isinstance(value, NodeList):
        return _fold_nodelist(value, template, fold)
    if isinstance(value, list | tuple):  # an {% if %}'s (condition, nodelist) pairs
        return sum(_fold_value(item, template, fold) for item in value)
    return 0


def _constant_output(node: Node, template: Template) -> str | None:
    """The node's output if it depends on nothing but the active language, else None."""
    if type(node) is TranslateNode:
        constant = _translate_is_constant(node)
    elif type(node) is BlockTranslateNode:
        constant = _blocktranslate_is_constant(node)
    else:
        return None
    if not constant:
        return None
    # Rendered by Django's own node, with and without autoescaping: a literal's translation is
    # safe and a blocktranslate's text is not escaped, so both are the same; if they ever differ,
    # the node stays and Django renders it.
    outputs = set()
    for autoescape in (True, False):
        context = Context(autoescape=autoescape)
        try:
            with context.bind_template(template):
                outputs.add(str(node.render(context)))
        except Exception:  # noqa: BLE001 (a tag that fails fails at render time, as in Django)
            return None
    return outputs.pop() if len(outputs) == 1 else None


def _literal(expression) -> bool:
    """A FilterExpression that is a string literal without filters."""
    return expression is None or (
        not expression.filters
        and (
            isinstance(expression.var, str)
            or (
                isinstance(expression.var, Variable)
                and expression.var.lookups is None
                and isinstance(expression.var.literal, str)
            )
        )
    )


def _translate_is_constant(node: TranslateNode) -> bool:
    # {% translate "literal" [noop] [context "literal"] %}: TranslateNode turns the literal into
    # a Variable (its lookups None); the context stays a FilterExpression of a plain string.
    return (
        node.asvar is None
        and isinstance(node.filter_expression.var, Variable)
        and _literal(node.filter_expression)
        and _literal(node.message_context)
    )


def _blocktranslate_is_constant(node: BlockTranslateNode) -> bool:
    return (
        node.asvar is None
        and not node.extra_context
        and not node.plural
        and node.countervar is None
        and node.counter is None
        and _literal(node.message_context)
        and all(token.token_type == TokenType.TEXT for token in node.singular)
    )


@receiver(file_changed, dispatch_uid="core_template_loader_catalogue_changed")
def _catalogue_changed(sender, file_path, **kwargs):
    """In development, Django reloads a changed catalogue (.mo) without a restart
    (django.utils.translation.reloader): the texts folded from the old one go with it."""
    if file_path.suffix == ".mo":
        for loader in list(_LOADERS):
            loader.reset()
    # Returns None: Django's translation receiver answers whether the server restarts.
