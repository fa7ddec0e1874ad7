"""Archives in object storage against one on disk: adds, gets, verify, listing.

Three fresh archives are made in one run and timed side by side: one in a
temporary folder on local disk (the reference: every ratio is to it), one on
moto's S3 server started on 127.0.0.1 for the run (``s3://<bucket>/<prefix>``,
through s3fs; see ``tests/s3server.py``), and one in fsspec's in-process
``memory://`` store (what the object-storage code costs with no network at all).

The snapshots are generated (fixed seed, so every run writes the same bytes):
made-up prose of 5-10 KB from a vocabulary of made-up words, each with its own id,
title and publication date, and a capture of its own (the text in minimal HTML).
Nothing is a real publication.

* **Adds**: N real ``Archive.add(snapshot, capture=...)`` calls (default 200; set
  ``BENCH_OBJECTS_ADDS``), the backends taking turns snapshot by snapshot, so a
  change in the machine's load hits them alike. adds/s is N over the summed times;
  the median time of one add is shown too.
* **get**: 300 ``get(id)`` of random ids (the same ids on every backend, taking
  turns) on a fresh ``Archive.open(..., readonly=True)`` handle per backend, after
  one untimed get; median and 95th percentile.
* **verify()**: median of 3 rounds (taking turns) on a fresh read-only handle;
  snapshots/s, and MB/s of what it reads (every text, record and capture: the same
  bytes on every backend).
* **Listing**: ``ids()`` on fresh read-only handles before any ``.index`` exists in
  the bucket (each reads every record once, for its publication date); then
  ``gc()`` on a writable handle, which writes ``.index``; then, per round, a fresh
  read-only handle, ``ids()`` (served by ``.index``, as on disk), ``ids()`` again on
  the same handle (dates kept),
  and ``list(archive)`` (reads and verifies every snapshot); medians of 3 rounds.
* **Requests**: the S3 requests s3fs makes, counted by operation (a counter
  wrapped around its ``_call_s3``, retries not counted), per add, get, verify and
  listing.

moto is one local process answering over loopback HTTP on the same two CPUs as
the benchmark, so the S3 figures are a floor for a real network (where each
request costs a round trip of milliseconds), not a measure of S3's own speed.
Nothing here asserts a time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar

from benchmarks._table import table
from cspo_archive import Archive, Snapshot
from cspo_archive._objects import ObjectStore
from cspo_archive._storage import CAPTURES, ITEMS
from cspo_archive.testing import example_snapshot

# tests/ is on sys.path (benchmarks/__init__.py); mypy finds it only when it checks tests too
from s3server import s3_server, unavailable  # type: ignore[import-not-found, unused-ignore]

ADDS = int(os.environ.get("BENCH_OBJECTS_ADDS", "200"))
GETS = 300
ROUNDS = 3
SEED = 16
BUCKET = "cspo-bench"

_T = TypeVar("_T")


# -- generated snapshots --------------------------------------------------------------


def _vocabulary(rng: random.Random, size: int = 3_000) -> list[str]:
    """Made-up words of two to four syllables."""
    onsets = "b c d f g h k l m n p r s t v w z br cr dr gr pl st tr".split()
    vowels = "a e i o u ai ea ou".split()
    codas = ["", "", "n", "r", "s", "l", "nd", "st"]
    words: set[str] = set()
    while len(words) < size:
        syllables = rng.randint(2, 4)
        words.add(
            "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables))
            + rng.choice(codas)
        )
    return sorted(words)


def _prose(rng: random.Random, words: list[str], size: int) -> str:
    """Paragraphs of sentences of made-up words, about *size* characters."""
    paragraphs: list[str] = []
    length = 0
    while length < size:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            chosen = rng.choices(words, k=rng.randint(8, 22))
            sentences.append(" ".join(chosen).capitalize() + ".")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs) + "\n"


def make_snapshots(count: int, seed: int = SEED) -> list[tuple[Snapshot, bytes]]:
    """*count* snapshots of 5-10 KB of made-up prose, each with its own capture."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    words = _vocabulary(rng)
    out = []
    for i in range(count):
        published = dt.date(2020, 1, 1) + dt.timedelta(days=(i * 7919) % 2_000)
        text = _prose(rng, words, rng.randint(5_000, 10_000))
        title = f"Generated publication {i:05d}"
        body = "".join(f"<p>{p}</p>\n" for p in text.split("\n\n"))
        capture = f"<html><head><title>{title}</title></head><body>\n{body}</body></html>\n"
        out.append(
            example_snapshot(
                text,
                snapshot_id=f"{published.isoformat()}-generated-{i:05d}",
                title=title,
                published=published,
                capture=capture.encode("utf-8"),
            )
        )
    return out


