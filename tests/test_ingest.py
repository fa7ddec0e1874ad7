"""Tests of :mod:`cspo_archive.ingestion`: decoding, furniture, rejoining, splitting, spans."""

from __future__ import annotations

import codecs
import datetime as dt
import enum
import re
import time
import unicodedata
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_regressions.data_regression import DataRegressionFixture

from conftest import seed_capture
from cspo_archive._text import canonical_problem
from cspo_archive.exceptions import (
    CspoArchiveError,
    IngestError,
    InvalidMetadataError,
    UndecodableContentError,
)
from cspo_archive.ingestion import Decoded, Furniture, Ingested, Publication, decode, ingest
from cspo_archive.model import DateSource, DocumentType, Provenance, PublishedDate

SEED_000 = "000_68c75944c148801d.txt"
SEED_002 = "002_9aae55745708697d.txt"

# --- Hypothesis strategies ---------------------------------------------------------

#: Any character Python can encode (no surrogates), controls included.
any_characters = st.characters(exclude_categories=["Cs"])
#: Printable text: letters, marks, numbers, punctuation, symbols and spaces.
printable = st.characters(categories=("L", "M", "N", "P", "S", "Zs"))
paragraphs = st.lists(st.text(printable, min_size=1, max_size=80), min_size=1, max_size=8)
anything = st.lists(st.text(any_characters, max_size=60), min_size=1, max_size=8)
line_breaks = st.sampled_from(["\n", "\n\n", "\r\n\r\n", "\r\r", "\n\x0c\n"])
#: Lines pages have: labels, furniture, dates, headings, links, broken paragraphs.
page_lines = st.sampled_from(
    [
        "News story",
        "Press release",
        "Statement",
        "Joint Statement on Space Security",
        "CSpO Vision 2031",
        "Background",
        "Board outcomes",
        "Published 17 December 2025",
        "Published",
        "17 December 2025",
        "Dec. 17, 2025",
        "Last updated 4 January 2026",
        "Updates to this page",
        "First published.",
        "Request an accessible format.",
        "If you use assistive technology please email us.",
        "Contents",
        "- Background",
        "Share this page",
        "Facebook",
        "From:",
        "From: Ministry of Defence",
        "Home > Defence",
        "The Board met in",
        "the spring of 2024.",
        "a) freedom of use of space",
        "The minister said:",
        "See [the strategy](https://www.gov.uk/dss) and [more](#).",
        "Text paragraph one.",
        "Another sentence here.",
        "\x0c",
        "",
    ]
)


# --- helpers -----------------------------------------------------------------------


def seed(name: str) -> bytes:
    """The bytes of seed capture *name*, as kept in the bundled archive's captures/."""
    return seed_capture(name)


def plain(record: Any) -> dict[str, Any]:
    """An attrs record as plain data for data_regression: dates as ISO, enums as values."""

    def convert(_inst: Any, _field: Any, value: Any) -> Any:
        if isinstance(value, enum.Enum):
            return value.value
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    result: dict[str, Any] = attrs.asdict(record, value_serializer=convert)
    return result


_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\s]*\)")


def normalised_lines(text: str) -> list[tuple[int, str]]:
    """(line number, text) of each piece of each line, normalised as ingest promises."""
    pieces = []
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        for piece in raw.split("\x0c"):
            line = _LINK.sub(r"\1", unicodedata.normalize("NFC", piece)).strip()
            if line:
                pieces.append((number, line))
    return pieces


def assert_nothing_lost(data: bytes, capture: Ingested, *, unique: bool = True) -> None:
    """Every line that is not furniture nor a title is in exactly one publication's text.

    Lines are inside the span of exactly one publication, and in its text; with
    *unique* (lines that occur once in the capture), in no other publication's text.
    """
    decoded = decode(data)
    removed = {
        number
        for item in capture.furniture
        if item.kind != "link-target"
        for number in range(item.lines[0], item.lines[1] + 1)
    }
    titles = {p.lines[0]: p.title for p in capture.publications}
    for number, line in normalised_lines(decoded.text):
        if number in removed:
            continue
        if number in titles:
            assert line.lstrip("# ") == titles[number]
            continue
        covering = [p for p in capture.publications if p.lines[0] <= number <= p.lines[1]]
        assert len(covering) == 1, f"line {number} {line!r} is in {len(covering)} spans"
        assert line in covering[0].text, f"line {number} {line!r} is lost"
        if unique:
            holders = [p.title for p in capture.publications if line in p.text]
            assert holders == [covering[0].title], f"line {number} {line!r} is in {holders}"


def assert_spans(data: bytes, capture: Ingested) -> None:
    """Each publication's character span holds its title and its last line."""
    text = decode(data).text
    lines = re.split(r"\r\n|\r|\n", text)
    for publication in capture.publications:
        start, end = publication.characters
        span = text[start:end]
        assert publication.title in _LINK.sub(r"\1", span.split("\n", 1)[0].split("\r", 1)[0])
        last = lines[publication.lines[1] - 1].strip()
        assert span.endswith(last)
        assert len(re.findall(r"\r\n|\r|\n", text[:start])) == publication.lines[0] - 1


def kinds(capture: Ingested) -> list[tuple[str, tuple[int, int]]]:
    """The furniture of *capture* as (kind, lines), link targets left out."""
    return [(f.kind, f.lines) for f in capture.furniture if f.kind != "link-target"]


def page(text: str) -> bytes:
    """A synthetic capture: *text* without its common indentation, as UTF-8."""
    lines = text.strip("\n").split("\n")
    indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    return ("\n".join(x[indent:] for x in lines) + "\n").encode()


# --- the seeds ---------------------------------------------------------------------


@pytest.mark.parametrize("name", [SEED_000, SEED_002], ids=["000", "002"])
def test_seed_regression(name: str, data_regression: DataRegressionFixture) -> None:
    """The full ingest result of each seed capture is locked (reviewed by eye)."""
    data_regression.check(plain(ingest(seed(name), name=name)))


