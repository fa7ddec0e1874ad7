"""The storage guarantees, under load, crashes, disk errors, tampering and hostile input.

Run alone with ``pytest -m reliability tests/reliability/test_reliability_storage.py``.
Every test states its PASS FIGURE: what must hold, and over how many trials.
"""

# ruff: noqa: S311 - seeded pseudo-random choices, not cryptography
from __future__ import annotations

import errno
import json
import multiprocessing
import os
import random
import signal
import string
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from _workers import make_snapshot, reader, writer, writer_plan
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import recorded_file_access
from cspo_archive import (
    Archive,
    ArchiveWriteError,
    CspoArchiveError,
    IntegrityError,
    InvalidIdError,
    Snapshot,
    SnapshotNotFoundError,
    _storage,
)
from cspo_archive._text import is_id

pytestmark = pytest.mark.reliability

WRITERS = 8
ADDS_PER_WRITER = 200
READERS = 2
MIN_READS = 3000


# --- helpers ---------------------------------------------------------------------


def tree(root: Path) -> dict[str, bytes | None]:
    """Every folder (None) and file (bytes) under *root*, by relative name.

    The lock file is left out, and so is ``.tmp/`` when it is empty.
    """
    out: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel == ".lock" or (rel == ".tmp" and not any(path.iterdir())):
            continue
        out[rel] = None if path.is_dir() else path.read_bytes()
    return out


def tmp_entries(root: Path) -> list[str]:
    tmp = root / ".tmp"
    return sorted(p.name for p in tmp.iterdir()) if tmp.is_dir() else []


class Crash(BaseException):
    """The simulated process death of the crash sweep."""


#: The os-level calls _storage makes that change the disk (or may fail on a full one).
COUNTED = (
    "open",
    "write",
    "fsync",
    "close",
    "rename",
    "replace",
    "link",
    "unlink",
    "mkdir",
    "rmdir",
)


class FaultyOS:
    """Stands in for ``os`` inside ``_storage``: counts the calls and fails one (or all).

    *mode* is "once" (the Nth call raises, later ones work: a transient disk error),
    "from" (the Nth and every later call raises: a persistent error) or "crash"
    (the Nth call and every later one raise :class:`Crash`: the process is gone,
    nothing it does afterwards reaches the disk).
    """

    def __init__(self, fail_at: int, error: int = errno.EIO, mode: str = "once") -> None:
        self._fail_at = fail_at
        self._error = error
        self._mode = mode
        self.calls: list[str] = []
        self.failed: list[str] = []
        self.raised: list[tuple[str, OSError]] = []

    def __getattr__(self, name: str) -> Any:
        real = getattr(os, name)
        if name not in COUNTED:
            return real

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            n = len(self.calls)
            failing = n == self._fail_at if self._mode == "once" else n >= self._fail_at
            if failing:
                self.failed.append(name)
                if self._mode == "crash":
                    raise Crash(name)
                error = OSError(self._error, os.strerror(self._error), str(args[0]))
                self.raised.append((name, error))
                raise error
            return real(*args, **kwargs)

        return call


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[Archive, Snapshot, bytes]:
    """An archive holding one snapshot, and another snapshot (with capture) to add."""
    archive = Archive.open(tmp_path / "archive", create=True)
    first, c1 = make_snapshot("2025-01-01-already-here", "Already here.\n")
    archive.add(first, capture=c1)
    snapshot, capture = make_snapshot("2025-02-02-the-new-one", "The new one.\n\nTwo.\n")
    return archive, snapshot, capture


def count_calls(archive: Archive, snapshot: Snapshot, capture: bytes) -> int:
    """How many counted os calls a clean add makes (in a copy of the archive's state)."""
    probe = FaultyOS(fail_at=10**9)
    original = tree(archive.path)
    mp = pytest.MonkeyPatch()
    mp.setattr(_storage, "os", probe)
    try:
        archive.add(snapshot, capture=capture)
    finally:
        mp.undo()
    # Put the archive back as it was (test set-up, not the code under test).
    import shutil

    shutil.rmtree(archive.path / "items" / snapshot.id)
    (archive.path / "captures" / snapshot.provenance.capture_digest[7:]).unlink()
    assert tree(archive.path) == original
    return len(probe.calls)


