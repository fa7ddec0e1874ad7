"""Word-level diff of two texts: the base of the language comparison and of the
reports' inline diff.

:func:`word_diff` returns a :class:`WordDiff` whose ``ops`` are ``(op, text)``
pairs with diff-match-patch's op codes (``-1`` removed, ``0`` unchanged, ``1``
added), as web-monitoring-diff's differs do. The ops always rebuild both texts
exactly, and they only ever break a text between two tokens, never inside a word.

How it works
------------
1. :func:`tokenize` cuts each text into words, whitespace runs and single
   punctuation characters (see its docstring for what a word is).
2. Every token is mapped to one character (as ``diff_linesToChars`` does for
   lines) and diff-match-patch diffs the two strings of codes. Codes skip the
   surrogate range (U+D800-U+DFFF) and U+0000; only tokens that occur in *both*
   texts need a code of their own, because a token found on one side only can
   never be matched: such tokens share one code per side and kind, and the ops
   are mapped back by position, not by looking codes up. So the 1,112,063
   usable code points only limit the number of distinct tokens the two texts
   have in common (beyond that, see "Exactness" below).
3. Texts are cut into units before any tokenising: after each white-space run
   that holds a line break (paragraphs) and after each white-space run that
   follows ``. ! ? …`` or ``。`` (sentences, so a text without line breaks
   still has units). Each distinct unit text gets one code. Units found
   exactly once in each text and in the same order anchor the alignment (as in
   git's patience diff); Myers fills the gaps between anchors with unit codes;
   and only the runs of changed units, with one unchanged unit of context on
   each side, are tokenised and diffed word by word, all in one token code
   space. Of a region's unchanged ends (context and the common start and
   end of its changed sentences) only the few tokens the clean-up can reach
   are tokenised (``_textdiff_window``), and words are counted once over the
   whole old text without a string per word (``_textdiff_count``): unchanged
   words are the old text's words minus the removed ones. A region whose only
   changed piece differs by one token replaced, or by tokens only removed or
   only added, needs no search: its diff is written directly, the lossless
   slide run on a few tokens around the edit (``_single_edit_ops``; about 43%
   of the regions on 1% of edited words). On 1% of edits in
   200,000 words this is about 15 times faster than one flat word-level
   search, and a 1.6 MB text on one line is as fast as the same text in
   paragraphs (see ``benchmarks/README.md``). Both
   searches are exact (no time-out), but they may pick different alignments
   among equally small ones (the flat search may also match words across an
   unchanged unit), and the semantic clean-up can then merge them
   differently: the counts can differ slightly. (The previous paragraph step,
   on token codes, is kept in ``tests/_textdiff_oracles.py`` for the tests to
   compare with.)
4. ``diff_cleanupSemantic`` runs on the token codes, so it merges trivial
   equalities and shifts edits by whole tokens. Its "lossless" step, which
   slides an edit to the nicest boundary, is replaced by a token-aware version
   (it scores token kinds, where the original scores the code characters).
5. Runs of changes are written as one removal followed by one addition.

Two parts of diff-match-patch are replaced by faster code that gives the same
diffs (the tests compare them with diff-match-patch's own on random input):
its Myers search finds each middle snake from bit-parallel LCS rows
(``_textdiff_search``), and its semantic clean-up eliminates trivial
equalities in one pass (``_textdiff_cleanup``). On two mostly different texts
of 400 words each (the bundled news stories) the word diff is about 10 times
faster than with diff-match-patch's code.

diff-match-patch version
------------------------
The word diff replaces methods on its ``diff_match_patch`` instance
(``_new_dmp``), and these replacements and the window proof
(``_textdiff_window``) rest on that library's internals: which methods
``diff_main`` calls, ``diff_bisect``'s order of diagonals, the steps of its
merge and clean-ups, and its ``time.time() > deadline`` test. They were checked
against diff-match-patch 20241021, whose diff code is identical to 20230430's
(the two differ only in the delta and patch functions, which are not used
here). ``pyproject.toml`` pins the dependency to those versions; the
Hypothesis agreement tests in ``tests/test_textdiff.py`` (against
diff-match-patch's unmodified methods, ``tests/_textdiff_oracles.py``) are the
gate for raising the bound.

Exactness and the time budget
-----------------------------
diff-match-patch gives up silently after one second by default
(``Diff_Timeout = 1.0``) and then reports a whole region as removed and
re-added. Here ``Diff_Timeout`` is always ``0`` (which also turns off its
non-minimal "half match" shortcut), so without a budget the search always runs
to completion and ``exact`` is ``True``.

With ``budget_seconds`` the search is given a deadline object instead of a
float. diff-match-patch's Myers search (``diff_bisect``) is the only place that
consults the deadline (``time.time() > deadline``, once per edit distance
step) and the only place that can give up. The comparison is answered by the
deadline object itself (Python falls back to its reflected ``__lt__``), which
measures ``time.monotonic()`` and records the first time it answers "expired".
So ``exact`` is ``False`` if and only if diff-match-patch actually bailed out
of a search because of the budget; no guess from elapsed time is involved. A
budget-cut result still rebuilds both texts exactly: the regions that were not
searched are reported as removed and re-added. ``exact`` is also ``False`` in
the (theoretical) case where the texts share more distinct tokens than there
are code points; the whole text is then reported as replaced.

The budget bounds the search only; tokenising, mapping and clean-up are linear
or close to it and always run to completion.

Statistics
----------
Words are the word tokens (not white space, not punctuation).
``words_unchanged`` counts words in unchanged ops, ``words_removed`` and
``words_added`` those in removed and added ops, so
``words_unchanged + words_removed == words_old`` and
``words_unchanged + words_added == words_new``. ``similarity`` is the Dice
coefficient ``2 * unchanged / (words_old + words_new)`` rounded to 4 decimals:
1.0 for the same words, 0.0 for no word in common. When neither text has any
word it is 1.0 (no word changed), even if punctuation or spacing did; look at
:attr:`WordDiff.changed` for that.
"""

