"""Reading WARC files (cspo_archive.ingestion._warc): fields, digests, damage, refusals.

The WARC files are written here with warcio's own writer; the pages in them
are invented (a fictional forum's meeting), never real text.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import io
import re
import zlib

import pytest
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cspo_archive.exceptions import CspoArchiveError, IngestError, InvalidMetadataError
from cspo_archive.ingestion._warc import WarcResponse, read_warc

HTML_URI = "https://news.example.org/orbit-forum/meeting"
TEXT_URI = "http://news.example.org/orbit-forum/meeting.txt"
HTML_ID = "<urn:uuid:11111111-2222-4333-8444-555555555555>"
TEXT_ID = "<urn:uuid:66666666-7777-4888-9999-aaaaaaaaaaaa>"
HTML = (
    "<!doctype html><html lang='en'><head><title>Orbit Forum meets in Tromsø</title></head>"
    "<body><h1>Orbit Forum meets in Tromsø</h1><p>Delegates of the invented Orbit Forum "
    "met on 4 March to compare notes on tracking debris and sharing launch "
    "notices.</p></body></html>"
).encode()
TEXT = (
    b"Orbit Forum: meeting summary\n\nThe invented Orbit Forum agreed to hold a tabletop "
    b"exercise on satellite conjunction warnings before the end of the year.\n"
)


def _chunked(body: bytes, size: int = 40) -> bytes:
    """*body* in HTTP/1.1 chunked transfer coding, chunks of *size* bytes."""
    chunks = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"


def _sha1(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data, usedforsecurity=False).digest()).decode()


#: The HTML body as the server sent it: gzip content coding, then chunked transfer.
HTML_WIRE = _chunked(gzip.compress(HTML, mtime=0))
HTML_HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Encoding", "gzip"),
    ("Transfer-Encoding", "chunked"),
    ("ETag", '"orbit-1"'),
]
TEXT_HEADERS = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(TEXT)))]


def _write(
    *,
    gzipped: bool,
    version: str = "1.1",
    responses: bool = True,
    html_headers: list[tuple[str, str]] | None = None,
    html_wire: bytes = HTML_WIRE,
) -> tuple[bytes, list[int]]:
    """A WARC file and the byte offset of each record in it.

    Records: warcinfo, request, HTML response (gzip + chunked), plain text
    response, revisit of the HTML page. Without *responses*, no response.
    """
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped, warc_version=version)
    offsets: list[int] = []

    def write(record: object) -> None:
        offsets.append(out.tell())
        writer.write_record(record)

    write(writer.create_warcinfo_record("orbit-forum.warc", {"software": "cspo-archive tests"}))
    request = StatusAndHeaders(
        "GET /orbit-forum/meeting HTTP/1.1",
        [("Host", "news.example.org"), ("User-Agent", "test-crawler/1.0")],
        is_http_request=True,
    )
    write(
        writer.create_warc_record(
            HTML_URI,
            "request",
            http_headers=request,
            warc_headers_dict={"WARC-Date": "2025-03-04T10:15:29Z"},
        )
    )
    if responses:
        write(
            writer.create_warc_record(
                HTML_URI,
                "response",
                payload=io.BytesIO(html_wire),
                length=len(html_wire),
                http_headers=StatusAndHeaders(
                    "200 OK", html_headers or HTML_HEADERS, protocol="HTTP/1.1"
                ),
                warc_headers_dict={"WARC-Date": "2025-03-04T10:15:30Z", "WARC-Record-ID": HTML_ID},
            )
        )
        write(
            writer.create_warc_record(
                TEXT_URI,
                "response",
                payload=io.BytesIO(TEXT),
                length=len(TEXT),
                http_headers=StatusAndHeaders("200 OK", TEXT_HEADERS, protocol="HTTP/1.0"),
                # A WARC 1.1 date with microseconds, in another zone than UTC.
                warc_headers_dict={
                    "WARC-Date": "2025-03-04T11:16:00.250000+01:00",
                    "WARC-Record-ID": TEXT_ID,
                },
            )
        )
    write(
        writer.create_revisit_record(
            HTML_URI,
            digest=_sha1(HTML_WIRE),
            refers_to_uri=HTML_URI,
            refers_to_date="2025-03-04T10:15:30Z",
            http_headers=StatusAndHeaders("200 OK", HTML_HEADERS, protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": "2025-03-05T09:00:00Z"},
        )
    )
    return out.getvalue(), offsets


@pytest.mark.parametrize("version", ["1.0", "1.1"])
@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_every_field_of_each_response(gzipped: bool, version: str) -> None:
    """Both responses come back in file order, every field as written; the
    warcinfo, request and revisit records are skipped; the payload is the
    entity a reader saw (de-chunked, gunzipped), the digest the one written."""
    data, offsets = _write(gzipped=gzipped, version=version)
    if not gzipped:
        assert data.startswith(f"WARC/{version}\r\n".encode())

    html, text = read_warc(data, "orbit-forum.warc")

    assert html == WarcResponse(
        target_uri=HTML_URI,
        date=dt.datetime(2025, 3, 4, 10, 15, 30, tzinfo=dt.UTC),
        record_id=HTML_ID,
        status=200,
        content_type="text/html; charset=utf-8",
        payload=HTML,
        payload_digest=_sha1(HTML_WIRE),
        headers=tuple(HTML_HEADERS),
        offset=offsets[2],
    )
    assert text == WarcResponse(
        target_uri=TEXT_URI,
        date=dt.datetime(2025, 3, 4, 10, 16, 0, 250000, tzinfo=dt.UTC),
        record_id=TEXT_ID,
        status=200,
        content_type="text/plain; charset=utf-8",
        payload=TEXT,
        payload_digest=_sha1(TEXT),
        headers=tuple(TEXT_HEADERS),
        offset=offsets[3],
    )
    assert html.date.tzinfo is dt.UTC
    assert text.date.tzinfo is dt.UTC
    assert html.header("content-encoding") == "gzip"
    assert html.header("X-Missing") is None
    # A large payload is not printed whole.
    assert f"payload=<{len(HTML)} bytes>" in repr(html)


def test_offsets_point_at_the_records() -> None:
    """In a plain WARC, each response's offset is where its 'WARC/1.1' line starts."""
    data, _ = _write(gzipped=False)
    for response in read_warc(data, "orbit-forum.warc"):
        assert data[response.offset :].startswith(b"WARC/1.1\r\n")
        assert response.target_uri.encode() in data[response.offset : response.offset + 400]


