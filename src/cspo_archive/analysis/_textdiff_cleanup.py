"""diff-match-patch's ``diff_cleanupSemantic``, with its first step in linear time.

The first step of ``diff_cleanupSemantic`` turns every equality that is no
longer than the edits on each side of it into a removal and an addition. It
scans the ops, and after each such elimination it goes back to the equality
before the previous one and scans forward again; the eliminated equalities
pile up as removal and addition ops between the survivors, so on a diff of
two mostly different texts (a thousand short equalities) the rescans make it
quadratic: about 50 ms for two texts of 400 words.

Which equalities it eliminates depends only on the lengths involved, and the
edit lengths on each side only grow as the scan goes on, so the same decisions
come out of one pass with a stack (:func:`trivial_equalities`). The rest is
``diff_cleanupSemantic``'s own code (diff-match-patch, Apache 2.0): a merge,
the lossless clean-up, and the extraction of overlaps between a removal and
the addition after it. ``tests/test_textdiff.py`` checks the result against
``diff_cleanupSemantic`` itself on random diffs.

Parts of this file are adapted from diff-match-patch
(https://github.com/google/diff-match-patch, Python 3 port as packaged on PyPI):
Copyright 2018 The diff-match-patch Authors, licensed under the Apache License,
Version 2.0 (http://www.apache.org/licenses/LICENSE-2.0). Changed here: the
first step of ``diff_cleanupSemantic`` is rewritten as one pass
(:func:`trivial_equalities`); the overlap extraction (:func:`_extract_overlaps`)
is its code as a function of a diff list.
"""

from __future__ import annotations

from typing import Any

DELETE, EQUAL, INSERT = -1, 0, 1


def trivial_equalities(diffs: list[tuple[int, str]]) -> list[int]:
    """The indices (in *diffs*) of the equalities ``diff_cleanupSemantic`` eliminates.

    An equality goes when it is no longer than the larger of the insertions
    and the deletions since the equality before it, nor than the larger of
    those up to the equality after it, where eliminated equalities count as
    both inserted and deleted (and their neighbours are judged again).
    """
    eliminated: list[int] = []
    # Surviving equalities so far: (index, length, inserted before, deleted before).
    stack: list[tuple[int, int, int, int]] = []
    inserted = deleted = 0  # since the last surviving equality

    def settle() -> None:
        nonlocal inserted, deleted
        while stack:
            index, length, inserted_before, deleted_before = stack[-1]
            if not (
                length
                and length <= max(inserted_before, deleted_before)
                and length <= max(inserted, deleted)
            ):
                return
            stack.pop()
            eliminated.append(index)
            inserted += inserted_before + length
            deleted += deleted_before + length

    for index, (op, text) in enumerate(diffs):
        if op == EQUAL:
            settle()
            stack.append((index, len(text), inserted, deleted))
            inserted = deleted = 0
        elif op == INSERT:
            inserted += len(text)
        else:
            deleted += len(text)
    settle()
    return eliminated


def cleanup_semantic(dmp: Any, diffs: list[tuple[int, str]]) -> None:
    """``dmp.diff_cleanupSemantic(diffs)``, the same result, in linear time for its first step."""
    eliminated = set(trivial_equalities(diffs))
    if eliminated:
        rebuilt: list[tuple[int, str]] = []
        for index, (op, text) in enumerate(diffs):
            if index in eliminated:
                rebuilt += ((DELETE, text), (INSERT, text))
            else:
                rebuilt.append((op, text))
        diffs[:] = rebuilt
        dmp.diff_cleanupMerge(diffs)
    dmp.diff_cleanupSemanticLossless(diffs)
    _extract_overlaps(dmp, diffs)


def _extract_overlaps(dmp: Any, diffs: list[tuple[int, str]]) -> None:
    """Turn an overlap between a removal and the addition after it into an equality.

    ``<del>abcxxx</del><ins>xxxdef</ins>`` becomes ``<del>abc</del>xxx<ins>def</ins>``
    and ``<del>xxxabc</del><ins>defxxx</ins>`` becomes
    ``<ins>def</ins>xxx<del>abc</del>``, when the overlap is at least half of
    the removal or of the addition (``diff_cleanupSemantic``'s last step).
    """
    pointer = 1
    while pointer < len(diffs):
        if diffs[pointer - 1][0] == DELETE and diffs[pointer][0] == INSERT:
            deletion = diffs[pointer - 1][1]
            insertion = diffs[pointer][1]
            overlap_length1 = dmp.diff_commonOverlap(deletion, insertion)
            overlap_length2 = dmp.diff_commonOverlap(insertion, deletion)
            if overlap_length1 >= overlap_length2:
                if (
                    overlap_length1 >= len(deletion) / 2.0
                    or overlap_length1 >= len(insertion) / 2.0
                ):
                    diffs.insert(pointer, (EQUAL, insertion[:overlap_length1]))
                    diffs[pointer - 1] = (DELETE, deletion[: len(deletion) - overlap_length1])
                    diffs[pointer + 1] = (INSERT, insertion[overlap_length1:])
                    pointer += 1
            elif overlap_length2 >= len(deletion) / 2.0 or overlap_length2 >= len(insertion) / 2.0:
                diffs.insert(pointer, (EQUAL, deletion[:overlap_length2]))
                diffs[pointer - 1] = (INSERT, insertion[: len(insertion) - overlap_length2])
                diffs[pointer + 1] = (DELETE, deletion[overlap_length2:])
                pointer += 1
            pointer += 1
        pointer += 1