def test_seed_000_is_one_publication() -> None:
    """Seed 000: one news story, link targets removed, the broken paragraph rejoined."""
    capture = ingest(seed(SEED_000), name=SEED_000)
    assert capture.encoding == "utf-8"
    assert not capture.detected_encoding
    (publication,) = capture.publications
    assert publication.title == "UK and partners publish vision for responsible space operations"
    assert publication.document_type is None
    assert publication.published is None
    assert publication.updated == ()
    assert publication.lines == (3, 23)
    assert publication.text.startswith("The UK, alongside partner countries")
    assert publication.text.count("\n\n") + 1 == 9
    assert "opportunities for interoperability of space systems, and explored" in publication.text
    assert "(#)" not in publication.text
    assert "[" not in publication.text
    assert [(f.kind, f.lines, f.text) for f in capture.furniture] == [
        ("link-target", (n, n), "(#)") for n in (3, 5, 15, 23)
    ]
    assert "rejoin paragraph broken mid-sentence (lines 19-21)" in publication.steps
    assert "remove link targets: 4 ('(#)' x4)" in publication.steps
    assert publication.links == ()
    assert canonical_problem(publication.text) is None


def test_seed_002_is_two_publications() -> None:
    """Seed 002: a news story and the joint statement attached to it, each with the page date."""
    capture = ingest(seed(SEED_002), name=SEED_002)
    story, statement = capture.publications
    assert story.title == "UK meets with international coalition to keep space safe"
    assert story.document_type is DocumentType.NEWS_STORY
    assert story.lines == (3, 33)
    assert story.text.startswith("The UK has met with allies")
    assert story.text.endswith("contributing to global peace and security.\n")
    assert statement.title == (
        "Joint Statement from The Combined Space Operations Initiative Principals\u2019 Board, "
        "December 2025"
    )
    assert statement.document_type is DocumentType.JOINT_STATEMENT
    assert statement.lines == (35, 43)
    assert statement.text.startswith("From December 2-4, 2025, the annual Combined Space")
    assert statement.text.endswith("to enhance resilience at every level.\n")
    for publication in (story, statement):
        assert publication.published is not None
        assert publication.published.value == dt.date(2025, 12, 17)
        assert publication.published.source is DateSource.STATED
        assert "'Published 17 December 2025' (line 52)" in publication.published.note
        assert "every publication" in publication.published.note
        assert publication.updated == ()
        assert any(step.startswith("split: publication") for step in publication.steps)
    assert kinds(capture) == [
        ("document-type-label", (1, 1)),
        ("attachment-title", (45, 45)),
        ("accessible-format", (47, 48)),
        ("page-history", (50, 52)),
    ]
    assert "split: publication 2 of 2 starts at line 35" in statement.steps[-2]


@pytest.mark.parametrize("name", [SEED_000, SEED_002], ids=["000", "002"])
def test_seeds_lose_nothing(name: str) -> None:
    """Every line of a seed is furniture, a title, or in exactly one publication's text."""
    data = seed(name)
    assert_nothing_lost(data, ingest(data))


@pytest.mark.parametrize("name", [SEED_000, SEED_002], ids=["000", "002"])
def test_seed_spans_are_exact(name: str) -> None:
    """Line and character spans point at the title and last line in the decoded capture."""
    data = seed(name)
    assert_spans(data, ingest(data))


def test_provenance_is_built_from_the_capture() -> None:
    """Ingested.provenance copies digest, name, encoding, spans and steps into a Provenance."""
    data = seed(SEED_002)
    capture = ingest(data, name=SEED_002)
    statement = capture.publications[1]
    provenance = capture.provenance(statement, capture_method="text capture of the GOV.UK page")
    assert provenance == Provenance(
        capture_digest=capture.digest,
        capture_name=SEED_002,
        capture_method="text capture of the GOV.UK page",
        encoding="utf-8",
        lines=(35, 43),
        characters=statement.characters,
        steps=statement.steps,
        replacement_characters=0,
        media_type="text/plain",
        extractor="cspo-archive-ingest 2",
    )
    assert capture.digest.startswith("sha256:")
    unrecorded = capture.provenance(statement, capture_method="x", record_extractor=False)
    assert (unrecorded.media_type, unrecorded.extractor) == (None, None)
    other = ingest(seed(SEED_000)).publications[0]
    with pytest.raises(IngestError, match="not one of the 2 publications"):
        capture.provenance(other, capture_method="text capture")


def test_ingest_is_deterministic() -> None:
    """The same bytes give equal captures, steps included."""
    data = seed(SEED_002)
    assert ingest(data, name="x") == ingest(data, name="x")


# --- page shapes -------------------------------------------------------------------

PRESS_RELEASE = page(
    """
    Skip to main content

    Home > Defence and armed forces

    Press release

    Defence Secretary announces new space partnership

    The UK has signed a new agreement with allies.

    From:
    Ministry of Defence and The Rt Hon John Healey MP

    Published 3 March 2024

    Last updated 5 March 2024

    The agreement was signed in London.

    Background

    The initiative began in 2014 with four nations.

    Share this page

    Facebook

    Twitter

    Is this page useful?

    Maybe

    Yes this page is useful

    No this page is not useful

    Print this page
    """
)


def test_press_release_with_metadata_lines() -> None:
    """A GOV.UK press release: label, From:, Published, Last updated and footer removed."""
    capture = ingest(PRESS_RELEASE)
    (publication,) = capture.publications
    assert publication.title == "Defence Secretary announces new space partnership"
    assert publication.document_type is DocumentType.PRESS_RELEASE
    assert publication.published == PublishedDate(
        dt.date(2024, 3, 3),
        DateSource.STATED,
        "stated in the capture: 'Published 3 March 2024' (line 14)",
    )
    assert publication.updated == (dt.date(2024, 3, 5),)
    assert publication.text == (
        "The UK has signed a new agreement with allies.\n\n"
        "The agreement was signed in London.\n\n"
        "Background\n\n"
        "The initiative began in 2014 with four nations.\n"
    )
    assert kinds(capture) == [
        ("skip-link", (1, 1)),
        ("breadcrumb", (3, 3)),
        ("document-type-label", (5, 5)),
        ("page-metadata", (11, 12)),
        ("page-metadata", (14, 14)),
        ("page-metadata", (16, 16)),
        ("share-links", (24, 28)),
        ("feedback", (30, 36)),
        ("print-link", (38, 38)),
    ]
    assert_nothing_lost(PRESS_RELEASE, capture)
    assert_spans(PRESS_RELEASE, capture)


