"""The word-level diff (``cspo_archive.analysis.textdiff``)."""

from __future__ import annotations

import math
import random
import re
import subprocess
import sys
import time
from itertools import accumulate, pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from _textdiff_oracles import (
    BREAKS,
    SENTENCE_ENDS,
    UNIT_END,
    flat_word_diff,
    paragraph_word_diff,
    reference_dmp,
    search_by_paragraph,
)
from cspo_archive import Archive
from cspo_archive.analysis import _textdiff_search, textdiff
from cspo_archive.analysis.textdiff import Change, WordDiff, tokenize, word_diff

# ---------------------------------------------------------------------------
# Strategies (all in one place)

#: Any Unicode text without surrogates: letters, marks, emoji, astral characters.
any_text = st.text(st.characters(codec="utf-8"), max_size=120)
#: Words from a small vocabulary, so that two texts share a lot.
VOCABULARY = ["space", "safe", "the", "UK’s", "10,000", "co-operation", "é", "🚀", "a", "of"]
SEPARATORS = [" ", " ", " ", ", ", ". ", " — ", "\t", " (", ") "]
word = st.sampled_from(VOCABULARY)
sentence = st.lists(st.tuples(word, st.sampled_from(SEPARATORS)), min_size=1, max_size=12).map(
    lambda pairs: "".join(w + s for w, s in pairs).strip() + "."
)
paragraphs = st.lists(sentence, max_size=6).map(lambda ps: "\n\n".join(ps))


@st.composite
def edited_pair(draw: st.DrawFn) -> tuple[str, str]:
    """A multi-paragraph text and a copy with some words edited, paragraphs kept."""
    old = draw(st.lists(st.lists(word, min_size=1, max_size=15), min_size=1, max_size=6))
    new = [list(p) for p in old]
    for _ in range(draw(st.integers(0, 6))):
        paragraph = new[draw(st.integers(0, len(new) - 1))]
        where = draw(st.integers(0, len(paragraph)))
        action = draw(st.sampled_from(["insert", "remove", "replace"]))
        if action == "insert" or where == len(paragraph):
            paragraph.insert(where, draw(word))
        elif action == "remove" and len(paragraph) > 1:
            del paragraph[where]
        else:
            paragraph[where] = draw(word)
    return render(old), render(new)


def render(paragraph_words: list[list[str]]) -> str:
    """Paragraphs of words as text: one line each, a blank line between them."""
    return "\n\n".join(" ".join(p) for p in paragraph_words) + "\n"


def numbered(pair: tuple[str, str]) -> tuple[str, str]:
    """The pair with every paragraph opened by its number ("§1 ..."), so none repeats."""
    old, new = ("\n\n".join(f"§{i} {p}" for i, p in enumerate(text.split("\n\n"))) for text in pair)
    return old, new


def pathological_pair(words: int = 4000) -> tuple[str, str]:
    """Two unrelated texts from one small vocabulary: a long Myers search."""
    rng = random.Random(42)  # noqa: S311 - test data, not secrets
    vocabulary = [f"w{i}" for i in range(40)]
    return (
        " ".join(rng.choices(vocabulary, k=words)),
        " ".join(rng.choices(vocabulary, k=words)),
    )


def boundaries(text: str) -> set[int]:
    """The offsets between tokens of *text* (including both ends)."""
    return {0, *accumulate(len(t) for t in tokenize(text))}


def assert_well_formed(diff: WordDiff, old: str, new: str) -> None:
    """The invariants every diff keeps (reconstruction, form, counts, boundaries)."""
    assert old == diff.old_text()
    assert new == diff.new_text()
    assert "".join(t for op, t in diff.ops if op <= 0) == old
    assert "".join(t for op, t in diff.ops if op >= 0) == new
    assert all(op in (-1, 0, 1) and text for op, text in diff.ops)
    codes = [op for op, _ in diff.ops]
    assert all(a != b for a, b in pairwise(codes))
    assert all((a, b) != (1, -1) for a, b in pairwise(codes))
    assert diff.words_unchanged + diff.words_removed == diff.words_old
    assert diff.words_unchanged + diff.words_added == diff.words_new
    assert diff.words_old == count_words(old)
    assert diff.words_new == count_words(new)
    total = diff.words_old + diff.words_new
    expected = 1.0 if total == 0 else round(2 * diff.words_unchanged / total, 4)
    assert expected == diff.similarity
    assert 0.0 <= diff.similarity <= 1.0
    assert diff.changed == (old != new)
    # Ops only ever cut a text between two tokens.
    old_at = new_at = 0
    old_cuts, new_cuts = boundaries(old), boundaries(new)
    for op, text in diff.ops:
        if op <= 0:
            old_at += len(text)
            assert old_at in old_cuts
        if op >= 0:
            new_at += len(text)
            assert new_at in new_cuts


def count_words(text: str) -> int:
    """Word tokens of *text*: not white space, not a lone punctuation character."""
    return sum(1 for t in tokenize(text) if textdiff._kind(t) == textdiff._WORD)