def test_a_status_other_than_200_is_kept() -> None:
    """The HTTP status is the response's own (a 404 page is still a response)."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    body = b"Not here: the Orbit Forum page moved.\n"
    writer.write_record(
        writer.create_warc_record(
            TEXT_URI,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=StatusAndHeaders("404 Not Found", [], protocol="HTTP/1.1"),
        )
    )
    (response,) = read_warc(out.getvalue(), "missing.warc")
    assert response.status == 404
    assert response.content_type is None
    assert response.headers == ()
    assert response.payload == body


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_no_response_record(gzipped: bool) -> None:
    """A WARC of only warcinfo, request and revisit records is refused, counting them."""
    data, _ = _write(gzipped=gzipped, responses=False)
    with pytest.raises(IngestError) as caught:
        read_warc(data, "crawl.warc.gz")
    message = str(caught.value)
    assert message.startswith(
        "cannot read crawl.warc.gz as WARC: it holds 3 records but no response: "
        "1 request, 1 revisit, 1 warcinfo;"
    )
    assert "revisit records refer to a body in another WARC" in message
    assert caught.value.source == "crawl.warc.gz"


def test_tampered_payload_byte() -> None:
    """One payload byte changed, nothing recomputed: the payload digest check names
    the record id, the URI, the digest written and the one computed, and what to do."""
    data, offsets = _write(gzipped=False)
    at = data.index(b"tabletop")
    tampered = data[:at] + b"T" + data[at + 1 :]
    changed = TEXT.replace(b"tabletop", b"Tabletop")

    with pytest.raises(IngestError) as caught:
        read_warc(tampered, "orbit-forum.warc")

    message = str(caught.value)
    assert message == (
        f"WARC-Payload-Digest mismatch in record {TEXT_ID} for {TEXT_URI} at byte offset "
        f"{offsets[3]} of orbit-forum.warc: the payload (HTTP body as stored) hashes to "
        f"{_sha1(changed)}, but the record states {_sha1(TEXT)}; the file changed after the "
        "crawler wrote it (damaged in transfer or storage, or edited); use an intact copy of "
        "the WARC or capture the page again, and never rewrite the digest to make it pass"
    )
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, CspoArchiveError)


def test_tampered_http_header_fails_the_block_digest() -> None:
    """An HTTP header changed (the body intact) fails WARC-Block-Digest."""
    data, _ = _write(gzipped=False)
    tampered = data.replace(b'"orbit-1"', b'"orbit-2"', 1)
    with pytest.raises(IngestError, match=r"^WARC-Block-Digest mismatch in record ") as caught:
        read_warc(tampered, "orbit-forum.warc")
    assert HTML_ID in str(caught.value)
    assert HTML_URI in str(caught.value)


def test_tampered_gzip_member() -> None:
    """A byte changed inside a gzipped record's compressed data is an error naming
    the record's offset, with warcio's error as its cause (never raised itself)."""
    data, offsets = _write(gzipped=True)
    at = offsets[3] + 50
    tampered = data[:at] + bytes([data[at] ^ 0x55]) + data[at + 1 :]
    with pytest.raises(IngestError) as caught:
        read_warc(tampered, "orbit-forum.warc.gz")
    message = str(caught.value)
    assert message.startswith(
        f"cannot read orbit-forum.warc.gz as WARC: the record at byte offset {offsets[3]} is "
        "damaged (its gzip member does not decompress as a WARC record: "
    )
    assert message.endswith(
        "; the 3 records before it read correctly; use an intact copy of the file"
    )
    assert isinstance(caught.value.__cause__, ArchiveLoadFailed)


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_truncated_file(gzipped: bool) -> None:
    """A file cut in the middle of a record is refused, naming that record's offset."""
    data, offsets = _write(gzipped=gzipped)
    # Plain: inside the text body; gzip: inside the last bytes of its member.
    end = data.index(b"tabletop") if not gzipped else offsets[4] - 12
    cut = data[:end]
    with pytest.raises(IngestError) as caught:
        read_warc(cut, "cut.warc")
    message = str(caught.value)
    assert f"the record at byte offset {offsets[3]} is truncated or damaged" in message
    assert "use a complete copy" in message