from __future__ import annotations

import bisect
import math
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, repeat
from typing import TYPE_CHECKING, Any

from attrs import frozen

from cspo_archive._lazy_re import LazyPattern

if TYPE_CHECKING:
    from cspo_archive.analysis._textdiff_window import SingleEdit

__all__ = ["Change", "WordDiff", "tokenize", "word_diff"]

DELETE, EQUAL, INSERT = -1, 0, 1

# ---------------------------------------------------------------------------
# Tokens

#: Characters that are punctuation or symbols: each is a token of its own and
#: never part of a word. ASCII punctuation, Latin-1 punctuation and signs, the
#: General Punctuation block (minus its spaces), CJK and full-width punctuation.
_PUNCTUATION_WIDE = (
    r"\u00a1-\u00bf\u00d7\u00f7"
    r"\u2010-\u2027\u2030-\u205e"
    r"\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
)
_PUNCTUATION = r"!-/:-@\[-`{-~" + _PUNCTUATION_WIDE
_WORD_CHAR = rf"[^\s{_PUNCTUATION}]"
#: Joiners kept inside a word: apostrophes and hyphens between word characters
#: ("don't", "UK’s", "space-based"), and . , : / between digits ("3.5",
#: "10,000", "10:30", "17/12/2025").
_JOINER = r"(?:['\u2019\-\u2010\u2011]|(?<=\d)[.,:/](?=\d))"

#: One token (see :func:`tokenize`).
_TOKEN = LazyPattern(rf"\s+|{_WORD_CHAR}+(?:{_JOINER}{_WORD_CHAR}+)*|.", re.DOTALL)
#: A word character (the first character of a word token).
_WORD_START = LazyPattern(_WORD_CHAR)


# Token kinds, ordered as the lossless clean-up scores them.
_WORD, _PUNCT, _SPACE, _BREAK, _BLANK = range(5)
_KINDS = 5


def tokenize(text: str) -> tuple[str, ...]:
    """Split *text* into tokens that concatenate back to it exactly.

    A token is one of:

    * a run of white space (``" "``, ``"\\n\\n"``, ``" \\t"``);
    * a word: a run of characters that are neither white space nor
      punctuation, where apostrophes and hyphens between two such characters
      (``"don't"``, ``"space-based"``) and ``. , : /`` between two digits
      (``"3.5"``, ``"10,000"``, ``"17/12/2025"``) stay inside the word. Letters
      with combining marks, digits, emoji and other symbols outside the
      punctuation blocks are word characters;
    * any other single character (punctuation: ``"("``, ``","``, ``"—"``).
    """
    return tuple(_TOKEN().findall(text))


def _kind(token: str) -> int:
    """The kind of *token*: word, punctuation, space, line break or blank line."""
    if _WORD_START().match(token):
        return _WORD
    if not token.isspace():
        return _PUNCT
    breaks = max(token.count("\n"), token.count("\r"))
    if breaks >= 2:
        return _BLANK
    if breaks == 1 or any(c in token for c in "\v\f\x1c\x1d\x1e\x85\u2028\u2029"):
        return _BREAK
    return _SPACE


# ---------------------------------------------------------------------------
# Results


@frozen
class Change:
    """One hunk of a diff: a run of removed and/or added text between unchanged text.

    ``old_start:old_end`` is where ``removed`` stands in the old text (an empty
    span for a pure addition), ``new_start:new_end`` where ``added`` stands in
    the new text. Offsets are ``str`` indices (code points).
    """

    old_start: int
    old_end: int
    new_start: int
    new_end: int
    removed: str
    added: str


