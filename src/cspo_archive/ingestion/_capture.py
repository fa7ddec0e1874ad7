"""A capture's bytes in, its publications out: recognise the kind, read it, split it.

The kind is recognised from the bytes; a file name or a media type (an HTTP
``Content-Type``) is only a hint, for bytes that could be either plain text
or markup. Each kind's reader (and its library) is imported only when a
capture of that kind is read.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable
from typing import Final, Literal

import attrs

from cspo_archive._lazy_re import LazyPattern
from cspo_archive._text import sha256_digest
from cspo_archive.exceptions import IngestError
from cspo_archive.ingestion._decode import _as_bytes
from cspo_archive.ingestion._lines import _key
from cspo_archive.ingestion._pipeline import publications, read_text
from cspo_archive.ingestion._records import Ingested
from cspo_archive.ingestion._source import Extraction
from cspo_archive.model import Fetch

__all__ = ["Kind", "extract", "ingest", "ingest_url", "ingest_warc", "kind_of"]

Kind = Literal["text", "html", "pdf", "govuk", "warc"]

#: Bytes that start files we cannot read, and what to call them in an error.
_UNREADABLE: Final = (
    (b"PK\x03\x04", "a ZIP archive (or a Word, ODT or other office document, which are ZIP files)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
)
_HTML_START = LazyPattern(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAGS = LazyPattern(
    rb"</?(?:p|div|h[1-6]|article|main|section|span|br|a|nav|header|footer|ul|ol|li|body"
    rb"|html|head|script|style|img|table|tr|td|figure|figcaption|button|form)\b[^>]*>",
    re.IGNORECASE,
)
#: So many HTML tags in the first bytes make markup, whatever the name says: a page
#: saved from the middle (starting at ``</header>``) is still HTML.
_TAGS_OF_MARKUP: Final = 5
_HTML_NAMES: Final = (".html", ".htm", ".xhtml", ".shtml", ".php", ".aspx")
_SNIFF: Final = 4096


def kind_of(data: bytes, *, name: str | None = None, media_type: str | None = None) -> Kind:
    """Recognise what *data* is: plain text, HTML, PDF, GOV.UK Content API JSON or WARC.

    Raises :class:`~cspo_archive.exceptions.IngestError` for kinds no reader
    takes (images, ZIP and office files, compressed files, other JSON),
    naming the kind found and what to do.
    """
    source = name or "<capture>"
    head = data[:_SNIFF].lstrip(b"\xef\xbb\xbf")
    stripped = head.lstrip()
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if stripped.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"\x1f\x8b"):
        if _gunzipped_start(data).startswith(b"WARC/"):
            return "warc"
        raise _unreadable(source, "a gzip-compressed file", "decompress it first (gunzip)")
    for magic, what in _UNREADABLE:
        if head.startswith(magic):
            raise _unreadable(source, what, _advice(what))
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        raise _unreadable(source, "a WebP image", _advice("image"))
    if stripped.startswith(b"{"):
        return _json_kind(data, source)
    if _HTML_START.match(head) or len(_HTML_TAGS().findall(head)) >= _TAGS_OF_MARKUP:
        return "html"
    hinted = (media_type or "").split(";")[0].strip().lower() in {
        "text/html",
        "application/xhtml+xml",
    } or (name or "").lower().endswith(_HTML_NAMES)
    if hinted and _HTML_TAGS.search(head):
        return "html"
    return "text"


def _gunzipped_start(data: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:_SNIFF], 64)
    except zlib.error:
        return b""


def _json_kind(data: bytes, source: str) -> Kind:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return "text"  # a text that starts with a brace
    if isinstance(document, dict) and "base_path" in document and "details" in document:
        return "govuk"
    keys = ", ".join(sorted(document)[:8]) if isinstance(document, dict) else ""
    raise _unreadable(
        source,
        f"JSON that is not a GOV.UK Content API document (keys: {keys or 'none'})",
        "pass the page itself (HTML) or its text, or a document from "
        "https://www.gov.uk/api/content/<path>",
    )


def _advice(what: str) -> str:
    if "image" in what:
        return "run OCR on it and add the text as a plain-text capture"
    if "document" in what:
        return "save it as PDF, HTML or plain text and add that"
    return "unpack it and add the publication inside"


def _unreadable(source: str, what: str, todo: str) -> IngestError:
    msg = (
        f"cannot ingest {source}: it is {what}, which cspo-archive does not read "
        f"(it reads plain text, HTML, PDF, GOV.UK Content API JSON and WARC); {todo}"
    )
    return IngestError(msg, source=source)


def extract(
    data: bytes,
    kind: Kind,
    source: str,
    *,
    encoding: str | None = None,
    url: str | None = None,
) -> Extraction:
    """Run *kind*'s reader on *data* (a WARC file holds captures: see :func:`ingest_warc`)."""
    if kind == "text":
        return read_text(data, source, encoding=encoding)
    if kind == "html":
        from cspo_archive.ingestion._html import read_html

        return read_html(data, source, url=url, encoding=encoding)
    if kind == "pdf":
        from cspo_archive.ingestion._pdf import read_pdf

        return read_pdf(data, source)
    if kind == "govuk":
        from cspo_archive.ingestion._govuk import read_govuk

        return read_govuk(data, source)
    msg = (
        f"cannot ingest {source} as one capture: it is a WARC file, which holds a capture "
        f"per response record; read it with cspo_archive.ingestion.ingest_warc() (command "
        f"line: cspo-archive add FILE.warc)"
    )
    raise IngestError(msg, source=source)


