"""The archive at scale: open + get, the index, verify throughput, add rate.

Archives are generated into a temporary folder once per run. The bulk of the
100,000-snapshot archive is written straight to the storage layout (the same
sealed records ``Archive.add`` writes, without its fsyncs), a sample through the
real ``Archive.add``; ``verify()`` then checks the whole archive is valid. Adds
are timed with the real ``Archive.add`` (fsync and all).

``verify()`` is timed on 48 snapshots of 1 MB (text and capture) and on the
1,100 small snapshots of the small archive, against two references timed in turn
with it, round after round: ``hashlib.sha256`` over the same bytes already in
memory, and a plain loop of ``open`` + ``hashlib.file_digest`` over the same files
(every snapshot's ``text.txt`` and ``snapshot.json``, every capture).

Set ``BENCH_ARCHIVE_ADDS=10000`` to also time 10,000 adds in a row (first 1,000
vs last 1,000); it takes about 2.5 minutes on the reference machine, so the
default run times 1,000 adds into a 100-snapshot archive and 1,000 into the
100,000-snapshot one instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cspo_archive import (
    Archive,
    Snapshot,
    SnapshotNotFoundError,
)
from cspo_archive._storage import CAPTURES, ITEMS, RECORD_FILE, TEXT_FILE, seal_record
from cspo_archive._text import sha256_digest
from cspo_archive.archive import _record
from cspo_archive.testing import example_snapshot

BIG = 100_000
SMALL = 100
REAL_ADDS = 1_000
SAMPLE_ADDS = 50


def make_snapshot(
    snapshot_id: str, text: str, published: dt.date, capture: bytes | None = None
) -> tuple[Snapshot, bytes]:
    """A valid snapshot (and its capture) for generated archives."""
    return example_snapshot(
        text,
        snapshot_id=snapshot_id,
        title=f"Publication {snapshot_id}",
        published=published,
        capture=capture if capture is not None else (snapshot_id + "\n\n" + text).encode(),
    )


def _date(i: int) -> dt.date:
    return dt.date(2000, 1, 1) + dt.timedelta(days=(i * 7919) % 9000)


def generate(root: Path, count: int, *, paragraph: str = "") -> list[str]:
    """An archive of *count* snapshots: SAMPLE_ADDS through Archive.add, the rest directly."""
    archive = Archive.open(root, create=True)
    ids = []
    for i in range(min(SAMPLE_ADDS, count)):
        text = f"Added {i}.\n{paragraph}"
        snapshot, capture = make_snapshot(f"{_date(i)}-added-{i:06d}", text, _date(i))
        archive.add(snapshot, capture=capture)
        ids.append(snapshot.id)
    shared = b"one capture shared by the bulk snapshots\n"
    (root / CAPTURES / sha256_digest(shared).removeprefix("sha256:")).write_bytes(shared)
    template, _ = make_snapshot("template", "Template.\n", _date(0), capture=shared)
    base = _record(template)
    for i in range(len(ids), count):
        published = _date(i).isoformat()
        snapshot_id = f"{published}-bulk-{i:06d}"
        text_bytes = f"Bulk text {i}.\n{paragraph}".encode()
        metadata = dict(base["metadata"])  # type: ignore[call-overload]
        metadata["published"] = {**metadata["published"], "value": published}
        metadata["title"] = f"Publication {snapshot_id}"
        digest = sha256_digest(text_bytes)
        record = {**base, "id": snapshot_id, "digest": digest, "metadata": metadata}
        folder = root / ITEMS / snapshot_id
        folder.mkdir()
        (folder / TEXT_FILE).write_bytes(text_bytes)
        (folder / RECORD_FILE).write_bytes(seal_record(record))
        ids.append(snapshot_id)
    return ids


def median_time(action: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def verified_files(root: Path) -> list[Path]:
    """The files verify() hashes: every snapshot's text and record, every capture."""
    return sorted((root / ITEMS).glob("*/*")) + sorted((root / CAPTURES).iterdir())


