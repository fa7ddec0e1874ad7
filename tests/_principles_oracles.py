"""Oracles for the principles engine (``cspo_archive.analysis._principles_engine``):
code the product does not run, kept for the tests to check the product with.

* :func:`may_be_empty`: whether a word can match the empty string, as the
  parser decides it when it refuses such a word;
* :func:`find`: what one matcher finds in one sentence, bound to that sentence
  alone (the product binds a matcher to a whole text, then reads its sentences);
* :func:`scan`: what every matcher of a taxonomy, and its markers, find in one
  sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from cspo_archive.analysis._principles_engine import Matcher, Taxonomy, _elements, fold


def may_be_empty(pieces: Sequence[str]) -> bool:
    """Whether a word (its body split at its groups) can match the empty string."""
    return all(optional for _, optional in _elements(pieces))


def find(matcher: Matcher, text: str) -> str | None:
    """The leftmost match in *text* (at one position, the first phrasing's)
    that overlaps no match of an exclusion, or ``None``."""
    bound = matcher.bind(fold(text), {})
    return bound.find(text) if bound is not None else None


def scan(
    taxonomy: Taxonomy, text: str, *, markers: bool = False
) -> tuple[list[str | None], str | None]:
    """What each matcher finds in the sentence *text* (:func:`find`), and what the
    markers find (only when no principle is found, unless *markers*)."""
    bound, bound_markers = taxonomy.bind(fold(text))
    found = [None if matcher is None else matcher.find(text) for matcher in bound]
    marker = None
    if bound_markers is not None and (markers or not any(found)):
        marker = bound_markers.find(text)
    return found, marker
