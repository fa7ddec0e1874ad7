"""Pinning snapshots from other projects: ``pin()``, lock files, and verification.

A *pin* is a :class:`~cspo_archive.model.SnapshotRef` with a digest,
``<id>@sha256:<64 hex>``. :func:`pin` returns the snapshot only if the archive
holds exactly those bytes.

A *lock file* (``cspo-archive.lock``, TOML) records every pin a project depends
on, and the archive they resolve against::

    # cspo-archive lock file: the exact snapshots this project depends on.
    lock_version = 1
    archive = "bundled"            # or a folder, relative to the lock file
    generated_by = "cspo-archive 0.1.0"

    [[snapshot]]
    id = "2025-12-17-joint-statement-from-..."
    digest = "sha256:d38d9cf4..."

Entries are kept sorted by id, so the file diffs cleanly. Verification is
all-or-nothing: every entry is checked and every failure reported together.
Released snapshots are never modified, so a pin made against one version of the
bundled archive holds against every later version.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from attrs import field, frozen

from cspo_archive._files import write_text_atomic
from cspo_archive._text import is_url
from cspo_archive.archive import Archive
from cspo_archive.exceptions import (
    ArchiveFormatError,
    ArchiveWriteError,
    CspoArchiveError,
    IntegrityError,
    InvalidIdError,
    PinMismatchError,
    SnapshotNotFoundError,
)
from cspo_archive.model import Snapshot, SnapshotRef

__all__ = [
    "LOCK_FILE",
    "LOCK_VERSION",
    "LockFile",
    "LockProblem",
    "LockVerification",
    "pin",
    "read_lock",
    "verify_lock",
    "write_lock",
]

#: The lock file's default name.
LOCK_FILE = "cspo-archive.lock"
#: The version of the lock file format this package reads and writes.
LOCK_VERSION = 1
#: The archive value meaning "the archive shipped inside the package".
BUNDLED = "bundled"

_HEADER = (
    "# cspo-archive lock file: the exact snapshots this project depends on.\n"
    "# Written by 'cspo-archive lock add'; check with 'cspo-archive lock verify'.\n"
    "# Each digest is the SHA-256 of the snapshot's text: a snapshot that differs fails.\n"
)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cspo-archive")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


def open_archive(spec: str | None, base: Path | None = None) -> Archive:
    """The archive a lock names: ``"bundled"``, a folder (relative to *base*) or a URL
    in object storage (its credentials and endpoint from the environment)."""
    if spec in (None, BUNDLED):
        return Archive.bundled()
    if is_url(spec):
        return Archive.open(spec, readonly=True)
    path = Path(spec)
    if not path.is_absolute() and base is not None:
        path = base / path
    return Archive.open(path, readonly=True)


def pin(ref: str | SnapshotRef, archive: Archive | None = None) -> Snapshot:
    """Return the snapshot *ref* pins, verified, from *archive* (default: the bundled one).

    *ref* must carry a digest (``<id>@sha256:<hex>``). Raises
    :class:`PinMismatchError` if the archive's snapshot has other bytes,
    :class:`SnapshotNotFoundError` if it has none with that id.
    """
    parsed = ref if isinstance(ref, SnapshotRef) else SnapshotRef.parse(ref)
    source = archive if archive is not None else Archive.bundled()
    if not parsed.is_pinned:
        try:
            current = f" (the archive holds {source.get(parsed).ref})"
        except CspoArchiveError:
            current = ""
        msg = (
            f"pin() needs a digest: {str(parsed)!r} names no digest{current}; "
            f"pin it as '<id>@sha256:<64 hex>'"
        )
        raise InvalidIdError(msg, value=str(parsed))
    return source.get(parsed)


# --- lock files ------------------------------------------------------------------


def _sorted_refs(entries: Iterable[SnapshotRef]) -> tuple[SnapshotRef, ...]:
    refs = tuple(sorted(entries, key=lambda r: r.id))
    for ref in refs:
        if not ref.is_pinned:
            msg = f"every lock entry needs a digest; {ref.id!r} has none"
            raise InvalidIdError(msg, value=ref.id)
    ids = [r.id for r in refs]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        msg = f"a lock lists each snapshot once; {duplicates} appear more than once"
        raise InvalidIdError(msg, value=duplicates)
    return refs


@frozen
class LockFile:
    """The contents of a lock file: the archive and the pinned snapshots (sorted by id)."""

    archive: str = BUNDLED
    entries: tuple[SnapshotRef, ...] = field(default=(), converter=_sorted_refs)
    generated_by: str = ""

    def with_entries(self, refs: Iterable[SnapshotRef]) -> LockFile:
        """A lock with *refs* added (an entry with the same id is replaced)."""
        new = {r.id: r for r in self.entries}
        new.update({r.id: r for r in refs})
        return LockFile(self.archive, tuple(new.values()), f"cspo-archive {_version()}")


def read_lock(path: str | os.PathLike[str]) -> LockFile:
    """Read a lock file; every problem names the file, the entry and the fix."""
    lock_path = Path(path)
    try:
        data = tomllib.loads(lock_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = (
            f"no lock file at '{lock_path}'; create one with 'cspo-archive lock add ID' "
            f"(or point at it with --lock / --cspo-lock)"
        )
        raise ArchiveFormatError(msg, path=str(lock_path)) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        msg = f"cannot read lock file '{lock_path}': {exc}"
        raise ArchiveFormatError(msg, path=str(lock_path)) from exc
    version = data.get("lock_version")
    if version != LOCK_VERSION:
        hint = (
            "upgrade cspo-archive"
            if isinstance(version, int) and version > LOCK_VERSION
            else f"expected lock_version = {LOCK_VERSION}"
        )
        msg = f"lock file '{lock_path}' has lock_version {version!r}; {hint}"
        raise ArchiveFormatError(msg, path=str(lock_path))
    unknown = sorted(set(data) - {"lock_version", "archive", "generated_by", "snapshot"})
    if unknown:
        msg = f"lock file '{lock_path}' has unknown keys {unknown}"
        raise ArchiveFormatError(msg, path=str(lock_path))
    refs = []
    for n, entry in enumerate(data.get("snapshot", []), 1):
        if not isinstance(entry, dict) or set(entry) != {"id", "digest"}:
            msg = (
                f"lock file '{lock_path}': [[snapshot]] #{n} must have exactly the keys "
                f"id and digest (got {entry!r})"
            )
            raise ArchiveFormatError(msg, path=str(lock_path))
        try:
            refs.append(SnapshotRef(entry["id"], entry["digest"]))
        except CspoArchiveError as exc:
            msg = f"lock file '{lock_path}': [[snapshot]] #{n}: {exc}"
            raise ArchiveFormatError(msg, path=str(lock_path)) from exc
    archive = data.get("archive", BUNDLED)
    if not isinstance(archive, str) or not archive:
        msg = f"lock file '{lock_path}': archive must be 'bundled' or a folder path"
        raise ArchiveFormatError(msg, path=str(lock_path))
    try:
        return LockFile(archive, tuple(refs), str(data.get("generated_by", "")))
    except InvalidIdError as exc:
        msg = f"lock file '{lock_path}': {exc}"
        raise ArchiveFormatError(msg, path=str(lock_path)) from exc


def write_lock(path: str | os.PathLike[str], lock: LockFile) -> None:
    """Write *lock* atomically (a reader sees the old file or the new one, never half)."""
    import tomli_w

    data: dict[str, Any] = {
        "lock_version": LOCK_VERSION,
        "archive": lock.archive,
        "generated_by": lock.generated_by or f"cspo-archive {_version()}",
        "snapshot": [{"id": r.id, "digest": r.digest} for r in lock.entries],
    }
    try:
        write_text_atomic(path, _HEADER + tomli_w.dumps(data))
    except OSError as exc:
        msg = f"cannot write lock file '{path}': {exc.strerror or exc}; nothing was changed"
        raise ArchiveWriteError(msg, path=str(path)) from exc


# --- verification ----------------------------------------------------------------


@frozen
class LockProblem:
    """One lock entry that does not verify."""

    ref: SnapshotRef
    kind: str  # "mismatch" | "missing" | "damaged"
    message: str
    expected: str | None
    actual: str | None


@frozen
class LockVerification:
    """The result of checking every entry of a lock against its archive."""

    lock: str
    archive: str
    checked: int
    problems: tuple[LockProblem, ...]

    @property
    def ok(self) -> bool:
        """True when every entry verified."""
        return not self.problems

    def report(self) -> str:
        """Every failure, one per line, headed by a count: the message users see."""
        if self.ok:
            return (
                f"ok: {self.checked} pinned snapshots in {self.lock} verified against "
                f"{self.archive}"
            )
        lines = [
            f"{len(self.problems)} of {self.checked} pinned snapshots in {self.lock} do not verify "
            f"against {self.archive}:"
        ]
        lines += [f"- {p.message}" for p in self.problems]
        return "\n".join(lines)


def verify_lock(path: str | os.PathLike[str], archive: Archive | None = None) -> LockVerification:
    """Check every entry of the lock at *path*; return every failure, not just the first.

    The archive is the one the lock names (resolved relative to the lock file)
    unless *archive* is given.
    """
    lock_path = Path(path)
    lock = read_lock(lock_path)
    source = archive if archive is not None else open_archive(lock.archive, lock_path.parent)
    problems = []
    for ref in lock.entries:
        try:
            source.get(ref)
        except PinMismatchError as exc:
            problems.append(LockProblem(ref, "mismatch", str(exc), exc.expected, exc.actual))
        except SnapshotNotFoundError as exc:
            problems.append(LockProblem(ref, "missing", str(exc), ref.digest, None))
        except IntegrityError as exc:
            problems.append(LockProblem(ref, "damaged", str(exc), exc.expected, exc.actual))
        except CspoArchiveError as exc:
            problems.append(LockProblem(ref, "damaged", str(exc), ref.digest, None))
    return LockVerification(str(lock_path), source.location, len(lock.entries), tuple(problems))