# ---------------------------------------------------------------------------
# Tokens


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("", ()),
        ("The UK’s plan.", ("The", " ", "UK’s", " ", "plan", ".")),
        ("space-based, don't", ("space-based", ",", " ", "don't")),
        ("3.5 10,000 17/12/2025", ("3.5", " ", "10,000", " ", "17/12/2025")),
        ("end.Next 3. 5", ("end", ".", "Next", " ", "3", ".", " ", "5")),
        ("(CSpO) — ok", ("(", "CSpO", ")", " ", "—", " ", "ok")),
        ("a--b", ("a", "-", "-", "b")),
        ("e\u0301te\u0301 🚀x", ("e\u0301te\u0301", " ", "🚀x")),
        ("a \n\n b", ("a", " \n\n ", "b")),
    ],
)
def test_tokenize_examples(text: str, tokens: tuple[str, ...]) -> None:
    """Words keep inner apostrophes, hyphens, digit separators, marks; punctuation stands alone."""
    assert tokens == tokenize(text)


@given(any_text)
def test_tokens_concatenate_to_the_text(text: str) -> None:
    """Tokens cover the text exactly, with no empty token."""
    tokens = tokenize(text)
    assert text == "".join(tokens)
    assert all(tokens)


# ---------------------------------------------------------------------------
# Properties


@given(any_text, any_text)
@example("", "")
@example("", "a b")
@example("a b", "")
@example("The cat sat.", "The big cat sat.")
@example("😀 a 🚀", "😀 b 🚀")
@example("\U0010ffff\U000e0000", "\U000e0000")
def test_any_texts_rebuild_exactly(old: str, new: str) -> None:
    """For any two texts the ops rebuild both, are well formed and counts agree."""
    assert_well_formed(word_diff(old, new), old, new)


@given(paragraphs, paragraphs)
def test_prose_rebuilds_exactly(old: str, new: str) -> None:
    """Multi-paragraph prose sharing a vocabulary: both texts rebuilt, cuts between tokens."""
    diff = word_diff(old, new)
    assert_well_formed(diff, old, new)
    assert diff.exact


@given(edited_pair())
def test_edited_prose_rebuilds_exactly(pair: tuple[str, str]) -> None:
    """A text and an edited copy: well formed, exact."""
    old, new = pair
    diff = word_diff(old, new)
    assert_well_formed(diff, old, new)
    assert diff.exact


@given(any_text)
def test_identity(text: str) -> None:
    """A text against itself: one unchanged op (none if empty), similarity 1.0."""
    diff = word_diff(text, text)
    assert (((0, text),) if text else ()) == diff.ops
    assert not diff.changed
    assert diff.exact
    assert diff.similarity == 1.0
    assert diff.words_old == diff.words_unchanged == diff.words_new
    assert diff.changes() == ()


def test_lone_surrogates_do_not_break_it() -> None:
    """Lone surrogates (possible in a Python str) are tokens like any other."""
    old, new = "a \ud800 b", "a \udfff b \ud800"
    assert_well_formed(word_diff(old, new), old, new)


@given(any_text, any_text)
def test_changes_point_into_both_texts(old: str, new: str) -> None:
    """Each change's offsets slice its removed and added text out of the two texts."""
    diff = word_diff(old, new)
    changes = diff.changes()
    for change in changes:
        assert change.removed == old[change.old_start : change.old_end]
        assert change.added == new[change.new_start : change.new_end]
        assert change.removed or change.added
    runs = sum(
        1 for i, (op, _) in enumerate(diff.ops) if op != 0 and (i == 0 or diff.ops[i - 1][0] == 0)
    )
    assert runs == len(changes)


# ---------------------------------------------------------------------------
# Behaviour on examples


def test_insertion_is_aligned_to_the_word() -> None:
    """An inserted word comes with its trailing space, after the word before it."""
    diff = word_diff("the cat sat", "the big cat sat")
    assert diff.ops == ((0, "the "), (1, "big "), (0, "cat sat"))
    assert (
        diff.words_old,
        diff.words_new,
        diff.words_unchanged,
        diff.words_added,
        diff.words_removed,
        diff.similarity,
    ) == (3, 4, 3, 1, 0, 0.8571)


def test_a_replaced_word_is_a_removal_then_an_addition() -> None:
    """A word replaced inside a sentence shows as one change hunk, removal first."""
    diff = word_diff("UK Space Directorate said.", "UK Space Command said.")
    assert diff.ops == ((0, "UK Space "), (-1, "Directorate"), (1, "Command"), (0, " said."))
    assert (Change(9, 20, 9, 16, "Directorate", "Command"),) == diff.changes()
    assert (
        diff.words_old,
        diff.words_new,
        diff.words_unchanged,
        diff.words_removed,
        diff.words_added,
    ) == (4, 4, 3, 1, 1)


