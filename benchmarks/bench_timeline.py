"""Timeline scale: ``timeline()`` over generated releases, time per release.

The releases are made from the bundled archive's snapshots: each generated
release is one of them with its own id, URL and publication date, and every
third lower-case word replaced by a word of its own, so no two texts are the same (nothing
can be answered from a cache keyed on the text), no two share a five-word run
(each is its own statement, not a copy of another: the timeline groups copies
and revisions into one release) and the dates spread over the years.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import statistics
import time

import attrs

from benchmarks._table import table
from cspo_archive import Archive, timeline
from cspo_archive.model import Snapshot

SIZES = (10, 100, 300, 1_000)
REPEATS = {10: 5, 100: 3, 300: 3, 1_000: 3}
START = dt.date(2000, 1, 1)


def _own_words(text: str, k: int) -> str:
    """*text* with every third lower-case word made release *k*'s own (names of
    nations and of the initiative stay, so the analyses still find them)."""
    count = itertools.count()
    return re.sub(
        r"\b[a-z]+\b",
        lambda m: f"w{k}x{m.start()}" if next(count) % 3 == 2 else m.group(),
        text,
    )


def make_releases(count: int) -> list[Snapshot]:
    """*count* distinct releases, round-robin over the bundled snapshots."""
    bases = list(Archive.bundled())
    releases: list[Snapshot] = []
    for k in range(count):
        base = bases[k % len(bases)]
        published = attrs.evolve(base.metadata.published, value=START + dt.timedelta(days=7 * k))
        metadata = attrs.evolve(base.metadata, published=published)
        metadata = attrs.evolve(metadata, source_url=f"https://example.org/release/{k + 1}")
        text = _own_words(base.text, k)
        snapshot_id = f"{published.value.isoformat()}-release-{k + 1}"
        releases.append(Snapshot(snapshot_id, metadata, base.provenance, text))
    return releases


def run() -> list[dict[str, str]]:
    """Median time of ``timeline()`` per size, and the time per release."""
    timeline(make_releases(3))  # warm the one-off caches (profile, country tables, patterns)
    rows: list[dict[str, str]] = []
    first_per_release: float | None = None
    for size in SIZES:
        releases = make_releases(size)
        times = []
        for _ in range(REPEATS[size]):
            start = time.perf_counter()
            result = timeline(releases)
            times.append(time.perf_counter() - start)
        assert len(result.releases) == size
        median = statistics.median(times)
        per_release = median / size
        if size == 100:
            first_per_release = per_release
        rows.append(
            {
                "releases": f"{size:,}",
                "timeline()": f"{median * 1000:,.0f} ms",
                "per release": f"{per_release * 1000:.2f} ms",
                "per release / at 100": "-"
                if first_per_release is None
                else f"{per_release / first_per_release:.2f}",
                "repeats": str(REPEATS[size]),
            }
        )
    return rows


def main() -> None:
    """Print the timeline benchmark table."""
    print(
        "timeline(): generated releases (bundled texts, each with its own id, date and one "
        "sentence of its own); median wall time, caches warmed first"
    )
    print(table(run()))
