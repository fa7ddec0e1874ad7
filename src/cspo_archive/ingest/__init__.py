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

from cspo_archive.ingest._capture import ingest, ingest_url, ingest_warc, kind_of
from cspo_archive.ingest._decode import decode
from cspo_archive.ingest._records import Capture, Decoded, Furniture, Publication

__all__ = [
    "Capture",
    "Decoded",
    "Furniture",
    "Publication",
    "decode",
    "ingest",
    "ingest_url",
    "ingest_warc",
    "kind_of",
]

# ``from cspo_archive import ingest`` is this function even when the name is bound to
# this package (see cspo_archive._callable).
from cspo_archive._callable import make_module_callable

make_module_callable(__name__, ingest)
