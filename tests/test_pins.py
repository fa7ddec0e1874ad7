"""Pins, lock files, the pytest plugin, released-snapshot immutability, and the wheel."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SNAPSHOTS
from cspo_archive import (
    Archive,
    ArchiveFormatError,
    InvalidIdError,
    LockFile,
    PinMismatchError,
    SnapshotNotFoundError,
    SnapshotRef,
    pin,
    read_lock,
    verify_lock,
    write_lock,
)
from cspo_archive._pinned import PinLookupError, PinnedSnapshots
from cspo_archive.cli import main
from cspo_archive.testing import example_snapshot

STATEMENT = (
    "2025-12-17-joint-statement-from-the-combined-space-operations-initiative-"
    "principals-board-december-2025"
)
STATEMENT_DIGEST = "sha256:d38d9cf44fbf06a3b6d9fe788bab4dcf55fb40bf288a2e976efe0dd98d1d271f"
WRONG = "sha256:" + "0" * 64


def test_pin_returns_the_verified_snapshot() -> None:
    """A correct pin gives the snapshot with exactly that digest."""
    snapshot = pin(f"{STATEMENT}@{STATEMENT_DIGEST}")
    assert snapshot.digest == STATEMENT_DIGEST
    assert "Toulouse" in snapshot.text


def test_pin_mismatch_names_the_snapshot_both_digests_and_the_archive() -> None:
    """Another digest raises PinMismatchError with expected, actual, archive and advice."""
    with pytest.raises(PinMismatchError) as info:
        pin(SnapshotRef(STATEMENT, WRONG))
    error = info.value
    assert (error.expected, error.actual) == (WRONG, STATEMENT_DIGEST)
    for part in (STATEMENT, WRONG, STATEMENT_DIGEST, str(Archive.bundled().path)):
        assert part in str(error)


def test_pin_of_an_unknown_snapshot_is_not_found() -> None:
    """An id the archive lacks raises SnapshotNotFoundError."""
    with pytest.raises(SnapshotNotFoundError):
        pin(f"2030-01-01-not-yet@{WRONG}")


def test_pin_needs_a_digest_and_says_the_current_one() -> None:
    """A bare id is not a pin: the error shows the ref to pin."""
    with pytest.raises(InvalidIdError, match=STATEMENT_DIGEST):
        pin(STATEMENT)


def test_lock_round_trip_is_sorted_and_stable(tmp_path: Path) -> None:
    """Written locks read back equal; entries sorted by id; rewriting gives the same bytes."""
    path = tmp_path / "cspo-archive.lock"
    lock = LockFile(
        "bundled",
        (SnapshotRef("b-second", WRONG), SnapshotRef("a-first", STATEMENT_DIGEST)),
        "cspo-archive test",
    )
    write_lock(path, lock)
    first = path.read_bytes()
    assert read_lock(path) == lock
    assert [r.id for r in read_lock(path).entries] == ["a-first", "b-second"]
    write_lock(path, read_lock(path))
    assert path.read_bytes() == first
    assert first.startswith(b"# cspo-archive lock file")
    assert b"lock_version = 1" in first


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("lock_version = 2\n", "lock_version 2; upgrade"),
        ("lock_version = 1\nsurprise = 1\n", "unknown keys ['surprise']"),
        ('lock_version = 1\n[[snapshot]]\nid = "x"\n', "exactly the keys id and digest"),
        ('lock_version = 1\n[[snapshot]]\nid = "x"\ndigest = "md5:1"\n', "#1"),
        ('lock_version = 1\n[[snapshot]]\nid = "../x"\ndigest = "' + WRONG + '"\n', "#1"),
        (
            'lock_version = 1\n[[snapshot]]\nid = "x"\ndigest = "' + WRONG + '"\n'
            '[[snapshot]]\nid = "x"\ndigest = "' + WRONG + '"\n',
            "more than once",
        ),
        ("lock_version = [\n", "cannot read lock file"),
    ],
)
def test_bad_lock_files_are_explained(tmp_path: Path, content: str, expected: str) -> None:
    """Wrong versions, keys, digests, ids and duplicates raise ArchiveFormatError with the entry."""
    path = tmp_path / "cspo-archive.lock"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ArchiveFormatError, match=expected.replace("[", r"\[")):
        read_lock(path)


def test_missing_lock_says_how_to_create_one(tmp_path: Path) -> None:
    """No lock file: the error says which path and how to make one."""
    with pytest.raises(ArchiveFormatError, match="cspo-archive lock add"):
        read_lock(tmp_path / "cspo-archive.lock")


def test_verify_lock_reports_every_failure_at_once(tmp_path: Path) -> None:
    """Two bad pins and one good: both failures reported, the good one not."""
    path = tmp_path / "cspo-archive.lock"
    news = Archive.bundled().ids()[0]
    write_lock(
        path,
        LockFile(
            "bundled",
            (
                SnapshotRef(STATEMENT, STATEMENT_DIGEST),
                SnapshotRef(news, WRONG),
                SnapshotRef("2030-01-01-gone", WRONG),
            ),
        ),
    )
    result = verify_lock(path)
    assert not result.ok
    assert result.checked == 3
    assert sorted((p.ref.id, p.kind) for p in result.problems) == [
        ("2022-02-22-uk-and-partners-publish-vision-for-responsible-space-operations", "mismatch"),
        ("2030-01-01-gone", "missing"),
    ]
    report = result.report()
    assert report.startswith("2 of 3 pinned snapshots")
    assert WRONG in report


def test_cli_lock_add_verify_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """'lock add' pins the verified digest; 'verify' exits 0, then 1 once a digest is edited."""
    monkeypatch.chdir(tmp_path)
    assert main(["lock", "add", "2025-12-17-joint"]) == 0
    assert f"pinned: {STATEMENT}@{STATEMENT_DIGEST}" in capsys.readouterr().out
    assert main(["lock", "show"]) == 0
    assert "1 pin against the bundled archive" in capsys.readouterr().out
    assert main(["lock", "verify"]) == 0
    capsys.readouterr()
    lock = tmp_path / "cspo-archive.lock"
    lock.write_text(lock.read_text(encoding="utf-8").replace(STATEMENT_DIGEST, WRONG), "utf-8")
    assert main(["lock", "verify"]) == 1
    err = capsys.readouterr().err
    assert "1 of 1 pinned snapshots" in err
    assert WRONG in err
    assert STATEMENT_DIGEST in err


def test_cli_lock_against_a_folder_archive_is_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A lock made against a folder records it relative to the lock file."""
    monkeypatch.chdir(tmp_path)
    assert main(["lock", "add", "2022", "--archive", str(SNAPSHOTS)]) == 0
    capsys.readouterr()
    lock = read_lock(tmp_path / "cspo-archive.lock")
    assert not Path(lock.archive).is_absolute()
    assert verify_lock(tmp_path / "cspo-archive.lock").ok