def test_file_cut_inside_record_headers() -> None:
    """A file cut inside a record's WARC headers names the record as damaged."""
    data, offsets = _write(gzipped=False)
    cut = data[: offsets[3] + 60]
    with pytest.raises(IngestError, match=rf"record at byte offset {offsets[3]}\b.* damaged"):
        read_warc(cut, "cut.warc")


def test_wrong_content_length() -> None:
    """A Content-Length too small leaves bytes before the next record: refused."""
    data, offsets = _write(gzipped=False)
    header_at = data.index(b"Content-Length: ", offsets[3])
    line_end = data.index(b"\r\n", header_at)
    real = int(data[header_at + 16 : line_end])
    damaged = data[:header_at] + b"Content-Length: %d" % (real - 5) + data[line_end:]
    with pytest.raises(IngestError) as caught:
        read_warc(damaged, "orbit-forum.warc")
    message = str(caught.value)
    assert f"byte offset {offsets[3]}" in message
    assert "not followed by the blank lines that end a record" in message


@pytest.mark.parametrize(
    "data",
    [
        b"<!doctype html><html><body><p>Orbit Forum</p></body></html>",
        b"Orbit Forum meeting notes\n",
        gzip.compress(b"Orbit Forum meeting notes\n"),
        b"%PDF-1.7\n",
    ],
    ids=["html", "text", "gzipped-text", "pdf"],
)
def test_not_a_warc(data: bytes) -> None:
    """A file that is not a WARC is refused with the format expected; the warcio
    error is the cause, never raised itself."""
    with pytest.raises(IngestError) as caught:
        read_warc(data, "page.html")
    message = str(caught.value)
    assert message.startswith("cannot read page.html as WARC: ")
    assert message.endswith(
        "; expected a file starting with 'WARC/1.0' or 'WARC/1.1' (gzipped or not)"
    )
    assert isinstance(caught.value.__cause__, ArchiveLoadFailed)