def test_semantic_cleanup_merges_trivial_equalities() -> None:
    """A rewritten phrase is one change, not a scatter around a common "and"."""
    diff = word_diff(
        "We will share intelligence and information with allies.",
        "We will deliver coordination and interoperability across nations.",
    )
    expected = (
        (0, "We will "),
        (-1, "share intelligence and information with allies"),
        (1, "deliver coordination and interoperability across nations"),
        (0, "."),
    )
    assert expected == diff.ops


def test_short_equalities_between_short_edits_are_kept() -> None:
    """Common words between one-word edits stay unchanged (they outweigh the edits)."""
    diff = word_diff("share the latest news", "see the latest views")
    expected = ((-1, "share"), (1, "see"), (0, " the latest "), (-1, "news"), (1, "views"))
    assert expected == diff.ops


def test_punctuation_only_change_keeps_word_similarity() -> None:
    """Similarity counts words: a changed comma is a change, but every word is unchanged."""
    diff = word_diff("space, safe", "space; safe")
    assert diff.changed
    assert diff.similarity == 1.0
    assert 0 == diff.words_added == diff.words_removed


def test_no_words_at_all() -> None:
    """With no word on either side similarity is 1.0 (no word changed)."""
    diff = word_diff("...", "!?")
    assert diff.changed
    assert (diff.words_old, diff.words_new, diff.similarity) == (0, 0, 1.0)


def test_nothing_in_common() -> None:
    """Texts sharing no token: all removed, all added, similarity 0.0."""
    diff = word_diff("alpha beta", "gamma")
    assert diff.ops == ((-1, "alpha beta"), (1, "gamma"))
    assert diff.similarity == 0.0


def test_diff_is_deterministic() -> None:
    """The same inputs always give the same result."""
    old, new = pathological_pair(300)
    assert word_diff(old, new) == word_diff(old, new)


# ---------------------------------------------------------------------------
# Exactness and the budget


def test_tiny_budget_on_a_hard_pair_is_reported_and_still_rebuilds() -> None:
    """A budget too small for the search gives exact=False, and both texts still rebuild."""
    old, new = pathological_pair()
    diff = word_diff(old, new, budget_seconds=0.001)
    assert not diff.exact
    assert_well_formed(diff, old, new)


def test_generous_budget_is_exact_and_identical_to_no_budget() -> None:
    """A budget that is not spent changes nothing: exact, and the same ops as unbudgeted."""
    old, new = pathological_pair(200)
    assert word_diff(old, new) == word_diff(old, new, budget_seconds=3600)


def test_default_is_exact_even_past_one_second() -> None:
    """Without a budget there is no time-out (diff-match-patch's default is 1 s)."""
    old, new = pathological_pair(300)
    diff = word_diff(old, new)
    assert diff.exact
    assert_well_formed(diff, old, new)


def test_deadline_answers_diff_match_patch_comparison() -> None:
    """``time.time() > deadline`` is answered by the deadline, which remembers expiry."""
    deadline = textdiff._Deadline(3600)
    assert not time.time() > deadline
    assert not deadline.expired
    spent = textdiff._Deadline(1e-9)
    time.sleep(0.001)
    assert time.time() > spent
    assert spent.expired


@pytest.mark.parametrize("budget", [0, -1, 0.0, math.nan, math.inf, -math.inf])
def test_budget_must_be_positive_and_finite(budget: float) -> None:
    """Zero, negative, NaN and infinite budgets are refused with the value in the message."""
    with pytest.raises(ValueError, match="budget_seconds") as info:
        word_diff("a", "b", budget_seconds=budget)
    assert repr(budget) in str(info.value)


@pytest.mark.parametrize("budget", ["1", True, [1]])
def test_budget_must_be_a_number(budget: Any) -> None:
    """A budget that is not a number is a TypeError naming its type."""
    with pytest.raises(TypeError, match=type(budget).__name__):
        word_diff("a", "b", budget_seconds=budget)


@pytest.mark.parametrize("value", [None, b"a", 1])
def test_texts_must_be_str(value: Any) -> None:
    """Non-str texts are refused with their type, on either side."""
    with pytest.raises(TypeError, match=type(value).__name__):
        word_diff(value, "a")
    with pytest.raises(TypeError, match=type(value).__name__):
        word_diff("a", value)


