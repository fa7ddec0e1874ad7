"""The archive on disk: layout, atomic writes, the write lock, verified reads.

Layout (everything plain files, readable by a person and diffable by git)::

    <root>/
      archive.json                   {"format": "cspo-archive", "format_version": 1}
      items/<id>/text.txt            the canonical text (UTF-8, NFC, LF)
      items/<id>/snapshot.json       id, digest, metadata, provenance, record_digest
      captures/<hex>                 raw capture bytes, named by their SHA-256
      RELEASED.sha256                optional: the SHA-256 of every released file
                                     (sha256sum format); verify checks it
      .tmp/                          writes in progress (never shipped, cleaned by gc
                                     and by opening a writable archive when idle)
      .lock                          the cross-process write lock
      .index                         derived: ids in publication order (never shipped,
                                     never trusted for integrity, rebuilt when stale)

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
* **Released files are checked against their list.** Where ``RELEASED.sha256``
  exists, verify also checks that every file it lists is there with that
  digest, and reports every snapshot and capture it does not list.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import frozen

from cspo_archive import _serialize
from cspo_archive._lazy_re import LazyPattern
from cspo_archive._text import check_id, close_ids, is_digest, is_id, sha256_digest
from cspo_archive.exceptions import (
    ArchiveFormatError,
    ArchiveWriteError,
    CspoArchiveError,
    IntegrityError,
    LockTimeoutError,
    SnapshotNotFoundError,
)
from cspo_archive.model import Metadata, Provenance, Snapshot

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

_T = TypeVar("_T")

FORMAT_NAME = "cspo-archive"
FORMAT_VERSION = 1
ARCHIVE_FILE = "archive.json"
ITEMS = "items"
CAPTURES = "captures"
TMP = ".tmp"
LOCK = ".lock"
INDEX = ".index"
TEXT_FILE = "text.txt"
RECORD_FILE = "snapshot.json"
SNAPSHOT_FILES = frozenset({TEXT_FILE, RECORD_FILE})
RELEASED_FILE = "RELEASED.sha256"

_ZERO_DIGEST = "sha256:" + "0" * 64
#: Files are read through one reused buffer of this size (no allocation per file); it
#: fits in the CPU's L2 cache, where the hash then reads it (measured in
#: benchmarks/ARCHIVE.md: as fast as 256 KiB or 1 MiB, faster than 64 KiB or less).
_READ_BUFFER = 1 << 17
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)
#: verify() hands names to its worker threads in batches of at most this many (one
#: buffer each).
_VERIFY_BATCH = 64
#: On 2-3 cores, verify uses two threads when texts average at least this size.
_THREADED_TEXT_BYTES = 256 * 1024
INDEX_MAGIC = "cspo-archive-index 1"
#: An index is trusted on its stamp alone only if the listing it was built from was
#: taken this long after the last change of items/ (file-system timestamps are
#: coarse: two changes within one tick share an mtime; cf. git's "racy clean").
_RACY_NS = 2_000_000_000


# Regular expressions are compiled on first use (module import stays cheap).


_record_digest_re = LazyPattern(rb'"record_digest": "(sha256:[0-9a-f]{64})"')


#: When the field itself is damaged: whatever stands between the quotes.
_loose_record_digest_re = LazyPattern(rb'"record_digest"\s*:\s*"([^"\n]{0,200})"')


_hex_re = LazyPattern(r"[0-9a-f]{64}")


_date_re = LazyPattern(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


index_body_re = LazyPattern(r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2} [a-z0-9]+(?:-[a-z0-9]+)*\n)*")


#: One part of a path listed in RELEASED.sha256: not "." or "..", and no space, control
#: character, slash, backslash or colon (a drive).
_RELEASED_PART = r"(?!\.\.?(?:/|$))[^\s/\\:\x00-\x1f\x7f-\x9f]+"


#: A line of RELEASED.sha256, as sha256sum writes it (" *" marks binary mode), with a
#: path relative to the archive that cannot leave it.
_released_line_re = LazyPattern(
    rf"([0-9a-fA-F]{{64}}) [ *]({_RELEASED_PART}(?:/{_RELEASED_PART})*)"
)


RECOVERY_HINT = (
    "restore the file from a trusted copy (git checkout, a backup, or a fresh install "
    "of the package); never edit a snapshot in place: a correction is a new snapshot"
)

RELEASED_FORM = (
    "'<64 hex digits>  <path inside the archive>' (sha256sum format: the file's SHA-256, "
    "two spaces, a path such as items/<id>/text.txt) or a comment starting with '#'"
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
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(fd)
        raise
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
    except BaseException:
        # A failed close must not hide why the write failed.
        with contextlib.suppress(OSError):
            os.close(fd)
        raise
    os.close(fd)


def best_effort(action: Callable[..., object], *args: object) -> bool:
    """Run a clean-up step; return whether it worked. Never raises ``OSError``.

    Clean-up runs while another error is on its way up: it must never replace it.
    """
    try:
        action(*args)
    except OSError:
        return False
    return True


def remove_tree(path: str | Path) -> bool:
    """Remove a folder and what it holds, as far as possible; return whether it is gone.

    Uses the same os-level calls as the writes (no :func:`shutil.rmtree`), never raises
    ``OSError`` and never follows symbolic links.
    """
    try:
        entries = list(os.scandir(path))
    except FileNotFoundError:
        return True
    except OSError:
        entries = []
    for entry in entries:
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            remove_tree(entry.path)
        else:
            best_effort(os.unlink, entry.path)
    try:
        os.rmdir(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return True


def describe_os_error(exc: OSError) -> str:
    """A short human description of an OSError: reason and errno name."""
    name = errno.errorcode.get(exc.errno or 0, "")
    reason = exc.strerror or str(exc)
    return f"{reason} ({name})" if name else reason


def read_record_bytes(data: bytes) -> tuple[str | None, str]:
    """Return the recorded and the actual record digest of a ``snapshot.json``.

    When the ``record_digest`` field is damaged, the recorded value is whatever
    stands between its quotes (so it can be shown), and the actual digest is taken
    with that value zeroed; ``None`` only when no such field can be found at all
    (the actual digest is then of the whole file).
    """
    match = _record_digest_re().search(data) or _loose_record_digest_re().search(data)
    if match is None:
        return None, sha256_digest(data)
    recorded = match.group(1).decode("utf-8", errors="backslashreplace")
    zeroed = data[: match.start(1)] + _ZERO_DIGEST.encode("ascii") + data[match.end(1) :]
    return recorded, sha256_digest(zeroed)


def seal_record(record: dict[str, Any]) -> bytes:
    """Serialise *record* and fill in its ``record_digest``."""
    draft = _serialize.dumps({**record, "record_digest": _ZERO_DIGEST})
    digest = sha256_digest(draft)
    return draft.replace(_ZERO_DIGEST.encode("ascii"), digest.encode("ascii"), 1)


def _token(nbytes: int) -> str:
    """A random hex token for temporary names (what ``secrets.token_hex`` does, without
    importing ``secrets`` and ``random`` for it)."""
    return os.urandom(nbytes).hex()


def _readv_into(fd: int, buffer: bytearray) -> int:
    """Read from *fd* into *buffer*; return how many bytes (0 at the end of the file)."""
    return os.readv(fd, (buffer,))


def _fileio_into(fd: int, buffer: bytearray) -> int:
    """:func:`_readv_into` where ``os.readv`` does not exist (Windows)."""
    with io.FileIO(fd, "rb", closefd=False) as fh:
        return fh.readinto(buffer) or 0


_read_into = _readv_into if hasattr(os, "readv") else _fileio_into


class _FileReader:
    """Reads and hashes files through one reused buffer (one reader per thread).

    Plain ``os`` calls on ``str`` paths: on an archive of small files the cost per
    file (building :class:`~pathlib.Path` objects, ``io`` objects, a fresh buffer)
    is what verify spends its time on.
    """

    __slots__ = ("buffer", "view")

    def __init__(self) -> None:
        self.buffer = bytearray(_READ_BUFFER)
        self.view = memoryview(self.buffer)

    def digest(self, path: str) -> str:
        """``sha256:<hex>`` of the file at *path*, read in cache-sized chunks."""
        sha = hashlib.sha256()
        fd = os.open(path, _READ_FLAGS)
        try:
            while count := _read_into(fd, self.buffer):
                # The hash releases the GIL, so several files can be hashed in threads.
                sha.update(self.view[:count])
        except BaseException:
            with contextlib.suppress(OSError):  # never hide why the read failed
                os.close(fd)
            raise
        os.close(fd)
        return "sha256:" + sha.hexdigest()

    def read(self, path: str) -> bytes:
        """The bytes of the file at *path*."""
        parts = []
        fd = os.open(path, _READ_FLAGS)
        try:
            while count := _read_into(fd, self.buffer):
                parts.append(self.buffer[:count])
        except BaseException:
            with contextlib.suppress(OSError):
                os.close(fd)
            raise
        os.close(fd)
        return b"".join(parts)


def hash_file(path: str | Path) -> str:
    """Return ``sha256:<hex>`` of a file, read in cache-sized chunks."""
    return _FileReader().digest(os.fspath(path))


def _in_threads(
    pool: ThreadPoolExecutor,
    check: Callable[[str, _FileReader], _T],
    names: Sequence[str],
    workers: int,
) -> list[_T]:
    """``[check(name, reader) for name in names]`` in *pool*, in order, one reader per batch.

    Batches of up to :data:`_VERIFY_BATCH` names, but at least four per worker, so a
    few large snapshots are still shared out.
    """
    size = max(1, min(_VERIFY_BATCH, -(-len(names) // (workers * 4))))

    def batch(start: int) -> list[_T]:
        reader = _FileReader()
        return [check(name, reader) for name in names[start : start + size]]

    parts = pool.map(batch, range(0, len(names), size))
    return [result for part in parts for result in part]


def _text_missing(snapshot_id: str, rel: str, digest: str) -> IntegrityError:
    """The error for a snapshot whose text file *rel* is gone."""
    msg = (
        f"snapshot {snapshot_id!r} is damaged: {rel} is missing "
        f"(expected text with digest {digest}); {RECOVERY_HINT}"
    )
    return IntegrityError(msg, snapshot_id=snapshot_id, path=rel, expected=digest, actual=None)


def _text_mismatch(snapshot_id: str, rel: str, digest: str, actual: str) -> IntegrityError:
    """The error for a snapshot whose text file *rel* hashes to *actual*, not *digest*."""
    msg = (
        f"snapshot {snapshot_id!r} failed its integrity check: {rel} does not match "
        f"its recorded digest: expected {digest} but got {actual}; {RECOVERY_HINT}"
    )
    return IntegrityError(msg, snapshot_id=snapshot_id, path=rel, expected=digest, actual=actual)


def parse_record(
    record: dict[str, Any], snapshot_id: str, rel: str
) -> tuple[Metadata, Provenance, str]:
    """The metadata, provenance and text digest of a verified record (*rel* names its
    file in messages); :class:`ArchiveFormatError` if it is not this format."""
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


def integrity_problem(exc: IntegrityError, snapshot_id: str) -> Problem:
    """The ``integrity`` problem verify reports for *exc*, raised by a snapshot's check."""
    return Problem(
        "integrity",
        exc.path,
        str(exc),
        snapshot_id=snapshot_id,
        expected=exc.expected,
        actual=exc.actual,
    )