def test_background_sub_heading_does_not_split() -> None:
    """A sub-heading that names no publication type and is not repeated stays in the text."""
    capture = ingest(PRESS_RELEASE)
    assert len(capture.publications) == 1
    assert "\n\nBackground\n\n" in capture.publications[0].text
    assert not any(step.startswith("split") for step in capture.publications[0].steps)


HISTORY = page(
    """
    News story

    Space strategy published

    This was published under the 2019 to 2022 Johnson Conservative government

    The strategy sets out how the UK will protect its interests in space.

    Updates to this page

    Published 1 February 2022

    Last updated 4 January 2023 + show all updates

    4 January 2023

    Added a translation.

    1 February 2022

    First published.
    """
)


def test_history_banner_and_page_history() -> None:
    """The history banner is furniture; the page history gives published and updated dates."""
    capture = ingest(HISTORY)
    (publication,) = capture.publications
    assert publication.text == (
        "The strategy sets out how the UK will protect its interests in space.\n"
    )
    assert publication.document_type is DocumentType.NEWS_STORY
    assert publication.published is not None
    assert publication.published.value == dt.date(2022, 2, 1)
    assert "(line 11)" in publication.published.note
    assert publication.updated == (dt.date(2023, 1, 4),)
    assert kinds(capture) == [
        ("document-type-label", (1, 1)),
        ("history-banner", (5, 5)),
        ("page-history", (9, 21)),
    ]


US_STYLE = page(
    """
    Release

    Combined Space Operations Initiative meets in Washington

    Dec. 17, 2025

    The partners met in Washington this week.

    Gen. Smith, Commander, said:

    We are stronger together.

    Joint Statement on the Combined Space Operations Initiative

    December 17, 2025

    The ten nations affirm their commitment to responsible behaviour in space.

    They will continue to cooperate.
    """
)


def test_us_style_page_with_statement_mid_page() -> None:
    """US dates are read; a 'Joint Statement on ...' heading mid-page starts a publication."""
    capture = ingest(US_STYLE, name="defense.txt")
    release, statement = capture.publications
    assert release.title == "Combined Space Operations Initiative meets in Washington"
    assert release.document_type is DocumentType.PRESS_RELEASE
    assert statement.title == "Joint Statement on the Combined Space Operations Initiative"
    assert statement.document_type is DocumentType.JOINT_STATEMENT
    assert release.published is not None
    assert statement.published is not None
    assert release.published.value == statement.published.value == dt.date(2025, 12, 17)
    assert "'Dec. 17, 2025' (line 5)" in release.published.note
    assert "'December 17, 2025' (line 15)" in statement.published.note
    assert "Gen. Smith, Commander, said:" in release.text
    assert kinds(capture) == [
        ("document-type-label", (1, 1)),
        ("dateline", (5, 5)),
        ("dateline", (15, 15)),
    ]
    assert_nothing_lost(US_STYLE, capture)
    assert_spans(US_STYLE, capture)


THREE = page(
    """
    Statements from the Principals' Board

    The Board met and agreed two statements, published below.

    Joint Statement on Space Security

    The nations agree that space security matters.

    Background

    The Board first met in 2014.

    Communiqué of the Principals' Board 2024

    The Board welcomed Italy, Japan and Norway.

    Joint Statement on Space Security

    Communiqué of the Principals' Board 2024

    Request an accessible format.
    If you use assistive technology (such as a screen reader) please email us.
    """
)


def test_three_publications_and_their_attachment_titles() -> None:
    """A page holding three publications; repeated titles at the end are attachment titles."""
    capture = ingest(THREE)
    assert [p.title for p in capture.publications] == [
        "Statements from the Principals' Board",
        "Joint Statement on Space Security",
        "Communiqué of the Principals' Board 2024",
    ]
    assert [p.document_type for p in capture.publications] == [
        None,
        DocumentType.JOINT_STATEMENT,
        DocumentType.COMMUNIQUE,
    ]
    assert [p.lines for p in capture.publications] == [(1, 3), (5, 11), (13, 15)]
    assert capture.publications[1].text == (
        "The nations agree that space security matters.\n\nBackground\n\n"
        "The Board first met in 2014.\n"
    )
    assert kinds(capture) == [
        ("attachment-title", (17, 17)),
        ("attachment-title", (19, 19)),
        ("accessible-format", (21, 22)),
    ]
    for number, publication in enumerate(capture.publications, start=1):
        assert any(f"split: publication {number} of 3" in step for step in publication.steps)
    assert_nothing_lost(THREE, capture)
    assert_spans(THREE, capture)


def test_repeated_heading_heading_text_is_a_recurring_sub_heading() -> None:
    """A heading repeated with text after each occurrence is a sub-heading, not an attachment."""
    data = page(
        """
        First news story title

        Intro text.

        Notes

        Some notes.

        Notes

        More notes.
        """
    )
    (publication,) = ingest(data).publications
    assert publication.text == "Intro text.\n\nNotes\n\nSome notes.\n\nNotes\n\nMore notes.\n"


def test_repeated_heading_with_text_starts_a_publication() -> None:
    """A heading repeated at the end (an attachment link) starts a publication of its own."""
    data = page(
        """
        Allies meet in Toulouse

        The allies met and agreed a text.

        Principals Board outcomes

        The Board agreed to meet again.

        Principals Board outcomes
        """
    )
    capture = ingest(data)
    assert [p.title for p in capture.publications] == [
        "Allies meet in Toulouse",
        "Principals Board outcomes",
    ]
    assert kinds(capture) == [("attachment-title", (9, 9))]
    assert any("repeated at line 9" in step for step in capture.publications[1].steps)