@frozen
class WordDiff:
    """The word-level diff of two texts and its word counts (see the module docstring)."""

    ops: tuple[tuple[int, str], ...]
    exact: bool
    words_old: int
    words_new: int
    words_unchanged: int
    words_added: int
    words_removed: int
    similarity: float

    @property
    def changed(self) -> bool:
        """Whether anything (a word, a space, a punctuation mark) was removed or added."""
        return any(op != EQUAL for op, _ in self.ops)

    def old_text(self) -> str:
        """The old text, rebuilt from the unchanged and removed ops."""
        return "".join(text for op, text in self.ops if op <= EQUAL)

    def new_text(self) -> str:
        """The new text, rebuilt from the unchanged and added ops."""
        return "".join(text for op, text in self.ops if op >= EQUAL)

    def changes(self) -> tuple[Change, ...]:
        """The change hunks, in order, with their offsets in both texts."""
        hunks: list[Change] = []
        old_at = new_at = 0
        removed: list[str] = []
        added: list[str] = []
        start = (0, 0)
        for op, text in (*self.ops, (EQUAL, "")):
            if op == EQUAL:
                if removed or added:
                    hunks.append(
                        Change(start[0], old_at, start[1], new_at, "".join(removed), "".join(added))
                    )
                    removed, added = [], []
                old_at += len(text)
                new_at += len(text)
                start = (old_at, new_at)
            elif op == DELETE:
                removed.append(text)
                old_at += len(text)
            else:
                added.append(text)
                new_at += len(text)
        return tuple(hunks)


# ---------------------------------------------------------------------------
# Token codes

#: Code points usable as token codes: all but U+0000 and the surrogates.
_CAPACITY = 0x10FFFF - 0x800


def _code(index: int) -> str:
    """The character that stands for token code *index* (0-based)."""
    point = index + 1
    return chr(point if point < 0xD800 else point + 0x800)


def _code_range(start: int, stop: int) -> Iterator[str]:
    """``_code(i) for i in range(start, stop)``, at C speed."""
    low, high = start + 1, stop + 1  # code points before skipping the surrogates
    return chain(
        map(chr, range(low, min(high, 0xD800))),
        map(chr, range(max(low, 0xD800) + 0x800, high + 0x800)),
    )


class _Table(dict[str, str]):
    """Tokens to codes: a token not yet in the table gets the next code."""

    __slots__ = ()

    def __missing__(self, token: str) -> str:
        index = len(self)
        if index + 1 + 2 * _KINDS > _CAPACITY:  # the shared tokens must fit as well
            raise _TooManyTokensError
        char = self[token] = _code(index)
        return char


class _Codes:
    """Tokens of two texts as strings of code characters (one character per token).

    Tokens found in both texts get a code each; a token found on one side only
    can never be matched, so it needs no code of its own: it gets its side's
    shared code for its kind. Only when there are few enough distinct tokens
    overall does every distinct token get a code of its own (the search cannot
    tell the difference, as such a code never occurs on the other side), which
    lets the strings be built at C speed. ``kinds`` maps every code character
    to its token kind, ``words`` to 1 for a word, 0 otherwise.
    """

    kinds: dict[str, int]
    old: str
    new: str

    def __init__(self, old: Sequence[str], new: Sequence[str]) -> None:
        table = _Table()  # codes in order of first occurrence
        try:
            self.old = "".join(map(table.__getitem__, old))
            self.new = "".join(map(table.__getitem__, new))
        except _TooManyTokensError:
            self._by_side(old, new)
        else:
            self.kinds = {char: _kind(token) for token, char in table.items()}
        self.words = {char: int(kind == _WORD) for char, kind in self.kinds.items()}

    def _by_side(self, old: Sequence[str], new: Sequence[str]) -> None:
        """Codes for shared tokens only, one code per side and kind for the others."""
        shared = set(old).intersection(new)
        if len(shared) + 2 * _KINDS > _CAPACITY:
            raise _TooManyTokensError
        self.kinds = {}
        side_codes = ([_code(k) for k in range(_KINDS)], [_code(_KINDS + k) for k in range(_KINDS)])
        for codes in side_codes:
            for kind, char in enumerate(codes):
                self.kinds[char] = kind
        table: dict[str, str] = {}
        next_index = 2 * _KINDS

        def encode(tokens: Iterable[str], own: list[str]) -> str:
            nonlocal next_index
            chars: list[str] = []
            append = chars.append
            for token in tokens:
                char = table.get(token)
                if char is None:
                    if token in shared:
                        char = _code(next_index)
                        next_index += 1
                        self.kinds[char] = _kind(token)
                    else:
                        char = own[_kind(token)]
                    table[token] = char
                append(char)
            return "".join(chars)

        self.old = encode(old, side_codes[0])
        self.new = encode(new, side_codes[1])


class _TooManyTokensError(Exception):
    """The texts share more distinct tokens than there are code points."""


# ---------------------------------------------------------------------------
# Deadline


class _Deadline:
    """A deadline diff-match-patch compares with ``time.time() > deadline``.

    ``float > _Deadline`` is answered by the reflected ``_Deadline.__lt__``,
    which uses the monotonic clock and remembers whether it ever said
    "expired": diff-match-patch's search gives up exactly when it does.
    """

    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds
        self.expired = False

    def _check(self) -> bool:
        if time.monotonic() >= self._end:
            self.expired = True
        return self.expired

    def __lt__(self, _now: object) -> bool:  # now > deadline
        return self._check()


# ---------------------------------------------------------------------------
# Clean-up


