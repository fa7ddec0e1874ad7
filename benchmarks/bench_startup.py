"""Start-up: ``import cspo_archive`` and the main command against ``python -c pass``.

Each is a whole new process (interpreter start-up included), run repeatedly;
the table gives medians and the ratio to ``python -c pass`` from the same run.

Bytecode caches are on, as for a user (``pip install`` compiles every module
to ``.pyc``): ``PYTHONDONTWRITEBYTECODE`` is removed from the environment and
each case runs once untimed first, so it never times compiling source.

Side by side with an earlier version: ``CSPO_BENCH_BASELINE=REV python -m
benchmarks.bench_startup`` adds the main command of git revision ``REV`` (its
``src/`` and ``snapshots/``, exported with ``git archive`` into a temporary
folder and put first on ``PYTHONPATH``), timed in the same rounds, with its
ratio to this checkout's.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

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


MAIN = CASES[3]


@contextlib.contextmanager
def _baseline(revision: str) -> Iterator[Path]:
    """The ``src`` folder of *revision*, exported into a temporary folder."""
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory(prefix="cspo-baseline-") as folder:
        exported = subprocess.run(  # noqa: S603 - git with fixed arguments
            ["git", "-C", str(root), "archive", "--format=tar", revision, "src", "snapshots"],  # noqa: S607
            capture_output=True,
            check=True,
        )
        subprocess.run(  # noqa: S603
            ["tar", "-x", "-C", folder],  # noqa: S607
            input=exported.stdout,
            check=True,
        )
        yield Path(folder) / "src"


def _run_seconds(arguments: list[str], env: dict[str, str]) -> float:
    """Wall time of one run of the interpreter with *arguments*."""
    start = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *arguments], stdout=subprocess.DEVNULL, check=True, env=env
    )
    return time.perf_counter() - start


def run(baseline: tuple[str, Path] | None = None) -> list[dict[str, str]]:
    """One row per case. The cases take turns (one run of each per round), so a
    change in the machine's load hits every case alike and the ratios hold.
    With *baseline* (a revision and its ``src``), its main command is a case too."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cases = [(name, arguments, env) for name, arguments in CASES]
    if baseline is not None:
        revision, src = baseline
        old_env = {**env, "PYTHONPATH": os.pathsep.join([str(src), env.get("PYTHONPATH", "")])}
        cases.append((f"{MAIN[0]} at {revision}", MAIN[1], old_env))
    for _, arguments, case_env in cases:  # warm-up: writes the .pyc files, as pip does
        _run_seconds(arguments, case_env)
    times: dict[str, list[float]] = {name: [] for name, _, _ in cases}
    for _ in range(REPEATS):
        for name, arguments, case_env in cases:
            times[name].append(_run_seconds(arguments, case_env))
    base = statistics.median(times[CASES[0][0]])
    main_seconds = statistics.median(times[MAIN[0]])
    rows: list[dict[str, str]] = []
    for name, _, _ in cases:
        seconds = statistics.median(times[name])
        goal = TARGETS.get(name)
        target = "-" if goal is None else f"{goal:g}x"
        if baseline is not None and name.startswith(MAIN[0]):
            then = statistics.median(times[cases[-1][0]])
            target = f"{target}; now/then {main_seconds / then:.2f}"
        rows.append(
            {
                "command": name,
                "median": f"{seconds * 1000:,.0f} ms",
                "x python -c pass": f"{seconds / base:.2f}",
                "target": target,
                "repeats": str(REPEATS),
            }
        )
    return rows


def main() -> None:
    """Print the start-up benchmark table (with ``CSPO_BENCH_BASELINE``, beside that revision)."""
    print(f"start-up: whole processes ({sys.executable}), median of {REPEATS} runs each")
    revision = os.environ.get("CSPO_BENCH_BASELINE")
    if not revision:
        print(table(run()))
        return
    with _baseline(revision) as src:
        print(table(run((revision, src))))
