"""The archive shipped inside the package: never opened for writing, and checked
against its release list (RELEASED.sha256) by verify.

An installed wheel is simulated by copying the repository's snapshots/ into a
fake site-packages folder and pointing ``installed_bundled_path`` at it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import SNAPSHOTS
from cspo_archive import Archive, ReadOnlyArchiveError
from cspo_archive import archive as archive_module
from cspo_archive._storage import seal_record
from cspo_archive.cli import main
from cspo_archive.testing import example_snapshot

RELEASED = "RELEASED.sha256"
JOINT = (
    "2025-12-17-joint-statement-from-the-combined-space-operations-initiative-"
    "principals-board-december-2025"
)
VISION = "2022-02-22-uk-and-partners-publish-vision-for-responsible-space-operations"


def _copy_snapshots(target: Path) -> Path:
    """A copy of the repository's archive (without lock, index or temporary files)."""
    shutil.copytree(SNAPSHOTS, target, ignore=shutil.ignore_patterns(".lock", ".tmp", ".index"))
    return target


def _listing(root: Path) -> list[str]:
    """Every file and folder under *root*, relative, sorted."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled archive of a simulated installed package: a copy of snapshots/ at
    site-packages/cspo_archive/_bundled, which installed_bundled_path() now names."""
    bundled = _copy_snapshots(tmp_path / "site-packages" / "cspo_archive" / "_bundled")
    monkeypatch.setattr(archive_module, "installed_bundled_path", lambda: bundled)
    return bundled


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the repository's archive, with its RELEASED.sha256."""
    return _copy_snapshots(tmp_path / "copy")


def _assert_read_only_message(message: str) -> None:
    assert "is the archive shipped inside the cspo-archive package" in message
    assert "is never written" in message
    assert "copy it: cp -r " in message
    assert "then --archive ./my-archive" in message
    assert "readonly=True" in message
    assert "Archive.bundled()" in message


# --- read-only from every entry point ---------------------------------------------------


@pytest.mark.parametrize("spelling", ["resolved", "trailing slash", "dot-dot", "relative"])
def test_writable_open_of_the_installed_bundled_archive_is_refused(
    installed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spelling: str
) -> None:
    """Archive.open(path) raises ReadOnlyArchiveError for the installed package's archive,
    however the path is spelled, and writes nothing (not even a lock file)."""
    before = _listing(installed)
    monkeypatch.chdir(tmp_path)
    path = {
        "resolved": str(installed),
        "trailing slash": f"{installed}{os.sep}",
        "dot-dot": str(installed.parent / ".." / "cspo_archive" / "_bundled"),
        "relative": str(Path("site-packages", "cspo_archive", "_bundled")),
    }[spelling]
    for create in (False, True):
        with pytest.raises(ReadOnlyArchiveError) as info:
            Archive.open(path, create=create)
        _assert_read_only_message(str(info.value))
        assert info.value.archive == str(Path(path))
    assert _listing(installed) == before


def test_writable_open_through_a_symbolic_link_is_refused(installed: Path, tmp_path: Path) -> None:
    """A symbolic link to the installed package's archive is refused too, and the message
    names the real folder, for the copy command."""
    link = tmp_path / "link-to-bundled"
    try:
        link.symlink_to(installed, target_is_directory=True)
    except OSError:  # pragma: no cover - no symbolic links on this system
        pytest.skip("symbolic links are not available")
    before = _listing(installed)
    with pytest.raises(ReadOnlyArchiveError) as info:
        Archive.open(link)
    message = str(info.value)
    _assert_read_only_message(message)
    assert f"cp -r {installed} ./my-archive" in message
    assert _listing(installed) == before


def test_a_new_archive_inside_the_installed_bundled_archive_is_refused(installed: Path) -> None:
    """Creating an archive in a folder inside the installed package's archive is refused."""
    before = _listing(installed)
    with pytest.raises(ReadOnlyArchiveError, match="is inside the archive shipped inside"):
        Archive.open(installed / "items" / "nested", create=True)
    assert _listing(installed) == before


