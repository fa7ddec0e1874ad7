"""Finding listed phrases in text without compiling one large regular expression.

The language analysis looks for ranks, titles, honorifics, places and document
names given as lists of phrases in the profile. Written as one regular
expression, each list is an alternation: the phrases sorted longest first (then
alphabetically), each part of a phrase escaped and the parts joined by
``[\\s\\-\\u2010\\u2011]+`` (runs of white space and hyphens are interchangeable),
with a look-behind before it and ``(?![\\w\\-])`` after it. Compiling such an
alternation costs several milliseconds per list; :class:`PhraseMatcher` finds
exactly the same matches, in the same order, with a dictionary and a few tiny
regular expressions:

* a match can only start where the look-behind holds and either a run of word
  characters (``\\w+``) starts or a phrase's non-word first character stands;
* a phrase whose first part starts with the word run ``w`` can only match where
  the text's word run is exactly ``w`` (if the text's run were longer, the next
  character would be a word character, where the phrase needs a separator or
  the end of the match);
* at one position the phrases are tried in the alternation's order and the first
  that matches (and is followed by neither a word character nor ``-``) wins, as
  a regular expression's backtracking into the alternation does;
* matches do not overlap: after one, the search goes on at its end.

A list holding a phrase made only of separators (an empty alternative, which
would match the empty string) is handed to :mod:`re` as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from cspo_archive._lazy_re import LazyPattern

__all__ = ["YEAR_POST", "YEAR_PRE", "PhraseMatcher", "alternation", "phrase_parts", "separator_re"]

#: White space and hyphens: interchangeable between the parts of a phrase.
SEPARATOR_CLASS = r"[\s\-\u2010\u2011]"
#: A year written just before or after a document name.
YEAR_PRE = r"(?:19|20)\d\d\s+"
YEAR_POST = r"\s+(?:19|20)\d\d"


separator_re = LazyPattern(SEPARATOR_CLASS + "+")


_word_run_re = LazyPattern(r"\w*")


_word_runs_re = LazyPattern(r"\w+")


_end_ok_re = LazyPattern(r"(?![\w\-])")


_year_pre_re = LazyPattern(YEAR_PRE)


_year_post_re = LazyPattern(YEAR_POST)


def _candidate_re(not_before: str, first_chars: str) -> LazyPattern[str]:
    """Where a phrase may start: a word run, or one of *first_chars*."""
    extra = f"|[{re.escape(first_chars)}]" if first_chars else ""
    return LazyPattern(rf"(?<![{not_before}])(?:(?P<run>\w+){extra})")


def phrase_parts(phrase: str) -> tuple[str, ...]:
    """The parts of *phrase* between runs of white space and hyphens."""
    return tuple(p for p in separator_re().split(phrase.strip()) if p)


def _order(phrases: Iterable[str]) -> list[str]:
    """The phrases of an alternation in its order: unique, longest first, then by text."""
    unique = sorted(set(phrases), key=lambda p: (-len(p), p))
    return [p for p in unique if p.strip()]


def alternation(phrases: Iterable[str]) -> str:
    """The regular-expression alternation of *phrases* (what :class:`PhraseMatcher` finds)."""
    separator = SEPARATOR_CLASS + "+"
    return "|".join(
        separator.join(re.escape(part) for part in phrase_parts(p)) for p in _order(phrases)
    )


class PhraseMatcher:
    """Finds *phrases* as ``(?<![not_before])(?:alternation)(?![\\w\\-])`` would.

    *not_before* is the body of the look-behind's character class (``\\w\\-.``).
    With *years*, a year may be written before (``(?:19|20)\\d\\d\\s+``) or after
    (``\\s+(?:19|20)\\d\\d``) the phrase and is part of the match.
    """

    __slots__ = ("_by_run", "_candidates", "_fallback", "_first_chars", "_years")

    def __init__(self, phrases: Iterable[str], not_before: str, *, years: bool = False) -> None:
        ordered = _order(phrases)
        parts = [phrase_parts(p) for p in ordered]
        self._years = years
        self._fallback: LazyPattern[str] | None = None
        self._by_run: dict[str, list[tuple[str, ...]]] = {}
        self._first_chars = ""
        if any(not p for p in parts):  # an empty alternative: let re decide
            alt = alternation(ordered)
            if not alt:  # nothing but empty alternatives: no list at all
                self._candidates = _candidate_re(not_before, "")
                return
            core = (
                rf"(?P<pre>{YEAR_PRE})?(?P<core>{alt})(?P<post>{YEAR_POST})?"
                if years
                else rf"(?P<core>{alt})"
            )
            self._fallback = LazyPattern(rf"(?<![{not_before}]){core}(?![\w\-])")
            self._candidates = self._fallback
            return
        run = _word_run_re()
        first_chars: set[str] = set()
        for phrase in parts:
            key = run.match(phrase[0]).group()  # type: ignore[union-attr]
            if not key:
                first_chars.add(phrase[0][0])
            self._by_run.setdefault(key, []).append(phrase)
        self._first_chars = "".join(sorted(first_chars))
        self._candidates = _candidate_re(not_before, self._first_chars)

    def __bool__(self) -> bool:
        return self._fallback is not None or bool(self._by_run)

    def _ends(self, text: str, start: int, key: str | None = None) -> Iterator[int]:
        """The ends of the phrases matching at *start*, in the alternation's order."""
        if key is None:
            key = _word_run_re().match(text, start).group()  # type: ignore[union-attr]
        phrases = self._by_run.get(key)
        if not phrases:
            return
        separator = separator_re()
        for parts in phrases:
            pos = start
            for i, part in enumerate(parts):
                if i:
                    gap = separator.match(text, pos)
                    if gap is None:
                        break
                    pos = gap.end()
                if not text.startswith(part, pos):
                    break
                pos += len(part)
            else:
                yield pos

    def finditer(self, text: str) -> Iterator[tuple[int, int, int, int]]:
        """``(start, end, core_start, core_end)`` of each match, left to right.

        ``core`` is the phrase without the years around it.
        """
        if self._fallback is not None:
            for match in self._fallback.finditer(text):
                yield match.start(), match.end(), match.start("core"), match.end("core")
            return
        by_run = self._by_run
        # Most texts hold none of the phrases' first word runs: nothing to look at.
        if by_run.keys().isdisjoint(_word_runs_re().findall(text)) and not any(
            c in text for c in self._first_chars
        ):
            return
        end_ok = _end_ok_re()
        pre_re, post_re = _year_pre_re(), _year_post_re()
        years = self._years
        taken = 0
        for candidate in self._candidates.finditer(text):
            start = candidate.start()
            if start < taken:
                continue
            key = candidate.group("run") or ""
            found = None
            if years and text.startswith(("19", "20"), start):
                pre = pre_re.match(text, start)
                if pre is not None:
                    found = self._after(text, start, pre.end(), None, end_ok, post_re)
            if found is None and key in by_run:
                found = self._after(text, start, start, key, end_ok, post_re)
            if found is not None:
                taken = found[1]
                yield found

    def _after(
        self,
        text: str,
        start: int,
        core_start: int,
        key: str | None,
        end_ok: re.Pattern[str],
        post_re: re.Pattern[str],
    ) -> tuple[int, int, int, int] | None:
        for core_end in self._ends(text, core_start, key):
            if self._years:
                post = post_re.match(text, core_end)
                if post is not None and end_ok.match(text, post.end()):
                    return start, post.end(), core_start, core_end
            if end_ok.match(text, core_end):
                return start, core_end, core_start, core_end
        return None
