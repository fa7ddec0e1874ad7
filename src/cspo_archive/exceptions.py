"""The errors cspo-archive raises.

Every error is a :class:`CspoArchiveError` *and* the builtin exception it
resembles (the attrs habit: ``FrozenError(AttributeError)``), so callers can
catch either. Every message says what failed, on which object, what was
expected and what was found, and what to do next. The pieces are also kept as
attributes so that programs need not parse messages.
"""

from __future__ import annotations

__all__ = [
    "AmbiguousIdError",
    "ArchiveFormatError",
    "ArchiveWriteError",
    "CspoArchiveError",
    "IngestError",
    "IntegrityError",
    "InvalidIdError",
    "InvalidMetadataError",
    "LockTimeoutError",
    "PinMismatchError",
    "ProfileError",
    "ReadOnlyArchiveError",
    "SnapshotConflictError",
    "SnapshotNotFoundError",
    "StorageError",
    "UndecodableContentError",
    "UnknownCountryError",
]


class CspoArchiveError(Exception):
    """Base class of every error raised by cspo-archive."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidIdError(CspoArchiveError, ValueError):
    """A snapshot id is not acceptable.

    Raised before any file is touched, so a hostile id never reaches the
    file system.
    """

    def __init__(self, message: str, *, value: object) -> None:
        super().__init__(message)
        self.value = value


class InvalidMetadataError(CspoArchiveError, ValueError):
    """A metadata or provenance field has a value it may not have."""

    def __init__(self, message: str, *, field: str, value: object) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


class SnapshotNotFoundError(CspoArchiveError, KeyError):
    """No snapshot with the requested id (or prefix) exists in the archive."""

    def __init__(self, message: str, *, snapshot_id: str, archive: str) -> None:
        super().__init__(message)
        self.snapshot_id = snapshot_id
        self.archive = archive

    # KeyError.__str__ would print the repr of the message.
    def __str__(self) -> str:
        return self.message


class DocumentNotFoundError(CspoArchiveError, KeyError):
    """No snapshot is a revision of the requested document (key, URL or id)."""

    def __init__(self, message: str, *, document: str) -> None:
        super().__init__(message)
        self.document = document

    def __str__(self) -> str:
        return self.message


class AmbiguousIdError(CspoArchiveError, LookupError):
    """An id prefix matches more than one snapshot."""

    def __init__(self, message: str, *, prefix: str, matches: tuple[str, ...]) -> None:
        super().__init__(message)
        self.prefix = prefix
        self.matches = matches


class IntegrityError(CspoArchiveError, ValueError):
    """Bytes on disk do not match the digest recorded for them.

    ``expected`` and ``actual`` are ``sha256:<hex>`` strings (``actual`` is
    ``None`` when the file is missing).
    """

    def __init__(
        self,
        message: str,
        *,
        snapshot_id: str | None,
        path: str,
        expected: str | None,
        actual: str | None,
    ) -> None:
        super().__init__(message)
        self.snapshot_id = snapshot_id
        self.path = path
        self.expected = expected
        self.actual = actual


class PinMismatchError(IntegrityError):
    """A snapshot exists but its digest differs from the one a reference pins."""


class ArchiveFormatError(CspoArchiveError, ValueError):
    """A file in the archive is not in the format this version understands."""

    def __init__(self, message: str, *, path: str) -> None:
        super().__init__(message)
        self.path = path


class ProfileError(ArchiveFormatError):
    """A profile (an initiative's vocabulary, ``profiles/<name>.toml``) is invalid.

    ``path`` is the profile's file (or ``<profile given in code>``), ``entry``
    the dotted name of the entry at fault (``membership.cues.member_before``).
    """

    def __init__(self, message: str, *, path: str, entry: str) -> None:
        super().__init__(message, path=path)
        self.entry = entry


class SnapshotConflictError(CspoArchiveError, FileExistsError):
    """A different snapshot already exists under the id being added.

    Snapshots are immutable: a correction is a new snapshot with a new id.
    """

    def __init__(self, message: str, *, snapshot_id: str, existing: str, attempted: str) -> None:
        super().__init__(message)
        self.snapshot_id = snapshot_id
        self.existing = existing
        self.attempted = attempted


class UndecodableContentError(CspoArchiveError, UnicodeError):
    """A capture's bytes cannot be turned into text without losing content."""

    def __init__(self, message: str, *, source: str) -> None:
        super().__init__(message)
        self.source = source


class IngestError(CspoArchiveError, ValueError):
    """A capture decoded but holds no publication that can be archived."""

    def __init__(self, message: str, *, source: str) -> None:
        super().__init__(message)
        self.source = source


class LockTimeoutError(CspoArchiveError, TimeoutError):
    """The archive's write lock could not be taken in time."""

    def __init__(self, message: str, *, lock_path: str, timeout: float) -> None:
        super().__init__(message)
        self.lock_path = lock_path
        self.timeout = timeout


class ReadOnlyArchiveError(CspoArchiveError, PermissionError):
    """A write was attempted on an archive opened read-only."""

    def __init__(self, message: str, *, archive: str) -> None:
        super().__init__(message)
        self.archive = archive


class ArchiveWriteError(CspoArchiveError, OSError):
    """The operating system refused a write; nothing was added.

    ``__cause__`` holds the original :class:`OSError` (for its ``errno``).
    """

    def __init__(self, message: str, *, path: str) -> None:
        super().__init__(message)
        self.path = path


class StorageError(CspoArchiveError, OSError):
    """The storage holding an archive (a bucket, through fsspec) could not be reached,
    refused a request or cannot give a guarantee the archive needs.

    ``location`` is the object's or the archive's URL; ``__cause__`` holds the
    storage library's own error.
    """

    def __init__(self, message: str, *, location: str) -> None:
        super().__init__(message)
        self.location = location


class UnknownCountryError(CspoArchiveError, ValueError):
    """A code is not an ISO 3166-1 alpha-3 code of a country."""

    def __init__(self, message: str, *, code: object) -> None:
        super().__init__(message)
        self.code = code
