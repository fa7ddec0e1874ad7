"""WARC files: the HTTP responses a crawler saved, each checked against its digests.

:func:`read_warc` reads a WARC 1.0 or 1.1 file (plain, or gzipped record by
record as crawlers write them) with warcio and returns one
:class:`WarcResponse` per ``response`` record for an ``http(s)`` URI, in file
order. Each response's bytes are then read by the reader of their kind.

Which bytes are which
---------------------

A response record's *block* is the HTTP response as the crawler received it:
status line, headers, then the body as it came over the wire (still chunked if
the server used ``Transfer-Encoding: chunked``, still compressed if it used
``Content-Encoding: gzip``). The WARC standard defines the *payload* of such a
block as the bytes after the HTTP headers, and that is what crawlers (warcio,
wget, Heritrix) hash for ``WARC-Payload-Digest``. So:

- ``WARC-Block-Digest`` is checked over the whole block, and
  ``WARC-Payload-Digest`` over the bytes after the HTTP headers, exactly as
  stored, before any transfer or content coding is removed. A mismatch means
  the file changed after it was written and raises :class:`IngestError`.
- :attr:`WarcResponse.payload` is what a reader of the page saw: the entity
  with the transfer coding (chunked) and the content codings (gzip, deflate;
  ``br`` when the ``brotli`` module is installed) removed. Unlike warcio's
  ``content_stream()``, a coding that cannot be removed is an error, never
  bytes passed on still encoded. One leniency, as warcio's: a body declared
  chunked whose first bytes are not a chunk-size line is taken as already
  de-chunked (some crawlers store it so and keep the header).
- :attr:`WarcResponse.headers` are the HTTP headers as recorded, so their
  ``Content-Length``, ``Transfer-Encoding`` and ``Content-Encoding`` describe
  the bytes as transferred, not :attr:`~WarcResponse.payload`.

Skipped, and counted in the message when no response is left: ``warcinfo``,
``request``, ``metadata``, ``resource``, ``conversion`` and ``continuation``
records; ``revisit`` records (they hold no body, only a reference to an earlier
capture); responses for URIs that are not ``http(s)`` (``dns:``), which have no
HTTP status; and responses a crawler marked ``WARC-Truncated`` (their body is
incomplete, so not a capture of the page).
"""

from __future__ import annotations

import base64
import binascii
import collections
import datetime as dt
import gzip
import hashlib
import importlib
import io
import re
import zlib
from typing import Any, Final

import attrs
from attrs import field, frozen

from cspo_archive._lazy_re import LazyPattern
from cspo_archive._validators import (
    aware_datetime,
    fail,
    instance,
    non_negative,
    optional_text_line,
    optional_url,
    text_line,
    to_tuple,
)
from cspo_archive.exceptions import IngestError, InvalidMetadataError

__all__ = ["WarcResponse", "read_warc"]

_WARC_VERSIONS: Final = ("WARC/1.0", "WARC/1.1")
_NOT_WARC: Final = "expected a file starting with 'WARC/1.0' or 'WARC/1.1' (gzipped or not)"
_HTTP_PROTOCOL = LazyPattern(r"HTTP/\d(?:\.\d)?", re.IGNORECASE)
_STATUS = LazyPattern(r"[1-5]\d\d")
#: What to do when a record fails its digest.
_TAMPERED: Final = (
    "the file changed after the crawler wrote it (damaged in transfer or storage, or "
    "edited); use an intact copy of the WARC or capture the page again, and never "
    "rewrite the digest to make it pass"
)


def _status(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or _STATUS.fullmatch(str(value)) is None
    ):
        fail(attribute, value, "an HTTP status code between 100 and 599")


