"""The frozen, validated records: Metadata, Provenance, Snapshot, SnapshotRef."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from conftest import build_snapshot
from cspo_archive import (
    DateSource,
    DocumentType,
    InvalidIdError,
    InvalidMetadataError,
    Metadata,
    PublishedDate,
    Snapshot,
    SnapshotRef,
)
from cspo_archive._serialize import structure, unstructure
from cspo_archive._text import text_digest

DIGEST = "sha256:" + "ab" * 32


def _metadata(**changes: Any) -> Metadata:
    snapshot, _ = build_snapshot()
    return attrs.evolve(snapshot.metadata, **changes)


def test_snapshot_digest_is_computed_from_the_text() -> None:
    """The digest is sha256 of the UTF-8 text and cannot be passed in."""
    snapshot, _ = build_snapshot("Café.\n")
    assert snapshot.digest == text_digest("Café.\n")
    assert not attrs.fields_dict(Snapshot)["digest"].init


def test_records_are_frozen() -> None:
    """No field of a snapshot can be reassigned."""
    snapshot, _ = build_snapshot()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        snapshot.text = "changed\n"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("title", "", "non-empty single line"),
        ("title", " padded", "non-empty single line"),
        ("title", "two\nlines", "non-empty single line"),
        ("title", "ANSI \x1b[31mred", "no control characters"),
        ("publisher", "C1 \x85 next line", "no control characters"),
        ("source_url", "ftp://example.org/x", "http(s) URL"),
        ("source_url", "www.gov.uk/x", "http(s) URL"),
        ("language", "English", "BCP 47"),
        ("series", "Principals Board", "lowercase slug"),
        ("tags", ("b", "a"), "sorted"),
        ("captured_at", dt.datetime(2025, 12, 18, 9, 0), "timezone-aware"),
        ("updated", (dt.date(2020, 1, 1),), "on or after the published date"),
    ],
)
def test_invalid_metadata_is_refused_with_the_field_named(
    field: str, value: object, expected: str
) -> None:
    """Each bad value raises InvalidMetadataError naming the field, the value and its type."""
    with pytest.raises(InvalidMetadataError) as info:
        _metadata(**{field: value})
    assert info.value.field == field
    assert expected in str(info.value)
    assert repr(value) in str(info.value)


def test_unknown_document_type_lists_the_choices() -> None:
    """A document type that does not exist is refused with every valid choice listed."""
    with pytest.raises(InvalidMetadataError, match="'joint-statement'"):
        _metadata(document_type="blog post")


def test_date_source_accepts_its_string_values() -> None:
    """Enums may be given by value, as they are stored on disk."""
    date = PublishedDate(dt.date(2022, 2, 22), "external", "joint release")
    assert date.source is DateSource.EXTERNAL


def test_published_date_must_say_where_it_came_from() -> None:
    """An empty note is refused: every date records its source."""
    with pytest.raises(InvalidMetadataError, match="'note'"):
        PublishedDate(dt.date(2022, 2, 22), DateSource.INFERRED, "")


def test_a_datetime_is_not_a_publication_date() -> None:
    """A publication date is a day; a datetime is refused."""
    with pytest.raises(InvalidMetadataError, match="'value'"):
        PublishedDate(dt.datetime(2022, 2, 22, tzinfo=dt.UTC), DateSource.STATED, "x")


@pytest.mark.parametrize(
    "text", ["", "   \n", "no final newline", "a\r\nb\n", "trailing space \n", "nul\x00\n"]
)
def test_snapshot_text_must_be_canonical(text: str) -> None:
    """Text that is empty, not NFC/LF, or holds controls cannot become a snapshot."""
    snapshot, _ = build_snapshot()
    with pytest.raises(InvalidMetadataError, match="'text' is not acceptable text"):
        Snapshot(snapshot.id, snapshot.metadata, snapshot.provenance, text)


def test_snapshot_id_is_validated() -> None:
    """A snapshot cannot be built with a hostile id."""
    snapshot, _ = build_snapshot()
    with pytest.raises(InvalidIdError):
        Snapshot("../../etc", snapshot.metadata, snapshot.provenance, snapshot.text)


def test_metadata_round_trips_through_cattrs() -> None:
    """Unstructure then structure gives an equal record (dates, enums, tuples)."""
    metadata = _metadata(updated=(dt.date(2026, 1, 5),), series="principals-board")
    data = unstructure(metadata)
    assert data["published"] == {
        "note": "stated in the test capture",
        "source": "stated",
        "value": "2025-12-17",
    }
    assert structure(data, Metadata, what="metadata") == metadata


def test_structure_refuses_unknown_keys() -> None:
    """A stored record with a field this version does not know is an error, not ignored."""
    data = unstructure(_metadata())
    data["surprise"] = 1
    with pytest.raises(ValueError, match="surprise"):
        structure(data, Metadata, what="metadata")


def test_structure_refuses_wrong_types() -> None:
    """Numbers are not silently turned into strings."""
    data = unstructure(_metadata())
    data["title"] = 12
    with pytest.raises(ValueError, match="title"):
        structure(data, Metadata, what="metadata")


def test_ref_parses_and_prints() -> None:
    """'<id>@sha256:<hex>' parses into id and digest and prints back unchanged."""
    text = f"2025-12-17-x@{DIGEST}"
    ref = SnapshotRef.parse(text)
    assert ref == SnapshotRef("2025-12-17-x", DIGEST)
    assert ref.is_pinned
    assert str(ref) == text
    assert not SnapshotRef.parse("2025-12-17-x").is_pinned


@pytest.mark.parametrize(
    "text",
    [
        "x@",
        "x@sha256:",
        "x@md5:" + "0" * 32,
        "x@sha256:" + "A" * 64,
        "x@sha256:" + "0" * 63,
        "../x@" + DIGEST,
        "@" + DIGEST,
    ],
)
def test_bad_refs_are_refused(text: str) -> None:
    """Malformed references raise InvalidIdError quoting the reference."""
    with pytest.raises(InvalidIdError):
        SnapshotRef.parse(text)


def test_snapshot_ref_property_pins_the_digest() -> None:
    """A snapshot's ref carries its id and digest."""
    snapshot, _ = build_snapshot()
    assert snapshot.ref == SnapshotRef(snapshot.id, snapshot.digest)


def test_document_types_have_stable_values() -> None:
    """Stored values of document types never change (they are on disk)."""
    assert [t.value for t in DocumentType] == [
        "news-story",
        "press-release",
        "joint-statement",
        "vision",
        "speech",
        "policy-paper",
        "communique",
        "fact-sheet",
        "other",
    ]
