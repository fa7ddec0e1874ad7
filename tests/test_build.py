"""Building snapshots from captures, recipes, and the bundled archive itself."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import SNAPSHOTS, seed_capture
from cspo_archive import (
    Archive,
    ArchiveFormatError,
    DateSource,
    DocumentType,
    IngestError,
    InvalidMetadataError,
    PublishedDate,
    ingest,
)
from cspo_archive.build import build_archive, find_publication, make_snapshot

NEWS_2022 = "2022-02-22-uk-and-partners-publish-vision-for-responsible-space-operations"
NEWS_2025 = "2025-12-17-uk-meets-with-international-coalition-to-keep-space-safe"
STATEMENT_2025 = (
    "2025-12-17-joint-statement-from-the-combined-space-operations-initiative-"
    "principals-board-december-2025"
)
FURNITURE = [
    "(#)",
    "](",
    "Request an accessible format",
    "assistive technology",
    "Updates to this page",
    "Published 17 December 2025",
    "News story",
]


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and p.name not in {".lock", "recipe.toml", "RELEASED.sha256", "README.md"}
        and ".tmp" not in p.parts
    }


def test_rebuilding_from_the_raw_captures_is_byte_identical(tmp_path: Path) -> None:
    """The recipe replayed from snapshots/captures alone reproduces every file exactly."""
    captures_only = tmp_path / "source"
    shutil.copytree(SNAPSHOTS / "captures", captures_only / "captures")
    shutil.copy(SNAPSHOTS / "recipe.toml", captures_only / "recipe.toml")
    target = Archive.open(tmp_path / "rebuilt", create=True)
    results = build_archive(captures_only / "recipe.toml", target)
    assert all(r.added for r in results)
    assert _files(target.path) == _files(SNAPSHOTS)


def test_rebuilding_into_the_bundled_archive_changes_nothing(tmp_path: Path) -> None:
    """Replaying the recipe over an archive that holds it all adds nothing, rewrites nothing."""
    copy = tmp_path / "copy"
    shutil.copytree(SNAPSHOTS, copy, ignore=shutil.ignore_patterns(".lock", ".tmp"))
    before = _files(copy)
    results = build_archive(copy / "recipe.toml", Archive.open(copy))
    assert [r.added for r in results] == [False, False, False]
    assert _files(copy) == before


def test_bundled_archive_holds_the_three_publications() -> None:
    """Ids, titles, types and dates (with their sources) are as the publications state."""
    archive = Archive.bundled()
    assert archive.verify().ok
    assert archive.ids() == [NEWS_2022, STATEMENT_2025, NEWS_2025]
    old, statement, new = (archive.get(i).metadata for i in archive.ids())
    assert old.published.value == dt.date(2022, 2, 22)
    assert old.published.source is DateSource.EXTERNAL
    assert "Vision 2031" in old.published.note
    assert new.published.value == dt.date(2025, 12, 17)
    assert new.published.source is DateSource.STATED
    assert statement.published.value == dt.date(2025, 12, 17)
    assert (old.document_type, new.document_type, statement.document_type) == (
        DocumentType.NEWS_STORY,
        DocumentType.NEWS_STORY,
        DocumentType.JOINT_STATEMENT,
    )
    assert statement.title == (
        "Joint Statement from The Combined Space Operations Initiative Principals’ Board, "
        "December 2025"
    )
    assert {m.licence for m in (old, statement, new)} == {"OGL-UK-3.0"}


@pytest.mark.parametrize("snapshot_id", [NEWS_2022, NEWS_2025, STATEMENT_2025])
def test_bundled_texts_hold_no_page_furniture(snapshot_id: str) -> None:
    """No link target, accessible-format block, page history or label in any text."""
    text = Archive.bundled().get(snapshot_id).text
    for furniture in FURNITURE:
        assert furniture not in text


@pytest.mark.parametrize("snapshot_id", [NEWS_2022, NEWS_2025, STATEMENT_2025])
def test_bundled_texts_lose_no_sentence(snapshot_id: str) -> None:
    """Every sentence of the capture's publication span is in the snapshot, in order."""
    archive = Archive.bundled()
    snapshot = archive.get(snapshot_id)
    raw = archive.capture(snapshot.provenance.capture_digest).decode("utf-8")
    start, end = snapshot.provenance.characters
    span = raw[start:end].replace("(#)", "").replace("[", "").replace("]", "")
    flat = " ".join(snapshot.text.split())
    sentences = [
        " ".join(s.split())
        for paragraph in span.split("\n\n")[1:]  # the first block is the title
        for s in paragraph.replace("\n", " ").split(". ")
        if s.strip()
    ]
    position = 0
    for sentence in sentences:
        found = flat.find(sentence, position)
        assert found >= 0, sentence
        position = found


