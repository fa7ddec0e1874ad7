"""Copies of one statement: similarity, the threshold, grouping and differences."""

from __future__ import annotations

import random

import cattrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_regressions.data_regression import DataRegressionFixture

from cspo_archive.analysis import Document
from cspo_archive.analysis.copies import (
    COPY_THRESHOLD,
    MIN_SHINGLES,
    compare_copies,
    fold_word,
    near_duplicate_groups,
    shingles,
    similarity,
)
from statement_fixtures import index, text_of


def test_the_threshold_separates_the_labelled_pairs() -> None:
    """Every labelled pair of ``tests/data/statements`` falls on its side of
    ``COPY_THRESHOLD``: copies at or above it, other pairs below; the table of
    similarities is printed (the evidence for the threshold)."""
    rows = []
    copies: list[float] = []
    others: list[float] = []
    for pair in index()["pair"]:
        value = similarity(text_of(pair["a"]), text_of(pair["b"]))
        (copies if pair["copies"] else others).append(value)
        rows.append(f"{pair['a']:16} {pair['b']:16} {pair['copies']!s:5} {value:.3f}")
    print("\n".join(["a                b                copy  similarity", *rows]))
    print(f"copies from {min(copies):.3f}; others up to {max(others):.3f}")
    assert len(copies) >= 8
    assert len(others) >= 5
    assert min(copies) >= COPY_THRESHOLD > max(others)


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("behaviour", "behavior"),
        ("Defence", "defense"),
        ("organisations", "organizations"),
        ("prioritised", "prioritized"),
        ("analyse", "analyze"),
        ("centre", "center"),
        ("programme", "program"),
        ("travelled", "traveled"),
        ("favourable", "favorable"),
        ("licence", "license"),
    ],
)
def test_british_and_american_spellings_fold_alike(british: str, american: str) -> None:
    """A word spelled the British or the American way folds to one form."""
    assert fold_word(british) == fold_word(american)


@pytest.mark.parametrize(("one", "other"), [("four", "for"), ("hour", "her"), ("rise", "rize")])
def test_short_words_are_not_folded_into_others(one: str, other: str) -> None:
    """The rules ask for a stem of three letters: "four" is not "for"."""
    assert fold_word(one) != fold_word(other)


def test_uk_and_us_copies_differ_by_wrapper_one_paragraph_and_spelling(
    data_regression: DataRegressionFixture,
) -> None:
    """The US copy of the UK statement: its own lead (added), the UK lead and the
    paragraph the US copy leaves out (omitted), the body otherwise the same, and the
    American spellings counted as spelling, not as change."""
    pair = next(p for p in index()["pair"] if p["a"] == "uk-copy.txt")
    found = compare_copies(text_of("uk-copy.txt"), text_of("us-copy.txt"))
    assert found.similarity >= COPY_THRESHOLD
    assert any(p.startswith(pair["omitted"]) for p in found.omitted)
    assert len(found.omitted) <= 2
    assert len(found.added) <= 1
    assert found.reworded == ()
    spelled = {(v.old, v.new) for v in found.spelling}
    assert ("behaviour", "behavior") in spelled
    assert found.same_paragraphs >= 5
    data_regression.check(cattrs.unstructure(found))


def test_a_swapped_quote_is_replaced_and_an_added_paragraph_added() -> None:
    """Revision 2 swaps a quote (one paragraph replaced by another at its place,
    nothing added or removed); revision 3 adds a paragraph and a correction note
    (added, nothing reworded)."""
    r1, r2, r3 = (text_of(f"page-r{n}.txt") for n in (1, 2, 3))
    swapped = compare_copies(r1, r2)
    assert not (swapped.added)
    assert not (swapped.omitted)
    assert not (swapped.reworded)
    assert len(swapped.replaced) == 1
    assert "Kemble" in swapped.replaced[0].old
    assert "Pryce" in swapped.replaced[0].new
    extended = compare_copies(r2, r3)
    assert len(extended.added) == 2
    assert not extended.omitted
    assert not extended.reworded
    assert extended.added[-1].startswith("Correction")


def test_the_false_near_duplicate_is_not_a_copy() -> None:
    """Two statements from one template (same opening, same closing) are not copies."""
    assert similarity(text_of("template-a.txt"), text_of("template-b.txt")) < COPY_THRESHOLD
    groups = near_duplicate_groups(
        {name: shingles(text_of(name)) for name in ("template-a.txt", "template-b.txt")}
    )
    assert groups == [["template-a.txt"], ["template-b.txt"]]


def test_a_template_shared_by_many_documents_is_left_out() -> None:
    """A paragraph that more than COMMON_SHINGLE documents share (a site's
    boilerplate) does not make two of them copies, even when it is most of both."""
    boilerplate = " ".join(f"word{i}" for i in range(120)) + "."
    texts = {
        f"doc{i}": shingles(f"{boilerplate}\n\nStatement number {i} says {i} things of its own.")
        for i in range(80)
    }
    groups = near_duplicate_groups(texts)
    assert len(groups) == 80


def test_too_short_texts_are_never_copies() -> None:
    """A text of fewer than MIN_SHINGLES shingles is a copy of nothing."""
    short = "Three nations met."
    assert len(shingles(short)) < MIN_SHINGLES
    assert similarity(short, short) == 0.0


_PARAGRAPHS = st.lists(
    st.lists(
        st.sampled_from(
            "space nations behaviour defence agree partners orbit debris statement shared "
            "the of and to in a principals board meeting responsible security".split()
        ),
        min_size=8,
        max_size=30,
    ).map(lambda words: " ".join(words) + "."),
    min_size=1,
    max_size=6,
).map("\n\n".join)


@settings(max_examples=60, deadline=None)
@given(_PARAGRAPHS)
def test_a_text_is_an_identical_copy_of_itself(text: str) -> None:
    """Compared with itself a text differs in nothing, and its similarity is 1
    whenever it is long enough to be compared at all."""
    found = compare_copies(text, text)
    assert found.identical
    assert found.spelling == ()
    assert similarity(text, text) in ((1.0,) if len(shingles(text)) >= MIN_SHINGLES else (0.0,))


@settings(max_examples=100, deadline=None)
@given(st.one_of(_PARAGRAPHS, st.text(max_size=300)))
def test_shingles_of_a_text_are_those_of_its_document(text: str) -> None:
    """Shingling a str (words read without sentences) gives the shingles of its
    Document (words read sentence by sentence)."""
    assert shingles(text) == shingles(Document.prepare(text))


@settings(max_examples=40, deadline=None)
@given(st.lists(_PARAGRAPHS, min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_grouping_does_not_depend_on_order(texts: list[str], rng: random.Random) -> None:
    """The groups are the same whatever order the texts come in, and a copy of a
    text is always in its group."""
    keyed = {f"t{i}": shingles(t) for i, t in enumerate(texts)}
    keyed.update({f"c{i}": shingles(t) for i, t in enumerate(texts)})  # exact copies
    items = list(keyed.items())
    rng.shuffle(items)
    shuffled = near_duplicate_groups(dict(items))
    assert shuffled == near_duplicate_groups(keyed)
    where = {key: n for n, group in enumerate(shuffled) for key in group}
    for i, text in enumerate(texts):
        if len(shingles(text)) >= MIN_SHINGLES:
            assert where[f"t{i}"] == where[f"c{i}"]