# --- 1 and 2: concurrent writers, readers during writes ----------------------------


@pytest.fixture(scope="module")
def concurrent_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """8 writer processes and 2 reader processes on one archive, all at once."""
    base = tmp_path_factory.mktemp("concurrent")
    root = base / "archive"
    Archive.open(root, create=True)
    expected: dict[str, str] = {}
    for w in range(WRITERS):
        for snapshot_id, text in writer_plan(w, ADDS_PER_WRITER):
            expected[snapshot_id] = make_snapshot(snapshot_id, text)[0].digest
    (base / "expected.json").write_text(json.dumps(expected), encoding="utf-8")
    stop = base / "stop"
    context = multiprocessing.get_context("spawn")
    readers = [
        context.Process(
            target=reader,
            args=(
                str(root),
                str(base / "expected.json"),
                str(stop),
                str(base / f"reader-{r}.json"),
                r,
                MIN_READS,
            ),
        )
        for r in range(READERS)
    ]
    writers = [
        context.Process(
            target=writer,
            args=(str(root), w, ADDS_PER_WRITER, str(base / f"writer-{w}.json")),
        )
        for w in range(WRITERS)
    ]
    start = time.perf_counter()
    for process in readers + writers:
        process.start()
    for process in writers:
        process.join(timeout=240)
    writing = time.perf_counter() - start
    stop.touch()
    for process in readers:
        process.join(timeout=120)
    for process in readers + writers:
        if process.is_alive():  # pragma: no cover - a hang is a failure; do not leak it
            process.kill()
    return {
        "root": root,
        "expected": expected,
        "writers": [p.exitcode for p in writers],
        "readers": [p.exitcode for p in readers],
        "writer_results": [
            json.loads(p.read_text(encoding="utf-8")) for p in sorted(base.glob("writer-*.json"))
        ],
        "reader_results": [
            json.loads(p.read_text(encoding="utf-8")) for p in sorted(base.glob("reader-*.json"))
        ],
        "seconds": writing,
    }


def test_concurrent_writers_add_every_distinct_snapshot_once(
    concurrent_run: dict[str, Any],
) -> None:
    """8 processes x 200 adds, half shared by all of them, on one archive at once.

    PASS FIGURE: 8/8 writers exit 0; len(archive) == 900 == the number of distinct
    ids (100 shared + 8 x 100 own); every stored digest is the expected one;
    verify() finds 0 problems; 0 entries left in .tmp/.
    """
    root: Path = concurrent_run["root"]
    expected: dict[str, str] = concurrent_run["expected"]
    assert concurrent_run["writers"] == [0] * WRITERS
    assert len(expected) == 100 + WRITERS * 100
    archive = Archive.open(root)
    assert len(archive) == len(expected)
    assert sorted(archive.ids()) == sorted(expected)
    for result in concurrent_run["writer_results"]:
        for snapshot_id, digest in result["digests"].items():
            assert expected[snapshot_id] == digest
    verification = archive.verify()
    assert verification.ok, verification.problems
    assert verification.snapshots == len(expected)
    assert tmp_entries(root) == []
    adds = WRITERS * ADDS_PER_WRITER
    print(f"\n[1] {adds} adds by {WRITERS} processes in {concurrent_run['seconds']:.1f} s")


def test_readers_during_writes_see_whole_verified_snapshots_or_nothing(
    concurrent_run: dict[str, Any],
) -> None:
    """2 reader processes get/iterate/verify while the 8 writers of test 1 run.

    PASS FIGURE: both readers exit 0 after >= 3,000 reads each; 0 bad reads: every
    get either raised SnapshotNotFoundError or returned the fully verified snapshot
    with the expected digest; every iteration and verify() during the writes clean.
    """
    assert concurrent_run["readers"] == [0] * READERS
    results = concurrent_run["reader_results"]
    assert len(results) == READERS
    for result in results:
        assert result["reads"] >= MIN_READS
        assert result["counts"]["bad"] == 0, result["bad"]
        assert result["counts"]["get"] > 0
    total = {k: sum(r["counts"][k] for r in results) for k in results[0]["counts"]}
    print(f"\n[2] reads during writes: {sum(r['reads'] for r in results)} {total}")


