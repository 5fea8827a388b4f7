"""No dead code: every function and method of the project is named somewhere besides its own
definition (called, passed, listed in settings or used by a template). A function that only the
tests call is dead too, unless it is listed below with the reason the tests need it.

Decorated functions are left out (a decorator registers them: views, tasks, checks, template tags,
properties), and so are the hooks Django, the standard library and aiosmtpd call by name."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIPPED_FOLDERS = {".venv", "tests", "var", ".git", "migrations", "bench", "node_modules"}
REFERENCE_SUFFIXES = {".py", ".html", ".txt", ".toml", ".json", ".md", ".cfg"}

# Called by a framework, by name.
FRAMEWORK_HOOKS = re.compile(
    r"^(clean_\w+|handle_\w+|_send|get_help_text|get_by_natural_key|create_superuser"
    r"|format_value|seekable)$"
)
# Called only by tests, on purpose: name -> why the tests need it in the project's code.
TEST_HOOKS = {
    "forget_readiness": "resets the per-process readiness answer between tests",
    "unregister": "tests add plugins to a registry and take them out again",
    "marked_periodic_tasks": "the tests prove that every task marked @periodic is declared",
    "sealed_values_not_opening": "the rotation test proves every sealed value opens afterwards",
    "is_valid_finnish_reference": "the check of the format the module writes; the tests' oracle",
    "is_valid_creditor_reference": "the check of the format the module writes; the tests' oracle",
    "callbacks_delivered": "the Paytrail stand-in's tests prove each callback was answered 200",
}


def _project_files(suffixes, skipped=SKIPPED_FOLDERS):
    for path in sorted(ROOT.rglob("*")):
        folders = path.relative_to(ROOT).parts[:-1]
        if (
            path.suffix in suffixes
            and path.is_file()
            and not skipped.intersection(folders)
            # Tools' caches (.import_linter_cache, .ruff_cache, ...) are no callers: the result
            # must not depend on which tool ran before the tests.
            and not any(folder.startswith(".") for folder in folders)
        ):
            yield path


def uncalled_functions(sources: dict[str, str], references: str) -> list[str]:
    """`path:line name` of undecorated module-level functions and methods whose name occurs
    only once (its definition) in `references`."""
    counts = Counter(re.findall(r"[A-Za-z_]\w*", references))
    found = []
    for path, source in sources.items():
        for node in ast.parse(source).body:
            members = node.body if isinstance(node, ast.ClassDef) else [node]
            for member in members:
                if not isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                name = member.name
                if member.decorator_list or name.startswith("__"):
                    continue
                if FRAMEWORK_HOOKS.match(name) or name in TEST_HOOKS:
                    continue
                if counts[name] <= 1:
                    found.append(f"{path}:{member.lineno} {name}")
    return found


def test_no_function_is_left_that_nothing_calls():
    sources = {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for path in _project_files({".py"})
    }
    # Migrations are not checked themselves, but what they call is used.
    references = "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in _project_files(REFERENCE_SUFFIXES, SKIPPED_FOLDERS - {"migrations"})
    )
    assert uncalled_functions(sources, references) == []


def test_the_test_hooks_are_still_used_by_the_tests():
    """A test hook nothing calls any more is dead as well."""
    tests = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "tests").rglob("*.py"))
    assert [name for name in TEST_HOOKS if not re.search(rf"\b{name}\(", tests)] == []


def test_the_scan_finds_an_uncalled_function_and_spares_a_called_or_decorated_one():
    source = (
        "def used():\n    pass\n\n"
        "def unused():\n    used()\n\n"
        "@register\ndef registered():\n    pass\n\n"
        "class Form:\n    def clean_name(self):\n        pass\n\n"
        "    def orphan(self):\n        pass\n"
    )
    assert uncalled_functions({"m.py": source}, source) == ["m.py:4 unused", "m.py:15 orphan"]