def test_readonly_open_of_the_installed_bundled_archive_works(installed: Path) -> None:
    """With readonly=True the installed package's archive opens, reads and verifies clean;
    a write is still refused, and nothing is written."""
    before = _listing(installed)
    archive = Archive.open(installed, readonly=True)
    assert archive.readonly
    assert len(archive) == 3
    assert archive.get(JOINT).id == JOINT
    assert archive.verify().ok
    snapshot, capture = example_snapshot()
    with pytest.raises(ReadOnlyArchiveError):
        archive.add(snapshot, capture=capture)
    with pytest.raises(ReadOnlyArchiveError):
        archive.gc()
    assert _listing(installed) == before


def test_bundled_finds_the_installed_archive_and_it_verifies_clean(installed: Path) -> None:
    """Archive.bundled() opens the installed package's archive, read-only, and it verifies
    clean, its release list included."""
    archive = Archive.bundled()
    assert archive.path == installed
    assert archive.readonly
    result = archive.verify()
    assert result.ok, result.problems
    assert (result.snapshots, result.captures) == (3, 2)


def test_the_repository_archive_verifies_clean_against_its_release_list() -> None:
    """The real bundled archive (this checkout's snapshots/) has a RELEASED.sha256 and
    verifies clean with the release check."""
    archive = Archive.bundled()
    assert (archive.path / RELEASED).is_file()
    result = archive.verify()
    assert result.ok, result.problems
    assert (result.snapshots, result.captures) == (3, 2)


def test_a_source_checkouts_snapshots_folder_stays_writable() -> None:
    """Only the copy inside an installed package is protected: in a checkout snapshots/ is
    not the package's bundled folder and opens writable (developers build into it when
    releasing)."""
    assert archive_module.installed_bundled_path() != SNAPSHOTS.resolve()
    archive = Archive.open(SNAPSHOTS)
    assert not archive.readonly


def test_a_copy_of_the_installed_archive_is_writable(installed: Path, tmp_path: Path) -> None:
    """What the message advises works: a copy of the installed archive takes new snapshots."""
    mine = tmp_path / "my-archive"
    shutil.copytree(installed, mine)
    archive = Archive.open(mine)
    snapshot, capture = example_snapshot()
    archive.add(snapshot, capture=capture)
    assert snapshot in archive


# --- the command line ---------------------------------------------------------------------


