"""Fetching URLs (cspo_archive.ingestion._url) from a real HTTP server on 127.0.0.1.

The server runs in a thread for each test, on a free port; no test reaches a
real site. Its pages are invented (a fictional forum's meeting).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import importlib.metadata
import re
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import urllib3

from cspo_archive.exceptions import IngestError, InvalidMetadataError
from cspo_archive.ingestion._url import default_user_agent, fetch
from cspo_archive.model import MAX_REDIRECTS, Fetch

PAGE = (
    b"<!doctype html><html><head><title>Orbit Forum meets</title></head><body>"
    b"<h1>Orbit Forum meets</h1><p>Delegates of the invented Orbit Forum met on 4 March "
    b"to compare notes on tracking debris.</p></body></html>"
)
TEXT = b"The invented Orbit Forum agreed on a tabletop exercise on conjunction warnings.\n" * 40
ETAG = '"orbit-1"'
LAST_MODIFIED = "Tue, 04 Mar 2025 10:00:00 GMT"
#: More than the limit the size tests pass (100 000 bytes).
HUGE = 16 * 64 * 1024
LIMIT = 100_000


class _Server(ThreadingHTTPServer):
    # Join every handler thread on close, so no socket outlives the test.
    daemon_threads = False
    block_on_close = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.release = threading.Event()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        """Quiet: tests read what the server saw from server.requests."""

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, status: int, location: str) -> None:
        self._send(status, b"moved", {"Location": location})

    def do_GET(self) -> None:
        self.server.requests.append((self.path, dict(self.headers.items())))
        # The client may give up first (timeouts, size limits): expected.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route()

    def _route(self) -> None:
        path = self.path
        if path == "/page":
            headers = {
                "Content-Type": "text/html; charset=utf-8",
                "ETag": ETAG,
                "Last-Modified": LAST_MODIFIED,
            }
            self._send(200, PAGE, headers)
        elif path == "/old":
            self._redirect(301, "/older")  # relative Location
        elif path == "/older":
            self._redirect(302, f"{self.server.base}/page")
        elif path.startswith("/loop/"):
            self._redirect(302, f"/loop/{int(path.rsplit('/', 1)[1]) + 1}")
        elif path == "/circle":
            self._redirect(307, "/circle")
        elif path == "/to-ftp":
            self._redirect(301, "ftp://127.0.0.1/orbit-forum.txt")
        elif path == "/withdrawn":
            self._redirect(308, "/missing")
        elif path == "/no-location":
            self._send(302, b"moved somewhere")
        elif path == "/missing":
            self._send(404, b"not here", {"Content-Type": "text/plain"})
        elif path == "/broken":
            self._send(500, b"oops", {"Content-Type": "text/plain"})
        elif path == "/huge":
            # No Content-Length: the size is known only by reading.
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(HUGE // (64 * 1024)):
                self.wfile.write(b"x" * 64 * 1024)
            self.close_connection = True
        elif path == "/huge-declared":
            self._send(200, b"y" * HUGE, {"Content-Type": "text/plain"})
        elif path == "/gzip":
            headers = {"Content-Type": "text/plain; charset=utf-8", "Content-Encoding": "gzip"}
            self._send(200, gzip.compress(TEXT), headers)
        elif path == "/unknown-coding":
            self._send(200, b"\x0b\x02\x80hello\x03", {"Content-Encoding": "x-unknown"})
        elif path == "/stall":
            self.server.release.wait(5)
            self._send(200, PAGE)
        elif path == "/stall-body":
            self.send_response(200)
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE[:10])
            self.wfile.flush()
            self.server.release.wait(5)
            self.wfile.write(PAGE[10:])
        else:
            self._send(404)


@pytest.fixture
def server() -> Iterator[_Server]:
    """A local HTTP server in a thread, stopped (every connection joined) after the test."""
    httpd = _Server()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield httpd
    finally:
        httpd.release.set()
        httpd.shutdown()
        thread.join()
        httpd.server_close()


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port bound on 127.0.0.1 that nobody listens on: connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def test_page_with_validators(server: _Server) -> None:
    """A 200 page comes back as sent, with its ETag, Last-Modified and Content-Type,
    no redirect, and the moment it was fetched (UTC)."""
    before = dt.datetime.now(dt.UTC)
    body, provenance = fetch(f"{server.base}/page")
    after = dt.datetime.now(dt.UTC)

    assert body == PAGE
    assert provenance == Fetch(
        requested_url=f"{server.base}/page",
        final_url=f"{server.base}/page",
        status=200,
        fetched_at=provenance.fetched_at,
        content_type="text/html; charset=utf-8",
        etag=ETAG,
        last_modified=LAST_MODIFIED,
        redirects=(),
        user_agent=default_user_agent(),
    )
    assert before <= provenance.fetched_at <= after
    assert provenance.fetched_at.tzinfo is dt.UTC


def test_user_agent_received(server: _Server) -> None:
    """The server receives the default User-Agent, which names the project, its
    version and urllib3's; a given user_agent replaces it; gzip is accepted."""
    fetch(f"{server.base}/page")
    fetch(f"{server.base}/page", user_agent="orbit-forum-test/1.0")

    (_, first), (_, second) = server.requests
    assert first["User-Agent"] == default_user_agent()
    assert re.fullmatch(
        r"cspo-archive/\S+ \(archiving public statements; python-urllib3/"
        + re.escape(importlib.metadata.version("urllib3"))
        + r"\)",
        first["User-Agent"],
    )
    assert second["User-Agent"] == "orbit-forum-test/1.0"
    assert "gzip" in first["Accept-Encoding"]