def test_bundled_archive_is_the_repository_folder_in_a_checkout() -> None:
    """In a source checkout or editable install, bundled() reads the repo's snapshots/."""
    assert Archive.bundled().path.resolve() == SNAPSHOTS.resolve()
    assert Archive.bundled().readonly


def test_make_snapshot_needs_a_date_when_the_capture_states_none() -> None:
    """A publication with no stated date cannot become a snapshot without one given."""
    capture = ingest(seed_capture("000_68c75944c148801d.txt"), name="000")
    with pytest.raises(InvalidMetadataError, match="states no publication date"):
        make_snapshot(
            capture,
            capture.publications[0],
            publisher="UK Ministry of Defence",
            licence="OGL-UK-3.0",
            capture_method="test",
            document_type=DocumentType.NEWS_STORY,
        )


def test_make_snapshot_needs_a_type_when_ingest_cannot_tell() -> None:
    """No label and no type word in the title: the caller must say what it is."""
    capture = ingest(seed_capture("000_68c75944c148801d.txt"), name="000")
    with pytest.raises(InvalidMetadataError, match="document type"):
        make_snapshot(
            capture,
            capture.publications[0],
            publisher="UK Ministry of Defence",
            licence="OGL-UK-3.0",
            capture_method="test",
            published=PublishedDate(dt.date(2022, 2, 22), DateSource.EXTERNAL, "test"),
        )


def test_find_publication_lists_what_a_capture_holds() -> None:
    """Asking for a title the capture lacks names every title it has."""
    capture = ingest(seed_capture("002_9aae55745708697d.txt"), name="002")
    with pytest.raises(IngestError, match="UK meets with international coalition") as info:
        find_publication(capture, "Some other title")
    assert "Joint Statement" in str(info.value)
    with pytest.raises(IngestError, match="holds 2 publications"):
        find_publication(capture, None)
    typed = (
        "joint statement from the combined space operations initiative principals' board, "
        "december 2025"
    )
    assert find_publication(capture, typed).title.startswith("Joint Statement")


def _recipe(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "recipe.toml"
    path.write_text(body, encoding="utf-8")
    return path


SEED_002 = (SNAPSHOTS / "recipe.toml").read_text(encoding="utf-8").split("[[capture]]")[2]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("format_version = 3\n", "format_version 3; expected one of"),
        ("format_version = 1\n", "no [[capture]]"),
        ("format_version = 1\n[[capture]]\nsha256 = 'xyz'\n", "needs sha256"),
        ("format_version = 1\n[[capture]]\nsurprise = 1\n", "unknown keys ['surprise']"),
        ("format_version = 1\n[[capture\n", "cannot read recipe"),
        (
            "format_version = 1\n[[capture]]" + SEED_002.split("[[capture.publication]]")[0],
            "does not list",
        ),
        (
            "format_version = 1\n[[capture]]\nsha256 = '" + "0" * 64 + "'\nname = 'gone.txt'\n",
            "is not in the archive nor in",
        ),
    ],
)
def test_recipe_errors_name_the_entry_and_the_fix(tmp_path: Path, body: str, expected: str) -> None:
    """Bad versions, keys, digests, unlisted publications and missing captures are explained."""
    recipe = _recipe(tmp_path, body)
    shutil.copytree(SNAPSHOTS / "captures", tmp_path / "captures")
    archive = Archive.open(tmp_path / "out", create=True)
    with pytest.raises(ArchiveFormatError, match=expected.replace("[", r"\[").replace("(", r"\(")):
        build_archive(recipe, archive)
    assert len(archive) == 0


def test_a_capture_read_differently_is_reported_and_never_rewritten(tmp_path: Path) -> None:
    """A stored snapshot the current ingest makes otherwise: 'differs', what differs, kept."""
    copy = tmp_path / "copy"
    shutil.copytree(SNAPSHOTS, copy, ignore=shutil.ignore_patterns(".lock", ".tmp", ".index"))
    before = _files(copy)
    # The same recipe in format 2 records media type and extractor, which 0.1 did not.
    recipe = copy / "recipe.toml"
    recipe.write_text(
        recipe.read_text(encoding="utf-8").replace("format_version = 1", "format_version = 2"),
        encoding="utf-8",
    )
    for check in (True, False):
        results = build_archive(recipe, Archive.open(copy), check=check)
        assert [r.status for r in results] == ["differs"] * 3
        assert results[0].differences == (
            "provenance.media_type: stored None, now 'text/plain'",
            "provenance.extractor: stored None, now 'cspo-archive-ingest 2'",
        )
        assert _files(copy) == before