def _headers(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or any(
        not isinstance(pair, tuple)
        or len(pair) != 2
        or not all(isinstance(part, str) and "\r" not in part and "\n" not in part for part in pair)
        or not pair[0]
        for pair in value
    ):
        fail(attribute, value, "a tuple of (name, value) pairs of one-line str, names not empty")


def _in_utc(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.utcoffset() is not None:
        return value.astimezone(dt.UTC)
    return value


def _payload_repr(value: bytes) -> str:
    return f"<{len(value)} bytes>"


@frozen
class WarcResponse:
    """One HTTP response a WARC file holds, its digests checked.

    ``payload`` is the entity a reader of the page saw (chunked transfer and
    content codings removed); ``payload_digest`` is ``WARC-Payload-Digest`` as
    written (e.g. ``"sha1:BASE32..."``), computed by the crawler over the body
    as transferred, so it is *not* a digest of ``payload`` when the server used
    a coding. ``headers`` are the HTTP headers as recorded, in order;
    ``offset`` is where the record starts in the file (in a gzipped file, the
    offset of its gzip member), the position a CDX index gives.
    """

    target_uri: str = field(validator=[instance(str, "an absolute http(s) URL"), optional_url])
    #: ``WARC-Date``: when the crawler began to capture the response, in UTC.
    date: dt.datetime = field(
        converter=_in_utc,
        validator=[instance(dt.datetime, "a timezone-aware datetime"), aware_datetime],
    )
    #: ``WARC-Record-ID`` as written, e.g. ``<urn:uuid:...>``.
    record_id: str = field(validator=text_line)
    status: int = field(validator=_status)
    #: The HTTP ``Content-Type`` header, or None when the response has none.
    content_type: str | None = field(validator=optional_text_line)
    payload: bytes = field(validator=instance(bytes, "bytes"), repr=_payload_repr)
    payload_digest: str | None = field(validator=optional_text_line)
    headers: tuple[tuple[str, str], ...] = field(converter=to_tuple, validator=_headers)
    offset: int = field(validator=non_negative)

    def header(self, name: str) -> str | None:
        """The value of the first HTTP header called *name* (any case), or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


def read_warc(data: bytes, source: str) -> tuple[WarcResponse, ...]:
    """Every HTTP ``response`` record of a WARC file, in file order, digests checked.

    *data* is the whole file (WARC 1.0 or 1.1, plain or gzipped record by
    record); *source* names it in messages. See this module's docstring for
    which bytes are kept and which are hashed, and which records are skipped.

    Raises :class:`~cspo_archive.exceptions.IngestError` (with ``source``)
    for a file that is not a WARC; a damaged or truncated record (naming its
    byte offset); a record whose ``WARC-Payload-Digest`` or
    ``WARC-Block-Digest`` does not match its bytes (naming the record id, the
    target URI, the digest written and the digest computed); a response whose
    content coding cannot be removed; and a file with no response record in
    it. A warcio error never escapes: it is the ``__cause__`` of the
    :class:`IngestError`.
    """
    from warcio.archiveiterator import WARCIterator  # warcio is imported only when used
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    # What warcio raises on bad input (its parser, its gzip reader, its decoding).
    warcio_errors = (
        ArchiveLoadFailed,
        StatusAndHeadersParserException,
        EOFError,
        zlib.error,
        ValueError,
        OSError,
        LookupError,
        AssertionError,
    )
    if not data:
        msg = f"cannot read {source} as WARC: the file is empty; {_NOT_WARC}"
        raise IngestError(msg, source=source)
    iterator = WARCIterator(io.BytesIO(data), no_record_parse=True)
    # warcio writes a warning to stderr for a record not followed by its blank lines
    # (and counts it in err_count); the count is enough: the error below says it.
    iterator.INC_RECORD = ""
    responses: list[WarcResponse] = []
    skipped: collections.Counter[str] = collections.Counter()
    count = 0
    while True:
        try:
            record = next(iterator, None)
            if record is None:
                break
            version = record.rec_headers.protocol
            block = record.raw_stream.read()
            offset = iterator.get_record_offset()
        except warcio_errors as exc:
            raise _unreadable(source, count, iterator.offset, exc, data) from exc
        if version not in _WARC_VERSIONS:
            if count == 0:
                msg = f"cannot read {source} as WARC: it starts with {version!r}; {_NOT_WARC}"
            else:
                msg = (
                    f"cannot read {source} as WARC: the record at byte offset {offset} is "
                    f"{version!r}, expected 'WARC/1.0' or 'WARC/1.1'; the file is damaged or "
                    "mixes versions this reader does not support"
                )
            raise IngestError(msg, source=source)
        count += 1
        fields = _Fields(record.rec_headers, source, offset)
        length = fields.content_length()
        if len(block) != length or iterator.err_count:
            msg = (
                f"cannot read {source} as WARC: the record at byte offset {offset} is "
                f"truncated or damaged: its Content-Length is {length} but "
                + (
                    f"only {len(block)} bytes follow"
                    if len(block) < length
                    else "it is not followed by the blank lines that end a record"
                )
                + "; the file was cut short or altered, use a complete copy"
            )
            raise IngestError(msg, source=source)
        kind = fields.required("WARC-Type")
        uri = fields.get("WARC-Target-URI") or ""
        if kind != "response":
            skipped[_shown(kind)] += 1
        elif not uri.lower().startswith(("http://", "https://")):
            skipped["response for a non-HTTP URI"] += 1
        elif fields.get("WARC-Truncated") is not None:
            skipped["truncated response"] += 1
        else:
            responses.append(_response(fields, block, uri))
    if not responses:
        what = ", ".join(f"{n} {kind}" for kind, n in sorted(skipped.items())) or "none"
        msg = (
            f"cannot read {source} as WARC: it holds {count} records but no response: "
            f"{what}; expected at least one 'response' record for an http(s) URI with its "
            "body (revisit records refer to a body in another WARC: read that WARC instead)"
        )
        raise IngestError(msg, source=source)
    return tuple(responses)


def _unreadable(
    source: str, count: int, offset: int, exc: BaseException, data: bytes
) -> IngestError:
    reason = _shown(" ".join(str(exc).split()) or type(exc).__name__)
    if len(reason) > 120:
        reason = reason[:119] + "…"
    if data[offset : offset + 2] == b"\x1f\x8b" and _starts_as_warc(data):
        # warcio reads a gzip member that does not decompress as plain bytes.
        reason = f"its gzip member does not decompress as a WARC record: {reason}"
    if count == 0 and not _starts_as_warc(data):
        msg = f"cannot read {source} as WARC: {reason}; {_NOT_WARC}"
    else:
        msg = (
            f"cannot read {source} as WARC: the record at byte offset {offset} is damaged "
            f"({reason}); the {count} records before it read correctly; use an intact copy "
            "of the file"
        )
    return IngestError(msg, source=source)


def _shown(value: str) -> str:
    """*value* from the file as a message may show it: control characters escaped."""
    return value if value.isprintable() else repr(value)


def _starts_as_warc(data: bytes) -> bool:
    """Whether *data*, gunzipped if it is gzip, starts like a WARC record."""
    head = data[:4096]
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")


class _Fields:
    """The WARC headers of one record, with messages that name it."""

    def __init__(self, headers: Any, source: str, offset: int) -> None:
        self.headers = headers
        self.source = source
        self.offset = offset

    def get(self, name: str) -> str | None:
        value = self.headers.get_header(name)
        return value.strip() if isinstance(value, str) else None

    def damaged(self, problem: str) -> IngestError:
        record_id = self.get("WARC-Record-ID")
        which = f" ({_shown(record_id)})" if record_id else ""
        msg = (
            f"cannot read {self.source} as WARC: the record at byte offset {self.offset}"
            f"{which} is damaged: {problem}; use an intact copy of the file"
        )
        return IngestError(msg, source=self.source)

    def required(self, name: str) -> str:
        value = self.get(name)
        if not value:
            raise self.damaged(
                f"it has no {name} header, which every WARC record needs (the file may "
                "be cut short)"
            )
        return value

    def content_length(self) -> int:
        value = self.required("Content-Length")
        if not (value.isascii() and value.isdigit()):
            raise self.damaged(f"its Content-Length is {value!r}, expected a number of bytes")
        return int(value)

    def date(self) -> dt.datetime:
        value = self.required("WARC-Date")
        try:
            date = dt.datetime.fromisoformat(value)
        except ValueError:
            date = None
        if date is None or date.utcoffset() is None:
            raise self.damaged(
                f"its WARC-Date is {value!r}, expected a UTC date and time like "
                "'2025-03-04T10:00:00Z'"
            )
        return date.astimezone(dt.UTC)


def _response(fields: _Fields, block: bytes, uri: str) -> WarcResponse:
    from warcio.statusandheaders import (
        StatusAndHeadersParser,
        StatusAndHeadersParserException,
    )

    record_id = fields.required("WARC-Record-ID")
    date = fields.date()
    if fields.get("WARC-Segment-Number") is not None:
        raise fields.damaged(
            "it is the first segment of a segmented record (WARC-Segment-Number), which "
            "this reader does not join; rewrite the WARC without segmentation"
        )
    stream = io.BytesIO(block)
    try:
        http = StatusAndHeadersParser([], verify=False).parse(stream)
    except (StatusAndHeadersParserException, EOFError, ValueError) as exc:
        raise fields.damaged(f"its HTTP response headers cannot be read ({exc})") from exc
    raw_payload = block[stream.tell() :]
    code = http.statusline.split(" ", 1)[0] if http.statusline else ""
    if _HTTP_PROTOCOL.fullmatch(http.protocol or "") is None or _STATUS.fullmatch(code) is None:
        line = f"{http.protocol} {http.statusline}".strip()
        raise fields.damaged(
            f"its block starts with {line!r}, expected an HTTP status line like 'HTTP/1.1 200 OK'"
        )
    where = (
        f"record {_shown(record_id)} for {_shown(uri)} at byte offset {fields.offset} "
        f"of {fields.source}"
    )
    # The payload first: when the body changed, that is the digest that says so.
    payload_digest = _check_digest(
        fields, "WARC-Payload-Digest", raw_payload, where, "payload (HTTP body as stored)"
    )
    _check_digest(fields, "WARC-Block-Digest", block, where, "block (HTTP headers and body)")
    headers = tuple((str(name), str(value)) for name, value in http.headers)
    payload = _decode_body(raw_payload, http, where, fields.source)
    content_type = (http.get_header("Content-Type") or "").strip() or None
    try:
        return WarcResponse(
            target_uri=uri,
            date=date,
            record_id=record_id,
            status=int(code),
            content_type=content_type,
            payload=payload,
            payload_digest=payload_digest,
            headers=headers,
            offset=fields.offset,
        )
    except InvalidMetadataError as exc:
        raise fields.damaged(f"it holds a value this reader cannot keep: {exc}") from exc


# --- digests ----------------------------------------------------------------------


def _check_digest(fields: _Fields, header: str, data: bytes, where: str, what: str) -> str | None:
    """Check *data* against the digest *header* states; return the header as written."""
    written = fields.get(header)
    if written is None:
        return None
    algorithm, _, encoded = written.partition(":")
    name = algorithm.strip().lower().replace("-", "")
    if not encoded or name not in hashlib.algorithms_available:
        raise fields.damaged(
            f"its {header} is {written!r}, expected '<algorithm>:<digest>' with an algorithm "
            "hashlib knows, such as 'sha1:...' or 'sha256:...'"
        )
    hasher = hashlib.new(name)
    hasher.update(data)
    actual = hasher.digest()
    expected = _digest_bytes(encoded.strip(), len(actual))
    if expected is None:
        raise fields.damaged(
            f"its {header} is {written!r}, whose digest is not {len(actual)} bytes in "
            "base32, hex or base64"
        )
    if expected != actual:
        computed = f"{algorithm}:{base64.b32encode(actual).decode('ascii')}"
        msg = (
            f"{header} mismatch in {where}: the {what} hashes to {computed}, but the record "
            f"states {_shown(written)}; {_TAMPERED}"
        )
        raise IngestError(msg, source=fields.source)
    return written


def _digest_bytes(encoded: str, size: int) -> bytes | None:
    """Decode a WARC digest value: base32 (usual), hex or base64; None if none fits."""
    for kind in ("base32", "hex", "base64", "base64url"):
        try:
            if kind == "base32":
                value = base64.b32decode(encoded, casefold=True)
            elif kind == "hex":
                value = bytes.fromhex(encoded)
            elif kind == "base64":
                value = base64.b64decode(encoded, validate=True)
            else:
                value = base64.urlsafe_b64decode(encoded)
        except (binascii.Error, ValueError):
            continue
        if len(value) == size:
            return value
    return None


# --- the body a reader saw ---------------------------------------------------------


def _decode_body(raw: bytes, http: Any, where: str, source: str) -> bytes:
    body = raw
    transfer = [
        token.strip().lower()
        for token in (http.get_header("Transfer-Encoding") or "").split(",")
        if token.strip()
    ]
    if "chunked" in transfer:
        body = _dechunk(raw, where, source)
    codings = [
        token.strip().lower()
        for token in (http.get_header("Content-Encoding") or "").split(",")
        if token.strip()
    ]
    # Codings are listed in the order they were applied: remove the last first.
    for coding in reversed(codings):
        body = _uncompress(body, coding, where, source)
    return body


def _dechunk(raw: bytes, where: str, source: str) -> bytes:
    parts: list[bytes] = []
    position = 0
    while True:
        end = raw.find(b"\n", position)
        line = raw[position:end] if end >= 0 else b""
        size_text = line.split(b";", 1)[0].strip()
        size = int(size_text, 16) if re.fullmatch(rb"[0-9A-Fa-f]{1,16}", size_text) else -1
        if size < 0:
            if position == 0:
                return raw  # stored already de-chunked (see the module docstring)
            msg = (
                f"cannot de-chunk the body of {where}: expected a chunk size at byte "
                f"{position} of the body, got {line[:40]!r}; the record is damaged or the "
                "crawler stored a broken response; use an intact copy or capture the page again"
            )
            raise IngestError(msg, source=source)
        if size == 0:
            return b"".join(parts)
        start = end + 1
        chunk = raw[start : start + size]
        terminator = raw[start + size : start + size + 2]
        step = 2 if terminator == b"\r\n" else 1 if terminator[:1] == b"\n" else 0
        if len(chunk) < size or not step:
            msg = (
                f"cannot de-chunk the body of {where}: the chunk at byte {position} of the body "
                f"announces {size} bytes but the body ends or breaks before them; the "
                "response was cut short when captured, or the record is damaged; capture "
                "the page again"
            )
            raise IngestError(msg, source=source)
        parts.append(chunk)
        position = start + size + step


def _uncompress(body: bytes, coding: str, where: str, source: str) -> bytes:
    try:
        if coding == "identity":
            return body
        if coding in ("gzip", "x-gzip"):
            return gzip.decompress(body)
        if coding == "deflate":
            try:
                return zlib.decompress(body)
            except zlib.error:
                return zlib.decompress(body, -zlib.MAX_WBITS)  # raw deflate, as some send
        if coding == "br":
            return _unbrotli(body, where, source)
    except (OSError, EOFError, zlib.error) as exc:
        msg = (
            f"cannot decode the body of {where}: it is declared Content-Encoding {coding!r} "
            f"but does not decode as such ({exc}); the record is damaged, or the crawler "
            "stored the body already decoded and kept the header; use an intact copy or "
            "capture the page again"
        )
        raise IngestError(msg, source=source) from exc
    msg = (
        f"cannot decode the body of {where}: its Content-Encoding {coding!r} is not one this "
        "reader knows (gzip, deflate, br, identity); the page's bytes cannot be recovered "
        "from this record"
    )
    raise IngestError(msg, source=source)


def _unbrotli(body: bytes, where: str, source: str) -> bytes:
    try:
        brotli = importlib.import_module("brotli")
    except ImportError:
        msg = (
            f"cannot decode the body of {where}: it is Content-Encoding 'br' (Brotli) and the "
            "'brotli' module is not installed; install it (pip install brotli) and read the "
            "file again"
        )
        raise IngestError(msg, source=source) from None
    try:
        return bytes(brotli.decompress(body))
    except brotli.error as exc:
        msg = (
            f"cannot decode the body of {where}: it is declared Content-Encoding 'br' but does "
            f"not decode as such ({exc}); the record is damaged; use an intact copy or capture "
            "the page again"
        )
        raise IngestError(msg, source=source) from exc