def test_too_many_shared_tokens_falls_back_to_whole_replacement(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Beyond the code-point capacity the result is a whole replacement marked inexact."""
    monkeypatch.setattr(textdiff, "_CAPACITY", 12)
    old, new = "a b c d", "a b c e"
    diff = word_diff(old, new)
    assert not diff.exact
    assert ((-1, old), (1, new)) == diff.ops
    assert (diff.words_old, diff.words_new, diff.words_unchanged, diff.similarity) == (4, 4, 0, 0.0)
    assert_well_formed(diff, old, new)


def test_tokens_on_one_side_only_need_no_code_of_their_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only tokens found in both texts use up codes, so the capacity is about shared tokens."""
    monkeypatch.setattr(textdiff, "_CAPACITY", 12)
    old = " ".join(f"old{i}" for i in range(100)) + " same"
    new = " ".join(f"new{i}" for i in range(100)) + " same"
    diff = word_diff(old, new)
    assert diff.exact
    assert diff.words_unchanged == 1
    assert_well_formed(diff, old, new)


def test_code_characters_skip_surrogates_and_nul() -> None:
    """Token codes are never U+0000 or a surrogate, and reach U+10FFFF."""
    assert textdiff._code(0) == "\x01"
    assert textdiff._code(0xD7FE) == "\ud7ff"
    assert textdiff._code(0xD7FF) == "\ue000"
    assert textdiff._code(textdiff._CAPACITY - 1) == "\U0010ffff"


# ---------------------------------------------------------------------------
# Paragraph first


def edit_distance(diffs: list[tuple[int, str]]) -> int:
    """Tokens removed plus tokens added in a diff of token codes."""
    return sum(len(codes) for op, codes in diffs if op != 0)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(edited_pair().map(numbered))
def test_paragraph_first_is_minimal_on_distinct_paragraphs(pair: tuple[str, str]) -> None:
    """Edits inside paragraphs that never repeat: paragraph first finds a minimal alignment.

    Before the semantic clean-up both searches remove and add as few tokens as
    possible. (Among equally small alignments they may pick different ones, and
    the clean-up may then merge them differently: see the next test.)
    """
    old, new = pair
    codes = textdiff._Codes(tokenize(old), tokenize(new))
    dmp = textdiff._new_dmp(codes.kinds)
    flat = textdiff._search(dmp, codes.old, codes.new, None)
    by_paragraph = search_by_paragraph(dmp, codes.old, codes.new, codes.kinds)
    assert edit_distance(flat) == edit_distance(by_paragraph)
    assert_well_formed(word_diff(old, new), old, new)


def test_paragraph_first_and_flat_can_differ_after_cleanup() -> None:
    """Equally small alignments, chosen differently, can clean up into different counts."""
    old, new = numbered(
        (
            "space space safe space\n\nspace\n\nspace\n\nspace space\n",
            "space safe space space\n\nspace\n\nspace\n\nspace\n",
        )
    )
    flat = flat_word_diff(old, new)
    by_paragraph = word_diff(old, new)
    assert (flat.similarity, by_paragraph.similarity) == (0.8696, 0.7826)
    assert by_paragraph.ops[1:3] == ((-1, "space safe"), (1, "safe space"))


def test_paragraph_first_can_align_repeated_paragraphs_differently() -> None:
    """With repeated paragraphs the two paths may pick different (equally small) alignments.

    The paragraph step matches whole paragraphs first; the flat diff is free to
    match words across paragraph breaks. Both are exact; here even the counts
    agree, but the ops do not.
    """
    old = "space space\n\nspace\n\nspace\n"
    new = "space\n\nspace\n\nspace space\n"
    flat = flat_word_diff(old, new)
    by_paragraph = word_diff(old, new)
    assert flat.ops == ((-1, "space "), (0, "space\n\nspace\n\n"), (1, "space "), (0, "space\n"))
    assert by_paragraph.ops == (
        (0, "space"),
        (-1, " space"),
        (0, "\n\nspace\n\n"),
        (1, "space "),
        (0, "space\n"),
    )
    assert (flat.words_unchanged, flat.words_added, flat.words_removed) == (3, 1, 1)
    assert (
        by_paragraph.words_unchanged,
        by_paragraph.words_added,
        by_paragraph.words_removed,
    ) == (3, 1, 1)


@given(paragraphs, paragraphs)
def test_paragraph_first_and_flat_both_rebuild(old: str, new: str) -> None:
    """Unrelated prose: both paths rebuild both texts (their alignment may differ)."""
    for diff in (flat_word_diff(old, new), word_diff(old, new)):
        assert_well_formed(diff, old, new)


def test_paragraph_first_on_the_bundled_stories_matches_flat(stories: tuple[str, str]) -> None:
    """On the two news stories both paths give the same counts."""
    old, new = stories
    flat = flat_word_diff(old, new)
    by_paragraph = word_diff(old, new)
    assert (flat.words_unchanged, flat.words_added, flat.words_removed) == (
        by_paragraph.words_unchanged,
        by_paragraph.words_added,
        by_paragraph.words_removed,
    )


def test_moved_paragraph_is_a_removal_and_an_addition() -> None:
    """A paragraph moved to the end is removed where it was and added where it is."""
    old = "First one.\n\nSecond one.\n\nThird one.\n"
    new = "Second one.\n\nThird one.\n\nFirst one.\n"
    diff = word_diff(old, new)
    expected = (
        (-1, "First one.\n\n"),
        (0, "Second one.\n\nThird one."),
        (1, "\n\nFirst one."),
        (0, "\n"),
    )
    assert expected == diff.ops
    assert (diff.words_removed, diff.words_added, diff.words_unchanged) == (2, 2, 4)


# ---------------------------------------------------------------------------
# The bundled stories


@pytest.fixture(scope="module")
def stories() -> tuple[str, str]:
    """The 2022 news story and the 2025 news story from the bundled archive."""
    archive = Archive.bundled()
    ids = archive.ids()
    return archive.get(ids[0]).text, archive.get(ids[2]).text


def test_bundled_news_stories(stories: tuple[str, str], data_regression: Any) -> None:
    """The word diff of the 2022 and 2025 news stories, locked (stats, ops and hunks)."""
    old, new = stories
    diff = word_diff(old, new)
    assert_well_formed(diff, old, new)
    data_regression.check(
        {
            "stats": {
                "exact": diff.exact,
                "words_old": diff.words_old,
                "words_new": diff.words_new,
                "words_unchanged": diff.words_unchanged,
                "words_added": diff.words_added,
                "words_removed": diff.words_removed,
                "similarity": diff.similarity,
                "changes": len(diff.changes()),
            },
            "ops": [[op, text] for op, text in diff.ops],
        }
    )


# ---------------------------------------------------------------------------
# Import cost


def test_import_does_not_load_diff_match_patch() -> None:
    """diff_match_patch is imported on first use, not when the module is imported."""
    code = "import sys, cspo_archive.analysis.textdiff; sys.exit('diff_match_patch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True)
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------------------
# Units of text (paragraphs and sentences) aligned before tokenising


@given(any_text)
@example("One. Two!\n\n Three?\u2028Four\u2026 five\u3002six. 3.5 e.g. x")
def test_text_units_rebuild_and_cut_between_tokens(text: str) -> None:
    """Units concatenate back to the text and never cut inside a token."""
    units = textdiff._text_units(text)
    assert "".join(units) == text
    assert all(units)
    cuts = set(accumulate(len(u) for u in units))
    boundaries = set(accumulate(len(t) for t in tokenize(text)))
    assert cuts <= boundaries | {0}


@given(any_text)
@example("don't 3.5 a--b a.5 co-operation UK’s — 10,000")
def test_count_words_matches_the_tokenizer(text: str) -> None:
    """Words of unchanged text are counted by a regex, as the tokenizer would count them."""
    assert textdiff._count_words(text) == sum(
        1 for t in tokenize(text) if textdiff._kind(t) == textdiff._WORD
    )


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(edited_pair().map(numbered))
def test_units_first_counts_match_the_token_level_paragraph_step(pair: tuple[str, str]) -> None:
    """Aligning units by their text gives the counts of the token-level paragraph step."""
    old, new = pair
    by_units = word_diff(old, new)
    by_tokens = paragraph_word_diff(old, new)
    assert_well_formed(by_units, old, new)
    assert (by_units.words_unchanged, by_units.words_removed, by_units.words_added) == (
        by_tokens.words_unchanged,
        by_tokens.words_removed,
        by_tokens.words_added,
    )


def test_one_line_text_is_anchored_on_sentences() -> None:
    """A long text without line breaks: sentences anchor it, and the result stays exact."""
    rng = random.Random(7)  # noqa: S311 - test data
    words = ["space", "safe", "the", "orbit", "debris", "norms", "partners", "of"]
    sentences = [
        " ".join(rng.choice(words) for _ in range(12)).capitalize() + "." for _ in range(400)
    ]
    new_sentences = list(sentences)
    new_sentences[10] = new_sentences[10].replace("space", "outer space", 1)
    del new_sentences[200]
    old, new = " ".join(sentences), " ".join(new_sentences)
    diff = word_diff(old, new)
    flat = flat_word_diff(old, new)
    assert diff.exact
    assert_well_formed(diff, old, new)
    assert (diff.words_removed, diff.words_added) == (flat.words_removed, flat.words_added)
    assert len(textdiff._text_units(old)) == 400


def test_budget_still_reports_on_the_units_path() -> None:
    """With a tiny budget on unrelated multi-paragraph texts, exact=False says it was cut."""
    rng = random.Random(3)  # noqa: S311 - test data
    words = ["space", "safe", "the", "orbit", "debris", "norms", "partners", "of", "a", "to"]

    def text() -> str:
        return "\n\n".join(" ".join(rng.choice(words) for _ in range(3000)) for _ in range(3))

    old, new = text(), text()
    diff = word_diff(old, new, budget_seconds=1e-6)
    assert not diff.exact
    assert_well_formed(diff, old, new)


# ---------------------------------------------------------------------------
# Fast paths: the same results as diff-match-patch's own code

#: Strings over a small alphabet, so that they share a lot (long Myers searches).
small_alphabet = st.text(st.sampled_from("abcde"), min_size=2, max_size=90)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(small_alphabet, small_alphabet)
@example("ab" * 30, "ba" * 31)
@example("abcab" * 10, "e" + "cab" * 5)
def test_bit_parallel_middle_snake_is_diff_match_patchs(old: str, new: str) -> None:
    """The middle snake read off the LCS rows is the one diff_bisect finds, and so is the diff."""
    # diff_bisect's own preconditions (diff_main takes the other cases first).
    if old[0] != new[0] and old[-1] != new[-1] and old not in new and new not in old:
        found: list[tuple[int, int]] = []
        dmp = reference_dmp({})

        def record(text1: str, text2: str, x: int, y: int, deadline: Any) -> Any:
            found.append((x, y))
            return [(-1, text1), (1, text2)]

        dmp.diff_bisectSplit = record
        dmp.diff_bisect(old, new, sys.maxsize)
        forward = _textdiff_search.bit_rows(old, new)
        assert (found[0] if found else None) == _textdiff_search.middle_snake(old, new, forward)
    fast = textdiff._new_dmp({})
    assert reference_dmp({}).diff_main(old, new, False) == fast.diff_main(old, new, False)


def test_bit_parallel_search_on_small_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    """With its thresholds at zero the fast search handles every split, with the same diffs."""
    monkeypatch.setattr(_textdiff_search, "MIN_TOKENS", 0)
    monkeypatch.setattr(_textdiff_search, "MIN_DISTANCE", 0)
    rng = random.Random(11)  # noqa: S311 - test data
    for _ in range(300):
        old = "".join(rng.choices("abc", k=rng.randint(2, 30)))
        new = "".join(rng.choices("abc", k=rng.randint(2, 30)))
        assert reference_dmp({}).diff_main(old, new, False) == textdiff._new_dmp({}).diff_main(
            old, new, False
        )


def test_bit_parallel_rows_give_the_lcs() -> None:
    """The last row holds the length of the longest common subsequence."""
    rows = _textdiff_search.bit_rows("abcbdab", "bdcaba")
    assert len(rows) == 8
    assert 6 - rows[-1].bit_count() == 4  # "bcba"
    assert rows[0] == 0b111111


def test_bit_parallel_search_respects_the_deadline() -> None:
    """An expired deadline stops the fast search too: all removed and added, expiry recorded."""
    old, new = pathological_pair(300)
    codes = textdiff._Codes(tokenize(old), tokenize(new))
    dmp = textdiff._new_dmp(codes.kinds)
    deadline = textdiff._Deadline(1e-9)
    time.sleep(0.001)
    diffs = textdiff._search(dmp, codes.old, codes.new, deadline)
    assert deadline.expired
    assert "".join(t for op, t in diffs if op <= 0) == codes.old
    assert "".join(t for op, t in diffs if op >= 0) == codes.new


#: Diffs as diff_main leaves them: runs of ops over a small alphabet.
raw_diffs = st.lists(
    st.tuples(
        st.sampled_from([-1, 0, 1]), st.text(st.sampled_from("ab c."), min_size=1, max_size=6)
    ),
    max_size=40,
)


@settings(max_examples=500)
@given(raw_diffs)
@example([(0, "a"), (-1, "bb"), (0, "c"), (1, "ab"), (0, "a b"), (-1, "c.c.c")])
def test_linear_semantic_cleanup_is_diff_match_patchs(diffs: list[tuple[int, str]]) -> None:
    """The one-pass elimination of trivial equalities gives diff_cleanupSemantic's result."""
    kinds = {c: textdiff._kind(c) for c in "ab c."}
    reference = reference_dmp(kinds)
    fast = textdiff._new_dmp(kinds)
    reference.diff_cleanupMerge(diffs)  # as diff_main leaves them
    expected, got = list(diffs), list(diffs)
    reference.diff_cleanupSemantic(expected)
    fast.diff_cleanupSemantic(got)
    assert expected == got


def test_fast_paths_keep_the_bundled_diffs() -> None:
    """On the bundled pairs the fast search and clean-up give the same WordDiff as the reference."""
    archive = Archive.bundled()
    texts = [archive.get(i).text for i in archive.ids()]
    for old in texts:
        for new in texts:
            fast = word_diff(old, new)
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(textdiff, "_new_dmp", reference_dmp)
                assert fast == word_diff(old, new)


@given(any_text)
@example("a.\r\n\r\nb! c?d\u2029 e\u3002 f\u2026\tg. ")
def test_unit_cuts_match_the_plain_pattern(text: str) -> None:
    """The character-class-first unit regex cuts exactly where the plain alternation does."""
    plain = re.compile(r"[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]\s*|[.!?\u2026\u3002]\s+")
    assert [m.span() for m in plain.finditer(text)] == [m.span() for m in UNIT_END.finditer(text)]


# ---------------------------------------------------------------------------
# Windows and the word counter (``_textdiff_window``, ``_textdiff_count``)

#: Characters where the word counter's skeleton has to be right: every class of
#: the tokenizer, ASCII and not, joiners, digits of other scripts, surrogates.
TRICKY = (
    "ab1 2.,:/'-\n\t\x1c\x00\x7f\u2019\u2010\u2011\u2014\u00e9\u0663\uff13"
    "\xa0\u3000\u2028\u2029\x85\u3002!?\U0001f600\u0301\u00b7\uff0c\ud800"
)


@settings(max_examples=500)
@given(st.text(st.sampled_from(TRICKY), max_size=40))
@example("a-b-c 3.5.7 a--b x'y \u0663.\u0663 \uff13,\uff13 a\u2019b\ud800b 1/2/3 a.5")
def test_fast_word_count_matches_the_tokenizer_on_tricky_characters(text: str) -> None:
    """The skeleton word counter counts what the tokenizer calls words, whatever the text."""
    assert textdiff._count_words(text) == sum(
        1 for t in tokenize(text) if textdiff._kind(t) == textdiff._WORD
    )


def test_white_space_test_of_the_windows_matches_the_tokenizer() -> None:
    """``str.isspace`` (used to find safe cuts) agrees with the tokenizer's ``\\s`` everywhere."""
    chars = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    by_regex = set(re.findall(r"\s", chars))
    assert by_regex == {c for c in chars if c.isspace()}


def _unwindowed(part: Any, tokenize_: Any, edit: Any = None) -> Any:
    """A window that cuts nothing: the whole region tokenised (*edit* unused)."""
    from cspo_archive.analysis import _textdiff_window

    pieces = [(tokenize_(a), None if b is None else tokenize_(b)) for a, b in part]
    return _textdiff_window.Window("", pieces, "", cut_left=False, cut_right=False)


REPEATS_VOCABULARY = ["a", "a", "a", "b", "3", "5", "x-y", "the"]
repeats_word = st.sampled_from(REPEATS_VOCABULARY)


@st.composite
def sentence_pair(draw: st.DrawFn) -> tuple[str, str]:
    """Texts of sentences from a tiny vocabulary (many repeats) and a copy with a few
    words edited, sentences moved or removed: shapes that slide edits through context."""
    sentences = draw(
        st.lists(st.lists(repeats_word, min_size=1, max_size=30), min_size=1, max_size=8)
    )
    edited = [list(s) for s in sentences]
    for _ in range(draw(st.integers(0, 4))):
        target = edited[draw(st.integers(0, len(edited) - 1))]
        where = draw(st.integers(0, len(target)))
        action = draw(st.sampled_from(["insert", "remove", "replace"]))
        if action == "insert" or not target:
            target.insert(where, draw(repeats_word))
        elif action == "remove":
            del target[min(where, len(target) - 1)]
        else:
            target[min(where, len(target) - 1)] = draw(repeats_word)
    if draw(st.booleans()) and len(edited) > 1:
        edited.insert(draw(st.integers(0, len(edited) - 1)), edited.pop())
    separator = draw(st.sampled_from([" ", "\n\n", "\n"]))

    def render(text: list[list[str]]) -> str:
        return separator.join(" ".join(s) + "." for s in text)

    return render(sentences), render(edited)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(pair=sentence_pair(), span=st.integers(1, 3))
@example(
    pair=(
        "a a a a a a a a a a a a a a a a a a. b. x-y the.",
        "a a a a a a a a a a a a a a a a a a a. b. x-y.",
    ),
    span=1,
)
def test_windows_give_the_diff_of_whole_regions(pair: tuple[str, str], span: int) -> None:
    """Cutting a region's unchanged ends to what the clean-up can see gives the same
    diff as tokenising the whole region (small windows forced, so the cuts and the
    fall-back for slides through a whole window are exercised)."""
    from cspo_archive.analysis import _textdiff_window

    old, new = pair
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_textdiff_window, "_span", lambda need: span * need)
        windowed = word_diff(old, new)
        assert word_diff(old, old).ops == ((textdiff.EQUAL, old),)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_textdiff_window, "window", _unwindowed)
        whole = word_diff(old, new)
    assert windowed == whole
    assert_well_formed(windowed, old, new)


