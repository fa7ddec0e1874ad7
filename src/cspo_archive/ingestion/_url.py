"""Fetching a page over HTTP(S): the bytes, and a :class:`Fetch` saying how they came.

:func:`fetch` takes an ``http://`` or ``https://`` URL and returns the body a
reader of the page sees (content codings such as gzip removed) with its
provenance: the URL asked for, the URL that answered, every redirect on the
way, the validators (``ETag``, ``Last-Modified``) and the User-Agent sent.
urllib3 is imported only when a URL is fetched.

Redirects are followed by hand, at most :data:`MAX_REDIRECTS`, each recorded
as ``"<status> <from URL> -> <to URL>"`` (e.g. ``"301 http://a.example/x ->
https://a.example/x"``), so a reader can replay the chain. Every failure
(not an http(s) URL, DNS, refused connection, timeout, TLS, an HTTP status of
400 or more, too many redirects, a body over the size limit) raises
:class:`~cspo_archive.exceptions.IngestError` whose ``source`` is the URL asked
for, with the urllib3 error as its ``__cause__``.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import math
import urllib.parse
from typing import TYPE_CHECKING, Final

from cspo_archive._validators import (
    URL_RE,
)
from cspo_archive.exceptions import IngestError, InvalidMetadataError
from cspo_archive.model import MAX_REDIRECTS, Fetch

if TYPE_CHECKING:
    import urllib3

__all__ = ["MAX_REDIRECTS", "Fetch", "default_user_agent", "fetch"]

#: The statuses that redirect (with a ``Location`` header).
REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
_CHUNK: Final = 64 * 1024


def default_user_agent() -> str:
    """The User-Agent :func:`fetch` sends unless told otherwise.

    It names the project and its version, what it does, and the HTTP library:
    ``cspo-archive/0.1.0 (archiving public statements; python-urllib3/2.2.1)``.
    """
    try:
        version = importlib.metadata.version("cspo-archive")
    except importlib.metadata.PackageNotFoundError:
        version = "0+unknown"
    library = importlib.metadata.version("urllib3")
    return f"cspo-archive/{version} (archiving public statements; python-urllib3/{library})"


# --- fetching -------------------------------------------------------------------------


def fetch(
    url: str,
    *,
    timeout: float = 30.0,
    max_bytes: int = 50_000_000,
    user_agent: str | None = None,
) -> tuple[bytes, Fetch]:
    """Fetch *url* (``http`` or ``https`` only) and return its body with a :class:`Fetch`.

    *timeout* (seconds) bounds connecting and each wait for data (not the
    whole transfer); *max_bytes* bounds the body as returned (after content
    decoding), enforced while it is read: a larger body is refused and
    nothing is kept. *user_agent* replaces :func:`default_user_agent`.

    Redirects (301, 302, 303, 307, 308) are followed, at most
    :data:`MAX_REDIRECTS`, only to ``http(s)`` URLs, each recorded in
    :attr:`Fetch.redirects`. The body is decoded from the ``Content-Encoding``
    the server applied (gzip, deflate; br and zstd when urllib3 has their
    modules, and only those are advertised in ``Accept-Encoding``).

    Raises :class:`~cspo_archive.exceptions.IngestError` (``source`` is
    *url*) for anything but a 2xx response at the end of the chain, with a
    message saying what failed, where, and what to do.
    """
    import urllib3

    _check_url(url)
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, int | float)
        or not (math.isfinite(timeout) and timeout > 0)
    ):
        msg = f"cannot fetch {url}: timeout must be a positive number of seconds, got {timeout!r}"
        raise IngestError(msg, source=url)
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        msg = f"cannot fetch {url}: max_bytes must be a positive int, got {max_bytes!r}"
        raise IngestError(msg, source=url)
    agent = default_user_agent() if user_agent is None else user_agent
    if not isinstance(agent, str) or not agent or agent != agent.strip() or not agent.isprintable():
        msg = (
            f"cannot fetch {url}: user_agent must be one printable line with no surrounding "
            f"white space, got {agent!r}"
        )
        raise IngestError(msg, source=url)
    headers = {
        "User-Agent": agent,
        "Accept-Encoding": urllib3.util.make_headers(accept_encoding=True)["accept-encoding"],
    }
    limits = urllib3.Timeout(connect=timeout, read=timeout)
    hops: list[str] = []
    current = url
    with urllib3.PoolManager(timeout=limits, retries=False) as pool:
        while True:
            response = _request(pool, current, headers, url, timeout)
            try:
                status = response.status
                if status in REDIRECT_STATUSES:
                    target = _redirect_target(response, current, url, hops)
                    hops.append(f"{status} {current} -> {target}")
                    current = target
                    continue
                fetched_at = dt.datetime.now(dt.UTC)
                _check_status(response, current, url)
                _check_encoding(response, current, url)
                body = _read_body(response, current, url, max_bytes, timeout)
            finally:
                response.close()
                response.release_conn()
            try:
                provenance = Fetch(
                    requested_url=url,
                    final_url=current,
                    status=status,
                    fetched_at=fetched_at,
                    content_type=_header(response, "Content-Type"),
                    etag=_header(response, "ETag"),
                    last_modified=_header(response, "Last-Modified"),
                    redirects=tuple(hops),
                    user_agent=agent,
                )
            except InvalidMetadataError as exc:
                msg = (
                    f"cannot record the fetch of {url}: {exc}; the server sent a header "
                    "value that is not one printable line"
                )
                raise IngestError(msg, source=url) from exc
            return body, provenance


def _check_url(url: object) -> None:
    if not isinstance(url, str):
        msg = f"cannot fetch {url!r}: expected the URL as a str, got a {type(url).__name__}"
        raise IngestError(msg, source=repr(url))
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() in ("http", "https") and parts.netloc and URL_RE.fullmatch(url):
        return
    if parts.scheme.lower() in ("http", "https"):
        problem = "it has no host or holds white space"
    elif not parts.scheme or len(parts.scheme) == 1:  # "C:\\..." is a Windows path
        problem = "it has no scheme: it is a file path, or an address without its http(s)://"
    else:
        problem = f"its scheme is {parts.scheme!r}"
    msg = (
        f"cannot fetch {url!r}: {problem}; expected an absolute http:// or https:// URL "
        "(to read a saved file, read its bytes and pass them to the reader of its kind)"
    )
    raise IngestError(msg, source=url)


def _request(
    pool: urllib3.PoolManager, current: str, headers: dict[str, str], url: str, timeout: float
) -> urllib3.BaseHTTPResponse:
    import urllib3

    try:
        return pool.request(
            "GET",
            current,
            headers=headers,
            redirect=False,
            retries=False,
            preload_content=False,
            decode_content=True,
        )
    except urllib3.exceptions.HTTPError as exc:
        raise _transport_error(exc, current, url, timeout) from exc


def _redirect_target(
    response: urllib3.BaseHTTPResponse, current: str, url: str, hops: list[str]
) -> str:
    status = response.status
    location = (response.headers.get("Location") or "").strip()
    if not location:
        msg = (
            f"cannot fetch {url}: {current} answered {status} (a redirect) with no Location "
            "header; the server is misconfigured; open the URL in a browser to find the "
            "page's address and fetch that"
        )
        raise IngestError(msg, source=url)
    target = urllib.parse.urljoin(current, location)
    scheme = urllib.parse.urlsplit(target).scheme.lower()
    if scheme not in ("http", "https"):
        msg = (
            f"cannot fetch {url}: {current} answered {status} redirecting to {target!r}, "
            f"whose scheme {scheme!r} is not http or https; only http(s) redirects are "
            "followed; fetch the page some other way and read its bytes"
        )
        raise IngestError(msg, source=url)
    if URL_RE.fullmatch(target) is None:
        msg = (
            f"cannot fetch {url}: {current} answered {status} redirecting to {target!r}, "
            "which is not a valid URL (it holds white space or has no host); the server "
            "is misconfigured"
        )
        raise IngestError(msg, source=url)
    if len(hops) >= MAX_REDIRECTS:
        visited = {url} | {hop.rsplit(" -> ", 1)[1] for hop in hops}
        loop = (
            " (the chain comes back to a URL it visited: a redirect loop)"
            if target in visited
            else ""
        )
        msg = (
            f"cannot fetch {url}: more than {MAX_REDIRECTS} redirects{loop}; followed: "
            + "; ".join(hops)
            + f"; then {status} {current} -> {target}; open the URL in a browser to see "
            "where it leads and fetch the final address"
        )
        raise IngestError(msg, source=url)
    return target


def _check_status(response: urllib3.BaseHTTPResponse, current: str, url: str) -> None:
    status = response.status
    if 200 <= status <= 299:
        return
    reason = f" {response.reason}" if response.reason else ""
    where = _where(current, url)
    if status == 404 or status == 410:
        advice = (
            "the page is not (or no longer) there: check the URL; if it was withdrawn, "
            "look for a capture in a web archive and read that WARC"
        )
    elif status in (401, 403):
        advice = "the server refuses access to it; archive only pages open to the public"
    elif status == 429:
        advice = "the server asks for fewer requests: wait, then try again"
    elif status >= 500:
        advice = "the server failed; try again later"
    elif status >= 400:
        advice = "the server refused the request; check the URL"
    else:
        advice = "expected a 2xx response or a redirect with a Location header"
    msg = f"cannot fetch {where}: the server answered HTTP {status}{reason}; {advice}"
    raise IngestError(msg, source=url)


def _check_encoding(response: urllib3.BaseHTTPResponse, current: str, url: str) -> None:
    import urllib3

    header = response.headers.get("Content-Encoding") or ""
    codings = [token.strip().lower() for token in header.split(",") if token.strip()]
    known = urllib3.HTTPResponse.CONTENT_DECODERS
    unknown = [coding for coding in codings if coding != "identity" and coding not in known]
    if unknown:
        modules = {"br": "brotli", "zstd": "zstandard"}
        missing = sorted({modules[coding] for coding in unknown if coding in modules})
        advice = (
            f"install {' and '.join(missing)} and fetch again"
            if missing
            else "the server ignored the Accept-Encoding sent; report it to the site or "
            "capture the page with a browser"
        )
        msg = (
            f"cannot fetch {_where(current, url)}: the server sent it with Content-Encoding "
            f"{header!r}, which cannot be decoded here (known: {', '.join(known)}); {advice}"
        )
        raise IngestError(msg, source=url)


def _read_body(
    response: urllib3.BaseHTTPResponse, current: str, url: str, max_bytes: int, timeout: float
) -> bytes:
    import urllib3

    too_large = (
        f"cannot fetch {_where(current, url)}: its body is larger than the limit of "
        f"{max_bytes} bytes (max_bytes); nothing was kept; pass a larger max_bytes if the "
        "page is really that large"
    )
    declared = response.headers.get("Content-Length")
    if (
        declared is not None
        and declared.strip().isascii()
        and declared.strip().isdigit()
        and not response.headers.get("Content-Encoding")
        and int(declared) > max_bytes
    ):
        raise IngestError(too_large + f" (it declares {int(declared)} bytes)", source=url)
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.stream(_CHUNK, decode_content=True):
            size += len(chunk)
            if size > max_bytes:
                chunks.clear()
                raise IngestError(too_large, source=url)
            chunks.append(chunk)
    except urllib3.exceptions.HTTPError as exc:
        raise _transport_error(exc, current, url, timeout) from exc
    return b"".join(chunks)


def _where(current: str, url: str) -> str:
    """The URL that failed, and the one asked for when a redirect led there."""
    return current if current == url else f"{current} (redirected from {url})"


def _header(response: urllib3.BaseHTTPResponse, name: str) -> str | None:
    value = response.headers.get(name)
    return (value.strip() or None) if isinstance(value, str) else None


def _transport_error(exc: Exception, current: str, url: str, timeout: float) -> IngestError:
    import urllib3.exceptions as errors

    parts = urllib.parse.urlsplit(current)
    host = parts.hostname or current
    reason = " ".join(str(getattr(exc, "reason", None) or exc).split())
    where = _where(current, url)
    if isinstance(exc, errors.NameResolutionError):
        msg = (
            f"cannot fetch {where}: the host name {host!r} does not resolve (DNS failure: "
            f"{reason}); check its spelling and the network connection"
        )
    elif isinstance(exc, errors.NewConnectionError):
        msg = (
            f"cannot fetch {where}: cannot connect to {parts.netloc} ({reason}); the server "
            "is down or refuses connections; check the URL and try again later"
        )
    elif isinstance(exc, errors.ConnectTimeoutError):
        msg = (
            f"cannot fetch {where}: no connection to {parts.netloc} within {timeout:g} s "
            "(connect timeout); try again later or pass a larger timeout"
        )
    elif isinstance(exc, errors.ReadTimeoutError):
        msg = (
            f"cannot fetch {where}: the server sent nothing for {timeout:g} s (read "
            "timeout); try again later or pass a larger timeout"
        )
    elif isinstance(exc, errors.SSLError):
        msg = (
            f"cannot fetch {where}: the TLS connection to {parts.netloc} failed ({reason}); "
            "its certificate could not be verified or the handshake failed; check the URL "
            "and the system's CA certificates (verification is never turned off)"
        )
    elif isinstance(exc, errors.DecodeError):
        msg = (
            f"cannot fetch {where}: the body does not decode as its Content-Encoding "
            f"says ({reason}); the server sent a damaged response; try again later"
        )
    elif isinstance(exc, errors.ProtocolError):
        msg = (
            f"cannot fetch {where}: the connection broke before the response was complete "
            f"({reason}); nothing was kept; try again"
        )
    elif isinstance(exc, errors.LocationValueError):
        msg = f"cannot fetch {where}: it is not a URL urllib3 can request ({reason}); check it"
    else:
        msg = f"cannot fetch {where}: {type(exc).__name__}: {reason}; try again later"
    return IngestError(msg, source=url)
