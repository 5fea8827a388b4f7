"""Comparing markup written in Python with the template loop it replaced."""

from __future__ import annotations

import re


def without_layout_whitespace(html: str) -> str:
    """The markup with the whitespace between tags dropped: a template's line breaks and
    indentation, which the browser does not show, are not a difference."""
    return re.sub(r">\s+<", "><", html).strip()