def test_two_redirects_recorded(server: _Server) -> None:
    """A 301 (relative Location) then a 302 are followed, each hop recorded as
    '<status> <from> -> <to>', leading from the URL asked for to the final one."""
    body, provenance = fetch(f"{server.base}/old")

    assert body == PAGE
    assert provenance.requested_url == f"{server.base}/old"
    assert provenance.final_url == f"{server.base}/page"
    assert provenance.redirects == (
        f"301 {server.base}/old -> {server.base}/older",
        f"302 {server.base}/older -> {server.base}/page",
    )
    assert provenance.etag == ETAG
    assert [path for path, _ in server.requests] == ["/old", "/older", "/page"]


def test_redirect_loop_refused(server: _Server) -> None:
    """Ten redirects are followed; the eleventh is refused, every hop named."""
    with pytest.raises(IngestError) as caught:
        fetch(f"{server.base}/loop/0")
    message = str(caught.value)
    assert message.startswith(f"cannot fetch {server.base}/loop/0: more than 10 redirects; ")
    assert f"302 {server.base}/loop/9 -> {server.base}/loop/10" in message
    assert f"then 302 {server.base}/loop/10 -> {server.base}/loop/11" in message
    assert caught.value.source == f"{server.base}/loop/0"
    assert len(server.requests) == MAX_REDIRECTS + 1


def test_redirect_to_itself_called_a_loop(server: _Server) -> None:
    """A page that redirects to itself is refused after the limit, called a loop."""
    with pytest.raises(IngestError, match=r"more than 10 redirects \(.*a redirect loop\)"):
        fetch(f"{server.base}/circle")


def test_redirect_to_ftp_refused(server: _Server) -> None:
    """A redirect to a scheme other than http(s) is refused, naming the target."""
    with pytest.raises(IngestError) as caught:
        fetch(f"{server.base}/to-ftp")
    assert str(caught.value).startswith(
        f"cannot fetch {server.base}/to-ftp: {server.base}/to-ftp answered 301 redirecting "
        "to 'ftp://127.0.0.1/orbit-forum.txt', whose scheme 'ftp' is not http or https;"
    )
    assert [path for path, _ in server.requests] == ["/to-ftp"]


def test_redirect_without_location(server: _Server) -> None:
    """A redirect status with no Location header is an error, not a page."""
    with pytest.raises(IngestError, match=r"answered 302 \(a redirect\) with no Location"):
        fetch(f"{server.base}/no-location")


