"""Run every ``benchmarks/bench_*.py`` and print its tables: ``python -m benchmarks``."""

from __future__ import annotations

import importlib
import time
from pathlib import Path


def main() -> None:
    """Import each benchmark module in name order and call its ``main()``."""
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        module = importlib.import_module(f"benchmarks.{path.stem}")
        print(f"## {path.stem}\n")
        start = time.perf_counter()
        module.main()
        print(f"\n({path.stem}: {time.perf_counter() - start:.1f} s in all)\n")


if __name__ == "__main__":
    main()