def test_publication_heading_without_text_is_dropped() -> None:
    """A heading naming a publication type with no text after it is furniture, not a publication."""
    data = page(
        """
        Allies meet in Toulouse

        The allies met and agreed a statement.

        Joint Statement on Space Security
        """
    )
    capture = ingest(data)
    assert len(capture.publications) == 1
    assert kinds(capture) == [("attachment-title", (5, 5))]
    assert any("no text follows it" in step for step in capture.publications[0].steps)


def test_title_repeated_at_the_end_is_an_attachment_title() -> None:
    """The title repeated as the attachment link, with its file details, is furniture."""
    data = page(
        """
        CSpO Vision 2031

        The vision sets out four principles.

        CSpO Vision 2031

        PDF, 205 KB, 4 pages

        This file may not be suitable for users of assistive technology.
        """
    )
    capture = ingest(data)
    (publication,) = capture.publications
    assert publication.document_type is DocumentType.VISION
    assert kinds(capture) == [
        ("attachment-title", (5, 5)),
        ("attachment-details", (7, 7)),
        ("attachment-details", (9, 9)),
    ]


def test_contents_list_is_removed_and_section_headings_stay() -> None:
    """A contents list is furniture; the section headings it lists stay in the text."""
    data = page(
        """
        Guidance

        Working with space partners

        Contents

        Overview

        How to apply

        Overview

        This guidance explains how to work with partners.

        How to apply

        Write to the Space Directorate.
        """
    )
    capture = ingest(data)
    (publication,) = capture.publications
    assert publication.document_type is DocumentType.OTHER
    assert kinds(capture) == [("document-type-label", (1, 1)), ("contents", (5, 9))]
    assert publication.text == (
        "Overview\n\nThis guidance explains how to work with partners.\n\n"
        "How to apply\n\nWrite to the Space Directorate.\n"
    )


def test_site_header_above_the_label_is_furniture() -> None:
    """Heading-like lines above a document-type label are the site's header."""
    data = page(
        """
        U.S. Department of Defense

        Statement

        Joint Statement on Space Operations

        The partners agree.
        """
    )
    capture = ingest(data)
    (publication,) = capture.publications
    assert publication.title == "Joint Statement on Space Operations"
    assert publication.document_type is DocumentType.JOINT_STATEMENT
    assert kinds(capture) == [("page-header", (1, 1)), ("document-type-label", (3, 3))]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("News story", DocumentType.NEWS_STORY),
        ("Press release", DocumentType.PRESS_RELEASE),
        ("Speech", DocumentType.SPEECH),
        ("Policy paper", DocumentType.POLICY_PAPER),
        ("Correspondence", DocumentType.OTHER),
        ("Statement to Parliament", DocumentType.OTHER),
        ("Statement", DocumentType.OTHER),
    ],
)
def test_labels_set_the_document_type(label: str, expected: DocumentType) -> None:
    """A label alone above the title is furniture and sets the document type."""
    data = f"{label}\n\nDefence update for partners\n\nThe text.\n".encode()
    capture = ingest(data)
    assert capture.publications[0].document_type is expected
    assert kinds(capture) == [("document-type-label", (1, 1))]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("UK and partners publish vision for responsible space operations", None),
        ("Australia joins allies in joint statement", None),
        ("CSpO Vision 2031", DocumentType.VISION),
        ("Joint statement on space security", DocumentType.JOINT_STATEMENT),
        ("Combined Space Operations Initiative Communiqué", DocumentType.COMMUNIQUE),
        ("Fact Sheet: Combined Space Operations", DocumentType.FACT_SHEET),
        ("Remarks by the Chief of Space Operations", DocumentType.SPEECH),
    ],
)
def test_title_keywords_set_the_document_type(title: str, expected: DocumentType | None) -> None:
    """A title naming a publication type sets it; a headline merely mentioning one does not."""
    capture = ingest(f"{title}\n\nThe text.\n".encode())
    assert capture.publications[0].document_type is expected


def test_label_below_text_is_not_a_label() -> None:
    """A label word not followed by a heading is ordinary text (or a heading)."""
    data = b"Defence update\n\nSpeech\n\nThe minister spoke.\n"
    (publication,) = ingest(data).publications
    assert publication.text == "Speech\n\nThe minister spoke.\n"


# --- rejoining ---------------------------------------------------------------------


def test_paragraph_broken_mid_sentence_is_rejoined() -> None:
    """A paragraph ending without punctuation, followed by a lowercase one, is rejoined."""
    data = b"Title of it\n\nThe Board met in\n\nthe spring of 2024. It agreed.\n\nNext one.\n"
    (publication,) = ingest(data).publications
    assert publication.text == "The Board met in the spring of 2024. It agreed.\n\nNext one.\n"
    assert "rejoin paragraph broken mid-sentence (lines 3-5)" in publication.steps


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("It ended here.", "then another began."),
        ("The speaker said:", "we agree."),
        ("“It ended.”", "and so on."),
        ("The principles are", "a) freedom of use of space"),
        ("The Board met in", "Toulouse in December."),
    ],
)
def test_paragraphs_that_are_not_broken_stay_apart(first: str, second: str) -> None:
    """No rejoin after sentence-final punctuation, before a list item, or before uppercase."""
    data = f"A title here\n\n{first}\n\n{second}\n".encode()
    (publication,) = ingest(data).publications
    assert publication.text == f"{first}\n\n{second}\n"
    assert not any(step.startswith("rejoin") for step in publication.steps)


def test_title_is_never_joined_to_a_lowercase_paragraph() -> None:
    """The title stays the title even when the text after it starts lowercase."""
    data = b"The title\n\nthe text starts lowercase.\n"
    (publication,) = ingest(data).publications
    assert publication.title == "The title"
    assert publication.text == "the text starts lowercase.\n"


