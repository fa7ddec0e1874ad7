"""diff-match-patch's Myers search, with its middle snake found by bit-parallel LCS rows.

diff-match-patch's ``diff_bisect`` finds the "middle snake" of two strings by
walking the furthest-reaching forward and reverse D-paths of Myers' algorithm
one edit at a time: (edit distance)² steps of Python. On two mostly different
texts of a few hundred words (some 900 tokens each, 1,600 edits apart) that is
a million steps, about 200 ms.

The same middle snake can be read off the LCS table instead. The rows of that
table are computed with bit-parallel integer arithmetic (Allison-Dix, Hyyrö:
one row per token of the old text, each row one Python ``int`` over the new
text), so they cost (old tokens) big-integer operations. With ``L(x, y)`` the
length of the longest common subsequence of ``old[:x]`` and ``new[:y]``, the
number of edits to reach ``(x, y)`` is ``D(x, y) = x + y - 2 L(x, y)``, which
never decreases along a diagonal ``k = x - y``. So the furthest point Myers'
greedy search reaches on diagonal ``k`` with ``d`` edits is the last ``x`` on
that diagonal with ``D(x, x - k) <= d``: a binary search. The search meets in
the middle after ``ceil(D / 2)`` edits (Myers' Lemma 3); there the diagonals
are checked in diff-match-patch's own order with its own overlap test, so the
split point, and therefore the whole diff, is the one ``diff_bisect`` returns
(``tests/test_textdiff.py`` checks both against each other on random strings).

Only the search for the split point changes: the recursion, the prefix and
suffix trimming and the merges are diff-match-patch's. Small problems, and
problems whose rows would not fit ``MAX_CELLS`` bits, go to diff-match-patch's
``diff_bisect`` itself. The deadline is consulted as ``diff_bisect`` does
(``time.time() > deadline``) before and after computing the rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

DELETE, INSERT = -1, 1

#: Below this many tokens (both sides together) diff-match-patch's own search
#: is about as fast as the rows: it is used as is.
MIN_TOKENS = 40
#: Below this edit distance diff-match-patch's own search is used (its cost
#: grows with the square of the distance; the rows' with the lengths).
MIN_DISTANCE = 20
#: The rows of both directions take about 2 x old x new bits; beyond this many
#: cells diff-match-patch's own search is used (memory stays under ~16 MB).
MAX_CELLS = 1 << 26


def bit_rows(old: str, new: str) -> list[int]:
    """The LCS rows of *old* against *new*, one per prefix of *old* (``len(old) + 1``).

    Bit ``j`` of ``rows[x]`` is 0 when ``L(x, j + 1) == L(x, j) + 1``, so
    ``L(x, y) = y - popcount(rows[x] & (2**y - 1))``.
    """
    masks: dict[str, int] = {}
    for j, char in enumerate(new):
        masks[char] = masks.get(char, 0) | (1 << j)
    full = (1 << len(new)) - 1
    row = full
    rows = [row]
    append = rows.append
    get = masks.get
    for char in old:
        matches = row & get(char, 0)
        row = ((row + matches) | (row - matches)) & full
        append(row)
    return rows


def _furthest(rows: list[int], n: int, m: int, d: int, k: int) -> int:
    """The last ``x`` on diagonal ``k`` (``y = x - k``) reached with at most ``d`` edits.

    ``D(x, x - k) = k + 2 * popcount(rows[x] & (2**(x - k) - 1))``; the caller
    guarantees ``|k| <= d`` and ``-m <= k <= n``, so the diagonal's first point
    (``D = |k|``) qualifies.
    """
    lo = k if k > 0 else 0
    hi = n if n < m + k else m + k
    limit = (d - k) >> 1
    while lo < hi:
        mid = (lo + hi + 1) >> 1
        if (rows[mid] & ((1 << (mid - k)) - 1)).bit_count() <= limit:
            lo = mid
        else:
            hi = mid - 1
    return lo


def middle_snake(old: str, new: str, forward: list[int]) -> tuple[int, int] | None:
    """The split point ``diff_bisect`` finds for *old* and *new*; ``None`` when they
    have nothing in common (``diff_bisect`` then reports all removed and added).

    *forward* is ``bit_rows(old, new)``. Like ``diff_bisect``, this expects
    texts without a common prefix or suffix, neither containing the other.
    """
    n, m = len(old), len(new)
    total = n + m - 2 * (m - forward[n].bit_count())
    if total == n + m:
        return None
    reverse = bit_rows(old[::-1], new[::-1])
    delta = n - m
    if delta & 1:
        # diff_bisect meets on its forward walk: forward d-paths against
        # reverse (d - 1)-paths, diagonals in increasing order.
        d = (total + 1) >> 1
        for k1 in range(-d, d + 1, 2):
            k2 = delta - k1
            if not (-m <= k1 <= n and -m <= k2 <= n and -d < k2 < d):
                continue
            x1 = _furthest(forward, n, m, d, k1)
            if x1 >= n - _furthest(reverse, n, m, d - 1, k2):
                return x1, x1 - k1
    else:
        # It meets on its reverse walk: reverse d-paths against forward d-paths.
        d = total >> 1
        for k2 in range(-d, d + 1, 2):
            k1 = delta - k2
            if not (-m <= k1 <= n and -m <= k2 <= n and -d <= k1 <= d):
                continue
            x1 = _furthest(forward, n, m, d, k1)
            if x1 >= n - _furthest(reverse, n, m, d, k2):
                return x1, x1 - k1
    msg = "no middle snake found"  # pragma: no cover - Myers' Lemma 3
    raise AssertionError(msg)  # pragma: no cover


def install(dmp: Any) -> None:
    """Make *dmp*'s Myers search use :func:`middle_snake` on problems worth it."""
    original: Callable[[str, str, Any], list[tuple[int, str]]] = dmp.diff_bisect
    split_at: Callable[[str, str, int, int, Any], list[tuple[int, str]]] = dmp.diff_bisectSplit

    def diff_bisect(old: str, new: str, deadline: Any) -> list[tuple[int, str]]:
        n, m = len(old), len(new)
        if n + m < MIN_TOKENS or n * m > MAX_CELLS:
            return original(old, new, deadline)
        if time.time() > deadline:
            return [(DELETE, old), (INSERT, new)]
        forward = bit_rows(old, new)
        if n + m - 2 * (m - forward[n].bit_count()) < MIN_DISTANCE:
            return original(old, new, deadline)
        if time.time() > deadline:
            return [(DELETE, old), (INSERT, new)]
        split = middle_snake(old, new, forward)
        if split is None:
            return [(DELETE, old), (INSERT, new)]
        return split_at(old, new, split[0], split[1], deadline)

    dmp.diff_bisect = diff_bisect
