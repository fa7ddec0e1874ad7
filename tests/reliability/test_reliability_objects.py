"""The storage guarantees in object storage: an archive at an ``s3://`` URL.

The concurrency and tamper families of ``test_reliability_storage.py``, run against
moto's S3 server on 127.0.0.1 (the session fixture ``s3_server``): writer processes
as separate machines (each its own archive handle, no lock between them), readers
during the writes, a race of different snapshots under one id, objects damaged or
deleted behind the library's back, and hostile ids rejected before any request.

Run alone with ``pytest -m "reliability and s3" tests/reliability/test_reliability_objects.py``.
Every test states its PASS FIGURE: what must hold, and over how many trials.
"""

# ruff: noqa: S311 - seeded pseudo-random choices, not cryptography
from __future__ import annotations

import contextlib
import json
import multiprocessing
import random
import re
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from _workers import make_snapshot, race_id, race_text, racer, reader, writer, writer_plan
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_reliability_storage import HOSTILE, _check_detected

from conftest import S3_BUCKET
from cspo_archive import (
    Archive,
    CspoArchiveError,
    IntegrityError,
    InvalidIdError,
    Snapshot,
    SnapshotConflictError,
    SnapshotNotFoundError,
)
from cspo_archive._objects import ObjectStore
from cspo_archive._text import is_id

pytestmark = [pytest.mark.reliability, pytest.mark.s3]

WRITERS = 8
ADDS_PER_WRITER = 200
READERS = 2
#: Reads each reader makes at least (the disk suite's 3,000 would outlast the writers
#: many times over against moto: a read here is two requests, ~10 ms).
MIN_READS = 200
RACERS = 8
RACE_ROUNDS = 20
FLIPS = 100


# --- objects behind the library's back --------------------------------------------------


def object_store(archive: Archive) -> ObjectStore:
    """The store of an archive opened by URL (its fsspec file system is ``.fs``)."""
    store = archive._store
    assert isinstance(store, ObjectStore)
    return store


def fresh_url(name: str) -> str:
    """A URL under the session's bucket that nothing else uses."""
    return f"s3://{S3_BUCKET}/reliability-{name}-{uuid.uuid4().hex[:12]}"


class Bucket:
    """The objects under one archive's URL, read and written with boto3 directly:
    another program (or a person with the provider's tools), not the library."""

    def __init__(self, server: Any, url: str) -> None:
        import boto3

        from s3server import CREDENTIALS

        self.client = boto3.client(
            "s3",
            endpoint_url=server.endpoint,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
        )
        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        self.bucket = bucket
        self.prefix = prefix.rstrip("/") + "/"

    def names(self) -> list[str]:
        """Every object under the URL, relative to it, sorted."""
        found = []
        pages = self.client.get_paginator("list_objects_v2")
        for page in pages.paginate(Bucket=self.bucket, Prefix=self.prefix):
            found += [entry["Key"][len(self.prefix) :] for entry in page.get("Contents", [])]
        return sorted(found)

    def read(self, rel: str) -> bytes:
        response = self.client.get_object(Bucket=self.bucket, Key=self.prefix + rel)
        data: bytes = response["Body"].read()
        return data

    def write(self, rel: str, data: bytes) -> None:
        """Overwrite (or create) the object *rel*, unconditionally."""
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + rel, Body=data)

    def delete(self, rel: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + rel)


#: What an archive in a bucket may hold (.index: the derived index a writable handle
#: may write when it lists; documents/ and withdrawals/ are not used here).
_LAYOUT = re.compile(
    r"archive\.json|\.index|items/(?P<id>[^/]+)/(?P<file>text\.txt|snapshot\.json)"
    r"|captures/[0-9a-f]{64}"
)


# --- 1 and 2: concurrent writers (separate machines), readers during writes --------


