"""What a source reader gives the pipeline: an :class:`Extraction`.

Each kind of capture (plain text, HTML, PDF, GOV.UK Content API JSON) has a
reader, ``read_<kind>(data, source) -> Extraction``, that turns the capture's
bytes into plain text the line pipeline reads (paragraphs and headings
separated by blank lines) and collects what the page states about itself
(:class:`PageFacts`), each fact with where it was found. Containers (WARC,
a URL's response) give captures, each then read by its kind's reader.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from typing import Any

import attrs
from attrs import field, frozen

from cspo_archive._validators import (
    fail,
    instance,
    optional_instance,
    optional_text_line,
    optional_url,
    text_line,
    to_tuple,
    tuple_of,
)
from cspo_archive.model import DocumentType

__all__ = ["Extraction", "PageFacts", "Stated", "pages_of"]


def _value(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, str | dt.date | DocumentType):
        fail(attribute, value, "a str, a datetime.date or a DocumentType")
    if isinstance(value, str):
        text_line(_inst, attribute, value)


@frozen
class Stated:
    """One fact a page states about itself, and exactly where it states it.

    ``where`` names the place so a reader can check it: ``"<meta
    property='og:title'>"``, ``"Content API field first_published_at"``,
    ``"<time datetime='2025-03-04'>"``.
    """

    value: str | dt.date | DocumentType = field(validator=_value)
    where: str = field(validator=text_line)


@frozen
class PageFacts:
    """What a page states about itself, outside its text (every field optional)."""

    title: Stated | None = field(default=None, validator=optional_instance(Stated, "a Stated"))
    published: Stated | None = field(default=None, validator=optional_instance(Stated, "a Stated"))
    updated: tuple[Stated, ...] = field(
        default=(), converter=to_tuple, validator=tuple_of(Stated, "a tuple of Stated")
    )
    document_type: Stated | None = field(
        default=None, validator=optional_instance(Stated, "a Stated")
    )
    canonical_url: str | None = field(default=None, validator=optional_url)
    language: str | None = field(default=None, validator=optional_text_line)
    publisher: str | None = field(default=None, validator=optional_text_line)
    #: Change notes the page carries, oldest first: (date, note).
    change_notes: tuple[tuple[dt.date, str], ...] = field(default=(), converter=to_tuple)


@frozen
class Extraction:
    """A capture's text as a reader extracted it, with the page's own facts.

    ``text`` holds paragraphs and headings separated by blank lines; the
    pipeline removes furniture, finds titles and splits publications in it.
    Line numbers in provenance then count lines of this text, and
    ``media_type`` and ``extractor`` say how it was made from the bytes.
    ``page_starts`` (PDF) are the character offsets in ``text`` where each
    page begins, page 1 first. ``steps`` say what the reader did (each a
    line, as in provenance: "extract: ...", "remove furniture: ...").
    """

    text: str = field(validator=instance(str, "a str"))
    media_type: str = field(validator=text_line)
    #: ``<name> <version>`` of what extracted the text, e.g. ``trafilatura 2.0.0``.
    extractor: str = field(validator=text_line)
    encoding: str = field(validator=text_line)
    facts: PageFacts = field(factory=PageFacts)
    steps: tuple[str, ...] = field(default=(), converter=to_tuple)
    page_starts: tuple[int, ...] = field(default=(), converter=to_tuple)
    #: U+FFFD characters made while decoding the bytes.
    replacement_characters: int = 0
    #: A byte-order mark was present and removed.
    bom: bool = False
    #: The encoding was guessed (see :func:`~cspo_archive.ingestion.decode`).
    detected_encoding: bool = False


def pages_of(page_starts: tuple[int, ...], start: int, end: int) -> tuple[int, int]:
    """The first and last page (1-based) that characters [*start*, *end*) fall on, given
    where each page starts (:attr:`Extraction.page_starts`). An empty span is on the page
    of *start*."""
    first = max(1, bisect_right(page_starts, start))
    last = max(first, bisect_right(page_starts, max(start, end - 1)))
    return first, last