@given(st.text(st.sampled_from(TRICKY), max_size=60), st.integers(0, 60))
def test_window_cuts_are_token_boundaries(text: str, pos: int) -> None:
    """Every cut a window makes falls between two tokens, found from the text on one side."""
    from cspo_archive.analysis import _textdiff_window

    boundaries = set(accumulate(len(t) for t in tokenize(text))) | {0}
    if pos < len(text):
        cut = _textdiff_window.cut_before(text, pos)
        assert cut <= pos
        assert cut in boundaries
    if 1 <= pos <= len(text):
        cut = _textdiff_window.cut_after(text, pos)
        assert cut >= pos
        assert cut in boundaries


def test_code_range_gives_the_codes() -> None:
    """``_code_range`` yields the same characters as ``_code``, across the surrogate gap."""
    for start, stop in [(0, 0), (0, 5), (0xD7F0, 0xD810), (0xD7FF, 0xD801), (0xD800, 0xD805)]:
        assert list(textdiff._code_range(start, stop)) == [
            textdiff._code(i) for i in range(start, stop)
        ]
    end = textdiff._CAPACITY
    assert list(textdiff._code_range(end - 3, end)) == [
        textdiff._code(i) for i in range(end - 3, end)
    ]


#: Token-ish pieces whose joins make tricky tokens ("3" "." "5" is "3.5", "x" "-" "y" a word).
FRAGMENTS = ["a", "a", "b", "the", "x", "-", "3", ".", "5", ",", " ", " ", "  ", "\n", "\n\n", "é"]


