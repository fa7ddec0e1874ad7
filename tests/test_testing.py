"""cspo_archive.testing: made-up snapshots that the archive accepts as they are."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cspo_archive import Archive, InvalidIdError, InvalidMetadataError
from cspo_archive._text import sha256_digest
from cspo_archive.testing import example_snapshot


def test_example_snapshot_is_added_and_read_back(tmp_path: Path) -> None:
    """The default example goes into an archive with its capture and reads back equal."""
    snapshot, capture = example_snapshot()
    archive = Archive.open(tmp_path / "archive", create=True)
    archive.add(snapshot, capture=capture)
    assert archive.get(snapshot.id) == snapshot
    assert archive.capture(snapshot.provenance.capture_digest) == capture


def test_capture_and_provenance_agree() -> None:
    """The provenance names the capture's digest and spans its lines and characters."""
    snapshot, capture = example_snapshot("Ünïcode text.\n", title="Tïtle")
    assert capture == "Tïtle\n\nÜnïcode text.\n".encode()
    assert snapshot.provenance.capture_digest == sha256_digest(capture)
    assert snapshot.provenance.lines == (1, 4)
    assert snapshot.provenance.characters == (0, len(capture.decode()))


def test_every_argument_is_used() -> None:
    """Id, title, date, capture, source URL and tags end up in the snapshot."""
    snapshot, capture = example_snapshot(
        "Text.\n",
        snapshot_id="2001-02-03-other",
        title="Other",
        published=dt.date(2001, 2, 3),
        capture=b"raw bytes\n",
        source_url="https://example.org/other",
        tags=("one", "two"),
    )
    assert capture == b"raw bytes\n"
    assert snapshot.id == "2001-02-03-other"
    assert snapshot.metadata.title == "Other"
    assert snapshot.metadata.published.value == dt.date(2001, 2, 3)
    assert snapshot.metadata.source_url == "https://example.org/other"
    assert snapshot.metadata.tags == ("one", "two")


def test_invalid_arguments_raise_the_models_errors() -> None:
    """A bad id or a bad URL is refused by the model's own validation."""
    with pytest.raises(InvalidIdError):
        example_snapshot(snapshot_id="../escape")
    with pytest.raises(InvalidMetadataError):
        example_snapshot(source_url="not a url")
