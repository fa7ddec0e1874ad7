"""Entry points for the processes the storage reliability tests start.

Kept in their own module (no test collection, no pytest import) so that spawned
processes import only this and the library. Every worker reports through a JSON
file and its exit code.
"""

# ruff: noqa: S311 - seeded pseudo-random choices, not cryptography
from __future__ import annotations

import datetime as dt
import json
import random
import time
from pathlib import Path
from typing import Any

from cspo_archive import Archive, Snapshot, SnapshotNotFoundError
from cspo_archive.testing import example_snapshot


def make_snapshot(
    snapshot_id: str, text: str, *, published: dt.date = dt.date(2025, 1, 1)
) -> tuple[Snapshot, bytes]:
    """A valid snapshot and the capture bytes its provenance names."""
    return example_snapshot(
        text,
        snapshot_id=snapshot_id,
        title=f"Publication {snapshot_id}",
        published=published,
        capture=(snapshot_id + "\n\n" + text).encode("utf-8"),
    )


def writer_plan(worker: int, count: int) -> list[tuple[str, str]]:
    """(id, text) of what *worker* adds: every other one shared by all workers."""
    plan = []
    for i in range(count):
        if i % 2 == 0:
            plan.append((f"2025-01-01-shared-{i // 2}", f"Shared text {i // 2}.\n"))
        else:
            plan.append((f"2025-01-02-w{worker}-{i}", f"Text of worker {worker}, item {i}.\n"))
    random.Random(worker).shuffle(plan)
    return plan


def writer(root: str, worker: int, count: int, result: str) -> None:
    """Add *count* snapshots (half of them shared with the other writers)."""
    archive = Archive.open(root)
    start = time.perf_counter()
    digests = {}
    for snapshot_id, text in writer_plan(worker, count):
        snapshot, capture = make_snapshot(snapshot_id, text)
        stored = archive.add(snapshot, capture=capture)
        assert stored == snapshot, snapshot_id
        digests[snapshot_id] = stored.digest
    Path(result).write_text(
        json.dumps({"adds": count, "seconds": time.perf_counter() - start, "digests": digests}),
        encoding="utf-8",
    )


def reader(root: str, expected: str, stop: str, result: str, seed: int, min_reads: int) -> None:
    """Read until told to stop (and at least *min_reads* times); count every outcome.

    A read either raises SnapshotNotFoundError (not added yet) or returns a snapshot
    whose digest is the expected one; anything else is counted as bad.
    """
    want: dict[str, str] = json.loads(Path(expected).read_text(encoding="utf-8"))
    ids = sorted(want)
    rng = random.Random(seed)
    archive = Archive.open(root, readonly=True)
    counts = {"get": 0, "not_found": 0, "iterated": 0, "verify": 0, "bad": 0}
    bad: list[str] = []
    reads = 0
    while reads < min_reads or not Path(stop).exists():
        roll = rng.random()
        try:
            if roll < 0.993:
                snapshot_id = rng.choice(ids)
                try:
                    snapshot = archive.get(snapshot_id)
                except SnapshotNotFoundError:
                    counts["not_found"] += 1
                else:
                    counts["get"] += 1
                    if snapshot.digest != want[snapshot_id]:
                        bad.append(f"{snapshot_id}: digest {snapshot.digest}")
            elif roll < 0.997:
                for snapshot in archive:
                    counts["iterated"] += 1
                    if snapshot.digest != want.get(snapshot.id):
                        bad.append(f"{snapshot.id}: iterated digest {snapshot.digest}")
            else:
                verification = archive.verify()
                counts["verify"] += 1
                if not verification.ok:
                    bad.append(f"verify: {verification.problems}")
        except Exception as exc:  # noqa: BLE001 - every failure is a finding, recorded
            bad.append(f"{type(exc).__name__}: {exc}")
        reads += 1
    counts["bad"] = len(bad)
    Path(result).write_text(
        json.dumps({"reads": reads, "counts": counts, "bad": bad[:20]}), encoding="utf-8"
    )


def race_id(round_number: int) -> str:
    """The id every racer adds in round *round_number*."""
    return f"2025-03-03-contested-{round_number}"


def race_text(worker: int, round_number: int) -> str:
    """The text *worker* adds under :func:`race_id` in round *round_number*: its own."""
    return f"Round {round_number}: the text of worker {worker}.\n"


def racer(root: str, worker: int, rounds: int, barrier: Any, result: str) -> None:
    """Add, in each of *rounds* rounds, a snapshot of its own under the id every other
    racer uses, all released at once by *barrier* (a multiprocessing Barrier); record
    each outcome: "added" or the name of the exception raised, and whether the id was
    free when the add looked (it went on to write), so a test can tell a real race."""
    archive = Archive.open(root)
    store = archive._store
    real_write = store.write_snapshot
    writing: list[str] = []

    def write_snapshot(snapshot_id: str, text: bytes, record: bytes) -> bool:
        writing.append(snapshot_id)  # the id was free when this add looked
        return real_write(snapshot_id, text, record)

    store.write_snapshot = write_snapshot  # type: ignore[method-assign]
    outcomes: list[dict[str, object]] = []
    for round_number in range(rounds):
        snapshot, capture = make_snapshot(race_id(round_number), race_text(worker, round_number))
        barrier.wait(timeout=120)
        outcome: dict[str, object] = {"round": round_number, "digest": snapshot.digest}
        try:
            stored = archive.add(snapshot, capture=capture)
        except Exception as exc:  # noqa: BLE001 - every outcome is recorded, then judged
            outcome.update(outcome=type(exc).__name__, message=str(exc))
        else:
            outcome.update(outcome="added" if stored == snapshot else "returned another")
        outcome["found the id free"] = snapshot.id in writing
        writing.clear()
        outcomes.append(outcome)
    Path(result).write_text(json.dumps({"outcomes": outcomes}), encoding="utf-8")
