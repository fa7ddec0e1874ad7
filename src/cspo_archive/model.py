"""The records of the archive: :class:`Snapshot`, its :class:`Metadata` and
:class:`Provenance`, and :class:`SnapshotRef`.

All are frozen attrs classes whose validators raise
:class:`~cspo_archive.exceptions.InvalidMetadataError` (or
:class:`~cspo_archive.exceptions.InvalidIdError` for ids), so an invalid
record cannot be constructed, whether by hand, by ingest or by reading a file.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, Final, TypeVar

import attrs
from attrs import field, frozen

from cspo_archive._lazy_re import LazyPattern
from cspo_archive._text import check_id, is_digest, text_digest
from cspo_archive._validators import (
    URL_RE,
    aware_datetime,
    canonical_text,
    digest,
    fail,
    instance,
    language,
    non_negative,
    optional_instance,
    optional_slug,
    optional_text_line,
    optional_url,
    slugs,
    span,
    steps,
    text_line,
    to_span,
    to_tuple,
    updated_dates,
)
from cspo_archive.exceptions import InvalidIdError, InvalidMetadataError

__all__ = [
    "DateSource",
    "DocumentType",
    "Fetch",
    "Metadata",
    "Provenance",
    "PublishedDate",
    "Snapshot",
    "SnapshotRef",
]

E = TypeVar("E", bound=enum.Enum)


class DocumentType(enum.StrEnum):
    """What kind of publication a snapshot is."""

    NEWS_STORY = "news-story"
    PRESS_RELEASE = "press-release"
    JOINT_STATEMENT = "joint-statement"
    VISION = "vision"
    SPEECH = "speech"
    POLICY_PAPER = "policy-paper"
    COMMUNIQUE = "communique"
    FACT_SHEET = "fact-sheet"
    OTHER = "other"


class DateSource(enum.StrEnum):
    """Where a publication date came from."""

    #: The capture itself states it ("Published 17 December 2025").
    STATED = "stated"
    #: Taken from another source (a joint release, another government's page).
    EXTERNAL = "external"
    #: Reasoned from indirect evidence in or around the capture.
    INFERRED = "inferred"


# --- enum converters ---


def _to_enum(kind: type[E], value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, kind):
        try:
            return kind(value)
        except ValueError:
            choices = ", ".join(repr(m.value) for m in kind)
            msg = f"{value!r} is not a {kind.__name__}; choose one of {choices}"
            raise InvalidMetadataError(msg, field=kind.__name__, value=value) from None
    return value


def _to_date_source(value: Any) -> Any:
    return _to_enum(DateSource, value)


def _to_document_type(value: Any) -> Any:
    return _to_enum(DocumentType, value)


# --- records ---------------------------------------------------------------------


@frozen
class PublishedDate:
    """A publication date and where it came from.

    ``note`` says exactly where: the line of the capture that states it, or
    the other source it was taken from, or the reasoning that inferred it.
    """

    value: dt.date = field(validator=instance(dt.date, "a datetime.date"))
    source: DateSource = field(
        converter=_to_date_source,
        validator=instance(DateSource, "a DateSource"),
    )
    note: str = field(validator=text_line)


@frozen
class Metadata:
    """What is known about a publication, apart from its text."""

    title: str = field(validator=text_line)
    publisher: str = field(validator=text_line)
    document_type: DocumentType = field(
        converter=_to_document_type,
        validator=instance(DocumentType, "a DocumentType"),
    )
    published: PublishedDate = field(validator=instance(PublishedDate, "a PublishedDate"))
    licence: str = field(validator=text_line)
    source_url: str | None = field(default=None, validator=optional_url)
    updated: tuple[dt.date, ...] = field(default=(), converter=to_tuple, validator=updated_dates)
    captured_at: dt.datetime | None = field(default=None, validator=aware_datetime)
    language: str = field(default="en", validator=language)
    series: str | None = field(default=None, validator=optional_slug)
    tags: tuple[str, ...] = field(default=(), converter=to_tuple, validator=slugs)


#: The most redirects :func:`fetch` follows; one more is an error.
MAX_REDIRECTS: Final = 10
#: One hop of a redirect chain, as :attr:`Fetch.redirects` records it.
_HOP = LazyPattern(r"(30[12378]) (\S+) -> (\S+)")


_url = [instance(str, "an absolute http(s) URL"), optional_url]


def _utc(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.datetime) or value.utcoffset() != dt.timedelta(0):
        fail(attribute, value, "a timezone-aware datetime in UTC")


def _final_status(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 200 <= value <= 299:
        fail(attribute, value, "a 2xx HTTP status (a fetch that ends otherwise is an error)")


def _redirects(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    expected = "a tuple of '<301|302|303|307|308> <from URL> -> <to URL>' strings"
    if not isinstance(value, tuple) or any(not isinstance(hop, str) for hop in value):
        fail(attribute, value, expected)
    assert isinstance(value, tuple)
    if len(value) > MAX_REDIRECTS:
        fail(attribute, value, f"at most {MAX_REDIRECTS} hops")
    # Validators run once every field is set: the chain must lead from one URL to the other.
    current = getattr(inst, "requested_url", None)
    for hop in value:
        match = _HOP.fullmatch(hop)
        if match is None or not all(URL_RE.fullmatch(url) for url in match.group(2, 3)):
            fail(attribute, value, f"{expected}, not {hop!r}")
        assert match is not None
        if match.group(2) != current:
            fail(attribute, value, f"a chain whose hop {hop!r} starts where the last ended")
        current = match.group(3)
    if current != getattr(inst, "final_url", None):
        fail(attribute, value, "a chain from requested_url that ends at final_url")


@frozen
class Fetch:
    """How a capture was fetched from the web: by cspo-archive (``user_agent`` says as
    what), or by a crawler whose WARC record it was read from (``warc_record``).

    ``redirects`` holds each hop followed, in order, as ``"<status> <from
    URL> -> <to URL>"``; it leads from ``requested_url`` to ``final_url``
    (empty when they are the same). ``status``, ``content_type``, ``etag``
    and ``last_modified`` are those of the final response, ``fetched_at``
    the moment its headers arrived (UTC), and ``user_agent`` what was sent.
    """

    requested_url: str = field(validator=_url)
    final_url: str = field(validator=_url)
    status: int = field(validator=_final_status)
    fetched_at: dt.datetime = field(validator=[_utc, aware_datetime])
    content_type: str | None = field(default=None, validator=optional_text_line)
    etag: str | None = field(default=None, validator=optional_text_line)
    last_modified: str | None = field(default=None, validator=optional_text_line)
    redirects: tuple[str, ...] = field(default=(), converter=to_tuple, validator=_redirects)
    user_agent: str | None = field(default=None, validator=optional_text_line)
    #: ``<WARC-Record-ID> in <file name> (<file digest>)`` when read from a WARC file.
    warc_record: str | None = field(default=None, validator=optional_text_line)


def _optional_pages(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if (
        not isinstance(value, tuple)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or not 1 <= value[0] <= value[1]
    ):
        fail(attribute, value, "a (first, last) pair of 1-based page numbers, or None")


@frozen
class Provenance:
    """Where a snapshot's text came from and how it was made from it.

    ``lines`` are 1-based and inclusive, ``characters`` 0-based and half-open.
    For a text capture (``media_type`` ``text/plain``, or not recorded) both
    are counted in the decoded capture before any normalisation (line breaks
    counted as ``\\n``, ``\\r\\n`` or ``\\r``); for HTML, PDF and Content API
    captures, in the text the ``extractor`` made from the capture (the same
    extractor version on the same bytes makes the same text).

    ``media_type``, ``extractor``, ``pages`` and ``fetch`` were added in
    cspo-archive 0.2: snapshots made earlier have ``None`` there, meaning "not
    recorded" (they were all plain-text captures read by ingest's first rules).
    """

    capture_digest: str = field(validator=digest)
    capture_name: str | None = field(validator=optional_text_line)
    capture_method: str = field(validator=text_line)
    encoding: str = field(validator=text_line)
    lines: tuple[int, int] = field(converter=to_span, validator=span)
    characters: tuple[int, int] = field(converter=to_span, validator=span)
    steps: tuple[str, ...] = field(default=(), converter=to_tuple, validator=steps)
    replacement_characters: int = field(default=0, validator=non_negative)
    #: The capture's kind: ``text/plain``, ``text/html``, ``application/pdf``...
    media_type: str | None = field(default=None, validator=optional_text_line)
    #: What made the text, with versions: ``cspo-archive-ingest 2``, or
    #: ``trafilatura 2.0.0 + cspo-archive-ingest 2``.
    extractor: str | None = field(default=None, validator=optional_text_line)
    #: The PDF pages the publication spans (first, last; 1-based).
    pages: tuple[int, int] | None = field(
        default=None, converter=to_span, validator=_optional_pages
    )
    #: How the capture was fetched, when it came from a URL or a WARC record.
    fetch: Fetch | None = field(default=None, validator=optional_instance(Fetch, "a Fetch"))


def _valid_id(_inst: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    check_id(value)


@frozen
class Snapshot:
    """One publication, exactly as archived: never edited, never deleted.

    ``digest`` is computed from ``text`` (``sha256:`` of its UTF-8 bytes), so
    a Snapshot object can never disagree with its own digest.
    """

    id: str = field(validator=_valid_id)
    metadata: Metadata = field(validator=instance(Metadata, "a Metadata"))
    provenance: Provenance = field(validator=instance(Provenance, "a Provenance"))
    text: str = field(repr=lambda t: f"<{len(t)} characters>", validator=canonical_text)
    digest: str = field(init=False)

    @digest.default
    def _digest_of_text(self) -> str:
        return text_digest(self.text)

    @property
    def ref(self) -> SnapshotRef:
        """The pinned reference ``<id>@sha256:<hex>`` of this snapshot."""
        return SnapshotRef(self.id, self.digest)


@frozen
class SnapshotRef:
    """A reference to a snapshot: ``<id>`` or, pinned, ``<id>@sha256:<hex>``."""

    id: str = field(validator=_valid_id)
    digest: str | None = field(default=None)

    @digest.validator
    def _check_digest(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not is_digest(value):
            msg = (
                f"the digest of reference to {self.id!r} must be 'sha256:' followed by 64 "
                f"lowercase hex digits (got {value!r})"
            )
            raise InvalidIdError(msg, value=value)

    @property
    def is_pinned(self) -> bool:
        """Whether the reference names a digest as well as an id."""
        return self.digest is not None

    @classmethod
    def parse(cls, text: str) -> SnapshotRef:
        """Parse ``<id>`` or ``<id>@sha256:<64 hex>``.

        Raises :class:`~cspo_archive.exceptions.InvalidIdError` with the
        offending part quoted.
        """
        value: object = text
        if not isinstance(value, str):
            kind = type(value).__name__
            msg = f"a snapshot reference must be a str (got {value!r} that is a {kind})"
            raise InvalidIdError(msg, value=value)
        snapshot_id, sep, digest = value.partition("@")
        if not sep:
            return cls(snapshot_id)
        if not is_digest(digest):
            msg = (
                f"reference {text!r} is not of the form '<id>@sha256:<64 lowercase hex>': "
                f"the part after '@' is {digest!r}"
            )
            raise InvalidIdError(msg, value=text)
        return cls(snapshot_id, digest)

    def __str__(self) -> str:
        return self.id if self.digest is None else f"{self.id}@{self.digest}"