def test_form_feed_is_a_paragraph_break() -> None:
    """A form feed (a page break) separates paragraphs and may be rejoined across."""
    data = b"Annual report\n\nThe report was drafted in\x0cthe autumn.\x0cA new page.\n"
    capture = ingest(data)
    (publication,) = capture.publications
    assert publication.text == "The report was drafted in the autumn.\n\nA new page.\n"
    assert "form feeds read as paragraph breaks" in publication.steps[1]
    assert_nothing_lost(data, capture)


def test_one_paragraph_per_line_when_there_are_no_blank_lines() -> None:
    """A capture without blank lines has one paragraph per line."""
    data = page(
        """
        News story
        Allies meet to discuss space security
        The allies met in Ottawa.
        They agreed to meet again in
        the spring of next year.
        From: National Defence
        Date modified: 2025-12-20
        """
    )
    capture = ingest(data)
    (publication,) = capture.publications
    assert publication.title == "Allies meet to discuss space security"
    assert publication.text == (
        "The allies met in Ottawa.\n\nThey agreed to meet again in the spring of next year.\n"
    )
    assert publication.updated == (dt.date(2025, 12, 20),)
    assert "paragraphs: one per line (the capture has no blank lines)" in publication.steps


# --- links -------------------------------------------------------------------------


def test_links_keep_text_and_real_targets() -> None:
    """Link syntax goes; '#' targets are furniture; real targets are kept in links."""
    data = (
        b"[A title](#)\n\nSee the [strategy](https://www.gov.uk/dss) and [annex](#annex-a)"
        b' or [this page](/government/space "Space").\n'
    )
    capture = ingest(data)
    (publication,) = capture.publications
    assert publication.title == "A title"
    assert publication.text == "See the strategy and annex or this page.\n"
    assert publication.links == (
        ("strategy", "https://www.gov.uk/dss"),
        ("this page", "/government/space"),
    )
    assert [(f.kind, f.lines, f.text) for f in capture.furniture] == [
        ("link-target", (1, 1), "(#)"),
        ("link-target", (3, 3), "(#annex-a)"),
    ]
    assert "remove link targets: 2 ('(#)' x1, '(#annex-a)' x1)" in publication.steps


# --- line endings and spans ----------------------------------------------------------

BODY = "Title of the page\n\nFirst paragraph of text.\n\nSecond paragraph, Principals’ Board.\n"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_line_endings(newline: str) -> None:
    """LF, CRLF and CR give the same text; spans count lines and characters exactly."""
    data = BODY.replace("\n", newline).encode()
    capture = ingest(data)
    (publication,) = capture.publications
    assert publication.text == "First paragraph of text.\n\nSecond paragraph, Principals’ Board.\n"
    assert publication.lines == (1, 5)
    text = decode(data).text
    assert text[slice(*publication.characters)].endswith("Principals’ Board.")
    assert_spans(data, capture)


def test_decoded_text_is_not_normalised() -> None:
    """decode returns the text as it was: line endings and trailing spaces untouched."""
    assert decode(b"a  \r\nb\r\n").text == "a  \r\nb\r\n"


def test_nfc_and_trailing_white_space() -> None:
    """Text is NFC and lines lose surrounding white space."""
    data = "Title\n\n  Cafe\u0301 du monde.   \t\n".encode()
    (publication,) = ingest(data).publications
    assert publication.text == "Café du monde.\n"


# --- decoding ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "encoding"),
    [
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-32", "utf-32"),
    ],
)
def test_byte_order_marks(codec: str, encoding: str) -> None:
    """A byte-order mark names the encoding and is removed."""
    decoded = decode(BODY.encode(codec))
    assert decoded == Decoded(BODY, encoding, True, 0, False)
    assert ingest(BODY.encode(codec)).publications[0].title == "Title of the page"


def test_utf16_without_bom_is_detected() -> None:
    """UTF-16 without a byte-order mark (NULs in 'UTF-8') is detected, not refused."""
    decoded = decode(BODY.encode("utf-16-le"))
    assert decoded.text == BODY
    assert decoded.detected
    assert codecs.lookup(decoded.encoding).name == "utf-16-le"


def test_cp1252_is_detected() -> None:
    """cp1252 bytes are read as cp1252 (’ from 0x92), reported as detected."""
    data = b"Joint Statement from the Principals\x92 Board\n\nThe Board met.\n"
    decoded = decode(data)
    assert decoded == Decoded(
        "Joint Statement from the Principals’ Board\n\nThe Board met.\n", "cp1252", False, 0, True
    )
    capture = ingest(data)
    assert capture.detected_encoding
    assert capture.encoding == "cp1252"
    assert capture.publications[0].title == "Joint Statement from the Principals’ Board"
    assert capture.publications[0].steps[0] == "decode: cp1252 (detected; the bytes are not UTF-8)"


def test_given_encoding_is_used() -> None:
    """An encoding given by the caller is used, and not reported as detected."""
    data = "Café news\n\nThe café opened.\n".encode("latin-1")
    capture = ingest(data, encoding="latin-1")
    assert capture.encoding == "iso8859-1"
    assert not capture.detected_encoding
    assert capture.publications[0].title == "Café news"
    assert "given by the caller" in capture.publications[0].steps[0]
    assert decode(b"\xef\xbb\xbfhi", encoding="utf-8") == Decoded("hi", "utf-8-sig", True, 0, False)


def test_unknown_encoding_is_refused() -> None:
    """An encoding Python does not know is an UndecodableContentError naming it."""
    with pytest.raises(UndecodableContentError, match="'klingon'"):
        decode(b"text", encoding="klingon")


