"""Ingest: turn a capture (the bytes of a page as received) into publications.

A *capture* is what was saved from a publisher: a text capture of a GOV.UK page,
of defense.gov, defence.gov.au, canada.ca and so on. :func:`ingest` takes its
bytes and returns a :class:`Capture` holding one :class:`Publication` per
publication found, each with canonical text, the metadata the page states
(title, document type, dates) and a record of every step that made it.

The rules are general: they name kinds of page furniture and shapes of text,
never particular pages.

1. **Decode** (:func:`decode`): UTF-8, or the encoding a byte-order mark names,
   or the encoding the caller gives; otherwise a detected one. Nothing is
   silently mangled: undecodable bytes and control characters are errors that
   say where they are and what to do.
2. **Lines** are split on ``\\r\\n``, ``\\r`` or ``\\n`` only (a form feed reads
   as a paragraph break), keeping character offsets into the decoded text, so
   every span reported is exact. Each line is NFC-normalised and stripped of
   white space at both ends.
3. **Links** written ``[text](target)`` become ``text``. Targets that lead
   nowhere (``#``, ``#fragment``, empty, ``javascript:``) are furniture; real
   targets are kept in :attr:`Publication.links`.
4. **Furniture** is removed and recorded as :class:`Furniture`: the line
   patterns in ``_FURNITURE`` (one named entry per kind of block: accessible
   format requests, page histories, share links, contents lists...), then
   blocks recognised by their place: document-type labels ("News story") just
   above a heading, date lines just below one, site headers above a label, and
   attachment titles (a heading repeated with no text after it). Dates stated
   in furniture become :attr:`Publication.published` and
   :attr:`Publication.updated` before the furniture is dropped.
5. **Paragraphs** broken mid-sentence by the capture are rejoined: when one
   paragraph ends without sentence-final punctuation and the next begins with
   a lowercase letter.
6. **Splitting**: the first heading is the title of the first publication. A
   later heading starts a new publication when it names a publication type
   ("Joint Statement on ...", "Vision 2031"), follows a document-type label,
   or reappears later as an attachment title; but a single type word alone
   ("Statement", "Vision") is a sub-heading, and a heading with no text after
   it is furniture. Other headings stay in the text. A date stated for the
   page applies to every publication on it.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise
from typing import Any, Final, Literal

import attrs
from attrs import define, field, frozen

from cspo_archive._text import canonicalize, sha256_digest
from cspo_archive._validators import (
    canonical_text,
    digest,
    fail,
    non_negative,
    optional_text_line,
    span,
    steps,
    text_line,
    updated_dates,
)
from cspo_archive.exceptions import IngestError, UndecodableContentError
from cspo_archive.model import (
    DateSource,
    DocumentType,
    Provenance,
    PublishedDate,
)

__all__ = ["Capture", "Decoded", "Furniture", "Publication", "decode", "ingest"]

# --- validators ------------------------------------------------------------------


def _str(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        fail(attribute, value, "a str")


def _bool(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        fail(attribute, value, "a bool")


def _line_span(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    span(inst, attribute, value)
    assert isinstance(value, tuple)
    if value[0] < 1:
        fail(attribute, value, "a (first, last) pair of 1-based line numbers")


_KIND_RE = re.compile(r"[a-z]+(?:-[a-z]+)*")


def _kind(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or _KIND_RE.fullmatch(value) is None:
        fail(attribute, value, "a lowercase hyphenated kind like 'page-history'")


def _optional_document_type(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, DocumentType):
        fail(attribute, value, "a DocumentType or None")


def _optional_published(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, PublishedDate):
        fail(attribute, value, "a PublishedDate or None")


def _links(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or any(
        not isinstance(v, tuple) or len(v) != 2 or not all(isinstance(s, str) for s in v)
        for v in value
    ):
        fail(attribute, value, "a tuple of (link text, target) pairs of str")


def _tuple_of(kind: type, expected: str) -> Any:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple) or any(not isinstance(v, kind) for v in value):
            fail(attribute, value, expected)

    return check


def to_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


# --- records ---------------------------------------------------------------------


@frozen
class Decoded:
    """The text of a capture, and how its bytes were read (see :func:`decode`)."""

    #: The decoded text, not yet normalised (line breaks as they were).
    text: str = field(validator=_str)
    #: The codec actually used, as Python names it: ``utf-8``, ``utf-16``, ``cp1252``...
    encoding: str = field(validator=text_line)
    #: A byte-order mark was present and removed.
    bom: bool = field(validator=_bool)
    #: U+FFFD characters produced by decoding (0 for a clean decode).
    replacement_characters: int = field(validator=non_negative)
    #: The encoding was guessed: not UTF-8, not given by the caller, no byte-order mark.
    detected: bool = field(validator=_bool)


@frozen
class Furniture:
    """One block of page furniture removed from a capture."""

    #: What it is: ``page-history``, ``accessible-format``, ``link-target``...
    kind: str = field(validator=_kind)
    #: First and last line in the decoded capture (1-based, inclusive).
    lines: tuple[int, int] = field(converter=to_tuple, validator=_line_span)
    #: The removed text (for link targets, the removed ``(#)``).
    text: str = field(validator=_str)


@frozen
class Publication:
    """One publication found in a capture.

    ``lines`` (1-based, inclusive) and ``characters`` (0-based, half-open,
    into :attr:`Decoded.text`) span the title through the last line of text.
    """

    title: str = field(validator=text_line)
    #: Canonical text, without the title.
    text: str = field(validator=canonical_text)
    document_type: DocumentType | None = field(validator=_optional_document_type)
    published: PublishedDate | None = field(validator=_optional_published)
    updated: tuple[dt.date, ...] = field(converter=to_tuple, validator=updated_dates)
    lines: tuple[int, int] = field(converter=to_tuple, validator=_line_span)
    characters: tuple[int, int] = field(converter=to_tuple, validator=span)
    steps: tuple[str, ...] = field(converter=to_tuple, validator=steps)
    links: tuple[tuple[str, str], ...] = field(converter=to_tuple, validator=_links)


@frozen
class Capture:
    """A decoded capture and the publications found in it."""

    #: ``sha256:<hex>`` of the raw bytes.
    digest: str = field(validator=digest)
    name: str | None = field(validator=optional_text_line)
    encoding: str = field(validator=text_line)
    bom: bool = field(validator=_bool)
    replacement_characters: int = field(validator=non_negative)
    detected_encoding: bool = field(validator=_bool)
    publications: tuple[Publication, ...] = field(
        converter=to_tuple, validator=_tuple_of(Publication, "a tuple of Publication")
    )
    furniture: tuple[Furniture, ...] = field(
        converter=to_tuple, validator=_tuple_of(Furniture, "a tuple of Furniture")
    )

    @publications.validator
    def _some(self, attribute: attrs.Attribute[Any], value: tuple[Publication, ...]) -> None:
        if not value:
            fail(attribute, value, "at least one publication")

    def provenance(self, publication: Publication, *, capture_method: str) -> Provenance:
        """Return the :class:`~cspo_archive.model.Provenance` of *publication*.

        *capture_method* says how the bytes were obtained (for example
        ``"text capture of the GOV.UK page"``). Raises
        :class:`~cspo_archive.exceptions.IngestError` if *publication* is not
        one of this capture's.
        """
        if publication not in self.publications:
            source = self.name or self.digest
            msg = (
                f"publication {publication.title!r} is not one of the "
                f"{len(self.publications)} publications of capture {source}; "
                f"ask the Capture it came from"
            )
            raise IngestError(msg, source=source)
        return Provenance(
            capture_digest=self.digest,
            capture_name=self.name,
            capture_method=capture_method,
            encoding=self.encoding,
            lines=publication.lines,
            characters=publication.characters,
            steps=publication.steps,
            replacement_characters=self.replacement_characters,
        )


# --- decoding --------------------------------------------------------------------

_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Controls that have no place in text: all C0 but tab, line feed, form feed and
# carriage return; DEL; all C1.
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_BREAK = re.compile(r"\r\n|\r|\n")
# A charset_normalizer guess above this mess ratio is no guess at all.
_MAX_CHAOS: Final = 0.1
# Characters a Western text may have between two letters (apostrophes, dashes).
_WESTERN_INFIX = re.compile(
    r"(?<=[^\W\d_])[^\x00-\x7f\w\u2018\u2019\u00b4\u2013\u2014\u00b7](?=[^\W\d_])"
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")


def decode(
    data: bytes,
    *,
    encoding: str | None = None,
    source: str = "<capture>",
    max_replacement_ratio: float = 0.001,
) -> Decoded:
    """Decode the bytes of a capture, refusing to lose content silently.

    In order:

    - *encoding* given: decode with it (a byte-order mark at the start is
      removed). Bytes it cannot decode are replaced by U+FFFD and counted.
    - A UTF-32, UTF-8 or UTF-16 byte-order mark: decode with that encoding.
    - Strict UTF-8.
    - Not UTF-8 and no valid multi-byte UTF-8 sequence in it: the encoding is
      guessed (``detected=True``). Mostly-ASCII text whose other characters are
      Western letters and punctuation is read as ``cp1252`` (the encoding such
      files nearly always have; charset_normalizer is unreliable on them);
      anything else is offered to charset_normalizer, whose guess is taken if
      it decodes strictly with little mess.
    - Otherwise UTF-8 with U+FFFD for each undecodable sequence.

    Whenever replacements were made, more than *max_replacement_ratio* of the
    text being U+FFFD raises :class:`UndecodableContentError` naming *source*,
    the first bad byte and its offset, and what to do. So does a NUL or other
    control character (tab, line feed, form feed and carriage return
    excepted) in the decoded text: it means binary or mis-encoded bytes
    (UTF-16 without a byte-order mark is a typical cause, and is detected
    when it can be). Empty *data* raises
    :class:`~cspo_archive.exceptions.IngestError`.
    """
    data = _as_bytes(data, source)
    if not data:
        msg = f"cannot ingest {source}: capture is empty (0 bytes); capture the page again"
        raise IngestError(msg, source=source)
    if not 0 <= max_replacement_ratio <= 1:
        msg = (
            f"max_replacement_ratio must be between 0 and 1 "
            f"(got {max_replacement_ratio!r}) while decoding {source}"
        )
        raise IngestError(msg, source=source)
    if encoding is not None:
        return _decode_given(data, encoding, source, max_replacement_ratio)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text, count = _decode_counted(data, codec, source, max_replacement_ratio)
            return _checked(Decoded(text, codec, True, count, False), source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _decode_not_utf8(data, exc, source, max_replacement_ratio)
    bad = _NOT_TEXT.search(text)
    if bad is None:
        return Decoded(text, "utf-8", False, 0, False)
    # Valid UTF-8 with NULs in it is typically UTF-16 or UTF-32 without a BOM;
    # no other guess is taken (it would garble the valid UTF-8).
    guessed = _guess(data, western=False)
    if guessed is not None and guessed.encoding.startswith(("utf-16", "utf-32")):
        return guessed
    raise _control_error(text, bad, "utf-8", source)


def _as_bytes(data: object, source: str) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, bytearray | memoryview):
        return bytes(data)
    msg = (
        f"cannot ingest {source}: a capture is bytes as received "
        f"(got {type(data).__name__}); read the file in binary mode"
    )
    raise IngestError(msg, source=source)


def _decode_given(data: bytes, encoding: str, source: str, limit: float) -> Decoded:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        msg = (
            f"cannot decode {source} as {encoding!r}: Python knows no such encoding; "
            f"pass a codec name such as 'utf-8', 'cp1252' or 'utf-16'"
        )
        raise UndecodableContentError(msg, source=source) from None
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    text, count = _decode_counted(data, codec, source, limit, given=True)
    bom = codec in {"utf-8-sig", "utf-16", "utf-32"} and any(
        data.startswith(b) for b, c in _BOMS if c == codec
    )
    if text.startswith("\ufeff"):
        text, bom = text[1:], True
    return _checked(Decoded(text, codec, bom, count, False), source)


def _lenient(data: bytes, codec: str) -> tuple[str, int]:
    """Decode with U+FFFD for bad bytes; return the text and how many were made.

    Replacing and ignoring call the error handler at the same places, so the
    difference in U+FFFD counts is exactly the number produced (U+FFFD
    genuinely in the capture are not counted).
    """
    replaced = data.decode(codec, "replace")
    produced = replaced.count("\ufffd") - data.decode(codec, "ignore").count("\ufffd")
    return replaced, produced


def _decode_counted(
    data: bytes, codec: str, source: str, limit: float, *, given: bool = False
) -> tuple[str, int]:
    try:
        return data.decode(codec), 0
    except UnicodeDecodeError as exc:
        text, count = _lenient(data, codec)
        if count > limit * len(text):
            raise _undecodable(data, exc, codec, count, len(text), limit, source, given) from None
        return text, count


def _decode_not_utf8(data: bytes, exc: UnicodeDecodeError, source: str, limit: float) -> Decoded:
    # Valid multi-byte UTF-8 in it means UTF-8 with damage (or mixed encodings):
    # reading it all in another encoding would garble the valid part, so no guess.
    if not any(ord(c) > 0x7F for c in data.decode("utf-8", "ignore")):
        guessed = _guess(data)
        if guessed is not None:
            return guessed
    text, count = _lenient(data, "utf-8")
    if count > limit * len(text):
        raise _undecodable(data, exc, "utf-8", count, len(text), limit, source, False)
    return _checked(Decoded(text, "utf-8", False, count, False), source)


def _guess(data: bytes, *, western: bool = True) -> Decoded | None:
    """Guess the encoding of bytes that are not UTF-8 (see :func:`decode`)."""
    text = _western(data) if western else None
    if text is not None:
        return Decoded(text, "cp1252", False, 0, True)
    # Imported here: it is slow to import and rarely needed.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > _MAX_CHAOS:
        return None
    try:
        codec = codecs.lookup(best.encoding).name
        text = data.decode(codec)
    except (LookupError, UnicodeDecodeError):
        return None
    if _NOT_TEXT.search(text) is not None:
        return None
    bom = text.startswith("\ufeff")
    return Decoded(text[1:] if bom else text, codec, bom, 0, True)


def _western(data: bytes) -> str | None:
    """Return *data* as cp1252 if it reads as mostly-ASCII Western text."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if _NOT_TEXT.search(text) is not None:
        return None
    ascii_letters = len(_ASCII_LETTER.findall(text))
    other_letters = sum(1 for c in _NON_ASCII.findall(text) if c.isalpha())
    if ascii_letters == 0 or other_letters * 3 > ascii_letters + other_letters:
        return None
    # Symbols inside words ('Za¿ó³æ') mean another code page was meant.
    if _WESTERN_INFIX.search(text) is not None:
        return None
    return text


