"""core.safe_html's format_html and format_html_join give Django's output, for plain, safe, lazy
and other arguments."""

from __future__ import annotations

import pytest
from django.utils import html as django_html
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st

from core import safe_html


class Markup:
    def __html__(self):
        return "<i>markup</i>"


arguments = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "<script>&\"'",
            mark_safe("<b>safe</b>"),
            gettext_lazy("Status"),
            gettext_lazy("<b>"),
            Markup(),
            7,
            None,
            3.5,
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(args=st.lists(arguments, min_size=1, max_size=4), language=st.sampled_from(["fi", "en"]))
def test_format_html_is_djangos(args, language):
    template = " ".join("<p>{}</p>" for _ in args)
    named = "".join(f"<a title='{{k{index}}}'>" for index in range(len(args)))
    keywords = {f"k{index}": arg for index, arg in enumerate(args)}
    with translation.override(language):
        ours = safe_html.format_html(template, *args)
        assert ours == django_html.format_html(template, *args)
        assert type(ours) is SafeString
        assert safe_html.format_html(named, **keywords) == django_html.format_html(
            named, **keywords
        )


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(st.lists(arguments, min_size=2, max_size=2), max_size=4),
    sep=st.sampled_from(["\n", "<br>", mark_safe("<br>")]),
)
def test_format_html_join_is_djangos(rows, sep):
    ours = safe_html.format_html_join(sep, "<dt>{}</dt><dd>{}</dd>", rows)
    assert ours == django_html.format_html_join(sep, "<dt>{}</dt><dd>{}</dd>", rows)
    assert type(ours) is SafeString
    mappings = [{"a": a, "b": b} for a, b in rows]
    assert safe_html.format_html_join(sep, "{a}{b}", mappings) == (
        django_html.format_html_join(sep, "{a}{b}", mappings)
    )


def test_a_format_without_arguments_is_left_to_django():
    with pytest.warns(Warning):
        assert safe_html.format_html("<p>") == "<p>"
