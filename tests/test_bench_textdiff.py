"""The word-diff benchmark's counting: it must be right for its ratios to mean anything."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from benchmarks.bench_textdiff import git_style_changed, minimal_changed_git_words
from cspo_archive.analysis.textdiff import word_diff

#: Few distinct words and separators, so texts share a lot and alignments are ambiguous.
_texts = st.lists(
    st.tuples(st.sampled_from(["ka", "lo", "ka,", "lo.", "mi"]), st.sampled_from([" ", "\n\n"])),
    max_size=25,
).map(lambda parts: "".join(word + space for word, space in parts))


def _lcs_changed(old: str, new: str) -> int:
    """Old words + new words - 2 x LCS, by the textbook dynamic programme."""
    a, b = old.split(), new.split()
    previous = [0] * (len(b) + 1)
    for x in a:
        row = [0]
        for j, y in enumerate(b):
            row.append(previous[j] + 1 if x == y else max(previous[j + 1], row[j]))
        previous = row
    return len(a) + len(b) - 2 * previous[-1]


@given(_texts, _texts)
def test_fewest_possible_is_the_textbook_lcs(old: str, new: str) -> None:
    """The bit-parallel count equals the dynamic-programming LCS count."""
    assert minimal_changed_git_words(old, new) == _lcs_changed(old, new)


@given(_texts, _texts)
def test_our_count_in_git_words_is_never_below_the_fewest_possible(old: str, new: str) -> None:
    """Our diff counted over git's words is an alignment of them, so never below the minimum."""
    assert git_style_changed(word_diff(old, new)) >= minimal_changed_git_words(old, new)


def test_counts_of_known_cases() -> None:
    """A replaced word is two changed git words; punctuation glued to a word changes it."""
    assert git_style_changed(word_diff("ka lo mi", "ka mi mi")) == 2
    assert git_style_changed(word_diff("ka lo, mi", "ka lo. mi")) == 2
    assert git_style_changed(word_diff("ka lo mi", "ka lo mi")) == 0
    assert minimal_changed_git_words("ka lo mi", "lo mi ka") == 2