@st.composite
def one_piece_region(draw: st.DrawFn) -> list[tuple[str, str | None]]:
    """A region of one changed piece between optional context: the piece's new text is
    its old text with a fragment replaced, inserted or removed (or a random other text)."""
    fragments = draw(st.lists(st.sampled_from(FRAGMENTS), max_size=25))
    edited = list(fragments)
    where = draw(st.integers(0, len(edited)))
    action = draw(st.sampled_from(["replace", "insert", "remove", "other"]))
    if action == "insert" or (not edited and action != "other"):
        edited.insert(where, draw(st.sampled_from(FRAGMENTS)))
    elif action == "remove":
        del edited[min(where, len(edited) - 1)]
    elif action == "replace":
        edited[min(where, len(edited) - 1)] = draw(st.sampled_from(FRAGMENTS))
    else:
        edited = draw(st.lists(st.sampled_from(FRAGMENTS), max_size=25))
    context = st.lists(st.sampled_from(["a", "the", " ", ".", "\n"]), min_size=1, max_size=12).map(
        "".join
    )
    part: list[tuple[str, str | None]] = [("".join(fragments), "".join(edited))]
    if draw(st.booleans()):
        part.insert(0, (draw(context) + " ", None))
    if draw(st.booleans()):
        part.append((draw(context), None))
    return part