def test_empty_file() -> None:
    """An empty file is not a WARC."""
    with pytest.raises(IngestError, match=r"^cannot read empty.warc as WARC: the file is empty;"):
        read_warc(b"", "empty.warc")


def test_older_warc_version_refused() -> None:
    """WARC/0.18 (which warcio reads) is not a version this reader accepts."""
    data, _ = _write(gzipped=False)
    old = data.replace(b"WARC/1.1\r\n", b"WARC/0.18\r\n")
    with pytest.raises(IngestError, match=r"it starts with 'WARC/0.18'; expected a file"):
        read_warc(old, "old.warc")


def test_unknown_content_encoding() -> None:
    """A content coding that cannot be removed is an error, not encoded bytes kept."""
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "compress")]
    data, _ = _write(gzipped=False, html_headers=headers, html_wire=b"\x1f\x9d\x90 compressed")
    with pytest.raises(IngestError) as caught:
        read_warc(data, "orbit-forum.warc")
    message = str(caught.value)
    assert f"cannot decode the body of record {HTML_ID} for {HTML_URI}" in message
    assert "its Content-Encoding 'compress' is not one this reader knows" in message


def test_declared_gzip_that_is_not() -> None:
    """A body declared gzip that does not gunzip is an error naming the record."""
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
    data, _ = _write(gzipped=False, html_headers=headers, html_wire=HTML)
    with pytest.raises(IngestError, match=r"declared Content-Encoding 'gzip' but does not"):
        read_warc(data, "orbit-forum.warc")


def test_deflate_and_plain_chunked() -> None:
    """Deflate (zlib-wrapped) is decoded; chunked alone is de-chunked."""
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "deflate")]
    data, _ = _write(gzipped=False, html_headers=headers, html_wire=zlib.compress(HTML))
    assert read_warc(data, "deflate.warc")[0].payload == HTML

    headers = [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")]
    data, _ = _write(gzipped=False, html_headers=headers, html_wire=_chunked(HTML, 7))
    assert read_warc(data, "chunked.warc")[0].payload == HTML


def test_chunked_header_on_a_stored_dechunked_body() -> None:
    """A body declared chunked but stored already de-chunked is kept as stored."""
    headers = [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")]
    data, _ = _write(gzipped=False, html_headers=headers, html_wire=HTML)
    assert read_warc(data, "crawl.warc")[0].payload == HTML


def test_chunked_body_cut_short() -> None:
    """A chunked body that ends before its last chunk is refused (a partial page)."""
    headers = [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")]
    wire = _chunked(HTML, 30)[:100]
    data, _ = _write(gzipped=False, html_headers=headers, html_wire=wire)
    with pytest.raises(IngestError, match=r"cannot de-chunk the body of record "):
        read_warc(data, "crawl.warc")


def test_records_are_validated() -> None:
    """WarcResponse refuses a naive date and a status that is not HTTP's."""
    fields = {
        "target_uri": HTML_URI,
        "date": dt.datetime(2025, 3, 4, 10, 15, 30, tzinfo=dt.UTC),
        "record_id": HTML_ID,
        "status": 200,
        "content_type": None,
        "payload": b"",
        "payload_digest": None,
        "headers": (),
        "offset": 0,
    }
    WarcResponse(**fields)  # type: ignore[arg-type]
    for name, bad in [
        ("date", dt.datetime(2025, 3, 4, 10, 15, 30)),
        ("status", 700),
        ("target_uri", "ftp://news.example.org/x"),
        ("headers", (("Content-Type",),)),
        ("offset", -1),
    ]:
        with pytest.raises(InvalidMetadataError, match=re.escape(repr(name))):
            WarcResponse(**{**fields, name: bad})  # type: ignore[arg-type]
