"""django.utils.html.format_html and format_html_join for the rows the pages write in Python, with
the same output, without escape()'s keep_lazy wrapper.

Django's conditional_escape() calls escape(), which keep_lazy wraps to check every argument for a
lazy string before escaping it: a generator and an any() per value, a hundred times on a case page
for values that are plain text. core.form_rendering.escaped is conditional_escape() without that
check (a lazy string is made text first, as conditional_escape does), so the check has nothing to
find. tests/core/test_safe_html.py compares both functions with Django's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils import html as django_html
from django.utils.safestring import SafeString

from core.form_rendering import escaped


def format_html(format_string: str, *args, **kwargs) -> SafeString:
    """django.utils.html.format_html: the format with every argument conditionally escaped."""
    if not (args or kwargs):
        return django_html.format_html(format_string)  # Django's warning (an error in Django 6)
    return SafeString(
        format_string.format(
            *[escaped(arg) for arg in args], **{k: escaped(v) for k, v in kwargs.items()}
        )
    )


def format_html_join(sep: str, format_string: str, args_generator: Iterable) -> SafeString:
    """django.utils.html.format_html_join: format_html of each group of arguments, joined by the
    (escaped) separator."""
    return SafeString(
        escaped(sep).join(
            format_html(format_string, **args)
            if isinstance(args, Mapping)
            else format_html(format_string, *args)
            for args in args_generator
        )
    )
