"""The layers of ARCHITECTURE.md hold: the suite runs the same import contracts as `make lint`,
and those contracts leave no two packages free to import each other (no cycle can come back)."""

import itertools
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_layer_imports_a_higher_one_and_the_check_engine_imports_no_django():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(  # noqa: S603 - a fixed command, no user input
        [str(lint_imports), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def forbidden_directions(config: dict) -> set[tuple[str, str]]:
    """(importer, imported) pairs of root packages that the contracts refuse, for the contract
    types the project uses: layers ("|" independent siblings, ":" siblings that may import each
    other), independence and forbidden."""
    refused = set()
    for contract in config["contracts"]:
        if contract["type"] == "layers":
            layers = [
                (layer.replace(":", "|").split("|"), "|" in layer) for layer in contract["layers"]
            ]
            for upper, (higher, _) in enumerate(layers):
                for lower, independent in layers[upper:]:
                    for low in map(str.strip, lower):
                        for high in map(str.strip, higher):
                            if low != high and (lower is not higher or independent):
                                refused.add((low, high))
        elif contract["type"] == "independence":
            refused |= set(itertools.permutations(contract["modules"], 2))
        elif contract["type"] == "forbidden":
            refused |= set(
                itertools.product(contract["source_modules"], contract["forbidden_modules"])
            )
    return refused


def test_every_pair_of_packages_may_import_each_other_in_one_direction_at_most():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    config = config["tool"]["importlinter"]
    refused = forbidden_directions(config)
    both_ways_allowed = [
        (first, second)
        for first, second in itertools.combinations(sorted(config["root_packages"]), 2)
        if (first, second) not in refused and (second, first) not in refused
    ]
    assert both_ways_allowed == []


def test_siblings_that_may_use_each_other_are_found():
    """The check above can fail: ':' siblings may import each other both ways."""
    config = {
        "root_packages": ["a", "b", "c"],
        "contracts": [{"type": "layers", "layers": ["a : b", "c"]}],
    }
    refused = forbidden_directions(config)
    assert ("a", "b") not in refused and ("b", "a") not in refused
    assert {("c", "a"), ("c", "b")} <= refused
    independent = {
        "root_packages": ["a", "b"],
        "contracts": [{"type": "layers", "layers": ["a | b"]}],
    }
    assert forbidden_directions(independent) == {("a", "b"), ("b", "a")}