# --- the pytest plugin -----------------------------------------------------------

_USES_FIXTURE = """
def test_statement(cspo_snapshots):
    assert "Toulouse" in cspo_snapshots["{id}"].text
"""


def _downstream(pytester: pytest.Pytester, digest: str) -> None:
    write_lock(
        pytester.path / "cspo-archive.lock",
        LockFile("bundled", (SnapshotRef(STATEMENT, digest),)),
    )
    pytester.makepyfile(_USES_FIXTURE.replace("{id}", STATEMENT))


def test_plugin_fixture_serves_pinned_snapshots(pytester: pytest.Pytester) -> None:
    """A downstream test using cspo_snapshots passes when every pin verifies."""
    _downstream(pytester, STATEMENT_DIGEST)
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_plugin_fixture_fails_cleanly_on_a_bad_pin(pytester: pytest.Pytester) -> None:
    """A bad pin fails the test with the library's message and both digests, no traceback."""
    _downstream(pytester, WRONG)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(errors=1)
    output = result.stdout.str()
    assert STATEMENT in output
    assert WRONG in output
    assert STATEMENT_DIGEST in output
    assert "Traceback" not in output


def test_plugin_option_stops_the_session_before_any_test(pytester: pytest.Pytester) -> None:
    """--cspo-lock with a bad pin ends the session with a usage error and the message."""
    _downstream(pytester, WRONG)
    result = pytester.runpytest_subprocess("--cspo-lock", "cspo-archive.lock")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert WRONG in result.stderr.str()


def test_plugin_is_inert_unless_used(pytester: pytest.Pytester) -> None:
    """With no lock file and no fixture used, a session runs as if the plugin were absent."""
    pytester.makepyfile("def test_nothing():\n    assert True\n")
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


