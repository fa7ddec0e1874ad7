"""Windows: tokenise only the part of a changed region that the diff can see.

A region of the word diff (``textdiff._regions``) is a run of changed units
with one unchanged unit of context on each side. Its diff is diff-match-patch's
search on each changed piece, a merge and the semantic clean-up, all on token
codes. On 1% of edited words the regions hold about half of the text, but
most of it is the unchanged context and the common beginning and end of each
changed sentence.

The equal text at the two ends of a region (the context and the common prefix
of the first changed piece, the common suffix of the last one and the context)
is only ever read a few tokens deep:

* the merge (``diff_cleanupMerge``) shifts an edit over a neighbouring
  equality only when the edit ends (starts) with the *whole* equality, so an
  equality longer than every edit is never shifted over;
* the trivial-equality step of the semantic clean-up never removes the first
  or the last op of a region (nothing was edited before or after it);
* the lossless step slides an edit left by at most its own length; it slides
  right while the edit's first token equals the next one, which can run
  through a whole equality (repeated words): ``textdiff._lossless`` records
  when it empties the first or the last op, and the region is then diffed
  again without windows.

Every edit is made of the region's other tokens (the ones in no end window), so
with ``need`` = one more than the larger side of those, an end equality cut to
its last (first) ``need`` tokens gives the same diff; the rest is unchanged
text written around the region's ops. Within a changed piece the common prefix
stays inside the piece (``diff_main`` sees it) and the context is a piece of its
own, as in the unwindowed region.

:func:`single_edit` finds the one edit of a region with a single changed piece
(the tokens ``diff_main`` would search, found the same way: common first, then
common last tokens taken off), so that ``textdiff`` can write the diff of a
one-token replacement, or of tokens only removed or added, without a search.

Cuts only fall on token boundaries that do not depend on the text around them:
between a white-space character and a character that is not white space
(``tokenize`` never puts both in one token, and a token starting there does
not look further left).

The reasoning above is about diff-match-patch's code (``diff_main``,
``diff_cleanupMerge``, ``diff_cleanupSemantic``): it was checked against
diff-match-patch 20241021, whose diff code is the same as 20230430's, the
versions ``pyproject.toml`` allows. Before the bound is raised, check it again
against the new version and run the agreement tests in ``tests/test_textdiff.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

#: A region piece: (old text, new text), or (text, None) when unchanged.
Piece = tuple[str, str | None]
#: A tokenised piece: (old tokens, new tokens), or (tokens, None) when unchanged.
TokenPiece = tuple[Sequence[str], Sequence[str] | None]


class Window:
    """A region cut to what its diff can see.

    ``head`` and ``tail`` are the unchanged texts before and after the
    windowed ``pieces``; ``cut_left`` / ``cut_right`` say whether anything was
    cut there.
    """

    __slots__ = ("cut_left", "cut_right", "head", "pieces", "tail")

    def __init__(
        self, head: str, pieces: list[TokenPiece], tail: str, cut_left: bool, cut_right: bool
    ) -> None:
        self.head = head
        self.pieces = pieces
        self.tail = tail
        self.cut_left = cut_left
        self.cut_right = cut_right


def common_prefix(one: str, two: str) -> int:
    """The length of the longest common prefix of *one* and *two* (C-level compares)."""
    n = min(len(one), len(two))
    if one[:n] == two[:n]:
        return n
    lo, hi = 0, n  # one[:lo] == two[:lo] and one[:hi] != two[:hi]
    while hi - lo > 1:
        mid = (lo + hi) >> 1
        if one[lo:mid] == two[lo:mid]:
            lo = mid
        else:
            hi = mid
    return lo


def common_suffix(one: str, two: str, start: int) -> int:
    """The length of the longest common suffix of ``one[start:]`` and ``two[start:]``."""
    len1, len2 = len(one), len(two)
    n = min(len1, len2) - start
    if n <= 0:
        return 0
    if one[len1 - n :] == two[len2 - n :]:
        return n
    lo, hi = 0, n
    while hi - lo > 1:
        mid = (lo + hi) >> 1
        if one[len1 - mid : len1 - lo] == two[len2 - mid : len2 - lo]:
            lo = mid
        else:
            hi = mid
    return lo


def cut_before(text: str, pos: int) -> int:
    """The last token boundary ``b <= pos`` found from ``text[: pos + 1]`` alone (0 if none)."""
    i = text.rfind(" ", 0, pos + 1)
    while i > 0:
        if i < pos and not text[i + 1].isspace():
            return i + 1
        if not text[i - 1].isspace():
            return i
        i = text.rfind(" ", 0, i)
    if i == 0 and pos > 0 and not text[1].isspace():
        return 1
    return 0


def cut_after(text: str, pos: int) -> int:
    """The first token boundary ``b >= pos`` found from ``text[pos - 1 :]`` alone
    (``len(text)`` if none); *pos* >= 1."""
    end = len(text)
    i = text.find(" ", pos - 1)
    while i != -1:
        if i >= pos and not text[i - 1].isspace():
            return i
        if i + 1 < end and not text[i + 1].isspace():
            return i + 1
        i = text.find(" ", i + 1)
    return end


def _span(need: int) -> int:
    """Characters to try first for *need* tokens (a word and a space are about 6)."""
    return 8 * need + 16


def tail_tokens(
    text: str, end: int, need: int, tokenize: Callable[[str], Sequence[str]]
) -> tuple[int, Sequence[str]]:
    """``(start, tokenize(text[start:end]))`` with at least *need* tokens, or ``start == 0``."""
    span = _span(need)
    while True:
        start = cut_before(text, end - span) if end - span > 0 else 0
        tokens = tokenize(text[start:end])
        if start == 0 or len(tokens) >= need:
            return start, tokens
        span *= 2


def head_tokens(
    text: str, start: int, need: int, tokenize: Callable[[str], Sequence[str]]
) -> tuple[int, Sequence[str]]:
    """``(end, tokenize(text[start:end]))`` with at least *need* tokens, or ``end == len(text)``."""
    span = _span(need)
    while True:
        end = cut_after(text, start + span) if start + span < len(text) else len(text)
        tokens = tokenize(text[start:end])
        if end == len(text) or len(tokens) >= need:
            return end, tokens
        span *= 2


def window(
    part: Sequence[Piece], tokenize: Callable[[str], Sequence[str]], edit: SingleEdit | None
) -> Window:
    """*part* (context, changed pieces and the unchanged pieces between them, context)
    cut to the tokens its diff can see (see the module docstring). *edit* is
    ``single_edit(part, tokenize)`` (``None`` when *part* has more than one changed
    piece): its middle is not tokenised again."""
    changed = [index for index, (_, new) in enumerate(part) if new is not None]
    first, last = changed[0], changed[-1]
    left = part[0][0] if first == 1 else None
    right = part[-1][0] if last == len(part) - 2 else None
    old_first, new_first = part[first]
    old_last, new_last = part[last]
    assert new_first is not None
    assert new_last is not None

    if edit is not None:
        start, end_old = edit.start, edit.end
    else:
        start, end_old = _middle(old_first, new_first, old_last, new_last, first == last)
    end_new = end_old - len(old_last) + len(new_last)

    # The middle: every token that is in no end window.
    middle: list[TokenPiece] = []
    if edit is not None:
        middle.append(edit.middle)
    for index in range(first, last + 1 if edit is None else first):
        old, new = part[index]
        if new is None:
            middle.append((tokenize(old), None))
            continue
        old_from = new_from = start if index == first else 0
        old_to, new_to = (end_old, end_new) if index == last else (len(old), len(new))
        middle.append((tokenize(old[old_from:old_to]), tokenize(new[new_from:new_to])))
    old_count = sum(len(a) for a, _ in middle)
    new_count = sum(len(a if b is None else b) for a, b in middle)
    need = max(old_count, new_count) + 1

    pieces: list[TokenPiece] = []
    head = ""
    cut_left = False
    prefix_at, prefix = tail_tokens(old_first, start, need, tokenize) if start else (0, ())
    if prefix_at:
        head = (left or "") + old_first[:prefix_at]
        cut_left = True
    elif left is not None:
        left_at, left_tokens = tail_tokens(left, len(left), need, tokenize)
        head = left[:left_at]
        cut_left = left_at > 0
        pieces.append((left_tokens, None))

    tail = ""
    cut_right = False
    if end_old < len(old_last):
        suffix_to, suffix = head_tokens(old_last, end_old, need, tokenize)
    else:
        suffix_to, suffix = len(old_last), ()
    right_piece: list[TokenPiece] = []
    if suffix_to < len(old_last):
        tail = old_last[suffix_to:] + (right or "")
        cut_right = True
    elif right is not None:
        right_to, right_tokens = head_tokens(right, 0, need, tokenize)
        tail = right[right_to:]
        cut_right = right_to < len(right)
        right_piece.append((right_tokens, None))

    for offset, (old_tokens, new_tokens) in enumerate(middle):
        if new_tokens is None:
            pieces.append((old_tokens, None))
            continue
        if offset == 0 and prefix:
            old_tokens = (*prefix, *old_tokens)
            new_tokens = (*prefix, *new_tokens)
        if offset == len(middle) - 1 and suffix:
            old_tokens = (*old_tokens, *suffix)
            new_tokens = (*new_tokens, *suffix)
        pieces.append((old_tokens, new_tokens))
    pieces.extend(right_piece)
    return Window(head, pieces, tail, cut_left, cut_right)


def _middle(
    old_first: str, new_first: str, old_last: str, new_last: str, one: bool
) -> tuple[int, int]:
    """Where the middle starts in *old_first* (after the common beginning of the first
    changed piece) and ends in *old_last* (before the common end of the last one),
    both cut back to token boundaries; *one* when the two pieces are the same."""
    common = common_prefix(old_first, new_first)
    start = cut_before(old_first, common - 1) if common else 0
    common = common_suffix(old_last, new_last, start if one else 0)
    end_old = cut_after(old_last, len(old_last) - common + 1) if common else len(old_last)
    return start, end_old


class SingleEdit:
    """A region whose only changed piece differs in one run of tokens: ``removed``
    (old tokens) became ``added`` (new tokens), after ``before`` and before
    ``after`` (the region's old text on each side); ``inner_before`` and
    ``inner_after`` are how much of those lies inside the changed piece.
    ``start``, ``end`` and ``middle`` are the piece's middle as :func:`window`
    cuts it (offsets in the old text, and its tokens on each side).

    The run is what ``diff_main`` finds: the tokens left when the piece's
    common first tokens, then its common last tokens, are taken off.
    """

    __slots__ = (
        "added",
        "after",
        "before",
        "end",
        "inner_after",
        "inner_before",
        "middle",
        "removed",
        "start",
    )

    def __init__(
        self,
        before: str,
        removed: Sequence[str],
        added: Sequence[str],
        after: str,
        inner_before: int,
        inner_after: int,
        middle: tuple[Sequence[str], Sequence[str]],
        start: int,
        end: int,
    ) -> None:
        self.middle = middle
        self.start = start
        self.end = end
        self.before = before
        self.removed = removed
        self.added = added
        self.after = after
        self.inner_before = inner_before
        self.inner_after = inner_after


def single_edit(
    part: Sequence[Piece], tokenize: Callable[[str], Sequence[str]]
) -> SingleEdit | None:
    """The one edit of *part* when it has one changed piece; ``None`` otherwise."""
    changed = [index for index, (_, new) in enumerate(part) if new is not None]
    if len(changed) != 1:
        return None
    index = changed[0]
    old, new = part[index]
    assert new is not None
    start, end_old = _middle(old, new, old, new, True)
    old_tokens = tokenize(old[start:end_old])
    new_tokens = tokenize(new[start : end_old - len(old) + len(new)])
    limit = min(len(old_tokens), len(new_tokens))
    first = 0
    while first < limit and old_tokens[first] == new_tokens[first]:
        first += 1
    last = 0  # common last tokens
    while last < limit - first and old_tokens[-1 - last] == new_tokens[-1 - last]:
        last += 1
    removed = old_tokens[first : len(old_tokens) - last]
    at = start + sum(map(len, old_tokens[:first]))
    end = at + sum(map(len, removed))
    return SingleEdit(
        "".join([text for text, _ in part[:index]]) + old[:at],
        removed,
        new_tokens[first : len(new_tokens) - last],
        old[end:] + "".join([text for text, _ in part[index + 1 :]]),
        at,
        len(old) - end,
        (old_tokens, new_tokens),
        start,
        end_old,
    )