def checked_capture(digest: str, rel: str, data: bytes | None) -> bytes:
    """*data*, the bytes of the capture file *rel* (None: missing), if it hashes to
    *digest*, its name; else :class:`IntegrityError`."""
    if data is None:
        msg = f"capture {digest} is not in the archive ({rel} is missing); {RECOVERY_HINT}"
        raise IntegrityError(msg, snapshot_id=None, path=rel, expected=digest, actual=None)
    actual = sha256_digest(data)
    if actual != digest:
        msg = (
            f"capture {rel} does not match its name: expected {digest} but got {actual}; "
            f"{RECOVERY_HINT}"
        )
        raise IntegrityError(msg, snapshot_id=None, path=rel, expected=digest, actual=actual)
    return data


def record_missing(snapshot_id: str, rel: str) -> IntegrityError:
    """The error for a snapshot whose record file *rel* is gone."""
    msg = f"snapshot {snapshot_id!r} is damaged: {rel} is missing; {RECOVERY_HINT}"
    return IntegrityError(msg, snapshot_id=snapshot_id, path=rel, expected=None, actual=None)


def check_record_bytes(snapshot_id: str, rel: str, data: bytes) -> dict[str, Any]:
    """The record in *data* (the bytes of *rel*, the ``snapshot.json`` of *snapshot_id*),
    once its record digest and its id are checked; :class:`IntegrityError` if not."""
    recorded, actual = read_record_bytes(data)
    if recorded is None or recorded != actual:
        got = (
            "its record_digest field is unreadable, so the expected digest is unknown"
            if recorded is None
            else f"expected {recorded}"
        )
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
            f"snapshot {snapshot_id!r} failed its integrity check: {rel} records the id "
            f"{recorded_id!r} (record digest {recorded}, and its bytes give {actual}); "
            f"the folder name and the recorded id must agree: the file was moved or "
            f"swapped between snapshots; {RECOVERY_HINT}"
        )
        raise IntegrityError(
            msg, snapshot_id=snapshot_id, path=rel, expected=recorded, actual=actual
        )
    return record