def _checked(decoded: Decoded, source: str) -> Decoded:
    bad = _NOT_TEXT.search(decoded.text)
    if bad is not None:
        raise _control_error(decoded.text, bad, decoded.encoding, source)
    return decoded


def _line_of(text: str, offset: int) -> int:
    return len(_BREAK.findall(text, 0, offset)) + 1


def _control_error(
    text: str, bad: re.Match[str], codec: str, source: str
) -> UndecodableContentError:
    char = bad.group()
    name = "NUL" if char == "\x00" else f"U+{ord(char):04X}"
    if 0x80 <= ord(char) <= 0x9F:
        cause = "cp1252 bytes read as latin-1 are a typical cause; try encoding='cp1252'"
    else:
        cause = (
            "UTF-16 or UTF-32 without a byte-order mark is a typical cause; "
            "try encoding='utf-16-le'"
        )
    msg = (
        f"cannot ingest {source}: decoded as {codec}, it holds control character {name} "
        f"at character offset {bad.start()} (line {_line_of(text, bad.start())}), so the "
        f"bytes look binary or mis-encoded ({cause}); if it is text, pass its encoding "
        f"with encoding=... (command line: --encoding)"
    )
    return UndecodableContentError(msg, source=source)


def _undecodable(
    data: bytes,
    exc: UnicodeDecodeError,
    codec: str,
    count: int,
    length: int,
    limit: float,
    source: str,
    given: bool,
) -> UndecodableContentError:
    how = ", the encoding given," if given else ""
    tried = "" if given else " and no other encoding fits it"
    bad = data[exc.start : exc.start + 2]
    if codec.startswith("utf-8") and len(bad) == 2 and bad[0] == 0xED and bad[1] >= 0xA0:
        # ED A0-BF ..: a UTF-16 surrogate (U+D800-U+DFFF) written as UTF-8 (CESU-8, WTF-8).
        tried += ", and the bytes there encode a lone UTF-16 surrogate, which UTF-8 forbids"
    msg = (
        f"cannot decode {source}: it is not valid {codec}{how} (first bad byte "
        f"0x{data[exc.start]:02X} at byte offset {exc.start}){tried}; decoding it anyway "
        f"would replace {count} "
        f"byte sequences with U+FFFD ({count / max(length, 1):.2%} of the text, more than "
        f"the {limit:.2%} allowed); pass the capture's real encoding with encoding=... "
        f"(command line: --encoding)"
    )
    return UndecodableContentError(msg, source=source)


