"""Run every benchmark in bench/ in turn: each bench/*.py script's main(), by file name order.

Each runs in a process of its own, so one benchmark's Django set-up or memory peak cannot colour the
next one's figures.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent

_LAUNCHER = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("benchmark", sys.argv[1])
module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
spec.loader.exec_module(module)
sys.argv = sys.argv[1:2]
result = module.main()
sys.exit(result if isinstance(result, int) else 0)
"""


def benchmark_paths() -> list[Path]:
    return sorted(
        path
        for path in BENCH_DIR.glob("*.py")
        if path.name != Path(__file__).name
        and not path.name.startswith("_")
        and "def main(" in path.read_text(encoding="utf-8")
    )


def main() -> int:
    failed = []
    for path in benchmark_paths():
        print(f"== {path.name}", flush=True)
        started = time.perf_counter()
        completed = subprocess.run([sys.executable, "-c", _LAUNCHER, str(path)], cwd=ROOT)
        if completed.returncode:
            failed.append(path.name)
        print(
            f"== {path.name}: exit {completed.returncode}, {time.perf_counter() - started:.1f} s\n"
        )
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