def ingest(
    data: bytes,
    *,
    name: str | None = None,
    encoding: str | None = None,
    title: str | None = None,
    media_type: str | None = None,
    url: str | None = None,
    progress: Callable[..., None] | None = None,
) -> Ingested:
    """Read a capture and find the publications in it.

    *data* is the capture's bytes as received: plain text, an HTML page, a
    PDF or a GOV.UK Content API document, recognised from the bytes (see
    :func:`kind_of`; *name* and *media_type* are hints for bytes that could
    be text or markup). *name* is recorded and used in messages; *encoding*
    overrides detection (for HTML, a ``Content-Type`` charset); *url* is the
    page's address (relative links in an HTML page resolve against it);
    *title* is a title the caller gives (see :func:`publications`).

    Every line of the extracted text ends up either in exactly one
    publication (its title or text) or in :attr:`Ingested.furniture`; nothing
    else is dropped, and each publication's steps say how its text was made.

    Raises :class:`~cspo_archive.exceptions.UndecodableContentError` for bytes
    that are not text, and :class:`~cspo_archive.exceptions.IngestError` for
    a capture of a kind no reader takes or with no publication in it.

    *progress* is called after each of the three steps (the kind recognised, the
    text extracted, the publications found) with the step's name.
    """
    step = progress or (lambda count=1, what=None: None)
    source = name if name is not None else "<capture>"
    data = _as_bytes(data, source)
    kind = kind_of(data, name=name, media_type=media_type)
    step(1, f"{kind} recognised")
    extraction = extract(data, kind, source, encoding=encoding, url=url)
    step(1, "text extracted")
    found = publications(data, extraction, name=name, title=title)
    step(1, "publications found")
    return found


def _charset(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a ``Content-Type`` header, if any."""
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.strip().lower() == "charset" and value.strip(" \"'"):
            return value.strip(" \"'")
    return None


def ingest_url(
    url: str,
    *,
    title: str | None = None,
    timeout: float = 30.0,
    max_bytes: int = 50_000_000,
) -> tuple[Ingested, bytes]:
    """Fetch *url* and read the response as a capture; return it and the raw bytes.

    The capture's :attr:`~Ingested.fetch` records the requested and final URL,
    every redirect, the status, when it was fetched, the content type, ETag
    and Last-Modified. The bytes are the capture to archive, exactly as
    received (after any content coding the server applied is undone).
    """
    from cspo_archive.ingestion._url import fetch

    data, fetched = fetch(url, timeout=timeout, max_bytes=max_bytes)
    capture = _response(data, fetched.final_url, fetched.content_type, title=title)
    return attrs.evolve(capture, fetch=fetched), data


def _response(
    data: bytes, url: str, content_type: str | None, *, title: str | None = None
) -> Ingested:
    """Read an HTTP response's body as a capture named by its URL.

    For HTML, the ``Content-Type`` charset outranks the page's own ``<meta>``
    (as in browsers); other text is decoded as any text capture is (strictly
    as UTF-8, else detected), since servers often label plain text wrongly.
    """
    kind = kind_of(data, name=url, media_type=content_type)
    encoding = _charset(content_type) if kind == "html" else None
    extraction = extract(data, kind, url, encoding=encoding, url=url)
    return publications(data, extraction, name=url, title=title)


def ingest_warc(
    data: bytes,
    *,
    name: str | None = None,
    title: str | None = None,
    progress: Callable[..., None] | None = None,
) -> list[tuple[Ingested, bytes]]:
    """Read every response record of a WARC file as a capture (in file order).

    Each capture's bytes are the record's payload; its :attr:`~Ingested.fetch`
    names the target URI, the WARC-Date (the capture time), the status and
    content type, and the record (id, file name and the file's digest). The
    payload digest of each record is checked. With *title*, only the records
    holding a publication so titled are returned, and there must be one.
    *progress* is called once per response record read, with its target URI.
    """
    from cspo_archive.ingestion._warc import read_warc

    source = name if name is not None else "<capture>"
    file_digest = sha256_digest(data)
    read: list[tuple[Ingested, bytes]] = []
    responses = read_warc(data, source)
    for response in responses:
        if not 200 <= response.status <= 299:
            continue  # a redirect or an error page holds no publication
        payload = response.payload
        where = f"{response.record_id} in {source} ({file_digest})"
        capture = _response(payload, response.target_uri, response.content_type)
        record = Fetch(
            requested_url=response.target_uri,
            final_url=response.target_uri,
            status=response.status,
            fetched_at=response.date,
            content_type=response.content_type,
            etag=response.header("ETag"),
            last_modified=response.header("Last-Modified"),
            warc_record=where,
        )
        read.append((attrs.evolve(capture, fetch=record), payload))
        if progress is not None:
            progress(1, response.target_uri)
    if not read:
        statuses = ", ".join(str(r.status) for r in responses)
        msg = (
            f"cannot ingest {source}: none of its {len(responses)} response records is a "
            f"success (statuses {statuses}); it holds no page to archive"
        )
        raise IngestError(msg, source=source)
    if title is not None:
        read = [
            (c, d) for c, d in read if any(_key(p.title) == _key(title) for p in c.publications)
        ]
        if len(read) != 1:
            msg = (
                f"{source}: {len(read)} of its response records hold a publication titled "
                f"{title!r}; expected exactly one (leave out --title to add them all)"
            )
            raise IngestError(msg, source=source)
    return read