# -- backends and measurements --------------------------------------------------------


@dataclass
class Backend:
    """One archive location, and what was timed (and, for S3, counted) on it."""

    name: str
    location: str
    storage_options: Mapping[str, Any] | None = None
    #: The running count of S3 requests by operation, if this backend's are counted.
    counts: Counter[str] | None = None
    times: dict[str, list[float]] = field(default_factory=dict)
    requests: dict[str, Counter[str]] = field(default_factory=dict)

    def open(self, *, readonly: bool = True, create: bool = False) -> Archive:
        return Archive.open(
            self.location, create=create, readonly=readonly, storage_options=self.storage_options
        )

    def timed(self, what: str, action: Callable[[], _T]) -> _T:
        """Run *action*, keeping its time (and its requests) under *what*."""
        before = Counter(self.counts) if self.counts is not None else None
        start = time.perf_counter()
        result = action()
        self.times.setdefault(what, []).append(time.perf_counter() - start)
        if self.counts is not None and before is not None:
            self.requests.setdefault(what, Counter()).update(self.counts - before)
        return result

    def median(self, what: str) -> float:
        return statistics.median(self.times[what])


@contextlib.contextmanager
def counting() -> Iterator[Counter[str]]:
    """Count the requests s3fs makes, by operation name (a counter wrapped around
    ``S3FileSystem._call_s3``, which every s3fs request goes through; retries inside
    it are not counted)."""
    from s3fs import S3FileSystem

    counts: Counter[str] = Counter()
    original = S3FileSystem._call_s3

    async def counted(self: Any, method: str, *args: Any, **kwargs: Any) -> Any:
        counts[method] += 1
        return await original(self, method, *args, **kwargs)

    S3FileSystem._call_s3 = counted
    try:
        yield counts
    finally:
        S3FileSystem._call_s3 = original


def stored_bytes(archive: Archive) -> int:
    """Bytes of every text, record and capture: what verify reads."""
    store = archive._store
    if isinstance(store, ObjectStore):
        return sum(
            int(info.get("size", 0))
            for rel, info in store._list("").items()
            if rel.startswith((f"{ITEMS}/", f"{CAPTURES}/"))
        )
    root = archive.path
    files = [*(root / ITEMS).glob("*/*"), *(root / CAPTURES).iterdir()]
    return sum(p.stat().st_size for p in files)


def run(backends: list[Backend], snapshots: list[tuple[Snapshot, bytes]]) -> dict[str, int]:
    """Every measurement, the backends taking turns; the bytes verify reads, by backend."""
    writers = [b.open(readonly=False, create=True) for b in backends]
    for snapshot, capture in snapshots:
        for backend, archive in zip(backends, writers, strict=True):
            backend.timed("add", partial(archive.add, snapshot, capture=capture))

    ids = [s.id for s, _ in snapshots]
    readers = [b.open() for b in backends]
    for archive in readers:
        archive.get(ids[0])  # untimed: the first request of a handle
    rng = random.Random(SEED + 1)  # noqa: S311 - test data, not secrets
    for snapshot_id in (rng.choice(ids) for _ in range(GETS)):
        for backend, archive in zip(backends, readers, strict=True):
            backend.timed("get", partial(archive.get, snapshot_id))

    for _ in range(ROUNDS):
        for backend in backends:
            result = backend.timed("verify", backend.open().verify)
            assert result.ok, result.problems[:3]
            assert result.snapshots == result.captures == len(snapshots), result

    expected = sorted(ids, key=lambda i: (i[:10], i))  # the ids start with the date
    # Object storage before its .index exists (nothing has listed on a writable handle
    # yet: each fresh handle reads every record), then gc, which writes it.
    for _ in range(ROUNDS):
        for backend in backends:
            listed = backend.timed("ids() no index", backend.open().ids)
            assert listed == expected
    for backend in backends:
        backend.open(readonly=False).gc()
    for _ in range(ROUNDS):
        for backend in backends:
            archive = backend.timed("open", backend.open)
            listed = backend.timed("ids() first", archive.ids)
            backend.timed("ids() again", archive.ids)
            assert listed == expected
            read: list[Snapshot] = backend.timed("list(archive)", partial(list, archive))
            assert [s.id for s in read] == expected

    return {b.name: stored_bytes(w) for b, w in zip(backends, writers, strict=True)}


# -- the tables -----------------------------------------------------------------------


