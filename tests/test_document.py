"""The Document: a text prepared once, with positions every analysis can trust."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cspo_archive.analysis import Document, split_sentences

TEXT = "The UK met allies. They agreed a plan.\n\nNew Zealand hosted. It was co-operative.\n"


def test_paragraphs_hold_their_sentences_and_spans() -> None:
    """Each paragraph gives its span in the text and the range of its sentences."""
    document = Document.prepare(TEXT)
    first, second = document.paragraphs
    assert TEXT[first.start : first.end] == "The UK met allies. They agreed a plan."
    assert TEXT[second.start : second.end] == "New Zealand hosted. It was co-operative."
    assert [s.paragraph for s in document.sentences[second.first : second.last]] == [1, 1]
    assert (first.first, first.last, second.first, second.last) == (0, 2, 2, 4)


def test_words_point_into_the_text_and_their_sentence() -> None:
    """A word's span gives its text; hyphens and apostrophes stay inside a word."""
    document = Document.prepare(TEXT)
    for word in document.words:
        assert TEXT[word.start : word.end] == word.text
    last = document.sentences[-1]
    assert [w.text for w in document.words_of(last)] == ["It", "was", "co-operative"]


def test_language_and_title_are_kept() -> None:
    """The title and the language are kept as context; the primary subtag is read."""
    document = Document.prepare(TEXT, title="A title", language="en-GB")
    assert (document.title, document.primary_language) == ("A title", "en")


def test_only_text_is_prepared() -> None:
    """Anything but a str is refused, saying what was given."""
    with pytest.raises(TypeError, match="prepared from a str; got b'x' that is a bytes"):
        Document.prepare(b"x")  # type: ignore[arg-type]


@given(st.text(max_size=300))
def test_sentences_are_those_of_split_sentences(text: str) -> None:
    """A document's sentences are exactly split_sentences', and its words all lie
    inside them."""
    document = Document.prepare(text)
    assert document.sentences == split_sentences(text)
    for word in document.words:
        sentence = document.sentences[word.sentence]
        assert sentence.start <= word.start < word.end <= sentence.end
