"""The archive: add, get, iterate, verify; immutability, atomicity and integrity.

The tests that do not depend on how a folder works run on every store: a folder on
disk, fsspec's ``memory://`` and the local S3 server (marked ``s3``); the damage they
do goes through :class:`Files`, around the library.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import filelock
import pytest

from conftest import SnapshotFactory, build_snapshot, python_output, recorded_file_access
from cspo_archive import (
    AmbiguousIdError,
    Archive,
    ArchiveFormatError,
    ArchiveWriteError,
    CspoArchiveError,
    IntegrityError,
    InvalidIdError,
    InvalidMetadataError,
    LockTimeoutError,
    PinMismatchError,
    ReadOnlyArchiveError,
    SnapshotConflictError,
    SnapshotNotFoundError,
    _storage,
)
from cspo_archive._objects import ObjectStore, _modified


@pytest.fixture(params=["disk", "memory", pytest.param("s3", marks=pytest.mark.s3)])
def archive(request: pytest.FixtureRequest, tmp_path: Path) -> Archive:
    """A new, empty, writable archive: in a folder, in ``memory://``, on the local S3
    server."""
    if request.param == "disk":
        return Archive.open(tmp_path / "archive", create=True)
    url = request.getfixturevalue("memory_url" if request.param == "memory" else "s3_url")
    return Archive.open(url, create=True)


@pytest.fixture
def disk_archive(tmp_path: Path) -> Archive:
    """A new, empty, writable archive in a folder (for what only a folder has: the
    lock, the staging area, renames, threads over files)."""
    return Archive.open(tmp_path / "archive", create=True)


class Files:
    """An archive's files or objects, read and changed around the library."""

    def __init__(self, archive: Archive) -> None:
        store = archive._store
        self.remote = isinstance(store, ObjectStore)
        self.fs: Any = store.fs if isinstance(store, ObjectStore) else None
        self.root = store.root if isinstance(store, ObjectStore) else str(archive.path)

    def _at(self, rel: str) -> str:
        return f"{self.root}/{rel}"

    def read(self, rel: str) -> bytes:
        if self.remote:
            return bytes(self.fs.cat_file(self._at(rel)))
        return Path(self._at(rel)).read_bytes()

    def write(self, rel: str, data: bytes) -> None:
        if self.remote:
            self.fs.pipe_file(self._at(rel), data)
            return
        Path(self._at(rel)).parent.mkdir(parents=True, exist_ok=True)
        Path(self._at(rel)).write_bytes(data)

    def delete(self, rel: str) -> None:
        if self.remote:
            self.fs.rm_file(self._at(rel))
        else:
            Path(self._at(rel)).unlink()

    def flip(self, rel: str, offset: int) -> None:
        data = bytearray(self.read(rel))
        data[offset] ^= 0x01
        self.write(rel, bytes(data))

    def _listing(self) -> dict[str, Any]:
        """Every file or object (but the lock, the index and the staging area)."""
        if self.remote:
            self.fs.invalidate_cache(self.root)
            found = self.fs.find(self.root, detail=True)
            return {name[len(self.root) + 1 :]: info for name, info in found.items()}
        root = Path(self.root)
        return {
            p.relative_to(root).as_posix(): p.stat()
            for p in sorted(root.rglob("*"))
            if p.is_file()
            and p.name not in (".lock", ".index")
            and ".tmp" not in p.relative_to(root).parts
        }

    def tree(self) -> dict[str, bytes]:
        """Every file with its bytes."""
        return {rel: self.read(rel) for rel in sorted(self._listing())}

    def names(self, folder: str) -> list[str]:
        """The names directly in *folder*."""
        return sorted(
            {
                rel[len(folder) + 1 :].split("/")[0]
                for rel in self._listing()
                if rel.startswith(folder + "/")
            }
        )

    def stamps(self) -> dict[str, object]:
        """When each file was last written."""
        return {
            rel: info.st_mtime_ns if not self.remote else (_modified(info), info.get("ETag"))
            for rel, info in self._listing().items()
        }

    @contextlib.contextmanager
    def access(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
        """Record every file-system call (on disk) or request (in a bucket) in the block."""
        if not self.remote:
            with recorded_file_access(monkeypatch) as touched:
                yield touched
            return
        calls: list[object] = []
        with monkeypatch.context() as patch:
            for name in (
                "cat_file",
                "cat",
                "info",
                "find",
                "ls",
                "exists",
                "pipe_file",
                "open",
                "rm_file",
            ):
                real = getattr(self.fs, name)

                def record(*args: Any, _real: Any = real, **kwargs: Any) -> Any:
                    calls.append(args[0] if args else kwargs)
                    return _real(*args, **kwargs)

                patch.setattr(self.fs, name, record)
            yield calls


def _tree(root: Path) -> dict[str, bytes]:
    """Every file under *root* (but the lock and temporary area) with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock" and ".tmp" not in p.relative_to(root).parts
    }


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_add_then_get_round_trips(archive: Archive, snapshot_factory: SnapshotFactory) -> None:
    """A snapshot read back equals the one added, text and metadata alike."""
    snapshot, capture = snapshot_factory()
    stored = archive.add(snapshot, capture=capture)
    assert stored == snapshot
    assert archive.get(snapshot.id) == snapshot
    assert archive.get(str(snapshot.ref)) == snapshot
    assert archive.capture(snapshot.provenance.capture_digest) == capture


def test_layout_is_plain_files(archive: Archive, snapshot_factory: SnapshotFactory) -> None:
    """One folder per snapshot with text and sorted-key JSON; captures by digest."""
    snapshot, capture = snapshot_factory()
    archive.add(snapshot, capture=capture)
    files = Files(archive)
    folder = f"items/{snapshot.id}"
    assert files.names(folder) == ["snapshot.json", "text.txt"]
    assert files.read(f"{folder}/text.txt").decode("utf-8") == snapshot.text
    record = files.read(f"{folder}/snapshot.json").decode("utf-8")
    keys = [line.split('"')[1] for line in record.splitlines() if line.startswith('  "')]
    assert keys == sorted(keys)
    hex_digest = snapshot.provenance.capture_digest.removeprefix("sha256:")
    assert files.read(f"captures/{hex_digest}") == capture


def test_re_adding_identical_content_writes_nothing(
    archive: Archive, snapshot_factory: SnapshotFactory
) -> None:
    """Adding the same snapshot again returns the stored one and leaves every file as it was."""
    snapshot, capture = snapshot_factory()
    archive.add(snapshot, capture=capture)
    files = Files(archive)
    before = files.stamps()
    assert archive.add(snapshot, capture=capture) == snapshot
    assert archive.add(snapshot) == snapshot
    assert files.stamps() == before
    assert len(archive) == 1


def test_different_text_under_an_existing_id_is_a_conflict(
    archive: Archive, snapshot_factory: SnapshotFactory
) -> None:
    """A different text under a stored id raises, names both digests, and changes nothing
    (in a bucket, where nothing is rolled back, the new capture alone may stay)."""
    first, capture = snapshot_factory()
    archive.add(first, capture=capture)
    files = Files(archive)
    before = files.tree()
    second, capture2 = snapshot_factory("A corrected paragraph.\n")
    with pytest.raises(SnapshotConflictError) as info:
        archive.add(second, capture=capture2)
    assert info.value.existing == first.digest
    assert info.value.attempted == second.digest
    assert "new snapshot with a new id" in str(info.value)
    assert "they differ from character" in str(info.value)
    assert isinstance(info.value, FileExistsError)
    after = files.tree()
    if files.remote:
        after = {k: v for k, v in after.items() if k in before or not k.startswith("captures/")}
    assert after == before


def test_different_metadata_under_an_existing_id_is_a_conflict(
    archive: Archive, snapshot_factory: SnapshotFactory
) -> None:
    """Same text, different title: still a conflict, and the message says metadata differs."""
    first, capture = snapshot_factory()
    archive.add(first, capture=capture)
    retitled = attrs.evolve(first, metadata=attrs.evolve(first.metadata, title="Another title"))
    with pytest.raises(SnapshotConflictError, match="different metadata") as info:
        archive.add(retitled)
    # The digests are of the text, the same here: the message says so and names the field.
    assert f"the text is the same ({first.digest})" in str(info.value)
    assert "metadata.title differ" in str(info.value)


def test_flipped_byte_in_text_is_detected_by_get_and_verify(
    archive: Archive, snapshot_factory: SnapshotFactory
) -> None:
    """One changed bit in text.txt: get raises and verify reports, naming both digests."""
    snapshot, capture = snapshot_factory()
    archive.add(snapshot, capture=capture)
    Files(archive).flip(f"items/{snapshot.id}/text.txt", 3)
    with pytest.raises(IntegrityError) as info:
        archive.get(snapshot.id)
    error = info.value
    assert error.snapshot_id == snapshot.id
    assert error.path == f"items/{snapshot.id}/text.txt"
    assert error.expected == snapshot.digest
    assert error.actual is not None
    assert error.actual != snapshot.digest
    assert error.expected in str(error)
    assert error.actual in str(error)
    problems = archive.verify().problems
    assert [(p.kind, p.snapshot_id, p.expected, p.actual) for p in problems] == [
        ("integrity", snapshot.id, error.expected, error.actual)
    ]


@pytest.mark.parametrize("needle", [b'"OGL-UK-3.0"', b'"2025-12-17"', b'"news-story"'])
def test_edited_metadata_is_detected_by_get_and_verify(
    archive: Archive, snapshot_factory: SnapshotFactory, needle: bytes
) -> None:
    """An edited metadata field (licence, date, type) fails the record digest check."""
    snapshot, capture = snapshot_factory()
    archive.add(snapshot, capture=capture)
    files = Files(archive)
    record = f"items/{snapshot.id}/snapshot.json"
    data = files.read(record)
    assert needle in data
    files.write(record, data.replace(needle, needle.upper().replace(b"-", b"_"), 1))
    with pytest.raises(IntegrityError) as info:
        archive.get(snapshot.id)
    assert info.value.path == f"items/{snapshot.id}/snapshot.json"
    assert info.value.expected is not None
    assert info.value.actual is not None
    assert info.value.expected != info.value.actual
    assert not archive.verify().ok


def test_every_single_byte_flip_of_the_record_is_detected(
    archive: Archive, snapshot_factory: SnapshotFactory
) -> None:
    """Flipping any one byte of snapshot.json makes get fail with a library error."""
    snapshot, capture = snapshot_factory()
    archive.add(snapshot, capture=capture)
    files = Files(archive)
    record = f"items/{snapshot.id}/snapshot.json"
    original = files.read(record)
    for offset in range(len(original)):
        data = bytearray(original)
        data[offset] ^= 0x20
        files.write(record, bytes(data))
        with pytest.raises(CspoArchiveError):
            archive.get(snapshot.id)
    files.write(record, original)
    assert archive.get(snapshot.id) == snapshot


@pytest.mark.parametrize("name", ["text.txt", "snapshot.json"])
def test_deleted_file_is_detected(
    archive: Archive, snapshot_factory: SnapshotFactory, name: str
) -> None:
    """A missing text or record is reported by get and verify, naming the file. In a
    bucket a snapshot exists once its record does: without it, get says not found and
    verify reports the text left alone ("incomplete")."""
    snapshot, capture = snapshot_factory()
    archive.add(snapshot, capture=capture)
    Files(archive).delete(f"items/{snapshot.id}/{name}")
    if archive.is_remote and name == "snapshot.json":
        with pytest.raises(SnapshotNotFoundError):
            archive.get(snapshot.id)
        [problem] = archive.verify().problems
        assert (problem.kind, problem.path) == ("incomplete", f"items/{snapshot.id}/text.txt")
        assert "record was deleted" in problem.message
        return
    with pytest.raises(IntegrityError, match="is missing"):
        archive.get(snapshot.id)
    [problem] = archive.verify().problems
    assert problem.path == f"items/{snapshot.id}/{name}"
    assert problem.snapshot_id == snapshot.id


def test_deleted_or_damaged_capture_is_detected_by_verify(
    archive: Archive, snapshot_factory: SnapshotFactory
) -> None:
    """Provenance points at exact bytes: a changed or missing capture is a problem."""
    snapshot, capture = snapshot_factory()
    archive.add(snapshot, capture=capture)
    files = Files(archive)
    rel = "captures/" + snapshot.provenance.capture_digest.removeprefix("sha256:")
    files.flip(rel, 0)
    [problem] = archive.verify().problems
    assert problem.kind == "capture"
    assert problem.expected == snapshot.provenance.capture_digest
    files.delete(rel)
    [problem] = archive.verify().problems
    assert problem.kind == "missing-capture"
    assert problem.snapshot_id == snapshot.id


def test_verify_returns_every_problem_not_just_the_first(archive: Archive) -> None:
    """Two damaged snapshots and a stray file: three problems reported together."""
    a, ca = build_snapshot(snapshot_id="2025-01-01-a")
    b, cb = build_snapshot("Other text.\n", snapshot_id="2025-01-02-b")
    archive.add(a, capture=ca)
    archive.add(b, capture=cb)
    files = Files(archive)
    files.flip(f"items/{a.id}/text.txt", 0)
    files.delete(f"items/{b.id}/snapshot.json")
    files.write("items/Stray File", b"x")
    result = archive.verify()
    assert not result.ok
    missing_record = "incomplete" if archive.is_remote else "integrity"
    assert sorted(p.kind for p in result.problems) == sorted(
        [missing_record, "integrity", "unexpected"]
    )


def test_swapped_texts_are_detected(archive: Archive) -> None:
    """Exchanging two snapshots' text files is caught for both."""
    a, ca = build_snapshot(snapshot_id="2025-01-01-a")
    b, cb = build_snapshot("Other text.\n", snapshot_id="2025-01-02-b")
    archive.add(a, capture=ca)
    archive.add(b, capture=cb)
    files = Files(archive)
    ta, tb = f"items/{a.id}/text.txt", f"items/{b.id}/text.txt"
    da, db = files.read(ta), files.read(tb)
    files.write(ta, db)
    files.write(tb, da)
    assert {p.snapshot_id for p in archive.verify().problems} == {a.id, b.id}


@pytest.mark.parametrize("bad", ["../x", "/etc/passwd", "a/../../b", "..\\x", "x\x00", "C:x"])
def test_invalid_ids_are_rejected_before_touching_disk(
    archive: Archive, monkeypatch: pytest.MonkeyPatch, bad: str
) -> None:
    """get/in/resolve with a hostile id raise InvalidIdError (or say no) with no file
    access (on disk) and no request (in a bucket)."""
    with Files(archive).access(monkeypatch) as touched:
        with pytest.raises(InvalidIdError):
            archive.get(bad)
        with pytest.raises(InvalidIdError):
            archive.resolve(bad)
        contained = bad in archive
    assert not contained
    assert touched == []


def test_iteration_is_in_publication_order(archive: Archive) -> None:
    """Snapshots come out by published date, then id, whatever the order added."""
    import datetime as dt

    later, c1 = build_snapshot(snapshot_id="b-later", published=dt.date(2025, 12, 17))
    earlier, c2 = build_snapshot("Old.\n", snapshot_id="z-earlier", published=dt.date(2022, 2, 22))
    same_day, c3 = build_snapshot(
        "Same.\n", snapshot_id="a-same-day", published=dt.date(2025, 12, 17)
    )
    for snapshot, capture in ((later, c1), (earlier, c2), (same_day, c3)):
        archive.add(snapshot, capture=capture)
    assert archive.ids() == ["z-earlier", "a-same-day", "b-later"]
    assert [s.id for s in archive] == archive.ids()
    assert len(archive) == 3


def test_pinned_get_with_another_digest_raises_pin_mismatch(
    archive: Archive, snapshot_factory: SnapshotFactory
) -> None:
    """A ref whose digest differs from the stored one raises PinMismatchError with both."""
    snapshot, capture = snapshot_factory()
    archive.add(snapshot, capture=capture)
    wrong = "sha256:" + "0" * 64
    with pytest.raises(PinMismatchError) as info:
        archive.get(f"{snapshot.id}@{wrong}")
    assert info.value.expected == wrong
    assert info.value.actual == snapshot.digest
    assert f"{snapshot.id}@{wrong}" not in archive
    assert str(snapshot.ref) in archive


def test_unknown_id_suggests_close_matches(
    archive: Archive, snapshot_factory: SnapshotFactory
) -> None:
    """A near-miss id raises SnapshotNotFoundError (a KeyError) that suggests the real one."""
    snapshot, capture = snapshot_factory()
    archive.add(snapshot, capture=capture)
    with pytest.raises(SnapshotNotFoundError, match="did you mean") as info:
        archive.get(snapshot.id[:-1])
    assert isinstance(info.value, KeyError)
    assert str(info.value).startswith("no snapshot")


def test_resolve_accepts_unique_prefixes_and_refuses_ambiguous_ones(archive: Archive) -> None:
    """A unique prefix resolves; a shared one lists the candidates; none is not found."""
    a, ca = build_snapshot(snapshot_id="2025-12-17-alpha")
    b, cb = build_snapshot("Other.\n", snapshot_id="2025-12-17-beta")
    archive.add(a, capture=ca)
    archive.add(b, capture=cb)
    assert archive.resolve("2025-12-17-a").id == a.id
    with pytest.raises(AmbiguousIdError) as info:
        archive.resolve("2025-12")
    assert info.value.matches == (a.id, b.id)
    with pytest.raises(SnapshotNotFoundError):
        archive.resolve("2024")


def test_capture_must_match_provenance(archive: Archive, snapshot_factory: SnapshotFactory) -> None:
    """Passing other bytes than the capture the provenance names is refused."""
    snapshot, _ = snapshot_factory()
    with pytest.raises(IntegrityError, match="not the one its provenance names"):
        archive.add(snapshot, capture=b"other bytes")
    assert len(archive) == 0


def test_capture_is_required_when_the_archive_lacks_it(
    archive: Archive, snapshot_factory: SnapshotFactory
) -> None:
    """Provenance must point at bytes the archive holds."""
    snapshot, _ = snapshot_factory()
    with pytest.raises(IntegrityError, match="pass its bytes"):
        archive.add(snapshot)


def test_readonly_archive_refuses_writes(
    archive: Archive, snapshot_factory: SnapshotFactory
) -> None:
    """Opened read-only, add and gc raise ReadOnlyArchiveError (a PermissionError)."""
    snapshot, capture = snapshot_factory()
    readonly = Archive.open(archive.location, readonly=True)
    with pytest.raises(ReadOnlyArchiveError) as info:
        readonly.add(snapshot, capture=capture)
    assert isinstance(info.value, PermissionError)
    with pytest.raises(ReadOnlyArchiveError):
        readonly.gc()


def test_opening_a_folder_that_is_not_an_archive_says_so(tmp_path: Path) -> None:
    """A plain folder, or a missing one, is refused with how to create an archive."""
    with pytest.raises(ArchiveFormatError, match="create=True"):
        Archive.open(tmp_path)
    with pytest.raises(ArchiveFormatError, match="does not exist"):
        Archive.open(tmp_path / "missing")


def test_newer_format_asks_for_an_upgrade(archive: Archive) -> None:
    """An archive written by a newer format version is refused with 'upgrade'."""
    Files(archive).write("archive.json", b'{"format": "cspo-archive", "format_version": 99}')
    with pytest.raises(ArchiveFormatError, match="upgrade cspo-archive"):
        Archive.open(archive.location)


@pytest.mark.parametrize("fail_at", ["write_new_file", "link", "rename", "fsync_dir"])
def test_a_failed_write_leaves_no_trace(
    disk_archive: Archive,
    snapshot_factory: SnapshotFactory,
    monkeypatch: pytest.MonkeyPatch,
    fail_at: str,
) -> None:
    """ENOSPC at any step raises ArchiveWriteError and the archive is byte-identical to before."""
    archive = disk_archive
    first, c1 = build_snapshot("Already here.\n", snapshot_id="2025-01-01-first")
    archive.add(first, capture=c1)
    before = _tree(archive.path)
    snapshot, capture = snapshot_factory()

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    target = os if fail_at in {"link", "rename"} else _storage
    monkeypatch.setattr(target, fail_at, disk_full)
    with pytest.raises(ArchiveWriteError) as info:
        archive.add(snapshot, capture=capture)
    assert "ENOSPC" in str(info.value)
    assert "nothing was added" in str(info.value)
    monkeypatch.undo()
    assert _tree(archive.path) == before
    assert list((archive.path / ".tmp").iterdir()) == []
    assert archive.verify().ok


def test_an_interrupt_mid_write_leaves_no_trace(
    disk_archive: Archive, snapshot_factory: SnapshotFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A KeyboardInterrupt during the write propagates and nothing is left behind."""
    archive = disk_archive
    snapshot, capture = snapshot_factory()
    real = _storage.write_new_file
    calls = []

    def interrupted(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 3:  # capture, text, then the record
            raise KeyboardInterrupt
        real(path, data)

    monkeypatch.setattr(_storage, "write_new_file", interrupted)
    with pytest.raises(KeyboardInterrupt):
        archive.add(snapshot, capture=capture)
    monkeypatch.undo()
    assert _tree(archive.path) == {"archive.json": (archive.path / "archive.json").read_bytes()}


def test_leftovers_of_a_crashed_writer_are_cleaned(
    disk_archive: Archive, snapshot_factory: SnapshotFactory
) -> None:
    """A half-built folder in .tmp is invisible to readers and removed by gc."""
    archive = disk_archive
    staging = archive.path / ".tmp" / "snapshot-crashed"
    staging.mkdir(parents=True)
    (staging / "text.txt").write_text("half", encoding="utf-8")
    assert len(archive) == 0
    assert archive.verify().ok
    assert archive.gc() == 1
    assert not staging.exists()


def test_lock_timeout_names_the_lock_and_what_to_do(
    disk_archive: Archive, snapshot_factory: SnapshotFactory
) -> None:
    """While another holder keeps the lock, add gives up with LockTimeoutError (a TimeoutError)."""
    archive = disk_archive
    snapshot, capture = snapshot_factory()
    impatient = Archive.open(archive.path, lock_timeout=0.2)
    with filelock.FileLock(archive.path / ".lock"), pytest.raises(LockTimeoutError) as info:
        impatient.add(snapshot, capture=capture)
    assert isinstance(info.value, TimeoutError)
    assert ".lock" in str(info.value)
    assert impatient.add(snapshot, capture=capture) == snapshot


def _add_many(root: str, worker: int, count: int) -> None:
    archive = Archive.open(root)
    for i in range(count):
        shared, c1 = build_snapshot(f"Shared text {i}.\n", snapshot_id=f"2025-01-01-shared-{i}")
        own, c2 = build_snapshot(
            f"Text of worker {worker}, item {i}.\n", snapshot_id=f"2025-01-01-w{worker}-{i}"
        )
        archive.add(shared, capture=c1)
        archive.add(own, capture=c2)


def test_two_processes_adding_at_once_both_succeed(disk_archive: Archive) -> None:
    """Two writer processes, half their snapshots shared: both exit 0 and verify is clean."""
    archive = disk_archive
    context = multiprocessing.get_context("spawn")
    count = 25
    workers = [
        context.Process(target=_add_many, args=(str(archive.path), w, count)) for w in (1, 2)
    ]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=120)
    assert [p.exitcode for p in workers] == [0, 0]
    assert len(archive) == 3 * count
    result = archive.verify()
    assert result.ok, result.problems
    assert list((archive.path / ".tmp").iterdir()) == []


# --- verify: the fast path, its reporting path, threads, the file reader -------------


def _damaged_archive(archive: Archive) -> list[str]:
    """Every kind of damage verify knows, one snapshot each; return the damaged ids.

    One snapshot's text is larger than the read buffer, so it is hashed in several
    chunks, and its damage is in the last one.
    """
    big_text = "\n\n".join(["A paragraph of a long publication."] * 10_000) + "\n"
    specs = [
        ("2025-01-01-clean", "Clean text.\n"),
        ("2025-01-02-flipped-text", "Flipped text.\n"),
        ("2025-01-03-flipped-record", "Flipped record.\n"),
        ("2025-01-04-missing-text", "Missing text.\n"),
        ("2025-01-05-missing-record", "Missing record.\n"),
        ("2025-01-06-stray-file", "Stray file.\n"),
        ("2025-01-07-resealed-bad-record", "Resealed.\n"),
        ("2025-01-08-swapped-a", "Swapped a.\n"),
        ("2025-01-09-swapped-b", "Swapped b.\n"),
        ("2025-01-10-big-flipped", big_text),
        ("2025-01-11-damaged-capture", "Damaged capture.\n"),
        ("2025-01-12-missing-capture", "Missing capture.\n"),
        ("2025-01-13-big-clean", big_text + "\nClean.\n"),
    ]
    assert len(big_text.encode()) > 2 * _storage._READ_BUFFER
    snapshots = {}
    for snapshot_id, text in specs:
        snapshot, capture = build_snapshot(text, snapshot_id=snapshot_id)
        archive.add(snapshot, capture=capture)
        snapshots[snapshot_id] = snapshot
    items = archive.path / "items"

    def capture_path(snapshot_id: str) -> Path:
        digest = snapshots[snapshot_id].provenance.capture_digest
        return archive.path / "captures" / digest.removeprefix("sha256:")

    _flip(items / "2025-01-02-flipped-text" / "text.txt", 3)
    _flip(items / "2025-01-03-flipped-record" / "snapshot.json", 40)
    (items / "2025-01-04-missing-text" / "text.txt").unlink()
    (items / "2025-01-05-missing-record" / "snapshot.json").unlink()
    (items / "2025-01-06-stray-file" / "notes.txt").write_text("x", encoding="utf-8")
    record_path = items / "2025-01-07-resealed-bad-record" / "snapshot.json"
    record = json.loads(record_path.read_bytes())
    record["format_version"] = 2
    del record["record_digest"]
    record_path.write_bytes(_storage.seal_record(record))
    a, b = items / "2025-01-08-swapped-a", items / "2025-01-09-swapped-b"
    ra, rb = (a / "snapshot.json").read_bytes(), (b / "snapshot.json").read_bytes()
    (a / "snapshot.json").write_bytes(rb)
    (b / "snapshot.json").write_bytes(ra)
    big = items / "2025-01-10-big-flipped" / "text.txt"
    _flip(big, big.stat().st_size - 2)
    _flip(capture_path("2025-01-11-damaged-capture"), 0)
    capture_path("2025-01-12-missing-capture").unlink()
    (items / "Not An Id").mkdir()
    (items / "2025-01-14-a-file").write_text("x", encoding="utf-8")
    (archive.path / "captures" / "not-a-digest").write_bytes(b"x")
    return [s for s, _ in specs if "clean" not in s]


def test_verify_reports_every_kind_of_damage(disk_archive: Archive) -> None:
    """Each damaged snapshot, capture and stray entry is reported; clean ones are not."""
    archive = disk_archive
    damaged = _damaged_archive(archive)
    result = archive.verify()
    assert result.snapshots == 13
    reported = {p.snapshot_id for p in result.problems if p.snapshot_id is not None}
    assert reported == set(damaged) - {"2025-01-11-damaged-capture"}
    kinds = sorted((p.kind, p.snapshot_id or p.path) for p in result.problems)
    assert ("format", "2025-01-07-resealed-bad-record") in kinds
    assert ("unexpected", "2025-01-06-stray-file") in kinds
    assert ("missing-capture", "2025-01-12-missing-capture") in kinds
    assert [k for k, _ in kinds].count("capture") == 1
    assert {p.path for p in result.problems if p.kind == "unexpected"} == {
        "items/Not An Id",
        "items/2025-01-14-a-file",
        "captures/not-a-digest",
        "items/2025-01-06-stray-file/notes.txt",
    }
    [big] = [p for p in result.problems if p.snapshot_id == "2025-01-10-big-flipped"]
    assert (big.kind, big.path) == ("integrity", "items/2025-01-10-big-flipped/text.txt")
    assert big.expected is not None
    assert big.actual is not None
    assert big.expected != big.actual


def test_verify_in_threads_reports_the_same_as_in_one(
    disk_archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With cores to spare verify checks in a thread pool, in batches: same problems, in order."""
    archive = disk_archive
    _damaged_archive(archive)
    for i in range(3 * _storage._VERIFY_BATCH):  # several batches of snapshots and captures
        snapshot, capture = build_snapshot(f"Text {i}.\n", snapshot_id=f"2026-01-01-more-{i}")
        archive.add(snapshot, capture=capture)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    alone = archive.verify()
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    threaded = archive.verify()
    assert threaded == alone
    assert len(alone.problems) == 14


@pytest.mark.parametrize(
    ("cpus", "text_bytes", "workers"),
    [
        (1, 1 << 20, 1),
        (2, 1 << 20, 2),  # large texts: reading and hashing in two threads pays
        (2, 100, 1),  # small ones: the per-file checks hold the GIL, one thread is faster
        (3, 1 << 20, 2),
        (8, 100, 4),
        (16, 100, 4),
    ],
)
def test_verify_uses_threads_where_they_pay(
    disk_archive: Archive, monkeypatch: pytest.MonkeyPatch, cpus: int, text_bytes: int, workers: int
) -> None:
    """Half the cores (at most 4) from 4 cores up; on 2-3 cores two threads only for
    large texts; and the threaded result is the single-threaded one."""
    archive = disk_archive
    for i in range(3):
        text = (f"Paragraph {i}. " * (text_bytes // 14 + 1))[:text_bytes].rstrip() + "\n"
        snapshot, capture = build_snapshot(text, snapshot_id=f"2026-01-0{i + 1}-text-{i}")
        archive.add(snapshot, capture=capture)
    names = archive.ids()
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    assert isinstance(archive._store, _storage.Store)
    assert archive._store._verify_workers(names) == workers
    threaded = archive.verify()
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert threaded == archive.verify()
    assert threaded.ok


def test_fast_check_agrees_with_the_reporting_path_on_every_byte_flip(
    disk_archive: Archive, snapshot_factory: SnapshotFactory
) -> None:
    """For a flip of any byte of text.txt or snapshot.json, the one-read check finds a
    problem and returns exactly what the file-by-file reporting path returns."""
    archive = disk_archive
    snapshot, capture = snapshot_factory()
    archive.add(snapshot, capture=capture)
    store = archive._store
    assert isinstance(store, _storage.Store)
    reader = _storage._FileReader()
    clean = store._verify_snapshot(snapshot.id, reader)
    assert clean == ([], snapshot.provenance.capture_digest)
    assert store._report_snapshot(snapshot.id) == clean
    for name in ("text.txt", "snapshot.json"):
        path = archive.path / "items" / snapshot.id / name
        original = path.read_bytes()
        for offset in range(len(original)):
            data = bytearray(original)
            data[offset] ^= 0x20
            path.write_bytes(bytes(data))
            found = store._verify_snapshot(snapshot.id, reader)
            assert found[0], (name, offset)
            assert found == store._report_snapshot(snapshot.id), (name, offset)
        path.write_bytes(original)
    assert store._verify_snapshot(snapshot.id, reader) == clean


@pytest.mark.parametrize("read_into", ["_readv_into", "_fileio_into"])
def test_file_reader_hashes_and_reads_files_of_every_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_into: str
) -> None:
    """digest() equals hashlib's SHA-256 and read() the file's bytes, for empty files,
    files smaller than, equal to and several times the buffer; with os.readv and with
    the io.FileIO fallback (used where os.readv does not exist)."""
    if read_into == "_readv_into" and not hasattr(os, "readv"):
        pytest.skip("os.readv is not available here")
    monkeypatch.setattr(_storage, "_read_into", getattr(_storage, read_into))
    size = _storage._READ_BUFFER
    reader = _storage._FileReader()
    for length in (0, 1, size - 1, size, size + 1, 3 * size + 5):
        data = bytes((i * 7 + length) % 251 for i in range(length))
        path = tmp_path / f"f{length}"
        path.write_bytes(data)
        assert reader.digest(str(path)) == "sha256:" + hashlib.sha256(data).hexdigest()
        assert reader.read(str(path)) == data
        assert _storage.hash_file(path) == reader.digest(str(path))
    with pytest.raises(FileNotFoundError):
        reader.digest(str(tmp_path / "absent"))


def test_importing_storage_leaves_verify_and_write_helpers_unloaded() -> None:
    """`import cspo_archive._storage` loads neither concurrent.futures (verify's thread
    pool), secrets/random (temporary names) nor filelock, and compiles no pattern."""
    code = (
        "import sys, re, cspo_archive._storage as s\n"
        "from cspo_archive._lazy_re import LazyPattern\n"
        "print(sorted(m for m in ('concurrent.futures', 'secrets', 'random', 'filelock')"
        " if m in sys.modules))\n"
        "lazy = [v for v in vars(s).values() if isinstance(v, LazyPattern)]\n"
        "print(len(lazy) >= 5, [v.source for v in lazy if v.is_compiled])\n"
    )
    out = python_output(code)
    assert out.split("\n")[:2] == ["[]", "True []"]


def test_temporary_names_are_random_hex() -> None:
    """_token(n) gives 2n lowercase hex digits, different on every call."""
    tokens = {_storage._token(8) for _ in range(100)}
    assert len(tokens) == 100
    assert all(len(t) == 16 and set(t) <= set("0123456789abcdef") for t in tokens)


def test_withdrawal_hides_a_snapshot_and_keeps_it(
    archive: Archive, snapshot_factory: SnapshotFactory
) -> None:
    """withdraw() writes an append-only line: current() leaves the snapshot out,
    iteration and get() still give it (pins verify), the same reason again is a
    no-op, another is refused, an empty reason is refused, and verify checks the
    line against the snapshot's digest."""
    first, capture = snapshot_factory()
    archive.add(first, capture=capture)
    archive.withdraw(first.id, "added by mistake")
    archive.withdraw(first.ref, "added by mistake")
    assert list(archive.current()) == []
    assert [s.id for s in archive] == [first.id]
    assert archive.get(str(first.ref)) == first
    reason, when = archive.withdrawals()[first.id]
    assert reason == "added by mistake"
    assert when.endswith("+00:00")
    with pytest.raises(SnapshotConflictError, match="never changed"):
        archive.withdraw(first.id, "another reason")
    with pytest.raises(InvalidMetadataError, match="needs a reason"):
        archive.withdraw(first.id, "  ")
    assert archive.verify().ok
    files = Files(archive)
    # One line in a file on disk; one object per snapshot in a bucket.
    record = f"withdrawals/{first.id}.json" if files.remote else "withdrawals.jsonl"
    files.write(record, files.read(record).replace(first.digest.encode(), b"sha256:" + b"1" * 64))
    [problem] = archive.verify().problems
    assert problem.kind == "records"
    assert problem.path == record
