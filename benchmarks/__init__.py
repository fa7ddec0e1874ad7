"""Benchmarks (not tests): run them all with ``python -m benchmarks`` from the repository root."""

import sys
from pathlib import Path

# The word diff's oracles (tests/_textdiff_oracles.py) are the baselines of bench_textdiff.
_TESTS = str(Path(__file__).resolve().parent.parent / "tests")
if _TESTS not in sys.path:
    sys.path.append(_TESTS)