def _joined(ops: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """*ops* without empty ones, neighbours of the same kind joined."""
    out: list[tuple[int, str]] = []
    for op, text in ops:
        if not text:
            continue
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))
    return out


@settings(max_examples=1000)
@given(part=one_piece_region(), span=st.integers(1, 3))
@example(part=[("a b. ", None), ("the x y", "the z y"), (" a", None)], span=1)
@example(part=[("a. ", None), ("the a a a b", "the a a a a b"), (" a", None)], span=1)
@example(part=[("a a a a a a a a a a a. ", None), ("a a a", "a a a a"), (" a", None)], span=1)
@example(part=[("\n ", None), (" -- a", " - a")], span=1)
def test_single_edit_shortcut_is_the_diff_of_the_region(
    part: list[tuple[str, str | None]], span: int
) -> None:
    """When a region's only changed piece differs in one token on each side, or in
    tokens removed or added only, the shortcut (when it answers) gives the ops and
    word counts of diffing the whole region (small windows forced, so slides through
    a whole window are exercised)."""
    from cspo_archive.analysis import _textdiff_window

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_textdiff_window, "_span", lambda need: span * need)
        edit = _textdiff_window.single_edit(part, tokenize)
        fast = None if edit is None else textdiff._single_edit_ops(edit)
    if fast is None:
        return
    ops, counts = textdiff._diff_region(part, None)
    assert _joined(fast[0]) == _joined(ops)
    assert (fast[1][-1], fast[1][1]) == (counts[-1], counts[1])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(pair=sentence_pair())
