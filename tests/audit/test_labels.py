"""Every audit action code recorded anywhere in the project has a translated label (fi, sv).

The codes are found in the source: each audit_record(action=...) call, with its value resolved
where it is a literal, a constant, a conditional, an f-string over those, or a parameter of the
enclosing function whose callers in the module pass literals. Where an action arrives some other
way (returned by a callback), every dotted code literal of that module counts as an action code.
"""

from __future__ import annotations

import ast
import importlib
import itertools
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from audit.labels import ACTION_LABELS, action_label, object_type_label, role_label

ROOT = Path(settings.BASE_DIR)
SKIPPED_FOLDERS = {"tests", "migrations", "var", "static", "locale", "node_modules"}
DOTTED_CODE = re.compile(r"[a-z]+(\.[a-z_]+)+")


def _project_modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if any(part.startswith(".") or part in SKIPPED_FOLDERS for part in parts[:-1]):
            continue
        yield path, ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _is_audit_record(call: ast.Call) -> bool:
    function = call.func
    name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")
    return name == "audit_record"


def _enclosing_functions(tree):
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    return parents


class _Resolver:
    def __init__(self, tree, module_name):
        self.tree = tree
        self.parents = _enclosing_functions(tree)
        self.module_name = module_name
        self._globals = None

    @property
    def module_globals(self):
        if self._globals is None:
            try:
                self._globals = vars(importlib.import_module(self.module_name))
            except Exception:  # a script that is not importable: only literals count
                self._globals = {}
        return self._globals

    def function_of(self, node):
        while node is not None and not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            node = self.parents.get(node)
        return node

    def values(self, expr, at) -> set[str] | None:
        """Every string `expr` can be at the node `at`, or None when that cannot be told."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}
        if isinstance(expr, ast.IfExp):
            body, orelse = self.values(expr.body, at), self.values(expr.orelse, at)
            return None if body is None or orelse is None else body | orelse
        if isinstance(expr, ast.JoinedStr):
            pieces = []
            for part in expr.values:
                if isinstance(part, ast.FormattedValue):
                    pieces.append(self.values(part.value, at))
                else:
                    pieces.append({part.value})
            if any(piece is None for piece in pieces):
                return None
            return {"".join(combination) for combination in itertools.product(*pieces)}
        if isinstance(expr, ast.Name):
            local = self._local_values(expr.id, at)
            if local is not None:
                return local
        if isinstance(expr, ast.Name | ast.Attribute):
            try:
                value = eval(ast.unparse(expr), dict(self.module_globals))  # noqa: S307 (own source)
            except Exception:
                return None
            return {str(value)} if isinstance(value, str) else None
        return None

    def _local_values(self, name, at) -> set[str] | None:
        function = self.function_of(at)
        if function is None:
            return None
        assigned = [
            node.value
            for node in ast.walk(function)
            if isinstance(node, ast.Assign)
            and any(isinstance(target, ast.Name) and target.id == name for target in node.targets)
        ]
        if assigned:
            found = [self.values(value, function) for value in assigned]
            return None if any(item is None for item in found) else set().union(*found)
        parameters = [argument.arg for argument in function.args.args]
        parameters += [argument.arg for argument in function.args.kwonlyargs]
        if name not in parameters:
            return None
        found: set[str] = set()
        callers = 0
        for call in ast.walk(self.tree):
            if not (isinstance(call, ast.Call) and getattr(call.func, "id", "") == function.name):
                continue
            callers += 1
            argument = next((kw.value for kw in call.keywords if kw.arg == name), None)
            index = parameters.index(name)
            if argument is None and index < len(call.args):
                argument = call.args[index]
            values = self.values(argument, call) if argument is not None else None
            if values is None:
                return None
            found |= values
        return found if callers else None


def _pattern(expr: ast.JoinedStr) -> re.Pattern:
    return re.compile(
        "".join(
            "[a-z_]+" if isinstance(part, ast.FormattedValue) else re.escape(part.value)
            for part in expr.values
        )
    )


def recorded_action_codes() -> tuple[set[str], list[re.Pattern]]:
    """(the codes found, patterns of f-strings whose values cannot be told from the module)."""
    codes: set[str] = set()
    patterns: list[re.Pattern] = []
    for path, module_name in _project_modules():
        source = path.read_text(encoding="utf-8")
        if "audit_record" not in source:
            continue
        tree = ast.parse(source)
        resolver = _Resolver(tree, module_name)
        module_unresolved = False
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and _is_audit_record(call)):
                continue
            action = next((kw.value for kw in call.keywords if kw.arg == "action"), None)
            if action is None:
                continue
            values = resolver.values(action, call)
            if values is not None:
                codes |= values
            elif isinstance(action, ast.JoinedStr):
                patterns.append(_pattern(action))
            else:
                module_unresolved = True
        if module_unresolved:
            in_f_strings = {
                id(part)
                for node in ast.walk(tree)
                if isinstance(node, ast.JoinedStr)
                for part in node.values
            }
            codes |= {
                node.value
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant)
                and id(node) not in in_f_strings
                and isinstance(node.value, str)
                and DOTTED_CODE.fullmatch(node.value)
            }
    return codes, patterns


def test_the_walk_finds_the_codes_of_views_services_helpers_and_f_strings():
    codes, _patterns = recorded_action_codes()
    # A literal in a service, a constant from another module, a helper's parameter filled by its
    # callers, a conditional f-string and a value returned by a callback.
    assert {
        "trust.campaign.published",
        "application.draft_deleted",
        "trust.campaign.exported_stix",
        "securemail.message_sent_by_public",
        "casework.decided",
    } <= codes
    assert len(codes) > 60


def test_every_recorded_action_has_a_label():
    codes, patterns = recorded_action_codes()
    missing = sorted(code for code in codes if code not in ACTION_LABELS)
    assert missing == []
    # An f-string whose values come from elsewhere: its labels must at least exist.
    unmatched = [
        pattern.pattern
        for pattern in patterns
        if not any(pattern.fullmatch(code) for code in ACTION_LABELS)
    ]
    assert unmatched == []


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_label_is_translated(language):
    untranslated = []
    for code, label in ACTION_LABELS.items():
        with translation.override("en"):
            english = str(label)
        with translation.override(language):
            if str(label) == english:
                untranslated.append(code)
    assert untranslated == []


def test_an_unknown_code_is_shown_as_it_is_and_known_ones_translated():
    assert action_label("something.old") == "something.old"
    with translation.override("fi"):
        assert action_label("casework.decided") != "casework.decided"
        assert object_type_label("accounts.user") == "Käyttäjä"
        assert role_label("caseworker") == str(role_label("caseworker"))
    assert object_type_label("no.such_model") == "no.such_model"