def _lossless(diffs: list[tuple[int, str]], kinds: dict[str, int], hits: list[bool]) -> None:
    """``diff_cleanupSemanticLossless`` on token codes, scoring token kinds.

    Slides each single edit between two equalities (by whole tokens) to the
    position whose boundaries score best: 6 at an end of the text, 5 at a blank
    line, 4 at a line break, 3 after punctuation before a space, 2 at a space,
    1 at punctuation, 0 between two words. Same algorithm and scores as
    diff-match-patch's (Apache 2.0), on tokens instead of characters.

    *hits* records whether a slide emptied the first op (``hits[0]``) or the
    last op (``hits[1]``): a windowed region (``_textdiff_window``) is then
    diffed again whole.
    """

    def score(one: str, two: str) -> int:
        if not one or not two:
            return 6
        kind1, kind2 = kinds[one[-1]], kinds[two[0]]
        if _BLANK in (kind1, kind2):
            return 5
        if _BREAK in (kind1, kind2):
            return 4
        if kind1 == _PUNCT and kind2 == _SPACE:
            return 3
        if _SPACE in (kind1, kind2):
            return 2
        if _PUNCT in (kind1, kind2):
            return 1
        return 0

    pointer = 1
    while pointer < len(diffs) - 1:
        if diffs[pointer - 1][0] == EQUAL and diffs[pointer + 1][0] == EQUAL:
            equality1 = diffs[pointer - 1][1]
            edit = diffs[pointer][1]
            equality2 = diffs[pointer + 1][1]
            # Shift the edit as far left as possible.
            common = _common_suffix(equality1, edit)
            if common == len(equality1) and pointer == 1:
                hits[0] = True
            if common:
                shared = edit[-common:]
                equality1 = equality1[:-common]
                edit = shared + edit[:-common]
                equality2 = shared + equality2
            # Step right one token at a time, keeping the best fit (ties go right).
            best = (equality1, edit, equality2)
            best_score = score(equality1, edit) + score(edit, equality2)
            while edit and equality2 and edit[0] == equality2[0]:
                equality1 += edit[0]
                edit = edit[1:] + equality2[0]
                equality2 = equality2[1:]
                value = score(equality1, edit) + score(edit, equality2)
                if value >= best_score:
                    best_score = value
                    best = (equality1, edit, equality2)
            if not equality2 and pointer + 2 == len(diffs):
                hits[1] = True
            if diffs[pointer - 1][1] != best[0]:
                if best[0]:
                    diffs[pointer - 1] = (EQUAL, best[0])
                else:
                    del diffs[pointer - 1]
                    pointer -= 1
                diffs[pointer] = (diffs[pointer][0], best[1])
                if best[2]:
                    diffs[pointer + 1] = (EQUAL, best[2])
                else:
                    del diffs[pointer + 1]
                    pointer -= 1
        pointer += 1


def _common_suffix(one: str, two: str) -> int:
    """The length of the longest common suffix of *one* and *two*."""
    limit = min(len(one), len(two))
    n = 0
    while n < limit and one[-1 - n] == two[-1 - n]:
        n += 1
    return n