def fmt(seconds: float) -> str:
    if seconds < 0.001:
        return f"{seconds * 1e6:,.0f} µs"
    if seconds < 0.01:
        return f"{seconds * 1e3:,.2f} ms"
    if seconds < 1:
        return f"{seconds * 1e3:,.1f} ms"
    return f"{seconds:,.2f} s"


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def summary_rows(backends: list[Backend], sizes: Mapping[str, int]) -> list[dict[str, str]]:
    disk = backends[0]
    rows = []
    for b in backends:
        adds = b.times["add"]
        verify = b.median("verify")
        rows.append(
            {
                "backend": b.name,
                "adds/s": f"{len(adds) / sum(adds):,.0f}",
                "ms per add (mean)": f"{sum(adds) / len(adds) * 1e3:,.2f}",
                "add median": fmt(statistics.median(adds)),
                "add time x disk": f"{sum(adds) / sum(disk.times['add']):.2f}",
                "get median": fmt(b.median("get")),
                "get p95": fmt(p95(b.times["get"])),
                "get x disk": f"{b.median('get') / disk.median('get'):.2f}",
                "verify()": fmt(verify),
                "snapshots/s": f"{ADDS / verify:,.0f}",
                "MB/s": f"{sizes[b.name] / 1e6 / verify:,.1f}",
                "verify x disk": f"{verify / disk.median('verify'):.2f}",
            }
        )
    return rows


def listing_rows(backends: list[Backend]) -> list[dict[str, str]]:
    disk = backends[0]
    return [
        {
            "backend": b.name,
            "Archive.open (readonly)": fmt(b.median("open")),
            "ids(), fresh handle, no .index": fmt(b.median("ids() no index")),
            "ids(), fresh handle": fmt(b.median("ids() first")),
            "ids() x disk": f"{b.median('ids() first') / disk.median('ids() first'):.1f}",
            "ids() again, same handle": fmt(b.median("ids() again")),
            "list(archive)": fmt(b.median("list(archive)")),
            "per snapshot": fmt(b.median("list(archive)") / ADDS),
            "list x disk": f"{b.median('list(archive)') / disk.median('list(archive)'):.2f}",
        }
        for b in backends
    ]


def request_rows(backend: Backend) -> list[dict[str, str]]:
    rows = []
    for what, counts in backend.requests.items():
        calls = len(backend.times[what])
        total = sum(counts.values())
        whole = what not in ("add", "get")
        kinds = ", ".join(f"{name} {n / calls:.3g}" for name, n in sorted(counts.items()))
        rows.append(
            {
                "operation (S3)": what,
                "calls": f"{calls:,}",
                "requests per call": f"{total / calls:,.3g}",
                "per snapshot": f"{total / calls / ADDS:.3g}" if whole else "",
                "by kind, per call": kinds or "none",
            }
        )
    return rows


def facts() -> str:
    packages = ", ".join(f"{name} {version(name)}" for name in ("fsspec", "s3fs", "moto"))
    return (
        f"{os.cpu_count()} CPUs ({platform.machine()}), Python {platform.python_version()}, "
        f"{packages}; {ADDS:,} adds of 5-10 KB texts (BENCH_OBJECTS_ADDS), {GETS} gets, "
        f"verify and listing medians of {ROUNDS} rounds"
    )


def _empty_memory(url: str) -> None:
    import fsspec

    with contextlib.suppress(FileNotFoundError):
        fsspec.filesystem("memory").rm(url.removeprefix("memory:/"), recursive=True)


def main() -> None:
    """Time the three backends side by side and print the tables."""
    start = time.perf_counter()
    print(facts())
    snapshots = make_snapshots(ADDS)
    reason = unavailable()
    tag = f"bench-objects-{os.getpid()}-{time.time_ns()}"
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-objects-")))
        backends = [Backend("disk", str(tmp / "archive"))]
        if reason is None:
            try:
                server = stack.enter_context(s3_server())
            except RuntimeError as exc:
                reason = str(exc)
            else:
                server.create_bucket(BUCKET)
                backends.append(
                    Backend(
                        "S3 (moto, local)",
                        f"s3://{BUCKET}/{tag}",
                        server.storage_options,
                        stack.enter_context(counting()),
                    )
                )
        stack.callback(_empty_memory, f"memory://{tag}")
        backends.append(Backend("memory://", f"memory://{tag}"))
        sizes = run(backends, snapshots)
    if reason is not None:
        print(f"\nS3 skipped: {reason}")
    megabytes = sizes[backends[0].name] / 1e6
    print(
        f"\nAdds, gets and verify() ({megabytes:.1f} MB of texts, records and captures; "
        f"ratios are times against disk):\n"
    )
    print(table(summary_rows(backends, sizes)))
    print("\nListing, on a fresh read-only handle (medians):\n")
    print(table(listing_rows(backends)))
    for backend in backends:
        if backend.requests:
            print(f"\nRequests to {backend.name}, from s3fs:\n")
            print(table(request_rows(backend)))
    print(f"\n({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
