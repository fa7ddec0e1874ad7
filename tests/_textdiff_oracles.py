"""Oracles for the word diff (``cspo_archive.analysis.textdiff``): code the product
does not run, kept for the tests to compare the product's results with.

* :func:`reference_dmp`: the word diff's ``diff_match_patch`` with
  diff-match-patch's own (unmodified) Myers search and semantic clean-up, which
  ``_textdiff_search`` and ``_textdiff_cleanup`` must agree with;
* :func:`flat_word_diff`: one word-level search over the whole texts, without
  the paragraph and sentence units;
* :func:`paragraph_word_diff` (with :func:`search_by_paragraph`): the previous
  paragraph step, on token codes, which the units on the texts themselves
  replaced;
* :data:`UNIT_END`: the unit ends as one pattern, which ``textdiff._UNIT_ENDS``
  splits into one pattern per character.
"""

from __future__ import annotations

import re
from typing import Any

from cspo_archive.analysis import textdiff
from cspo_archive.analysis.textdiff import DELETE, EQUAL, WordDiff, tokenize

#: The product's own (taken now: a test may put :func:`reference_dmp` in its place).
_product_dmp = textdiff._new_dmp

#: The methods ``textdiff._new_dmp`` replaces on its ``diff_match_patch``: the
#: token-aware lossless clean-up (part of the word diff itself) and the two
#: faster equivalents that :func:`reference_dmp` takes back out.
REPLACED = frozenset({"diff_cleanupSemanticLossless", "diff_bisect", "diff_cleanupSemantic"})
FAST = ("diff_bisect", "diff_cleanupSemantic")


def reference_dmp(kinds: dict[str, int]) -> Any:
    """``textdiff._new_dmp(kinds)`` with diff-match-patch's own ``diff_bisect`` and
    ``diff_cleanupSemantic`` (its unmodified methods) instead of the fast ones."""
    dmp = _product_dmp(kinds)
    replaced = {name for name, value in vars(dmp).items() if callable(value)}
    assert replaced == REPLACED, f"textdiff._new_dmp now replaces {sorted(replaced)}"
    for name in FAST:
        delattr(dmp, name)  # the class's own method shows through again
    return dmp


def flat_word_diff(old: str, new: str) -> WordDiff:
    """The word diff as one search over all tokens (no units, no budget)."""
    return textdiff._diff_tokens(old, new, None)


def paragraph_word_diff(old: str, new: str) -> WordDiff:
    """The word diff by the previous paragraph step: every token coded, paragraphs
    of token codes aligned, then each run of changed paragraphs searched."""
    old_tokens = tokenize(old)
    new_tokens = tokenize(new)
    codes = textdiff._Codes(old_tokens, new_tokens)
    dmp = textdiff._new_dmp(codes.kinds)
    diffs = search_by_paragraph(dmp, codes.old, codes.new, codes.kinds)
    dmp.diff_cleanupSemantic(diffs)
    return textdiff._decode(textdiff._normalize(diffs), old_tokens, new_tokens, codes.words, True)


def paragraph_units(codes: str, kinds: dict[str, int]) -> list[str]:
    """Cut a code string after every white-space token that holds a line break."""
    units: list[str] = []
    start = 0
    for i, char in enumerate(codes):
        if kinds[char] >= textdiff._BREAK:
            units.append(codes[start : i + 1])
            start = i + 1
    if start < len(codes):
        units.append(codes[start:])
    return units


def search_by_paragraph(
    dmp: Any, old: str, new: str, kinds: dict[str, int]
) -> list[tuple[int, str]]:
    """Diff paragraphs as units, then diff each run of changed paragraphs word by word."""
    code = textdiff._code
    old_units = paragraph_units(old, kinds)
    new_units = paragraph_units(new, kinds)
    shared = set(old_units).intersection(new_units)
    if len(shared) + 2 > textdiff._CAPACITY or (len(old_units) <= 1 and len(new_units) <= 1):
        return textdiff._search(dmp, old, new, None)
    table = {unit: code(i + 2) for i, unit in enumerate(sorted(shared))}
    old_side, new_side = code(0), code(1)
    old_codes = "".join(table.get(u, old_side) for u in old_units)
    new_codes = "".join(table.get(u, new_side) for u in new_units)

    diffs: list[tuple[int, str]] = []
    i = j = 0  # next unit in old_units / new_units
    block_old: list[str] = []
    block_new: list[str] = []

    def flush() -> None:
        if block_old or block_new:
            diffs.extend(textdiff._search(dmp, "".join(block_old), "".join(block_new), None))
            block_old.clear()
            block_new.clear()

    for op, text in textdiff._align_units(dmp, old_codes, new_codes, None):
        count = len(text)
        if op == EQUAL:
            flush()
            diffs.append((EQUAL, "".join(old_units[i : i + count])))
            i += count
            j += count
        elif op == DELETE:
            block_old.extend(old_units[i : i + count])
            i += count
        else:
            block_new.extend(new_units[j : j + count])
            j += count
    flush()
    dmp.diff_cleanupMerge(diffs)  # as diff_main leaves its own result
    return diffs


#: White space that ends a paragraph unit (regex class syntax): a white-space run
#: holding a line break (the characters ``textdiff._kind`` takes for a break).
BREAKS = r"\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
#: Sentence ends (regex class syntax): a white-space run after one of these ends a unit.
SENTENCE_ENDS = r".!?\u2026\u3002"
#: Where a unit ends: after a white-space run that holds a line break (a
#: paragraph) or that follows . ! ? … or 。 (a sentence); the whole white-space
#: run stays with the unit it ends. That is ``[breaks]\s*|[.!?…。]\s+``, written
#: to start with one character class (the lookbehind tells which of the two it
#: was).
UNIT_END = re.compile(rf"[{BREAKS}{SENTENCE_ENDS}](?:(?<=[{BREAKS}])\s*|\s+)")
