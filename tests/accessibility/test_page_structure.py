"""Every key page, read with html.parser: one h1, headings in order, a label on every field,
<html lang> set and no script anywhere. Runs without a browser."""

from __future__ import annotations

import pytest

from tests.accessibility.html_rules import page_structure, structure_problems
from tests.accessibility.key_pages import applicant_pages, public_pages, sign_in_pages

pytestmark = pytest.mark.django_db


def _assert_pages_are_well_formed(pages) -> None:
    problems = {
        f"{name} ({page.url}, {page.status})": structure_problems(page.html)
        for name, page in pages.items()
    }
    assert {name: found for name, found in problems.items() if found} == {}


def test_the_public_pages_are_well_formed():
    pages = public_pages()
    assert pages["check with a result"].html.count('id="verdict-title"') == 1
    assert pages["not found"].status == 404
    _assert_pages_are_well_formed(pages)


def test_the_sign_in_steps_are_well_formed(make_user):
    pages = sign_in_pages(make_user)
    assert pages["authenticator set-up"].path == "/accounts/two-factor/setup/"
    assert pages["second step"].path == "/accounts/two-factor/"
    _assert_pages_are_well_formed(pages)


def test_the_applicants_pages_are_well_formed(make_user, permit_types):
    pages = applicant_pages(make_user)
    for name in ("start with errors", "section with errors", "attachment with errors"):
        assert 'class="error-summary"' in pages[name].html, name
    assert 'class="error-summary"' in pages["review with errors"].html
    assert pages["case"].path.rstrip("/").split("/")[-1].isdigit()
    _assert_pages_are_well_formed(pages)


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("<html><body><h1>A</h1></body></html>", "<html> has no lang attribute"),
        ('<html lang="fi"><h1>A</h1><h1>B</h1></html>', "2 <h1> elements instead of one"),
        ('<html lang="fi"><h1>A</h1><h3>C</h3></html>', "h1 is followed by h3 ('C')"),
        ('<html lang="fi"><h1>A</h1><input name="q"></html>', "<input name='q'> has no label"),
        ('<html lang="fi"><h1>A</h1><script>x()</script></html>', "1 <script> element(s)"),
        ('<html lang="fi"><h1>A</h1><p id="a"></p><p id="a"></p></html>', "duplicate ids: a"),
        (
            '<html lang="fi"><main><h1>A</h1><div class="error-summary" tabindex="-1" autofocus>'
            "</div></main></html>",
            "the error summary comes after a <h1>",
        ),
        (
            '<html lang="fi"><main><div class="error-summary"><h2>E</h2></div><h1>A</h1></main>',
            "the error summary does not take the focus",
        ),
        (
            '<html lang="fi"><h1>A</h1><form><input aria-label="x" name="x" required></form>',
            "<form action=None> has fields but no novalidate",
        ),
        (
            '<html lang="fi"><h1>A</h1><input type="tel" name="p" aria-label="P"></html>',
            "<input type=tel name='p'> has no autocomplete",
        ),
    ],
)
def test_the_rules_catch_each_kind_of_problem(html, problem):
    assert any(found.startswith(problem) for found in structure_problems(html))


def test_labelled_fields_hidden_inputs_and_buttons_pass_the_rules():
    html = (
        '<html lang="sv"><h1>A</h1><h2>B</h2><h3>C</h3><h2>D</h2>'
        '<label for="q">Q</label><input id="q" name="q">'
        '<select name="s" aria-label="S"></select><textarea name="t" hidden></textarea>'
        '<input type="hidden" name="h"><input type="submit" name="go"></html>'
    )
    assert structure_problems(html) == []
    assert [level for level, _text in page_structure(html).headings] == [1, 2, 3, 2]