def test_garbage_is_refused_with_a_useful_message() -> None:
    """Bytes that no encoding fits are refused: source, first bad byte, count and what to do."""
    data = bytes(range(0x80, 0x100)) * 4 + b"\x00\x01\x02"
    with pytest.raises(UndecodableContentError) as caught:
        ingest(data, name="junk.bin")
    message = str(caught.value)
    assert caught.value.source == "junk.bin"
    assert "junk.bin" in message
    assert "first bad byte 0x80 at byte offset 0" in message
    assert "U+FFFD" in message
    assert "encoding=" in message
    assert "--encoding" in message


def test_nul_is_refused() -> None:
    """A NUL in otherwise valid UTF-8 is refused as binary or mis-encoded, with its offset."""
    with pytest.raises(UndecodableContentError) as caught:
        ingest(b"Title\n\nText\x00 here.\n", name="n.txt")
    message = str(caught.value)
    assert "NUL" in message
    assert "character offset 11 (line 3)" in message
    assert "UTF-16" in message


def test_c1_controls_in_utf8_are_refused_not_reread() -> None:
    """UTF-8 holding a C1 control (double-encoded text) is refused, not re-read as cp1252."""
    with pytest.raises(UndecodableContentError, match="U\\+0092"):
        decode("Title\n\nPrincipals\u0092 Board\n".encode())


def test_c1_controls_from_a_wrong_encoding_are_refused() -> None:
    """cp1252 bytes read as latin-1 give C1 controls: refused, suggesting cp1252."""
    with pytest.raises(UndecodableContentError, match="cp1252"):
        decode(b"Principals\x92 Board", encoding="latin-1")


def test_few_undecodable_bytes_are_counted() -> None:
    """Mostly valid UTF-8 with one bad byte: decoded with one U+FFFD, counted and reported."""
    data = ("Title\n\n" + "The UK’s text is fine. " * 100 + "\n").encode() + b"Bad \x92 byte.\n"
    capture = ingest(data)
    assert capture.replacement_characters == 1
    assert capture.encoding == "utf-8"
    assert "\ufffd" in capture.publications[0].text
    assert "1 undecodable byte sequence replaced by U+FFFD" in capture.publications[0].steps[0]
    provenance = capture.provenance(capture.publications[0], capture_method="test")
    assert provenance.replacement_characters == 1


def test_too_many_undecodable_bytes_are_refused() -> None:
    """More replacements than max_replacement_ratio allows is an error."""
    data = "The UK’s text.\n".encode() + b"\x92" * 5
    with pytest.raises(UndecodableContentError, match=r"more than the 0\.10% allowed"):
        decode(data)
    assert decode(data, max_replacement_ratio=0.5).replacement_characters == 5


def test_mixed_encodings_are_not_garbled() -> None:
    """Valid UTF-8 beside stray bytes is never re-read in another encoding (no mojibake)."""
    data = "The UK’s text.\n".encode() + b"\x92" * 5
    decoded = decode(data, max_replacement_ratio=0.5)
    assert decoded.encoding == "utf-8"
    assert decoded.text.startswith("The UK’s text.")


def test_genuine_replacement_characters_are_not_counted() -> None:
    """U+FFFD already in the capture is text, not a decoding loss."""
    data = "A \ufffd in the text.\n".encode() + b"\x92"
    decoded = decode(data, max_replacement_ratio=0.5)
    assert decoded.replacement_characters == 1


def test_empty_capture() -> None:
    """Empty bytes are an IngestError saying so."""
    with pytest.raises(IngestError, match="capture is empty") as caught:
        ingest(b"", name="e.txt")
    assert caught.value.source == "e.txt"


def test_capture_must_be_bytes() -> None:
    """A str is refused with a hint to read the file in binary mode."""
    with pytest.raises(IngestError, match="binary mode"):
        ingest("text")  # type: ignore[arg-type]


# --- no publication ----------------------------------------------------------------


def test_white_space_only() -> None:
    """A capture of white space holds no publication."""
    with pytest.raises(IngestError, match=r"no publication text found in w\.txt: .*white space"):
        ingest(b" \n\n\t\r\n", name="w.txt")


def test_only_furniture() -> None:
    """A capture of furniture only holds no publication; the message says what was found."""
    data = page(
        """
        Request an accessible format.
        If you use assistive technology please email us.

        Updates to this page

        Published 17 December 2025
        """
    )
    with pytest.raises(IngestError) as caught:
        ingest(data, name="f.txt")
    message = str(caught.value)
    assert message.startswith("no publication text found in f.txt")
    assert "accessible-format (lines 1-2)" in message
    assert "page-history (lines 4-6)" in message


def test_no_title() -> None:
    """No heading and no title given: an IngestError quoting the text and saying what to pass."""
    with pytest.raises(
        IngestError,
        match=r"no title found in <capture>: the text begins \(line 1\) with 'This is a "
        r"paragraph\.'.*pass the publication's title \(title=\.\.\. in Python, --title",
    ):
        ingest(b"This is a paragraph.\n\nAnother one.\n")


def test_a_given_title_not_in_the_text_is_recorded_as_given() -> None:
    """A title the text does not hold is the title; the text keeps every line; steps say so."""
    data = b"Ottawa news\n\nPartners met in Ottawa on Tuesday.\n\nThey agreed a plan.\n"
    capture = ingest(data, title="Partners agree a plan for space")
    [publication] = capture.publications
    assert publication.title == "Partners agree a plan for space"
    assert publication.text.startswith("Ottawa news\n\nPartners met")
    assert publication.lines == (1, 5)
    assert (
        "title: 'Partners agree a plan for space', given by the caller; no line of the text is "
        "this title, so the text keeps every line"
    ) in publication.steps


def test_a_given_title_below_short_lines_is_found_and_the_lines_above_are_furniture() -> None:
    """Junk above the title (a dateline, a banner) is removed and recorded; the title found."""
    data = (
        b"OTTAWA, Canada \xe2\x80\x93\n\nAn official website\n\nPartners agree a plan\n\n"
        b"Partners met in Ottawa on Tuesday.\n"
    )
    capture = ingest(data, title="Partners agree a plan")
    [publication] = capture.publications
    assert publication.title == "Partners agree a plan"
    assert publication.text == "Partners met in Ottawa on Tuesday.\n"
    assert "title: line 5 (the title given by the caller)" in publication.steps
    assert [(f.kind, f.lines) for f in capture.furniture] == [
        # the dateline is known furniture; the banner line goes for standing above the title
        ("place-dateline", (1, 1)),
        ("above-title", (3, 3)),
    ]