def test_cli_add_to_the_installed_bundled_archive_exits_2_and_writes_nothing(
    installed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'cspo-archive add FILE --archive <installed bundled archive>' exits 2 with the
    read-only message on one line, and the archive's files are unchanged."""
    _, capture = example_snapshot(title="A test publication")
    capture_file = tmp_path / "capture.txt"
    capture_file.write_bytes(capture)
    before = _listing(installed)
    code = main(
        [
            "add", str(capture_file), "--archive", str(installed),
            "--title", "A test publication", "--published", "2025-12-17",
            "--type", "news-story",
        ]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.startswith("cspo-archive: error: ")
    assert err.count("\n") == 1
    _assert_read_only_message(err)
    assert _listing(installed) == before


def test_cli_build_into_the_installed_bundled_archive_exits_2_and_writes_nothing(
    installed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'cspo-archive build RECIPE --archive <installed bundled archive>' is refused too."""
    before = _listing(installed)
    code = main(["build", str(installed / "recipe.toml"), "--archive", str(installed)])
    _, err = capsys.readouterr()
    assert code == 2
    _assert_read_only_message(err)
    assert _listing(installed) == before


def test_cli_verify_lists_an_unreleased_snapshot_and_exits_1(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'cspo-archive verify PATH' on an archive holding a snapshot its RELEASED.sha256 does
    not list exits 1 and names the snapshot."""
    snapshot, capture = example_snapshot()
    Archive.open(copy).add(snapshot, capture=capture)
    code = main(["verify", str(copy)])
    _, err = capsys.readouterr()
    assert code == 1
    assert "FAILED: 2 problems" in err
    assert f"- [unreleased] snapshot {snapshot.id!r} is not in RELEASED.sha256" in err
    assert "- [unreleased] capture captures/" in err


# --- verify checks the release list -------------------------------------------------------


def test_a_snapshot_added_to_a_copy_is_reported_as_unreleased(copy: Path) -> None:
    """A snapshot (and its capture) that RELEASED.sha256 does not list is an 'unreleased'
    problem naming it, saying it was not released and what to do; nothing else is wrong."""
    snapshot, capture = example_snapshot()
    archive = Archive.open(copy)
    archive.add(snapshot, capture=capture)
    capture_hex = snapshot.provenance.capture_digest.removeprefix("sha256:")
    result = archive.verify()
    assert [(p.kind, p.path, p.snapshot_id) for p in result.problems] == [
        ("unreleased", f"items/{snapshot.id}", snapshot.id),
        ("unreleased", f"captures/{capture_hex}", snapshot.id),
    ]
    message = result.problems[0].message
    assert f"snapshot {snapshot.id!r} is not in RELEASED.sha256" in message
    assert "so it was not released with this package" in message
    assert "reinstall cspo-archive into a fresh virtual environment" in message
    assert "pip leaves the files it did not install" in message
    assert "append its lines to RELEASED.sha256" in message
    assert f"sha256sum items/{snapshot.id}/snapshot.json items/{snapshot.id}/text.txt" in message
    assert f"snapshot {snapshot.id!r}" in result.problems[1].message


def test_appending_the_advised_lines_releases_the_snapshot(copy: Path) -> None:
    """Once the new files' lines are appended to RELEASED.sha256, verify is clean again."""
    snapshot, capture = example_snapshot()
    archive = Archive.open(copy)
    archive.add(snapshot, capture=capture)
    capture_hex = snapshot.provenance.capture_digest.removeprefix("sha256:")
    new = [
        f"items/{snapshot.id}/snapshot.json",
        f"items/{snapshot.id}/text.txt",
        f"captures/{capture_hex}",
    ]
    with (copy / RELEASED).open("a", encoding="utf-8") as fh:
        for rel in new:
            fh.write(f"{hashlib.sha256((copy / rel).read_bytes()).hexdigest()}  {rel}\n")
    assert archive.verify().ok


def test_a_partly_listed_snapshot_names_the_unlisted_file(copy: Path) -> None:
    """A released snapshot whose record line was removed from the list is reported for that
    file only."""
    released = copy / RELEASED
    lines = released.read_text(encoding="utf-8").splitlines(keepends=True)
    released.write_text(
        "".join(line for line in lines if f"items/{VISION}/snapshot.json" not in line),
        encoding="utf-8",
    )
    [problem] = Archive.open(copy).verify().problems
    assert (problem.kind, problem.path, problem.snapshot_id) == (
        "unreleased",
        f"items/{VISION}/snapshot.json",
        VISION,
    )
    assert "is not in RELEASED.sha256 (its other file is)" in problem.message


@pytest.mark.parametrize(
    "rel",
    [
        f"items/{JOINT}/text.txt",
        f"items/{JOINT}/snapshot.json",
        "captures/0515619ef169d66dd5c804feada538917eb1acb3dc97c2cfdcc904a74ce7120b",
    ],
)
def test_a_deleted_released_file_is_reported(copy: Path, rel: str) -> None:
    """A file RELEASED.sha256 lists that is gone is a 'released' problem naming it, the line
    and the listed digest (besides what the other checks say)."""
    (copy / rel).unlink()
    problems = Archive.open(copy).verify().problems
    [released] = [p for p in problems if p.kind == "released"]
    assert released.path == rel
    assert released.actual is None
    assert released.expected is not None
    assert released.expected.removeprefix("sha256:") in (copy / RELEASED).read_text("utf-8")
    assert f"{rel} is missing, but RELEASED.sha256 (line " in released.message
    assert "released files are never removed" in released.message
    assert len(problems) >= 2  # the snapshot or capture check reports it as well


def test_a_changed_released_file_is_reported(copy: Path) -> None:
    """A flipped byte in a released capture is a 'released' problem with both digests."""
    rel = "captures/439298b9a9a176224ca3e3a263740085c19928c59a6b34160071306d8f117612"
    data = bytearray((copy / rel).read_bytes())
    data[0] ^= 0x20
    (copy / rel).write_bytes(bytes(data))
    problems = Archive.open(copy).verify().problems
    assert sorted(p.kind for p in problems) == ["capture", "released"]
    [released] = [p for p in problems if p.kind == "released"]
    assert released.path == rel
    assert released.expected == "sha256:" + rel.removeprefix("captures/")
    assert released.actual == "sha256:" + hashlib.sha256(data).hexdigest()
    assert "is not the released file" in released.message


def test_a_consistently_rewritten_snapshot_is_caught_only_by_the_release_list(copy: Path) -> None:
    """A snapshot whose text was changed and whose record was resealed to match passes every
    digest check; RELEASED.sha256 still catches both files."""
    folder = copy / "items" / JOINT
    text = (folder / "text.txt").read_bytes().replace(b"space", b"SPACE", 1)
    (folder / "text.txt").write_bytes(text)
    record = json.loads((folder / "snapshot.json").read_bytes())
    del record["record_digest"]
    record["digest"] = "sha256:" + hashlib.sha256(text).hexdigest()
    (folder / "snapshot.json").write_bytes(seal_record(record))
    archive = Archive.open(copy)
    assert archive.get(JOINT).text.encode() == text  # every digest check passes
    problems = archive.verify().problems
    assert [(p.kind, p.path, p.snapshot_id) for p in problems] == [
        ("released", f"items/{JOINT}/snapshot.json", JOINT),
        ("released", f"items/{JOINT}/text.txt", JOINT),
    ]
    assert all(p.expected != p.actual and p.actual for p in problems)


def test_malformed_release_lines_are_reported_with_their_line_number(copy: Path) -> None:
    """Each malformed line of RELEASED.sha256 is a 'format' problem naming its line number
    and the expected form; the well-formed lines are still checked."""
    released = copy / RELEASED
    lines = released.read_text(encoding="utf-8").splitlines()
    count = len(lines)
    bad = [
        "not a release line",
        f"{'0' * 64} items/one-space-only",
        f"{'0' * 64}  ../../outside",
        f"{'0' * 64}  items/./x",
        f"{'0' * 64}  /etc/passwd",
        f"{'0' * 64}  C:x",
        f"{'0' * 64}  items\\x",
        f"{'0' * 64}  items/a b",
        f"{'0' * 64}  items//x",
        f"{'0' * 63}  captures/short",
    ]
    released.write_text("\n".join([*lines, "", "# a comment", *bad]) + "\n", encoding="utf-8")
    problems = Archive.open(copy).verify().problems
    assert [(p.kind, p.path) for p in problems] == [("format", RELEASED)] * len(bad)
    for number, problem in enumerate(problems, start=count + 3):
        assert f"RELEASED.sha256 line {number} is malformed" in problem.message
        assert "expected '<64 hex digits>  <path inside the archive>'" in problem.message


def test_a_path_listed_twice_with_two_digests_is_reported(copy: Path) -> None:
    """The same path listed again with another digest is a 'format' problem naming both lines."""
    released = copy / RELEASED
    rel = f"items/{VISION}/text.txt"
    with released.open("a", encoding="utf-8") as fh:
        fh.write(f"{'a' * 64}  {rel}\n")
    [problem] = Archive.open(copy).verify().problems
    assert (problem.kind, problem.path) == ("format", RELEASED)
    assert f"lists {rel} again with another digest" in problem.message


def test_an_archive_without_a_release_list_is_verified_as_before(copy: Path) -> None:
    """Without RELEASED.sha256 an added snapshot is no problem."""
    (copy / RELEASED).unlink()
    archive = Archive.open(copy)
    snapshot, capture = example_snapshot()
    archive.add(snapshot, capture=capture)
    assert archive.verify().ok


def test_the_release_check_is_the_same_in_threads(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With several threads verify reports the same problems, in the same order."""
    archive = Archive.open(copy)
    for i in range(20):
        snapshot, capture = example_snapshot(f"Text {i}.\n", snapshot_id=f"2026-01-01-more-{i}")
        archive.add(snapshot, capture=capture)
    (copy / "items" / JOINT / "text.txt").unlink()
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    alone = archive.verify()
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert archive.verify() == alone
    assert [p.kind for p in alone.problems].count("unreleased") == 40
    assert [p.kind for p in alone.problems].count("released") == 1


def test_crlf_line_endings_are_accepted_and_bytes_that_are_not_utf8_are_malformed(
    copy: Path,
) -> None:
    """A release list saved with CRLF line endings checks as before; a line holding bytes
    that are not UTF-8 is a malformed line."""
    released = copy / RELEASED
    data = released.read_bytes().replace(b"\n", b"\r\n")
    released.write_bytes(data)
    assert Archive.open(copy).verify().ok
    released.write_bytes(data + b"0" * 64 + b"  items/caf\xe9\r\n")
    number = len(data.splitlines()) + 1
    [problem] = Archive.open(copy).verify().problems
    assert (problem.kind, problem.path) == ("format", RELEASED)
    assert f"line {number} is malformed" in problem.message
    assert "items/caf" in problem.message
