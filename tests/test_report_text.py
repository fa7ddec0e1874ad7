"""Text reports for the terminal: regression files, colour on and off, control characters."""

from __future__ import annotations

import re

import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from conftest import build_snapshot
from cspo_archive import Archive, InvalidMetadataError, Snapshot, compare, timeline
from cspo_archive.report import render, text

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _bundled() -> list[Snapshot]:
    return list(Archive.bundled())


def test_news_2022_to_news_2025(file_regression: FileRegressionFixture) -> None:
    """The 2022 news story against the 2025 one, without colour, reads as committed."""
    s = _bundled()
    file_regression.check(text.render(compare(s[0], s[2])), extension=".txt")


def test_timeline(file_regression: FileRegressionFixture) -> None:
    """The timeline of the bundled archive, without colour, reads as committed."""
    file_regression.check(text.render(timeline(_bundled())), extension=".txt")


def test_copies_and_a_timeline_of_them(file_regression: FileRegressionFixture) -> None:
    """Two copies of one statement read as the committed terminal text: said first,
    then the paragraph omitted, the one replaced and the spelling counted apart; and
    the statement fixtures' timeline lists each release's copies and revisions."""
    from statement_fixtures import snapshots

    found = snapshots()
    copies = text.render(compare(found["uk-copy.txt"], found["us-copy.txt"]))
    assert copies.index("These are copies of one statement") < copies.index("Members")
    file_regression.check(copies + "\n" + text.render(timeline(found.values())), extension=".txt")


def test_no_colour_means_no_escape_codes() -> None:
    """``color=False`` (the default) writes no escape character at all."""
    s = _bundled()
    for result in (compare(s[0], s[2]), compare(s[0], s[1]), timeline(s)):
        assert "\x1b" not in text.render(result)
        assert "\x1b" not in render(result, "text")


def test_colour_adds_codes_and_keeps_text_cues() -> None:
    """``color=True`` colours the report; without the codes it is the plain report."""
    s = _bundled()
    comparison = compare(s[0], s[2])
    coloured = text.render(comparison, color=True)
    assert "\x1b[32m" in coloured
    assert "\x1b[31m" in coloured
    assert "\x1b[1m" in coloured
    assert "\x1b[32m  + joined: Italy (ITA)\x1b[0m" in coloured
    assert f"{text.MINUS} dropped: Optimising resources" in coloured
    assert _ANSI.sub("", coloured) == text.render(comparison)
    assert render(comparison, "txt", color=True) == coloured


def test_lines_fit_and_no_full_diff() -> None:
    """Lines stay within 88 columns but for references; the full diff is pointed to."""
    s = _bundled()
    out = text.render(compare(s[0], s[2]))
    long = [line for line in out.splitlines() if len(line) > text.WIDTH and "@sha256:" not in line]
    assert long == []
    assert "--format md" in out
    assert "~~" not in out


def test_control_characters_are_neutralised() -> None:
    """ANSI escapes and other controls never reach the terminal.

    Metadata refuses C0/C1 controls in titles (so ESC cannot arrive that way), and
    texts refuse them too; the renderer still neutralises every control and bidi
    override it meets, and a title with a bidi override (which metadata allows) is
    shown neutralised.
    """
    with pytest.raises(InvalidMetadataError):
        build_snapshot(title="Evil \x1b[31mred", snapshot_id="2024-01-01-old")
    assert text.clean("Evil \x1b[31mred\x1b[0m \x9b2J \x07bell") == (
        "Evil \ufffd[31mred\ufffd[0m \ufffd2J \ufffdbell"
    )
    old, _ = build_snapshot(title="Report \u202egnp.exe", snapshot_id="2024-01-01-old")
    new, _ = build_snapshot(
        "The partners remain committed to responsible behaviour.\n",
        title="OSC \u2066isolated\u2069 title",
        snapshot_id="2024-01-02-new",
    )
    for color in (False, True):
        out = text.render(compare(old, new), color=color)
        plain = _ANSI.sub("", out)
        assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", plain)
        assert "Report \ufffdgnp.exe" in plain
    timeline_out = text.render(timeline([old, new]))
    assert "\u202e" not in timeline_out
    assert "\u2066" not in timeline_out


def test_deterministic() -> None:
    """Rendering twice gives the same text."""
    s = _bundled()
    assert text.render(compare(s[0], s[1])) == text.render(compare(s[0], s[1]))
    assert text.render(timeline(s), color=True) == text.render(timeline(s), color=True)
