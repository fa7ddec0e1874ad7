"""Grouping scale: ``group_statements()`` over generated archives, time per snapshot.

Each generated archive has statements of about 300 words made of sentences drawn
from a vocabulary of 4,000 made-up words (so two statements share almost no
five-word run), all written from one site template (the same opening and closing
sentences, shared by every document: the common shingles the grouping leaves
out). A third of the statements are published by two or three publishers (each
copy with its own lead and an occasional paragraph left out), and a quarter of the
pages are captured again with one paragraph changed (a revision).

The reference, timed in the same run on the same snapshots, is the linear part of
the work: shingling every text. If the grouping were quadratic, its time per
snapshot would grow tenfold from 1,000 to 10,000 snapshots; the table shows the
time per snapshot at each size and the ratio of the grouping to the shingling.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

import attrs

from benchmarks._table import table
from cspo_archive.analysis.copies import shingles
from cspo_archive.model import Snapshot
from cspo_archive.statements import group_statements
from cspo_archive.testing import example_snapshot

SIZES = (1_000, 10_000)
REPEATS = {1_000: 3, 10_000: 1}
START = dt.date(2000, 1, 1)
OPENING = "Defence leaders of the partner nations met this week to discuss the security of space."
CLOSING = "Notes to editors: the partners meet every year and publish a statement afterwards."


def _paragraph(rng: random.Random, words: list[str]) -> str:
    sentences = []
    for _ in range(rng.randint(2, 4)):
        chosen = rng.choices(words, k=rng.randint(10, 18))
        sentences.append(" ".join(chosen).capitalize() + ".")
    return " ".join(sentences)


def make_archive(count: int, seed: int = 7) -> list[Snapshot]:
    """*count* snapshots: statements, their copies by other publishers, revisions."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    words = [f"w{rng.getrandbits(40):x}" for _ in range(4_000)]
    template, _ = example_snapshot()
    found: list[Snapshot] = []
    number = 0
    while len(found) < count:
        number += 1
        body = [_paragraph(rng, words) for _ in range(5)]
        published = START + dt.timedelta(days=number)
        publishers = rng.choice((1, 1, 2, 3))
        for publisher in range(publishers):
            kept = [p for p in body if publishers == 1 or rng.random() > 0.1]
            lead = _paragraph(rng, words)
            revisions = 2 if rng.random() < 0.25 else 1
            for revision in range(revisions):
                paragraphs = list(kept)
                if revision:
                    paragraphs[rng.randrange(len(paragraphs))] = _paragraph(rng, words)
                text = "\n\n".join([OPENING, lead, *paragraphs, CLOSING]) + "\n"
                snapshot_id = f"{published.isoformat()}-s{number}-p{publisher}-r{revision}"
                url = f"https://publisher{publisher}.example/news/{number}"
                metadata = attrs.evolve(
                    template.metadata,
                    title=f"Statement {number}",
                    source_url=url,
                    published=attrs.evolve(template.metadata.published, value=published),
                    captured_at=dt.datetime(
                        published.year, published.month, published.day, 9 + revision, tzinfo=dt.UTC
                    ),
                )
                provenance = attrs.evolve(
                    template.provenance,
                    capture_digest="sha256:" + f"{number:032x}{publisher:016x}{revision:016x}",
                )
                found.append(Snapshot(snapshot_id, metadata, provenance, text))
    return found[:count]


def run() -> list[dict[str, str]]:
    """Median times per size: shingling alone (the reference) and grouping."""
    group_statements(make_archive(50))  # warm the caches (spelling rules, folds)
    rows: list[dict[str, str]] = []
    base: float | None = None
    for size in SIZES:
        snapshots = make_archive(size)
        shingle_times, group_times = [], []
        for _ in range(REPEATS[size]):
            start = time.perf_counter()
            for snapshot in snapshots:
                shingles(snapshot.text)
            shingle_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            statements = group_statements(snapshots)
            group_times.append(time.perf_counter() - start)
        shingling, grouping = statistics.median(shingle_times), statistics.median(group_times)
        per_snapshot = grouping / size
        base = base or per_snapshot
        rows.append(
            {
                "snapshots": f"{size:,}",
                "statements": f"{len(statements):,}",
                "shingling (reference)": f"{shingling:,.2f} s",
                "group_statements()": f"{grouping:,.2f} s",
                "grouping / shingling": f"{grouping / shingling:.2f}",
                "per snapshot": f"{per_snapshot * 1000:.2f} ms",
                "per snapshot / at 1,000": f"{per_snapshot / base:.2f}",
                "repeats": str(REPEATS[size]),
            }
        )
    return rows


def main() -> None:
    """Print the grouping benchmark table."""
    print(
        "group_statements(): generated archives (statements from one template, copies by "
        "2-3 publishers, revisions); median wall time, caches warmed first"
    )
    print(table(run()))


if __name__ == "__main__":
    main()
