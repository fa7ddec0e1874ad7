"""Ingestion: turn a capture (the bytes of a page as received) into publications.

The package is named apart from its main function, :func:`ingest` (``cspo_archive.ingest``
before 0.2 was both).

A *capture* is what was saved from a publisher: a web page (HTML), a PDF, a
GOV.UK Content API document, a text capture of a page, or a response record
of a WARC file; or what :func:`ingest_url` fetches. :func:`ingest` takes its
bytes and returns an :class:`Ingested` holding one :class:`Publication` per
publication found, each with canonical text, the metadata the page states
(title, document type, dates, each with where it was found) and a record of
every step that made it. The data flow is in the module names:

``_capture``
    recognises the kind from the bytes (:func:`kind_of`; a name or media type
    is only a hint) and runs its reader: ``_pipeline.read_text`` (plain text,
    decoded by ``_decode``), ``_html`` (site rules from ``profiles/sites.toml``,
    else trafilatura), ``_pdf`` (pypdf), ``_govuk`` (the Content API's fields);
    ``_warc`` and ``_url`` give captures to read. Each reader returns an
    :class:`~cspo_archive.ingestion._source.Extraction`: text, media type,
    extractor and version, and the page's own facts.
``_pipeline``
    reads that text as publications, through ``_lines``, ``_furniture``,
    ``_dates``, ``_parse`` and ``_split``, as follows.

The rules are general: they name kinds of page furniture and shapes of text,
never particular pages.

1. **Decode** (:func:`decode`): UTF-8, or the encoding a byte-order mark names,
   or the encoding the caller gives; otherwise a detected one. Nothing is
   silently mangled: undecodable bytes and control characters are errors that
   say where they are and what to do.
2. **Lines** are split on ``\\r\\n``, ``\\r`` or ``\\n`` only (a form feed reads
   as a paragraph break), keeping character offsets into the text, so every
   span reported is exact. Each line is NFC-normalised and stripped of white
   space at both ends.
3. **Links** written ``[text](target)`` become ``text``. Targets that lead
   nowhere (``#``, ``#fragment``, empty, ``javascript:``) are furniture; real
   targets are kept in :attr:`Publication.links`.
4. **Furniture** is removed and recorded as :class:`Furniture`: the line rules
   in ``profiles/ingest.toml`` (one named entry per kind of block: accessible
   format requests, page histories, share links, captions and credits,
   bylines, related and most-popular lists, attachment lines, banners,
   datelines...), then blocks recognised by their place: document-type labels
   ("News story") just above a heading, date lines just below one, site
   headers above a label, short lines above the title, and attachment titles
   (a heading repeated with no text after it). Dates stated in furniture
   become :attr:`Publication.published` and :attr:`Publication.updated`
   before the furniture is dropped.
5. **Paragraphs** broken mid-sentence by the capture are rejoined: when one
   paragraph ends without sentence-final punctuation and the next begins with
   a lowercase letter.
6. **Title**: a title given by the caller, else the one the page states, is
   looked for in the text; else the first heading, past short lines above it
   (a banner, a dateline, a menu), is the title. A given or stated title the
   text does not hold is the title as given, and the text keeps every line.
   Only a text with no heading and no title from outside is refused.
7. **Splitting**: a later heading starts a new publication when it names a
   publication type ("Joint Statement on ...", "CSpO Vision 2031", but not a
   headline about one), follows a document-type label, is the title the
   caller gives, or reappears later as an attachment title; a single type
   word alone ("Statement", "Vision") is a sub-heading, and a heading with
   no text after it is furniture. Other headings stay in the text. A date
   stated for the page applies to every publication on it; what the page's
   metadata states fills only what its text does not.
"""

from __future__ import annotations

from cspo_archive.ingestion._capture import ingest, ingest_url, ingest_warc, kind_of
from cspo_archive.ingestion._decode import decode
from cspo_archive.ingestion._records import Decoded, Furniture, Ingested, Publication
from cspo_archive.ingestion._source import PageFacts, Stated

__all__ = [
    "Decoded",
    "Furniture",
    "Ingested",
    "PageFacts",
    "Publication",
    "Stated",
    "decode",
    "ingest",
    "ingest_url",
    "ingest_warc",
    "kind_of",
]
