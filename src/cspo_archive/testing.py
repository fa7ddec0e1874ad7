"""Helpers for testing code that uses cspo-archive: valid snapshots without ingest.

Building a snapshot by hand takes a title, a publisher, a dated source, a
licence, a capture and its digest, line and character spans... all of which
the model validates. :func:`example_snapshot` fills them in consistently, so a
test can say only what it is about::

    from cspo_archive import Archive
    from cspo_archive.testing import example_snapshot

    archive = Archive.open(tmp_path / "archive", create=True)
    snapshot, capture = example_snapshot("Some text.", snapshot_id="2025-01-01-some-text")
    archive.add(snapshot, capture=capture)

The pytest plugin's fixtures (``cspo_snapshots``, ``cspo_lock``) are for pinning
real snapshots; this module is for making up new ones.
"""

from __future__ import annotations

import datetime as dt

from cspo_archive._text import canonical_problem, canonicalize, sha256_digest
from cspo_archive.exceptions import InvalidMetadataError
from cspo_archive.model import (
    DateSource,
    DocumentType,
    Metadata,
    Provenance,
    PublishedDate,
    Snapshot,
)

__all__ = ["example_snapshot"]


def example_snapshot(
    text: str = "The first paragraph.\n\nThe second paragraph.\n",
    *,
    snapshot_id: str = "2025-12-17-a-test-publication",
    title: str = "A test publication",
    published: dt.date = dt.date(2025, 12, 17),
    capture: bytes | None = None,
    source_url: str | None = None,
    tags: tuple[str, ...] = (),
) -> tuple[Snapshot, bytes]:
    """A valid snapshot of *text* and the capture bytes its provenance names.

    *text* may be any str: it is put in the archive's canonical form first with
    :func:`cspo_archive.canonicalize` (NFC, LF line endings, no trailing white
    space, one blank line between paragraphs, one final newline), so
    ``example_snapshot("hello")`` is a snapshot of ``"hello\\n"``. Only text
    that has nothing left once canonical (empty or only white space), or that
    holds a control character other than tab and line breaks or a lone
    surrogate, is refused, with :class:`~cspo_archive.InvalidMetadataError`.

    The capture defaults to the title, a blank line and the canonical text, in
    UTF-8; pass *capture* (UTF-8 bytes) to choose it. The publication is a UK
    Ministry of Defence news story under OGL-UK-3.0 in ``en-GB``, its date
    stated in the capture. Invalid arguments raise the model's own errors
    (:class:`~cspo_archive.InvalidIdError`, :class:`~cspo_archive.InvalidMetadataError`).
    """
    canonical = canonicalize(text)
    problem = canonical_problem(canonical)
    if problem is not None:
        msg = (
            f"example_snapshot cannot make a snapshot of text {text[:80]!r}: once "
            f"canonical, {problem}; give text with at least one non-space character "
            f"and no control characters other than tab and line breaks"
        )
        raise InvalidMetadataError(msg, field="text", value=text[:80])
    raw = capture if capture is not None else (title + "\n\n" + canonical).encode("utf-8")
    metadata = Metadata(
        title=title,
        publisher="UK Ministry of Defence",
        document_type=DocumentType.NEWS_STORY,
        published=PublishedDate(published, DateSource.STATED, "stated in the test capture"),
        licence="OGL-UK-3.0",
        source_url=source_url,
        language="en-GB",
        tags=tags,
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
    return Snapshot(snapshot_id, metadata, provenance, canonical), raw
