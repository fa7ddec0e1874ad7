"""A text prepared once for every analysis: paragraphs, sentences, words, positions.

:func:`~cspo_archive.compare` prepares each of its two texts once and hands the
same :class:`Document` to membership, principles and language, which used to
split the text again each (three times per text). Sentences are split when the
document is prepared (every analysis needs them); the words and the folded copy
the principles' pre-filter reads are made on first use, by the analysis that
needs them, and kept.

Every position is a character offset into :attr:`Document.text`. The word diff
is the one reader that does not use a document: it diffs the whole text, white
space and punctuation included, in tokens of its own (``textdiff.tokenize``).
"""

from __future__ import annotations

import bisect
from functools import cached_property
from typing import NamedTuple

from attrs import field, frozen

from cspo_archive._lazy_re import LazyPattern
from cspo_archive.analysis._principles_engine import fold
from cspo_archive.analysis._sentences import Sentence, split_sentences

__all__ = ["Document", "Paragraph", "Word"]


@frozen
class Paragraph:
    """One paragraph (a run of lines between blank lines) and where it stands."""

    index: int
    start: int
    end: int
    #: The sentences of the paragraph: ``document.sentences[first:last]``.
    first: int
    last: int


class Word(NamedTuple):
    """One word as written: its text, its span in the document, its sentence's index.

    A word is a run of letters and digits, with apostrophes and hyphens inside
    it ("co-operation", "nation's"), or an initialism written with dots
    ("U.S.", "e.g.").
    """

    text: str
    start: int
    end: int
    sentence: int


_LETTER = r"[^\W\d_]"
#: What a word is (see :class:`Word`).
_word_re = LazyPattern(
    rf"(?:{_LETTER}\.){{2,}}"  # U.S., U.K., e.g.
    rf"|[^\W_](?:[\w]|['\u2019](?=[^\W_])|[\-\u2010\u2011](?=[^\W_]))*"
)


@frozen(eq=False)
class Document:
    """A text and its sentences (and, on first use, its words), prepared once.

    Build one with :meth:`prepare`. ``sentences`` are those of
    :func:`~cspo_archive.analysis.split_sentences`.
    """

    text: str
    sentences: tuple[Sentence, ...] = field(repr=False)
    #: The publication's title, read as context (an initiative named only there).
    title: str = ""
    #: The language of the text, a BCP 47 tag ("en-GB", "de"); analyses read the
    #: rules for its primary language, and say "unknown" where they have none.
    language: str = "en"

    @classmethod
    def prepare(cls, text: str, *, title: str = "", language: str = "en") -> Document:
        """Split *text* into sentences (and paragraphs) once, for every analysis;
        *title* and *language* are kept as context."""
        given: object = text  # callers without type checking may pass anything
        if not isinstance(given, str):
            kind = type(given).__name__
            msg = f"a Document is prepared from a str; got {given!r:.80} that is a {kind}"
            raise TypeError(msg)
        return cls(given, split_sentences(given), str(title), str(language))

    @property
    def primary_language(self) -> str:
        """The primary language subtag, lowercase ("en" for "en-GB")."""
        return self.language.split("-", 1)[0].lower() or "en"

    @cached_property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        """The paragraphs that hold sentences, in order."""
        found: list[Paragraph] = []
        first = 0
        sentences = self.sentences
        for i, sentence in enumerate(sentences):
            last = i + 1 == len(sentences) or sentences[i + 1].paragraph != sentence.paragraph
            if last:
                start, end = sentences[first].start, sentence.end
                found.append(Paragraph(sentence.paragraph, start, end, first, i + 1))
                first = i + 1
        return tuple(found)

    @cached_property
    def words(self) -> tuple[Word, ...]:
        """Every word of every sentence, in order (made on first use)."""
        word_re = _word_re()
        words: list[Word] = []
        for sentence in self.sentences:
            base = sentence.start
            index = sentence.index
            words.extend(
                Word(m.group(), base + m.start(), base + m.end(), index)
                for m in word_re.finditer(sentence.text)
            )
        return tuple(words)

    @cached_property
    def _word_sentences(self) -> tuple[int, ...]:
        return tuple(w.sentence for w in self.words)

    def words_of(self, sentence: Sentence) -> tuple[Word, ...]:
        """The words of one of this document's sentences."""
        owners = self._word_sentences
        first = bisect.bisect_left(owners, sentence.index)
        last = bisect.bisect_right(owners, sentence.index, first)
        return self.words[first:last]

    @cached_property
    def folded(self) -> str:
        """The text folded for the principles' literal pre-filter (made on first use)."""
        return fold(self.text)


def prepared(text: str | Document) -> Document:
    """*text* as a :class:`Document` (prepared now if it is a ``str``)."""
    return text if isinstance(text, Document) else Document.prepare(text)
