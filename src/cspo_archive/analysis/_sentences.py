"""Sentences with their positions: the unit every finding points back to.

A :class:`Sentence` records where it stands in the text (character offsets,
paragraph and sentence numbers), so each claim in a comparison can be traced
to, quoted from and highlighted in the publication it came from.

Rules (general English prose, tuned for government publications):

* Paragraphs are separated by blank lines; every line is split on its own, so a
  sentence never crosses a line break (headings and "X said:" lines stand alone).
* A sentence ends at ``.``, ``!`` or ``?`` (with any closing quotes or brackets)
  followed by white space and a capital letter, digit, quote or bracket.
* Not after an abbreviation: titles and ranks (``Gen.``, ``Dr.``), months
  (``Dec. 17``), ``No.``, ``e.g.``, and initialisms written with dots (``U.S.``,
  ``U.K.``) unless the next word is a common sentence opener (``The``, ``It``...).
"""

from __future__ import annotations

from attrs import field, frozen

from cspo_archive._lazy_re import LazyPattern

__all__ = ["Sentence", "split_sentences"]


@frozen
class Sentence:
    """One sentence of a text and where it stands in it.

    ``start``/``end`` are character offsets into the text (``text[start:end]``
    is the sentence); ``paragraph`` and ``index`` are 0-based counts of
    paragraphs and of sentences in the whole text.
    """

    text: str
    index: int
    paragraph: int
    start: int
    end: int = field()

    @end.validator
    def _check(self, _attribute: object, value: int) -> None:
        if not 0 <= self.start <= value or value - self.start != len(self.text):
            msg = f"sentence span ({self.start}, {value}) does not fit its text {self.text!r}"
            raise ValueError(msg)


_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sir rt hon gen lt col maj capt cdr cmdr adm brig sgt cpl pte
    gov sen rep pres amb st jr sr no nos vol fig figs pp approx cf vs al inc ltd co
    corp dept est jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu
    fri sat sun e.g i.e a.m p.m
    """.split()
)
_OPENERS = frozenset(
    """
    the a an it its this that these those they we he she there here in on at for
    but and however as our their his her when while after before during since
    """.split()
)
_boundary_re = LazyPattern(
    r"[.!?][\"'\u2019\u201d)\]]*(\s+)(?=[\"'\u2018\u201c(\[]?[A-Z0-9\u00c0-\u024f])"
)
_word_before_re = LazyPattern(r"([A-Za-z][A-Za-z.]*)\.$")
_next_word_re = LazyPattern(r"[\"'\u2018\u201c(\[]?([A-Za-z]+)")


def _is_abbreviation(chunk: str, following: str) -> bool:
    """Whether the period ending *chunk* belongs to an abbreviation, not a sentence end."""
    match = _word_before_re.search(chunk)
    if match is None:
        return False
    word = match.group(1)
    lower = word.lower()
    if lower in _ABBREVIATIONS:
        return True
    if "." in word or len(word) == 1:  # U.S. / U.K. / initials like "J."
        next_word = _next_word_re.match(following)
        return next_word is None or next_word.group(1).lower() not in _OPENERS
    return False


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Split *text* into sentences with their offsets, paragraph and sentence numbers."""
    sentences: list[Sentence] = []
    paragraph = -1
    previous_blank = True
    offset = 0
    for line in text.split("\n"):
        line_start = offset
        offset += len(line) + 1
        if not line.strip():
            previous_blank = True
            continue
        if previous_blank:
            paragraph += 1
            previous_blank = False
        begin = 0
        for match in _boundary_re.finditer(line):
            end = match.start(1)
            if _is_abbreviation(line[begin:end], line[match.end() :]):
                continue
            _add(sentences, line, begin, end, line_start, paragraph)
            begin = match.end()
        _add(sentences, line, begin, len(line), line_start, paragraph)
    return tuple(sentences)


def _add(
    sentences: list[Sentence], line: str, begin: int, end: int, line_start: int, paragraph: int
) -> None:
    piece = line[begin:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    start = line_start + begin + lead
    sentences.append(Sentence(stripped, len(sentences), paragraph, start, start + len(stripped)))
