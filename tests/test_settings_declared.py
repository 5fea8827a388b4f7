"""Every setting the code reads is declared in config/settings.py with its default: the code reads
`settings.NAME`, never `getattr(settings, "NAME", default)`, whose default would be a second,
undocumented one that silently wins when the setting is misspelt or missing."""

import ast
from pathlib import Path

import pytest
from django.conf import global_settings, settings
from django.core.exceptions import ImproperlyConfigured

from config.env import env_rate_limits

ROOT = Path(settings.BASE_DIR)
SKIPPED_FOLDERS = {".venv", "tests", "node_modules", "var", ".git", "migrations"}


def _project_files():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if not SKIPPED_FOLDERS.intersection(relative.parts[:-1]):
            yield relative


def settings_read_with_a_fallback(source: str) -> list[int]:
    """Lines of `getattr(settings, ...)` with a default, or with a literal name (which should be
    `settings.NAME`), and of `hasattr(settings, ...)`. A computed name without a default (a
    setting named by a decorator's argument) raises on a missing setting, so it is allowed."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id not in {"getattr", "hasattr"} or not node.args:
            continue
        target = node.args[0]
        if not (isinstance(target, ast.Name) and target.id == "settings"):
            continue
        literal_name = len(node.args) > 1 and isinstance(node.args[1], ast.Constant)
        if node.func.id == "hasattr" or len(node.args) > 2 or literal_name:
            lines.append(node.lineno)
    return lines


def test_no_project_code_reads_a_setting_with_a_fallback_default():
    offenders = []
    for relative in _project_files():
        source = (ROOT / relative).read_text(encoding="utf-8")
        offenders += [f"{relative}:{line}" for line in settings_read_with_a_fallback(source)]
    assert offenders == [], "declare these in config/settings.py and read settings.NAME"


@pytest.mark.parametrize(
    "source",
    [
        'x = getattr(settings, "TRUST_DNS_TIMEOUT", 2.0)',
        'x = getattr(settings, "PORT")',
        'x = hasattr(settings, "PORT")',
    ],
)
def test_the_scan_finds_a_fallback_read(source):
    assert settings_read_with_a_fallback(source) == [1]


def test_the_scan_allows_a_setting_named_by_a_variable_and_other_objects():
    source = 'a = getattr(settings, name)\nb = getattr(view, "x", None)\nc = settings.PORT'
    assert settings_read_with_a_fallback(source) == []


def test_every_setting_the_code_reads_is_declared_in_the_settings_module():
    """The names once read with getattr are in config/settings.py itself, not only in Django's
    global defaults or a test's override."""
    declared = {
        target.id
        for node in ast.walk(ast.parse((ROOT / "config" / "settings.py").read_text()))
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    read = set()
    for relative in _project_files():
        tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"))
        read |= {
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "settings"
            and node.attr.isupper()
        }
    django_defaults = {name for name in dir(global_settings) if name.isupper()}
    assert sorted(read - declared - django_defaults) == []


def test_rate_limit_overrides_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("RATE_LIMITS", "trust.check=30/60, accounts.register=2/3600")
    assert env_rate_limits("RATE_LIMITS") == {
        "trust.check": (30, 60),
        "accounts.register": (2, 3600),
    }
    monkeypatch.setenv("RATE_LIMITS", "trust.check=30")
    with pytest.raises(ImproperlyConfigured):
        env_rate_limits("RATE_LIMITS")


def environment_variables_read(source: str) -> set[str]:
    """Names the settings module reads from the environment (config.env's env_* functions)."""
    return {
        node.args[0].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.startswith("env_")
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


def test_every_environment_variable_the_settings_read_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    read = environment_variables_read((ROOT / "config" / "settings.py").read_text())
    assert len(read) > 50  # the scan finds the settings' variables
    assert sorted(name for name in read if f"`{name}`" not in readme) == []


def test_the_environment_scan_finds_a_variable_named_on_its_own_line():
    source = 'A = env_int(\n    "SOME_LIMIT",\n    5,\n)\nB = os.environ.get("OTHER")'
    assert environment_variables_read(source) == {"SOME_LIMIT"}
