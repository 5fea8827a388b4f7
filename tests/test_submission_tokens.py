"""Every state-changing form of the platform is safe to submit twice: each POST form of the
templates listed in tests/submissions.py carries the one-time submission token."""

from __future__ import annotations

import pytest

from tests.submissions import FORM, ROOT, STATE_CHANGING_TEMPLATES


@pytest.mark.parametrize(
    "template", STATE_CHANGING_TEMPLATES, ids=lambda path: str(path.relative_to(ROOT))
)
def test_every_post_form_carries_a_submission_token(template):
    for form in FORM.finditer(template.read_text(encoding="utf-8")):
        if 'method="post"' in form.group(0).lower():
            assert "{% submission_token %}" in form.group(1), form.group(0)[:120]
