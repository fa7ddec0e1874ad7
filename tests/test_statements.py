"""Documents, revisions and statements: keys, history, grouping, the record of keys."""

from __future__ import annotations

import json
import random
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cspo_archive import (
    Archive,
    DocumentNotFoundError,
    InvalidMetadataError,
    SnapshotConflictError,
    timeline,
)
from cspo_archive.statements import (
    document_keys,
    group_statements,
    normalise_url,
    relation,
    revisions,
)
from cspo_archive.testing import example_snapshot
from statement_fixtures import capture_of, snapshots


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    """An archive holding every statement fixture."""
    found = Archive.open(tmp_path / "archive", create=True)
    for snapshot in snapshots().values():
        found.add(snapshot, capture=capture_of(snapshot))
    return found


@pytest.mark.parametrize(
    ("given", "key"),
    [
        ("https://www.gov.uk/government/news/x", "https://gov.uk/government/news/x"),
        ("http://WWW.GOV.UK/government/news/x/", "https://gov.uk/government/news/x"),
        ("https://gov.uk/government/news/x#top", "https://gov.uk/government/news/x"),
        (
            "https://www.defense.gov/News/a?utm_source=x&b=2&a=1",
            "https://defense.gov/News/a?a=1&b=2",
        ),
        ("https://example.org:443/", "https://example.org/"),
        ("https://example.org:8080/a", "https://example.org:8080/a"),
    ],
)
def test_urls_are_normalised_into_one_key(given: str, key: str) -> None:
    """The spellings of one page's URL (scheme, www., case, trailing slash,
    fragment, tracking parameters, parameter order) give one key."""
    assert normalise_url(given) == key


def test_revisions_of_a_page_are_in_capture_order() -> None:
    """The three captures of one page are one document, oldest capture first."""
    found = snapshots()
    pages = revisions(found.values())
    page = next(p for p in pages.values() if len(p) == 3)
    assert [s.id for s in page] == [found[f"page-r{n}.txt"].id for n in (1, 2, 3)]


def test_history_says_what_changed_in_each_revision(archive: Archive) -> None:
    """The history of a page: its revisions oldest first, numbered, each with a line
    on what changed; found by URL, by any revision's id or by its key."""
    r3 = snapshots()["page-r3.txt"]
    url = r3.metadata.source_url
    assert url is not None
    found = archive.history(url)
    assert [c.revision.number for c in found.revisions] == [1, 2, 3]
    assert found.revisions[0].summary.startswith("first capture")
    assert "1 paragraph replaced" in found.revisions[1].summary
    assert "2 paragraphs added" in found.revisions[2].summary
    assert archive.history(r3.id) == found
    assert archive.history(found.document) == found
    assert archive.history(r3.id[:18]) == found  # a unique prefix


def test_a_history_of_nothing_says_what_to_give(archive: Archive) -> None:
    """An unknown document raises DocumentNotFoundError (a KeyError) naming it and
    what to give instead."""
    with pytest.raises(DocumentNotFoundError, match="give a snapshot id, the page's URL") as err:
        archive.history("https://example.org/never-captured")
    assert isinstance(err.value, KeyError)


def test_copies_across_publishers_are_one_statement() -> None:
    """The UK and US copies are one statement with two copies; the three revisions
    of one page one statement with one copy; the false near-duplicate two."""
    found = snapshots()
    statements = group_statements(found.values())
    by_snapshot = {ref.id: st for st in statements for ref in st.snapshots}
    uk, us = found["uk-copy.txt"], found["us-copy.txt"]
    assert by_snapshot[uk.id] is by_snapshot[us.id]
    assert len(by_snapshot[uk.id].copies) == 2
    assert by_snapshot[found["page-r1.txt"].id] is by_snapshot[found["page-r3.txt"].id]
    assert len(by_snapshot[found["page-r1.txt"].id].copies) == 1
    assert by_snapshot[found["template-a.txt"].id] is not by_snapshot[found["template-b.txt"].id]


def test_relation_of_two_snapshots() -> None:
    """Two revisions of a page, two copies of a statement, two releases, the same."""
    found = snapshots()
    assert relation(found["page-r1.txt"], found["page-r2.txt"]) == "revisions"
    assert relation(found["uk-copy.txt"], found["us-copy.txt"]) == "copies"
    assert relation(found["template-a.txt"], found["template-b.txt"]) == "releases"
    assert relation(found["uk-copy.txt"], found["uk-copy.txt"]) == "same"