def _normalize(diffs: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop empty ops; write each run of changes as one removal then one addition."""
    out: list[tuple[int, str]] = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        if removed:
            out.append((DELETE, "".join(removed)))
            removed.clear()
        if added:
            out.append((INSERT, "".join(added)))
            added.clear()

    for op, text in diffs:
        if not text:
            continue
        if op == DELETE:
            removed.append(text)
        elif op == INSERT:
            added.append(text)
        else:
            flush()
            if out and out[-1][0] == EQUAL:
                out[-1] = (EQUAL, out[-1][1] + text)
            else:
                out.append((EQUAL, text))
    flush()
    return out


# ---------------------------------------------------------------------------
# Search


def _new_dmp(kinds: dict[str, int]) -> Any:
    """A diff_match_patch with no time-out and the token-aware lossless clean-up.

    Its Myers search finds its middle snakes from bit-parallel LCS rows
    (``_textdiff_search``) and its semantic clean-up eliminates equalities in
    one pass (``_textdiff_cleanup``): the same diffs as diff-match-patch's own
    code (the tests compare them with its unmodified methods), much faster on
    long runs of mostly different text.
    """
    from diff_match_patch import diff_match_patch  # imported late: keeps imports fast

    from cspo_archive.analysis import _textdiff_cleanup, _textdiff_search

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # never the silent 1-second default; also no half-match
    hits = [False, False]
    dmp.edge_hits = hits  # see _lossless
    dmp.diff_cleanupSemanticLossless = lambda diffs: _lossless(diffs, kinds, hits)
    _textdiff_search.install(dmp)
    dmp.diff_cleanupSemantic = lambda diffs: _textdiff_cleanup.cleanup_semantic(dmp, diffs)
    return dmp


def _search(dmp: Any, old: str, new: str, deadline: _Deadline | None) -> list[tuple[int, str]]:
    """Myers diff of two code strings (no line mode: the codes are tokens already)."""
    result: list[tuple[int, str]] = dmp.diff_main(old, new, False, deadline)
    return result


def _unique_anchors(old: str, new: str) -> list[tuple[int, int]]:
    """Units found exactly once in each side, matched in order (patience diff's anchors).

    The pairs ``(i, j)`` with ``old[i] == new[j]`` of units unique on both
    sides, reduced to their longest run increasing on both sides.
    """
    counts_old = Counter(old)
    counts_new = Counter(new)
    where_new = dict(zip(new, range(len(new)), strict=True))  # a unique unit's only place
    pairs = [
        (i, where_new[unit])
        for i, unit in enumerate(old)
        if counts_old[unit] == 1 and counts_new.get(unit) == 1
    ]
    # Longest increasing subsequence of the j's (patience sorting).
    tails: list[int] = []  # tails[k]: index in pairs ending the best run of length k + 1
    tail_values: list[int] = []  # pairs[tails[k]][1]
    before: list[int] = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        # (mostly in order: past the last tail, no search needed)
        k = len(tails) if not tails or j > tail_values[-1] else bisect.bisect_left(tail_values, j)
        if k:
            before[index] = tails[k - 1]
        if k == len(tails):
            tails.append(index)
            tail_values.append(j)
        else:
            tails[k] = index
            tail_values[k] = j
    anchors: list[tuple[int, int]] = []
    index = tails[-1] if tails else -1
    while index != -1:
        anchors.append(pairs[index])
        index = before[index]
    anchors.reverse()
    return anchors


def _align_units(dmp: Any, old: str, new: str, deadline: _Deadline | None) -> list[tuple[int, str]]:
    """Diff two strings of paragraph codes: unique paragraphs anchor, Myers fills the gaps.

    A Myers search over thousands of paragraphs where half of them changed
    costs (paragraphs x changes); anchoring on the paragraphs that occur once
    on each side first (as git's patience diff does) leaves small gaps.
    """
    diffs: list[tuple[int, str]] = []
    at_old = at_new = 0
    for i, j in (*_unique_anchors(old, new), (len(old), len(new))):
        if i == at_old and j == at_new:  # no gap
            if i < len(old):
                diffs.append((EQUAL, old[i]))
            at_old, at_new = i + 1, j + 1
            continue
        gap_old, gap_new = old[at_old:i], new[at_new:j]
        if not gap_old or not gap_new or set(gap_old).isdisjoint(gap_new):
            # What diff_main returns when nothing can match (no search needed).
            diffs.extend((op, gap) for op, gap in ((DELETE, gap_old), (INSERT, gap_new)) if gap)
        else:
            diffs.extend(_search(dmp, gap_old, gap_new, deadline))
        if i < len(old):
            diffs.append((EQUAL, old[i]))
        at_old, at_new = i + 1, j + 1
    return diffs


# ---------------------------------------------------------------------------
# Paragraphs and sentences first, on the texts themselves

#: Unchanged units kept (tokenised) on each side of a changed run, so the
#: semantic clean-up sees the neighbourhood of each change.
_CONTEXT = 1


def _count_words(text: str) -> int:
    """Word tokens in *text* (as :func:`tokenize` cuts it), without tokenising anything
    (``_textdiff_count``)."""
    from cspo_archive.analysis._textdiff_count import count_words

    return count_words(text)


#: Characters that end a paragraph unit, with any white space after them: a
#: white-space run holding a line break (the characters ``_kind`` takes for a
#: break), the whole run included.
_BREAK_CHARS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
#: Sentence ends: a white-space run after one of these ends a unit.
_SENTENCE_END_CHARS = ".!?\u2026\u3002"
#: Where a unit ends, as one pattern per character that can end a unit: the
#: character and the white space after it (``[breaks]\s*|[.!?…。]\s+`` in all;
#: the whole white-space run stays with the unit it ends). A pattern that
#: starts with a literal character lets the regex engine skip to the next
#: occurrence about 6 times faster than a character class does, and a match
#: only ever takes white space after its first character, so the ends of all
#: these patterns' matches are exactly the ends of the one pattern's.
_UNIT_ENDS = (
    *((char, LazyPattern(re.escape(char) + r"\s*")) for char in _BREAK_CHARS),
    *((char, LazyPattern(re.escape(char) + r"\s+")) for char in _SENTENCE_END_CHARS),
)


def _text_units(text: str) -> list[str]:
    """*text* cut into sentence and paragraph units (see ``_UNIT_ENDS``).

    The units concatenate back to *text*, and every cut falls between two
    tokens (after a whole white-space run).
    """
    ascii_only = text.isascii()
    ends: list[int] = []
    found = 0  # characters with matches
    for char, pattern in _UNIT_ENDS:
        if (ascii_only and not char.isascii()) or char not in text:
            continue
        before = len(ends)
        ends += [match.end() for match in pattern.finditer(text)]
        found += len(ends) > before
    if found > 1:
        ends = list(dict.fromkeys(sorted(ends)))
    if not ends or ends[-1] < len(text):
        ends.append(len(text))
    if not text:
        return []
    return list(map(text.__getitem__, map(slice, [0, *ends[:-1]], ends)))


#: A piece of a region: (old text, new text), or (text, None) when unchanged.
_Piece = tuple[str, str | None]


def _regions(
    old_units: Sequence[str], new_units: Sequence[str], aligned: Iterable[tuple[int, str]]
) -> list[str | list[_Piece]]:
    """Unchanged text (``str``) and regions to word-diff (lists of pieces), in order.

    A region is a run of changed units with up to ``_CONTEXT`` unchanged units
    on each side; unchanged runs too short to separate two regions join them.
    """
    # (changed, old units from, to, new units from, to)
    runs: list[tuple[bool, int, int, int, int]] = []
    i = j = 0
    run_changed: bool | None = None
    run_i = run_j = 0
    for op, text in aligned:
        changed = op != EQUAL
        if changed is not run_changed:
            if run_changed is not None:
                runs.append((run_changed, run_i, i, run_j, j))
            run_changed, run_i, run_j = changed, i, j
        if op <= EQUAL:
            i += len(text)
        if op >= EQUAL:
            j += len(text)
    if run_changed is not None:
        runs.append((run_changed, run_i, i, run_j, j))
    out: list[str | list[_Piece]] = []
    region: list[_Piece] | None = None
    for index, (changed, old_from, old_to, new_from, new_to) in enumerate(runs):
        if changed:
            if region is None:
                region = []
            region.append(
                ("".join(old_units[old_from:old_to]), "".join(new_units[new_from:new_to]))
            )
            continue
        count = old_to - old_from
        after = index + 1 < len(runs)
        if region is not None and after and count <= 2 * _CONTEXT:
            region.append(("".join(old_units[old_from:old_to]), None))
            continue
        head = _CONTEXT if region is not None else 0
        tail = _CONTEXT if after else 0
        if region is not None:
            if head:
                region.append(("".join(old_units[old_from : old_from + head]), None))
            out.append(region)
            region = None
        if count > head + tail:
            out.append("".join(old_units[old_from + head : old_to - tail]))
        if tail:
            region = [("".join(old_units[old_to - tail : old_to]), None)]
    if region is not None:
        out.append(region)
    return out


def _diff_by_units(old: str, new: str, deadline: _Deadline | None) -> WordDiff | None:
    """Align paragraph (and long-paragraph sentence) units by their text, then word-diff
    only the changed runs; ``None`` when the units give nothing to anchor on.

    Unchanged units are never tokenised, except the ends of the ones next to a
    change, which the clean-up sees as context (``_textdiff_window``).
    """
    old_units = _text_units(old)
    new_units = _text_units(new)
    if len(old_units) <= 1 and len(new_units) <= 1:
        return None
    shared = set(old_units).intersection(new_units)
    if len(shared) + 2 > _CAPACITY:
        return None
    table = dict(zip(shared, _code_range(2, len(shared) + 2), strict=True))
    old_codes = "".join(map(table.get, old_units, repeat(_code(0))))
    new_codes = "".join(map(table.get, new_units, repeat(_code(1))))
    aligned = _align_units(_new_dmp({}), old_codes, new_codes, deadline)
    parts = _regions(old_units, new_units, aligned)

    from cspo_archive.analysis._textdiff_window import single_edit, window

    # A region with one small edit is diffed on its own, without a search (see
    # ``_single_edit_ops``). The others: tokenise what their diffs can see, all
    # in one code space.
    edits = [single_edit(part, tokenize) if isinstance(part, list) else None for part in parts]
    shortcuts = [None if edit is None else _single_edit_ops(edit) for edit in edits]
    windows = [
        window(part, tokenize, edit)
        for part, edit, fast in zip(parts, edits, shortcuts, strict=True)
        if isinstance(part, list) and fast is None
    ]
    pieces = [piece for win in windows for piece in win.pieces]
    try:
        codes = _Codes(
            list(chain.from_iterable(a for a, _ in pieces)),
            list(chain.from_iterable(a if b is None else b for a, b in pieces)),
        )
        dmp = _new_dmp(codes.kinds)
        hits: list[bool] = dmp.edge_hits
        ops: list[tuple[int, str]] = []
        equal: list[str] = []  # unchanged text not yet written to ops
        removed = added = 0
        at_old = at_new = 0  # in codes.old / codes.new
        next_window = 0
        for part, fast in zip(parts, shortcuts, strict=True):
            if isinstance(part, str):
                equal.append(part)
                continue
            if fast is not None:
                region_ops, counts = fast
            else:
                win = windows[next_window]
                next_window += 1
                diffs: list[tuple[int, str]] = []
                old_tokens: list[str] = []
                new_tokens: list[str] = []
                for tokens_old, tokens_new in win.pieces:
                    old_piece = codes.old[at_old : at_old + len(tokens_old)]
                    at_old += len(tokens_old)
                    old_tokens.extend(tokens_old)
                    if tokens_new is None:
                        at_new += len(tokens_old)
                        new_tokens.extend(tokens_old)
                        diffs.append((EQUAL, old_piece))
                        continue
                    new_piece = codes.new[at_new : at_new + len(tokens_new)]
                    at_new += len(tokens_new)
                    new_tokens.extend(tokens_new)
                    diffs.extend(_search(dmp, old_piece, new_piece, deadline))
                hits[:] = (False, False)
                _clean_region(dmp, diffs)
                if (hits[0] and win.cut_left) or (hits[1] and win.cut_right):
                    region_ops, counts = _diff_region(part, deadline)
                else:
                    equal.append(win.head)
                    region_ops, counts = _decode_ops(
                        _normalize(diffs), old_tokens, new_tokens, codes.words, count_equal=False
                    )
                    region_ops.append((EQUAL, win.tail))
            for op, text in region_ops:
                if op == EQUAL:
                    equal.append(text)
                    continue
                if any(equal):
                    ops.append((EQUAL, "".join(equal)))
                equal.clear()
                ops.append((op, text))
            removed += counts[DELETE]
            added += counts[INSERT]
    except _TooManyTokensError:
        return None
    if any(equal):
        ops.append((EQUAL, "".join(equal)))
    exact = deadline is None or not deadline.expired
    return _result(tuple(ops), exact, _count_words(old) - removed, removed, added)


def _single_edit_ops(edit: SingleEdit) -> tuple[list[tuple[int, str]], dict[int, int]] | None:
    """The ops and word counts of a region with one small edit (its only changed
    piece, ``_textdiff_window.single_edit``), without a search; ``None`` when the
    edit is not one of these.

    * One token replaced by another: ``diff_main`` gives ``[equal, removal,
      addition, equal]`` (two different single codes) and the clean-up leaves it
      as it is (the merge only shifts or factors an edit over equal codes, the
      semantic step only eliminates an equality between two edits, the lossless
      step only slides a single edit between two equalities, and two different
      codes do not overlap).
    * Tokens only removed or only added, with more text than the edit on each
      side of it inside the changed piece: ``[equal, edit, equal]``, which no
      merge can shift (an edit is shifted over an equality only when it ends or
      starts with all of it) and the semantic step cannot eliminate; only the
      lossless step slides it. That step runs here on windows of the two
      equalities (``need`` tokens, as ``_textdiff_window`` cuts them), and the
      region goes the general way when a slide empties a window that was cut.
    """
    from cspo_archive.analysis._textdiff_window import head_tokens, tail_tokens

    word_start = _WORD_START().match
    if len(edit.removed) == 1 and len(edit.added) == 1:
        removed, added = edit.removed[0], edit.added[0]
        ops = [
            (op, text)
            for op, text in ((EQUAL, edit.before), (DELETE, removed), (INSERT, added))
            if text
        ]
        ops.append((EQUAL, edit.after))
        counts = {DELETE: int(bool(word_start(removed))), INSERT: int(bool(word_start(added)))}
        return ops, counts
    if edit.removed and edit.added:
        return None
    op, tokens = (DELETE, edit.removed) if edit.removed else (INSERT, edit.added)
    size = sum(map(len, tokens))
    if edit.inner_before <= size or edit.inner_after <= size:
        return None
    need = len(tokens) + 1
    before_at, before = tail_tokens(edit.before, len(edit.before), need, tokenize)
    after_to, after = head_tokens(edit.after, 0, need, tokenize)
    if len(edit.before) - before_at > edit.inner_before or after_to > edit.inner_after:
        # The windows reach into the pieces around the changed one, which the region
        # tokenizes apart ("\n " then " "), and the slide could differ: diff it whole.
        return None
    distinct = dict.fromkeys(chain(before, tokens, after))
    table = dict(zip(distinct, _code_range(0, len(distinct)), strict=True))
    kinds = {char: _kind(token) for token, char in table.items()}
    diffs = [
        (kind, "".join(map(table.__getitem__, run)))
        for kind, run in ((EQUAL, before), (op, tokens), (EQUAL, after))
    ]
    hits = [False, False]
    _lossless(diffs, kinds, hits)
    if (hits[0] and before_at) or (hits[1] and after_to < len(edit.after)):
        return None
    sides = [(*before, *after), (*before, *tokens, *after)]
    if op == DELETE:
        sides.reverse()
    words = {char: int(kind == _WORD) for char, kind in kinds.items()}
    ops, counts = _decode_ops(_normalize(diffs), sides[0], sides[1], words)
    ops.insert(0, (EQUAL, edit.before[:before_at]))
    ops.append((EQUAL, edit.after[after_to:]))
    return ops, counts


def _clean_region(dmp: Any, diffs: list[tuple[int, str]]) -> None:
    """The merge and the semantic clean-up of one region's code ops, in place."""
    dmp.diff_cleanupMerge(diffs)
    dmp.diff_cleanupSemantic(diffs)


def _diff_region(
    part: Sequence[tuple[str, str | None]], deadline: _Deadline | None
) -> tuple[list[tuple[int, str]], dict[int, int]]:
    """One whole region diffed in a code space of its own: the text ops and their words."""
    pieces = [
        (tokens, tokens if b is None else tokenize(b)) for a, b in part for tokens in (tokenize(a),)
    ]
    old_tokens = list(chain.from_iterable(a for a, _ in pieces))
    new_tokens = list(chain.from_iterable(b for _, b in pieces))
    codes = _Codes(old_tokens, new_tokens)
    dmp = _new_dmp(codes.kinds)
    diffs: list[tuple[int, str]] = []
    at_old = at_new = 0
    for (tokens_old, tokens_new), (_, b) in zip(pieces, part, strict=True):
        old_piece = codes.old[at_old : at_old + len(tokens_old)]
        new_piece = codes.new[at_new : at_new + len(tokens_new)]
        at_old += len(tokens_old)
        at_new += len(tokens_new)
        if b is None:
            diffs.append((EQUAL, old_piece))
        else:
            diffs.extend(_search(dmp, old_piece, new_piece, deadline))
    _clean_region(dmp, diffs)
    return _decode_ops(_normalize(diffs), old_tokens, new_tokens, codes.words)


# ---------------------------------------------------------------------------
# Public entry point


def _check_budget(budget_seconds: object) -> float | None:
    """The budget as a float, or ``None``; refuses anything but a positive finite number."""
    if budget_seconds is None:
        return None
    if (
        isinstance(budget_seconds, bool)
        or not isinstance(budget_seconds, int | float)
        or not math.isfinite(budget_seconds)
        or budget_seconds <= 0
    ):
        kind = type(budget_seconds).__name__
        msg = (
            "'budget_seconds' must be a positive, finite number of seconds or None "
            f"(got {budget_seconds!r} that is a {kind})"
        )
        if isinstance(budget_seconds, int | float) and not isinstance(budget_seconds, bool):
            raise ValueError(msg)
        raise TypeError(msg)
    return float(budget_seconds)


def word_diff(old: str, new: str, *, budget_seconds: float | None = None) -> WordDiff:
    """The word-level diff of *old* and *new* (see the module docstring).

    Without *budget_seconds* the search always runs to completion and the
    result is exact. With it, the search stops when the budget is spent and the
    result says ``exact=False`` (only if it actually stopped); it still rebuilds
    both texts exactly.
    """
    budget = _check_budget(budget_seconds)
    texts: tuple[tuple[str, object], ...] = (("old", old), ("new", new))
    for name, value in texts:
        if not isinstance(value, str):
            msg = f"'{name}' must be str (got {value!r} that is a {type(value).__name__})"
            raise TypeError(msg)
    deadline = None if budget is None else _Deadline(budget)
    result = _diff_by_units(old, new, deadline)
    if result is not None:
        return result
    return _diff_tokens(old, new, deadline)


def _diff_tokens(old: str, new: str, deadline: _Deadline | None) -> WordDiff:
    """Tokenise both whole texts and diff them in one search (when the units give
    nothing to anchor on)."""
    old_tokens = tokenize(old)
    new_tokens = tokenize(new)
    try:
        codes = _Codes(old_tokens, new_tokens)
    except _TooManyTokensError:
        return _replaced(old, new, old_tokens, new_tokens)
    dmp = _new_dmp(codes.kinds)
    diffs = _search(dmp, codes.old, codes.new, deadline)
    dmp.diff_cleanupSemantic(diffs)
    diffs = _normalize(diffs)
    exact = deadline is None or not deadline.expired
    return _decode(diffs, old_tokens, new_tokens, codes.words, exact)


def _decode(
    diffs: Sequence[tuple[int, str]],
    old_tokens: Sequence[str],
    new_tokens: Sequence[str],
    words: dict[str, int],
    exact: bool,
) -> WordDiff:
    """Map code ops back to text by position, and count the words in each."""
    ops, counts = _decode_ops(diffs, old_tokens, new_tokens, words)
    return _result(tuple(ops), exact, counts[EQUAL], counts[DELETE], counts[INSERT])


def _decode_ops(
    diffs: Sequence[tuple[int, str]],
    old_tokens: Sequence[str],
    new_tokens: Sequence[str],
    words: dict[str, int],
    *,
    count_equal: bool = True,
) -> tuple[list[tuple[int, str]], dict[int, int]]:
    """Code ops as text ops (by position), and the words in each kind of op (in
    unchanged ops only with *count_equal*)."""
    ops: list[tuple[int, str]] = []
    counts = {DELETE: 0, EQUAL: 0, INSERT: 0}
    i = j = 0
    for op, codes in diffs:
        n = len(codes)
        if op == INSERT:
            text = "".join(new_tokens[j : j + n])
            j += n
        else:
            text = "".join(old_tokens[i : i + n])
            i += n
            if op == EQUAL:
                j += n
        if op != EQUAL or count_equal:
            counts[op] += sum(map(words.__getitem__, codes))
        ops.append((op, text))
    return ops, counts


def _replaced(old: str, new: str, old_tokens: Sequence[str], new_tokens: Sequence[str]) -> WordDiff:
    """The whole of *old* replaced by *new*: the fallback when tokens cannot be coded."""
    word_start = _WORD_START().match
    removed = sum(1 for t in old_tokens if word_start(t))
    added = sum(1 for t in new_tokens if word_start(t))
    ops = tuple((op, text) for op, text in ((DELETE, old), (INSERT, new)) if text)
    return _result(ops, False, 0, removed, added)


def _result(
    ops: tuple[tuple[int, str], ...], exact: bool, unchanged: int, removed: int, added: int
) -> WordDiff:
    """A WordDiff with its derived counts and similarity."""
    words_old = unchanged + removed
    words_new = unchanged + added
    total = words_old + words_new
    similarity = 1.0 if total == 0 else round(2 * unchanged / total, 4)
    return WordDiff(
        ops=ops,
        exact=exact,
        words_old=words_old,
        words_new=words_new,
        words_unchanged=unchanged,
        words_added=added,
        words_removed=removed,
        similarity=similarity,
    )
