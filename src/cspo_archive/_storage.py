"""The archive on disk: layout, atomic writes, the write lock, verified reads.

Layout (everything plain files, readable by a person and diffable by git)::

    <root>/
      archive.json                   {"format": "cspo-archive", "format_version": 1}
      items/<id>/text.txt            the canonical text (UTF-8, NFC, LF)
      items/<id>/snapshot.json       id, digest, metadata, provenance, record_digest
      captures/<hex>                 raw capture bytes, named by their SHA-256
      .tmp/                          writes in progress (never shipped, cleaned by gc)
      .lock                          the cross-process write lock

Promises kept here:

* **Atomic.** A snapshot folder is assembled in ``.tmp/`` (same file system),
  every file fsynced, then renamed into ``items/`` in one step and the parent
  folders fsynced. Captures are linked into place, which never replaces an
  existing file. A reader therefore sees a snapshot whole or not at all.
* **Never rewritten.** Nothing under ``items/`` or ``captures/`` is opened for
  writing once it is in place.
* **Verified on every read.** ``text.txt`` must hash to the recorded digest;
  ``snapshot.json`` carries ``record_digest``, the SHA-256 of the file's own
  bytes with that digest's hex replaced by zeros, so a change to any byte of
  the metadata is caught and both digests can be named.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from attrs import frozen

from cspo_archive import _serialize
from cspo_archive._text import check_id, is_digest, sha256_digest
from cspo_archive.exceptions import (
    ArchiveFormatError,
    ArchiveWriteError,
    CspoArchiveError,
    IntegrityError,
    LockTimeoutError,
    SnapshotNotFoundError,
)
from cspo_archive.model import Metadata, Provenance, Snapshot

FORMAT_NAME = "cspo-archive"
FORMAT_VERSION = 1
ARCHIVE_FILE = "archive.json"
ITEMS = "items"
CAPTURES = "captures"
TMP = ".tmp"
LOCK = ".lock"
TEXT_FILE = "text.txt"
RECORD_FILE = "snapshot.json"
SNAPSHOT_FILES = frozenset({TEXT_FILE, RECORD_FILE})

_ZERO_DIGEST = "sha256:" + "0" * 64
_RECORD_DIGEST_RE = re.compile(rb'"record_digest": "(sha256:[0-9a-f]{64})"')
_HEX_RE = re.compile(r"[0-9a-f]{64}")
_READ_CHUNK = 1 << 20

RECOVERY_HINT = (
    "restore the file from a trusted copy (git checkout, a backup, or a fresh install "
    "of the package); never edit a snapshot in place: a correction is a new snapshot"
)


@frozen
class Problem:
    """One thing :meth:`Archive.verify` found wrong.

    ``path`` is relative to the archive root; ``expected`` and ``actual`` are
    digests where the problem is a mismatch.
    """

    kind: str
    path: str
    message: str
    snapshot_id: str | None = None
    expected: str | None = None
    actual: str | None = None


# --- low-level file operations ---------------------------------------------------


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (new names, renames) to disk."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_new_file(path: Path, data: bytes) -> None:
    """Create *path* with *data* and fsync it; fail if it exists (never overwrite)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)


def describe_os_error(exc: OSError) -> str:
    """A short human description of an OSError: reason and errno name."""
    name = errno.errorcode.get(exc.errno or 0, "")
    reason = exc.strerror or str(exc)
    return f"{reason} ({name})" if name else reason


def read_record_bytes(data: bytes) -> tuple[str | None, str]:
    """Return the recorded and the actual record digest of a ``snapshot.json``."""
    match = _RECORD_DIGEST_RE.search(data)
    if match is None:
        return None, sha256_digest(data)
    recorded = match.group(1).decode("ascii")
    zeroed = data[: match.start(1)] + _ZERO_DIGEST.encode("ascii") + data[match.end(1) :]
    return recorded, sha256_digest(zeroed)


def seal_record(record: dict[str, Any]) -> bytes:
    """Serialise *record* and fill in its ``record_digest``."""
    draft = _serialize.dumps({**record, "record_digest": _ZERO_DIGEST})
    digest = sha256_digest(draft)
    return draft.replace(_ZERO_DIGEST.encode("ascii"), digest.encode("ascii"), 1)