def snapshot_from_record(
    snapshot_id: str, record: dict[str, Any], rel_record: str, text: bytes | None, rel_text: str
) -> Snapshot:
    """The snapshot a verified *record* describes, once *text* (the bytes of *rel_text*,
    None if it is missing) is checked against the recorded digest."""
    metadata, provenance, digest = parse_record(record, snapshot_id, rel_record)
    if text is None:
        raise _text_missing(snapshot_id, rel_text, digest)
    actual = sha256_digest(text)
    if actual != digest:
        raise _text_mismatch(snapshot_id, rel_text, digest, actual)
    try:
        return Snapshot(snapshot_id, metadata, provenance, text.decode("utf-8"))
    except (UnicodeDecodeError, CspoArchiveError) as exc:
        msg = f"snapshot {snapshot_id!r}: {rel_text} is not acceptable text: {exc}; {RECOVERY_HINT}"
        raise ArchiveFormatError(msg, path=rel_text) from exc


# --- the release list (RELEASED.sha256) -------------------------------------------


@frozen
class _Released:
    """What ``RELEASED.sha256`` says: each listed path with its digest
    (``sha256:<hex>``) and line number, and the problems with the file itself.

    ``files`` is None when the file cannot be read at all (nothing can be checked).
    """

    files: dict[str, tuple[str, int]] | None
    problems: tuple[Problem, ...]


#: What to do about a damaged RELEASED.sha256.
_RELEASED_HINT = (
    f"fix the line, or restore {RELEASED_FILE} from a trusted copy (git checkout, a "
    f"backup, or a fresh install of the package)"
)


