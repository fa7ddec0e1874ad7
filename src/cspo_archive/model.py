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
import re
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
from attrs import field, frozen

from cspo_archive._text import canonical_problem, check_id, is_digest, text_digest
from cspo_archive.exceptions import InvalidIdError, InvalidMetadataError

__all__ = [
    "DateSource",
    "DocumentType",
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


# --- validators ------------------------------------------------------------------


def _fail(attribute: attrs.Attribute[Any], value: object, expected: str) -> None:
    msg = f"{attribute.name!r} must be {expected} (got {value!r} that is a {type(value).__name__})"
    raise InvalidMetadataError(msg, field=attribute.name, value=value)


def _instance(kind: type | tuple[type, ...], expected: str) -> Callable[..., None]:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        # A datetime is a date, but a publication date is a day, not an instant.
        if not isinstance(value, kind) or (kind is dt.date and isinstance(value, dt.datetime)):
            _fail(attribute, value, expected)

    return check


def _text_line(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if (
        not isinstance(value, str)
        or not value.strip()
        or value != value.strip()
        or any(c in value for c in "\n\r\x00")
    ):
        _fail(attribute, value, "a non-empty single line with no surrounding white space")


def _optional_text_line(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _text_line(inst, attribute, value)


_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _slug(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or _SLUG_RE.fullmatch(value) is None:
        _fail(attribute, value, "a lowercase slug like 'principals-board'")


def _optional_slug(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _slug(inst, attribute, value)


def _slugs(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or any(
        not isinstance(v, str) or _SLUG_RE.fullmatch(v) is None for v in value
    ):
        _fail(attribute, value, "a tuple of lowercase slugs like ('vision-2031',)")
    assert isinstance(value, tuple)
    if list(value) != sorted(set(value)):
        _fail(attribute, value, "sorted and without repeats (use Metadata.create or sorted(set()))")


_URL_RE = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)


def _optional_url(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (not isinstance(value, str) or _URL_RE.fullmatch(value) is None):
        _fail(attribute, value, "an absolute http(s) URL or None")


_LANGUAGE_RE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def _language(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or _LANGUAGE_RE.fullmatch(value) is None:
        _fail(attribute, value, "a BCP 47 language tag like 'en' or 'en-GB'")


def _digest(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not is_digest(value):
        _fail(attribute, value, "'sha256:' followed by 64 lowercase hex digits")


def _aware_datetime(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        _fail(attribute, value, "a timezone-aware datetime or None")


def _non_negative(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        _fail(attribute, value, "a non-negative int")


def _span(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if (
        not isinstance(value, tuple)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or value[0] < 0
        or value[1] < value[0]
    ):
        _fail(attribute, value, "a (start, end) pair of ints with 0 <= start <= end")


def _steps(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or any(
        not isinstance(v, str) or not v.strip() or "\n" in v for v in value
    ):
        _fail(attribute, value, "a tuple of one-line step descriptions")


def _updated_dates(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or any(
        not isinstance(v, dt.date) or isinstance(v, dt.datetime) for v in value
    ):
        _fail(attribute, value, "a tuple of datetime.date")
    assert isinstance(value, tuple)
    if list(value) != sorted(set(value)):
        _fail(attribute, value, "sorted and without repeats")
    published = getattr(inst, "published", None)
    if value and isinstance(published, PublishedDate) and value[0] < published.value:
        _fail(attribute, value, f"on or after the published date {published.value.isoformat()}")


def _to_tuple(value: Any) -> Any:
    """Accept any iterable where a tuple is stored (lists from JSON, sets of tags)."""
    if isinstance(value, list | set | frozenset):
        return tuple(sorted(value)) if isinstance(value, set | frozenset) else tuple(value)
    return value


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


def _to_span(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


# --- records ---------------------------------------------------------------------


@frozen
class PublishedDate:
    """A publication date and where it came from.

    ``note`` says exactly where: the line of the capture that states it, or
    the other source it was taken from, or the reasoning that inferred it.
    """

    value: dt.date = field(validator=_instance(dt.date, "a datetime.date"))
    source: DateSource = field(
        converter=_to_date_source,
        validator=_instance(DateSource, "a DateSource"),
    )
    note: str = field(validator=_text_line)


@frozen
class Metadata:
    """What is known about a publication, apart from its text."""

    title: str = field(validator=_text_line)
    publisher: str = field(validator=_text_line)
    document_type: DocumentType = field(
        converter=_to_document_type,
        validator=_instance(DocumentType, "a DocumentType"),
    )
    published: PublishedDate = field(validator=_instance(PublishedDate, "a PublishedDate"))
    licence: str = field(validator=_text_line)
    source_url: str | None = field(default=None, validator=_optional_url)
    updated: tuple[dt.date, ...] = field(default=(), converter=_to_tuple, validator=_updated_dates)
    captured_at: dt.datetime | None = field(default=None, validator=_aware_datetime)
    language: str = field(default="en", validator=_language)
    series: str | None = field(default=None, validator=_optional_slug)
    tags: tuple[str, ...] = field(default=(), converter=_to_tuple, validator=_slugs)


@frozen
class Provenance:
    """Where a snapshot's text came from and how it was made from it.

    ``lines`` are 1-based and inclusive, ``characters`` 0-based and half-open,
    both counted in the decoded capture before any normalisation (line breaks
    counted as ``\\n``, ``\\r\\n`` or ``\\r``).
    """

    capture_digest: str = field(validator=_digest)
    capture_name: str | None = field(validator=_optional_text_line)
    capture_method: str = field(validator=_text_line)
    encoding: str = field(validator=_text_line)
    lines: tuple[int, int] = field(converter=_to_span, validator=_span)
    characters: tuple[int, int] = field(converter=_to_span, validator=_span)
    steps: tuple[str, ...] = field(default=(), converter=_to_tuple, validator=_steps)
    replacement_characters: int = field(default=0, validator=_non_negative)


def _canonical_text(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        _fail(attribute, value, "a str")
    assert isinstance(value, str)
    problem = canonical_problem(value)
    if problem is not None:
        msg = (
            f"snapshot text is not acceptable: {problem}; pass the text through "
            f"cspo_archive.ingest (or cspo_archive.canonicalize) first"
        )
        raise InvalidMetadataError(msg, field=attribute.name, value=value[:80])


def _valid_id(_inst: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    check_id(value)


@frozen
class Snapshot:
    """One publication, exactly as archived: never edited, never deleted.

    ``digest`` is computed from ``text`` (``sha256:`` of its UTF-8 bytes), so
    a Snapshot object can never disagree with its own digest.
    """

    id: str = field(validator=_valid_id)
    metadata: Metadata = field(validator=_instance(Metadata, "a Metadata"))
    provenance: Provenance = field(validator=_instance(Provenance, "a Provenance"))
    text: str = field(repr=lambda t: f"<{len(t)} characters>", validator=_canonical_text)
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