# --- 3: kill -9 mid-write, and the crash sweep ---------------------------------------

KILL_RUNS = 200


def _big_text(megabytes: int) -> str:
    rng = random.Random(3)
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(500)]
    paragraphs = []
    size = 0
    while size < megabytes * 1_000_000:
        paragraph = " ".join(rng.choices(words, k=80)) + "."
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs) + "\n"


def _fork_add(root: Path, snapshot: Snapshot, capture: bytes) -> tuple[int, int]:
    """Fork a child that adds *snapshot*; return (pid, read end of its 'starting' pipe)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.close(read_end)
            archive = Archive.open(root)
            os.write(write_end, b"s")
            archive.add(snapshot, capture=capture)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def test_kill_9_mid_write_leaves_the_snapshot_whole_or_absent(tmp_path: Path) -> None:
    """200 writers (each adding a 3 MB snapshot) killed with SIGKILL at seeded random moments.

    PASS FIGURE: 200/200 runs: verify() clean after the next open; the snapshot is
    either whole (verified, expected digest) or absent; .tmp/ is empty after the next
    Archive.open (it cleans leftovers when the lock is free); the next writer takes
    the lock in < 5 s (filelock's lock dies with its holder). The kill moments cover
    the whole add: some runs end absent, some whole, some with leftovers to clean.
    """
    snapshot, capture = make_snapshot("2025-03-03-a-large-publication", _big_text(3))
    # How long does one add take, in a child, from "starting" to exit?
    calibration = tmp_path / "calibration"
    durations = []
    for n in range(3):
        root = calibration / str(n)
        Archive.open(root, create=True)
        pid, pipe = _fork_add(root, snapshot, capture)
        os.read(pipe, 1)
        started = time.perf_counter()
        _, status = os.waitpid(pid, 0)
        durations.append(time.perf_counter() - started)
        os.close(pipe)
        assert os.waitstatus_to_exitcode(status) == 0
    window = 1.2 * sorted(durations)[1]
    rng = random.Random(20251121)
    outcomes = {"whole": 0, "absent": 0, "left-overs cleaned": 0}
    lock_waits = []
    for run in range(KILL_RUNS):
        root = tmp_path / f"run-{run}"
        Archive.open(root, create=True)
        pid, pipe = _fork_add(root, snapshot, capture)
        os.read(pipe, 1)
        time.sleep(rng.uniform(0, window))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(pipe)
        leftovers = tmp_entries(root)
        started = time.perf_counter()
        archive = Archive.open(root, lock_timeout=5)
        archive.gc()  # the next writer: takes the lock
        lock_waits.append(time.perf_counter() - started)
        assert tmp_entries(root) == [], f"run {run}: {tmp_entries(root)}"
        outcomes["left-overs cleaned"] += bool(leftovers)
        verification = archive.verify()
        assert verification.ok, (run, verification.problems)
        try:
            stored = archive.get(snapshot.id)
        except SnapshotNotFoundError:
            outcomes["absent"] += 1
            assert len(archive) == 0
        else:
            outcomes["whole"] += 1
            assert stored.digest == snapshot.digest
        # Adding it now works (and is whole): the archive is fully usable.
        assert archive.add(snapshot, capture=capture).digest == snapshot.digest
        import shutil

        shutil.rmtree(root)
    assert max(lock_waits) < 5
    assert outcomes["whole"] > 0
    assert outcomes["absent"] > 0
    assert outcomes["left-overs cleaned"] > 0
    print(
        f"\n[3] kill -9: {KILL_RUNS} runs, add takes {sorted(durations)[1] * 1000:.0f} ms, "
        f"{outcomes}, slowest next lock {max(lock_waits) * 1000:.0f} ms"
    )


def test_crash_at_every_write_call_leaves_the_archive_consistent(
    seeded: tuple[Archive, Snapshot, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The crash sweep: the process 'dies' at the Nth write/fsync/rename/link/... call.

    Every os-level call _storage makes that changes the disk is counted; for each N
    the Nth and every later one fails (nothing after the crash reaches the disk).
    PASS FIGURE: for every N from 1 to the number of calls of a clean add (+1):
    verify() clean after reopening; the snapshot whole or absent; .tmp/ empty after
    Archive.open; adding it again succeeds.
    """
    archive, snapshot, capture = seeded
    calls = count_calls(archive, snapshot, capture)
    assert calls >= 15
    pristine = tree(archive.path)
    results = []
    for n in range(1, calls + 2):
        fault = FaultyOS(n, mode="crash")
        with monkeypatch.context() as patch:
            patch.setattr(_storage, "os", fault)
            try:
                archive.add(snapshot, capture=capture)
                crashed = False
            except Crash:
                crashed = True
        reopened = Archive.open(archive.path)
        assert tmp_entries(archive.path) == [], n
        verification = reopened.verify()
        assert verification.ok, (n, verification.problems)
        present = snapshot.id in reopened
        if present:
            assert reopened.get(snapshot.id).digest == snapshot.digest
        results.append((n, fault.failed[:1], crashed, present))
        assert reopened.add(snapshot, capture=capture).digest == snapshot.digest
        # Back to the starting state for the next N.
        import shutil

        shutil.rmtree(archive.path / "items" / snapshot.id)
        (archive.path / "captures" / snapshot.provenance.capture_digest[7:]).unlink(missing_ok=True)
        assert tree(archive.path) == pristine
    assert results[-1][2] is False  # past the last call, the add completes
    print(f"\n[3b] crash sweep: {calls + 1} crash points, every one consistent")


# --- 4: disk errors at every I/O call ---------------------------------------------


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EIO])
def test_a_disk_error_at_any_call_leaves_the_archive_byte_identical(
    seeded: tuple[Archive, Snapshot, bytes], monkeypatch: pytest.MonkeyPatch, error: int
) -> None:
    """ENOSPC / EIO injected at each os-level call of an add in turn (once, then the disk works).

    PASS FIGURE: for every N: either add raises ArchiveWriteError (a CspoArchiveError)
    whose cause carries the injected errno, and the tree (names and bytes, without
    .lock and an empty .tmp/) is byte-identical to before; or the failed call was a
    clean-up that cannot change the result (removing a temporary file), the add
    succeeded, verify() is clean and the next Archive.open leaves .tmp/ empty.
    """
    archive, snapshot, capture = seeded
    calls = count_calls(archive, snapshot, capture)
    before = tree(archive.path)
    raised = succeeded = 0
    for n in range(1, calls + 1):
        fault = FaultyOS(n, error=error)
        with monkeypatch.context() as patch:
            patch.setattr(_storage, "os", fault)
            failure: ArchiveWriteError | None = None
            try:
                archive.add(snapshot, capture=capture)
            except ArchiveWriteError as exc:
                failure = exc
        if failure is not None:
            assert isinstance(failure, CspoArchiveError)
            assert isinstance(failure.__cause__, OSError)
            assert failure.__cause__.errno == error, (n, fault.failed)
            assert "nothing was added" in str(failure)
            raised += 1
            assert tree(archive.path) == before, (n, fault.failed)
            assert tmp_entries(archive.path) == []
            continue
        succeeded += 1
        assert fault.failed == ["unlink"], (n, fault.failed)
        reopened = Archive.open(archive.path)
        assert tmp_entries(archive.path) == []
        assert reopened.verify().ok
        assert reopened.get(snapshot.id).digest == snapshot.digest
        import shutil

        shutil.rmtree(archive.path / "items" / snapshot.id)
        (archive.path / "captures" / snapshot.provenance.capture_digest[7:]).unlink()
        assert tree(archive.path) == before
    assert raised >= calls - 3
    print(
        f"\n[4] {errno.errorcode[error]} at each of {calls} calls: {raised} raised, "
        f"{succeeded} harmless (a failed clean-up of a temporary file)"
    )


