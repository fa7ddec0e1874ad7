"""Start-up: ``import cspo_archive`` and the main command against ``python -c pass``.

Each is a whole new process (interpreter start-up included), run repeatedly;
the table gives medians and the ratio to ``python -c pass`` from the same run.

Bytecode caches are on, as for a user (``pip install`` compiles every module
to ``.pyc``): ``PYTHONDONTWRITEBYTECODE`` is removed from the environment and
each case runs once untimed first, so it never times compiling source.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from benchmarks._table import table

REPEATS = 21
CASES = (
    ("python -c pass", ["-c", "pass"]),
    ("python -c 'import cspo_archive'", ["-c", "import cspo_archive"]),
    # Not a target: the floor the main command cannot go below, its dependencies'
    # own import time (attrs and cattrs for the records, diff-match-patch).
    (
        "floor: import attrs, cattrs, diff_match_patch",
        ["-c", "import attrs, cattrs, diff_match_patch"],
    ),
    ("cspo-archive compare (bundled, Markdown)", ["-m", "cspo_archive", "compare"]),
)
#: The targets of the issue, as multiples of ``python -c pass``.
TARGETS = {CASES[1][0]: 4.0, CASES[3][0]: 10.0}


def _run_seconds(arguments: list[str], env: dict[str, str]) -> float:
    """Wall time of one run of the interpreter with *arguments*."""
    start = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *arguments], stdout=subprocess.DEVNULL, check=True, env=env
    )
    return time.perf_counter() - start


def run() -> list[dict[str, str]]:
    """One row per case. The cases take turns (one run of each per round), so a
    change in the machine's load hits every case alike and the ratios hold."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for _, arguments in CASES:  # warm-up: writes the .pyc files, as pip install does
        _run_seconds(arguments, env)
    times: dict[str, list[float]] = {name: [] for name, _ in CASES}
    for _ in range(REPEATS):
        for name, arguments in CASES:
            times[name].append(_run_seconds(arguments, env))
    base = statistics.median(times[CASES[0][0]])
    rows: list[dict[str, str]] = []
    for name, _ in CASES:
        seconds = statistics.median(times[name])
        target = TARGETS.get(name)
        rows.append(
            {
                "command": name,
                "median": f"{seconds * 1000:,.0f} ms",
                "x python -c pass": f"{seconds / base:.2f}",
                "target": "-" if target is None else f"{target:g}x",
                "repeats": str(REPEATS),
            }
        )
    return rows


def main() -> None:
    """Print the start-up benchmark table."""
    print(f"start-up: whole processes ({sys.executable}), median of {REPEATS} runs each")
    print(table(run()))