def _is_utf8(text: str) -> bool:
    """Whether *text* came from valid UTF-8 (holds no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _read_released(root: Path) -> _Released | None:
    """Parse ``<root>/RELEASED.sha256``; None if the archive has none.

    Lines are sha256sum's (``<hex>  <path>``, or ``<hex> *<path>``); blank lines
    and lines starting with ``#`` are skipped. A line that is not one of these,
    or that lists a path again with another digest, is a ``format`` problem
    naming its line number.
    """
    try:
        data = (root / RELEASED_FILE).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return released_unreadable(describe_os_error(exc))
    return parse_released(data)


def released_unreadable(reason: str) -> _Released:
    """What verify knows of a ``RELEASED.sha256`` that cannot be read (*reason*)."""
    msg = (
        f"{RELEASED_FILE} cannot be read: {reason}, so the released files were not "
        f"checked; {_RELEASED_HINT}"
    )
    return _Released(None, (Problem("unreadable", RELEASED_FILE, msg),))


def parse_released(data: bytes) -> _Released:
    """Parse the bytes of ``RELEASED.sha256`` (see :func:`_read_released`)."""
    files: dict[str, tuple[str, int]] = {}
    problems: list[Problem] = []
    pattern = _released_line_re()
    # Decoded once; bytes that are not UTF-8 become lone surrogates, refused below.
    text = data.decode("utf-8", errors="surrogateescape")
    for number, raw_line in enumerate(text.split("\n"), start=1):
        line = raw_line.removesuffix("\r")
        match = pattern.fullmatch(line)
        if match is None:
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
        if match is None or not (line.isascii() or _is_utf8(line)):
            raw = line.encode("utf-8", errors="surrogateescape")
            shown = raw[:100].decode("utf-8", errors="backslashreplace")
            more = "..." if len(raw) > 100 else ""
            msg = (
                f"{RELEASED_FILE} line {number} is malformed: expected {RELEASED_FORM}, "
                f"got {shown!r}{more}; {_RELEASED_HINT}"
            )
            problems.append(Problem("format", RELEASED_FILE, msg))
            continue
        digest = "sha256:" + match.group(1).lower()
        rel = match.group(2)
        previous = files.get(rel)
        if previous is None:
            files[rel] = (digest, number)
        elif previous[0] != digest:
            msg = (
                f"{RELEASED_FILE} line {number} lists {rel} again with another digest "
                f"({digest}; line {previous[1]} lists {previous[0]}): a released file has "
                f"one digest; {_RELEASED_HINT}"
            )
            problems.append(
                Problem("format", RELEASED_FILE, msg, expected=previous[0], actual=digest)
            )
    return _Released(files, tuple(problems))


def _released_owner(rel: str) -> str | None:
    """The snapshot id of a path ``items/<id>/...``, else None."""
    parts = rel.split("/")
    if len(parts) >= 2 and parts[0] == ITEMS and is_id(parts[1]):
        return parts[1]
    return None


#: (problems, capture digest, (digest of text.txt, digest of snapshot.json) when sound).
_SnapshotResult = tuple[list[Problem], str | None, tuple[str, str] | None]


# --- the store -------------------------------------------------------------------


class Store:
    """Plain-file storage under one root folder. Not public: use :class:`Archive`."""

    def __init__(self, root: Path, *, lock_timeout: float, readonly: bool = False) -> None:
        self.root = root
        self.items = root / ITEMS
        self.captures = root / CAPTURES
        self.tmp = root / TMP
        self.index = root / INDEX
        self.lock_timeout = lock_timeout
        self.readonly = readonly

    @property
    def location(self) -> str:
        """Where the archive is, as shown to people: the root folder."""
        return str(self.root)

    # -- set up and inspect --

    def has_marker(self) -> bool:
        """Whether the root holds an ``archive.json`` (one look, never raises)."""
        return (self.root / ARCHIVE_FILE).exists()

    def create(self) -> None:
        """Make an empty archive here (see :meth:`initialise`)."""
        self.initialise(self.root)

    @staticmethod
    def initialise(root: Path) -> None:
        """Create an empty archive at *root*, which must be absent or an empty folder:
        a folder that holds other files is refused (it is not made an archive)."""
        if root.is_file():
            msg = f"cannot create an archive at '{root}': it is a file; give a new folder"
            raise ArchiveFormatError(msg, path=str(root))
        if root.is_dir():
            try:
                present = sorted(os.listdir(root))
            except OSError:
                present = []
            present = [name for name in present if name not in (".lock", TMP)]
            if present and ARCHIVE_FILE not in present:
                shown = ", ".join(present[:3]) + (" ..." if len(present) > 3 else "")
                msg = (
                    f"'{root}' is not an archive and is not empty ({len(present)} "
                    f"entr{'y' if len(present) == 1 else 'ies'}: {shown}); an archive is "
                    f"made only in a new or empty folder: give one"
                )
                raise ArchiveFormatError(msg, path=str(root))
        try:
            root.mkdir(parents=True, exist_ok=True)
            for sub in (ITEMS, CAPTURES):
                (root / sub).mkdir(exist_ok=True)
            marker = root / ARCHIVE_FILE
            if not marker.exists():
                tmp = root / f".{ARCHIVE_FILE}.{_token(4)}.tmp"
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
        if self.root.is_file():
            msg = (
                f"{where} is a file, not an archive folder; point at the folder that holds "
                f"{ARCHIVE_FILE} and items/"
            )
            raise ArchiveFormatError(msg, path=str(self.root))
        if not self.root.is_dir():
            msg = (
                f"no archive at {where}: the folder does not exist; create one by adding to "
                f"it: cspo-archive add FILE --archive PATH (in Python: Archive.open(path, "
                f"create=True))"
            )
            raise ArchiveFormatError(msg, path=str(self.root))
        try:
            data = marker.read_bytes()
        except FileNotFoundError:
            msg = (
                f"{where} is not a cspo-archive archive: it has no {ARCHIVE_FILE}; "
                f"point at the folder that holds {ARCHIVE_FILE} and items/, or make a new "
                f"archive in a new folder: cspo-archive add FILE --archive NEW-FOLDER (in "
                f"Python: Archive.open(path, create=True))"
            )
            raise ArchiveFormatError(msg, path=str(marker)) from None
        except OSError as exc:
            msg = f"cannot read {marker}: {exc}; restore it (expected {archive_marker()})"
            raise ArchiveFormatError(msg, path=str(marker)) from exc
        check_marker_bytes(data, str(marker))

    def snapshot_dir(self, snapshot_id: str) -> Path:
        return self.items / check_id(snapshot_id)

    def ids(self) -> list[str]:
        """Every snapshot id present (sorted); from the index when it is fresh."""
        fresh = self._fresh_index()
        if fresh is not None:
            return sorted(i for _, i in fresh)
        return sorted(self._list_ids())

    def _list_ids(self) -> list[str]:
        """The names in items/ that are snapshot ids (one listing, no record read)."""
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
        return out

    # -- the index (derived data: publication order without reading every record) --

    def _items_stamp(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.items)
        except OSError:
            return None
        return st.st_mtime_ns, st.st_nlink

    def _load_index(self) -> tuple[tuple[int, int, int], list[tuple[str, str]]] | None:
        """Parse ``.index``: ((items mtime, items links, listed at), [(date, id)]) or None."""
        try:
            with open(self.index, encoding="ascii") as fh:
                text = fh.read()
        except (OSError, ValueError):
            return None
        first, _, body = text.partition("\n")
        head = first.split(" ")
        if len(head) != 6 or " ".join(head[:2]) != INDEX_MAGIC:
            return None
        if index_body_re().fullmatch(body) is None:  # a damaged index is rebuilt, not used
            return None
        try:
            mtime, nlink, count, listed = (int(v) for v in head[2:])
        except ValueError:
            return None
        entries = [(line[:10], line[11:]) for line in body.split("\n")[:-1]]
        if len(entries) != count:
            return None
        return (mtime, nlink, listed), entries

    def _fresh_index(self) -> list[tuple[str, str]] | None:
        """The index entries if the index is present and provably fresh, else None."""
        loaded = self._load_index()
        if loaded is None:
            return None
        (mtime, nlink, listed), entries = loaded
        if self._items_stamp() != (mtime, nlink) or listed - mtime <= _RACY_NS:
            return None
        return entries

    def ordered(self) -> list[tuple[str, str]]:
        """``(published date, id)`` of every snapshot, in publication order.

        Served by ``.index`` when its stamp (mtime and link count of items/) matches;
        otherwise one listing of items/ and a read (verified) of the records the index
        does not know, then the index is rewritten if the lock is free. Never trusted
        for integrity: readers still verify every file they return.
        """
        loaded = self._load_index()
        listed_at = time.time_ns()
        stamp = self._items_stamp()
        if stamp is None:
            return []
        known: dict[str, str] = {}
        if loaded is not None:
            (mtime, nlink, listed), entries = loaded
            if (mtime, nlink) == stamp and listed - mtime > _RACY_NS:
                return entries
            known = {i: d for d, i in entries}
        names = self._list_ids()
        dates = {name: known.get(name) or self._published(name) for name in names}
        entries = sorted((d, i) for i, d in dates.items())
        self._save_index(stamp, listed_at, entries, loaded)
        return entries

    def _published(self, snapshot_id: str) -> str:
        """The publication date of a snapshot, from its verified record."""
        record, _folder = self.read_record(snapshot_id)
        return record_date(record, snapshot_id, f"{ITEMS}/{snapshot_id}/{RECORD_FILE}")

    def _save_index(
        self,
        stamp: tuple[int, int],
        listed_at: int,
        entries: list[tuple[str, str]],
        previous: tuple[tuple[int, int, int], list[tuple[str, str]]] | None,
    ) -> None:
        """Write ``.index`` atomically under the lock, if the lock is free; else skip."""
        if self.readonly:
            return
        unchanged = previous is not None and previous[1] == entries and previous[0][:2] == stamp
        if unchanged and listed_at - stamp[0] <= _RACY_NS:
            return  # still within the racy window: rewriting would not help
        body = "".join(f"{d} {i}\n" for d, i in entries)
        head = f"{INDEX_MAGIC} {stamp[0]} {stamp[1]} {len(entries)} {listed_at}\n"
        with self.try_locked() as locked:
            if not locked:
                return
            tmp = self.tmp / f"index-{_token(8)}"
            try:
                self.ensure_tmp()
                write_new_file(tmp, (head + body).encode("ascii"))
                os.replace(tmp, self.index)
            except OSError:
                best_effort(os.unlink, tmp)

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
            raise record_missing(snapshot_id, rel) from None
        return check_record_bytes(snapshot_id, rel, data), folder

    def read(self, snapshot_id: str) -> Snapshot:
        """Read one snapshot, verifying the record and the text digest."""
        record, folder = self.read_record(snapshot_id)
        text_path = folder / TEXT_FILE
        try:
            data = text_path.read_bytes()
        except FileNotFoundError:
            data = None
        return snapshot_from_record(
            snapshot_id, record, self.relative(folder / RECORD_FILE), data, self.relative(text_path)
        )

    def read_capture(self, digest: str) -> bytes:
        """Return a raw capture's bytes, verified against its name."""
        if not is_digest(digest):
            msg = f"{digest!r} is not a capture digest: expected 'sha256:' and 64 hex digits"
            raise ArchiveFormatError(msg, path=CAPTURES)
        path = self.captures / digest.removeprefix("sha256:")
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            data = None
        return checked_capture(digest, self.relative(path), data)

    def has_capture(self, digest: str) -> bool:
        return (self.captures / digest.removeprefix("sha256:")).is_file()

    def count_captures(self) -> int:
        """How many entries ``captures/`` holds (0 if it cannot be listed)."""
        try:
            return len(os.listdir(self.captures))
        except OSError:
            return 0

    def read_optional(self, rel: str) -> bytes | None:
        """The bytes of the file *rel* (relative to the root), None if there is none."""
        try:
            return (self.root / rel).read_bytes()
        except FileNotFoundError:
            return None

    def list_records(self, folder: str) -> list[tuple[str, bytes]]:
        """``(path, bytes)`` of each ``<folder>/<name>.json`` (an archive copied from
        object storage holds its records about snapshots that way), sorted by path."""
        try:
            names = sorted(os.listdir(self.root / folder))
        except (FileNotFoundError, NotADirectoryError):
            return []
        out = []
        for name in names:
            if name.endswith(".json"):
                data = self.read_optional(f"{folder}/{name}")
                if data is not None:
                    out.append((f"{folder}/{name}", data))
        return out

    def append_record(self, name: str, snapshot_id: str, line: bytes) -> None:
        """Add *line* (one JSON object and a newline) about *snapshot_id* to the record
        file *name* (the caller holds the write lock and has checked it)."""
        fd = os.open(
            self.root / name,
            os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0),
            0o644,
        )
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)

    def gc(self) -> int:
        """Remove what interrupted writes left in ``.tmp/``, waiting for the lock."""
        with self.locked():
            return self.clean_tmp()

    def write_failed(self, snapshot_id: str, exc: OSError) -> str:
        """What a failed add of *snapshot_id* left, and what to do (for its error)."""
        where = exc.filename or self.root
        return (
            f"could not add snapshot {snapshot_id!r} to the archive at '{self.root}': "
            f"{describe_os_error(exc)} at '{where}'; nothing was added; free space or fix "
            f"permissions and add it again"
        )

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

    @contextlib.contextmanager
    def try_locked(self) -> Iterator[bool]:
        """Take the write lock only if it is free right now; yield whether we hold it."""
        import filelock

        lock = filelock.FileLock(self.root / LOCK, timeout=0)
        try:
            lock.acquire()
        except (filelock.Timeout, OSError):
            yield False
            return
        try:
            yield True
        finally:
            lock.release()

    def has_leftovers(self) -> bool:
        """Whether ``.tmp/`` holds anything (one cheap look, never raises)."""
        try:
            with os.scandir(self.tmp) as it:
                return next(it, None) is not None
        except OSError:
            return False

    def clean_tmp_if_idle(self) -> int:
        """Clean ``.tmp/`` if it has leftovers and no writer holds the lock (no waiting)."""
        if self.readonly or not self.has_leftovers():
            return 0
        with self.try_locked() as locked:
            return self.clean_tmp() if locked else 0

    def clean_tmp(self) -> int:
        """Remove what interrupted writes left in ``.tmp/``; return how many entries.

        Callers hold the lock. Best effort: never raises ``OSError`` (what cannot be
        removed now is left for the next clean).
        """
        try:
            entries = list(os.scandir(self.tmp))
        except OSError:
            return 0
        removed = 0
        for entry in entries:
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                removed += remove_tree(entry.path)
            else:
                removed += best_effort(os.unlink, entry.path)
        return removed

    def ensure_tmp(self) -> None:
        with contextlib.suppress(FileExistsError):
            os.mkdir(self.tmp)

    def write_capture(self, data: bytes, digest: str) -> bool:
        """Store a capture under its digest; return whether it was new."""
        final = self.captures / digest.removeprefix("sha256:")
        if final.exists():
            return False
        self.ensure_tmp()
        tmp = self.tmp / f"capture-{_token(8)}"
        try:
            write_new_file(tmp, data)
            os.link(tmp, final)  # never replaces an existing file
            try:
                fsync_dir(self.captures)
            except BaseException:
                best_effort(os.unlink, final)  # we made it, and it is not durable: undo
                raise
        finally:
            # A leftover here is harmless (.tmp/ is cleaned later): never fail for it.
            best_effort(os.unlink, tmp)
        return True

    def remove_capture(self, digest: str) -> None:
        """Undo :meth:`write_capture` of this call (rollback after a failed add); best effort."""
        if best_effort(os.unlink, self.captures / digest.removeprefix("sha256:")):
            best_effort(fsync_dir, self.captures)

    def write_snapshot(self, snapshot_id: str, text: bytes, record: bytes) -> bool:
        """Assemble a snapshot folder in ``.tmp/`` and rename it into ``items/``;
        return True (the caller holds the lock and saw no such snapshot).

        On any error the snapshot is not in ``items/`` when this returns (as far as
        the file system allows): a failure to flush ``items/`` after the rename takes
        the folder back out again.
        """
        final = self.snapshot_dir(snapshot_id)
        self.ensure_tmp()
        token = _token(8)
        staging = self.tmp / f"snapshot-{token}"
        os.mkdir(staging)
        try:
            write_new_file(staging / TEXT_FILE, text)
            write_new_file(staging / RECORD_FILE, record)
            fsync_dir(staging)
            os.rename(staging, final)
        except BaseException:
            remove_tree(staging)
            raise
        try:
            fsync_dir(self.items)
        except BaseException:
            # In place but not known to be durable, and add() is about to report
            # failure: take it back out so the archive is as it was.
            withdrawn = self.tmp / f"withdrawn-{token}"
            if best_effort(os.rename, final, withdrawn):
                remove_tree(withdrawn)
                best_effort(fsync_dir, self.items)
            raise
        return True

    # -- helpers --

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:  # pragma: no cover - all our paths are under root
            return str(path)

    def not_found(self, snapshot_id: str) -> SnapshotNotFoundError:
        return not_found(snapshot_id, self.ids(), self.location)

    # -- verification --

    def verify(self, done: Callable[..., None] | None = None) -> tuple[list[Problem], int, int]:
        """Check everything; return (problems, snapshots checked, captures checked).
        *done* is called once per snapshot and capture checked (for progress).

        Each file is read once through a reused buffer (:class:`_FileReader`); a
        snapshot or capture that fails any check is checked again by the reporting
        path (:meth:`_report_snapshot`, :meth:`_report_capture`), which names the
        problem. With cores to spare, snapshots and captures are checked in a few
        threads: reading and hashing release the GIL.

        Where the archive has a ``RELEASED.sha256`` (read once), every file it lists
        must be there with the listed digest (``released`` problems; the digests
        the checks above took are reused, so a sound file is not read again), every
        snapshot and capture it does not list is an ``unreleased`` problem, and each
        malformed line a ``format`` problem (:meth:`_check_released`).
        """
        problems: list[Problem] = []
        try:
            self.check_marker()
        except ArchiveFormatError as exc:
            problems.append(Problem("format", ARCHIVE_FILE, str(exc)))
            return problems, 0, 0
        referenced: dict[str, list[str]] = {}
        to_check: list[str] = []
        # One listing that also says which entries are folders (no stat per snapshot,
        # except for symbolic links, which is_dir follows like Path.is_dir).
        entries: list[os.DirEntry[str]] = []
        if self.items.is_dir():
            with os.scandir(self.items) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        for entry in entries:
            name = entry.name
            try:
                check_id(name)
            except CspoArchiveError:
                rel = self.relative(self.items / name)
                problems.append(
                    Problem("unexpected", rel, f"{rel} is not a snapshot folder (not a valid id)")
                )
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if not is_dir:
                rel = self.relative(self.items / name)
                problems.append(Problem("unexpected", rel, f"{rel} is a file, not a folder"))
                continue
            to_check.append(name)
        names = sorted(os.listdir(self.captures)) if self.captures.is_dir() else []
        capture_names = []
        for name in names:
            rel = f"{CAPTURES}/{name}"
            if _hex_re().fullmatch(name) is None:
                problems.append(
                    Problem("unexpected", rel, f"{rel} is not named by a SHA-256 digest")
                )
                continue
            capture_names.append(name)
        released = _read_released(self.root)
        listed = released is not None and released.files is not None
        checker: Callable[[str, _FileReader], _SnapshotResult] = (
            self._verify_released_snapshot
            if listed
            else lambda name, reader: (*self._verify_snapshot(name, reader), None)
        )
        capture_checker = self._verify_capture
        check_snapshot: Callable[[str, _FileReader], _SnapshotResult] = checker
        check_capture: Callable[[str, _FileReader], Problem | None] = capture_checker
        if done is not None:  # count each snapshot and capture as it is checked
            tick = done

            def check_snapshot(name: str, reader: _FileReader) -> _SnapshotResult:
                result = checker(name, reader)
                tick()
                return result

            def check_capture(name: str, reader: _FileReader) -> Problem | None:
                result = capture_checker(name, reader)
                tick()
                return result

        workers = self._verify_workers(to_check)
        if workers > 1:
            from concurrent.futures import ThreadPoolExecutor  # only verify needs it

            with ThreadPoolExecutor(max_workers=workers) as pool:
                snapshot_results = _in_threads(pool, check_snapshot, to_check, workers)
                capture_results = _in_threads(pool, check_capture, capture_names, workers)
        else:
            reader = _FileReader()
            snapshot_results = [check_snapshot(name, reader) for name in to_check]
            capture_results = [check_capture(name, reader) for name in capture_names]
        #: The digest of each file the checks above found sound (for the release list).
        known: dict[str, str] = {}
        for name, (found, capture_digest, files) in zip(to_check, snapshot_results, strict=True):
            problems.extend(found)
            if capture_digest is not None:
                referenced.setdefault(capture_digest, []).append(name)
            if files is not None:
                known[f"{ITEMS}/{name}/{TEXT_FILE}"] = files[0]
                known[f"{ITEMS}/{name}/{RECORD_FILE}"] = files[1]
        for name, found_capture in zip(capture_names, capture_results, strict=True):
            if found_capture is not None:
                problems.append(found_capture)
            elif listed:
                known[f"{CAPTURES}/{name}"] = "sha256:" + name
        problems.extend(missing_captures(referenced, names))
        if released is not None:
            problems.extend(
                check_released(
                    released,
                    known,
                    to_check,
                    capture_names,
                    referenced,
                    lambda rel: hash_file(self.root / rel),
                    self._unreleased_hint,
                )
            )
        return problems, len(to_check), len(capture_names)

    def _unreleased_hint(self, rels: Sequence[str]) -> str:
        """What to do about files that RELEASED.sha256 does not list."""
        import shlex  # only this message needs it

        return (
            f"if it was added by mistake to the archive inside an installed package, "
            f"reinstall cspo-archive into a fresh virtual environment (pip leaves the files "
            f"it did not install, even with --force-reinstall); in a source checkout when "
            f"releasing it, or in your own copy of the archive, append its lines to "
            f"{RELEASED_FILE}: cd {shlex.quote(str(self.root))} && sha256sum "
            f"{' '.join(rels)} >> {RELEASED_FILE}"
        )

    def _verify_workers(self, names: Sequence[str]) -> int:
        """How many threads verify uses: reading and hashing release the GIL, the
        checks between them do not.

        With 4 or more cores, half of them (at most 4). With 2 or 3, two threads
        only when the texts are large (a sample of up to 8 averages at least
        :data:`_THREADED_TEXT_BYTES`): measured on 2 cores, two threads verify 1 MB
        files faster than one hashes bytes already in memory, but verify small
        snapshots at half the speed of one thread (the per-file checks hold the GIL).
        """
        cpus = os.cpu_count() or 1
        if cpus >= 4:
            return min(4, cpus // 2)
        if cpus < 2 or len(names) < 2:
            return 1
        sample = names[:: max(1, len(names) // 8)][:8]
        sizes = []
        for name in sample:
            try:
                sizes.append(os.stat(f"{self.items}{os.sep}{name}{os.sep}{TEXT_FILE}").st_size)
            except OSError:
                sizes.append(0)
        return 2 if sum(sizes) >= _THREADED_TEXT_BYTES * len(sizes) else 1

    def _verify_capture(self, name: str, reader: _FileReader) -> Problem | None:
        """None if the capture *name* hashes to its name, else what is wrong with it."""
        try:
            if reader.digest(f"{self.captures}{os.sep}{name}") == "sha256:" + name:
                return None
        except OSError:
            pass
        return self._report_capture(name)

    def _report_capture(self, name: str) -> Problem | None:
        """Check a capture again and describe what is wrong (None if nothing is, now)."""
        rel = f"{CAPTURES}/{name}"
        digest = "sha256:" + name
        try:
            actual = hash_file(self.captures / name)
        except FileNotFoundError:
            return None  # removed while we looked: the reference check reports it
        except OSError as exc:
            msg = f"capture {rel} cannot be read: {describe_os_error(exc)}; {RECOVERY_HINT}"
            return Problem("capture", rel, msg, expected=digest)
        if actual == digest:
            return None
        msg = (
            f"capture {rel} does not match its name: expected {digest} but got {actual}; "
            f"{RECOVERY_HINT}"
        )
        return Problem("capture", rel, msg, expected=digest, actual=actual)

    def _verify_snapshot(
        self, snapshot_id: str, reader: _FileReader
    ) -> tuple[list[Problem], str | None]:
        """(problems, capture digest) of one snapshot folder whose id is valid."""
        capture_digest = self._sound_snapshot(snapshot_id, reader)
        if capture_digest is None:
            return self._report_snapshot(snapshot_id)
        return [], capture_digest

    def _verify_released_snapshot(self, snapshot_id: str, reader: _FileReader) -> _SnapshotResult:
        """:meth:`_verify_snapshot`, and for a sound snapshot the digests of its
        ``text.txt`` and ``snapshot.json`` files (what RELEASED.sha256 lists)."""
        digests: list[str] = []
        capture_digest = self._sound_snapshot(snapshot_id, reader, digests)
        if capture_digest is None:
            problems, reported_capture = self._report_snapshot(snapshot_id)
            return problems, reported_capture, None
        return [], capture_digest, (digests[0], digests[1])

    def _sound_snapshot(
        self, snapshot_id: str, reader: _FileReader, digests: list[str] | None = None
    ) -> str | None:
        """The capture digest if the snapshot passes every check, else None.

        The checks of :meth:`check_snapshot` and the stray-file check of
        :meth:`_report_snapshot`, each file read once, no message built; at the
        first thing wrong the caller has :meth:`_report_snapshot` name the problems.
        With *digests*, a sound snapshot's file digests are appended to it: the
        text's (the recorded digest, which it matched) and the record file's.
        """
        folder = f"{self.items}{os.sep}{snapshot_id}{os.sep}"
        try:
            if set(os.listdir(folder)) != SNAPSHOT_FILES:
                return None
            data = reader.read(folder + RECORD_FILE)
            recorded, actual = read_record_bytes(data)
            if recorded is None or recorded != actual:
                return None
            record = json.loads(data)
            if not isinstance(record, dict) or record.get("id") != snapshot_id:
                return None
            _metadata, provenance, digest = parse_record(record, snapshot_id, RECORD_FILE)
            if reader.digest(folder + TEXT_FILE) != digest:
                return None
        except (OSError, ValueError, CspoArchiveError):
            return None
        if digests is not None:
            digests += (digest, sha256_digest(data))
        return provenance.capture_digest

    def check_snapshot(self, snapshot_id: str) -> str:
        """Verify a snapshot's files without building it; return its capture digest.

        The same digest checks as :meth:`read` (record digest, record format, text
        digest), streaming the text through the hash instead of decoding it.
        """
        record, folder = self.read_record(snapshot_id)
        rel_record = self.relative(folder / RECORD_FILE)
        _metadata, provenance, digest = parse_record(record, snapshot_id, rel_record)
        text_path = folder / TEXT_FILE
        rel = self.relative(text_path)
        try:
            actual = hash_file(text_path)
        except FileNotFoundError:
            raise _text_missing(snapshot_id, rel, digest) from None
        if actual != digest:
            raise _text_mismatch(snapshot_id, rel, digest, actual)
        return provenance.capture_digest

    def _report_snapshot(self, snapshot_id: str) -> tuple[list[Problem], str | None]:
        """Check a snapshot again, file by file, and name every problem found."""
        folder = self.items / snapshot_id
        problems = []
        try:
            extra = sorted(set(os.listdir(folder)) - SNAPSHOT_FILES)
        except OSError:
            extra = []
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
            capture_digest = self.check_snapshot(snapshot_id)
        except IntegrityError as exc:
            problems.append(integrity_problem(exc, snapshot_id))
            return problems, None
        except CspoArchiveError as exc:
            rel = self.relative(folder / RECORD_FILE)
            problems.append(Problem("format", rel, str(exc), snapshot_id=snapshot_id))
            return problems, None
        except OSError as exc:
            rel = self.relative(folder)
            msg = f"snapshot {snapshot_id!r} cannot be read: {describe_os_error(exc)}"
            problems.append(Problem("unreadable", rel, msg, snapshot_id=snapshot_id))
            return problems, None
        return problems, capture_digest


def check_released(
    released: _Released,
    known: dict[str, str],
    snapshot_ids: Sequence[str],
    capture_names: Sequence[str],
    referenced: dict[str, list[str]],
    digest_of: Callable[[str], str],
    unreleased_hint: Callable[[Sequence[str]], str],
) -> list[Problem]:
    """The problems of the release list: its own (malformed lines), then each
    listed file missing or different (in the list's order), then each snapshot
    and capture present but not listed.

    *known* holds the digests verify already took of sound files; any other
    listed file is hashed here by *digest_of* (a path relative to the archive; raises
    ``FileNotFoundError`` if it is missing); *unreleased_hint* says what to do about
    files the list does not hold.
    """
    problems = list(released.problems)
    files = released.files
    if files is None:
        return problems
    for rel, (digest, number) in files.items():  # in the list's order
        actual = known.get(rel)
        if actual == digest:
            continue
        owner = _released_owner(rel)
        if actual is None:
            try:
                actual = digest_of(rel)
            except (FileNotFoundError, NotADirectoryError):
                msg = (
                    f"{rel} is missing, but {RELEASED_FILE} (line {number}) lists it as "
                    f"released with digest {digest}: released files are never removed; "
                    f"{RECOVERY_HINT}"
                )
                problems.append(Problem("released", rel, msg, snapshot_id=owner, expected=digest))
                continue
            except OSError as exc:
                msg = (
                    f"{rel} cannot be read ({describe_os_error(exc)}), so it cannot be "
                    f"checked against {RELEASED_FILE} (line {number}, digest {digest}); "
                    f"{RECOVERY_HINT}"
                )
                problems.append(Problem("released", rel, msg, snapshot_id=owner, expected=digest))
                continue
        if actual != digest:
            msg = (
                f"{rel} is not the released file: {RELEASED_FILE} (line {number}) lists "
                f"{digest} but the file gives {actual}; released files never change; "
                f"{RECOVERY_HINT}"
            )
            problems.append(
                Problem("released", rel, msg, snapshot_id=owner, expected=digest, actual=actual)
            )
    for snapshot_id in snapshot_ids:
        paths = [f"{ITEMS}/{snapshot_id}/{name}" for name in (RECORD_FILE, TEXT_FILE)]
        unlisted = [rel for rel in paths if rel not in files]
        if not unlisted:
            continue
        if len(unlisted) == len(paths):
            rel = f"{ITEMS}/{snapshot_id}"
            what = f"snapshot {snapshot_id!r} is not in {RELEASED_FILE}"
        else:
            rel = unlisted[0]
            what = (
                f"{rel} of snapshot {snapshot_id!r} is not in {RELEASED_FILE} (its other file is)"
            )
        msg = f"{what}, so it was not released with this package; " + unreleased_hint(unlisted)
        problems.append(Problem("unreleased", rel, msg, snapshot_id=snapshot_id))
    for name in capture_names:
        rel = f"{CAPTURES}/{name}"
        if rel in files:
            continue
        owners = referenced.get("sha256:" + name, [])
        of = (
            f"the capture of snapshot {', '.join(repr(o) for o in owners)}"
            if owners
            else "a capture no sound snapshot comes from"
        )
        msg = (
            f"capture {rel} ({of}) is not in {RELEASED_FILE}, so it was not released "
            f"with this package; " + unreleased_hint([rel])
        )
        owner = owners[0] if len(owners) == 1 else None
        problems.append(Problem("unreleased", rel, msg, snapshot_id=owner))
    return problems


def check_marker_bytes(data: bytes, marker: str) -> None:
    """Raise :class:`ArchiveFormatError` unless *data*, the bytes of ``archive.json``
    (*marker* names it), describes an archive this version reads."""
    try:
        parsed = json.loads(data)
    except ValueError as exc:
        msg = f"cannot read {marker}: {exc}; restore it (expected {archive_marker()})"
        raise ArchiveFormatError(msg, path=marker) from exc
    if not isinstance(parsed, dict) or parsed.get("format") != FORMAT_NAME:
        msg = f"{marker} does not describe a cspo-archive archive (got {parsed!r})"
        raise ArchiveFormatError(msg, path=marker)
    version = parsed.get("format_version")
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
        raise ArchiveFormatError(msg, path=marker)


def record_date(record: dict[str, Any], snapshot_id: str, rel: str) -> str:
    """The publication date (``YYYY-MM-DD``) of a verified record."""
    metadata = record.get("metadata")
    published = metadata.get("published") if isinstance(metadata, dict) else None
    value = published.get("value") if isinstance(published, dict) else None
    if isinstance(value, str) and _date_re().fullmatch(value):
        return value
    metadata_obj, _, _ = parse_record(record, snapshot_id, rel)  # raises the reason
    return metadata_obj.published.value.isoformat()  # pragma: no cover


def not_found(snapshot_id: str, ids: list[str], location: str) -> SnapshotNotFoundError:
    """The error for an id the archive at *location* (holding *ids*) does not hold."""
    close = close_ids(snapshot_id, ids)
    hint = (
        f"did you mean {', '.join(repr(c) for c in close)}?"
        if close
        else "run 'cspo-archive list' to see the ids it holds"
    )
    msg = f"no snapshot {snapshot_id!r} in the archive at '{location}'; {hint}"
    return SnapshotNotFoundError(msg, snapshot_id=snapshot_id, archive=location)


def missing_captures(referenced: dict[str, list[str]], names: Sequence[str]) -> list[Problem]:
    """A problem for each snapshot whose capture (in *referenced*: capture digest to the
    snapshots it comes from) is not among the capture files *names*."""
    present = {"sha256:" + n for n in names}
    problems = []
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
    return problems


def archive_marker() -> dict[str, Any]:
    return {"format": FORMAT_NAME, "format_version": FORMAT_VERSION}