def interleaved(actions: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median time of each action, timed in turn round after round (so drift in the
    machine's load affects them alike)."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeats):
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def verify_rows(
    archive: Archive, what: str, repeats: int
) -> tuple[list[tuple[str, str, str, str, str]], dict[str, float]]:
    """verify() throughput against hashlib over the same bytes (in memory) and over the
    same files (a plain loop of open + hashlib.file_digest); ratios are reference/verify."""
    paths = verified_files(archive.path)
    blobs = [p.read_bytes() for p in paths]
    megabytes = sum(len(b) for b in blobs) / 1e6

    def in_memory() -> None:
        for blob in blobs:
            hashlib.sha256(blob).digest()

    names = [str(p) for p in paths]

    def same_files() -> None:
        for name in names:
            with open(name, "rb") as fh:  # noqa: PTH123 - the plain loop, no Path objects
                hashlib.file_digest(fh, "sha256").digest()

    t = interleaved({"memory": in_memory, "files": same_files, "verify": archive.verify}, repeats)
    speed = {name: f"{megabytes / seconds:,.0f} MB/s" for name, seconds in t.items()}
    rows = [
        (
            f"verify() of {what} ({megabytes:,.1f} MB, {len(paths):,} files)",
            f"hashlib in memory {speed['memory']}",
            f"verify {speed['verify']}",
            f"{t['memory'] / t['verify']:.2f}",
            str(repeats),
        ),
        (
            "  same files: open + hashlib.file_digest",
            f"files {speed['files']}",
            f"verify {speed['verify']}",
            f"{t['files'] / t['verify']:.2f}",
            str(repeats),
        ),
    ]
    return rows, t


def fmt(seconds: float) -> str:
    if seconds < 0.001:
        return f"{seconds * 1e6:,.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:,.1f} ms"
    return f"{seconds:,.2f} s"


def time_adds(archive: Archive, count: int, tag: str) -> list[float]:
    snapshots = [
        make_snapshot(f"2026-01-01-{tag}-{i:05d}", f"New text {i}.\n", dt.date(2026, 1, 1))
        for i in range(count)
    ]
    times = []
    for snapshot, capture in snapshots:
        start = time.perf_counter()
        archive.add(snapshot, capture=capture)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    rows: list[tuple[str, str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
        base = Path(tmp)
        start = time.perf_counter()
        small_ids = generate(base / "small", SMALL)
        big_ids = generate(base / "big", BIG)
        generated = time.perf_counter() - start
        small, big = Archive.open(base / "small"), Archive.open(base / "big")

        # open + get one snapshot
        def open_get(root: Path, ids: list[str]) -> Callable[[], object]:
            state = {"i": 0}

            def action() -> object:
                state["i"] = (state["i"] + 7) % len(ids)
                return Archive.open(root).get(ids[state["i"]])

            return action

        t_small = median_time(open_get(base / "small", small_ids), 300)
        t_big = median_time(open_get(base / "big", big_ids), 300)
        rows.append(
            ("open + get one snapshot", fmt(t_small), fmt(t_big), f"{t_big / t_small:.2f}", "300")
        )

        # the index: first build (reads every record once), then served from .index
        (base / "big" / ".index").unlink(missing_ok=True)
        time.sleep(2.1)  # out of the index's racy window (see _storage._RACY_NS)
        start = time.perf_counter()
        big.ids()
        build = time.perf_counter() - start
        assert (base / "big" / ".index").exists()
        small.ids()
        ids_small = median_time(small.ids, 20)
        ids_big = median_time(big.ids, 5)
        rows.append(("ids() (publication order)", fmt(ids_small), fmt(ids_big), "", "20 / 5"))
        rows.append(("  first ids() on 100k: build .index", "", fmt(build), "", "1"))
        # What ids() cost before the index: read and verify every snapshot, then sort
        # (timed on 10,000 of them, scaled to 100,000).
        store = big._store
        sample = big_ids[:10_000]
        start = time.perf_counter()
        before = [store.read(i) for i in sample]
        before.sort(key=lambda s: (s.metadata.published.value, s.id))
        old_ids = (time.perf_counter() - start) * BIG / len(sample)
        rows.append(("  ids() before the index (scaled)", "", fmt(old_ids), "", "1"))
        len_small = median_time(lambda: len(small), 50)
        len_big = median_time(lambda: len(big), 10)
        rows.append(("len()", fmt(len_small), fmt(len_big), "", "50 / 10"))
        prefix = big_ids[SAMPLE_ADDS + 12_345][:-2]
        res_small = median_time(lambda: small.resolve(small_ids[60][:-2]), 50)
        res_big = median_time(lambda: big.resolve(prefix), 10)
        rows.append(("resolve(unique prefix)", fmt(res_small), fmt(res_big), "", "50 / 10"))

        # a typo: get() of an id that is not there, with its "did you mean" suggestions
        def missing(archive: Archive, snapshot_id: str) -> None:
            try:
                archive.get(snapshot_id[:-1] + "x")
            except SnapshotNotFoundError:
                return
            raise AssertionError(snapshot_id)  # pragma: no cover - the id is made up

        miss_small = median_time(lambda: missing(small, small_ids[60]), 20)
        miss_big = median_time(lambda: missing(big, big_ids[SAMPLE_ADDS + 12_345]), 5)
        rows.append(
            ("get(missing id), with suggestions", fmt(miss_small), fmt(miss_big), "", "20 / 5")
        )

        # adds: the same 1,000 real adds into the small and into the big archive
        add_small = time_adds(small, REAL_ADDS, "s")
        add_big = time_adds(big, REAL_ADDS, "b")
        m_small, m_big = statistics.median(add_small), statistics.median(add_big)
        rows.append(
            (
                "Archive.add (median of 1,000)",
                fmt(m_small),
                fmt(m_big),
                f"{m_big / m_small:.2f}",
                "1,000",
            )
        )
        rate_small = REAL_ADDS / sum(add_small)
        rate_big = REAL_ADDS / sum(add_big)
        rows.append(("  adds per second", f"{rate_small:,.0f}", f"{rate_big:,.0f}", "", ""))

        extra = int(os.environ.get("BENCH_ARCHIVE_ADDS", "0"))
        sequence: list[float] = []
        if extra:
            seq = Archive.open(base / "seq", create=True)
            sequence = time_adds(seq, extra, "q")

        # verify throughput against two references: hashlib.sha256 over the same bytes
        # already in memory, and a plain loop of open + hashlib.file_digest over the
        # same files (what reading them costs at the least)
        words = "space operations responsible behaviour combined initiative partners ".split()
        paragraph = "\n\n".join(
            " ".join(words[(i + j) % 7] for j in range(90)) for i in range(1600)
        )
        generate(base / "mb", 48, paragraph="\n" + paragraph + "\n")
        mb = Archive.open(base / "mb")
        assert mb.verify().ok
        mb_store = mb._store

        def old_verify() -> None:  # what verify did before: build every Snapshot
            for snapshot_id in mb_store.ids():
                mb_store.read(snapshot_id)
            for path in (base / "mb" / CAPTURES).iterdir():
                mb_store.read_capture("sha256:" + path.name)

        t_old = median_time(old_verify, 3)
        mb_rows, mb_times = verify_rows(mb, "48 x 1 MB text + capture", 7)
        rows += mb_rows
        mb_s = sum(p.stat().st_size for p in verified_files(base / "mb")) / 1e6
        rows.append(
            (
                "  verify() before (builds each Snapshot)",
                "",
                f"{mb_s / t_old:,.0f} MB/s",
                f"{mb_times['memory'] / t_old:.2f}",
                "3",
            )
        )
        # small files: per-file overhead dominates
        rows += verify_rows(small, f"{len(small):,} small snapshots", 7)[0]

    print(f"Generated 100 and 100,000-snapshot archives in {generated:.1f} s.\n")
    header = ("measure", "100 snapshots", "100,000 snapshots", "ratio", "repeats")
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(5)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        print("| " + " | ".join(cells) + " |")
    if sequence:
        first, last = sequence[:1000], sequence[-1000:]
        print(
            f"\n{len(sequence):,} adds in a row: {len(sequence) / sum(sequence):,.0f} per second; "
            f"median of the first 1,000 {fmt(statistics.median(first))}, of the last 1,000 "
            f"{fmt(statistics.median(last))} (ratio "
            f"{statistics.median(last) / statistics.median(first):.2f})"
        )