def test_a_first_line_that_is_no_heading_does_not_refuse_a_capture() -> None:
    """Short lines above the first heading are dropped as furniture; real text never is."""
    capture = ingest(b"Posted by the press office.\n\nPartners agree a plan\n\nThey met.\n")
    assert capture.publications[0].title == "Partners agree a plan"
    assert capture.publications[0].text == "They met.\n"
    long = b"A real paragraph that goes on. " * 10
    with pytest.raises(IngestError, match="no title found"):
        ingest(long + b"\n\nA heading\n\nMore text.\n")


def test_a_given_title_further_on_starts_a_later_publication() -> None:
    """A given title after text names a later publication of the capture, not junk above."""
    data = (
        b"Story title\n\nThe story tells of a meeting held this week.\n\n"
        b"Annex of the board\n\nThe annex lists who attended the meeting.\n"
    )
    capture = ingest(data, title="Annex of the board")
    assert [p.title for p in capture.publications] == ["Story title", "Annex of the board"]
    assert "split: publication 2 of 2 starts at line 5 (heading 'Annex of the board')" in (
        capture.publications[1].steps
    )


def test_title_without_text() -> None:
    """A lone heading is not a publication."""
    with pytest.raises(IngestError, match="'A title' \\(line 1\\) has no text after it"):
        ingest(b"A title\n")


# --- dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published 17 December 2025", dt.date(2025, 12, 17)),
        ("Published: 3 March 2024", dt.date(2024, 3, 3)),
        ("Published on 1st Feb 2023", dt.date(2023, 2, 1)),
        ("Published: 17/12/2025", dt.date(2025, 12, 17)),
        ("Published 12/17/2025", dt.date(2025, 12, 17)),
        ("Published 2025-12-17", dt.date(2025, 12, 17)),
        ("First published: Wednesday, December 17, 2025", dt.date(2025, 12, 17)),
        ("Release date: 17 Dec. 2025", dt.date(2025, 12, 17)),
        ("Published 03/04/2025", None),
        ("Published 31 February 2025", None),
    ],
)
def test_stated_publication_dates(line: str, expected: dt.date | None) -> None:
    """Publication date lines in many styles are read; ambiguous or impossible ones are not."""
    capture = ingest(f"A title\n\nThe text.\n\n{line}\n".encode())
    (publication,) = capture.publications
    assert kinds(capture) == [("page-metadata", (5, 5))]
    if expected is None:
        assert publication.published is None
        assert any(step.startswith("date not used:") for step in publication.steps)
    else:
        assert publication.published is not None
        assert publication.published.value == expected
        assert publication.published.note == f"stated in the capture: '{line}' (line 5)"


def test_date_on_the_line_after_published() -> None:
    """'Published' alone, with the date on the next line, is one statement."""
    capture = ingest(b"A title\n\nThe text.\n\nPublished\n17 December 2025\n")
    published = capture.publications[0].published
    assert published is not None
    assert published.value == dt.date(2025, 12, 17)
    assert published.note == "stated in the capture: 'Published 17 December 2025' (lines 5-6)"


def test_updates_earlier_than_publication_are_ignored() -> None:
    """An update dated before the publication date cannot be one; the step says so."""
    capture = ingest(b"A title\n\nThe text.\n\nPublished 2 May 2024\n\nLast updated 1 May 2024\n")
    (publication,) = capture.publications
    assert publication.updated == ()
    assert "updated: ignored 2024-05-01 (earlier than the published date)" in publication.steps


# --- records -----------------------------------------------------------------------


def test_publication_text_must_be_canonical() -> None:
    """A Publication cannot hold non-canonical text."""
    with pytest.raises(InvalidMetadataError, match="canonical"):
        Publication(
            title="T",
            text="not canonical  \n",
            document_type=None,
            published=None,
            updated=(),
            lines=(1, 1),
            characters=(0, 1),
            steps=(),
            links=(),
        )


def test_furniture_is_validated() -> None:
    """Furniture needs a hyphenated lowercase kind and 1-based lines."""
    with pytest.raises(InvalidMetadataError, match="kind"):
        Furniture("Page History", (1, 2), "x")
    with pytest.raises(InvalidMetadataError, match="lines"):
        Furniture("page-history", (0, 2), "x")


def test_capture_needs_a_publication() -> None:
    """A Ingested with no publications cannot be made."""
    with pytest.raises(InvalidMetadataError, match="at least one publication"):
        Ingested("sha256:" + "0" * 64, None, "utf-8", False, 0, False, (), ())


# --- properties and bounds ----------------------------------------------------------


@settings(deadline=None, max_examples=150)
@given(title=st.text(printable, min_size=1, max_size=60), body=paragraphs, sep=line_breaks)
def test_printable_paragraphs_give_canonical_text_or_a_library_error(
    title: str, body: list[str], sep: str
) -> None:
    """Arbitrary printable paragraphs: a library error or publications in canonical form."""
    data = sep.join([title, *body]).encode()
    try:
        capture = ingest(data)
    except CspoArchiveError:
        return
    for publication in capture.publications:
        assert canonical_problem(publication.text) is None
        assert publication.title == publication.title.strip()


@settings(deadline=None, max_examples=150)
@given(body=anything, sep=line_breaks)
def test_any_text_gives_canonical_text_or_a_library_error(body: list[str], sep: str) -> None:
    """Any characters at all, controls included: only library errors escape."""
    try:
        capture = ingest(sep.join(body).encode("utf-8"))
    except CspoArchiveError:
        return
    for publication in capture.publications:
        assert canonical_problem(publication.text) is None


