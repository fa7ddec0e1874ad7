"""Progress on standard error: shown on a watched terminal, never when piped."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from conftest import SNAPSHOTS, python_output
from cspo_archive import Archive, _progress, compare
from cspo_archive.build import build_archive


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_nothing_is_shown_or_imported_when_piped() -> None:
    """With standard error not a terminal the callback does nothing and tqdm is
    never imported (a pipe gets no bar)."""
    code = (
        "import sys; from cspo_archive._progress import progress\n"
        "with progress('x', 3) as done:\n"
        "    done(); done(2)\n"
        "print('tqdm' in sys.modules)"
    )
    assert python_output(code).strip() == "False"


def test_a_terminal_gets_a_bar_once_work_is_slow(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal the bar names the work and counts it, and is removed at the end;
    with TERM=dumb there is none."""
    pytest.importorskip("tqdm")
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr(_progress, "DELAY", 0)
    monkeypatch.setenv("TERM", "xterm")
    with _progress.progress("verifying", 4) as done:
        done(2, "snapshots")
    assert "verifying" in terminal.getvalue()
    dumb = _Terminal()
    monkeypatch.setattr("sys.stderr", dumb)
    monkeypatch.setenv("TERM", "dumb")
    with _progress.progress("verifying", 4) as done:
        done(4)
    assert dumb.getvalue() == ""


def test_long_work_reports_each_step() -> None:
    """verify counts every snapshot and capture, compare its five steps, build every
    capture it reads."""
    archive = Archive.bundled()
    counted: list[int] = []
    archive.verify(progress=lambda count=1, what=None: counted.append(count))
    assert sum(counted) == 3 + 2
    old, _, new = archive
    steps: list[str | None] = []
    compare(old, new, progress=lambda count=1, what=None: steps.append(what))
    assert steps == ["texts read", "membership", "principles", "language", "word diff"]


def test_build_reports_each_capture(tmp_path: Path) -> None:
    """build_archive calls progress once per capture of the recipe, naming it."""
    names: list[str | None] = []
    target = Archive.open(tmp_path / "built", create=True)
    build_archive(
        SNAPSHOTS / "recipe.toml",
        target,
        progress=lambda count=1, what=None: names.append(what),
    )
    assert len(names) == 2
    assert all(name and name.endswith(".txt") for name in names)


def test_a_warc_file_reports_each_record() -> None:
    """ingest_warc calls progress once per successful response record, naming it."""
    from cspo_archive import ingest_warc
    from test_ingest_warc import _write

    data, _ = _write(gzipped=True)
    uris: list[str | None] = []
    found = ingest_warc(
        data, name="crawl.warc.gz", progress=lambda count=1, what=None: uris.append(what)
    )
    assert len(uris) == len(found) == 2
    assert all(uri and uri.startswith("http") for uri in uris)


def test_ingest_reports_its_steps() -> None:
    """ingest calls progress after recognising the kind, extracting the text and
    finding the publications."""
    from cspo_archive import ingest

    steps: list[str | None] = []
    ingest(
        b"A title\n\nThe partners met.\n",
        name="x.txt",
        progress=lambda count=1, what=None: steps.append(what),
    )
    assert steps == ["text recognised", "text extracted", "publications found"]