def test_a_persistent_disk_error_never_masks_the_original_error(
    seeded: tuple[Archive, Snapshot, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """EIO from the Nth call on (the rollback fails too), for every N.

    PASS FIGURE: for every N: add raises ArchiveWriteError whose cause is the
    first injected error (never one from the clean-up); after the disk recovers,
    the next Archive.open leaves .tmp/ empty and verify() is clean with the
    snapshot whole or absent.
    """
    archive, snapshot, capture = seeded
    calls = count_calls(archive, snapshot, capture)
    for n in range(1, calls + 1):
        fault = FaultyOS(n, error=errno.EIO, mode="from")
        with monkeypatch.context() as patch:
            patch.setattr(_storage, "os", fault)
            with pytest.raises(ArchiveWriteError) as info:
                archive.add(snapshot, capture=capture)
        cause = info.value.__cause__
        assert isinstance(cause, OSError)
        assert cause.errno == errno.EIO
        # The error reported is the first one injected into the write itself, never
        # one from the clean-up (unlink/rmdir only ever clean up, and are swallowed).
        first = next(e for name, e in fault.raised if name not in {"unlink", "rmdir"})
        assert cause is first, (n, fault.failed)
        reopened = Archive.open(archive.path)
        assert tmp_entries(archive.path) == [], n
        verification = reopened.verify()
        assert verification.ok, (n, verification.problems)
        if snapshot.id in reopened:
            assert reopened.get(snapshot.id).digest == snapshot.digest
            import shutil

            shutil.rmtree(archive.path / "items" / snapshot.id)
        (archive.path / "captures" / snapshot.provenance.capture_digest[7:]).unlink(missing_ok=True)


def test_fsync_of_items_failing_after_the_rename_rolls_the_snapshot_back(
    seeded: tuple[Archive, Snapshot, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The known weak spot: the folder is renamed into items/, then flushing items/ fails.

    PASS FIGURE: add raises ArchiveWriteError, the snapshot is not in the archive,
    and the tree is byte-identical to before (it used to stay in place).
    """
    archive, snapshot, capture = seeded
    before = tree(archive.path)
    real = _storage.fsync_dir

    def failing(path: Path) -> None:
        if Path(path) == archive.path / "items":
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(path))
        real(path)

    monkeypatch.setattr(_storage, "fsync_dir", failing)
    with pytest.raises(ArchiveWriteError, match="EIO"):
        archive.add(snapshot, capture=capture)
    monkeypatch.undo()
    assert snapshot.id not in archive
    assert tree(archive.path) == before


def test_cleaning_tmp_survives_io_errors(
    seeded: tuple[Archive, Snapshot, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """gc() and Archive.open with leftovers in .tmp/ while the disk returns EIO.

    PASS FIGURE: for EIO at every call of the clean-up (and at all of them), neither
    gc() nor Archive.open raises; once the disk works, gc() removes what was left.
    """
    archive, _, _ = seeded
    for n in range(1, 12):
        staging = archive.path / ".tmp" / "snapshot-crashed"
        staging.mkdir(parents=True, exist_ok=True)
        (staging / "text.txt").write_text("half", encoding="utf-8")
        (archive.path / ".tmp" / "capture-crashed").write_bytes(b"half")
        for mode in ("once", "from"):
            with monkeypatch.context() as patch:
                patch.setattr(_storage, "os", FaultyOS(n, mode=mode))
                archive.gc()
                Archive.open(archive.path)
        archive.gc()
        assert tmp_entries(archive.path) == []

    def broken_scandir(path: Any) -> Iterator[os.DirEntry[str]]:
        raise OSError(errno.EIO, os.strerror(errno.EIO), str(path))

    monkeypatch.setattr(os, "scandir", broken_scandir)
    assert archive.gc() == 0


# --- 5: tampering ------------------------------------------------------------------

FLIPS = 1000


def _check_detected(archive: Archive, snapshot_id: str, what: str) -> IntegrityError:
    """get and verify both catch it, naming the snapshot and the digests."""
    with pytest.raises(IntegrityError) as info:
        archive.get(snapshot_id)
    error = info.value
    assert error.snapshot_id == snapshot_id, what
    assert snapshot_id in str(error), what
    if error.actual is None:
        assert "missing" in str(error), what
    else:
        assert error.actual in str(error), what
        if error.expected is None:
            assert "unreadable" in str(error), what
        else:
            assert error.expected in str(error), what
    problems = [p for p in archive.verify().problems if p.snapshot_id == snapshot_id]
    assert [(p.kind, p.expected, p.actual) for p in problems] == [
        ("integrity", error.expected, error.actual)
    ], what
    with pytest.raises(IntegrityError):
        list(archive)
    return error


@pytest.fixture
def two(tmp_path: Path) -> tuple[Archive, Snapshot, Snapshot]:
    archive = Archive.open(tmp_path / "archive", create=True)
    a, ca = make_snapshot("2025-01-01-alpha", "Alpha text.\n\nSecond paragraph.\n")
    b, cb = make_snapshot("2025-01-02-beta", "Beta text, a little longer.\n")
    archive.add(a, capture=ca)
    archive.add(b, capture=cb)
    return archive, a, b


@pytest.mark.parametrize("name", ["text.txt", "snapshot.json"])
def test_every_kind_of_tampering_is_detected(
    two: tuple[Archive, Snapshot, Snapshot], name: str
) -> None:
    """Flipped byte, truncation, deletion, a file swapped with another snapshot's.

    PASS FIGURE: 4/4 kinds x 2 files (plus an edited metadata field for the record)
    detected by get and by verify with the snapshot id and both digests (or
    'missing' for a deleted file; 'unreadable' where the recorded digest is gone).
    """
    archive, a, b = two
    path = archive.path / "items" / a.id / name
    other = archive.path / "items" / b.id / name
    original = path.read_bytes()
    cases: dict[str, Callable[[], object]] = {
        "flip": lambda: path.write_bytes(bytes([original[0] ^ 0x01]) + original[1:]),
        "truncate": lambda: path.write_bytes(original[: len(original) // 2]),
        "delete": path.unlink,
        "swap": lambda: path.write_bytes(other.read_bytes()),
    }
    if name == "snapshot.json":
        cases["edit licence"] = lambda: path.write_bytes(
            original.replace(b"OGL-UK-3.0", b"CC-BY-4.0")
        )
        cases["edit date"] = lambda: path.write_bytes(
            original.replace(b'"2025-01-01"', b'"2024-01-01"')
        )
    for what, damage in cases.items():
        damage()
        _check_detected(archive, a.id, f"{name}: {what}")
        path.write_bytes(original)
        assert archive.get(a.id) == a
    assert archive.verify().ok


def test_a_thousand_random_byte_flips_are_all_detected(
    two: tuple[Archive, Snapshot, Snapshot],
) -> None:
    """1,000 seeded single-byte changes across text.txt and snapshot.json of one snapshot.

    PASS FIGURE: 1,000/1,000 detected by get and by verify (IntegrityError naming the
    snapshot and both digests, or 'unreadable' for the expected one when the
    record_digest field itself was hit); 0 reads return unverified bytes.
    """
    archive, a, _ = two
    folder = archive.path / "items" / a.id
    originals = {name: (folder / name).read_bytes() for name in ("text.txt", "snapshot.json")}
    rng = random.Random(1000)
    unreadable = 0
    for trial in range(FLIPS):
        name = rng.choice(sorted(originals))
        data = bytearray(originals[name])
        offset = rng.randrange(len(data))
        data[offset] ^= rng.randrange(1, 256)
        (folder / name).write_bytes(bytes(data))
        with pytest.raises(IntegrityError) as info:
            archive.get(a.id)
        unreadable += info.value.expected is None
        _check_detected(archive, a.id, f"trial {trial}: {name}[{offset}]")
        (folder / name).write_bytes(originals[name])
    assert archive.get(a.id) == a
    print(f"\n[5] {FLIPS}/{FLIPS} flips detected ({unreadable} with the record_digest unreadable)")


# --- 6: hostile ids and paths -------------------------------------------------------

HOSTILE = [
    "../x",
    "..",
    ".",
    "../../etc/passwd",
    "/etc/passwd",
    "/",
    "a/../../b",
    "..\\x",
    "a\\..\\..\\b",
    "C:x",
    "c:\\windows",
    "C:/x",
    "\\\\server\\share",
    "%2e%2e%2f",
    "%2e%2e",
    "..%2f..%2fetc",
    "%2E%2E%5C",
    "x\x00",
    "\x00",
    "a\x00/../b",
    "a\nb",
    "a\tb",
    "a\x1bb",
    "a\x7fb",
    "a\u202eb",
    "a b",
    " a",
    "a-",
    "-a",
    "a--b",
    "A",
    "2025-01-01-\u0430lpha",  # Cyrillic a
    "2025-01-01-\uff41lpha",  # fullwidth a
    "2025-01-01-\u212alpha",  # Kelvin sign
    "2025\u201101-01",  # non-breaking hyphen
    "caf\u00e9",
    "a" * 129,
    "a-" * 70 + "a",
    "con",
    "nul",
    "lpt1",
    "",
    "~",
    "~root",
    "$HOME",
    "a@b",
    "../x@sha256:" + "0" * 64,
    "x@sha256:" + "0" * 63,
]


@pytest.fixture
def hostile_archive(tmp_path: Path) -> Archive:
    archive = Archive.open(tmp_path / "archive", create=True)
    snapshot, capture = make_snapshot("2025-01-01-alpha", "Alpha.\n")
    archive.add(snapshot, capture=capture)
    archive.ids()  # build the index now, so later reads need no write
    return archive


def _assert_rejected_without_touching_disk(
    archive: Archive, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with recorded_file_access(monkeypatch) as touched:
        with pytest.raises(InvalidIdError):
            archive.get(value)
        contained = value in archive
        get_touched = list(touched)
        try:
            resolved = archive.resolve(value).id
        except CspoArchiveError:
            resolved = None
        resolve_touched = touched[len(get_touched) :]
    assert not contained
    assert get_touched == [], (value, get_touched)
    prefix_shaped = bool(value) and all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in value)
    if not prefix_shaped:
        assert resolved is None
        assert resolve_touched == [], (value, resolve_touched)
        return
    # A prefix search reads the listing (or the index, refreshing it under the lock),
    # never a path made from what was typed.
    fixed = {archive.path / "items", archive.path / ".index", archive.path / ".lock"}
    for touched_path in resolve_touched:
        assert isinstance(touched_path, (str, Path)), (value, touched_path)
        path = Path(touched_path)
        assert path in fixed or path.parent == archive.path / ".tmp", (value, path)
    assert resolved is None or resolved in archive.ids()


def _assert_inside(archive: Archive, value: str) -> None:
    items = (archive.path / "items").resolve()
    target = (items / value).resolve()
    assert target.parent == items, value


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_ids_are_rejected_before_any_file_system_call(
    hostile_archive: Archive, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """Traversal, absolute paths, drive letters, percent-encoding, NUL, controls, long
    ids, look-alikes, reserved names: get/in/resolve with each.

    PASS FIGURE: 48/48 rejected (InvalidIdError from get, False from `in`) with 0
    calls to os.stat/lstat/open/listdir/scandir or builtins.open.
    """
    _assert_rejected_without_touching_disk(hostile_archive, value, monkeypatch)


_pieces = st.sampled_from(
    ["..", "/", "\\", ":", "%2e", "%2f", "\x00", "\n", "C:", "~", "a", "-", "0", "\u0430", "."]
)


@settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
    derandomize=True,
)
@given(st.one_of(st.text(max_size=140), st.lists(_pieces, max_size=12).map("".join)))
def test_generated_ids_are_rejected_or_stay_inside_items(
    hostile_archive: Archive, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """1,000 Hypothesis strings (random text and mixes of path pieces), derandomized.

    PASS FIGURE: 1,000/1,000: every string either is a valid id whose path resolves
    directly under items/, or is rejected by get/in/resolve before any file system call.
    """
    if is_id(value):
        _assert_inside(hostile_archive, value)
        return
    _assert_rejected_without_touching_disk(hostile_archive, value, monkeypatch)