@pytest.mark.parametrize(
    ("path", "status", "advice"),
    [
        ("/missing", "HTTP 404 Not Found", "the page is not (or no longer) there"),
        ("/broken", "HTTP 500 Internal Server Error", "the server failed; try again later"),
    ],
)
def test_error_status(server: _Server, path: str, status: str, advice: str) -> None:
    """A status of 400 or more is an error naming the status, the URL and what to do."""
    with pytest.raises(IngestError) as caught:
        fetch(f"{server.base}{path}")
    assert str(caught.value).startswith(
        f"cannot fetch {server.base}{path}: the server answered {status}; {advice}"
    )


def test_error_status_after_redirect(server: _Server) -> None:
    """After a redirect, the error names the URL that failed and the one asked for."""
    with pytest.raises(IngestError) as caught:
        fetch(f"{server.base}/withdrawn")
    assert str(caught.value).startswith(
        f"cannot fetch {server.base}/missing (redirected from {server.base}/withdrawn): "
        "the server answered HTTP 404 Not Found;"
    )
    assert caught.value.source == f"{server.base}/withdrawn"


@pytest.mark.parametrize("path", ["/huge", "/huge-declared"], ids=["streamed", "declared"])
def test_body_over_the_limit_refused(server: _Server, path: str) -> None:
    """A body larger than max_bytes is refused while reading (or from its declared
    Content-Length), naming the limit and the URL; nothing is returned."""
    with pytest.raises(IngestError) as caught:
        fetch(f"{server.base}{path}", max_bytes=LIMIT)
    message = str(caught.value)
    assert message.startswith(
        f"cannot fetch {server.base}{path}: its body is larger than the limit of {LIMIT} "
        "bytes (max_bytes); nothing was kept;"
    )
    # The same page is fetched whole with a limit above its size.
    body, _ = fetch(f"{server.base}{path}", max_bytes=HUGE)
    assert len(body) == HUGE


def test_gzip_body_decoded(server: _Server) -> None:
    """A gzip-encoded body comes back decoded, as a reader of the page sees it."""
    body, provenance = fetch(f"{server.base}/gzip")
    assert body == TEXT
    assert provenance.content_type == "text/plain; charset=utf-8"


def test_unknown_content_encoding_refused(server: _Server) -> None:
    """A content coding urllib3 cannot remove is an error, not encoded bytes kept."""
    with pytest.raises(IngestError) as caught:
        fetch(f"{server.base}/unknown-coding")
    assert str(caught.value).startswith(
        f"cannot fetch {server.base}/unknown-coding: the server sent it with Content-Encoding "
        "'x-unknown', which cannot be decoded here (known: gzip, x-gzip, deflate"
    )


@pytest.mark.parametrize("path", ["/stall", "/stall-body"], ids=["headers", "body"])
def test_stalled_server_times_out(server: _Server, path: str) -> None:
    """A server that sends nothing for longer than the timeout (0.5 s), before its
    headers or in the middle of its body, is refused with a timeout message."""
    started = time.monotonic()
    with pytest.raises(IngestError) as caught:
        fetch(f"{server.base}{path}", timeout=0.5)
    elapsed = time.monotonic() - started
    assert str(caught.value) == (
        f"cannot fetch {server.base}{path}: the server sent nothing for 0.5 s (read timeout); "
        "try again later or pass a larger timeout"
    )
    assert isinstance(caught.value.__cause__, urllib3.exceptions.ReadTimeoutError)
    assert elapsed < 4


def test_connection_refused(closed_port: int) -> None:
    """Connecting to a port nobody listens on is a clear error."""
    url = f"http://127.0.0.1:{closed_port}/page"
    with pytest.raises(IngestError) as caught:
        fetch(url, timeout=2)
    message = str(caught.value)
    assert message.startswith(f"cannot fetch {url}: cannot connect to 127.0.0.1:{closed_port} (")
    assert "refused" in message.lower()
    assert message.endswith(
        "the server is down or refuses connections; check the URL and try again later"
    )
    assert isinstance(caught.value.__cause__, urllib3.exceptions.NewConnectionError)


