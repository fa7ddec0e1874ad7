"""The statement fixtures of ``tests/data/statements`` (texts we wrote) as snapshots.

``index.toml`` describes each text (title, publisher, URL, dates, language) and
labels pairs as copies or not; each text file starts with its title as a
Markdown heading, which becomes the snapshot's title (not part of its text).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from pathlib import Path
from typing import Any

import attrs

from cspo_archive import Snapshot
from cspo_archive.testing import example_snapshot

FOLDER = Path(__file__).parent / "data" / "statements"


@functools.cache
def index() -> dict[str, Any]:
    """The parsed ``index.toml``."""
    return tomllib.loads((FOLDER / "index.toml").read_text(encoding="utf-8"))


def text_of(name: str) -> str:
    """The body of fixture *name*: its text without the title heading."""
    raw = (FOLDER / name).read_text(encoding="utf-8")
    first, _, rest = raw.partition("\n")
    return rest.lstrip("\n") if first.startswith("# ") else raw


def _id(entry: dict[str, Any]) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", Path(entry["file"]).stem.lower()).strip("-")
    return f"{entry['published'].isoformat()}-{stem}"


@functools.cache
def snapshots() -> dict[str, Snapshot]:
    """Every fixture as a snapshot, by file name."""
    found: dict[str, Snapshot] = {}
    for entry in index()["document"]:
        snapshot, _ = example_snapshot(
            text_of(entry["file"]),
            snapshot_id=_id(entry),
            title=entry["title"],
            published=entry["published"],
            source_url=entry.get("source_url"),
        )
        captured = entry.get("captured_at")
        if isinstance(captured, dt.datetime) and captured.tzinfo is None:
            captured = captured.replace(tzinfo=dt.UTC)
        metadata = attrs.evolve(
            snapshot.metadata,
            publisher=entry["publisher"],
            language=entry.get("language", "en-GB"),
            document_type=entry.get("document_type", "news-story"),
            captured_at=captured,
        )
        found[entry["file"]] = attrs.evolve(snapshot, metadata=metadata)
    return found


def capture_of(snapshot: Snapshot) -> bytes:
    """The capture bytes :func:`snapshots` made each snapshot's provenance name."""
    return (snapshot.metadata.title + "\n\n" + snapshot.text).encode("utf-8")