@settings(deadline=None, max_examples=100)
@given(data=st.binary(min_size=1, max_size=400))
def test_any_bytes_give_a_capture_or_a_library_error(data: bytes) -> None:
    """Arbitrary bytes: a capture or a library error, never another exception."""
    try:
        capture = ingest(data)
    except CspoArchiveError:
        return
    for publication in capture.publications:
        assert canonical_problem(publication.text) is None


@settings(deadline=None, max_examples=300)
@given(lines=st.lists(page_lines, min_size=1, max_size=20), sep=st.sampled_from(["\n", "\n\n"]))
def test_every_line_is_furniture_a_title_or_text(lines: list[str], sep: str) -> None:
    """Whatever the page's shape, no line is lost and publications do not overlap."""
    data = sep.join(lines).encode()
    try:
        capture = ingest(data)
    except CspoArchiveError:
        return
    assert_nothing_lost(data, capture, unique=False)
    ends = [0, *(p.lines[1] for p in capture.publications)]
    starts = [p.lines[0] for p in capture.publications]
    assert all(end < start for end, start in zip(ends, starts, strict=False))


def test_five_megabytes_in_a_few_seconds() -> None:
    """A 5 MB capture (the seed page many times over) ingests in a few seconds."""
    one = seed(SEED_002) + b"\n\n"
    copies = 5_000_000 // len(one) + 1
    data = one * copies
    started = time.perf_counter()
    capture = ingest(data)
    elapsed = time.perf_counter() - started
    assert len(capture.publications) == 2 * copies
    assert elapsed < 10, f"ingesting {len(data)} bytes took {elapsed:.1f} s"


def test_below_short_lines_the_title_is_the_first_headline_not_a_menu_item() -> None:
    """Menu items and section names above a headline are furniture, not the title."""
    data = (
        b"Home\n\nNews\n\nDefence partners agree a plan for space\n\n"
        b"The partners met in Ottawa on Tuesday to agree it.\n"
    )
    capture = ingest(data)
    [publication] = capture.publications
    assert publication.title == "Defence partners agree a plan for space"
    assert publication.text == "The partners met in Ottawa on Tuesday to agree it.\n"
    assert "title: line 5 (the first headline after short lines above it)" in publication.steps
    assert [f.kind for f in capture.furniture] == ["above-title", "above-title"]


def test_a_short_title_with_a_subtitle_stays_the_title() -> None:
    """One short heading before a longer one is a title and its subtitle, not a menu."""
    data = (
        b"CSpO Vision 2031\n\nA shared vision of seven space partners\n\nThe partners publish it.\n"
    )
    [publication] = ingest(data).publications
    assert publication.title == "CSpO Vision 2031"
    assert publication.text.startswith("A shared vision of seven space partners\n\n")


@pytest.mark.parametrize(
    ("heading", "named"),
    [
        ("CSpO Vision 2031", DocumentType.VISION),
        ("Combined Space Operations Vision of the Partners 2031", DocumentType.VISION),
        ("Joint Statement on Space Security", DocumentType.JOINT_STATEMENT),
        ("UK and partners publish CSpO Vision 2031", None),
        ("Ministers welcome the Joint Statement on Space Security", None),
    ],
)
def test_a_headline_about_a_publication_does_not_name_its_type(
    heading: str, named: DocumentType | None
) -> None:
    """A type word ends or heads a name, not a headline whose lowercase verb comes first."""
    data = f"{heading}\n\nThe partners said so in a short text.\n".encode()
    [publication] = ingest(data).publications
    assert publication.document_type == named


def test_a_news_page_captured_line_by_line_gives_headline_date_and_paragraphs() -> None:
    """Lines with no blank line between them that each end a sentence or are headings are
    one paragraph each; a section name above the headline, a time before the date."""
    data = (
        b"Defence\n\n"
        b"Partners weigh new members for the space group\n"
        b"By Alex Smith | Defence Correspondent\n"
        b"Published: 9:41 AM GMT, 21 June 2024\n"
        b"The group is considering whether to let others join.\n"
        b"Officials said talks would continue through the summer.\n"
    )
    capture = ingest(data)
    [publication] = capture.publications
    assert publication.title == "Partners weigh new members for the space group"
    assert publication.published is not None
    assert publication.published.value == dt.date(2024, 6, 21)
    assert publication.text == (
        "The group is considering whether to let others join.\n\n"
        "Officials said talks would continue through the summer.\n"
    )
    assert [f.kind for f in capture.furniture] == ["above-title", "byline", "page-metadata"]
    assert (
        "paragraphs: one per line in lines 6-7 (each line ends a sentence or is a heading, "
        "and the next begins with a capital)"
    ) in publication.steps


def test_a_wrapped_paragraph_stays_one_paragraph() -> None:
    """Lines that break a sentence (no final mark, or a lowercase start) are one paragraph."""
    body = "The partners met in Ottawa\nto agree a plan. They did.\nIt was long.\n"
    [publication] = ingest(f"A title\n\n{body}".encode()).publications
    assert publication.text == body


def test_a_date_and_place_line_below_the_title_is_its_dateline_but_text_elsewhere() -> None:
    """ "March 4, 2025 – Ottawa – National Defence" under the title dates the publication;
    a line of the same shape further on (a chronology) stays text."""
    data = (
        "Partners meet in Ottawa\n\n"
        "March 4, 2025 – Ottawa, Ontario – National Defence\n\n"
        "The partners met today.\n\n"
        "22 February 2022 – Vision 2031 published\n\n"
        "More followed.\n"
    ).encode()
    capture = ingest(data)
    [publication] = capture.publications
    assert publication.published is not None
    assert publication.published.value == dt.date(2025, 3, 4)
    assert publication.text == (
        "The partners met today.\n\n22 February 2022 – Vision 2031 published\n\nMore followed.\n"
    )
    assert [(f.kind, f.lines) for f in capture.furniture] == [("dateline", (3, 3))]