# --- lines -----------------------------------------------------------------------

# [text](target) and ![alt](target), with an optional "title"; a target may hold
# one level of balanced parentheses. Alternatives start with disjoint characters,
# so nothing backtracks badly.
_LINK = re.compile(
    r"!?\[([^\[\]\n]*)\]\(\s*([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"\n]*\")?\s*\)"
)
# Furniture patterns are tried only on lines this short.
_SHORT: Final = 300
#: Most lines of text (blank lines not counted) a capture may have. A publication
#: has a few thousand at most; the limit bounds the memory a capture can take
#: (each line is a record of a few hundred bytes) whatever its shape.
MAX_LINES: Final = 1_000_000


@define
class _Line:
    number: int  # 1-based line of the capture
    start: int  # offset of its first character in Decoded.text
    end: int  # offset just after its last character (line break excluded)
    norm: str  # NFC, stripped
    text: str  # norm with link syntax replaced by the link text
    links: tuple[tuple[str, str], ...]
    dead: tuple[str, ...]  # removed targets that lead nowhere, as '(#)'
    kind: str | None = None  # furniture kind once recognised


def _dead(target: str) -> bool:
    return not target or target.startswith("#") or target.lower().startswith("javascript:")


def _make_line(number: int, start: int, end: int, raw: str) -> _Line:
    norm = (raw if raw.isascii() else unicodedata.normalize("NFC", raw)).strip()
    if "](" not in norm:
        return _Line(number, start, end, norm, norm, (), ())
    links: list[tuple[str, str]] = []
    dead: list[str] = []

    def replace(match: re.Match[str]) -> str:
        target = match.group(2)
        if _dead(target):
            dead.append(f"({target})")
        else:
            links.append((match.group(1).strip(), target))
        return match.group(1)

    text = _LINK.sub(replace, norm).strip()
    return _Line(number, start, end, norm, text, tuple(links), tuple(dead))


def _split_lines(text: str, source: str = "<capture>") -> list[_Line]:
    """Split on CRLF, CR or LF, keeping offsets; form feeds become blank lines.

    A run of blank lines is kept as its first line only: every rule reads a run
    as one break, and memory and time then follow the lines of text, not the
    line breaks. More than :data:`MAX_LINES` lines of text raise
    :class:`~cspo_archive.exceptions.IngestError`.
    """
    lines: list[_Line] = []
    filled = 0

    def add(number: int, start: int, end: int) -> None:
        nonlocal filled
        raw = text[start:end]
        if (not raw or raw.isspace()) and lines and not lines[-1].norm:
            return
        line = _make_line(number, start, end, raw)
        if not line.norm:
            if lines and not lines[-1].norm:
                return
        else:
            filled += 1
            if filled > MAX_LINES:
                raise _too_many_lines(source, number, start)
        lines.append(line)

    has_form_feeds = "\x0c" in text
    number, start = 1, 0
    for match in _BREAK.finditer(text):
        end = match.start()
        if has_form_feeds:
            _add_pages(add, text, number, start, end)
        else:
            add(number, start, end)
        number, start = number + 1, match.end()
    _add_pages(add, text, number, start, len(text))
    return lines


def _add_pages(
    add: Callable[[int, int, int], None], text: str, number: int, start: int, end: int
) -> None:
    """Add a line holding form feeds as its pieces, with a blank line for each feed."""
    while (feed := text.find("\x0c", start, end)) >= 0:
        add(number, start, feed)
        add(number, feed, feed + 1)  # the feed itself: a blank line
        start = feed + 1
    add(number, start, end)


def _too_many_lines(source: str, number: int, offset: int) -> IngestError:
    msg = (
        f"cannot ingest {source}: it has more than {MAX_LINES:,} lines of text (line "
        f"{number}, at character offset {offset}, is one too many); a publication has far "
        f"fewer, so this is not a capture of one page: check that it is text, or split it"
    )
    return IngestError(msg, source=source)


# --- dates -----------------------------------------------------------------------

_MONTHS: Final = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\.?,?\s+)?"
_TIME = (
    r"(?:\s*(?:,|\||-|–|at)?\s*\d{1,2}(?:[:.]\d{2}\s*(?:[ap]\.?m\.?)?|\s*[ap]\.?m\.?)"
    r"(?:\s+[a-z]{2,5})?)?"
)
_DATE = (
    rf"{_WEEKDAY}(?:[0-3]?\d(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}}){_TIME}"
)
_DATE_RE = re.compile(_DATE, re.IGNORECASE)
_DMY = re.compile(r"([0-3]?\d)(?:st|nd|rd|th)?\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})", re.I)
_MDY = re.compile(r"([a-z]{3})[a-z]*\.?\s+([0-3]?\d)(?:st|nd|rd|th)?,?\s+(\d{4})", re.I)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