def _two_pins(pytester: pytest.Pytester, test: str) -> Path:
    """A downstream project pinning the two 2025-12-17 publications, with *test*."""
    bundled = Archive.bundled()
    meets = "2025-12-17-uk-meets-with-international-coalition-to-keep-space-safe"
    lock = pytester.path / "cspo-archive.lock"
    write_lock(
        lock,
        LockFile(
            "bundled", tuple(SnapshotRef(i, bundled.get(i).digest) for i in (STATEMENT, meets))
        ),
    )
    pytester.makepyfile(test)
    return lock


def test_plugin_fixture_takes_a_unique_prefix(pytester: pytest.Pytester) -> None:
    """cspo_snapshots["2025-12-17-joint"] is the one pin it starts; len, in and iteration
    are those of the pinned ids, and the mapping is read-only."""
    _two_pins(
        pytester,
        f"""
import pytest

def test_prefix(cspo_snapshots):
    assert cspo_snapshots["2025-12-17-joint"] is cspo_snapshots["{STATEMENT}"]
    assert cspo_snapshots.get("2025-12-17-uk").id.startswith("2025-12-17-uk-meets")
    assert len(cspo_snapshots) == 2
    assert "{STATEMENT}" in cspo_snapshots
    assert "2025-12-17-joint" not in cspo_snapshots
    assert sorted(cspo_snapshots) == sorted(s.id for s in cspo_snapshots.values())
    with pytest.raises(TypeError):
        cspo_snapshots["x"] = None
""",
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_plugin_fixture_refuses_an_ambiguous_prefix_listing_the_matches(
    pytester: pytest.Pytester,
) -> None:
    """A prefix of two pins raises a KeyError that lists both pinned ids and asks for more."""
    lock = _two_pins(
        pytester, 'def test_ambiguous(cspo_snapshots):\n    cspo_snapshots["2025-12-17"]\n'
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    assert "'2025-12-17' is a prefix of 2 snapshots pinned in the lock file" in output
    assert str(lock) in output
    assert STATEMENT in output
    assert "2025-12-17-uk-meets-with-international-coalition-to-keep-space-safe" in output
    assert "type more of the id" in output


def test_plugin_fixture_unpinned_id_names_the_lock_and_how_to_pin_it(
    pytester: pytest.Pytester,
) -> None:
    """An id the lock does not pin raises a KeyError (PinLookupError) saying it is not pinned
    in the lock file <path> and to pin it with 'cspo-archive lock add ID', written out as
    it is, not as a quoted repr."""
    news = "2022-02-22-uk-and-partners-publish-vision-for-responsible-space-operations"
    lock = _two_pins(
        pytester, f'def test_unpinned(cspo_snapshots):\n    cspo_snapshots["{news}"]\n'
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    assert f"PinLookupError: snapshot '{news}' is not pinned in the lock file {lock}," in output
    assert f"cspo-archive lock add {news}" in output


def test_pinned_snapshots_unpinned_key_errors() -> None:
    """Unknown ids, non-str keys and the empty key raise PinLookupError (a KeyError) with
    no matches; a near miss suggests the pinned id."""
    snapshot, _ = example_snapshot(snapshot_id="2025-01-01-one")
    lock = Path("/p/cspo-archive.lock")
    pinned = PinnedSnapshots({snapshot.id: snapshot}, lock)
    for key in ("2025-01-02", 3, ""):
        with pytest.raises(KeyError) as info:
            pinned[key]
        assert isinstance(info.value, PinLookupError)
        assert info.value.matches == ()
        message = str(info.value)
        assert f"not pinned in the lock file {lock}, which pins 1 snapshot" in message
        assert "pin it with: cspo-archive lock add " in message
    with pytest.raises(PinLookupError, match="did you mean 2025-01-01-one"):
        pinned["2025-01-01-onf"]
    assert pinned.get("2025-01-01-two") is None
    assert "2025-01-01" not in pinned  # in is exact, as in a dict


def test_pinned_snapshots_exact_id_wins_over_a_longer_pin() -> None:
    """An id that is also a prefix of another pin is served as the exact id."""
    short, _ = example_snapshot(snapshot_id="2025-01-01-one")
    long, _ = example_snapshot(snapshot_id="2025-01-01-one-more")
    pinned = PinnedSnapshots({s.id: s for s in (short, long)}, Path("cspo-archive.lock"))
    assert pinned["2025-01-01-one"] is short
    assert pinned["2025-01-01-one-"] is long
    with pytest.raises(PinLookupError) as info:
        pinned["2025-01-01-on"]
    assert info.value.matches == ("2025-01-01-one", "2025-01-01-one-more")
    assert dict(pinned) == {short.id: short, long.id: long}


# --- released snapshots never change ---------------------------------------------


def _released() -> dict[str, str]:
    lines = (SNAPSHOTS / "RELEASED.sha256").read_text(encoding="utf-8").splitlines()
    entries = [line.split("  ", 1) for line in lines if line and not line.startswith("#")]
    return {path: digest for digest, path in entries}


def test_released_snapshots_are_unchanged() -> None:
    """Every file in RELEASED.sha256 exists with exactly the recorded bytes."""
    released = _released()
    assert released
    changed = {
        path: digest
        for path, digest in released.items()
        if not (SNAPSHOTS / path).is_file()
        or hashlib.sha256((SNAPSHOTS / path).read_bytes()).hexdigest() != digest
    }
    assert changed == {}, (
        "released snapshots must never change or disappear; restore these files from git: "
        f"{sorted(changed)}"
    )


def test_every_bundled_snapshot_is_in_the_release_manifest() -> None:
    """Each snapshot's files are listed, so its bytes are protected from the next release on."""
    released = _released()
    missing = [
        f"items/{sid}/{name}"
        for sid in Archive.bundled().ids()
        for name in ("text.txt", "snapshot.json")
        if f"items/{sid}/{name}" not in released
    ]
    assert missing == [], (
        f"append these to snapshots/RELEASED.sha256 (cd snapshots && sha256sum FILE...): {missing}"
    )


# --- the wheel, end to end -------------------------------------------------------

DOWNSTREAM_TEST = """
def test_uses_the_joint_statement(cspo_snapshots):
    statement = cspo_snapshots["{id}"]
    assert statement.metadata.published.value.year == 2025
    assert "international law" in statement.text
"""


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_"))}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False, env=env
    )


@pytest.mark.e2e
def test_wheel_ships_the_archive_and_pins_work_downstream(tmp_path: Path) -> None:
    """Built wheel → fresh venv → downstream project with a lock and the fixture: passes;
    an edited lock digest, then a corrupted installed snapshot: fails naming both digests."""
    repo = Path(__file__).resolve().parents[1]
    built = _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp_path, repo)
    assert built.returncode == 0, built.stderr
    [wheel] = tmp_path.glob("cspo_archive-*.whl")
    venv = tmp_path / "venv"
    assert _run(sys.executable, "-m", "venv", venv).returncode == 0
    bindir = venv / "bin"
    installed = _run(bindir / "pip", "install", "-q", wheel, "pytest")
    assert installed.returncode == 0, installed.stderr
    project = tmp_path / "downstream"
    project.mkdir()
    added = _run(bindir / "cspo-archive", "lock", "add", "2025-12-17-joint", cwd=project)
    assert added.returncode == 0, added.stderr
    (project / "test_downstream.py").write_text(
        DOWNSTREAM_TEST.replace("{id}", STATEMENT), encoding="utf-8"
    )
    passed = _run(bindir / "pytest", "-q", "-p", "no:cacheprovider", cwd=project)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "_bundled" in _run(bindir / "cspo-archive", "verify").stdout

    lock = project / "cspo-archive.lock"
    good = lock.read_text(encoding="utf-8")
    lock.write_text(good.replace(STATEMENT_DIGEST, WRONG), encoding="utf-8")
    failed = _run(bindir / "pytest", "-q", "-p", "no:cacheprovider", cwd=project)
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0
    for part in (STATEMENT, WRONG, STATEMENT_DIGEST):
        assert part in output
    assert "Traceback" not in output

    lock.write_text(good, encoding="utf-8")
    [text] = venv.glob(
        f"lib/python*/site-packages/cspo_archive/_bundled/items/{STATEMENT}/text.txt"
    )
    text.write_bytes(text.read_bytes().replace(b"Toulouse", b"Tolouse"))
    corrupted = _run(bindir / "pytest", "-q", "-p", "no:cacheprovider", cwd=project)
    output = corrupted.stdout + corrupted.stderr
    assert corrupted.returncode != 0
    assert STATEMENT in output
    assert STATEMENT_DIGEST in output
    assert "failed its integrity check" in output
    assert "Traceback" not in output