def hash_file(path: Path) -> str:
    """Return ``sha256:<hex>`` of a file, read in chunks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_READ_CHUNK):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


# --- the store -------------------------------------------------------------------


class Store:
    """Plain-file storage under one root folder. Not public: use :class:`Archive`."""

    def __init__(self, root: Path, *, lock_timeout: float) -> None:
        self.root = root
        self.items = root / ITEMS
        self.captures = root / CAPTURES
        self.tmp = root / TMP
        self.lock_timeout = lock_timeout

    # -- set up and inspect --

    @staticmethod
    def initialise(root: Path) -> None:
        """Create an empty archive at *root* (which must be empty or absent)."""
        try:
            root.mkdir(parents=True, exist_ok=True)
            for sub in (ITEMS, CAPTURES):
                (root / sub).mkdir(exist_ok=True)
            marker = root / ARCHIVE_FILE
            if not marker.exists():
                tmp = root / f".{ARCHIVE_FILE}.{secrets.token_hex(4)}.tmp"
                write_new_file(tmp, _serialize.dumps(archive_marker()))
                os.replace(tmp, marker)
                fsync_dir(root)
        except OSError as exc:
            msg = (
                f"could not create an archive at '{root}': {describe_os_error(exc)}; "
                f"check the path and its permissions"
            )
            raise ArchiveWriteError(msg, path=str(root)) from exc

    def check_marker(self) -> None:
        """Raise :class:`ArchiveFormatError` unless *root* holds an archive we can read."""
        marker = self.root / ARCHIVE_FILE
        where = f"'{self.root}'"
        if not self.root.is_dir():
            msg = (
                f"no archive at {where}: the folder does not exist; "
                f"create one with Archive.open(path, create=True)"
            )
            raise ArchiveFormatError(msg, path=str(self.root))
        try:
            data = json.loads(marker.read_bytes())
        except FileNotFoundError:
            msg = (
                f"{where} is not a cspo-archive archive: it has no {ARCHIVE_FILE}; "
                f"point at the folder that holds {ARCHIVE_FILE} and items/, or create a new "
                f"archive with Archive.open(path, create=True)"
            )
            raise ArchiveFormatError(msg, path=str(marker)) from None
        except (OSError, ValueError) as exc:
            msg = f"cannot read {marker}: {exc}; restore it (expected {archive_marker()})"
            raise ArchiveFormatError(msg, path=str(marker)) from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
            msg = f"{marker} does not describe a cspo-archive archive (got {data!r})"
            raise ArchiveFormatError(msg, path=str(marker))
        version = data.get("format_version")
        if version != FORMAT_VERSION:
            msg = (
                f"{marker} has format_version {version!r} but this cspo-archive reads "
                f"version {FORMAT_VERSION}; "
                + (
                    "upgrade cspo-archive"
                    if isinstance(version, int) and version > FORMAT_VERSION
                    else "the file is damaged; restore it"
                )
            )
            raise ArchiveFormatError(msg, path=str(marker))

    def snapshot_dir(self, snapshot_id: str) -> Path:
        return self.items / check_id(snapshot_id)

    def ids(self) -> list[str]:
        """Every snapshot id present (sorted); entries that are not ids are skipped."""
        try:
            names = os.listdir(self.items)
        except FileNotFoundError:
            return []
        out = []
        for name in names:
            if name.startswith("."):
                continue
            try:
                check_id(name)
            except CspoArchiveError:
                continue
            out.append(name)
        return sorted(out)

    def exists(self, snapshot_id: str) -> bool:
        """Whether a snapshot folder exists (the id is validated first, and may raise)."""
        return self.snapshot_dir(snapshot_id).is_dir()

    # -- reading --

    def read_record(self, snapshot_id: str) -> tuple[dict[str, Any], Path]:
        """Read and verify ``snapshot.json``; return the parsed record."""
        folder = self.snapshot_dir(snapshot_id)
        path = folder / RECORD_FILE
        rel = self.relative(path)
        if not folder.is_dir():
            raise self.not_found(snapshot_id)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            msg = f"snapshot {snapshot_id!r} is damaged: {rel} is missing; {RECOVERY_HINT}"
            raise IntegrityError(
                msg, snapshot_id=snapshot_id, path=rel, expected=None, actual=None
            ) from None
        recorded, actual = read_record_bytes(data)
        if recorded is None or recorded != actual:
            got = "no readable record_digest" if recorded is None else f"expected {recorded}"
            msg = (
                f"snapshot {snapshot_id!r} failed its integrity check: {rel} has been changed "
                f"({got}, but the file's bytes give {actual}); {RECOVERY_HINT}"
            )
            raise IntegrityError(
                msg, snapshot_id=snapshot_id, path=rel, expected=recorded, actual=actual
            )
        try:
            record = json.loads(data)
        except ValueError as exc:  # pragma: no cover - the digest matched, so we wrote it
            msg = f"snapshot {snapshot_id!r}: {rel} is not valid JSON ({exc}); {RECOVERY_HINT}"
            raise ArchiveFormatError(msg, path=rel) from exc
        if not isinstance(record, dict) or record.get("id") != snapshot_id:
            recorded_id = record.get("id") if isinstance(record, dict) else record
            msg = (
                f"snapshot {snapshot_id!r}: {rel} records the id {recorded_id!r}; the folder name "
                f"and the recorded id must agree; {RECOVERY_HINT}"
            )
            raise ArchiveFormatError(msg, path=rel)
        return record, folder

    def read(self, snapshot_id: str) -> Snapshot:
        """Read one snapshot, verifying the record and the text digest."""
        record, folder = self.read_record(snapshot_id)
        rel_record = self.relative(folder / RECORD_FILE)
        metadata, provenance, digest = self.parse_record(record, snapshot_id, rel_record)
        text_path = folder / TEXT_FILE
        rel = self.relative(text_path)
        try:
            data = text_path.read_bytes()
        except FileNotFoundError:
            msg = (
                f"snapshot {snapshot_id!r} is damaged: {rel} is missing "
                f"(expected text with digest {digest}); {RECOVERY_HINT}"
            )
            raise IntegrityError(
                msg, snapshot_id=snapshot_id, path=rel, expected=digest, actual=None
            ) from None
        actual = sha256_digest(data)
        if actual != digest:
            msg = (
                f"snapshot {snapshot_id!r} failed its integrity check: {rel} does not match "
                f"its recorded digest: expected {digest} but got {actual}; {RECOVERY_HINT}"
            )
            raise IntegrityError(
                msg, snapshot_id=snapshot_id, path=rel, expected=digest, actual=actual
            )
        try:
            return Snapshot(snapshot_id, metadata, provenance, data.decode("utf-8"))
        except (UnicodeDecodeError, CspoArchiveError) as exc:
            msg = f"snapshot {snapshot_id!r}: {rel} is not acceptable text: {exc}; {RECOVERY_HINT}"
            raise ArchiveFormatError(msg, path=rel) from exc

    @staticmethod
    def parse_record(
        record: dict[str, Any], snapshot_id: str, rel: str
    ) -> tuple[Metadata, Provenance, str]:
        expected_keys = {
            "format_version",
            "id",
            "digest",
            "metadata",
            "provenance",
            "record_digest",
        }
        if set(record) != expected_keys or record["format_version"] != FORMAT_VERSION:
            msg = (
                f"snapshot {snapshot_id!r}: {rel} has keys {sorted(record)} and format_version "
                f"{record.get('format_version')!r}; expected keys {sorted(expected_keys)} and "
                f"format_version {FORMAT_VERSION} (a newer cspo-archive may have written it: "
                f"upgrade)"
            )
            raise ArchiveFormatError(msg, path=rel)
        digest = record["digest"]
        if not isinstance(digest, str) or not is_digest(digest):
            msg = f"snapshot {snapshot_id!r}: {rel} has an invalid digest {digest!r}"
            raise ArchiveFormatError(msg, path=rel)
        try:
            metadata = _serialize.structure(record["metadata"], Metadata, what="metadata")
            provenance = _serialize.structure(record["provenance"], Provenance, what="provenance")
        except (ValueError, TypeError) as exc:
            msg = f"snapshot {snapshot_id!r}: {rel} holds invalid data: {exc}"
            raise ArchiveFormatError(msg, path=rel) from exc
        return metadata, provenance, digest

    def read_capture(self, digest: str) -> bytes:
        """Return a raw capture's bytes, verified against its name."""
        if not is_digest(digest):
            msg = f"{digest!r} is not a capture digest: expected 'sha256:' and 64 hex digits"
            raise ArchiveFormatError(msg, path=CAPTURES)
        path = self.captures / digest.removeprefix("sha256:")
        rel = self.relative(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            msg = f"capture {digest} is not in the archive ({rel} is missing); {RECOVERY_HINT}"
            raise IntegrityError(
                msg, snapshot_id=None, path=rel, expected=digest, actual=None
            ) from None
        actual = sha256_digest(data)
        if actual != digest:
            msg = (
                f"capture {rel} does not match its name: expected {digest} but got {actual}; "
                f"{RECOVERY_HINT}"
            )
            raise IntegrityError(msg, snapshot_id=None, path=rel, expected=digest, actual=actual)
        return data

    def has_capture(self, digest: str) -> bool:
        return (self.captures / digest.removeprefix("sha256:")).is_file()

    # -- writing (callers hold the lock) --

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the cross-process write lock for the duration of the block."""
        import filelock  # only writers need it; keeps import light

        lock_path = self.root / LOCK
        lock = filelock.FileLock(lock_path, timeout=self.lock_timeout)
        try:
            lock.acquire()
        except filelock.Timeout:
            msg = (
                f"could not take the write lock {lock_path} within {self.lock_timeout:g} s: "
                f"another process is writing to this archive; try again when it has "
                f"finished, or pass a longer lock_timeout"
            )
            raise LockTimeoutError(
                msg, lock_path=str(lock_path), timeout=self.lock_timeout
            ) from None
        except OSError as exc:
            msg = f"could not take the write lock {lock_path}: {describe_os_error(exc)}"
            raise ArchiveWriteError(msg, path=str(lock_path)) from exc
        try:
            yield
        finally:
            lock.release()

    def clean_tmp(self) -> int:
        """Remove what interrupted writes left in ``.tmp/``; return how many entries."""
        try:
            entries = list(os.scandir(self.tmp))
        except FileNotFoundError:
            return 0
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
        return len(entries)

    def write_capture(self, data: bytes, digest: str) -> bool:
        """Store a capture under its digest; return whether it was new."""
        final = self.captures / digest.removeprefix("sha256:")
        if final.exists():
            return False
        self.tmp.mkdir(exist_ok=True)
        tmp = self.tmp / f"capture-{secrets.token_hex(8)}"
        try:
            write_new_file(tmp, data)
            os.link(tmp, final)  # never replaces an existing file
            try:
                fsync_dir(self.captures)
            except BaseException:
                final.unlink()  # we made it, and it is not durable: undo
                raise
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        return True

    def remove_capture(self, digest: str) -> None:
        """Undo :meth:`write_capture` of this call (rollback after a failed add)."""
        with contextlib.suppress(FileNotFoundError):
            (self.captures / digest.removeprefix("sha256:")).unlink()
            fsync_dir(self.captures)

    def write_snapshot(self, snapshot_id: str, text: bytes, record: bytes) -> None:
        """Assemble a snapshot folder in ``.tmp/`` and rename it into ``items/``."""
        final = self.snapshot_dir(snapshot_id)
        self.tmp.mkdir(exist_ok=True)
        staging = self.tmp / f"snapshot-{secrets.token_hex(8)}"
        staging.mkdir()
        try:
            write_new_file(staging / TEXT_FILE, text)
            write_new_file(staging / RECORD_FILE, record)
            fsync_dir(staging)
            os.rename(staging, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        fsync_dir(self.items)

    # -- helpers --

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:  # pragma: no cover - all our paths are under root
            return str(path)

    def not_found(self, snapshot_id: str) -> SnapshotNotFoundError:
        import difflib  # only on the error path

        close = difflib.get_close_matches(snapshot_id, self.ids(), n=3, cutoff=0.6)
        hint = (
            f"did you mean {', '.join(repr(c) for c in close)}?"
            if close
            else "run 'cspo-archive list' to see the ids it holds"
        )
        msg = f"no snapshot {snapshot_id!r} in the archive at '{self.root}'; {hint}"
        return SnapshotNotFoundError(msg, snapshot_id=snapshot_id, archive=str(self.root))

    # -- verification --

    def verify(self) -> tuple[list[Problem], int, int]:
        """Check everything; return (problems, snapshots checked, captures checked)."""
        problems: list[Problem] = []
        try:
            self.check_marker()
        except ArchiveFormatError as exc:
            problems.append(Problem("format", ARCHIVE_FILE, str(exc)))
            return problems, 0, 0
        referenced: dict[str, list[str]] = {}
        checked = 0
        for name in sorted(os.listdir(self.items)) if self.items.is_dir() else []:
            path = self.items / name
            rel = self.relative(path)
            try:
                check_id(name)
            except CspoArchiveError:
                problems.append(
                    Problem("unexpected", rel, f"{rel} is not a snapshot folder (not a valid id)")
                )
                continue
            if not path.is_dir():
                problems.append(Problem("unexpected", rel, f"{rel} is a file, not a folder"))
                continue
            checked += 1
            problems.extend(self._verify_snapshot(name, referenced))
        captures = 0
        names = sorted(os.listdir(self.captures)) if self.captures.is_dir() else []
        for name in names:
            rel = f"{CAPTURES}/{name}"
            if _HEX_RE.fullmatch(name) is None:
                problems.append(
                    Problem("unexpected", rel, f"{rel} is not named by a SHA-256 digest")
                )
                continue
            captures += 1
            try:
                self.read_capture("sha256:" + name)
            except IntegrityError as exc:
                problems.append(
                    Problem("capture", rel, str(exc), expected=exc.expected, actual=exc.actual)
                )
        present = {"sha256:" + n for n in names}
        for digest, owners in sorted(referenced.items()):
            if digest not in present:
                for owner in owners:
                    rel = f"{CAPTURES}/{digest.removeprefix('sha256:')}"
                    msg = (
                        f"snapshot {owner!r} comes from capture {digest}, but {rel} is missing; "
                        f"{RECOVERY_HINT}"
                    )
                    problems.append(
                        Problem("missing-capture", rel, msg, snapshot_id=owner, expected=digest)
                    )
        return problems, checked, captures

    def _verify_snapshot(self, snapshot_id: str, referenced: dict[str, list[str]]) -> list[Problem]:
        folder = self.items / snapshot_id
        problems = []
        extra = sorted(set(os.listdir(folder)) - SNAPSHOT_FILES)
        for name in extra:
            rel = self.relative(folder / name)
            problems.append(
                Problem(
                    "unexpected",
                    rel,
                    f"snapshot {snapshot_id!r} holds an unexpected file {rel}; remove it",
                    snapshot_id=snapshot_id,
                )
            )
        try:
            snapshot = self.read(snapshot_id)
        except IntegrityError as exc:
            problems.append(
                Problem(
                    "integrity",
                    exc.path,
                    str(exc),
                    snapshot_id=snapshot_id,
                    expected=exc.expected,
                    actual=exc.actual,
                )
            )
            return problems
        except (ArchiveFormatError, CspoArchiveError) as exc:
            rel = self.relative(folder / RECORD_FILE)
            problems.append(Problem("format", rel, str(exc), snapshot_id=snapshot_id))
            return problems
        referenced.setdefault(snapshot.provenance.capture_digest, []).append(snapshot_id)
        return problems


def archive_marker() -> dict[str, Any]:
    return {"format": FORMAT_NAME, "format_version": FORMAT_VERSION}