def _parse_date(text: str) -> dt.date | None:
    """Read a date matched by ``_DATE``; ``None`` if impossible or ambiguous.

    ``03/04/2025`` is ambiguous (3 April or March 4) and is not guessed.
    """
    try:
        if match := _ISO.search(text):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _NUMERIC.search(text):
            a, b, year = int(match[1]), int(match[2]), int(match[3])
            if a > 12 >= b:
                return dt.date(year, b, a)
            if b > 12 >= a:
                return dt.date(year, a, b)
            return dt.date(year, a, a) if a == b else None
        if (match := _DMY.search(text)) and match[2].lower() in _MONTHS:
            return dt.date(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
        if (match := _MDY.search(text)) and match[1].lower() in _MONTHS:
            return dt.date(int(match[3]), _MONTHS[match[1].lower()], int(match[2]))
    except ValueError:
        return None
    return None


# --- furniture patterns ----------------------------------------------------------


@frozen
class _Pattern:
    """A kind of page furniture found by its lines.

    ``start`` must match a whole line (case-insensitive, link syntax removed).
    ``follow`` lines after it belong to the block too (across blank lines if
    ``gap``; at most ``limit`` of them; a line that starts another pattern
    ends the block unless ``absorb``). ``needs_follow``: the start line alone
    is not furniture. ``paragraph``: the paragraph after the block belongs to
    it if its first line starts with this. ``reappear``: follow lines must
    reappear later in the capture (a contents list). ``notes``: a line after a
    bare date is its change note. ``dates``: what a date in the block means.
    """

    kind: str
    start: re.Pattern[str]
    follow: re.Pattern[str] | None = None
    gap: bool = False
    limit: int = 10_000
    needs_follow: bool = False
    absorb: bool = False
    paragraph: re.Pattern[str] | None = None
    reappear: bool = False
    notes: bool = False
    dates: Literal["published", "updated", "history"] | None = None


def _ci(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# A short line that reads like a name or heading: at most 20 words, not starting
# lowercase, not ending a sentence.
_NAME_LIKE = re.compile(r"(?![a-z])(?:\S+\s+){0,19}\S+(?<![.!?:;,])")
_ENTRY_LIKE = re.compile(r"(?:[-*•·]\s*|\d{1,2}[.)]\s*)?(?![a-z])(?:\S+\s+){0,19}\S+(?<![.!?:;,])")
_ENTRY_PREFIX = re.compile(r"(?:[-*•·]\s*|\d{1,2}[.)]\s*)")
_PUBLISHED = r"(?:first\s+|date\s+)?published(?:\s+on)?:?"
_UPDATED = r"(?:(?:last\s+)?updated|(?:date|last)\s+modified|modified)(?:\s+on)?:?"
_DATE_KEYWORD = _ci(f"{_PUBLISHED}|{_UPDATED}")
_SOCIAL = _ci(
    r"(?:share\s+(?:on|via)\s+)?(?:facebook|twitter|x|x\s+\(formerly\s+twitter\)|linkedin"
    r"|e-?mail|whatsapp|print|copy\s+link|reddit|bluesky|threads|telegram|mastodon)"
)
_FEEDBACK = _ci(
    r"maybe|yes|no|yes,?\s+this\s+page\s+is\s+useful|no,?\s+this\s+page\s+is\s+not\s+useful"
    r"|thank\s+you\s+for\s+your\s+feedback\.?|report\s+a\s+problem\s+with\s+this\s+page"
    r"|help\s+us\s+improve\s+gov\.uk|don[’']t\s+include\s+personal\s+or\s+financial\s+"
    r"information.{0,200}|this\s+field\s+is\s+for\s+robots\s+only.{0,80}"
    r"|what\s+were\s+you\s+doing\??|what\s+went\s+wrong\??|send|cancel|close"
    r"|to\s+help\s+us\s+improve\s+gov\.uk,.{0,300}|please\s+fill\s+in\s+this\s+survey.{0,200}"
)
_HISTORY = _ci(
    rf"(?:{_PUBLISHED}|{_UPDATED})?\s*{_DATE}.{{0,250}}|[+-]?\s*(?:see|show|hide)\s+all"
    r"\s+updates|first\s+published\.?"
)

#: Page furniture recognised by its lines, in the order tried. Adding a
#: publisher's furniture is one entry here.
_FURNITURE: Final[tuple[_Pattern, ...]] = (
    _Pattern("skip-link", _ci(r"skip\s+to\s+(?:main\s+)?content")),
    _Pattern(
        "history-banner",
        _ci(r"this\s+(?:[\w-]+\s+){0,3}was\s+published\s+under\s+the\s+.{3,120}?\s+government\.?"),
    ),
    _Pattern("breadcrumb", _ci(r"home(?:\s*[>\u203a\u00bb/|]\s*[^>\u203a\u00bb/|]{1,100}){1,10}")),
    _Pattern(
        "page-metadata",
        _ci(r"(?:from|part\s+of|organi[sz]ations?|departments?):\s*\S.{0,200}"),
        follow=_NAME_LIKE,
    ),
    _Pattern(
        "page-metadata",
        _ci(r"(?:from|part\s+of|organi[sz]ations?|departments?):"),
        follow=_NAME_LIKE,
        gap=True,
        limit=3,
        needs_follow=True,
    ),
    _Pattern("page-metadata", _ci(rf"{_PUBLISHED}\s*{_DATE}\.?"), dates="published"),
    _Pattern(
        "page-metadata",
        _ci(_PUBLISHED),
        follow=_ci(rf"{_DATE}\.?"),
        gap=True,
        limit=1,
        needs_follow=True,
        dates="published",
    ),
    _Pattern(
        "page-metadata",
        _ci(rf"(?:release\s+date|date\s+released|released(?:\s+on)?):?\s*{_DATE}"),
        dates="published",
    ),
    _Pattern(
        "page-metadata",
        _ci(rf"{_UPDATED}\s*{_DATE}\.?(?:\s*[-—–|]?\s*(?:see|show)\s+all\s+updates)?"),
        dates="updated",
    ),
    _Pattern(
        "page-metadata",
        _ci(r"last\s+updated:?|date\s+modified:?"),
        follow=_ci(rf"{_DATE}\.?"),
        gap=True,
        limit=1,
        needs_follow=True,
        dates="updated",
    ),
    _Pattern("page-metadata", _ci(r"[+-]?\s*(?:see|show|hide)\s+all\s+updates")),
    _Pattern(
        "page-history",
        _ci(r"updates\s+to\s+this\s+page|page\s+history|change\s+history"),
        follow=_HISTORY,
        gap=True,
        absorb=True,
        notes=True,
        dates="history",
    ),
    _Pattern(
        "accessible-format",
        _ci(r"request\s+an\s+accessible\s+format\.?"),
        paragraph=_ci(r"if\s+you\s+use\s+assistive\s+technology\b"),
    ),
    _Pattern(
        "attachment-details",
        _ci(
            r"(?:pdf|html|odt|ods|csv|txt|ms\s+word\s+document|ms\s+excel\s+spreadsheet"
            r"|ms\s+powerpoint\s+presentation),\s*\d+(?:\.\d+)?\s*[kmg]i?b(?:,\s*\d+\s+pages?)?"
        ),
    ),
    _Pattern(
        "attachment-details",
        _ci(
            r"this\s+file\s+may\s+not\s+be\s+suitable\s+for\s+users\s+of\s+assistive\s+technology\.?"
        ),
    ),
    _Pattern(
        "contents",
        _ci(r"contents|table\s+of\s+contents|on\s+this\s+page|in\s+this\s+(?:article|section)"),
        follow=_ENTRY_LIKE,
        gap=True,
        needs_follow=True,
        reappear=True,
    ),
    _Pattern(
        "share-links",
        _ci(r"share\s+(?:this\s+(?:page|article|story)|on\s+[\w ()]{1,30}|via\s+[\w ]{1,20}):?"),
        follow=_SOCIAL,
        gap=True,
    ),
    _Pattern(
        "print-link",
        _ci(
            r"print\s+(?:this\s+)?(?:page|article)|print\s*\|\s*e-?mail|printer[- ]friendly.{0,20}"
        ),
    ),
    _Pattern(
        "feedback",
        _ci(
            r"is\s+this\s+page\s+useful\?|was\s+this\s+page\s+(?:useful|helpful)\??"
            r"|report\s+a\s+problem\s+(?:or\s+mistake\s+)?(?:on|with)\s+this\s+page\.?"
        ),
        follow=_FEEDBACK,
        gap=True,
    ),
    _Pattern("back-to-top", _ci(r"back\s+to\s+top|return\s+to\s+top")),
    _Pattern(
        "related-links",
        _ci(r"related\s+(?:content|links|pages|articles|news)|explore\s+the\s+topic"),
        follow=_NAME_LIKE,
        gap=True,
    ),
    _Pattern(
        "licence-footer",
        _ci(r"all\s+content\s+is\s+available\s+under\s+the\s+open\s+government\s+licence.{0,120}"),
    ),
    _Pattern("licence-footer", _ci(r"©\s*crown\s+copyright(?:\s+\d{4})?")),
)
_ANY_START = _ci("|".join(f"(?:{p.start.pattern})" for p in _FURNITURE))

#: Labels a publisher prints alone just above a title, and the document type
#: each means (``None``: a generic label; the title decides, else OTHER).
_LABELS: Final[dict[str, DocumentType | None]] = {
    "news story": DocumentType.NEWS_STORY,
    "news article": DocumentType.NEWS_STORY,
    "press release": DocumentType.PRESS_RELEASE,
    "media release": DocumentType.PRESS_RELEASE,
    "news release": DocumentType.PRESS_RELEASE,
    "release": DocumentType.PRESS_RELEASE,
    "immediate release": DocumentType.PRESS_RELEASE,
    "for immediate release": DocumentType.PRESS_RELEASE,
    "speech": DocumentType.SPEECH,
    "policy paper": DocumentType.POLICY_PAPER,
    "joint statement": DocumentType.JOINT_STATEMENT,
    "communiqué": DocumentType.COMMUNIQUE,
    "communique": DocumentType.COMMUNIQUE,
    "fact sheet": DocumentType.FACT_SHEET,
    "guidance": DocumentType.OTHER,
    "correspondence": DocumentType.OTHER,
    "statement to parliament": DocumentType.OTHER,
    "written statement to parliament": DocumentType.OTHER,
    "oral statement to parliament": DocumentType.OTHER,
    "notice": DocumentType.OTHER,
    "research and analysis": DocumentType.OTHER,
    "corporate report": DocumentType.OTHER,
    "independent report": DocumentType.OTHER,
    "transparency data": DocumentType.OTHER,
    "government response": DocumentType.OTHER,
    "case study": DocumentType.OTHER,
    "statement": None,
    "transcript": None,
    "readout": None,
}

#: Words by which a heading names a publication type, most specific first.
_TYPE_WORDS: Final[tuple[tuple[str, DocumentType], ...]] = (
    (r"joint\s+statement", DocumentType.JOINT_STATEMENT),
    (r"(?:joint\s+)?communiqu[eé]", DocumentType.COMMUNIQUE),
    (r"fact\s*sheet", DocumentType.FACT_SHEET),
    (r"vision", DocumentType.VISION),
    (r"(?:press|media|news)\s+release", DocumentType.PRESS_RELEASE),
    (r"policy\s+paper", DocumentType.POLICY_PAPER),
    (r"speech|remarks", DocumentType.SPEECH),
    (r"statement|declaration|read-?out|transcript|annex", DocumentType.OTHER),
)
_TYPE_ALTERNATIVES = "|".join(f"(?P<t{i}>{words})" for i, (words, _) in enumerate(_TYPE_WORDS))
_TYPE_AT_START = _ci(rf"(?:the\s+|a\s+)?(?:{_TYPE_ALTERNATIVES})\b")
_TYPE_AT_END = _ci(
    rf"\b(?:{_TYPE_ALTERNATIVES})(?:\s*[,:–—-]?\s*(?:{_DATE}|{_MONTH}\s+\d{{4}}|\d{{4}}"
    rf"|[ivx]+|\d+))?$"
)
_TYPE_BEFORE_OBJECT = _ci(
    rf"\b(?:{_TYPE_ALTERNATIVES})(?::|\s+(?:on|of|from|by|regarding|for|to|at|between|with)\b)"
)

# --- shapes of text --------------------------------------------------------------

_CLOSERS = "\"'”’»)]"
_FINAL = ".!?…\u3002\uff01\uff1f"  # and the ideographic full stop, fullwidth ! and ?
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+")
_BULLET = re.compile(r"[-*•·▪◦–—]\s")
_LETTER = re.compile(r"[^\W\d_]")
_LIST_MARKER = re.compile(r"(?:[a-z]{1,3}|[ivx]+)[.)]\s")
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.){2,}$")
_MAX_HEADING_WORDS: Final = 25


def _heading_text(text: str) -> str:
    return _MARKDOWN_HEADING.sub("", text, count=1) if text.startswith("#") else text


def _last_mark(text: str) -> str:
    """The last character, looking through closing quotes and brackets after a mark."""
    bare = text.rstrip(_CLOSERS)
    if bare and bare[-1] in _FINAL + ":;":
        return bare[-1]
    return text[-1] if text else ""


def _ends_clause(text: str) -> bool:
    return _last_mark(text) in _FINAL + ":;"


def _is_heading(text: str, *, lenient: bool = False) -> bool:
    """A heading: one short line, not starting lowercase, not ending a sentence.

    *lenient* (for a capture's first line of text) also accepts a question or
    exclamation, or an ending abbreviation like ``U.S.``.
    """
    text = _heading_text(text)
    if not text or len(text) > _SHORT or text[0].islower() or _BULLET.match(text):
        return False
    if _LETTER.search(text) is None or len(text.split()) > _MAX_HEADING_WORDS:
        return False
    mark = _last_mark(text)
    if mark in ":;,":
        return False
    if mark in _FINAL:
        return lenient and (mark in "?!" or _ABBREVIATION_END.search(text) is not None)
    return True


@frozen
class _TypeName:
    document_type: DocumentType
    words: str
    bare: bool  # the heading is the single type word and nothing else


def _named_type(heading: str) -> _TypeName | None:
    """The publication type *heading* names, if it names one.

    It must begin with the type words ("Joint Statement on ..."), or end with
    them capitalised, perhaps followed by a date or number ("CSpO Vision 2031"),
    or have them capitalised before what they are about ("... Statement on
    ..."). A headline that merely mentions one ("UK publishes vision for ...")
    does not name one.
    """
    text = _heading_text(heading)
    found = _TYPE_AT_START.match(text)
    if found is None:
        found = next(
            (
                match
                for regex in (_TYPE_AT_END, _TYPE_BEFORE_OBJECT)
                for match in regex.finditer(text)
                if match[match.lastgroup or 0][0].isupper()
            ),
            None,
        )
    if found is None or found.lastgroup is None:
        return None
    words = found[found.lastgroup]
    kind = _TYPE_WORDS[int(found.lastgroup[1:])][1]
    bare = " " not in words and re.sub(r"^(?:the|a)\s+", "", text, flags=re.I) == words
    return _TypeName(kind, words, bare)


def _key(text: str) -> str:
    return " ".join(_heading_text(text).casefold().split())


def _quote(text: str, limit: int = 70) -> str:
    return f"'{text}'" if len(text) <= limit else f"'{text[: limit - 3]}...'"


def _line_range(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"


# --- parsing ---------------------------------------------------------------------


@frozen
class _Stated:
    role: Literal["published", "updated"]
    date: dt.date | None
    quote: str
    first: int  # line numbers
    last: int
    publication: int | None  # index of the publication it belongs to; None: the page


@define
class _Block:
    lines: list[int]  # indices into _Parse.lines
    kind: str = "text"  # text | heading | label | date (may change as roles are settled)


@define
class _Pub:
    heading: int  # block index
    reasons: list[str] = attrs.Factory(list)
    labels: list[int] = attrs.Factory(list)  # label blocks above it


class _Parse:
    """The state of one ingest: lines, furniture found, blocks and their roles."""

    def __init__(self, decoded: Decoded, source: str) -> None:
        self.source = source
        self.lines = _split_lines(decoded.text, source)
        self.furniture: list[tuple[Furniture, str]] = []  # with a note for the steps
        self.stated: list[_Stated] = []
        self.undated: list[tuple[int, str]] = []  # (line, step) for dates not understood
        self.line_mode = self._no_blank_lines()
        self._last_index: dict[str, int] | None = None

    def last_index(self, key: str) -> int:
        """The last line whose key (see :func:`_key`) is *key*, or -1."""
        if self._last_index is None:  # only contents lists need it: built on demand
            self._last_index = {}
            for index, line in enumerate(self.lines):
                if line.text and len(line.text) <= _SHORT:
                    self._last_index[_key(_ENTRY_PREFIX.sub("", line.text))] = index
        return self._last_index.get(key, -1)

    # furniture found by its lines -------------------------------------------------

    def _no_blank_lines(self) -> bool:
        filled = [i for i, line in enumerate(self.lines) if line.text]
        if len(filled) < 3:
            return False
        return all(self.lines[i].text for i in range(filled[0], filled[-1] + 1))

    def _blank(self, index: int) -> bool:
        return not self.lines[index].text

    def _starts(self, index: int) -> _Pattern | None:
        text = self.lines[index].text
        if not text or len(text) > _SHORT or _ANY_START.fullmatch(text) is None:
            return None
        return next((p for p in _FURNITURE if p.start.fullmatch(text)), None)

    def find_line_furniture(self) -> None:
        index = 0
        while index < len(self.lines):
            pattern = self._starts(index)
            last = None if pattern is None else self._extent(pattern, index)
            if pattern is None or last is None:
                index += 1
                continue
            self._mark(pattern.kind, index, last)
            if pattern.dates is not None:
                self._collect_dates(pattern, index, last)
            index = last + 1

    def _extent(self, pattern: _Pattern, first: int) -> int | None:
        last, taken, index = first, 0, first + 1
        seen: set[str] = set()
        after_date = False
        while pattern.follow is not None and index < len(self.lines) and taken < pattern.limit:
            if self._blank(index):
                if not pattern.gap or self.lines[index].kind is not None:
                    break
                index += 1
                continue
            text = self.lines[index].text
            fits = len(text) <= _SHORT and pattern.follow.fullmatch(text) is not None
            if fits and not pattern.absorb and self._starts(index) is not None:
                break
            if fits and pattern.reappear:
                key = _key(_ENTRY_PREFIX.sub("", text))
                fits = key not in seen and self.last_index(key) > index
                seen.add(key)
            if not fits:
                is_note = (
                    pattern.notes
                    and after_date
                    and len(text) <= _SHORT
                    and len(text.split()) <= 40
                    and self._starts(index) is None
                )
                if not is_note:
                    break
            after_date = fits and _DATE_RE.fullmatch(text.rstrip(".")) is not None
            last, taken, index = index, taken + 1, index + 1
        if pattern.needs_follow and taken == 0:
            return None
        if pattern.paragraph is not None:
            nxt = next((i for i in range(last + 1, len(self.lines)) if not self._blank(i)), None)
            if nxt is not None and pattern.paragraph.match(self.lines[nxt].text):
                last = nxt
                while (
                    not self.line_mode and last + 1 < len(self.lines) and not self._blank(last + 1)
                ):
                    last += 1
        return last

    def _mark(self, kind: str, first: int, last: int, note: str = "") -> None:
        texts = []
        for line in self.lines[first : last + 1]:
            line.kind = kind
            if line.norm:
                texts.append(line.norm)
        span = (self.lines[first].number, self.lines[last].number)
        self.furniture.append((Furniture(kind, span, "\n".join(texts)), note))

    def _collect_dates(self, pattern: _Pattern, first: int, last: int) -> None:
        previous: _Line | None = None
        filled = [line for line in self.lines[first : last + 1] if line.text]
        for position, line in enumerate(filled):
            match = _DATE_RE.search(line.text)
            if match is None:
                previous = line
                continue
            before = line.text[: match.start()].strip()
            after = line.text[match.end() :].strip(" .")
            quote, first_number = line.text, line.number
            keyword = before
            if not before and previous is not None and _DATE_KEYWORD.fullmatch(previous.text):
                keyword, quote, first_number = (
                    previous.text,
                    f"{previous.text} {line.text}",
                    (previous.number),
                )
            role: Literal["published", "updated"] | None
            if re.match(_PUBLISHED, keyword, re.I) or re.match(r"releas", keyword, re.I):
                role = "published"
            elif re.match(_UPDATED, keyword, re.I):
                role = "updated"
            elif keyword:
                role = None
            elif pattern.dates == "history":
                note = after or (filled[position + 1].text if position + 1 < len(filled) else "")
                role = "published" if re.search(r"first\s+published", note, re.I) else "updated"
            else:
                role = "published" if pattern.dates == "published" else "updated"
            if role is not None:
                self.state(role, match.group(), quote, first_number, line.number, None)
            previous = line

    def state(
        self,
        role: Literal["published", "updated"],
        date_text: str,
        quote: str,
        first: int,
        last: int,
        publication: int | None,
    ) -> None:
        date = _parse_date(date_text)
        if date is None:
            step = (
                f"date not used: {_quote(date_text)} ({_line_range(first, last)}) is ambiguous "
                f"(day and month order) or impossible"
            )
            self.undated.append((first, step))
        self.stated.append(_Stated(role, date, quote, first, last, publication))

    # blocks and their roles -------------------------------------------------------

    def blocks(self) -> list[_Block]:
        blocks: list[_Block] = []
        current: list[int] = []
        for index, line in enumerate(self.lines):
            if not line.text or line.kind is not None or (self.line_mode and current):
                if current:
                    blocks.append(_Block(current))
                current = []
            if line.text and line.kind is None:
                current.append(index)
        if current:
            blocks.append(_Block(current))
        for block in blocks:
            block.kind = self._classify(block)
        # A short line whose sentence goes on in the next block is a broken
        # paragraph, not a heading (the first heading is kept: it is the title).
        headings = [b for b in blocks if b.kind == "heading"]
        for block, nxt in pairwise(blocks):
            if block.kind == "heading" and block is not headings[0] and _continues(nxt, self):
                block.kind = "text"
        return blocks

    def text_of(self, block: _Block) -> str:
        return self.lines[block.lines[0]].text

    def _classify(self, block: _Block) -> str:
        if len(block.lines) > 1:
            return "text"
        text = self.text_of(block)
        if text.rstrip(":").casefold() in _LABELS:
            return "label"
        if _DATE_RE.fullmatch(text.rstrip(".")):
            return "date"
        return "heading" if _is_heading(text) else "text"

    def numbers(self, block: _Block) -> tuple[int, int]:
        return self.lines[block.lines[0]].number, self.lines[block.lines[-1]].number

    def drop(self, block: _Block, kind: str, note: str = "") -> None:
        self._mark(kind, block.lines[0], block.lines[-1], note)
        block.kind = "furniture"


def _settle_labels(parse: _Parse, blocks: list[_Block]) -> dict[int, list[int]]:
    """Confirm labels (a label is just above a heading); return heading -> labels."""
    labelled: dict[int, list[int]] = {}
    following: list[int | None] = [None] * len(blocks)  # next block not a label or date
    nxt: int | None = None
    for index in range(len(blocks) - 1, -1, -1):
        following[index] = nxt
        if blocks[index].kind not in {"label", "date"}:
            nxt = index
    for index, block in enumerate(blocks):
        if block.kind != "label":
            continue
        nxt = following[index]
        if nxt is not None and blocks[nxt].kind == "heading":
            labelled.setdefault(nxt, []).append(index)
        else:
            block.kind = "heading" if _is_heading(parse.text_of(block)) else "text"
    return labelled


def _no_text_error(parse: _Parse, found: str) -> IngestError:
    msg = f"no publication text found in {parse.source}: {found}"
    return IngestError(msg, source=parse.source)


def _found_furniture(parse: _Parse) -> str:
    if not parse.furniture:
        return "the capture is only white space"
    parts = [
        f"{f.kind} ({_line_range(*f.lines)})" for f, _ in sorted(parse.furniture, key=_order)[:8]
    ]
    more = len(parse.furniture) - len(parts)
    listed = "; ".join(parts) + (f" and {more} more" if more > 0 else "")
    return f"the capture holds only page furniture ({listed}) and white space"


def _order(item: tuple[Furniture, str]) -> tuple[int, int]:
    return item[0].lines


def _choose_title(parse: _Parse, blocks: list[_Block], labelled: dict[int, list[int]]) -> int:
    """Return the block index of the first publication's title."""
    first_text = next((i for i, b in enumerate(blocks) if b.kind == "text"), len(blocks))
    first_label = next((i for i, b in enumerate(blocks[:first_text]) if b.kind == "label"), None)
    if first_label is not None:
        title = next(h for h, labels in labelled.items() if first_label in labels)
        for block in blocks[:first_label]:
            if block.kind == "heading":
                parse.drop(block, "page-header", "above the document-type label")
        return title
    for index, block in enumerate(blocks):
        if block.kind == "date":
            continue
        if block.kind == "heading" or (
            len(block.lines) == 1 and _is_heading(parse.text_of(block), lenient=True)
        ):
            block.kind = "heading"
            return index
        first, _ = parse.numbers(block)
        msg = (
            f"no title found in {parse.source}: the first text after page furniture "
            f"(line {first}: {_quote(parse.text_of(block))}) is not a one-line heading; "
            f"a capture must begin with the title of the publication it holds"
        )
        raise IngestError(msg, source=parse.source)
    raise _no_text_error(parse, _found_furniture(parse))


def _attachment_titles(parse: _Parse, blocks: list[_Block], title: int) -> dict[int, int]:
    """Find headings repeated later with no text after them: repeat -> first occurrence."""
    first_of: dict[str, int] = {}
    repeat_of: dict[int, int] = {}
    for index in range(title, len(blocks)):
        if blocks[index].kind != "heading":
            continue
        key = _key(parse.text_of(blocks[index]))
        if key in first_of:
            repeat_of[index] = first_of[key]
        else:
            first_of[key] = index
    # Right to left: is the next block that matters (not a repeat, label or date)
    # text? A repeat followed by text is a recurring sub-heading, not an attachment.
    attachments: dict[int, int] = {}
    text_follows = False
    for index in range(len(blocks) - 1, title, -1):
        block = blocks[index]
        if index in repeat_of:
            if not text_follows:
                attachments[index] = repeat_of[index]
            continue
        if block.kind in {"label", "date", "furniture"}:
            continue
        text_follows = block.kind == "text"
    return attachments


def _publications(
    parse: _Parse, blocks: list[_Block], title: int, labelled: dict[int, list[int]]
) -> list[_Pub]:
    attachments = _attachment_titles(parse, blocks, title)
    repeated_at: dict[int, int] = {}
    for repeat, original in attachments.items():
        repeated_at.setdefault(original, repeat)
        line = parse.numbers(blocks[original])[0]
        parse.drop(blocks[repeat], "attachment-title", f"repeats the heading of line {line}")
    pubs = [_Pub(title, ["the first heading"], labelled.get(title, []))]
    for index in range(title + 1, len(blocks)):
        block = blocks[index]
        if block.kind != "heading":
            continue
        reasons = []
        labels = labelled.get(index, [])
        if labels:
            reasons.append(f"below the label {_quote(parse.text_of(blocks[labels[0]]))}")
        named = _named_type(parse.text_of(block))
        if named is not None and not named.bare:
            reasons.append(f"names a publication type ({_quote(named.words)})")
        if index in repeated_at:
            line = parse.numbers(blocks[repeated_at[index]])[0]
            reasons.append(f"repeated at line {line} as an attachment title")
        if reasons:
            pubs.append(_Pub(index, reasons, labels))
    # A candidate with no text before the next candidate is no publication. What
    # follows it stays with the publication before it; if there is none yet, its
    # headings belong to no publication.
    kept: list[_Pub] = []
    for number, pub in enumerate(pubs):
        end = pubs[number + 1].heading if number + 1 < len(pubs) else len(blocks)
        if any(b.kind == "text" for b in blocks[pub.heading + 1 : end]):
            kept.append(pub)
        elif kept:
            parse.drop(blocks[pub.heading], "attachment-title", "no text follows it")
        else:
            for block in blocks[pub.heading : end]:
                if block.kind == "heading":
                    parse.drop(block, "heading-without-text", "no text follows it")
    if not kept:
        block = blocks[title]
        found = (
            f"the heading {_quote(parse.text_of(block))} (line {parse.numbers(block)[0]}) "
            f"has no text after it"
        )
        raise _no_text_error(parse, found)
    return kept


def _datelines(parse: _Parse, blocks: list[_Block], pubs: list[_Pub], title: int) -> None:
    """Dates just below a publication's heading, or between its label and its heading
    (or above the first title), are its date; other dates are text."""
    starts = {pub.heading: number for number, pub in enumerate(pubs)}
    labelled = {
        index: number
        for number, pub in enumerate(pubs)
        for index in range(min(pub.labels, default=pub.heading), pub.heading)
    }
    back = -1  # the last block before this one that is not a date, label or furniture
    for index, block in enumerate(blocks):
        if block.kind != "date":
            if block.kind not in {"furniture", "label"}:
                back = index
            continue
        owner = 0 if index < title or back < title else starts.get(back, labelled.get(index))
        if owner is None:
            block.kind = "text"
            back = index
            continue
        line = parse.lines[block.lines[0]]
        parse.state("published", line.text, line.text, line.number, line.number, owner)
        parse.drop(block, "dateline", f"the date of publication {owner + 1}")
    for block in blocks:
        if block.kind == "label":
            parse.drop(block, "document-type-label")


def _continues(block: _Block, parse: _Parse) -> bool:
    """Whether *block* begins lowercase, continuing a sentence (not a list item)."""
    text = parse.text_of(block)
    return text[0].islower() and _LIST_MARKER.match(text) is None


#: A paragraph as its lines, each line as the pieces it is made of: broken
#: paragraphs are rejoined by adding pieces, joined with spaces once at the end
#: (joining strings one by one would copy the text again at every rejoin).
_Paragraph = list[list[str]]


def _join(paragraphs: list[_Paragraph], block_lines: list[str]) -> None:
    paragraphs[-1][-1].append(block_lines[0])
    paragraphs[-1].extend([line] for line in block_lines[1:])


def _paragraph_text(paragraph: _Paragraph) -> str:
    return "\n".join(" ".join(pieces) for pieces in paragraph)


def _body(parse: _Parse, body: Sequence[_Block]) -> tuple[list[_Paragraph], list[str], list[_Line]]:
    """Paragraphs of a publication's text, with broken paragraphs rejoined."""
    paragraphs: list[_Paragraph] = []
    steps: list[str] = []
    used: list[_Line] = []
    previous: _Block | None = None
    for block in body:
        lines = [parse.lines[i] for i in block.lines]
        used.extend(lines)
        texts = [line.text for line in lines]
        if (
            previous is not None
            and not _ends_clause(paragraphs[-1][-1][-1])
            and _continues(block, parse)
        ):
            before = parse.lines[previous.lines[-1]].number
            steps.append(
                f"rejoin paragraph broken mid-sentence ({_line_range(before, lines[0].number)})"
            )
            _join(paragraphs, texts)
        else:
            paragraphs.append([[text] for text in texts])
        previous = block
    return paragraphs, steps, used


def _count_targets(lines: Iterable[_Line]) -> str:
    counts = Counter(target for line in lines for target in line.dead)
    return ", ".join(f"{_quote(target)} x{n}" for target, n in counts.items())


def _decode_step(decoded: Decoded, given: bool) -> str:
    if given:
        how = "given by the caller"
    elif decoded.detected:
        how = "detected; the bytes are not UTF-8"
    elif decoded.replacement_characters:
        how = "mostly valid"
    else:
        how = "strict"
    if decoded.bom:
        how += "; byte-order mark removed"
    count = decoded.replacement_characters
    if count:
        how += f"; {count} undecodable byte sequence{'s' if count > 1 else ''} replaced by U+FFFD"
    return f"decode: {decoded.encoding} ({how})"


def _normalise_step(text: str) -> str:
    crlf = text.count("\r\n")
    endings = [name for name, n in (("CRLF", crlf), ("CR", text.count("\r") - crlf)) if n]
    lf = "LF line endings" + (f" (the capture had {' and '.join(endings)})" if endings else "")
    feeds = ", form feeds read as paragraph breaks" if "\x0c" in text else ""
    return (
        f"normalise: NFC, {lf}, white space at line ends removed, "
        f"runs of blank lines collapsed{feeds}"
    )


def _document_type(
    parse: _Parse, blocks: list[_Block], pub: _Pub, title: str
) -> tuple[DocumentType | None, str]:
    generic: str | None = None
    for label in pub.labels:
        text = parse.text_of(blocks[label])
        line = parse.numbers(blocks[label])[0]
        kind = _LABELS[text.rstrip(":").casefold()]
        if kind is not None:
            return kind, f"document type: {kind.value}, from the label {_quote(text)} (line {line})"
        generic = generic or f"the label {_quote(text)} (line {line})"
    named = _named_type(title)
    if named is not None:
        return named.document_type, (
            f"document type: {named.document_type.value}, from the title ({_quote(named.words)})"
        )
    if generic is not None:
        return DocumentType.OTHER, f"document type: other, from {generic}"
    return None, "document type: unknown (no label, and the title names no publication type)"


@frozen
class _Dates:
    """The dates a capture states, gathered once for all its publications."""

    page: tuple[_Stated, dt.date] | None  # the page's first stated publication date
    own: dict[int, tuple[_Stated, dt.date]]  # a publication's own date line
    updates: tuple[dt.date, ...]  # the page's updates, sorted, without repeats

    @classmethod
    def of(cls, parse: _Parse) -> _Dates:
        page: tuple[_Stated, dt.date] | None = None
        own: dict[int, tuple[_Stated, dt.date]] = {}
        updates: set[dt.date] = set()
        for stated in parse.stated:
            if stated.date is None:
                continue
            if stated.role == "updated":
                updates.add(stated.date)
            elif stated.publication is not None:
                own.setdefault(stated.publication, (stated, stated.date))
            elif page is None:
                page = (stated, stated.date)
        return cls(page, own, tuple(sorted(updates)))

    def of_publication(
        self, number: int, total: int
    ) -> tuple[PublishedDate | None, tuple[dt.date, ...], list[str]]:
        """Publication *number*'s date (its own date line, else the page's) and updates."""
        steps = []
        published: PublishedDate | None = None
        chosen = self.own.get(number, self.page)
        if chosen is not None:
            stated, date = chosen
            where = _line_range(stated.first, stated.last)
            note = f"stated in the capture: {_quote(stated.quote, 200)} ({where})"
            if stated.publication is None and total > 1:
                note += "; the date of the page, which applies to every publication on it"
            published = PublishedDate(date, DateSource.STATED, note)
            steps.append(f"published: {date.isoformat()} ({note})")
        updates = self.updates
        if published is not None:
            early = [d.isoformat() for d in updates if d < published.value]
            if early:
                ignored = ", ".join(early)
                steps.append(f"updated: ignored {ignored} (earlier than the published date)")
            updates = tuple(d for d in updates if d >= published.value)
        if updates:
            steps.append("updated: " + ", ".join(d.isoformat() for d in updates))
        return published, updates, steps


def ingest(data: bytes, *, name: str | None = None, encoding: str | None = None) -> Capture:
    """Decode a capture and find the publications in it.

    *name* (a file name or label) is recorded and used in messages;
    *encoding* overrides detection (see :func:`decode`). The rules are those
    of this module's docstring. Every line of the capture ends up either in
    exactly one publication (its title or text) or in
    :attr:`Capture.furniture`; nothing else is dropped.

    Each publication's :attr:`~Publication.steps` say, one line each, how its
    text was made: decoding, normalisation, every removal (a removal is told
    in the steps of the first publication that ends at or after it, or of the
    last one), rejoined paragraphs, how the title, document type and dates
    were found, and where the capture was split.

    Raises :class:`~cspo_archive.exceptions.UndecodableContentError` for bytes
    that are not text, and :class:`~cspo_archive.exceptions.IngestError` for a
    capture with no publication in it: empty, only white space or furniture,
    no title, or a title with no text after it; and for one with more than
    :data:`MAX_LINES` lines of text (memory stays bounded whatever the shape).
    """
    source = name if name is not None else "<capture>"
    decoded = decode(data, encoding=encoding, source=source)
    common = [_decode_step(decoded, encoding is not None), _normalise_step(decoded.text)]
    parse = _Parse(decoded, source)
    # From here on the lines hold all that is needed of the text: let it go, so a
    # large capture is not held twice (memory is measured in the reliability suite).
    decoded = attrs.evolve(decoded, text="")
    parse.find_line_furniture()
    blocks = parse.blocks()
    if not blocks:
        raise _no_text_error(parse, _found_furniture(parse))
    labelled = _settle_labels(parse, blocks)
    title = _choose_title(parse, blocks, labelled)
    pubs = _publications(parse, blocks, title, labelled)
    _datelines(parse, blocks, pubs, title)

    drafts = _drafts(parse, blocks, pubs)
    for line in parse.lines:
        if line.dead and line.kind is None:
            span = (line.number, line.number)
            parse.furniture.extend((Furniture("link-target", span, t), "") for t in line.dead)
    parse.furniture.sort(key=_order)
    # Each removal is told in the steps of one publication: the first that
    # ends at or after it (the last one for what follows them all).
    ends = [draft.span[1] for draft in drafts]
    notes: list[list[str]] = [[] for _ in drafts]
    for item, note in parse.furniture:
        if item.kind != "link-target":
            first_line = item.text.split("\n", 1)[0]
            notes[min(bisect_left(ends, item.lines[0]), len(ends) - 1)].append(
                f"remove furniture: {item.kind} ({_line_range(*item.lines)}) "
                f"{_quote(first_line, 60)}" + (f": {note}" if note else "")
            )
    for line_number, step in parse.undated:
        notes[min(bisect_left(ends, line_number), len(ends) - 1)].append(step)
    if parse.line_mode:
        common.append("paragraphs: one per line (the capture has no blank lines)")
    dates = _Dates.of(parse)
    made = [
        _publication(parse, blocks, draft, number, len(drafts), [*common, *notes[number]], dates)
        for number, draft in enumerate(drafts)
    ]
    furniture = tuple(item for item, _ in parse.furniture)
    # The line records are not needed any more: free them before the texts are
    # joined and made canonical (which copies each text a few times), so a large
    # capture never has its lines and its texts in memory at once.
    del parse, blocks, drafts, pubs, labelled
    publications = []
    while made:
        paragraphs, make = made.pop(0)
        raw = "\n\n".join(_paragraph_text(p) for p in paragraphs)
        del paragraphs
        publications.append(make(text=canonicalize(raw)))
        del raw
    return Capture(
        digest=sha256_digest(bytes(data)),
        name=name,
        encoding=decoded.encoding,
        bom=decoded.bom,
        replacement_characters=decoded.replacement_characters,
        detected_encoding=decoded.detected,
        publications=tuple(publications),
        furniture=furniture,
    )


@frozen
class _Draft:
    pub: _Pub
    head: _Line  # the title line
    body: list[_Block]  # never empty
    span: tuple[int, int]  # line numbers, title to last line of text


def _drafts(parse: _Parse, blocks: list[_Block], pubs: list[_Pub]) -> list[_Draft]:
    """Each publication's heading and the blocks of its text."""
    drafts = []
    for number, pub in enumerate(pubs):
        end = len(blocks)
        if number + 1 < len(pubs):
            following = pubs[number + 1]
            end = min([following.heading, *following.labels])
        body = [b for b in blocks[pub.heading + 1 : end] if b.kind in {"text", "heading", "date"}]
        head = parse.lines[blocks[pub.heading].lines[0]]
        span = (head.number, parse.lines[body[-1].lines[-1]].number)
        drafts.append(_Draft(pub, head, body, span))
    return drafts


def _publication(
    parse: _Parse,
    blocks: list[_Block],
    draft: _Draft,
    number: int,
    total: int,
    steps: list[str],
    dates: _Dates,
) -> tuple[list[_Paragraph], functools.partial[Publication]]:
    """Assemble publication *number* of *total*; *steps* are those made so far.

    Returns its paragraphs, and the Publication to make from their text.
    """
    head, span = draft.head, draft.span
    title = _heading_text(head.text)
    paragraphs, rejoins, used = _body(parse, draft.body)
    own_lines = [head, *used]
    dead = _count_targets(own_lines)
    if dead:
        count = sum(len(line.dead) for line in own_lines)
        steps.append(f"remove link targets: {count} ({dead})")
    links = tuple(link for line in own_lines for link in line.links)
    if links:
        steps.append(f"keep link targets: {len(links)} (in links)")
    steps.extend(rejoins)
    steps.append(f"title: line {head.number} ({'; '.join(draft.pub.reasons)})")
    document_type, type_step = _document_type(parse, blocks, draft.pub, title)
    steps.append(type_step)
    published, updated, date_steps = dates.of_publication(number, total)
    steps.extend(date_steps)
    if total > 1:
        steps.append(
            f"split: publication {number + 1} of {total} starts at line "
            f"{head.number} (heading {_quote(title, 60)})"
        )
    plural = "s" if len(paragraphs) > 1 else ""
    steps.append(f"text: {len(paragraphs)} paragraph{plural}, {_line_range(*span)}")
    last = parse.lines[draft.body[-1].lines[-1]]
    return paragraphs, functools.partial(
        Publication,
        title=title,
        document_type=document_type,
        published=published,
        updated=updated,
        lines=span,
        characters=(head.start, last.end),
        steps=tuple(steps),
        links=links,
    )


# ``from cspo_archive import ingest`` is this function even when the name is bound to
# this module (see cspo_archive._callable).
from cspo_archive._callable import make_module_callable  # noqa: E402

make_module_callable(__name__, ingest)
