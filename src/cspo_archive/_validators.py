"""Validators and converters for the attrs records (model and ingest).

Each validator raises :class:`~cspo_archive.exceptions.InvalidMetadataError`
with the attrs-style message "'field' must be ... (got value that is a type)".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import attrs

from cspo_archive._lazy_re import LazyPattern
from cspo_archive._text import canonical_problem, is_digest
from cspo_archive.exceptions import InvalidMetadataError


def fail(attribute: attrs.Attribute[Any], value: object, expected: str) -> None:
    msg = f"{attribute.name!r} must be {expected} (got {value!r} that is a {type(value).__name__})"
    raise InvalidMetadataError(msg, field=attribute.name, value=value)


def instance(kind: type | tuple[type, ...], expected: str) -> Callable[..., None]:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        # A datetime is a date, but a publication date is a day, not an instant.
        if not isinstance(value, kind) or (kind is dt.date and isinstance(value, dt.datetime)):
            fail(attribute, value, expected)

    return check


#: Control characters (C0 but tab, DEL, C1): no title or note needs them, and one
#: such as ESC would reach a terminal that shows the value.
#: Lone surrogates (U+D800-U+DFFF) are not characters: UTF-8 cannot encode them.
_CONTROLS = LazyPattern(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")


def optional_instance(kind: type, expected: str) -> Callable[..., None]:
    """A validator of an optional field: None, or an instance of *kind* (*expected*)."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, kind):
            fail(attribute, value, f"{expected} or None")

    return check


def tuple_of(kind: type, expected: str) -> Callable[..., None]:
    """A validator of a tuple whose items are all instances of *kind* (*expected*)."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple) or any(not isinstance(v, kind) for v in value):
            fail(attribute, value, expected)

    return check


def text_line(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if (
        not isinstance(value, str)
        or not value.strip()
        or value != value.strip()
        or _CONTROLS.search(value) is not None
    ):
        fail(
            attribute,
            value,
            "a non-empty single line with no surrounding white space, no control characters "
            "and no lone surrogates",
        )


def optional_text_line(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        text_line(inst, attribute, value)


SLUG_RE = LazyPattern(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slug(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or SLUG_RE.fullmatch(value) is None:
        fail(attribute, value, "a lowercase slug like 'principals-board'")


def optional_slug(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        slug(inst, attribute, value)


def slugs(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or any(
        not isinstance(v, str) or SLUG_RE.fullmatch(v) is None for v in value
    ):
        fail(attribute, value, "a tuple of lowercase slugs like ('vision-2031',)")
    assert isinstance(value, tuple)
    if list(value) != sorted(set(value)):
        fail(attribute, value, "sorted and without repeats (use Metadata.create or sorted(set()))")


URL_RE = LazyPattern(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)


def optional_url(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (not isinstance(value, str) or URL_RE.fullmatch(value) is None):
        fail(attribute, value, "an absolute http(s) URL or None")


LANGUAGE_RE = LazyPattern(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def language(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or LANGUAGE_RE.fullmatch(value) is None:
        fail(attribute, value, "a BCP 47 language tag like 'en' or 'en-GB'")


def digest(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not is_digest(value):
        fail(attribute, value, "'sha256:' followed by 64 lowercase hex digits")


def aware_datetime(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        fail(attribute, value, "a timezone-aware datetime or None")


def non_negative(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        fail(attribute, value, "a non-negative int")


def span(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if (
        not isinstance(value, tuple)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or value[0] < 0
        or value[1] < value[0]
    ):
        fail(attribute, value, "a (start, end) pair of ints with 0 <= start <= end")


def steps(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or any(
        not isinstance(v, str) or not v.strip() or "\n" in v for v in value
    ):
        fail(attribute, value, "a tuple of one-line step descriptions")


def updated_dates(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or any(
        not isinstance(v, dt.date) or isinstance(v, dt.datetime) for v in value
    ):
        fail(attribute, value, "a tuple of datetime.date")
    assert isinstance(value, tuple)
    if list(value) != sorted(set(value)):
        fail(attribute, value, "sorted and without repeats")
    published = getattr(getattr(inst, "published", None), "value", None)
    if value and isinstance(published, dt.date) and value[0] < published:
        fail(attribute, value, f"on or after the published date {published.isoformat()}")


def to_tuple(value: Any) -> Any:
    """Accept any iterable where a tuple is stored (lists from JSON, sets of tags)."""
    if isinstance(value, list | set | frozenset):
        return tuple(sorted(value)) if isinstance(value, set | frozenset) else tuple(value)
    return value


def to_span(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def canonical_text(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Text in the archive's canonical form (see :func:`cspo_archive.canonicalize`)."""
    if not isinstance(value, str):
        fail(attribute, value, "a str")
    assert isinstance(value, str)
    problem = canonical_problem(value)
    if problem is not None:
        msg = (
            f"{attribute.name!r} is not acceptable text: {problem}; pass it through "
            f"cspo_archive.ingest() or cspo_archive.canonicalize() first"
        )
        raise InvalidMetadataError(msg, field=attribute.name, value=value[:80])
