"""Audit records of changes are written by the services that make the changes (ARCHITECTURE.md), so
that commands, tasks and demo data are audited like pages. A view or form may record only what was
viewed, and the sign-in events that live in the HTTP session itself.

The audit_record calls of every view and form module are read from the source: an action given as a
function parameter is followed to the literals the module passes for it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "accounts",
    "applications",
    "audit",
    "casework",
    "core",
    "documents",
    "notifications",
    "payments",
    "securemail",
    "trust",
)
# What was looked at: a page, a list, a download or an export.
READ_ACTION = re.compile(r"\.(\w+_)?(viewed|listed|downloaded|exported_\w+)$")
# Signing in and out changes the browser's session (django.contrib.auth.login/logout in the view),
# not a row a service owns.
SESSION_ACTIONS = {
    "account.signed_in",
    "account.sign_in_failed",
    "account.signed_out",
    "account.second_factor_passed",
    "account.second_factor_failed",
}


def view_modules() -> list[Path]:
    found = []
    for app in APPS:
        base = ROOT / app
        if not base.is_dir():
            continue
        for path in base.rglob("*.py"):
            parts = path.relative_to(base).parts
            if "migrations" in parts:
                continue
            if path.name.endswith(("views.py", "forms.py")) or "views" in parts[:-1]:
                found.append(path)
    return sorted(found)


def _is_audit_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name | ast.Attribute)
        and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr)
        in ("audit_record", "audit_record_bound")  # the second: written with a page's reads
    )


def _literals_passed_for(tree: ast.Module, function: ast.FunctionDef, parameter: str) -> list:
    """The values the module passes for `parameter` in its calls of `function`."""
    position = [argument.arg for argument in function.args.args].index(parameter)
    values = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id != function.name:
            continue
        given = {keyword.arg: keyword.value for keyword in node.keywords}
        value = given.get(parameter) or (node.args[position] if position < len(node.args) else None)
        values.append(value.value if isinstance(value, ast.Constant) else ast.unparse(node))
    return values


def audit_actions(path: Path) -> list[str]:
    """Every action the module's audit_record calls can record (an unresolved one as source)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    actions = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        parameters = {argument.arg for argument in function.args.args}
        for node in ast.walk(function):
            if not _is_audit_call(node):
                continue
            action = next((k.value for k in node.keywords if k.arg == "action"), None)
            if isinstance(action, ast.Constant):
                actions.append(action.value)
            elif isinstance(action, ast.Name) and action.id in parameters:
                actions.extend(_literals_passed_for(tree, function, action.id))
            else:
                actions.append(ast.unparse(node))
    return actions


def test_the_scan_finds_the_view_modules_and_their_audit_calls():
    modules = {path.relative_to(ROOT).as_posix() for path in view_modules()}
    assert {"applications/views.py", "casework/views.py", "trust/views/team.py"} <= modules
    assert "account.security_viewed" in audit_actions(ROOT / "accounts/views/security.py")
    assert "application.viewed" in audit_actions(ROOT / "casework/applicant_views.py")
    assert "casework.case_viewed" in audit_actions(ROOT / "casework/views.py")
    # Followed through the export helper's parameter.
    assert "trust.campaign.exported_json" in audit_actions(ROOT / "trust/views/team.py")


def test_views_and_forms_record_only_what_was_viewed_or_a_sign_in():
    changes = [
        (path.relative_to(ROOT).as_posix(), action)
        for path in view_modules()
        for action in audit_actions(path)
        if not READ_ACTION.search(action) and action not in SESSION_ACTIONS
    ]
    assert changes == [], "record these in the service that makes the change"


def test_the_rule_tells_a_change_from_a_read():
    assert READ_ACTION.search("casework.case_viewed")
    assert READ_ACTION.search("trust.campaign.exported_stix")
    assert not READ_ACTION.search("application.submitted")
    assert not READ_ACTION.search("account.password_changed")
