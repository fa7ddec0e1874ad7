"""cspo-archive: a tamper-evident, versioned archive of the public statements of
the Combined Space Operations Initiative (CSpO).

Everything public is importable from here::

    from cspo_archive import Archive
    archive = Archive.bundled()
    for snapshot in archive:
        print(snapshot.ref, snapshot.metadata.title)

Names are resolved on first use, so ``import cspo_archive`` stays fast; the
modules behind them are private or topical (``model``, ``archive``, ``ingestion``, ``analysis``,
``exceptions``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cspo_archive._text import canonicalize, make_id, slugify
    from cspo_archive.analysis._compare import Comparison, Timeline, compare, timeline
    from cspo_archive.analysis._document import Document
    from cspo_archive.analysis._profile import Profile, load_profile
    from cspo_archive.archive import Archive, Problem, Verification
    from cspo_archive.build import make_snapshot
    from cspo_archive.exceptions import (
        AmbiguousIdError,
        ArchiveFormatError,
        ArchiveWriteError,
        CspoArchiveError,
        DocumentNotFoundError,
        IngestError,
        IntegrityError,
        InvalidIdError,
        InvalidMetadataError,
        LockTimeoutError,
        PinMismatchError,
        ProfileError,
        ReadOnlyArchiveError,
        SnapshotConflictError,
        SnapshotNotFoundError,
        StorageError,
        UndecodableContentError,
        UnknownCountryError,
    )
    from cspo_archive.ingestion import (
        Decoded,
        Furniture,
        Ingested,
        PageFacts,
        Publication,
        Stated,
        decode,
        ingest,
        ingest_url,
        ingest_warc,
    )
    from cspo_archive.model import (
        DateSource,
        DocumentType,
        Fetch,
        Metadata,
        Provenance,
        PublishedDate,
        Snapshot,
        SnapshotRef,
    )
    from cspo_archive.pins import (
        LockFile,
        LockVerification,
        pin,
        read_lock,
        verify_lock,
        write_lock,
    )
    from cspo_archive.statements import (
        Copy,
        History,
        Revision,
        RevisionChange,
        Statement,
        document_key,
        group_statements,
    )

__all__ = [
    "AmbiguousIdError",
    "Archive",
    "ArchiveFormatError",
    "ArchiveWriteError",
    "Comparison",
    "Copy",
    "CspoArchiveError",
    "DateSource",
    "Decoded",
    "Document",
    "DocumentNotFoundError",
    "DocumentType",
    "Fetch",
    "Furniture",
    "History",
    "IngestError",
    "Ingested",
    "IntegrityError",
    "InvalidIdError",
    "InvalidMetadataError",
    "LockFile",
    "LockTimeoutError",
    "LockVerification",
    "Metadata",
    "PageFacts",
    "PinMismatchError",
    "Problem",
    "Profile",
    "ProfileError",
    "Provenance",
    "Publication",
    "PublishedDate",
    "ReadOnlyArchiveError",
    "Revision",
    "RevisionChange",
    "Snapshot",
    "SnapshotConflictError",
    "SnapshotNotFoundError",
    "SnapshotRef",
    "Stated",
    "Statement",
    "StorageError",
    "Timeline",
    "UndecodableContentError",
    "UnknownCountryError",
    "Verification",
    "__version__",
    "canonicalize",
    "compare",
    "decode",
    "document_key",
    "group_statements",
    "ingest",
    "ingest_url",
    "ingest_warc",
    "load_profile",
    "make_id",
    "make_snapshot",
    "pin",
    "read_lock",
    "slugify",
    "timeline",
    "verify_lock",
    "write_lock",
]

# Where each public name lives.
_LOCATIONS = {
    "Archive": "archive",
    "Problem": "archive",
    "Verification": "archive",
    "Ingested": "ingestion",
    "Comparison": "analysis._compare",
    "Timeline": "analysis._compare",
    "compare": "analysis._compare",
    "timeline": "analysis._compare",
    "Document": "analysis._document",
    "Profile": "analysis._profile",
    "load_profile": "analysis._profile",
    "Decoded": "ingestion",
    "Furniture": "ingestion",
    "Publication": "ingestion",
    "PageFacts": "ingestion",
    "Stated": "ingestion",
    "ingest_url": "ingestion",
    "ingest_warc": "ingestion",
    "make_snapshot": "build",
    "Fetch": "model",
    "decode": "ingestion",
    "ingest": "ingestion",
    "DateSource": "model",
    "DocumentType": "model",
    "Metadata": "model",
    "Provenance": "model",
    "PublishedDate": "model",
    "Snapshot": "model",
    "SnapshotRef": "model",
    "canonicalize": "_text",
    "LockFile": "pins",
    "LockVerification": "pins",
    "pin": "pins",
    "read_lock": "pins",
    "verify_lock": "pins",
    "write_lock": "pins",
    "make_id": "_text",
    "Copy": "statements",
    "History": "statements",
    "Revision": "statements",
    "RevisionChange": "statements",
    "Statement": "statements",
    "document_key": "statements",
    "group_statements": "statements",
    "slugify": "_text",
}
_LOCATIONS.update({name: "exceptions" for name in __all__ if name.endswith("Error")})


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("cspo-archive")
        except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
            return "0+unknown"
    module = _LOCATIONS.get(name)
    if module is None:
        msg = f"module 'cspo_archive' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(f"cspo_archive.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