def test_single_edit_shortcut_changes_nothing(pair: tuple[str, str]) -> None:
    """The word diff is the same with and without the single-edit shortcut."""
    old, new = pair
    fast = word_diff(old, new)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(textdiff, "_single_edit_ops", lambda edit: None)
        slow = word_diff(old, new)
    assert fast == slow
    assert_well_formed(fast, old, new)


UNIT_CHARACTERS = "ab .!?\u2026\u3002\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\t\u3000é"


@settings(max_examples=500)
@given(st.text(st.sampled_from(UNIT_CHARACTERS), max_size=40) | any_text)
@example(". .\n \n..  \u3002\u2029x")
def test_text_units_cut_where_the_unit_pattern_ends(text: str) -> None:
    """The units end exactly where the matches of the unit pattern end (and at the
    end of the text), whichever characters end them."""
    ends = [m.end() for m in UNIT_END.finditer(text)]
    if text and (not ends or ends[-1] < len(text)):
        ends.append(len(text))
    assert list(accumulate(len(u) for u in textdiff._text_units(text))) == ends
    assert set(textdiff._BREAK_CHARS) == set(re.findall(f"[{BREAKS}]", UNIT_CHARACTERS))
    assert set(textdiff._SENTENCE_END_CHARS) == set(
        re.findall(f"[{SENTENCE_ENDS}]", UNIT_CHARACTERS)
    )


@settings(max_examples=300)
@given(one_piece_region())
def test_window_reuses_the_single_edit_middle(part: list[tuple[str, str | None]]) -> None:
    """A window given the region's single edit cuts exactly as one that finds it itself."""
    from cspo_archive.analysis import _textdiff_window

    edit = _textdiff_window.single_edit(part, tokenize)
    assert edit is not None
    given_ = _textdiff_window.window(part, tokenize, edit)
    found = _textdiff_window.window(part, tokenize, None)
    assert (given_.head, given_.tail, given_.cut_left, given_.cut_right) == (
        found.head,
        found.tail,
        found.cut_left,
        found.cut_right,
    )
    assert [(tuple(a), b if b is None else tuple(b)) for a, b in given_.pieces] == [
        (tuple(a), b if b is None else tuple(b)) for a, b in found.pieces
    ]
