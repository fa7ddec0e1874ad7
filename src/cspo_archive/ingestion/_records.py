"""The records ingest returns: a :class:`Decoded` text, the :class:`Furniture` removed,
the :class:`Publication` found and the :class:`Ingested` holding them."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import attrs
from attrs import field, frozen

from cspo_archive._lazy_re import LazyPattern
from cspo_archive._validators import (
    canonical_text,
    digest,
    fail,
    instance,
    non_negative,
    optional_instance,
    optional_text_line,
    span,
    steps,
    text_line,
    to_tuple,
    tuple_of,
    updated_dates,
)
from cspo_archive.exceptions import IngestError
from cspo_archive.ingestion._source import PageFacts, pages_of
from cspo_archive.model import DocumentType, Fetch, Provenance, PublishedDate

#: The version of ingest's own rules (lines, furniture, titles, splitting). It is
#: raised whenever they read some capture differently, and recorded in provenance.
INGEST_VERSION: Final = "2"


# --- validators ------------------------------------------------------------------


def _line_span(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    span(inst, attribute, value)
    assert isinstance(value, tuple)
    if value[0] < 1:
        fail(attribute, value, "a (first, last) pair of 1-based line numbers")


_KIND_RE = LazyPattern(r"[a-z]+(?:-[a-z]+)*")


def _kind(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or _KIND_RE.fullmatch(value) is None:
        fail(attribute, value, "a lowercase hyphenated kind like 'page-history'")


def _links(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or any(
        not isinstance(v, tuple) or len(v) != 2 or not all(isinstance(s, str) for s in v)
        for v in value
    ):
        fail(attribute, value, "a tuple of (link text, target) pairs of str")


# --- records ---------------------------------------------------------------------


@frozen
class Decoded:
    """The text of a capture, and how its bytes were read (see :func:`decode`)."""

    #: The decoded text, not yet normalised (line breaks as they were).
    text: str = field(validator=instance(str, "a str"))
    #: The codec actually used, as Python names it: ``utf-8``, ``utf-16``, ``cp1252``...
    encoding: str = field(validator=text_line)
    #: A byte-order mark was present and removed.
    bom: bool = field(validator=instance(bool, "a bool"))
    #: U+FFFD characters produced by decoding (0 for a clean decode).
    replacement_characters: int = field(validator=non_negative)
    #: The encoding was guessed: not UTF-8, not given by the caller, no byte-order mark.
    detected: bool = field(validator=instance(bool, "a bool"))


@frozen
class Furniture:
    """One block of page furniture removed from a capture."""

    #: What it is: ``page-history``, ``accessible-format``, ``link-target``...
    kind: str = field(validator=_kind)
    #: First and last line in the decoded capture (1-based, inclusive).
    lines: tuple[int, int] = field(converter=to_tuple, validator=_line_span)
    #: The removed text (for link targets, the removed ``(#)``).
    text: str = field(validator=instance(str, "a str"))


@frozen
class Publication:
    """One publication found in a capture.

    ``lines`` (1-based, inclusive) and ``characters`` (0-based, half-open,
    into :attr:`Decoded.text`) span the title through the last line of text.
    """

    title: str = field(validator=text_line)
    #: Canonical text, without the title.
    text: str = field(validator=canonical_text)
    document_type: DocumentType | None = field(
        validator=optional_instance(DocumentType, "a DocumentType")
    )
    published: PublishedDate | None = field(
        validator=optional_instance(PublishedDate, "a PublishedDate")
    )
    updated: tuple[dt.date, ...] = field(converter=to_tuple, validator=updated_dates)
    lines: tuple[int, int] = field(converter=to_tuple, validator=_line_span)
    characters: tuple[int, int] = field(converter=to_tuple, validator=span)
    steps: tuple[str, ...] = field(converter=to_tuple, validator=steps)
    links: tuple[tuple[str, str], ...] = field(converter=to_tuple, validator=_links)


@frozen
class Ingested:
    """What ingest made of a capture (the bytes as received): its text as read, the
    publications found in it, the furniture removed, and how it was read."""

    #: ``sha256:<hex>`` of the raw bytes.
    digest: str = field(validator=digest)
    name: str | None = field(validator=optional_text_line)
    encoding: str = field(validator=text_line)
    bom: bool = field(validator=instance(bool, "a bool"))
    replacement_characters: int = field(validator=non_negative)
    detected_encoding: bool = field(validator=instance(bool, "a bool"))
    publications: tuple[Publication, ...] = field(
        converter=to_tuple, validator=tuple_of(Publication, "a tuple of Publication")
    )
    furniture: tuple[Furniture, ...] = field(
        converter=to_tuple, validator=tuple_of(Furniture, "a tuple of Furniture")
    )
    #: The capture's kind, recognised from its bytes: ``text/plain``, ``text/html``,
    #: ``application/pdf``, ``application/json`` (a GOV.UK Content API document).
    media_type: str = field(default="text/plain", validator=text_line)
    #: What made the text from the bytes, with versions (see :data:`INGEST_VERSION`).
    extractor: str = field(default=f"cspo-archive-ingest {INGEST_VERSION}", validator=text_line)
    #: What the page states about itself outside its text (HTML metadata, Content API
    #: fields, PDF document information).
    facts: PageFacts = field(factory=PageFacts, validator=instance(PageFacts, "a PageFacts"))
    #: PDF: where each page starts in the extracted text (character offsets).
    page_starts: tuple[int, ...] = field(default=(), converter=to_tuple)
    #: How the bytes were fetched, when they came from a URL or a WARC record.
    fetch: Fetch | None = field(default=None, validator=optional_instance(Fetch, "a Fetch"))

    @publications.validator
    def _some(self, attribute: attrs.Attribute[Any], value: tuple[Publication, ...]) -> None:
        if not value:
            fail(attribute, value, "at least one publication")

    def provenance(
        self, publication: Publication, *, capture_method: str, record_extractor: bool = True
    ) -> Provenance:
        """Return the :class:`~cspo_archive.model.Provenance` of *publication*.

        *capture_method* says how the bytes were obtained (for example
        ``"text capture of the GOV.UK page"``). ``record_extractor=False``
        leaves out the media type, extractor, pages and fetch, as records made
        before cspo-archive 0.2 did (a recipe of format 1 rebuilds those
        byte for byte). Raises :class:`~cspo_archive.exceptions.IngestError`
        if *publication* is not one of this capture's.
        """
        if publication not in self.publications:
            source = self.name or self.digest
            msg = (
                f"publication {publication.title!r} is not one of the "
                f"{len(self.publications)} publications of capture {source}; "
                f"ask the Ingested record it came from"
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
            media_type=self.media_type if record_extractor else None,
            extractor=self.extractor if record_extractor else None,
            pages=self.pages(publication) if record_extractor else None,
            fetch=self.fetch if record_extractor else None,
        )

    def pages(self, publication: Publication) -> tuple[int, int] | None:
        """The PDF pages (first, last; 1-based) *publication* spans, or None if not a PDF."""
        if not self.page_starts:
            return None
        return pages_of(self.page_starts, *publication.characters)