def test_the_timeline_counts_a_statement_once(archive: Archive) -> None:
    """A statement published by two governments is one release with two copies, and
    a page's revisions are revisions of one release, not new releases."""
    result = timeline(archive)
    assert len(result.releases) == len(archive.statements())
    found = snapshots()
    uk = next(r for r in result.releases if found["uk-copy.txt"].ref in r.copies[0].revisions)
    assert {c.publisher for c in uk.copies} == {
        found["uk-copy.txt"].metadata.publisher,
        found["us-copy.txt"].metadata.publisher,
    }
    page = next(r for r in result.releases if found["page-r3.txt"].ref in r.copies[0].revisions)
    assert page.ref == found["page-r3.txt"].ref  # read from the latest revision
    assert page.revisions == 3


def test_publications_of_one_capture_are_two_documents() -> None:
    """Two publications read from one capture of a page (a story and the statement
    it carries) share the page's URL but are two documents."""
    story, capture = example_snapshot(
        "A story about the meeting.\n", snapshot_id="2025-01-01-story", source_url="https://a.b/x"
    )
    statement, _ = example_snapshot(
        "The statement itself, in full.\n",
        snapshot_id="2025-01-01-statement",
        source_url="https://a.b/x",
        capture=capture,
    )
    keys = document_keys([story, statement])
    assert keys[story.id] != keys[statement.id]
    assert keys[story.id].startswith("https://a.b/x#")


def test_a_key_given_by_hand_is_recorded_and_verified(archive: Archive) -> None:
    """assign_document records a key in the append-only documents.jsonl: the same
    key again does nothing, another key is refused, and verify checks every line
    (a snapshot that is not there, a digest that differs, a malformed line)."""
    found = snapshots()
    first, second = found["pair-02-a.txt"], found["pair-02-b.txt"]
    archive.assign_document(first.ref, "commercial-space-statement")
    archive.assign_document(first.id, "commercial-space-statement")
    archive.assign_document(second.ref, "commercial-space-statement")
    assert archive.document_key(first.id) == archive.document_key(second.id)
    history = archive.history("commercial-space-statement")
    assert len(history.revisions) == 2
    with pytest.raises(SnapshotConflictError, match="never changed"):
        archive.assign_document(first.id, "another-key")
    with pytest.raises(InvalidMetadataError, match="no white space"):
        archive.assign_document(first.id, "two words")
    assert archive.verify().ok
    record = archive.path / "documents.jsonl"
    lines = record.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    tampered = json.loads(lines[0]) | {"digest": "sha256:" + "0" * 64}
    extra = json.dumps({"digest": first.digest, "document": "x", "id": "2020-01-01-gone"})
    record.write_text(
        "\n".join([json.dumps(tampered), lines[1], extra, "{not json"]) + "\n", encoding="utf-8"
    )
    problems = archive.verify().problems
    kinds = sorted(p.message.split(" ")[-1] for p in problems if p.kind == "records")
    assert len([p for p in problems if p.kind == "records"]) == 3, kinds
    assert all(p.path == "documents.jsonl" for p in problems)


_TEXTS = st.lists(st.sampled_from(sorted(snapshots())), min_size=1, max_size=12, unique=True)


@settings(max_examples=25, deadline=None)
@given(_TEXTS, st.randoms(use_true_random=False))
def test_grouping_does_not_depend_on_the_order_added(names: list[str], rng: random.Random) -> None:
    """Statements are the same whatever order the snapshots come in; a snapshot is
    always in one statement with a copy of itself under another id."""
    found = [snapshots()[n] for n in names]
    twin = attrs.evolve(found[0], id=found[0].id + "-copy")
    shuffled = [*found, twin]
    rng.shuffle(shuffled)
    one = group_statements([*found, twin])
    other = group_statements(shuffled)
    assert one == other
    holder = {ref.id: st.id for st in one for ref in st.snapshots}
    assert holder[found[0].id] == holder[twin.id]


def test_history_carries_the_change_notes_of_a_capture() -> None:
    """A GOV.UK capture's change notes (kept in its provenance steps by ingest)
    appear on its revision in the history, and only there."""
    from cspo_archive.statements import history

    first, capture = example_snapshot(
        "The partners met in London and agreed a statement on space debris.\n",
        snapshot_id="2025-01-01-first",
        source_url="https://www.gov.uk/government/news/a",
    )
    second, _ = example_snapshot(
        "The partners met in London and agreed a statement on space debris and on "
        "the sharing of data.\n",
        snapshot_id="2025-01-02-second",
        source_url="https://www.gov.uk/government/news/a",
        capture=capture + b" revised",
    )
    note = "change note: 2025-01-02 \u201cAdded the sharing of data.\u201d (stated by the page)"
    steps = (*second.provenance.steps, note)
    second = attrs.evolve(second, provenance=attrs.evolve(second.provenance, steps=steps))
    found = history([second, first], second.id)
    assert [c.revision.change_notes for c in found.revisions] == [
        (),
        ("2025-01-02 \u201cAdded the sharing of data.\u201d",),
    ]