def test_tls_failure(server: _Server) -> None:
    """A TLS handshake that fails (here: https to a server that speaks plain HTTP)
    is a clear error, with urllib3's SSLError as its cause."""
    url = server.base.replace("http://", "https://") + "/page"
    with pytest.raises(IngestError) as caught:
        fetch(url, timeout=2)
    assert str(caught.value).startswith(
        f"cannot fetch {url}: the TLS connection to {url.split('/')[2]} failed ("
    )
    assert str(caught.value).endswith(
        "its certificate could not be verified or the handshake failed; check the URL and "
        "the system's CA certificates (verification is never turned off)"
    )
    assert isinstance(caught.value.__cause__, urllib3.exceptions.SSLError)


def test_dns_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    """A host name that does not resolve is a clear error (no network needed: the
    resolver is replaced by one that fails as a real one does)."""

    def no_such_host(*_args: object, **_kwargs: object) -> list[Any]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    with pytest.raises(IngestError) as caught:
        fetch("https://orbit-forum.invalid/meeting", timeout=2)
    assert str(caught.value).startswith(
        "cannot fetch https://orbit-forum.invalid/meeting: the host name "
        "'orbit-forum.invalid' does not resolve (DNS failure: "
    )
    assert isinstance(caught.value.__cause__, urllib3.exceptions.NameResolutionError)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://files.example.org/orbit.txt", "its scheme is 'ftp'"),
        ("file:///srv/captures/orbit.html", "its scheme is 'file'"),
        ("captures/orbit-forum.html", "it has no scheme: it is a file path"),
        ("C:\\captures\\orbit.html", "it has no scheme: it is a file path"),
        ("news.example.org/orbit", "it has no scheme: it is a file path"),
        ("http://", "it has no host or holds white space"),
        ("https://news.example.org/orbit forum", "it has no host or holds white space"),
    ],
)
def test_not_an_http_url(url: str, problem: str) -> None:
    """Anything but an absolute http(s) URL is refused before any connection."""
    with pytest.raises(IngestError) as caught:
        fetch(url)
    assert str(caught.value).startswith(f"cannot fetch {url!r}: {problem}")
    assert "expected an absolute http:// or https:// URL" in str(caught.value)
    assert caught.value.source == url


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"timeout": 0}, "timeout must be a positive number of seconds"),
        ({"max_bytes": 0}, "max_bytes must be a positive int"),
        ({"user_agent": " padded "}, "user_agent must be one printable line"),
    ],
)
def test_bad_options(options: dict[str, Any], problem: str) -> None:
    """Bad options are refused before any connection."""
    with pytest.raises(IngestError, match=problem):
        fetch("http://127.0.0.1:9/page", **options)


def test_fetch_record_validates_the_chain() -> None:
    """A Fetch whose redirects do not lead from requested_url to final_url, or whose
    hops are not '<status> <from> -> <to>', is refused."""
    good: dict[str, Any] = {
        "requested_url": "http://a.example/x",
        "final_url": "https://a.example/x",
        "status": 200,
        "fetched_at": dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC),
        "content_type": None,
        "etag": None,
        "last_modified": None,
        "redirects": ("301 http://a.example/x -> https://a.example/x",),
        "user_agent": "orbit-forum-test/1.0",
    }
    Fetch(**good)
    for name, bad in [
        ("redirects", ("301 http://a.example/y -> https://a.example/x",)),
        ("redirects", ("moved http://a.example/x -> https://a.example/x",)),
        ("redirects", ()),
        ("status", 304),
        ("fetched_at", dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))),
        ("final_url", "ftp://a.example/x"),
        ("user_agent", ""),
    ]:
        with pytest.raises(InvalidMetadataError, match=re.escape(repr(name))):
            Fetch(**{**good, name: bad})
