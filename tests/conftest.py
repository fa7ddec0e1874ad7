"""Shared fixtures: valid records and fresh archives, built without ingest."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from cspo_archive import (
    Archive,
    DateSource,
    DocumentType,
    Metadata,
    Provenance,
    PublishedDate,
    Snapshot,
)
from cspo_archive._text import sha256_digest

pytest_plugins = ["pytester"]

SnapshotFactory = Callable[..., tuple[Snapshot, bytes]]

#: The bundled archive in this checkout, with its recipe and raw captures.
SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"


def seed_capture(name: str) -> bytes:
    """A seed capture's bytes, as kept in the bundled archive (found via the recipe)."""
    recipe = tomllib.loads((SNAPSHOTS / "recipe.toml").read_text(encoding="utf-8"))
    digests: dict[str, str] = {entry["name"]: entry["sha256"] for entry in recipe["capture"]}
    return (SNAPSHOTS / "captures" / digests[name]).read_bytes()


def build_snapshot(
    text: str = "The first paragraph.\n\nThe second paragraph.\n",
    *,
    snapshot_id: str = "2025-12-17-a-test-publication",
    title: str = "A test publication",
    published: dt.date = dt.date(2025, 12, 17),
    capture: bytes | None = None,
) -> tuple[Snapshot, bytes]:
    """A valid snapshot and the capture bytes its provenance names."""
    raw = capture if capture is not None else (title + "\n\n" + text).encode("utf-8")
    metadata = Metadata(
        title=title,
        publisher="UK Ministry of Defence",
        document_type=DocumentType.NEWS_STORY,
        published=PublishedDate(published, DateSource.STATED, "stated in the test capture"),
        licence="OGL-UK-3.0",
        source_url="https://www.gov.uk/government/news/a-test-publication",
        language="en-GB",
        tags=("test",),
    )
    provenance = Provenance(
        capture_digest=sha256_digest(raw),
        capture_name="capture.txt",
        capture_method="text capture of a web page",
        encoding="utf-8",
        lines=(1, raw.count(b"\n") + 1),
        characters=(0, len(raw.decode("utf-8"))),
        steps=("decode: utf-8 (strict)",),
    )
    return Snapshot(snapshot_id, metadata, provenance, text), raw


@pytest.fixture
def snapshot_factory() -> SnapshotFactory:
    """Make valid snapshots (with their capture bytes) on demand."""
    return build_snapshot


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    """A new, empty, writable archive in a temporary folder."""
    return Archive.open(tmp_path / "archive", create=True)