@pytest.fixture(scope="module")
def concurrent_run(s3_server: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """8 writer processes and 2 reader processes on one s3:// archive, all at once."""
    base = tmp_path_factory.mktemp("concurrent-s3")
    url = fresh_url("concurrent")
    Archive.open(url, create=True)
    expected: dict[str, str] = {}
    captures: set[str] = set()
    for w in range(WRITERS):
        for snapshot_id, text in writer_plan(w, ADDS_PER_WRITER):
            snapshot = make_snapshot(snapshot_id, text)[0]
            expected[snapshot_id] = snapshot.digest
            captures.add(snapshot.provenance.capture_digest.removeprefix("sha256:"))
    (base / "expected.json").write_text(json.dumps(expected), encoding="utf-8")
    stop = base / "stop"
    context = multiprocessing.get_context("spawn")
    readers = [
        context.Process(
            target=reader,
            args=(
                url,
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
            target=writer, args=(url, w, ADDS_PER_WRITER, str(base / f"writer-{w}.json"))
        )
        for w in range(WRITERS)
    ]
    start = time.perf_counter()
    for process in readers + writers:
        process.start()
    for process in writers:
        process.join(timeout=300)
    writing = time.perf_counter() - start
    stop.touch()
    for process in readers:
        process.join(timeout=300)
    reading = time.perf_counter() - start
    for process in readers + writers:
        if process.is_alive():  # pragma: no cover - a hang is a failure; do not leak it
            process.kill()
            process.join()
    return {
        "url": url,
        "expected": expected,
        "captures": captures,
        "writers": [p.exitcode for p in writers],
        "readers": [p.exitcode for p in readers],
        "writer_results": [
            json.loads(p.read_text(encoding="utf-8")) for p in sorted(base.glob("writer-*.json"))
        ],
        "reader_results": [
            json.loads(p.read_text(encoding="utf-8")) for p in sorted(base.glob("reader-*.json"))
        ],
        "seconds": writing,
        "reading seconds": reading,
    }


def test_concurrent_writers_add_every_distinct_snapshot_once(
    s3_server: Any, concurrent_run: dict[str, Any]
) -> None:
    """8 processes x 200 adds, half shared by all of them, on one s3:// archive at once,
    each through its own handle (as separate machines: no lock, exclusive creates only).

    PASS FIGURE: 8/8 writers exit 0; len(archive) == 900 == the number of distinct
    ids (100 shared + 8 x 100 own); every stored digest is the expected one;
    verify() finds 0 problems; the bucket holds nothing under the URL but
    archive.json, 900 x items/<id>/{text.txt,snapshot.json} and the 900 captures
    named by their digests (every text has its record: no incomplete leftovers),
    and at most the derived .index.
    """
    url: str = concurrent_run["url"]
    expected: dict[str, str] = concurrent_run["expected"]
    assert concurrent_run["writers"] == [0] * WRITERS
    assert len(expected) == 100 + WRITERS * 100
    archive = Archive.open(url)
    assert len(archive) == len(expected)
    for result in concurrent_run["writer_results"]:
        for snapshot_id, digest in result["digests"].items():
            assert expected[snapshot_id] == digest
    started = time.perf_counter()
    verification = archive.verify()
    verifying = time.perf_counter() - started
    assert verification.ok, verification.problems
    assert verification.snapshots == len(expected)
    names = Bucket(s3_server, url).names()
    texts: set[str] = set()
    records: set[str] = set()
    captures: set[str] = set()
    for name in names:
        match = _LAYOUT.fullmatch(name)
        assert match is not None, f"unexpected object {name}"
        if name.startswith("captures/"):
            captures.add(name.removeprefix("captures/"))
        elif match["file"] == "text.txt":
            texts.add(match["id"])
        elif match["file"] == "snapshot.json":
            records.add(match["id"])
    assert texts == records == set(expected)
    assert captures == concurrent_run["captures"]
    assert len(names) - (".index" in names) == 1 + 2 * len(expected) + len(captures)
    adds = WRITERS * ADDS_PER_WRITER
    print(
        f"\n[s3-1] {adds} adds by {WRITERS} processes in {concurrent_run['seconds']:.1f} s; "
        f"{len(names)} objects; verify {verifying:.1f} s"
    )


def test_readers_during_writes_see_whole_verified_snapshots_or_nothing(
    concurrent_run: dict[str, Any],
) -> None:
    """2 reader processes get/iterate/verify while the 8 writers of test 1 run.

    PASS FIGURE: both readers exit 0 after >= 200 reads each; 0 bad reads: every
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
    print(
        f"\n[s3-2] reads during writes: {sum(r['reads'] for r in results)} {total}, "
        f"readers done after {concurrent_run['reading seconds']:.1f} s"
    )


def test_verify_while_another_machine_adds_between_listing_pages_finds_no_problem(
    s3_server: Any, concurrent_run: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """verify() while another machine completes an add: its capture, text and record
    are created (in that order, as add does) after verify's listing returned its
    first page of 1,000 objects and before the next pages. (A first version of verify
    listed the whole archive at once, captures/ before items/, and reported the new
    snapshot's capture missing; it now lists items/, then captures/.)

    The archive is consistent at every moment, so verify must find nothing wrong
    (the disk suite's readers assert a clean verify during writes; here the moment
    is made to happen, not waited for).
    PASS FIGURE: the listing has >= 3 pages; the add lands between pages 1 and 2;
    verify() finds 0 problems; the snapshot added meanwhile reads back whole.
    """
    url: str = concurrent_run["url"]
    bucket = Bucket(s3_server, url)
    snapshot, capture = make_snapshot("2025-12-31-added-between-pages", "Added meanwhile.\n")
    # The exact objects an add writes, from an add to an archive in memory.
    scratch = f"memory://cspo-between-pages-{uuid.uuid4().hex[:12]}"
    Archive.open(scratch, create=True).add(snapshot, capture=capture)
    import fsspec

    memory = fsspec.filesystem("memory")
    hexdigest = snapshot.provenance.capture_digest.removeprefix("sha256:")
    written = [
        f"captures/{hexdigest}",
        f"items/{snapshot.id}/text.txt",
        f"items/{snapshot.id}/snapshot.json",
    ]
    objects = {rel: bytes(memory.cat_file(f"{scratch}/{rel}")) for rel in written}
    memory.rm(scratch, recursive=True)

    archive = Archive.open(url, readonly=True)
    store = object_store(archive)
    fs = store.fs
    real = fs._call_s3
    under = store.root.partition("/")[2] + "/"  # the key prefix of the archive
    pages: list[int] = []  # objects in each page of verify's listings
    added_after: list[int] = []

    async def between_pages(method: str, *args: Any, **kwargs: Any) -> Any:
        out = await real(method, *args, **kwargs)
        if method == "list_objects_v2" and str(kwargs.get("Prefix", "")).startswith(under):
            pages.append(len(out.get("Contents", [])))
            if len(pages) == 1 and out.get("IsTruncated"):
                for rel in written:  # another machine's add, in add's order
                    bucket.write(rel, objects[rel])
                added_after.append(len(pages))
        return out

    monkeypatch.setattr(fs, "_call_s3", between_pages)
    try:
        verification = archive.verify()
        monkeypatch.undo()
        assert len(pages) >= 3, pages
        assert pages[0] == 1000
        assert added_after == [1]
        assert verification.ok, [(p.kind, p.path, p.snapshot_id) for p in verification.problems]
        assert archive.get(snapshot.id) == snapshot
    finally:
        monkeypatch.undo()
        for rel in written:
            bucket.delete(rel)
    assert snapshot.id not in Archive.open(url)


# --- 3: different snapshots under one id, from several machines at once -------------


@pytest.fixture(scope="module")
def race_run(s3_server: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """8 racer processes, 20 rounds: in each, all add their own snapshot under one id,
    released together by a barrier."""
    base = tmp_path_factory.mktemp("race-s3")
    url = fresh_url("race")
    Archive.open(url, create=True)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(RACERS)
    racers = [
        context.Process(
            target=racer, args=(url, w, RACE_ROUNDS, barrier, str(base / f"racer-{w}.json"))
        )
        for w in range(RACERS)
    ]
    start = time.perf_counter()
    for process in racers:
        process.start()
    for process in racers:
        process.join(timeout=300)
    seconds = time.perf_counter() - start
    for process in racers:
        if process.is_alive():  # pragma: no cover - a hang is a failure; do not leak it
            process.kill()
            process.join()
    return {
        "url": url,
        "exits": [p.exitcode for p in racers],
        "results": [
            json.loads((base / f"racer-{w}.json").read_text(encoding="utf-8"))["outcomes"]
            if (base / f"racer-{w}.json").exists()
            else None
            for w in range(RACERS)
        ],
        "seconds": seconds,
    }


def test_different_snapshots_under_one_id_at_once_exactly_one_is_stored(
    race_run: dict[str, Any],
) -> None:
    """8 processes (separate handles: separate machines) each add a different snapshot
    under the same id at the same moment; 20 rounds, 20 ids.

    PASS FIGURE: 8/8 racers exit 0; in 20/20 rounds exactly 1 add succeeds and the
    7 others raise SnapshotConflictError (140 in all, and at least 20 of them, one a
    round on average, found the id free when they looked and lost at the exclusive
    create: the race was real); the stored snapshot is the winner's (its text and
    digest); len(archive) == 20; verify() finds 0 problems (the losers' captures,
    left on purpose, are not a problem).
    """
    assert race_run["exits"] == [0] * RACERS
    results: list[list[dict[str, Any]]] = race_run["results"]
    archive = Archive.open(race_run["url"])
    conflicts = raced = mid_add = 0
    for round_number in range(RACE_ROUNDS):
        outcomes = [results[w][round_number] for w in range(RACERS)]
        kinds = sorted(o["outcome"] for o in outcomes)
        assert kinds == ["SnapshotConflictError"] * (RACERS - 1) + ["added"], (
            round_number,
            outcomes,
        )
        winner = next(w for w in range(RACERS) if outcomes[w]["outcome"] == "added")
        stored = archive.get(race_id(round_number))
        assert stored.text == race_text(winner, round_number)
        assert stored.digest == outcomes[winner]["digest"]
        conflicts += RACERS - 1
        losers = [o for o in outcomes if o["outcome"] != "added"]
        raced += sum(o["found the id free"] for o in losers)
        mid_add += sum("is being added with another text" in o["message"] for o in losers)
    assert raced >= RACE_ROUNDS
    assert len(archive) == RACE_ROUNDS
    verification = archive.verify()
    assert verification.ok, verification.problems
    print(
        f"\n[s3-3] {RACE_ROUNDS} rounds x {RACERS} racers in {race_run['seconds']:.1f} s: "
        f"{RACE_ROUNDS} stored, {conflicts} SnapshotConflictError ({raced} of them found "
        f"the id free and lost at the exclusive create, {mid_add} meeting the winner's "
        f"text before its record)"
    )


# --- 4: tampering, behind the library's back -----------------------------------------


@pytest.fixture
def two(s3_server: Any, s3_url: str) -> tuple[Archive, Snapshot, Snapshot, Bucket]:
    archive = Archive.open(s3_url, create=True)
    a, ca = make_snapshot("2025-01-01-alpha", "Alpha text.\n\nSecond paragraph.\n")
    b, cb = make_snapshot("2025-01-02-beta", "Beta text, a little longer.\n")
    archive.add(a, capture=ca)
    archive.add(b, capture=cb)
    return archive, a, b, Bucket(s3_server, s3_url)


@pytest.mark.parametrize("name", ["text.txt", "snapshot.json"])
def test_every_kind_of_tampering_is_detected(
    two: tuple[Archive, Snapshot, Snapshot, Bucket], name: str
) -> None:
    """Flipped byte, truncation, deletion, an object swapped with another snapshot's,
    each written straight to the bucket.

    PASS FIGURE: 4/4 kinds x 2 objects (plus an edited licence and an edited date for
    the record) detected by get and by verify with the snapshot id and both digests
    (or 'missing' for a deleted text; 'unreadable' where the recorded digest is
    gone) -- except a deleted snapshot.json, which in object storage makes the
    snapshot absent (see the next test); after each, the original object put back
    and get() equal to the original snapshot; verify() clean at the end.
    """
    archive, a, b, bucket = two
    rel = f"items/{a.id}/{name}"
    original = bucket.read(rel)
    other = bucket.read(f"items/{b.id}/{name}")
    cases: dict[str, Callable[[], object]] = {
        "flip": lambda: bucket.write(rel, bytes([original[0] ^ 0x01]) + original[1:]),
        "truncate": lambda: bucket.write(rel, original[: len(original) // 2]),
        "swap": lambda: bucket.write(rel, other),
    }
    if name == "text.txt":
        cases["delete"] = lambda: bucket.delete(rel)
    else:
        cases["edit licence"] = lambda: bucket.write(
            rel, original.replace(b"OGL-UK-3.0", b"CC-BY-4.0")
        )
        cases["edit date"] = lambda: bucket.write(
            rel, original.replace(b'"2025-01-01"', b'"2024-01-01"')
        )
    for what, damage in cases.items():
        damage()
        _check_detected(archive, a.id, f"{name}: {what}")
        bucket.write(rel, original)
        assert archive.get(a.id) == a
    assert archive.verify().ok


def test_a_deleted_record_makes_the_snapshot_absent_and_verify_reports_its_text(
    two: tuple[Archive, Snapshot, Snapshot, Bucket],
) -> None:
    """snapshot.json deleted from the bucket: in object storage a snapshot exists once
    its record does, so what is left is a text without its record.

    PASS FIGURE: get raises SnapshotNotFoundError (not a partial read); `in` is
    False; len, ids() and iteration show only the other snapshot; verify() reports
    exactly 1 problem for it, kind 'incomplete', at items/<id>/text.txt; gc() removes
    nothing (the text is younger than an hour: maybe an add in progress); adding
    another snapshot under the id raises SnapshotConflictError (the text is taken)
    and leaves it absent; adding the same snapshot again completes it with the very
    record bytes that were deleted, and verify() is clean.
    """
    archive, a, b, bucket = two
    rel = f"items/{a.id}/snapshot.json"
    original = bucket.read(rel)
    bucket.delete(rel)
    with pytest.raises(SnapshotNotFoundError) as info:
        archive.get(a.id)
    assert a.id in str(info.value)
    assert a.id not in archive
    assert len(archive) == 1
    assert archive.ids() == [b.id]
    assert [s.id for s in archive] == [b.id]
    problems = [(p.kind, p.path, p.snapshot_id) for p in archive.verify().problems]
    assert problems == [("incomplete", f"items/{a.id}/text.txt", a.id)]
    assert archive.gc() == 0
    assert bucket.read(f"items/{a.id}/text.txt") == a.text.encode("utf-8")
    other, other_capture = make_snapshot(a.id, "Another text under the same id.\n")
    with pytest.raises(SnapshotConflictError, match="is being added with another text"):
        archive.add(other, capture=other_capture)
    assert a.id not in archive
    assert archive.add(a) == a  # its capture is still there
    assert bucket.read(rel) == original
    assert archive.get(a.id) == a
    assert archive.verify().ok


def test_random_byte_flips_are_all_detected(
    two: tuple[Archive, Snapshot, Snapshot, Bucket],
) -> None:
    """100 seeded single-byte changes across text.txt and snapshot.json of one
    snapshot, each written straight to the bucket (the disk suite makes 1,000; a trial
    here is ~20 requests, ~0.15 s against moto).

    PASS FIGURE: 100/100 detected by get and by verify (IntegrityError naming the
    snapshot and both digests, or 'unreadable' for the expected one when the
    record_digest field itself was hit); 0 reads return unverified bytes.
    """
    archive, a, _, bucket = two
    names = ("snapshot.json", "text.txt")
    originals = {name: bucket.read(f"items/{a.id}/{name}") for name in names}
    rng = random.Random(1000)
    unreadable = 0
    started = time.perf_counter()
    for trial in range(FLIPS):
        name = rng.choice(names)
        data = bytearray(originals[name])
        offset = rng.randrange(len(data))
        data[offset] ^= rng.randrange(1, 256)
        bucket.write(f"items/{a.id}/{name}", bytes(data))
        error = _check_detected(archive, a.id, f"trial {trial}: {name}[{offset}]")
        unreadable += error.expected is None
        bucket.write(f"items/{a.id}/{name}", originals[name])
    assert archive.get(a.id) == a
    print(
        f"\n[s3-4] {FLIPS}/{FLIPS} flips detected ({unreadable} with the record_digest "
        f"unreadable) in {time.perf_counter() - started:.1f} s"
    )


def test_a_deleted_or_corrupted_capture_is_reported(
    two: tuple[Archive, Snapshot, Snapshot, Bucket],
) -> None:
    """A capture deleted from the bucket, then one with a flipped byte.

    PASS FIGURE: deleted: verify() reports exactly 1 problem, kind 'missing-capture',
    for the snapshot that comes from it, naming its digest; capture(digest) raises
    IntegrityError ('missing'); get() of the snapshot still works (its text and
    record are whole). Corrupted: exactly 1 problem, kind 'capture', with the
    expected and actual digests; capture(digest) raises IntegrityError naming both.
    Put back: capture(digest) returns the original bytes; verify() clean.
    """
    archive, a, _, bucket = two
    digest = a.provenance.capture_digest
    rel = f"captures/{digest.removeprefix('sha256:')}"
    original = bucket.read(rel)
    assert archive.capture(digest) == original

    bucket.delete(rel)
    problems = archive.verify().problems
    assert [(p.kind, p.path, p.snapshot_id, p.expected) for p in problems] == [
        ("missing-capture", rel, a.id, digest)
    ]
    with pytest.raises(IntegrityError, match="missing") as missing:
        archive.capture(digest)
    assert missing.value.expected == digest
    assert archive.get(a.id) == a

    damaged = bytes([original[0] ^ 0x20]) + original[1:]
    bucket.write(rel, damaged)
    problems = archive.verify().problems
    assert [(p.kind, p.path) for p in problems] == [("capture", rel)]
    assert problems[0].expected == digest
    assert problems[0].actual is not None
    assert problems[0].actual != digest
    with pytest.raises(IntegrityError) as corrupted:
        archive.capture(digest)
    assert corrupted.value.expected == digest
    assert corrupted.value.actual == problems[0].actual
    assert digest in str(corrupted.value)
    assert problems[0].actual in str(corrupted.value)

    bucket.write(rel, original)
    assert archive.capture(digest) == original
    assert archive.verify().ok


# --- 5: hostile ids, rejected before any request --------------------------------------

#: The file system methods that reach the storage (or could), recorded by name and path.
_FS_METHODS = (
    "cat",
    "cat_file",
    "cat_ranges",
    "exists",
    "find",
    "get",
    "get_file",
    "glob",
    "head",
    "info",
    "isdir",
    "isfile",
    "listdir",
    "ls",
    "modified",
    "open",
    "pipe",
    "pipe_file",
    "put",
    "put_file",
    "rm",
    "rm_file",
    "size",
    "walk",
)


@pytest.fixture(scope="module")
def hostile_archive(s3_server: Any) -> Archive:
    archive = Archive.open(fresh_url("hostile"), create=True)
    snapshot, capture = make_snapshot("2025-01-01-alpha", "Alpha.\n")
    archive.add(snapshot, capture=capture)
    return archive


@contextlib.contextmanager
def recorded_requests(archive: Archive) -> Iterator[list[tuple[str, str]]]:
    """Record every call of the archive's file system methods that reach the storage
    (name and path) and every request s3fs makes (name and key or prefix), inside the
    block; the calls still happen."""
    fs = object_store(archive).fs
    calls: list[tuple[str, str]] = []

    def recording(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls.append((name, str(args[0]) if args else str(kwargs)))
            return real(*args, **kwargs)

        return wrapper

    real_call = fs._call_s3

    async def request(method: str, *args: Any, **kwargs: Any) -> Any:
        calls.append((f"request {method}", str(kwargs.get("Key", kwargs.get("Prefix")))))
        return await real_call(method, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        for name in _FS_METHODS:
            patch.setattr(fs, name, recording(name, getattr(fs, name)))
        patch.setattr(fs, "_call_s3", request)
        yield calls


def _assert_rejected_without_requests(archive: Archive, value: str) -> None:
    with recorded_requests(archive) as calls:
        with pytest.raises(InvalidIdError):
            archive.get(value)
        contained = value in archive
        get_calls = list(calls)
        try:
            resolved = archive.resolve(value).id
        except CspoArchiveError:
            resolved = None
        resolve_calls = calls[len(get_calls) :]
    assert not contained
    assert get_calls == [], (value, get_calls)
    prefix_shaped = bool(value) and all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in value)
    if not prefix_shaped:
        assert resolved is None
        assert resolve_calls == [], (value, resolve_calls)
        return
    # A prefix search lists items/, never an object whose name is made from the value.
    items = f"{object_store(archive).root}/items"
    key = items.partition("/")[2]
    for name, where in resolve_calls:
        if name.startswith("request "):
            assert (name, where) == ("request list_objects_v2", key + "/"), (value, name, where)
        else:
            assert (name, where) == ("find", items), (value, name, where)
    assert resolved is None or resolved in archive.ids()


def test_the_request_recorder_sees_what_the_archive_asks_for(hostile_archive: Archive) -> None:
    """The recorder the hostile-id tests rely on is not blind: a get of the stored
    snapshot and a look-up of a valid id that is not there, inside it.

    PASS FIGURE: the get is recorded as reads (file system calls and get_object
    requests) of its snapshot.json and text.txt; the look-up as >= 1 file system
    call and >= 1 request, every one naming the absent id.
    """
    store = object_store(hostile_archive)
    items = f"{store.root}/items"
    key = items.partition("/")[2]
    with recorded_requests(hostile_archive) as calls:
        hostile_archive.get("2025-01-01-alpha")
        got = list(calls)
        assert "2025-01-01-beta" not in hostile_archive
        looked = calls[len(got) :]
    for name in ("snapshot.json", "text.txt"):
        assert ("cat_file", f"{items}/2025-01-01-alpha/{name}") in got
        assert ("request get_object", f"{key}/2025-01-01-alpha/{name}") in got
    assert any(not name.startswith("request ") for name, _ in looked), looked
    assert any(name.startswith("request ") for name, _ in looked), looked
    assert all("/items/2025-01-01-beta" in where for _, where in looked), looked


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_ids_are_rejected_before_any_request(hostile_archive: Archive, value: str) -> None:
    """Traversal, absolute paths, drive letters, percent-encoding, NUL, controls, long
    ids, look-alikes, reserved names: get/in/resolve with each, on an s3:// archive.

    PASS FIGURE: 48/48 rejected (InvalidIdError from get, False from `in`) with 0
    calls of the file system's methods that reach the storage and 0 requests to the
    server; resolve of a prefix-shaped value only lists items/.
    """
    _assert_rejected_without_requests(hostile_archive, value)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
    derandomize=True,
)
@given(
    st.one_of(
        st.text(max_size=140),
        st.lists(
            st.sampled_from(
                ["..", "/", "\\", ":", "%2e", "%2f", "\x00", "\n", "C:", "~", "a", "-", "0", "."]
            ),
            max_size=12,
        ).map("".join),
    )
)
def test_generated_ids_are_rejected_before_any_request(
    hostile_archive: Archive, value: str
) -> None:
    """300 Hypothesis strings (random text and mixes of path pieces), derandomized.

    PASS FIGURE: 300/300: every string either is a valid id, or is rejected by
    get/in/resolve with 0 requests (resolve of a prefix-shaped one only lists items/).
    """
    if is_id(value):
        return
    _assert_rejected_without_requests(hostile_archive, value)
