"""cspo_archive.testing: made-up snapshots that the archive accepts as they are."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cspo_archive import Archive, InvalidIdError, InvalidMetadataError
from cspo_archive._text import canonicalize, sha256_digest
from cspo_archive.testing import example_snapshot


def test_example_snapshot_is_added_and_read_back(tmp_path: Path) -> None:
    """The default example goes into an archive with its capture and reads back equal."""
    snapshot, capture = example_snapshot()
    archive = Archive.open(tmp_path / "archive", create=True)
    archive.add(snapshot, capture=capture)
    assert archive.get(snapshot.id) == snapshot
    assert archive.capture(snapshot.provenance.capture_digest) == capture


def test_capture_and_provenance_agree() -> None:
    """The provenance names the capture's digest and spans its lines and characters."""
    snapshot, capture = example_snapshot("Ünïcode text.\n", title="Tïtle")
    assert capture == "Tïtle\n\nÜnïcode text.\n".encode()
    assert snapshot.provenance.capture_digest == sha256_digest(capture)
    assert snapshot.provenance.lines == (1, 4)
    assert snapshot.provenance.characters == (0, len(capture.decode()))


def test_every_argument_is_used() -> None:
    """Id, title, date, capture, source URL and tags end up in the snapshot."""
    snapshot, capture = example_snapshot(
        "Text.\n",
        snapshot_id="2001-02-03-other",
        title="Other",
        published=dt.date(2001, 2, 3),
        capture=b"raw bytes\n",
        source_url="https://example.org/other",
        tags=("one", "two"),
    )
    assert capture == b"raw bytes\n"
    assert snapshot.id == "2001-02-03-other"
    assert snapshot.metadata.title == "Other"
    assert snapshot.metadata.published.value == dt.date(2001, 2, 3)
    assert snapshot.metadata.source_url == "https://example.org/other"
    assert snapshot.metadata.tags == ("one", "two")


def test_invalid_arguments_raise_the_models_errors() -> None:
    """A bad id or a bad URL is refused by the model's own validation."""
    with pytest.raises(InvalidIdError):
        example_snapshot(snapshot_id="../escape")
    with pytest.raises(InvalidMetadataError):
        example_snapshot(source_url="not a url")


def test_text_without_a_final_newline_is_canonicalised() -> None:
    """example_snapshot("hello") builds a snapshot of "hello\\n", and its capture holds that."""
    snapshot, capture = example_snapshot("hello")
    assert snapshot.text == "hello\n"
    assert capture == b"A test publication\n\nhello\n"


def test_text_in_any_form_becomes_canonical_text() -> None:
    """CRLF endings, trailing spaces, extra blank lines and decomposed accents are canonicalised."""
    snapshot, _ = example_snapshot("\n\nCafe\u0301  \r\n\r\n\r\n\r\nSecond.  ")
    assert snapshot.text == "Caf\u00e9\n\nSecond.\n"
    assert snapshot.text == canonicalize(snapshot.text)


@pytest.mark.parametrize("text", ["", " ", "\n\n", " \t\r\n \u00a0\n"])
def test_empty_or_white_space_text_is_refused_clearly(text: str) -> None:
    """Text with nothing left once canonical raises InvalidMetadataError, saying so and
    what to do."""
    with pytest.raises(InvalidMetadataError, match="empty or only white space") as info:
        example_snapshot(text)
    assert info.value.field == "text"
    assert "at least one non-space character" in str(info.value)


def test_control_characters_are_refused_clearly() -> None:
    """A control character (not tab or a line break) raises InvalidMetadataError naming it."""
    with pytest.raises(InvalidMetadataError, match="U\\+0007"):
        example_snapshot("a bell \x07 here")


# Any character but lone surrogates and the control characters the model refuses
# (tab, LF and CR are kept: they are white space and line breaks).
_TEXT = st.text(
    st.characters(codec="utf-8").filter(lambda c: c in "\t\n\r" or unicodedata.category(c) != "Cc")
)


@given(_TEXT.filter(lambda t: t.strip() != ""))
def test_any_text_with_a_non_space_character_makes_a_snapshot(text: str) -> None:
    """For any text with a non-space character, example_snapshot(text) builds, its snapshot
    text is canonicalize(text), and its default capture ends with that text."""
    snapshot, capture = example_snapshot(text)
    assert snapshot.text == canonicalize(text)
    assert capture.endswith(snapshot.text.encode("utf-8"))
